"""``theodoi review``: the six-month and yearly review of the follow-up, per cadre and more.

Thin: parse the options, load the registers, the visits (as corrected), the
follow-up of difficulties and proposals and the programme, call
:mod:`theodoi.followup.review`, render, exit (1 when the registers have errors and
the review may be wrong).  pandas is never imported.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from theodoi.base.i18n import N_
from theodoi.base.periods import Period
from theodoi.cli.common import (
    DataOption,
    LangOption,
    NoCacheOption,
    OutputOption,
    StrictOption,
    VerboseOption,
    context,
    date_option,
    period_option,
    print_problems,
    report_exit,
    write_output,
)

if TYPE_CHECKING:
    from pathlib import Path

    from theodoi.base.context import Context
    from theodoi.base.model import Registers
    from theodoi.followup.plans import Plan
    from theodoi.followup.proposals import FollowUp
    from theodoi.followup.review import VisitFact
    from theodoi.render.tables import Document


class ReviewFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    html = "html"
    xlsx = "xlsx"
    docx = "docx"


class ReviewGrouping(StrEnum):
    cadre = "cadre"
    commune = "commune"
    agency = "agency"
    district = "district"


PeriodOption = Annotated[Period, typer.Option(
    "--period", parser=period_option, metavar=N_("PERIOD"), show_default=False, help=N_(
        "The period reviewed: a year (2026), a half-year (2026-H1, 2026-H2) or a quarter "
        "(2026-Q3); counted up to today if it is not over."))]


def load_review_data(ctx: Context, day: date) -> tuple[Registers, list[VisitFact], FollowUp,
                                                      list[Plan], bool]:
    """Everything a review counts, and whether the registers have errors on ``day``
    (said on stderr)."""
    from theodoi.cli.common import load, note_data_errors
    from theodoi.followup.review import visit_facts
    from theodoi.registers.rules import report_problems

    workspace = load(ctx)
    registers, columns = workspace.registers, workspace.columns
    follow = workspace.follow_up()
    plans = workspace.plans()
    note_data_errors(sum(p.is_error for p in workspace.problems
                         if p not in workspace.loaded.problems))
    problems = report_problems(registers, day)
    print_problems(problems, ctx.verbose)
    broken = any(p.is_error for p in problems)
    return registers, visit_facts(columns), follow, plans.records, broken


def show(document: Document, output_format: str, ctx: Context, target: Path | None,
         registers: Registers, subject: str, as_of: date, sheet: str = "") -> None:
    """The document in a format for people: a file for Excel or Word, a page,
    markdown, or text (Rich in a terminal)."""
    from theodoi.cli.office_output import show_document, write_docx, write_xlsx

    if output_format == "xlsx":
        write_xlsx(document, ctx, target, as_of=as_of, sheet=sheet)
    elif output_format == "docx":
        write_docx(document, ctx, target, registers.settings.office, subject)
    elif output_format == "html":
        from theodoi.render.html import document_html

        write_output(target, document_html(document, ctx.language))
    elif output_format == "markdown":
        from theodoi.render.tables import document_markdown

        write_output(target, document_markdown(document, ctx.language))
    else:
        show_document(document, ctx, target)


def review_command(
    period: PeriodOption,
    by: Annotated[ReviewGrouping, typer.Option(
        "--by", metavar=N_("GROUPING"),
            help=N_("One row per cadre (the default), commune, agency or district."))
    ] = ReviewGrouping.cadre,
    as_of: Annotated[date | None, date_option(N_(
        "Count up to this date if the period is not over by then (default: today)."))] = None,
    output_format: Annotated[ReviewFormat, typer.Option(
        "--format", metavar=N_("FORMAT"),
            help=N_("table for people, csv or json for scripts, markdown, html (one "
                            "page with a chart), xlsx (Excel) or docx (a Word report laid out "
                            "as a Party document); xlsx and docx need --output FILE."))
    ] = ReviewFormat.table,
    output: OutputOption = None,
    no_cache: NoCacheOption = False,
    verbose: VerboseOption = False,
    strict: StrictOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    """The six-month or yearly review: per cadre, the communes followed, visits, quarters
    with visits against those expected, meetings attended, difficulties and proposals
    raised and resolved, the longest gap, plans made; the province's totals."""
    from theodoi.cli.office_output import output_file
    from theodoi.followup.review import review
    from theodoi.render import review as render

    output_file(output_format.value, output)
    ctx = context(data, verbose=verbose, use_cache=not no_cache)
    day = as_of or ctx.today
    registers, visits, follow, plans, broken = load_review_data(ctx, min(period.end, day))
    result = review(registers, visits, follow, plans, period, day, by.value)
    if output_format is ReviewFormat.csv:
        write_output(output, render.review_csv(result))
    elif output_format is ReviewFormat.json:
        write_output(output, render.review_json(result, ctx.language))
    else:
        from theodoi.cli.reports import unreliable

        word = output_format is ReviewFormat.docx
        document = unreliable(render.review_document(result, ctx.language, compact=word),
                              broken, ctx, committee=word)
        show(document, output_format.value, ctx, output, registers,
             render.review_subject(result, ctx.language), result.end,
             render.sheet_name(result, ctx.language))
    raise typer.Exit(report_exit(broken, strict))


def register(app: typer.Typer) -> None:
    app.command("review", help=N_(
        "The six-month or yearly review (sơ kết, tổng kết) of the follow-up of communes: "
        "per cadre, commune, agency or district, cadres below the expected rhythm first."))(
        review_command)

