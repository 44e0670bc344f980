"""``theodoi coverage``, ``theodoi overdue``, ``theodoi summary``: the reports.

Thin: parse the options, load, call :mod:`theodoi.reports.figures`, render, exit.
pandas and the report modules are imported inside the commands, so that
``theodoi --help`` and ``theodoi validate`` never load them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from theodoi.base.i18n import N_, _, ngettext
from theodoi.base.periods import (
    Period,
    PeriodError,
    format_date,
    parse_date,
    parse_period,
    week_of,
)
from theodoi.cli.common import (
    DataOption,
    LangOption,
    LimitOption,
    NoCacheOption,
    OutputOption,
    SortOption,
    StrictOption,
    VerboseOption,
    Visited,
    context,
    cut_of,
    date_option,
    period_option,
    print_problems,
    report_exit,
    write_output,
    write_stdout,
)
from theodoi.cli.office_output import output_file, write_docx, write_xlsx
from theodoi.cli.usage_errors import OptionValueError

if TYPE_CHECKING:
    import pandas as pd

    from theodoi.audit.trail import Trail
    from theodoi.base.context import Context
    from theodoi.base.model import Registers
    from theodoi.base.office import OfficeSettings
    from theodoi.base.problems import Msg
    from theodoi.followup.proposals import OpenItems
    from theodoi.render.tables import Document
    from theodoi.reports.cut import Cut
    from theodoi.reports.figures import Coverage, Overdue, WeeklySummary
    from theodoi.store.git import Git
    from theodoi.visits.columns import VisitColumns
    from theodoi.visits.corrections import Corrections
    from theodoi.workspace.loader import Workspace
    from theodoi.workspace.validation import ValidationResult


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


class Grouping(StrEnum):
    district = "district"
    group = "group"
    commune = "commune"
    cadre = "cadre"
    agency = "agency"


class CoverageOnly(StrEnum):
    visited = "visited"
    unvisited = "unvisited"
    overdue = "overdue"


class SummaryFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"
    xlsx = "xlsx"
    docx = "docx"


def _week_option(value: str | None) -> Period | None:
    """An ISO week (2024-W37), or any day of it (2024-09-11, 11/09/2024)."""
    if value is None:
        return None
    try:
        period = parse_period(value)
    except PeriodError:
        try:
            return week_of(parse_date(value))
        except ValueError:
            period = None
    if period is None or period.kind != "week":
        raise OptionValueError(_(
            "{value!r} is not a week (use 2024-W37, or a day of the week)").format(value=value))
    return period


FormatOption = Annotated[TableFormat, typer.Option(
    "--format", metavar=N_("FORMAT"),
        help=N_("table for people (a terminal), csv or json for scripts, markdown, "
                        "or xlsx, an Excel workbook (with --output FILE)."))]


CoveragePeriodOption = Annotated[Period | None, typer.Option(
    "--period", parser=period_option, metavar=N_("PERIOD"),
    help=N_("2024, 2024-H2, 2024-Q3, 2024-09 or 2024-W37 (default: the current "
            "quarter)."))]
CoverageDateFromOption = Annotated[date | None, date_option(
    N_("First day of the period (with --to; default: the term's start)."), "--from")
]
CoverageDateToOption = Annotated[date | None, date_option(
    N_("Last day of the period (default: today)."), "--to")]
CoverageByOption = Annotated[Grouping, typer.Option(
    "--by", metavar=N_("GROUPING"),
        help=N_("Group by district (by the 'group' column, or the province, where "
                    "communes have no district), group, commune, cadre or agency."))
]
CoverageOnlyOption = Annotated[CoverageOnly | None, typer.Option(
    "--only", show_default=False, help=N_(
        "Only the rows with visits in the period (visited) or without any "
        "(unvisited): --by commune --only unvisited lists the communes left alone; "
        "with --by commune or --by cadre, overdue keeps the communes overdue at the "
        "period's end (as 'theodoi overdue' counts) or the cadres following one."))
]


def coverage_command(
    period: CoveragePeriodOption = None,
    date_from: CoverageDateFromOption = None,
    date_to: CoverageDateToOption = None,
    by: CoverageByOption = Grouping.district,
    only: CoverageOnlyOption = None,
    sort: SortOption = None,
    limit: LimitOption = None,
    output_format: FormatOption = TableFormat.table,
    output: OutputOption = None,
    strict: StrictOption = False,
    no_cache: NoCacheOption = False,
    verbose: VerboseOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    """How many communes the cadres have visited in a period, and which not."""
    from theodoi.reports.figures import coverage

    output_file(output_format, output)
    ctx = context(data, verbose=verbose, use_cache=not no_cache)
    if period is not None and (date_from or date_to):
        raise OptionValueError(_("give either --period or --from/--to, not both"))
    if date_from and date_to and date_to < date_from:
        raise OptionValueError(_("the period ends before it begins"))
    if only is CoverageOnly.overdue and by not in (Grouping.commune, Grouping.cadre):
        raise OptionValueError(_("--only overdue needs --by commune or --by cadre"))
    workspace = _load(ctx)
    registers, columns = workspace.registers, workspace.columns
    if by is Grouping.group and not any(unit.group for unit in registers.units):
        from theodoi.base import checks
        from theodoi.base.problems import TheodoiError
        from theodoi.cli.common import fail

        fail(TheodoiError(checks.NO_GROUP_COLUMN))
    period = _coverage_period(period, date_from, date_to, registers, ctx.today)
    broken = registers_broken(ctx, registers, min(period.end, ctx.today))
    visits = visits_frame(columns)
    report = coverage(registers, visits, period, by.value, ctx.today)
    if only is CoverageOnly.overdue:
        keep = _overdue_rows(registers, visits, min(period.end, ctx.today), by)
    else:
        def keep(rows: pd.DataFrame) -> pd.Series:
            return rows["visits"] > 0 if only is CoverageOnly.visited else rows["visits"] == 0
    report = cut_report(report, cut_of(sort, limit, only), keep)

    from theodoi.render import reports as render

    if output_format is TableFormat.csv:
        _notes_to_stderr(report.notes, ctx)
        write_output(output, render.coverage_csv(report))
    elif output_format is TableFormat.json:
        write_output(output, render.coverage_json(report, ctx.language))
    else:
        _show(unreliable(render.coverage_document(report, ctx.language), broken, ctx),
              output_format, ctx, output, as_of=ctx.today, sheet=f"coverage-{report.by}")
    raise typer.Exit(report_exit(broken, strict))


def _coverage_period(period: Period | None, date_from: date | None, date_to: date | None,
                     registers: Registers, today: date) -> Period:
    """--period, else --from/--to (from the term's start when --from is left
    out), else the quarter of today."""
    from theodoi.base.periods import date_range, quarter_of

    if period is not None or not (date_from or date_to):
        return period or quarter_of(today)
    start = date_from or registers.settings.term_start
    if start is None:
        raise OptionValueError(_("give --from too: the data has no term_start setting"))
    try:
        return date_range(start, date_to or today)
    except PeriodError as exc:
        raise OptionValueError(_("the period ends before it begins")) from exc


def overdue_command(
    days: Annotated[int | None, typer.Option(
        "--days", min=0, max=36_600, metavar=N_("DAYS"), help=N_(
            "Days without a visit before a commune is overdue (default: overdue_days in the "
            "settings, else 90); 0 lists every commune not visited on the day, with its "
            "days since the last visit."))] = None,
    as_of: Annotated[date | None, date_option(
        N_("Count up to this date (default: today); later visits are ignored."))] = None,
    only: Annotated[Visited | None, typer.Option(
        "--only", show_default=False, help=N_(
            "Only the communes never visited in the days counted (unvisited) or those "
            "visited at least once (visited)."))] = None,
    sort: SortOption = None,
    limit: LimitOption = None,
    output_format: FormatOption = TableFormat.table,
    output: OutputOption = None,
    fail_if_overdue: Annotated[bool, typer.Option(
        "--fail-if-overdue", help=N_("Exit 1 if any commune is overdue (for cron and CI)."))
    ] = False,
    strict: StrictOption = False,
    no_cache: NoCacheOption = False,
    verbose: VerboseOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    """Communes left without a visit for too long, most overdue first."""
    from theodoi.reports.figures import overdue

    output_file(output_format, output)
    ctx = context(data, verbose=verbose, use_cache=not no_cache)
    workspace = _load(ctx)
    registers, columns = workspace.registers, workspace.columns
    day = as_of or ctx.today
    broken = registers_broken(ctx, registers, day)
    report = overdue(registers, visits_frame(columns), day,
                     registers.settings.overdue_days if days is None else days)
    # --fail-if-overdue is about the province, not about the rows a cut shows.
    any_overdue = len(report.rows) > 0
    report = cut_report(report, cut_of(sort, limit, only), lambda rows: (
        rows["last_visit"].notna() if only is Visited.visited else rows["last_visit"].isna()))

    from theodoi.render import reports as render

    if output_format is TableFormat.csv:
        _notes_to_stderr(report.notes, ctx)
        write_output(output, render.overdue_csv(report))
    elif output_format is TableFormat.json:
        write_output(output, render.overdue_json(report, ctx.language))
    else:
        # The title names the as-of day already.
        _show(unreliable(render.overdue_document(report, ctx.language), broken, ctx),
              output_format, ctx, output, sheet="overdue")
    raise typer.Exit(report_exit(broken, strict, fail_if_overdue and any_overdue))


SummaryWeekOption = Annotated[Period | None, typer.Option(
    "--week", parser=_week_option, metavar=N_("WEEK"),
    help=N_("ISO week such as 2024-W37, or a day of it (default: the last complete "
            "week before today)."))]
SummaryOutputFormatOption = Annotated[SummaryFormat, typer.Option(
    "--format", metavar=N_("FORMAT"),
        help=N_("text, markdown, html (one self-contained page), json, xlsx (an "
                        "Excel workbook, a sheet per table) or docx (a Word report laid "
                        "out as a Party document); xlsx and docx need --output FILE."))
]
SummaryFailIfOverdueOption = Annotated[bool, typer.Option(
    "--fail-if-overdue", help=N_("Exit 1 if any commune is overdue, or any difficulty or "
                                 "proposal has waited more than proposal_overdue_days "
                                 "(for cron and CI)."))]
SummaryCommitOption = Annotated[bool, typer.Option(
    "--commit", help=N_("Commit the file written with --output to the data folder's git "
                        "repository (it must lie inside it); a rerun that changes nothing "
                        "commits nothing."))]


SummaryTemplateOption = Annotated[Path | None, typer.Option(
    "--template", metavar=N_("FILE.docx"), show_default=False, help=N_(
        "With --format docx: write into the office's own Word document, filling its "
        "marked places for the number, the date, the subject and the body (see the "
        "README; default: settings.office.template)."))]
SummaryAnnexOption = Annotated[bool, typer.Option(
    "--annex", help=N_("With --format docx: add the data check and the audit trail on "
                       "an annex page for the office, after the signature."))]


@dataclass(frozen=True)
class SummaryOutput:
    """Where and how the summary goes."""

    format: SummaryFormat
    file: Path | None
    template: Path | None  # the office's own Word document (docx)
    annex: bool  # the office-only annex page (docx)
    office: OfficeSettings  # the letterhead (docx)


def summary_command(
    week: SummaryWeekOption = None,
    output_format: SummaryOutputFormatOption = SummaryFormat.text,
    output: OutputOption = None,
    fail_if_overdue: SummaryFailIfOverdueOption = False,
    commit: SummaryCommitOption = False,
    strict: StrictOption = False,
    template: SummaryTemplateOption = None,
    annex: SummaryAnnexOption = False,
    no_cache: NoCacheOption = False,
    verbose: VerboseOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    """The weekly digest: visits, difficulties and proposals, late records,
    assignment changes, the quarter's coverage, overdue communes, the
    proposals still waiting, data check.  ``{week}`` in --output is the
    week's name (2024-W37), so that cron needs no date arithmetic."""
    from theodoi.base.periods import last_complete_week

    output_file(output_format, output)
    ctx = context(data, verbose=verbose, use_cache=not no_cache)
    week = week or last_complete_week(ctx.today)
    if output is not None:
        output = Path(str(output).replace("{week}", f"{week.year}-W{week.number:02d}"))
    # For --commit, the repository and the identity are checked before any work.
    git = report_committer(ctx, output) if commit else None
    workspace = _load(ctx)
    broken = registers_broken(ctx, workspace.registers, week.end)
    weekly = _weekly(ctx, workspace, week, output_format is SummaryFormat.html)
    summary = weekly[0]
    # --fail-if-overdue: overdue communes, or proposals waiting too long.
    failing = fail_if_overdue and bool(len(summary.overdue.rows) or (
        summary.open_items is not None and summary.open_items.overdue_count))
    with committed_report(ctx, git, output, week):
        _write_summary(ctx, weekly, week, broken,
                       SummaryOutput(output_format, output, template, annex,
                                     workspace.registers.settings.office))
    raise typer.Exit(report_exit(broken, strict, failing))


def _weekly(ctx: Context, workspace: Workspace, week: Period, with_map: bool
            ) -> tuple[WeeklySummary, ValidationResult, Trail]:
    """The summary's figures, the data check and the audit trail of the week;
    the history is read once (the check looks at the columns already loaded)."""
    from theodoi.audit.trail import weekly_trail
    from theodoi.reports.figures import summary_of
    from theodoi.store.git import Git
    from theodoi.workspace.validation import validate

    registers, columns, corrections = workspace.registers, workspace.columns, workspace.corrections
    summary = summary_of(registers, columns, corrections, week,
                         registers.settings.overdue_days,
                         _open_items(ctx, registers, columns, corrections, week),
                         with_map=with_map)
    check = validate(ctx.data, week.end, ctx.today, ctx.cache_dir, workspace=workspace)
    trail = weekly_trail(ctx.data, Git(ctx.environ), week, corrections, len(columns))
    return summary, check, trail


def _write_summary(ctx: Context, weekly: tuple[WeeklySummary, ValidationResult, Trail],
                   week: Period, broken: bool, out: SummaryOutput) -> None:
    """The summary in the format asked for, to its file or to the terminal."""
    from theodoi.render import reports as render

    summary, check, trail = weekly
    language = ctx.language
    if out.format is SummaryFormat.docx:
        _write_summary_docx(ctx, weekly, week, broken, out)
        return
    if out.format is SummaryFormat.json:
        write_output(out.file, render.summary_json(summary, check, language, trail))
        return
    document = unreliable(render.summary_document(summary, check, language, ctx.today,
                                                  trail), broken, ctx)
    if out.format is SummaryFormat.xlsx:
        write_xlsx(document, ctx, out.file, as_of=week.end)
    elif out.format is SummaryFormat.html:
        from theodoi.render.html import document_html

        write_output(out.file, document_html(document, language))
    elif out.format is SummaryFormat.markdown:
        from theodoi.render.tables import document_markdown

        write_output(out.file, document_markdown(document, language))
    elif out.file is None:
        _show(document, TableFormat.table, ctx)
    else:
        write_output(out.file, _plain_text(document, ctx))


def _write_summary_docx(ctx: Context,
                        weekly: tuple[WeeklySummary, ValidationResult, Trail],
                        week: Period, broken: bool, out: SummaryOutput) -> None:
    """The Word report goes up to the Standing Committee: the data check is the
    office's own business, said on stderr instead (and on an annex page with
    --annex); the audit trail's fingerprint is theirs too, and stays."""
    from theodoi.render import reports as render
    from theodoi.render.lists import summary_subject

    summary, check, trail = weekly
    language = ctx.language
    write_docx(unreliable(render.summary_document(summary, check, language, ctx.today,
                                                  trail, with_check=False, annex=out.annex),
                          broken, ctx, committee=True),
               ctx, out.file, out.office, summary_subject(week, language), out.template)
    if not check.ok:
        print(_("theodoi: note: the data check as of {day} found {errors}, which the Word "
                "report does not show; run 'theodoi validate' to see them.")
              .format(day=format_date(week.end, language),
                      errors=ngettext("{n} error", "{n} errors",
                                      check.errors).format(n=check.errors)),
              file=sys.stderr)


def report_committer(ctx: Context, output: Path | None) -> Git:
    """--commit needs --output, a file inside the data folder's repository, and
    git's identity: all checked before anything is computed or written."""
    from theodoi.base import checks
    from theodoi.base.problems import TheodoiError
    from theodoi.cli.common import committer, fail, prepare_shared
    from theodoi.store.textfile import display_path

    if output is None:
        fail(TheodoiError(checks.COMMIT_NEEDS_OUTPUT))
    git = committer(ctx)
    prepare_shared(ctx)
    root = git.root(ctx.data.resolve())
    if root is None:
        fail(TheodoiError(checks.NOT_IN_GIT, folder=display_path(ctx.data)))
    try:
        output.resolve().relative_to(root.resolve())
    except ValueError:
        fail(TheodoiError(checks.OUTPUT_OUTSIDE_REPOSITORY, file=display_path(output),
                          root=str(root)))
    return git


@contextmanager
def committed_report(ctx: Context, git: Git | None, output: Path | None,
                     week: Period) -> Iterator[None]:
    """With --commit, the report is written and committed as one transaction
    (:func:`theodoi.cli.common.writing`); a rerun that changes nothing commits
    nothing.  A report kept outside the data folder (elsewhere in its
    repository) is written atomically and committed under the same lock."""
    if git is None or output is None:
        yield
        return
    from theodoi.base.problems import Msg
    from theodoi.cli.common import staged_outputs, writing
    from theodoi.store.textfile import display_path

    message = _("Weekly summary {week}").format(week=f"{week.year}-W{week.number:02d}")
    with writing(ctx, commit=True) as change:
        with staged_outputs(change, ctx.data):
            yield
        change.commit_as(message, Msg(N_("the report")))
        if not change.tx.paths:  # outside the data folder: written, committed here
            _commit_if_changed(ctx, git, output, message)
    if change.tx.paths and change.tx.applied.commit is None:
        print(_("Unchanged since the last commit: {file}; nothing to commit.").format(
            file=display_path(output)), file=sys.stderr)
    change.announce(note_on_stderr=True)


def _commit_if_changed(ctx: Context, git: Git, output: Path, message: str) -> None:
    from theodoi.base.problems import Msg
    from theodoi.cli.common import commit as commit_change
    from theodoi.store.textfile import display_path

    root = git.root(ctx.data.resolve())
    if root is None:
        return
    relative = output.resolve().relative_to(root.resolve()).as_posix()
    status = git.run(["status", "--porcelain", "-z", "--", f":(literal){relative}"], root)
    if not status.stdout.strip("\0\n "):
        print(_("Unchanged since the last commit: {file}; nothing to commit.").format(
            file=display_path(output)), file=sys.stderr)
    else:
        commit_change(ctx, git, [output], message, Msg(N_("the report")), note_on_stderr=True)


def _open_items(ctx: Context, registers: Registers, columns: VisitColumns,
                corrections: Corrections, week: Period) -> OpenItems:
    """The summary's section on the difficulties and proposals still waiting
    (theodoi.followup.proposals); the journal's own problems are validate's to report."""
    from theodoi.followup.proposals import open_items

    return open_items(ctx.data, columns, corrections, registers, week,
                      registers.settings.proposal_overdue_days)


ReportT = TypeVar("ReportT", "Coverage", "Overdue")


def cut_report(report: ReportT, cut: Cut, keep: Callable[[pd.DataFrame], pd.Series]
               ) -> ReportT:
    """The report with the rows --only, --sort and --limit keep, and a note
    saying how many of how many it shows; totals stay the province's."""
    if cut.is_whole:
        return report
    from dataclasses import replace

    from theodoi.reports.cut import cut_frame, shown_note

    rows = cut_frame(report.rows, cut, keep if cut.only else None)
    saying: Msg | None = shown_note(len(rows), len(report.rows), cut)
    return replace(report, rows=rows, notes=(*report.notes, *([saying] if saying else [])))


def _overdue_rows(registers: Registers, visits: pd.DataFrame, day: date, by: Grouping
                  ) -> Callable[[pd.DataFrame], pd.Series]:
    """coverage --only overdue: the communes that 'theodoi overdue' lists on
    ``day``, or (--by cadre) the cadres following one of them."""
    from theodoi.reports.figures import overdue

    listed = overdue(registers, visits, day, registers.settings.overdue_days).rows
    if by is Grouping.commune:
        codes = set(listed["commune_code"])
        return lambda rows: rows["commune_code"].isin(codes)
    cadres = {one for ids in listed["cadre_id"] if ids for one in str(ids).split("; ")}
    return lambda rows: rows["cadre_id"].isin(cadres)


def registers_broken(ctx: Context, registers: Registers, day: date) -> bool:
    """A report over registers with errors (a commune assigned twice...) would
    pick one answer silently: the problems go to stderr, the report is marked
    unreliable and exits 1.  Warnings (a vacancy) are shown and change nothing."""
    from theodoi.base.problems import has_errors
    from theodoi.registers.rules import report_problems

    problems = report_problems(registers, day)
    print_problems(problems, ctx.verbose)
    return has_errors(problems)


def unreliable(document: Document, broken: bool, ctx: Context, committee: bool = False
               ) -> Document:
    """The document, said first to be unreliable when the registers have errors
    (in the Committee's words, with no command, for a Word report)."""
    if not broken:
        return document
    import dataclasses

    from theodoi.render.tables import Paragraph

    if committee:
        warning = Paragraph(_("The lists of communes, cadres and assignments still have errors "
                              "that the office is correcting: the figures may be wrong where "
                              "they are."), "bad")
    else:
        warning = Paragraph(_("The registers have errors (listed on the error output; theodoi "
                              "validate shows them all): this report may be wrong where they "
                              "are."), "bad")
    return dataclasses.replace(document, blocks=[warning, *document.blocks])


def _notes_to_stderr(notes: tuple[Msg, ...], ctx: Context) -> None:
    """A csv file has no room for prose: what the reader must know goes to stderr."""
    for note in notes:
        print(_("theodoi: note: {text}").format(text=note.text(ctx.language)), file=sys.stderr)


def _load(ctx: Context) -> Workspace:
    """The workspace; a register that cannot be read stops the report, other
    errors are counted on stderr (a 'visits' file is an error, not no visits)."""
    from theodoi.cli.common import load, note_data_errors

    workspace = load(ctx)
    note_data_errors(workspace.errors)
    return workspace


def visits_frame(columns: VisitColumns, with_rows: bool = False) -> pd.DataFrame:
    from theodoi.reports.figures import visits_frame_of_columns

    return visits_frame_of_columns(columns, with_rows)


def _show(document: Document, output_format: TableFormat, ctx: Context,
          output: Path | None = None, as_of: date | None = None, sheet: str = "") -> None:
    """An Excel workbook (its title naming the day of the figures, ``as_of``;
    its sheet named after ``sheet``, a key of render.lists.SHEET_NAMES);
    markdown; plain text where no terminal is (a pipe, a file, cron), drawn
    without Rich; Rich's colours and boxes in a terminal."""
    if output_format is TableFormat.xlsx:
        from theodoi.render.lists import sheet_name

        write_xlsx(document, ctx, output, as_of, sheet_name(sheet, ctx.language))
        return
    if output_format is TableFormat.markdown:
        from theodoi.render.tables import document_markdown

        write_output(output, document_markdown(document, ctx.language))
        return
    if output is not None:
        write_output(output, _plain_text(document, ctx))
        return
    from theodoi.render.terminal import plain_output

    if plain_output(sys.stdout, ctx.environ):
        write_stdout(_plain_text(document, ctx))
        return
    from theodoi.render.console import make_console, print_document

    print_document(document, make_console(sys.stdout, ctx.environ, plain=False), ctx.language)


def _plain_text(document: Document, ctx: Context) -> str:
    from theodoi.render.plain import document_text
    from theodoi.render.terminal import plain_width

    return document_text(document, ctx.language, plain_width(ctx.environ))


def register(app: typer.Typer) -> None:
    app.command("coverage", help=N_(
        "Coverage of a period: communes visited by district, commune, cadre or agency."))(
        coverage_command)
    app.command("overdue", help=N_(
        "Communes with no visit for more than N days, most overdue first."))(overdue_command)
    app.command("summary", help=N_(
        "Weekly summary for the Standing Committee, for people or for cron (text, markdown, "
        "html, json), as an Excel workbook or as a Word report (xlsx, docx)."))(summary_command)
