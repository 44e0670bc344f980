"""``theodoi coverage``, ``theodoi overdue``, ``theodoi summary``: the reports.

Thin: parse the options, load, call :mod:`theodoi.reports`, render, exit.
pandas and the report modules are imported inside the commands, so that
``theodoi --help`` and ``theodoi validate`` never load them.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from theodoi.cli.common import DataOption, LangOption, date_option, today, write_stdout
from theodoi.i18n import N_, _, language
from theodoi.periods import Period, PeriodError, parse_date, parse_period, week_of

if TYPE_CHECKING:
    import pandas as pd

    from theodoi.model import Registers
    from theodoi.render.tables import Document
    from theodoi.validation import ValidationResult
    from theodoi.visit_columns import VisitColumns


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class Grouping(StrEnum):
    district = "district"
    commune = "commune"
    cadre = "cadre"
    agency = "agency"


class SummaryFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"


def _period_option(value: str | None) -> Period | None:
    if value is None:
        return None
    try:
        return parse_period(value)
    except PeriodError as exc:
        raise typer.BadParameter(_(
            "{value!r} is not a period (use 2024, 2024-H2, 2024-Q3, 2024-09 or 2024-W37)"
        ).format(value=value)) from exc


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
        raise typer.BadParameter(_(
            "{value!r} is not a week (use 2024-W37, or a day of the week)").format(value=value))
    return period


FormatOption = Annotated[TableFormat, typer.Option(
    "--format", help=_("table for people (a terminal), csv or json for scripts, markdown."))]


def coverage_command(
    data: DataOption = Path("data"),
    period: Annotated[Period | None, typer.Option(
        "--period", parser=_period_option, metavar="PERIOD",
        help=_("2024, 2024-H2, 2024-Q3, 2024-09 or 2024-W37 (default: the current "
               "quarter)."))] = None,
    date_from: Annotated[date | None, date_option(
        _("First day of the period (with --to; default: the term's start)."), "--from")
    ] = None,
    date_to: Annotated[date | None, date_option(
        _("Last day of the period (default: today)."), "--to")] = None,
    by: Annotated[Grouping, typer.Option(
        "--by", help=_("Group by district, commune, cadre or agency."))] = Grouping.district,
    output_format: FormatOption = TableFormat.table,
    lang: LangOption = None,
) -> None:
    """How many communes the cadres have visited in a period, and which not."""
    from theodoi.periods import date_range, quarter_of
    from theodoi.reports import coverage

    day = today()
    if period is not None and (date_from or date_to):
        raise typer.BadParameter(_("give either --period or --from/--to, not both"))
    if date_from and date_to and date_to < date_from:
        raise typer.BadParameter(_("the period ends before it begins"))
    registers, columns = _load(data)
    if period is None and (date_from or date_to):
        start = date_from or registers.settings.term_start
        if start is None:
            raise typer.BadParameter(_("give --from too: the data has no term_start setting"))
        try:
            period = date_range(start, date_to or day)
        except PeriodError as exc:
            raise typer.BadParameter(_("the period ends before it begins")) from exc
    report = coverage(registers, _frame(columns), period or quarter_of(day), by.value, day)

    from theodoi.render import reports as render

    if output_format is TableFormat.csv:
        write_stdout(render.coverage_csv(report))
    elif output_format is TableFormat.json:
        write_stdout(render.coverage_json(report, language()))
    else:
        _show(render.coverage_document(report, language()), output_format)


def overdue_command(
    data: DataOption = Path("data"),
    days: Annotated[int | None, typer.Option(
        "--days", min=1, help=_("Days without a visit before a commune is overdue "
                                "(default: overdue_days in the settings, else 90)."))] = None,
    as_of: Annotated[date | None, date_option(
        _("Count up to this date (default: today); later visits are ignored."))] = None,
    output_format: FormatOption = TableFormat.table,
    fail_if_overdue: Annotated[bool, typer.Option(
        "--fail-if-overdue", help=_("Exit 1 if any commune is overdue (for cron and CI)."))
    ] = False,
    lang: LangOption = None,
) -> None:
    """Communes left without a visit for too long, most overdue first."""
    from theodoi.reports import overdue

    registers, columns = _load(data)
    report = overdue(registers, _frame(columns), as_of or today(),
                     days or registers.settings.overdue_days)

    from theodoi.render import reports as render

    if output_format is TableFormat.csv:
        write_stdout(render.overdue_csv(report))
    elif output_format is TableFormat.json:
        write_stdout(render.overdue_json(report))
    else:
        _show(render.overdue_document(report, language()), output_format)
    raise typer.Exit(1 if fail_if_overdue and len(report.rows) else 0)


def summary_command(
    data: DataOption = Path("data"),
    week: Annotated[Period | None, typer.Option(
        "--week", parser=_week_option, metavar="WEEK",
        help=_("ISO week such as 2024-W37, or a day of it (default: the last complete "
               "week before today)."))] = None,
    output_format: Annotated[SummaryFormat, typer.Option(
        "--format", help=_("text, markdown, html (one self-contained page) or json."))
    ] = SummaryFormat.text,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE",
        help=_("Write to FILE (replaced all at once) instead of standard output."))] = None,
    lang: LangOption = None,
) -> None:
    """The weekly digest: visits, difficulties and proposals, late records,
    assignment changes, the quarter's coverage, overdue communes, data check."""
    from theodoi.periods import last_complete_week

    day = today()
    week = week or last_complete_week(day)
    with _BackgroundValidation(data, week.end, day) as validation:
        from theodoi.reports import weekly_summary
        from theodoi.visit_columns import visits_in_files

        registers, columns = _load(data)
        details = visits_in_files(columns, _detail_files(columns, week))
        summary = weekly_summary(registers, _frame(columns, with_ids=True), details, week,
                                 registers.settings.overdue_days)
        check = validation.result()

    from theodoi.render import reports as render

    lang_code = language()
    if output_format is SummaryFormat.json:
        text = render.summary_json(summary, check, lang_code)
    elif output_format is SummaryFormat.html:
        from theodoi.render.html import document_html

        text = document_html(render.summary_document(summary, check, lang_code, day), lang_code)
    elif output_format is SummaryFormat.markdown:
        from theodoi.render.tables import document_markdown

        text = document_markdown(render.summary_document(summary, check, lang_code, day),
                                 lang_code)
    else:
        document = render.summary_document(summary, check, lang_code, day)
        if output is None:
            _show(document, TableFormat.table)
            return
        text = _plain_text(document)
    if output is None:
        write_stdout(text)
    else:
        _write_file(output, text)


class _BackgroundValidation:
    """``validate`` as of the week's end, run in a forked worker while the
    summary is computed: it reads every visit again with the full reader,
    which on a second core costs no waiting.  Where fork is missing, or the
    worker fails, it runs here, so that an error reads as it always does."""

    def __init__(self, data: Path, as_of: date, day: date):
        self.arguments = (data, as_of, day)
        self.executor: Any = None
        self.pending: Any = None

    def __enter__(self) -> _BackgroundValidation:
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            from theodoi.validation import validate

            # Forked before pandas is imported: the child inherits no threads.
            self.executor = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("fork"))
            self.pending = self.executor.submit(validate, *self.arguments)
        return self

    def result(self) -> ValidationResult:
        from theodoi.validation import validate

        if self.pending is not None:
            try:
                result: ValidationResult = self.pending.result()
                return result
            except Exception:  # a broken worker, or an error best raised here
                self.pending = None
        return validate(*self.arguments)

    def __exit__(self, *exc_info: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


def _detail_files(columns: VisitColumns, week: Period) -> set[int]:
    """The files holding a visit of the week (normally its seven day files)."""
    start, end = week.start.toordinal(), week.end.toordinal()
    return {index for day, index in zip(columns.day, columns.file, strict=True)
            if start <= day <= end}


def _load(data: Path) -> tuple[Registers, VisitColumns]:
    """The registers and the visit columns; stop if a register cannot be read."""
    from theodoi.problems import Severity
    from theodoi.registers import load_registers
    from theodoi.render.problems import problem_line
    from theodoi.visit_columns import load_visit_columns

    loaded = load_registers(data)
    if loaded.unreadable:
        for problem in loaded.problems:
            if problem.severity is Severity.ERROR:
                print(problem_line(problem), file=sys.stderr)
        raise typer.Exit(1)
    columns = load_visit_columns(data)
    errors = sum(p.severity is Severity.ERROR for p in [*loaded.problems, *columns.problems])
    if errors:
        print(_("theodoi: note: the data has {errors} error(s); the report counts what could "
                "be read. Run 'theodoi validate' to see them.").format(errors=errors),
              file=sys.stderr)
    return loaded.registers, columns


def _frame(columns: VisitColumns, with_ids: bool = False) -> pd.DataFrame:
    from theodoi.reports import visits_frame

    if with_ids:
        return visits_frame(columns.day, columns.cadre, columns.commune, columns.id,
                            columns.recorded_at)
    return visits_frame(columns.day, columns.cadre, columns.commune)


def _show(document: Document, output_format: TableFormat) -> None:
    if output_format is TableFormat.markdown:
        from theodoi.render.tables import document_markdown

        write_stdout(document_markdown(document, language()))
        return
    from theodoi.render.console import make_console, print_document

    print_document(document, make_console(sys.stdout), language())


def _plain_text(document: Document) -> str:
    import io

    from theodoi.render.console import make_console, print_document

    buffer = io.StringIO()
    print_document(document, make_console(buffer, plain=True), language())
    return buffer.getvalue()


def _write_file(path: Path, text: str) -> None:
    from theodoi.atomic import write_atomically
    from theodoi.problems import Location, TheodoiError
    from theodoi.textfile import display_path

    try:  # a cron job's first run may find no report folder yet
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TheodoiError(N_("cannot create the folder: {reason}"),
                           Location(display_path(path.parent)),
                           reason=exc.strerror or str(exc)) from exc
    write_atomically(path, text.encode("utf-8"))


def register(app: typer.Typer) -> None:
    app.command("coverage", help=_(
        "Coverage of a period: communes visited by district, commune, cadre or agency."))(
        coverage_command)
    app.command("overdue", help=_(
        "Communes with no visit for more than N days, most overdue first."))(overdue_command)
    app.command("summary", help=_(
        "Weekly summary for the Standing Committee, for people or for cron (text, markdown, "
        "html, json)."))(summary_command)
