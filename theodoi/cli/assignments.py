"""``theodoi assign``, ``swap``, ``vacate`` and ``cadre add``: who follows which commune.

Parse the options, call :mod:`theodoi.registers.assignments_edit`, print what changed and
the check of the data that follows, exit: 0 written (or shown, with
--dry-run); 1 refused because of the data (the change would break the
one-to-one rule, the file cannot be edited safely, the commit failed); 2 a
mistake on the command line (unknown commune or cadre, unreadable date).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from theodoi.base import checks
from theodoi.base.i18n import N_, _
from theodoi.base.problems import Msg, TheodoiError
from theodoi.cli.common import (
    DataOption,
    LangOption,
    context,
    date_option,
    fail,
    typer_app,
    write_stdout,
    writing,
)
from theodoi.cli.registers_list import register_cadre_list
from theodoi.cli.scorecard import register_scorecard

if TYPE_CHECKING:
    from theodoi.base.context import Context
    from theodoi.base.model import Registers
    from theodoi.base.problems import Problem
    from theodoi.registers.assignments_edit import AssignmentEdit, DecisionRef

cadre_app = typer_app("cadre", N_("Manage the list of cadres (cadres.csv)."))

SinceOption = Annotated[date, date_option(N_(
    "First day of the new assignment, 15/03/2025 or 2025-03-15; the current one ends the "
    "day before."), flag="--since")]
DecisionOption = Annotated[str | None, typer.Option(
    "--decision", metavar=N_("\"NUMBER, DATE\""), show_default=False, help=N_(
        "The standing committee's decision, e.g. \"1520-QĐ/TU, 15/03/2025\"; recorded on the "
        "new entry, and added to 'decisions' if it is not listed yet."))]
ForceOption = Annotated[bool, typer.Option(
    "--force", help=N_("Write the change even if it breaks the one-to-one rule (two cadres on "
                      "one commune, a cadre on two communes, a commune without cadre)."))]
DryRunOption = Annotated[bool, typer.Option(
    "--dry-run", help=N_("Show the change (as a diff) without writing it; exit 1 if it "
                        "would be refused."))]
CommitOption = Annotated[bool, typer.Option(
    "--commit", help=N_("Commit the changed file to git with a message saying what changed."))]


def register(app: typer.Typer) -> None:
    app.command("assign", help=N_(
        "Assign a cadre to a commune from a date: the commune's current assignment ends the "
        "day before, and the history stays in assignments.yaml."))(assign_command)
    app.command("swap", help=N_(
        "Exchange the communes of two cadres from a date, in one change."))(swap_command)
    app.command("vacate", help=N_(
        "Record that a commune has no cadre from a date, while a replacement is pending "
        "(validate reports it as a warning)."))(vacate_command)
    app.add_typer(cadre_app, name="cadre")


def assign_command(
    commune: Annotated[str, typer.Option(
        "--commune", help=N_("Commune: GSO code or name, e.g. 02068 or \"Đại Sảo\"."),
        show_default=False)],
    cadre: Annotated[str, typer.Option(
        "--cadre", help=N_("The cadre who follows it from now on: id or name."),
        show_default=False)],
    since: SinceOption,
    decision: DecisionOption = None,
    replace: Annotated[str | None, typer.Option(
        "--replace", metavar=N_("CADRE"), show_default=False, help=N_(
            "Where a commune may have several cadres (cadres_per_commune), the cadre whose "
            "assignment ends the day before; the others stay."))] = None,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    commit: CommitOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.registers.assignments_edit import plan_assign
    from theodoi.registers.lookup import find_cadre, find_unit

    ref = _decision(decision)

    def make_plan(registers: Registers, file: str) -> AssignmentEdit:
        code = find_unit(registers, commune, since).code
        cadre_id = find_cadre(registers.cadres, cadre).id
        replaced = find_cadre(registers.cadres, replace).id if replace else ""
        return plan_assign(registers, code, cadre_id, since, ref, file, replaced)

    _run(context(data), make_plan, force, dry_run, commit)


def vacate_command(
    commune: Annotated[str, typer.Option(
        "--commune", help=N_("Commune: GSO code or name, e.g. 02068 or \"Đại Sảo\"."),
        show_default=False)],
    since: Annotated[date, date_option(N_(
        "First day without a cadre, 15/03/2025 or 2025-03-15; the current assignment ends "
        "the day before."), flag="--since")],
    decision: DecisionOption = None,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    commit: CommitOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.registers.assignments_edit import plan_assign
    from theodoi.registers.lookup import find_unit

    ref = _decision(decision)

    def make_plan(registers: Registers, file: str) -> AssignmentEdit:
        code = find_unit(registers, commune, since).code
        return plan_assign(registers, code, "", since, ref, file)

    _run(context(data), make_plan, force, dry_run, commit)


def swap_command(
    a: Annotated[str, typer.Argument(help=N_("A cadre: id or name."), show_default=False,
                                     metavar=N_("CADRE_A"))],
    b: Annotated[str, typer.Argument(help=N_("The other cadre: id or name."),
                                     show_default=False, metavar=N_("CADRE_B"))],
    since: SinceOption,
    decision: DecisionOption = None,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    commit: CommitOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.registers.assignments_edit import plan_swap
    from theodoi.registers.lookup import find_cadre

    ref = _decision(decision)

    def make_plan(registers: Registers, file: str) -> AssignmentEdit:
        cadre_a = find_cadre(registers.cadres, a).id
        cadre_b = find_cadre(registers.cadres, b).id
        return plan_swap(registers, cadre_a, cadre_b, since, ref, file)

    _run(context(data), make_plan, force, dry_run, commit)


@cadre_app.command("add", help=N_(
    "Add a cadre to cadres.csv (one line at the end). Refuses an id already used, and a "
    "name already listed unless --force."))
def cadre_add_command(
    cadre_id: Annotated[str, typer.Option("--id", metavar=N_("CADRE_ID"),
        help=N_("New cadre id, e.g. CB109."),
                                          show_default=False)],
    name: Annotated[str, typer.Option("--name", metavar=N_("FULL_NAME"),
        help=N_("Full name."), show_default=False)],
    title: Annotated[str, typer.Option(
        "--title", help=N_("Title, e.g. Giám đốc, Phó Trưởng ban."), show_default=False)],
    agency: Annotated[str, typer.Option(
        "--agency", help=N_("Agency, e.g. Sở Tài chính."), show_default=False)],
    phone: Annotated[str, typer.Option("--phone", metavar=N_("PHONE"), help=N_("Phone number."),
                                       show_default=False)] = "",
    email: Annotated[str, typer.Option("--email", metavar=N_("EMAIL"), help=N_("Email address."),
                                       show_default=False)] = "",
    force: Annotated[bool, typer.Option(
        "--force", help=N_("Add the cadre even if a cadre of the same name is listed (another "
                          "person with the same name)."))] = False,
    dry_run: DryRunOption = False,
    commit: CommitOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from dataclasses import replace

    from theodoi.base.problems import Severity, exit_code_for
    from theodoi.registers.assignments_edit import add_cadre, new_cadre
    from theodoi.registers.loader import CADRES_FILE, load_registers
    from theodoi.render.assignments import cadre_commit_message, cadre_text, unified_diff
    from theodoi.render.problems import problem_line
    from theodoi.store.textfile import display_path

    ctx = context(data)
    language = ctx.language
    cadre = new_cadre(cadre_id, name, title, agency, phone, email)
    path = ctx.data / CADRES_FILE
    with writing(ctx, commit=commit, dry_run=dry_run) as writing_change:
        refusals, clashes, change = add_cadre(ctx.data, cadre, force, dry_run)
        if refusals or change is None:
            _refuse(refusals or clashes, exit_code_for(refusals or clashes), ctx)
        for clash in clashes:  # forced: another person of the same name
            print(problem_line(replace(clash, severity=Severity.WARNING), language),
                  file=sys.stderr)
        file = display_path(path)
        if not change.written:
            write_stdout(cadre_text(cadre, file, 0, False, language)
                         + unified_diff(change.old_text, change.new_text, file))
            return
        writing_change.commit_as(cadre_commit_message(cadre, language), Msg(N_("the change")))
    reread = load_registers(ctx.data).registers.cadres.get(cadre.id)
    write_stdout(cadre_text(cadre, file, reread.location.line if reread else 0, True,
                            language))
    print(_("{id} is not assigned to any commune yet: use 'theodoi assign'.").format(
        id=cadre.id))
    writing_change.announce()


register_cadre_list(cadre_app)  # theodoi cadre list, beside cadre add
register_scorecard(cadre_app)  # theodoi cadre show: a cadre's scorecard (theodoi.cli.scorecard)


def _decision(text: str | None) -> DecisionRef | None:
    from theodoi.base.periods import DateError
    from theodoi.registers.assignments_edit import parse_decision

    if text is None or not text.strip():
        return None
    try:
        return parse_decision(text)
    except DateError:
        fail(TheodoiError(checks.DECISION_UNREADABLE, value=text))


def _run(ctx: Context, make_plan: Callable[[Registers, str], AssignmentEdit], force: bool,
         dry_run: bool, commit: bool) -> None:
    """Plan and write (and commit) in one transaction, then report and check the
    data again."""
    from theodoi.registers.assignments_edit import change_assignments
    from theodoi.registers.loader import ASSIGNMENTS_FILE
    from theodoi.render.assignments import commit_message, plan_text, unified_diff
    from theodoi.render.problems import problem_line, validation_text
    from theodoi.store.textfile import display_path
    from theodoi.workspace.validation import validate

    language = ctx.language
    path = ctx.data / ASSIGNMENTS_FILE
    with writing(ctx, commit=commit, dry_run=dry_run) as writing_change:
        before = writing_change.registers()
        plan, change = change_assignments(ctx.data, make_plan, force, dry_run)
        if plan.refusals:
            _refuse(plan.refusals, plan.exit_code, ctx)
        if change is None:
            _refuse(plan.breaches, 1, ctx, hint=True)
        file = display_path(path)
        if not change.written:  # --dry-run
            write_stdout(plan_text(plan, before, file, None, False, language)
                         + unified_diff(change.old_text, change.new_text, file))
            for problem in plan.breaches:
                print(_("would break: {problem}").format(
                    problem=problem_line(problem, language)), file=sys.stderr)
            raise typer.Exit(1 if plan.breaches and not force else 0)
        for problem in plan.breaches:
            print(_("written although: {problem}").format(
                problem=problem_line(problem, language)), file=sys.stderr)
        # Names only: the same before and after a change of assignments.  The commit
        # names the command and the decision (the audit reads them).
        decision = next((a.entry.decision for a in plan.additions if a.entry.decision), "")
        writing_change.commit_as(commit_message(plan, before, language), Msg(N_("the change")),
                                 decision=decision)
    result = validate(ctx.data, plan.since, ctx.today, ctx.cache_dir)
    write_stdout(plan_text(plan, result.registers, file, result.registers, True, language))
    write_stdout(validation_text(result, language, every=False))
    writing_change.announce()


def _refuse(problems: list[Problem], exit_code: int, ctx: Context, hint: bool = False
            ) -> NoReturn:
    """Nothing written: the rule broken and its usual fix first (``hint``), the
    problems, then the option to write it anyway."""
    from theodoi.registers.rules import breach_advice
    from theodoi.render.problems import problem_line

    print(_("theodoi: error: nothing was written, because:"), file=sys.stderr)
    for advice in breach_advice(problems) if hint else []:
        print(advice.text(ctx.language), file=sys.stderr)
    for problem in problems:
        print(problem_line(problem, ctx.language), file=sys.stderr)
    if hint:
        print(_("Otherwise: add --force to write the change anyway ('theodoi validate' will go "
                "on reporting it); --dry-run shows it without writing."), file=sys.stderr)
    raise typer.Exit(exit_code)


