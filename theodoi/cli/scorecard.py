"""``theodoi cadre show``: one cadre's scorecard, for the Standing Committee.

Registered under the ``cadre`` sub-app (:mod:`theodoi.cli.assignments`) by
:func:`register_scorecard`; the figures are those of ``theodoi review``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from theodoi.base.i18n import N_
from theodoi.base.periods import Period
from theodoi.cli.common import (
    DataOption,
    LangOption,
    NoCacheOption,
    OutputOption,
    StrictOption,
    context,
    date_option,
    period_option,
    report_exit,
    write_output,
)


class ScorecardFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"
    xlsx = "xlsx"
    docx = "docx"


def show_command(
    cadre: Annotated[str, typer.Argument(
        metavar=N_("CADRE"), show_default=False, help=N_("The cadre: id (CB073) or name."))],
    period: Annotated[Period | None, typer.Option(
        "--period", parser=period_option, metavar=N_("PERIOD"), show_default=False, help=N_(
            "The period of the figures: 2026, 2026-H1, 2026-Q3 (default: the current year, "
            "up to today)."))] = None,
    as_of: Annotated[date | None, date_option(N_(
        "Count up to this date if the period is not over by then (default: today)."))] = None,
    output_format: Annotated[ScorecardFormat, typer.Option(
        "--format", metavar=N_("FORMAT"),
            help=N_("text, markdown, html, json, xlsx or docx (a Word report); xlsx "
                            "and docx need --output FILE."))] = ScorecardFormat.text,
    output: OutputOption = None,
    no_cache: NoCacheOption = False,
    strict: StrictOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.base.periods import year_period
    from theodoi.cli.office_output import output_file
    from theodoi.cli.reports import unreliable
    from theodoi.cli.review import load_review_data, show
    from theodoi.followup.review import scorecard
    from theodoi.registers.lookup import find_cadre
    from theodoi.render import review as render

    output_file(output_format.value, output)
    ctx = context(data, use_cache=not no_cache)
    day = as_of or ctx.today
    chosen = period or year_period(day.year)
    registers, visits, follow, plans, broken = load_review_data(ctx, min(chosen.end, day))
    found = find_cadre(registers.cadres, cadre)
    card = scorecard(registers, found, visits, follow, plans, chosen, day)
    if output_format is ScorecardFormat.json:
        write_output(output, render.scorecard_json(card, ctx.language))
    else:
        word = output_format is ScorecardFormat.docx
        document = unreliable(render.scorecard_document(card, ctx.language, compact=word),
                              broken, ctx, committee=word)
        show(document, output_format.value, ctx, output, registers,
             render.scorecard_subject(card, ctx.language), card.review.end)
    raise typer.Exit(report_exit(broken, strict))


def register_scorecard(cadre_app: typer.Typer) -> None:
    cadre_app.command("show", help=N_(
        "A cadre's scorecard for a period: who they are, their assignments over time, the "
        "review figures, their visits, the difficulties and proposals raised and the planned "
        "visits; for the Standing Committee before it decides on a replacement."))(
        show_command)
