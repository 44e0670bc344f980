"""``theodoi visit add`` and ``theodoi visit list``: record visits, read them back.

Parse the options, call the library, render, exit: 0 done; 1 a problem with
the data or the disk (or the git commit); 2 a mistake on the command line
(unknown commune, a future date, a missing value without a terminal to ask).
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from theodoi.cli.common import (
    DataOption,
    LangOption,
    NoCacheOption,
    context,
    date_option,
    fail,
    print_problems,
    typer_app,
    write_stdout,
)
from theodoi.i18n import N_, _
from theodoi.problems import TheodoiError

if TYPE_CHECKING:
    from pathlib import Path

    from theodoi.context import Context
    from theodoi.model import Registers, Visit
    from theodoi.visit_rules import SeveralCadres
    from theodoi.visits_store import StoredVisit

visit_app = typer_app("visit", N_("Record visits to communes and list them."))


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def load_registers_or_stop(data: Path) -> Registers:
    """The registers, or stop with their problems if a file cannot be read."""
    from theodoi import checks
    from theodoi.registers import load_registers

    loaded = load_registers(data)
    if loaded.unreadable:
        print_problems([p for p in loaded.problems if p.is_error])
        raise TheodoiError(checks.REGISTERS_UNREADABLE, files=", ".join(sorted(loaded.unreadable)))
    return loaded.registers


def _ask_commune() -> str:
    """In a terminal, ask; from a script or cron, never wait for an answer."""
    from theodoi import checks

    if not sys.stdin.isatty():
        fail(TheodoiError(checks.COMMUNE_MISSING_NO_TERMINAL))
    answer: str = typer.prompt(_("Commune (code or name)"), err=True)
    return answer


def _ask_cadre(several: SeveralCadres) -> str:
    """Which of the commune's cadres went: asked in a terminal, else refused."""
    if not sys.stdin.isatty():
        raise several
    for number, line in enumerate(several.candidates, start=1):
        print(f"  {number}. {line.strip()}", file=sys.stderr)
    while True:
        answer: str = typer.prompt(_("Cadre who went (number or id)"), err=True).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(several.ids):
            return several.ids[int(answer) - 1]
        if answer:
            return answer  # an id or a name: looked up as --cadre is


@visit_app.command("add", help=N_(
    "Record a visit to a commune in data/visits/YYYY/YYYY-MM-DD.yaml. The cadre defaults "
    "to the one assigned to the commune on that date."))
def add_command(
    commune: Annotated[str | None, typer.Option(
        "--commune", metavar="COMMUNE", show_default=False, help=N_(
            "Commune: GSO code or name, e.g. 02068 or \"Đại Sảo\" (asked for in a terminal "
            "if missing)."))] = None,
    cadre: Annotated[str | None, typer.Option(
        "--cadre", metavar="CADRE", show_default=False, help=N_(
            "Cadre who went: id or name (default: the cadre assigned to the commune on that "
            "date)."))] = None,
    day: Annotated[date | None, date_option(N_(
        "Date of the visit, 15/09/2024 or 2024-09-15 (default: today, Asia/Ho_Chi_Minh)."),
        flag="--date")] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", metavar="KIND", show_default=False, help=N_(
            "Kind of visit: working (default), executive, standing, survey, event, "
            "other."))] = None,
    note: Annotated[str, typer.Option(
        "--note", metavar="TEXT", help=N_("What was done and found."), show_default=False)] = "",
    issues: Annotated[list[str] | None, typer.Option(
        "--issue", metavar="TEXT", help=N_("A difficulty raised by the commune; repeat for each."),
        show_default=False)] = None,
    proposals: Annotated[list[str] | None, typer.Option(
        "--proposal", metavar="TEXT", show_default=False,
        help=N_("A proposal to the standing committee; repeat for each."))] = None,
    substitute: Annotated[str, typer.Option(
        "--substitute", metavar="REASON", help=N_(
            "Why a cadre other than the assigned one went (stored with the visit)."),
        show_default=False)] = "",
    allow_duplicate: Annotated[bool, typer.Option(
        "--allow-duplicate", help=N_("Record it even if the same cadre, commune and date is "
                                    "already on record."))] = False,
    commit: Annotated[bool, typer.Option(
        "--commit", help=N_("Commit the day file to git, with a message saying who went "
                           "where and when."))] = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from dataclasses import replace

    from theodoi.atomic import locked
    from theodoi.render.visits import visit_text
    from theodoi.textfile import display_path
    from theodoi.visit_rules import SeveralCadres, VisitRequest, plan_visit
    from theodoi.visits_store import add_visit

    ctx = context(data)
    query = commune if commune is not None and commune.strip() else _ask_commune()
    registers = load_registers_or_stop(ctx.data)
    request = VisitRequest(commune=query, day=day or ctx.today, cadre=cadre, kind=kind,
                           notes=note, difficulties=tuple(issues or ()),
                           proposals=tuple(proposals or ()), substitute=substitute)
    try:
        visit = plan_visit(registers, request, ctx.today, ctx.recorded_at, ctx.language)
    except SeveralCadres as several:  # the settings allow several cadres: ask who went
        request = replace(request, cadre=_ask_cadre(several))
        visit = plan_visit(registers, request, ctx.today, ctx.recorded_at, ctx.language)
    # The commit is made inside the lock, so that it holds this visit alone.
    with locked(ctx.data) if ctx.data.is_dir() else nullcontext():
        stored = add_visit(ctx.data, visit, allow_duplicate=allow_duplicate)
        write_stdout(visit_text(stored.visit, registers, display_path(stored.path),
                                ctx.language))
        if commit:
            _commit(stored, registers, ctx)


def _commit(stored: StoredVisit, registers: Registers, ctx: Context) -> None:
    """One commit of the one file written; the visit is already safe on disk."""
    from theodoi import checks
    from theodoi.git import commit_paths
    from theodoi.periods import format_date
    from theodoi.problems import Msg
    from theodoi.render.visits import kind_label
    from theodoi.textfile import display_path

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
    try:
        commit_id = commit_paths([stored.path], message + "\n\n" + "\n".join(body), ctx.data)
    except TheodoiError as exc:
        fail(TheodoiError(checks.NOT_COMMITTED, what=Msg(N_("the visit")),
                          file=display_path(stored.path), reason=exc.message(language)))
    print(_("Committed to git: {commit}").format(commit=commit_id[:12]))


@visit_app.command("list", help=N_(
    "List recorded visits, newest first, optionally for one commune, one cadre or a "
    "period."))
def list_command(
    commune: Annotated[str | None, typer.Option(
        "--commune", metavar="COMMUNE", show_default=False,
        help=N_("Only this commune (code or name)."))] = None,
    cadre: Annotated[str | None, typer.Option(
        "--cadre", metavar="CADRE", show_default=False,
        help=N_("Only this cadre (id or name)."))] = None,
    date_from: Annotated[date | None, date_option(N_("From this date (inclusive)."),
                                                  flag="--from")] = None,
    date_to: Annotated[date | None, date_option(N_("Up to this date (inclusive)."),
                                                flag="--to")] = None,
    output_format: Annotated[ListFormat, typer.Option(
        "--format", help=N_("table for people (plain text when piped), csv or json for "
                           "scripts."))] = ListFormat.table,
    no_cache: NoCacheOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi import checks
    from theodoi.lookup import find_cadre, find_commune
    from theodoi.problems import has_errors
    from theodoi.render.visits import visits_csv, visits_json
    from theodoi.visit_columns import load_visit_columns, matching_files
    from theodoi.visits_store import visits_of

    ctx = context(data, use_cache=not no_cache)
    registers = load_registers_or_stop(ctx.data)
    code = find_commune(registers.communes, commune).code if commune else None
    cadre_id = find_cadre(registers.cadres, cadre).id if cadre else None
    if date_from and date_to and date_from > date_to:
        fail(TheodoiError(checks.DATES_REVERSED))
    columns = load_visit_columns(ctx.data, ctx.cache_dir)
    print_problems(columns.problems)
    visits = [v for path in matching_files(columns, code, cadre_id, date_from, date_to)
              for v in visits_of(path)[0]
              if (code is None or v.commune == code)
              and (cadre_id is None or v.cadre == cadre_id)
              and (date_from is None or v.date >= date_from)
              and (date_to is None or v.date <= date_to)]
    visits.sort(key=lambda v: (v.date, v.recorded_at, v.id), reverse=True)
    if output_format is ListFormat.json:
        write_stdout(visits_json(visits, registers))
    elif output_format is ListFormat.csv:
        write_stdout(visits_csv(visits, registers))
    else:
        _print_table(visits, registers, ctx)
    raise typer.Exit(1 if has_errors(columns.problems) else 0)


def _print_table(visits: list[Visit], registers: Registers, ctx: Context) -> None:
    """Rich in a terminal; piped, the same table without escape codes and wide
    enough that lines are not folded at 80 columns (the one console factory)."""
    from theodoi.render.console import make_console
    from theodoi.render.visits import visits_table

    if not visits:
        print(_("No visits found."))
        return
    make_console(sys.stdout, ctx.environ).print(visits_table(visits, registers, ctx.language))


def register(app: typer.Typer) -> None:
    app.add_typer(visit_app, name="visit")
