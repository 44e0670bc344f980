"""``theodoi assign``, ``swap``, ``vacate`` and ``cadre add``: who follows which commune.

Parse the options, call :mod:`theodoi.assignments_edit`, print what changed and
the check of the data that follows, exit: 0 written (or shown, with
--dry-run); 1 refused because of the data (the change would break the
one-to-one rule, the file cannot be edited safely, the commit failed); 2 a
mistake on the command line (unknown commune or cadre, unreadable date).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
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
    from theodoi.assignments_edit import DecisionRef, Plan
    from theodoi.model import Registers
    from theodoi.problems import Problem

cadre_app = typer_app("cadre", _("Manage the list of cadres (cadres.csv)."))

SinceOption = Annotated[date, date_option(_(
    "First day of the new assignment, 15/03/2025 or 2025-03-15; the current one ends the "
    "day before."), flag="--since")]
DecisionOption = Annotated[str | None, typer.Option(
    "--decision", metavar="\"NUMBER, DATE\"", show_default=False, help=_(
        "The standing committee's decision, e.g. \"1520-QĐ/TU, 15/03/2025\"; recorded on the "
        "new entry, and added to 'decisions' if it is not listed yet."))]
ForceOption = Annotated[bool, typer.Option(
    "--force", help=_("Write the change even if it breaks the one-to-one rule (two cadres on "
                      "one commune, a cadre on two communes, a commune without cadre)."))]
DryRunOption = Annotated[bool, typer.Option(
    "--dry-run", help=_("Show the change (as a diff) without writing it; exit 1 if it "
                        "would be refused."))]
CommitOption = Annotated[bool, typer.Option(
    "--commit", help=_("Commit the changed file to git with a message saying what changed."))]


def register(app: typer.Typer) -> None:
    app.command("assign", help=_(
        "Assign a cadre to a commune from a date: the commune's current assignment ends the "
        "day before, and the history stays in assignments.yaml."))(assign_command)
    app.command("swap", help=_(
        "Exchange the communes of two cadres from a date, in one change."))(swap_command)
    app.command("vacate", help=_(
        "Record that a commune has no cadre from a date, while a replacement is pending "
        "(validate reports it as a warning)."))(vacate_command)
    app.add_typer(cadre_app, name="cadre")


def assign_command(
    commune: Annotated[str, typer.Option(
        "--commune", help=_("Commune: GSO code or name, e.g. 02068 or \"Đại Sảo\"."),
        show_default=False)],
    cadre: Annotated[str, typer.Option(
        "--cadre", help=_("The cadre who follows it from now on: id or name."),
        show_default=False)],
    since: SinceOption,
    decision: DecisionOption = None,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    commit: CommitOption = False,
    data: DataOption = Path("data"),
    lang: LangOption = None,
) -> None:
    from theodoi.assignments_edit import plan_assign
    from theodoi.lookup import find_cadre, find_commune

    ref = _decision(decision)

    def make_plan(registers: Registers, file: str) -> Plan:
        code = find_commune(registers.communes, commune).code
        cadre_id = find_cadre(registers.cadres, cadre).id
        return plan_assign(registers, code, cadre_id, since, ref, file)

    _run(data, make_plan, force, dry_run, commit)


def vacate_command(
    commune: Annotated[str, typer.Option(
        "--commune", help=_("Commune: GSO code or name, e.g. 02068 or \"Đại Sảo\"."),
        show_default=False)],
    since: Annotated[date, date_option(_(
        "First day without a cadre, 15/03/2025 or 2025-03-15; the current assignment ends "
        "the day before."), flag="--since")],
    decision: DecisionOption = None,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    commit: CommitOption = False,
    data: DataOption = Path("data"),
    lang: LangOption = None,
) -> None:
    from theodoi.assignments_edit import plan_assign
    from theodoi.lookup import find_commune

    ref = _decision(decision)

    def make_plan(registers: Registers, file: str) -> Plan:
        code = find_commune(registers.communes, commune).code
        return plan_assign(registers, code, "", since, ref, file)

    _run(data, make_plan, force, dry_run, commit)


def swap_command(
    a: Annotated[str, typer.Argument(help=_("A cadre: id or name."), show_default=False,
                                     metavar="A")],
    b: Annotated[str, typer.Argument(help=_("The other cadre: id or name."),
                                     show_default=False, metavar="B")],
    since: SinceOption,
    decision: DecisionOption = None,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    commit: CommitOption = False,
    data: DataOption = Path("data"),
    lang: LangOption = None,
) -> None:
    from theodoi.assignments_edit import plan_swap
    from theodoi.lookup import find_cadre

    ref = _decision(decision)

    def make_plan(registers: Registers, file: str) -> Plan:
        cadre_a = find_cadre(registers.cadres, a).id
        cadre_b = find_cadre(registers.cadres, b).id
        return plan_swap(registers, cadre_a, cadre_b, since, ref, file)

    _run(data, make_plan, force, dry_run, commit)


@cadre_app.command("add", help=_(
    "Add a cadre to cadres.csv (one line at the end). Refuses an id already used, and a "
    "name already listed unless --force."))
def cadre_add_command(
    cadre_id: Annotated[str, typer.Option("--id", help=_("New cadre id, e.g. CB109."),
                                          show_default=False)],
    name: Annotated[str, typer.Option("--name", help=_("Full name."), show_default=False)],
    title: Annotated[str, typer.Option(
        "--title", help=_("Title, e.g. Giám đốc, Phó Trưởng ban."), show_default=False)],
    agency: Annotated[str, typer.Option(
        "--agency", help=_("Agency, e.g. Sở Tài chính."), show_default=False)],
    phone: Annotated[str, typer.Option("--phone", help=_("Phone number."),
                                       show_default=False)] = "",
    email: Annotated[str, typer.Option("--email", help=_("Email address."),
                                       show_default=False)] = "",
    force: Annotated[bool, typer.Option(
        "--force", help=_("Add the cadre even if a cadre of the same name is listed (another "
                          "person with the same name)."))] = False,
    dry_run: DryRunOption = False,
    commit: CommitOption = False,
    data: DataOption = Path("data"),
    lang: LangOption = None,
) -> None:
    from dataclasses import replace

    from theodoi.assignments_edit import USAGE_REFUSALS, add_cadre, new_cadre
    from theodoi.problems import Severity
    from theodoi.registers import CADRES_FILE, load_registers
    from theodoi.render.assignments import cadre_commit_message, cadre_text, unified_diff
    from theodoi.render.problems import problem_line
    from theodoi.textfile import display_path

    cadre = new_cadre(cadre_id, name, title, agency, phone, email)
    path = data / CADRES_FILE
    if commit and not dry_run:
        _check_committable(data, path)
    refusals, clashes, change = add_cadre(data, cadre, force, dry_run)
    if refusals or change is None:
        _refuse(refusals or clashes, 2 if any(p.code in USAGE_REFUSALS for p in refusals)
                else 1)
    for clash in clashes:  # forced: another person of the same name
        print(problem_line(replace(clash, severity=Severity.WARNING)), file=sys.stderr)
    file = display_path(path)
    if not change.written:
        write_stdout(cadre_text(cadre, file, 0, False)
                     + unified_diff(change.old_text, change.new_text, file))
        return
    reread = load_registers(data).registers.cadres.get(cadre.id)
    write_stdout(cadre_text(cadre, file, reread.location.line if reread else 0, True))
    print(_("{id} is not assigned to any commune yet: use 'theodoi assign'.").format(
        id=cadre.id))
    if commit:
        _commit(data, path, cadre_commit_message(cadre))


def _decision(text: str | None) -> DecisionRef | None:
    from theodoi.assignments_edit import parse_decision
    from theodoi.periods import DateError

    if text is None or not text.strip():
        return None
    try:
        return parse_decision(text)
    except DateError:
        fail(TheodoiError(N_("--decision {value!r}: cannot read it; write the number and the "
                             "date, e.g. \"1520-QĐ/TU, 15/03/2025\""), value=text), 2)


def _run(data: Path, make_plan: Callable[[Registers, str], Plan], force: bool, dry_run: bool,
         commit: bool) -> None:
    """Plan and write under the lock, then report, check the data again and commit."""
    from theodoi.assignments_edit import change_assignments
    from theodoi.lookup import LookupFailed
    from theodoi.registers import ASSIGNMENTS_FILE, load_registers
    from theodoi.render.assignments import commit_message, plan_text, unified_diff
    from theodoi.render.problems import problem_line, validation_text
    from theodoi.textfile import display_path
    from theodoi.validation import validate

    path = data / ASSIGNMENTS_FILE
    if commit and not dry_run:
        _check_committable(data, path)
    try:
        plan, change = change_assignments(data, make_plan, force, dry_run)
    except LookupFailed as exc:
        fail(exc, 2)
    if plan.refusals:
        _refuse(plan.refusals, 2 if plan.usage_mistake else 1)
    if change is None:
        _refuse(plan.breaches, 1, hint=True)
    file = display_path(path)
    if not change.written:  # --dry-run
        before = load_registers(data).registers
        write_stdout(plan_text(plan, before, file, None, False, language())
                     + unified_diff(change.old_text, change.new_text, file))
        for problem in plan.breaches:
            print(_("would break: {problem}").format(problem=problem_line(problem)),
                  file=sys.stderr)
        raise typer.Exit(1 if plan.breaches and not force else 0)
    for problem in plan.breaches:
        print(_("written although: {problem}").format(problem=problem_line(problem)),
              file=sys.stderr)
    result = validate(data, plan.since, today())
    write_stdout(plan_text(plan, result.registers, file, result.registers, True, language()))
    write_stdout(validation_text(result, language()))
    if commit:
        _commit(data, path, commit_message(plan, result.registers, language()))


def _refuse(problems: list[Problem], exit_code: int, hint: bool = False) -> NoReturn:
    from theodoi.render.problems import problem_line

    print(_("theodoi: error: nothing was written, because:"), file=sys.stderr)
    for problem in problems:
        print(problem_line(problem), file=sys.stderr)
    if hint:
        print(_("To exchange two cadres' communes use 'theodoi swap'; to leave a commune "
                "vacant first use 'theodoi vacate'; to write the change anyway add --force."),
              file=sys.stderr)
    raise typer.Exit(exit_code)


def _check_committable(data: Path, path: Path) -> None:
    """--commit must commit this change alone: refuse before writing if the file
    already has changes of its own that are not committed."""
    from theodoi.git import repository_root, run_git
    from theodoi.textfile import display_path

    root = repository_root(data.resolve()) if data.is_dir() else None
    if root is None:
        fail(TheodoiError(N_("{folder} is not inside a git repository; run without --commit"),
                          folder=display_path(data)), 1)
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    status = run_git(["status", "--porcelain", "-z", "--", f":(literal){relative}"], root)
    if status.stdout.strip("\0\n "):
        fail(TheodoiError(N_("{file} has changes that are not committed yet; commit them first "
                             "or run without --commit"), file=display_path(path)), 1)


def _commit(data: Path, path: Path, message: str) -> None:
    from theodoi.git import commit_paths
    from theodoi.textfile import display_path

    try:
        commit_id = commit_paths([path], message, data)
    except TheodoiError as exc:
        fail(TheodoiError(N_("the change is written in {file} but was not committed: "
                             "{reason}"), file=display_path(path), reason=exc.message()), 1)
    print(_("Committed to git: {commit}").format(commit=commit_id[:12]))
