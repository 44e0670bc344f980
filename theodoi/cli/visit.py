"""``theodoi visit add`` and ``theodoi visit list``: record visits, read them back.

Parse the options, call the library, render, exit: 0 done; 1 a problem with
the data or the disk (or the git commit); 2 a mistake on the command line
(unknown commune, a future date, a missing value without a terminal to ask).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from theodoi.base.i18n import N_, _
from theodoi.base.problems import Msg, TheodoiError
from theodoi.cli.common import (
    DataOption,
    LangOption,
    LimitOption,
    NoCacheOption,
    OutputOption,
    SortOption,
    StrictOption,
    Writing,
    context,
    cut_of,
    date_option,
    date_read_as,
    fail,
    load,
    print_problems,
    reason_given,
    report_exit,
    typer_app,
    who_acts,
    write_output,
    write_stdout,
    writing,
)

if TYPE_CHECKING:
    from theodoi.base.context import Context
    from theodoi.base.model import Registers, Visit
    from theodoi.store.dayfile import Appended
    from theodoi.visits.corrections import Correction, Effective
    from theodoi.visits.records import StoredVisit
    from theodoi.visits.rules import SeveralCadres, VisitRequest

visit_app = typer_app("visit", N_("Record visits to communes and list them."))


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


def _ask_cadre(several: SeveralCadres) -> str:
    """Which of the commune's cadres went: asked in a terminal, else refused."""
    from theodoi.cli import prompts

    if not prompts.can_ask():
        raise several
    return prompts.choose(_("Cadre who went"), list(zip(several.ids, several.candidates,
                                                        strict=True)), several.ids[0])


def _interview(registers: Registers, ctx: Context, day: date | None) -> VisitRequest:
    """``visit add`` alone, in a terminal: every value asked for, each checked
    as it is given and asked again if it cannot be used."""
    from theodoi.base import checks
    from theodoi.base.model import VISIT_KINDS
    from theodoi.base.periods import DateError, format_date, read_typed_date
    from theodoi.cli import prompts
    from theodoi.registers.lookup import (
        cadre_label,
        cadre_named,
        commune_label,
        find_cadre,
        find_unit,
    )
    from theodoi.visits.rules import VisitRequest, assigned_cadres

    language = ctx.language
    print(_("A new visit. Press Enter to take the value in brackets; Ctrl-C stops without "
            "writing anything."), file=sys.stderr)

    def visit_day(answer: str) -> date:
        try:
            found, completed = read_typed_date(answer)
        except DateError as exc:
            raise TheodoiError(checks.ANSWER_NOT_A_DATE, answer=answer,
                               why=exc.explanation()) from None
        if completed:
            print(date_read_as(answer, found), file=sys.stderr)
        if found > ctx.today:
            raise TheodoiError(checks.VISIT_IN_FUTURE, day=found, today=ctx.today)
        return found

    day = day or prompts.ask(_("Date of the visit"), visit_day, format_date(ctx.today, language))
    commune = prompts.ask(_("Commune (code or name)"), lambda a: find_unit(registers, a, day))
    prompts.echo(commune_label(commune))
    assigned = assigned_cadres(registers, commune.code, day)
    if len(assigned) > 1:
        cadre = prompts.choose(_("Cadre who went"), [
            (i, cadre_label(registers.cadres[i]) if i in registers.cadres else i)
            for i in assigned], assigned[0])
    else:
        cadre = prompts.ask(_("Cadre who went (id or name)"),
                            lambda a: find_cadre(registers.cadres, a).id,
                            assigned[0] if assigned else None,
                            cadre_named(registers.cadres, assigned[0]) if assigned else None)
    prompts.echo(cadre_label(registers.cadres[cadre]) if cadre in registers.cadres else cadre)
    substitute = ""
    while cadre not in assigned and not substitute:
        substitute = prompts.text(_("Why {cadre} went instead of the assigned cadre").format(
            cadre=cadre_named(registers.cadres, cadre)))
    kinds = [(key, _(label)) for key, label in VISIT_KINDS.items()]
    kind = prompts.choose(_("Kind of visit"), kinds, "working")
    notes = prompts.text(_("What was done and found (Enter to leave empty)"))
    difficulties = prompts.lines(_("Difficulties raised by the commune"))
    proposals = prompts.lines(_("Proposals to the standing committee"))
    return VisitRequest(commune=commune.code, day=day, cadre=cadre, kind=kind, notes=notes,
                        difficulties=tuple(difficulties), proposals=tuple(proposals),
                        substitute=substitute)


AddCommuneOption = Annotated[str | None, typer.Option(
    "--commune", metavar=N_("COMMUNE"), show_default=False, help=N_(
        "Commune: GSO code or name, e.g. 02068 or \"Đại Sảo\" (asked for in a terminal "
        "if missing)."))]
AddCadreOption = Annotated[str | None, typer.Option(
    "--cadre", metavar=N_("CADRE"), show_default=False, help=N_(
        "Cadre who went: id or name (default: the cadre assigned to the commune on that "
        "date)."))]
AddDayOption = Annotated[date | None, date_option(N_(
    "Date of the visit, 15/09/2024 or 2024-09-15 (default: today, Asia/Ho_Chi_Minh)."),
    flag="--date")]
AddKindOption = Annotated[str | None, typer.Option(
    "--kind", metavar=N_("KIND"), show_default=False, help=N_(
        "Kind of visit: working (default), executive, standing, survey, event, "
        "other."))]
AddNoteOption = Annotated[str, typer.Option(
    "--note", metavar=N_("TEXT"),
        help=N_("What was done and found."), show_default=False)]
AddIssuesOption = Annotated[list[str] | None, typer.Option(
    "--issue", metavar=N_("TEXT"),
        help=N_("A difficulty raised by the commune; repeat for each."),
    show_default=False)]
AddProposalsOption = Annotated[list[str] | None, typer.Option(
    "--proposal", metavar=N_("TEXT"), show_default=False,
    help=N_("A proposal to the standing committee; repeat for each."))]
AddSubstituteOption = Annotated[str, typer.Option(
    "--substitute", metavar=N_("REASON"), help=N_(
        "Why a cadre other than the assigned one went (stored with the visit)."),
    show_default=False)]
AddAllowDuplicateOption = Annotated[bool, typer.Option(
    "--allow-duplicate", help=N_("Record it even if the same cadre, commune and date is "
                                "already on record."))]
AddCommitOption = Annotated[bool, typer.Option(
    "--commit", help=N_("Commit the day file to git, with a message saying who went "
                       "where and when."))]


@visit_app.command("add", help=N_(
    "Record a visit to a commune in data/visits/YYYY/YYYY-MM-DD.yaml. The cadre defaults "
    "to the one assigned to the commune on that date."))
def add_command(
    commune: AddCommuneOption = None,
    cadre: AddCadreOption = None,
    day: AddDayOption = None,
    kind: AddKindOption = None,
    note: AddNoteOption = "",
    issues: AddIssuesOption = None,
    proposals: AddProposalsOption = None,
    substitute: AddSubstituteOption = "",
    allow_duplicate: AddAllowDuplicateOption = False,
    commit: AddCommitOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from dataclasses import replace

    from theodoi.base import checks
    from theodoi.cli import prompts
    from theodoi.render.visits import visit_text
    from theodoi.store.textfile import display_path
    from theodoi.visits.records import add_visit
    from theodoi.visits.rules import SeveralCadres, VisitRequest, plan_visit

    ctx = context(data)
    registers = load(ctx, visits=False).registers
    if commune is not None and commune.strip():
        request = VisitRequest(commune=commune, day=day or ctx.today, cadre=cadre, kind=kind,
                               notes=note, difficulties=tuple(issues or ()),
                               proposals=tuple(proposals or ()), substitute=substitute)
    elif prompts.can_ask():
        request = _interview(registers, ctx, day)
    else:  # a script or cron never waits for an answer
        fail(TheodoiError(checks.COMMUNE_MISSING_NO_TERMINAL))
    try:
        visit = plan_visit(registers, request, ctx.today, ctx.recorded_at, ctx.language)
    except SeveralCadres as several:  # the settings allow several cadres: ask who went
        request = replace(request, cadre=_ask_cadre(several))
        visit = plan_visit(registers, request, ctx.today, ctx.recorded_at, ctx.language)
    if commune is None or not commune.strip():  # interviewed: the last word is the clerk's
        _confirm(visit, registers, ctx)
    with writing(ctx, commit=commit) as change:
        # Checked again inside the lock: the registers may have changed meanwhile.
        registers = change.registers()
        visit = plan_visit(registers, request, ctx.today, ctx.recorded_at, ctx.language)
        stored = add_visit(ctx.data, visit, allow_duplicate=allow_duplicate)
        change.commit_as(_commit_message(stored, registers, ctx), Msg(N_("the visit")))
    write_stdout(visit_text(stored.visit, registers, display_path(stored.path), ctx.language))
    change.announce()


def _confirm(visit: Visit, registers: Registers, ctx: Context) -> None:
    """The interview's end: the visit as it will be written, then 'Ghi chuyến công
    tác này? [C/k]' (Enter is yes); no writes nothing and exits 1."""
    from theodoi.cli import prompts
    from theodoi.render.visits import planned_visit_text

    print("\n" + planned_visit_text(visit, registers, ctx.language), end="", file=sys.stderr)
    if not prompts.confirm(_("Record this visit? [Y/n]")):
        print(_("Nothing was written."), file=sys.stderr)
        raise typer.Exit(1)


def _commit_message(stored: StoredVisit, registers: Registers, ctx: Context) -> str:
    """Who went where and when, and the kind of visit."""
    from theodoi.base.periods import format_date
    from theodoi.render.visits import kind_label

    language = ctx.language
    visit = stored.visit
    cadre = registers.cadres.get(visit.cadre)
    commune = registers.unit_named(visit.commune, visit.date)
    message = _("Visit {id}: {cadre_name} ({cadre}) at {commune_name} ({commune}) on "
                "{day}").format(id=visit.id, cadre_name=cadre.name if cadre else visit.cadre,
                                cadre=visit.cadre, commune=visit.commune,
                                commune_name=commune.name if commune else visit.commune,
                                day=format_date(visit.date, language))
    body = [f"{_('Kind')}: {kind_label(visit.kind, language)}"]
    if visit.substitute:
        body.append(f"{_('Standing in, because')}: {visit.substitute}")
    return message + "\n\n" + "\n".join(body)


ListCommuneOption = Annotated[str | None, typer.Option(
    "--commune", metavar=N_("COMMUNE"), show_default=False,
    help=N_("Only this commune (code or name)."))]
ListCadreOption = Annotated[str | None, typer.Option(
    "--cadre", metavar=N_("CADRE"), show_default=False,
    help=N_("Only this cadre (id or name)."))]
ListDateFromOption = Annotated[date | None, date_option(N_("From this date (inclusive)."),
                                              flag="--from")]
ListDateToOption = Annotated[date | None, date_option(N_("Up to this date (inclusive)."),
                                            flag="--to")]
ListOutputFormatOption = Annotated[ListFormat, typer.Option(
    "--format", metavar=N_("FORMAT"),
        help=N_("table for people (plain text when piped), csv or json for "
                       "scripts, xlsx for Excel (with --output FILE; theodoi import "
                       "visits reads it back)."))]


@visit_app.command("list", help=N_(
    "List recorded visits, newest first, optionally for one commune, one cadre or a "
    "period."))
def list_command(
    commune: ListCommuneOption = None,
    cadre: ListCadreOption = None,
    date_from: ListDateFromOption = None,
    date_to: ListDateToOption = None,
    sort: SortOption = None,
    limit: LimitOption = None,
    output_format: ListOutputFormatOption = ListFormat.table,
    output: OutputOption = None,
    no_cache: NoCacheOption = False,
    strict: StrictOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.base import checks
    from theodoi.base.problems import has_errors
    from theodoi.cli.office_output import output_file
    from theodoi.registers.lookup import find_cadre, find_commune
    from theodoi.render.lists import visit_filters
    from theodoi.visits.query import VisitQuery

    output_file(output_format, output)
    ctx = context(data, use_cache=not no_cache)
    registers = load(ctx, visits=False).registers
    found_commune = find_commune(registers.communes, commune) if commune else None
    found_cadre = find_cadre(registers.cadres, cadre) if cadre else None
    if date_from and date_to and date_from > date_to:
        fail(TheodoiError(checks.DATES_REVERSED))
    workspace = load(ctx)
    # A 'visits' file instead of a folder is not "no visits": say so, exit 1.
    problems = [p for p in workspace.problems if p not in workspace.loaded.problems]
    print_problems(problems, ctx.verbose)
    query = VisitQuery(found_commune.code if found_commune else None,
                       found_cadre.id if found_cadre else None, date_from, date_to)
    visits = query.select(workspace.columns, workspace.corrections)
    cut = cut_of(sort, limit)
    if not cut.is_whole:
        from theodoi.render.visits import MACHINE_KEYS, visit_row
        from theodoi.reports.cut import cut_objects

        visits = cut_objects(visits, [visit_row(v, registers) for v in visits], MACHINE_KEYS,
                             cut)
    _show_list(visits, registers, ctx, output_format, output,
               lambda: visit_filters(ctx.language, found_commune, found_cadre, date_from,
                                     date_to))
    raise typer.Exit(report_exit(has_errors(problems), strict))


def _show_list(visits: list[Visit], registers: Registers, ctx: Context,
               output_format: ListFormat, output: Path | None,
               filters: Callable[[], list[str]]) -> None:
    """The visits in the format asked for: json, csv, a workbook, plain text to a
    file, or a table for the terminal."""
    from theodoi.render.visits import visits_csv, visits_json

    if output_format is ListFormat.json:
        write_output(output, visits_json(visits, registers))
    elif output_format is ListFormat.csv:
        write_output(output, visits_csv(visits, registers))
    elif output_format is ListFormat.xlsx or output is not None:
        from theodoi.cli.office_output import write_xlsx
        from theodoi.render.lists import visits_document

        document = visits_document(visits, registers, ctx.language, filters())
        if output_format is ListFormat.xlsx:
            from theodoi.render.lists import sheet_name

            write_xlsx(document, ctx, output, as_of=ctx.today,
                       sheet=sheet_name("visits", ctx.language))
        else:
            from theodoi.render.plain import document_text
            from theodoi.render.terminal import plain_width

            write_output(output, document_text(document, ctx.language,
                                               plain_width(ctx.environ)))
    else:
        _print_table(visits, registers, ctx)


def _print_table(visits: list[Visit], registers: Registers, ctx: Context) -> None:
    """Rich in a terminal; piped, the same table without escape codes and wide
    enough that lines are not folded at 80 columns (the one console factory)."""
    from theodoi.render.console import make_console
    from theodoi.render.visits import visits_table

    if not visits:
        print(_("No visits found."))
        return
    make_console(sys.stdout, ctx.environ).print(visits_table(visits, registers, ctx.language))


# --- corrections: amend, withdraw, show ---------------------------------------------------

VisitIdArgument = Annotated[str, typer.Argument(
    metavar=N_("VISIT_ID"), show_default=False, help=N_("The visit's id, e.g. V-20240915-003."))]
ReasonOption = Annotated[str | None, typer.Option(
    "--reason", metavar=N_("REASON"), show_default=False, help=N_(
        "Why the record is corrected (kept with it; asked for in a terminal if missing)."))]
ByOption = Annotated[str | None, typer.Option(
    "--by", metavar=N_("\"NAME <EMAIL>\""), show_default=False, help=N_(
        "Who makes the correction (default: the git identity of the data repository)."))]
CorrectionCommitOption = Annotated[bool, typer.Option(
    "--commit", help=N_("Commit the correction to git, with a message saying what and "
                        "why."))]


@dataclass(frozen=True)
class Found:
    """A recorded visit, its corrections, and what they leave of it."""

    original: Visit
    path: Path
    corrections: list[Correction]
    now: Effective


def find_visit(ctx: Context, visit_id: str) -> Found:
    """The visit with this id, typed in any case, a zero or the V- left out; or a
    usage error naming the id (with the ids it could be)."""
    from theodoi.base import checks
    from theodoi.visits.corrections import effective
    from theodoi.visits.ids import known_id
    from theodoi.visits.records import visits_of

    workspace = load(ctx)
    corrections, columns = workspace.corrections, workspace.columns
    files = {one: index for index in range(len(columns.files)) for one in columns.ids_of(index)}
    wanted = known_id(visit_id, files, checks.UNKNOWN_VISIT_ID)  # v-20241203-2 too
    path = Path(columns.files[files[wanted]].path)
    visit = next(v for v in visits_of(path)[0] if v.id == wanted)
    of_it = corrections.of_visit(wanted)
    return Found(visit, path, of_it, effective(visit, of_it))


def _counting(found: Found) -> Visit:
    """The visit as it counts now; a withdrawn one cannot be corrected again."""
    from theodoi.base import checks

    withdrawal = found.now.withdrawal
    if withdrawal is not None or found.now.visit is None:
        fail(TheodoiError(checks.VISIT_WITHDRAWN, id=found.original.id,
                          withdrawal=withdrawal.id if withdrawal else "",
                          reason=withdrawal.reason if withdrawal else ""))
    return found.now.visit


@visit_app.command("amend", help=N_(
    "Correct a recorded visit: a correction with the reason is appended to "
    "corrections/YYYY/YYYY-MM-DD.yaml and changes only the fields given; the original "
    "record stays as it was written."))
def amend_command(
    visit_id: VisitIdArgument,
    reason: ReasonOption = None,
    day: Annotated[date | None, date_option(N_("The right date of the visit."),
                                            flag="--date")] = None,
    commune: Annotated[str | None, typer.Option(
        "--commune", metavar=N_("COMMUNE"), show_default=False,
        help=N_("The right commune (code or name)."))] = None,
    cadre: Annotated[str | None, typer.Option(
        "--cadre", metavar=N_("CADRE"), show_default=False,
        help=N_("The cadre who really went (id or name)."))] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", metavar=N_("KIND"), show_default=False, help=N_("The right kind of visit."))
    ] = None,
    note: Annotated[str | None, typer.Option(
        "--note", metavar=N_("TEXT"), show_default=False, help=N_("The notes as they should read."))
    ] = None,
    issues: Annotated[list[str] | None, typer.Option(
        "--issue", metavar=N_("TEXT"), show_default=False, help=N_(
            "The difficulties as they should read (repeat for each; they replace the "
            "recorded ones; --issue \"\" for none)."))] = None,
    proposals: Annotated[list[str] | None, typer.Option(
        "--proposal", metavar=N_("TEXT"), show_default=False, help=N_(
            "The proposals as they should read (repeat for each; they replace the recorded "
            "ones)."))] = None,
    substitute: Annotated[str | None, typer.Option(
        "--substitute", metavar=N_("REASON"), show_default=False, help=N_(
            "Why another cadre went (--substitute \"\" when the assigned cadre went)."))
    ] = None,
    by: ByOption = None,
    commit: CorrectionCommitOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from dataclasses import replace as replaced

    from theodoi.visits.corrections import AMEND
    from theodoi.visits.rules import plan_amendment

    ctx = context(data)
    registers = load(ctx, visits=False).registers
    # Who, and which visit, before the reason is asked for: a clerk is never asked
    # to explain a correction that cannot be made (and no lock waits on a person).
    who = who_acts(ctx, by)
    _counting(find_visit(ctx, visit_id))
    why = reason_given(reason)
    with writing(ctx, commit=commit) as change:
        found = find_visit(ctx, visit_id)
        current = _counting(found)
        ordered = plan_amendment(registers, current, {
            "date": day, "commune": commune, "cadre": cadre, "kind": kind, "notes": note,
            "difficulties": issues, "proposals": proposals, "substitute": substitute},
            ctx.today, ctx.language)
        _record_correction(ctx, change, registers, found, AMEND, why, who, ordered,
                           replaced(current, **ordered), Msg(N_("the correction")))
    change.announce()


@visit_app.command("withdraw", help=N_(
    "Withdraw a recorded visit (entered twice, or one that did not happen): a withdrawal "
    "with the reason is appended; the visit then counts nowhere, and its record stays."))
def withdraw_command(
    visit_id: VisitIdArgument,
    reason: ReasonOption = None,
    by: ByOption = None,
    commit: CorrectionCommitOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.visits.corrections import WITHDRAW

    ctx = context(data)
    registers = load(ctx, visits=False).registers
    who = who_acts(ctx, by)
    _counting(find_visit(ctx, visit_id))
    why = reason_given(reason)
    with writing(ctx, commit=commit) as change:
        found = find_visit(ctx, visit_id)
        _record_correction(ctx, change, registers, found, WITHDRAW, why, who, {}, None,
                           Msg(N_("the withdrawal")))
    change.announce()


def _record_correction(ctx: Context, change: Writing, registers: Registers, found: Found,
                       action: str, why: str, who: str, changes: dict[str, Any],
                       after: Visit | None, what: Msg) -> None:
    """Append an amendment (``changes``, the visit ``after`` them) or a
    withdrawal (no changes, no visit after), say what was done, and commit the
    correction's file when --commit asked for it."""
    from theodoi.visits.corrections import WITHDRAW, append_correction

    current = _counting(found)
    appended = append_correction(ctx.data, ctx.today, found.original.id, action, why, who,
                                 ctx.recorded_at, changes)
    write_stdout(correction_text(found.original, current, after, appended, changes, why,
                                 registers, ctx.language))
    change.commit_as(correction_message(
        found.original.id, appended.id, None if action == WITHDRAW else changes, why, who,
        ctx.language), what)


@visit_app.command("show", help=N_(
    "Show a visit as it was recorded, every correction with its reason, who and when, and "
    "the visit as it counts now."))
def show_command(
    visit_id: VisitIdArgument,
    output: OutputOption = None,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.audit.gitaudit import how_made
    from theodoi.render.visits import visit_history_text
    from theodoi.store.git import Git
    from theodoi.store.textfile import display_path

    ctx = context(data)
    registers = load(ctx, visits=False).registers
    found = find_visit(ctx, visit_id)
    made_by = how_made(ctx.data, Git(ctx.environ)) if found.corrections else None
    write_output(output, visit_history_text(found.original, display_path(found.path),
                                            found.corrections, found.now, registers,
                                            ctx.language, made_by))


def correction_text(original: Visit, before: Visit, after: Visit | None, appended: Appended,
                    changes: dict[str, object], reason: str, registers: Registers,
                    language: str) -> str:
    from theodoi.render.visits import correction_summary
    from theodoi.store.textfile import display_path

    return correction_summary(original.id, before, after, appended.id,
                              display_path(appended.path), appended.line, changes, reason,
                              registers, language)


def correction_message(visit_id: str, correction_id: str, changes: dict[str, object] | None,
                       reason: str, who: str, language: str) -> str:
    """The commit message: what was corrected, then why and by whom."""
    if changes is None:
        subject = _("Correction {id}: visit {visit} withdrawn").format(id=correction_id,
                                                                     visit=visit_id)
    else:
        subject = _("Correction {id}: visit {visit} amended ({fields})").format(
            id=correction_id, visit=visit_id, fields=", ".join(changes))
    return f"{subject}\n\n{_('Reason')}: {reason}\n{_('By')}: {who}"


def register(app: typer.Typer) -> None:
    app.add_typer(visit_app, name="visit")
