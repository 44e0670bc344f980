"""``theodoi commune list`` and ``theodoi cadre list``: the registers, searched.

Each commune with the cadre following it on a day (default today), each
cadre with the commune followed; ``--search`` folds names as ``visit add``
does.  A table for people, csv or json for scripts, an Excel workbook.
``cadre list`` lives on the ``cadre`` sub-app of
:mod:`theodoi.cli.assignments`, beside ``cadre add``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from theodoi.base.i18n import N_
from theodoi.cli.common import (
    DataOption,
    LangOption,
    LimitOption,
    OutputOption,
    SortOption,
    context,
    cut_of,
    date_option,
    typer_app,
    write_output,
)

if TYPE_CHECKING:
    from theodoi.base.context import Context
    from theodoi.base.model import Registers
    from theodoi.render.tables import Document

commune_app = typer_app("commune", N_("The communes of the data folder (communes.csv)."))

COMMUNE_KEYS = ("code", "name", "kind", "district_code", "district_name", "cadre_id",
                "cadre_name")
CADRE_KEYS = ("id", "name", "title", "agency", "phone", "email", "commune_code",
              "commune_name")


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


FormatOption = Annotated[ListFormat, typer.Option(
    "--format", metavar=N_("FORMAT"),
        help=N_("table for people, csv or json for scripts, xlsx for Excel (with "
                        "--output FILE)."))]
AsOfOption = Annotated[date | None, date_option(N_(
    "Show the assignments in force on this date (default: today)."))]


@commune_app.command("list", help=N_(
    "List the communes, each with the cadre following it; --search finds them by code or "
    "name as visit add does."))
def commune_list_command(
    search: Annotated[str | None, typer.Option(
        "--search", metavar=N_("TEXT"), show_default=False, help=N_(
            "Only the communes whose code starts with TEXT or whose name holds it, found as "
            "visit add finds them: no accents needed, TT/P./X. and H./TP abbreviations, a "
            "district after the name (\"dai sao, cho don\") or alone (all its communes)."))
    ] = None,
    as_of: AsOfOption = None,
    sort: SortOption = None,
    limit: LimitOption = None,
    output_format: FormatOption = ListFormat.table,
    output: OutputOption = None,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.cli.common import load
    from theodoi.cli.office_output import output_file
    from theodoi.registers.search import search_communes
    from theodoi.render.lists import commune_row, communes_document

    output_file(output_format, output)
    ctx = context(data)
    registers = load(ctx, visits=False).registers
    _write_list(ctx, search_communes(registers.communes, search), registers, as_of or ctx.today,
                search, lambda c, r, d: [commune_row(c, r, d)], COMMUNE_KEYS,
                communes_document, "communes", sort, limit, output_format, output)


def cadre_list_command(
    search: Annotated[str | None, typer.Option(
        "--search", metavar=N_("TEXT"), show_default=False, help=N_(
            "Only the cadres whose id starts with TEXT or whose name or agency holds it (no "
            "accents needed)."))] = None,
    as_of: AsOfOption = None,
    sort: SortOption = None,
    limit: LimitOption = None,
    output_format: FormatOption = ListFormat.table,
    output: OutputOption = None,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from functools import partial

    from theodoi.cli.common import load
    from theodoi.cli.office_output import output_file
    from theodoi.registers.search import search_cadres
    from theodoi.render.lists import cadre_rows, cadres_document

    output_file(output_format, output)
    ctx = context(data)
    registers = load(ctx, visits=False).registers
    # One row per commune followed in csv, json and the workbook (which imports
    # back as assignments); the names joined in one cell of the table.
    _write_list(ctx, search_cadres(registers.cadres, search), registers, as_of or ctx.today,
                search, cadre_rows, CADRE_KEYS,
                partial(cadres_document, per_assignment=output_format is ListFormat.xlsx),
                "cadres", sort, limit, output_format, output)


def _write_list(ctx: Context, found: list[Any], registers: Registers, day: date,
                search: str | None,
                rows_of: Callable[[Any, Registers, date], list[dict[str, Any]]],
                keys: tuple[str, ...], document_of: Callable[..., Document], sheet: str,
                sort: str | None, limit: int | None, output_format: ListFormat,
                output: Path | None) -> None:
    """One register's list, cut and written in the format asked for."""
    from theodoi.cli.office_output import show_document, write_xlsx
    from theodoi.render.lists import sheet_name
    from theodoi.render.tables import csv_text, json_text, records

    cut = cut_of(sort, limit)
    if not cut.is_whole:
        from theodoi.reports.cut import cut_objects

        # Sorted and cut by each one's first row.
        found = cut_objects(found, [rows_of(x, registers, day)[0] for x in found], keys, cut)
    rows = [row for x in found for row in rows_of(x, registers, day)]
    if output_format is ListFormat.csv:
        write_output(output, csv_text(rows, keys))
    elif output_format is ListFormat.json:
        write_output(output, json_text(records(rows, keys)))
    else:
        document = document_of(found, registers, day, ctx.language, search)
        if output_format is ListFormat.xlsx:
            write_xlsx(document, ctx, output, sheet=sheet_name(sheet, ctx.language))
        else:
            show_document(document, ctx, output)


def register_cadre_list(cadre_app: typer.Typer) -> None:
    """``cadre list`` on the ``cadre`` sub-app (called once, where it is made)."""
    cadre_app.command("list", help=N_(
        "List the cadres, each with the commune followed; --search finds them by id, name "
        "or agency."))(cadre_list_command)


def register(app: typer.Typer) -> None:
    app.add_typer(commune_app, name="commune")
