"""``theodoi import visits`` and ``theodoi import assignments``: the office's
own tables (an Excel workbook or a CSV file) read into the data folder.

All or nothing: every row is planned and checked first (the checks of
``visit add``, or the planning of ``assign``), every problem is listed with
its sheet, row and column, and nothing is written unless there is none.
Exit codes: 0 imported (or shown, with --dry-run); 1 a row or the data has
a problem, or the disk or git refused; 2 a mistake on the command line (a
file that is no table, an unknown sheet, a bad --column).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from theodoi.base.i18n import N_, _, ngettext
from theodoi.base.periods import format_date
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

if TYPE_CHECKING:
    from theodoi.base.context import Context
    from theodoi.base.model import Registers
    from theodoi.base.problems import Problem
    from theodoi.cli.common import Writing
    from theodoi.registers.assignments_edit import DecisionRef
    from theodoi.registers.import_assignments import AssignmentImport
    from theodoi.store.importing import Header, Sheet

import_app = typer_app("import", N_(
    "Import a hand-kept visit log, or the annex of a decision, from an Excel workbook or a "
    "CSV file."))

FileArgument = Annotated[Path, typer.Argument(
    metavar=N_("FILE"), show_default=False,
    help=N_("An Excel workbook (.xlsx) or a CSV file (.csv, UTF-8, commas or semicolons)."))]
SheetOption = Annotated[list[str] | None, typer.Option(
    "--sheet", metavar=N_("NAME"), show_default=False,
    help=N_("The sheet to read (repeat for several; default: the first sheet with the "
            "columns needed)."))]
ColumnOption = Annotated[list[str] | None, typer.Option(
    "--column", metavar=N_("FIELD=HEADER"), show_default=False,
    help=N_("Read the column headed HEADER as FIELD, for a header theodoi does not know "
            "(repeat for several)."))]
DryRunOption = Annotated[bool, typer.Option(
    "--dry-run", help=N_("Show what would be recorded, and every problem, without writing."))]
CommitOption = Annotated[bool, typer.Option(
    "--commit", help=N_("Commit the files written to git, in one commit."))]


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")


@import_app.command("visits", help=N_(
    "Record the visits of a hand-kept log. Columns are found by their headers (Ngày, "
    "Xã/phường, Cán bộ, Hình thức, Ghi chú, Khó khăn, Kiến nghị, in Vietnamese or English); "
    "each row is checked as visit add checks it; with any error nothing is written. A visit "
    "already on record is skipped, so an import can be run again."))
def visits_command(
    file: FileArgument,
    sheets: SheetOption = None,
    columns: ColumnOption = None,
    dry_run: DryRunOption = False,
    allow_duplicate: Annotated[bool, typer.Option(
        "--allow-duplicate", help=N_("Record a visit even if the same cadre, commune and day "
                                    "is already on record with other content."))] = False,
    commit: CommitOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.cli.common import load
    from theodoi.render.imports import visit_import_text
    from theodoi.store.importing import column_options
    from theodoi.store.sheets import read_tables
    from theodoi.store.textfile import display_path
    from theodoi.visits.import_visits import (
        day_file_visits,
        find_sheets,
        plan_visit_import,
        record_visits,
        visit_fields,
    )

    ctx = context(data)
    forced = column_options(columns or [], visit_fields())
    load(ctx, visits=False)  # a register that cannot be read stops here, before the lock
    name = display_path(file)
    grids = read_tables(file, sheets or None)
    chosen, others = find_sheets(grids, name, forced, ctx.language, every=bool(sheets))
    _notes([(s.grid.name, s.header) for s in chosen], others)
    with writing(ctx, commit=commit, dry_run=dry_run) as change:
        registers = change.registers()  # as they are inside the lock
        plan = plan_visit_import(registers, chosen, ctx.today, ctx.recorded_at, ctx.language,
                                 lambda day: day_file_visits(ctx.data, day), allow_duplicate)
        if plan.problems:
            _refuse(plan.problems, ctx, flags_hint=True)
        if dry_run or not plan.new:
            write_stdout(visit_import_text(plan.new, plan.known, None, name, registers,
                                           ctx.language, nothing_new=not plan.new))
            return
        stored = record_visits(ctx.data, plan.new)
        change.commit_as(ngettext("Import {n} visit from {file}", "Import {n} visits from {file}",
                                  len(stored)).format(n=len(stored), file=file.name),
                         Msg(N_("the import")))
    write_stdout(visit_import_text(plan.new, plan.known, [s.visit.id for s in stored], name,
                                   registers, ctx.language))
    change.announce()


AssignmentsSinceOption = Annotated[date, date_option(N_(
    "First day of the assignments, 15/03/2025 or 2025-03-15; the assignments in force "
    "end the day before."), flag="--since")]
AssignmentsDecisionOption = Annotated[str, typer.Option(
    "--decision", metavar=N_("\"NUMBER, DATE\""), show_default=False, help=N_(
        "The decision the annex belongs to, e.g. \"1520-QĐ/TU, 15/03/2025\"; recorded "
        "on each assignment, and added to 'decisions' if it is not listed yet."))]
AssignmentsDryRunOption = Annotated[bool, typer.Option(
    "--dry-run", help=N_("Show the cadres found and the changes (as a diff) without "
                        "writing them."))]
AssignmentsYesOption = Annotated[bool, typer.Option(
    "--yes", help=N_("Write without asking first (in a terminal the changes are shown "
                    "and confirmed)."))]


@import_app.command("assignments", help=N_(
    "Assign the cadres of a decision's annex (STT, Họ và tên, Chức vụ, Cơ quan/đơn vị, "
    "Xã/phường/thị trấn được phân công) from a date: cadres are found in cadres.csv by name "
    "and agency, new ones added; each assignment is planned as assign plans it, and the "
    "decision is refused, with its rows, if it breaks the rules."))
def assignments_command(
    file: FileArgument,
    since: AssignmentsSinceOption,
    decision: AssignmentsDecisionOption,
    sheets: SheetOption = None,
    columns: ColumnOption = None,
    dry_run: AssignmentsDryRunOption = False,
    yes: AssignmentsYesOption = False,
    commit: CommitOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.registers.import_assignments import (
        assignment_fields,
        find_sheets,
        write_assignment_import,
    )
    from theodoi.registers.loader import ASSIGNMENTS_FILE
    from theodoi.render.assignments import plan_text, unified_diff
    from theodoi.render.imports import assignment_import_text
    from theodoi.store.importing import column_options
    from theodoi.store.sheets import read_tables
    from theodoi.store.textfile import display_path

    ctx = context(data)
    ref = _decision_given(decision)
    forced = column_options(columns or [], assignment_fields())
    name = display_path(file)
    chosen, others = find_sheets(read_tables(file, sheets or None), name, forced, ctx.language,
                                 every=bool(sheets))
    _notes([(s.grid.name, s.header) for s in chosen], others)
    assignments_path = ctx.data / ASSIGNMENTS_FILE
    with writing(ctx, commit=commit, dry_run=dry_run) as writing_change:
        result, with_new = _planned_assignments(writing_change, ctx, chosen, since, ref)
        summary = assignment_import_text(result, with_new, since, False, ctx.language)
        if not result.changes_anything:
            write_stdout(summary + _("Nothing to change: every row of {file} is in force "
                                     "already.").format(file=name) + "\n")
            return
        changes = write_assignment_import(ctx.data, result, dry_run=True)
        if result.plan is None:
            raise RuntimeError("an import that changes something has a plan")
        if dry_run:
            write_stdout(summary + plan_text(result.plan, with_new, display_path(
                assignments_path), None, False, ctx.language)
                + "".join(unified_diff(c.old_text, c.new_text, display_path(c.path))
                          for c in changes))
            return
        _confirm(summary, yes)
        write_assignment_import(ctx.data, result, dry_run=False)
        writing_change.commit_as(_(
            "Assignments of decision {number} from {day}: {communes} communes, {cadres} "
            "new cadres").format(number=ref.number, day=format_date(since, ctx.language),
                                 communes=len(result.plan.additions),
                                 cadres=len(result.new_cadres)), Msg(N_("the import")))
    _show_imported(ctx, result, since)
    writing_change.announce()


def _decision_given(text: str) -> DecisionRef:
    from theodoi.base import checks
    from theodoi.base.periods import DateError
    from theodoi.registers.assignments_edit import parse_decision

    try:
        return parse_decision(text)
    except DateError:
        fail(TheodoiError(checks.DECISION_UNREADABLE, value=text))


def _show_imported(ctx: Context, result: AssignmentImport, since: date) -> None:
    """What was written, as the registers now read, then the data checked again."""
    from theodoi.registers.loader import ASSIGNMENTS_FILE
    from theodoi.render.assignments import plan_text
    from theodoi.render.imports import assignment_import_text
    from theodoi.render.problems import validation_text
    from theodoi.store.textfile import display_path
    from theodoi.workspace.validation import validate

    checked = validate(ctx.data, since, ctx.today, ctx.cache_dir)
    text = assignment_import_text(result, checked.registers, since, True, ctx.language)
    if result.plan is not None:
        text += plan_text(result.plan, checked.registers,
                          display_path(ctx.data / ASSIGNMENTS_FILE), checked.registers, True,
                          ctx.language)
    write_stdout(text + validation_text(checked, ctx.language, every=False))


def _planned_assignments(change: Writing, ctx: Context, chosen: list[Sheet], since: date,
                         ref: DecisionRef) -> tuple[AssignmentImport, Registers]:
    """The import planned on the registers as they are inside the lock (refused,
    with every problem, when a register cannot be read or a row breaks a rule),
    and the registers with the new cadres added, to name them."""
    import dataclasses

    from theodoi.registers.assignments_edit import TextFile, csv_header
    from theodoi.registers.import_assignments import plan_assignment_import
    from theodoi.registers.loader import ASSIGNMENTS_FILE, CADRES_FILE
    from theodoi.render.problems import problem_line
    from theodoi.store.textfile import display_path

    loaded = change.loaded_registers()
    if loaded.unreadable:
        _refuse([p for p in loaded.problems if p.is_error], ctx)
    registers = loaded.registers
    cadres_path = ctx.data / CADRES_FILE
    header = csv_header(TextFile.read(cadres_path, display_path(cadres_path)).text)
    result = plan_assignment_import(registers, chosen, since, ref, header,
                                    display_path(ctx.data / ASSIGNMENTS_FILE))
    for note in result.notes:
        print(problem_line(note, ctx.language), file=sys.stderr)
    if result.problems:
        _refuse(result.problems, ctx)
    return result, dataclasses.replace(registers, cadres={
        **registers.cadres, **{c.id: c for c in result.new_cadres}})


def _confirm(summary: str, yes: bool) -> None:
    """In a terminal, unless --yes: the summary, then "write these changes?"."""
    if sys.stdin.isatty() and not yes:
        print(summary, end="", file=sys.stderr)
        if not typer.confirm(_("Write these changes?"), default=False, err=True):
            print(_("Nothing was written."), file=sys.stderr)
            raise typer.Exit(1)


def _day_file(ctx: Context, day: date) -> Path:
    from theodoi.visits.records import visit_day_file

    return visit_day_file(ctx.data, day)


def _notes(read: list[tuple[str, Header]], others: list[str]) -> None:
    """What was not read: columns no field claims, other sheets that look alike."""
    for where, header in read:
        if header.unread:
            print(_("theodoi: note: {file}: columns not read: {columns}").format(
                file=where, columns=", ".join(repr(h) for h in header.unread)), file=sys.stderr)
    if others:
        print(_("theodoi: note: other sheets have these columns too and were not read: "
                "{sheets} (give --sheet for each sheet to read)").format(
            sheets=", ".join(repr(s) for s in others)), file=sys.stderr)


def _lifted_by_flags(problems: list[Problem]) -> bool:
    """Whether a flag of the import (--substitute..., --allow-duplicate) can lift a refusal."""
    from theodoi.base import checks

    lifted = {checks.CADRE_NOT_ASSIGNED_THERE, checks.COMMUNE_VACANT_ON_DAY,
              checks.BEFORE_ASSIGNMENT, checks.NO_ASSIGNMENT_ON_DAY,
              checks.SUBSTITUTE_WITHOUT_CADRE, checks.COMMUNE_ASSIGNMENTS_CONFLICT,
              checks.DUPLICATE_VISIT}
    return any(p.check in lifted for p in problems)


def _refuse(problems: list[Problem], ctx: Context, flags_hint: bool = False) -> NoReturn:
    """Every problem, by sheet, row and column, then why nothing was written."""
    from theodoi.base.problems import Problem
    from theodoi.render.problems import problem_line

    for item in sorted(problems, key=Problem.sort_key):
        print(problem_line(item, ctx.language), file=sys.stderr)
    errors = sum(p.is_error for p in problems)
    print(ngettext("theodoi: {n} error; nothing was written.",
                   "theodoi: {n} errors; nothing was written.", errors).format(n=errors),
          file=sys.stderr)
    if flags_hint and _lifted_by_flags(problems):
        print(_("In a file, --cadre is the cadre's column ('Cán bộ' or 'Mã cán bộ'), "
                "--substitute the column 'Đi thay (lý do)', and --allow-duplicate an option "
                "of theodoi import visits."), file=sys.stderr)
    raise typer.Exit(1)
