"""``theodoi visit add`` and ``theodoi visit list``: record visits, read them back.

Parse the options, call the library, render, exit: 0 done; 1 a problem with
the data or the disk (or the git commit); 2 a mistake on the command line
(unknown commune, a future date, a missing value without a terminal to ask).
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from theodoi.cli.common import (
    DataOption,
    LangOption,
    date_option,
    fail,
    today,
    typer_app,
    write_stdout,
)
from theodoi.i18n import N_, _, language
from theodoi.problems import TheodoiError

if TYPE_CHECKING:
    from theodoi.model import Registers, Visit
    from theodoi.visits_store import StoredVisit

visit_app = typer_app("visit", _("Record visits to communes and list them."))


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _usage_errors() -> tuple[type[TheodoiError], ...]:
    from theodoi.lookup import LookupFailed
    from theodoi.visit_rules import VisitRefused

    return LookupFailed, VisitRefused


def _fail_typed(exc: TheodoiError) -> NoReturn:
    """A lookup or a refused visit is the command line's mistake (exit 2), unless
    the refusal comes from the registers; anything else is the data's (exit 1)."""
    from theodoi.visit_rules import VisitRefused

    usage = not isinstance(exc, VisitRefused) or exc.usage
    fail(exc, 2 if usage else 1)


def _registers(data: Path) -> Registers:
    """The registers, or stop with their problems if a file cannot be read."""
    from theodoi.problems import Problem, Severity
    from theodoi.registers import load_registers
    from theodoi.render.problems import problem_line

    loaded = load_registers(data)
    if loaded.unreadable:
        for problem in sorted(loaded.problems, key=Problem.sort_key):
            if problem.severity is Severity.ERROR:
                print(problem_line(problem), file=sys.stderr)
        raise TheodoiError(N_("the registers cannot be read ({files}); fix the problems "
                              "above (theodoi validate lists them all)"),
                           files=", ".join(sorted(loaded.unreadable)))
    return loaded.registers


def _ask_commune() -> str:
    """In a terminal, ask; from a script or cron, never wait for an answer."""
    if not sys.stdin.isatty():
        fail(TheodoiError(N_("--commune is missing and there is no terminal to ask for it: "
                             "give the commune's code or name")), 2)
    answer: str = typer.prompt(_("Commune (code or name)"), err=True)
    return answer


@visit_app.command("add", help=_(
    "Record a visit to a commune in data/visits/YYYY/YYYY-MM-DD.yaml. The cadre defaults "
    "to the one assigned to the commune on that date."))
def add_command(
    commune: Annotated[str | None, typer.Option(
        "--commune", metavar="COMMUNE", show_default=False, help=_(
            "Commune: GSO code or name, e.g. 02068 or \"Đại Sảo\" (asked for in a terminal "
            "if missing)."))] = None,
    cadre: Annotated[str | None, typer.Option(
        "--cadre", metavar="CADRE", show_default=False, help=_(
            "Cadre who went: id or name (default: the cadre assigned to the commune on that "
            "date)."))] = None,
    day: Annotated[date | None, date_option(_(
        "Date of the visit, 15/09/2024 or 2024-09-15 (default: today, Asia/Ho_Chi_Minh)."),
        flag="--date")] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", metavar="KIND", show_default=False, help=_(
            "Kind of visit: working (default), executive, standing, survey, event, "
            "other."))] = None,
    note: Annotated[str, typer.Option(
        "--note", metavar="TEXT", help=_("What was done and found."), show_default=False)] = "",
    issues: Annotated[list[str] | None, typer.Option(
        "--issue", metavar="TEXT", help=_("A difficulty raised by the commune; repeat for each."),
        show_default=False)] = None,
    proposals: Annotated[list[str] | None, typer.Option(
        "--proposal", metavar="TEXT", show_default=False,
        help=_("A proposal to the standing committee; repeat for each."))] = None,
    substitute: Annotated[str, typer.Option(
        "--substitute", metavar="REASON", help=_(
            "Why a cadre other than the assigned one went (stored with the visit)."),
        show_default=False)] = "",
    allow_duplicate: Annotated[bool, typer.Option(
        "--allow-duplicate", help=_("Record it even if the same cadre, commune and date is "
                                    "already on record."))] = False,
    commit: Annotated[bool, typer.Option(
        "--commit", help=_("Commit the day file to git, with a message saying who went "
                           "where and when."))] = False,
    data: DataOption = Path("data"),
    lang: LangOption = None,
) -> None:
    from theodoi.periods import now_in_vietnam
    from theodoi.render.visits import visit_text
    from theodoi.textfile import display_path
    from theodoi.visit_rules import VisitRequest, plan_visit
    from theodoi.visits_store import DuplicateVisit, add_visit

    query = commune if commune is not None and commune.strip() else _ask_commune()
    registers = _registers(data)
    recorded, this_day = now_in_vietnam(), today()
    request = VisitRequest(commune=query, day=day or this_day, cadre=cadre, kind=kind,
                           notes=note, difficulties=tuple(issues or ()),
                           proposals=tuple(proposals or ()), substitute=substitute)
    try:
        visit = plan_visit(registers, request, this_day, recorded.isoformat())
    except _usage_errors() as exc:
        _fail_typed(exc)
    try:
        stored = add_visit(data, visit, allow_duplicate=allow_duplicate)
    except DuplicateVisit as exc:
        fail(exc, 1)
    write_stdout(visit_text(stored.visit, registers, display_path(stored.path), language()))
    if commit:
        _commit(stored, registers, data)


def _commit(stored: StoredVisit, registers: Registers, data: Path) -> None:
    """One commit of the one file written; the visit is already safe on disk."""
    from theodoi.git import commit_paths
    from theodoi.periods import format_date
    from theodoi.render.visits import kind_label
    from theodoi.textfile import display_path

    visit = stored.visit
    cadre = registers.cadres.get(visit.cadre)
    commune = registers.communes.get(visit.commune)
    message = _("Visit {id}: {cadre_name} ({cadre}) at {commune_name} ({commune}) on "
                "{day}").format(id=visit.id, cadre_name=cadre.name if cadre else visit.cadre,
                                cadre=visit.cadre, commune=visit.commune,
                                commune_name=commune.name if commune else visit.commune,
                                day=format_date(visit.date, language()))
    body = [f"{_('Kind')}: {kind_label(visit.kind)}"]
    if visit.substitute:
        body.append(f"{_('Standing in, because')}: {visit.substitute}")
    try:
        commit_id = commit_paths([stored.path], message + "\n\n" + "\n".join(body), data)
    except TheodoiError as exc:
        fail(TheodoiError(N_("the visit is recorded in {file} but was not committed: "
                             "{reason}"), file=display_path(stored.path),
                          reason=exc.message()), 1)
    print(_("Committed to git: {commit}").format(commit=commit_id[:12]))


@visit_app.command("list", help=_(
    "List recorded visits, newest first, optionally for one commune, one cadre or a "
    "period."))
def list_command(
    commune: Annotated[str | None, typer.Option(
        "--commune", metavar="COMMUNE", show_default=False,
        help=_("Only this commune (code or name)."))] = None,
    cadre: Annotated[str | None, typer.Option(
        "--cadre", metavar="CADRE", show_default=False,
        help=_("Only this cadre (id or name)."))] = None,
    date_from: Annotated[date | None, date_option(_("From this date (inclusive)."),
                                                  flag="--from")] = None,
    date_to: Annotated[date | None, date_option(_("Up to this date (inclusive)."),
                                                flag="--to")] = None,
    output_format: Annotated[ListFormat, typer.Option(
        "--format", help=_("table for people (plain text when piped), csv or json for "
                           "scripts."))] = ListFormat.table,
    data: DataOption = Path("data"),
    lang: LangOption = None,
) -> None:
    from theodoi.lookup import find_cadre, find_commune
    from theodoi.problems import Problem, has_errors
    from theodoi.render.problems import problem_line
    from theodoi.render.visits import visits_csv, visits_json
    from theodoi.visits_store import load_visits

    registers = _registers(data)
    try:
        code = find_commune(registers.communes, commune).code if commune else None
        cadre_id = find_cadre(registers.cadres, cadre).id if cadre else None
    except _usage_errors() as exc:
        _fail_typed(exc)
    if date_from and date_to and date_from > date_to:
        fail(TheodoiError(N_("--from is after --to")), 2)
    loaded = load_visits(data)
    for problem in sorted(loaded.problems, key=Problem.sort_key):
        print(problem_line(problem), file=sys.stderr)
    visits = [v for v in loaded.visits
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
        _print_table(visits, registers)
    raise typer.Exit(1 if has_errors(loaded.problems) else 0)


def _print_table(visits: list[Visit], registers: Registers) -> None:
    """Rich in a terminal; piped, the same table without escape codes and wide
    enough that lines are not folded at 80 columns."""
    from rich.console import Console

    from theodoi.render.visits import visits_table

    if not visits:
        print(_("No visits found."))
        return
    console = Console(highlight=False, emoji=False)
    if not console.is_terminal:
        console = Console(highlight=False, emoji=False, no_color=True, width=200)
    console.print(visits_table(visits, registers, language()))


def register(app: typer.Typer) -> None:
    app.add_typer(visit_app, name="visit")
