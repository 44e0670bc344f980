"""``theodoi plan add``: a visit in a cadre's yearly programme, appended to plans/YYYY.yaml."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from theodoi.base.i18n import N_, _
from theodoi.base.problems import Msg, TheodoiError
from theodoi.cli.common import (
    DataOption,
    LangOption,
    context,
    date_option,
    fail,
    typer_app,
    who_acts,
    write_stdout,
    writing,
)
from theodoi.cli.usage_errors import OptionValueError

plan_app = typer_app("plan", N_(
    "The yearly programme of work: the visits each cadre plans, which a review compares with "
    "the visits made."))


def _month(value: str | None) -> object:
    from theodoi.followup.plans import parse_month

    if value is None:
        return None
    found = parse_month(value)
    if found is None:
        raise OptionValueError(_("{value!r} is not a month (use 2026-03)").format(value=value))
    return found


def _quarter(value: str | None) -> object:
    from theodoi.followup.plans import parse_quarter

    if value is None:
        return None
    found = parse_quarter(value)
    if found is None:
        raise OptionValueError(_("{value!r} is not a quarter (use 2026-Q1)").format(
            value=value))
    return found


AddCadreOption = Annotated[str, typer.Option(
    "--cadre", metavar=N_("CADRE"), show_default=False, help=N_("The cadre: id or name."))]
AddCommuneOption = Annotated[str, typer.Option(
    "--commune", metavar=N_("COMMUNE"), show_default=False,
    help=N_("The commune: GSO code or name."))]
AddMonthOption = Annotated[str | None, typer.Option(
    "--month", metavar=N_("YYYY-MM"), show_default=False,
    help=N_("Planned in this month, e.g. 2026-03."))]
AddQuarterOption = Annotated[str | None, typer.Option(
    "--quarter", metavar=N_("YYYY-QN"), show_default=False,
    help=N_("Planned in this quarter, e.g. 2026-Q1."))]
AddDayOption = Annotated[date | None, date_option(N_("Planned on this day, 15/03/2026 or "
                                           "2026-03-15."), flag="--date")]
AddNoteOption = Annotated[str, typer.Option(
    "--note", metavar=N_("TEXT"), show_default=False,
    help=N_("What the visit is for."))]
AddByOption = Annotated[str | None, typer.Option(
    "--by", metavar=N_("\"NAME <EMAIL>\""), show_default=False, help=N_(
        "Who records it (default: the git identity of the data repository)."))]
AddCommitOption = Annotated[bool, typer.Option(
    "--commit", help=N_("Commit plans/YYYY.yaml to git, with a message saying who plans "
                        "to go where and when."))]


@plan_app.command("add", help=N_(
    "Add a planned visit of a cadre to a commune (in a month, a quarter or on a day) to "
    "plans/YYYY.yaml. The cadre must follow the commune at that time."))
def add_command(
    cadre: AddCadreOption,
    commune: AddCommuneOption,
    month: AddMonthOption = None,
    quarter: AddQuarterOption = None,
    day: AddDayOption = None,
    note: AddNoteOption = "",
    by: AddByOption = None,
    commit: AddCommitOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.base import checks
    from theodoi.base.periods import Period
    from theodoi.base.textnorm import nfc
    from theodoi.cli.common import load
    from theodoi.followup.plans import add_plan, day_window, followers, plan_text, when_label
    from theodoi.registers.lookup import find_cadre, find_commune
    from theodoi.store.textfile import display_path

    ctx = context(data)
    windows = [w for w in (_month(month), _quarter(quarter),
                           day_window(day) if day else None) if w is not None]
    if len(windows) != 1:
        fail(TheodoiError(checks.PLAN_WHEN_MISSING))
    window = windows[0]
    assert isinstance(window, Period)
    registers = load(ctx, visits=False).registers
    found_cadre = find_cadre(registers.cadres, cadre)
    found_commune = find_commune(registers.communes, commune)
    following = followers(registers, found_commune.code, window)
    if found_cadre.id not in following:
        names = [registers.cadres[i].name if i in registers.cadres else i for i in following]
        fail(TheodoiError(checks.PLAN_CADRE_NOT_ASSIGNED, cadre=found_cadre.id,
                          commune=found_commune.name, when=when_label(window, ctx.language),
                          assigned=", ".join(names) or Msg(N_("nobody"))))
    with writing(ctx, commit=commit) as change:
        who = who_acts(ctx, by)
        appended = add_plan(ctx.data, found_cadre.id, found_commune.code, window,
                            nfc(note).strip(), who, ctx.recorded_at, ctx.language,
                            found_commune.name)
        message = _("Planned visit {id}: {cadre_name} ({cadre}) to {commune_name} in "
                    "{when}").format(id=appended.id, cadre_name=found_cadre.name,
                                     cadre=found_cadre.id, commune_name=found_commune.name,
                                     when=when_label(window, ctx.language))
        change.commit_as(f"{message}\n\n{_('By')}: {who}", Msg(N_("the planned visit")))
    write_stdout(plan_text(appended, found_cadre.id, found_cadre.name, found_commune.code,
                           found_commune.name, window, display_path(appended.path),
                           ctx.language))
    change.announce()


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
