"""A report document as an Excel workbook, for people who work in Excel.

One sheet per table of the document.  Each sheet opens with the document's
title (which names the period or the as-of day), the section the table
belongs to and the notes said before it; then the table, its header row
bold and frozen, its total row bold.  Every value keeps its type, so that a
clerk can sort, filter and add up without retyping: codes stay text
("01834" keeps its zero), dates are dates shown dd/mm/yyyy (ISO in
English, as everywhere else in theodoi), a percentage is a number shown as
one (85.2 in the model is 0.852 in the cell), a list is one text joined
with "; ", a missing value is an empty cell.  No cell holds a formula, even
a text that begins with "=".  Notes that no table follows (the data check,
"made by theodoi on …") go on a last sheet, so nothing the document says is
lost; charts are left out, their bars being the table's own percentages.

pandas and xlsxwriter are imported only when a workbook is written, so that
``theodoi --help`` never loads them.  pandas' ExcelWriter owns the workbook
(engine, date formats, options); the cells are written one by one because a
column's kind in the document, not pandas' guess from the values, decides
whether "01834" is a code or a number.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from theodoi.base.i18n import N_, gettext_for
from theodoi.render.tables import (
    Block,
    Column,
    Document,
    Heading,
    Paragraph,
    Table,
    format_percent,
)

# The renderer's own words are msgids translated into its ``language``
# argument, like its dates, so that one process can write both languages.
_NOTES = N_("Remarks")  # not "Notes": a visit's notes are "Nội dung làm việc"
_TABLE = N_("Table {n}")
DATE_FORMATS = {"vi": "dd/mm/yyyy", "en": "yyyy-mm-dd"}
PERCENT_FORMAT = "0.0%"
NUMBER_FORMAT = "#,##0"

SHEET_NAME_LIMIT = 31
_FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
# Excel keeps this name for itself (the change history of a shared workbook).
_RESERVED_SHEET_NAMES = {"history"}

MAX_COLUMN_WIDTH = 60  # characters; longer text wraps inside its column
_WIDTH_MARGIN = 2


@dataclass(frozen=True)
class Line:
    """A line of a sheet's title area: ``style`` is title, heading, text,
    good, bad or empty (the note said instead of an empty table)."""

    text: str
    style: str = "text"


@dataclass
class Sheet:
    name: str
    lines: list[Line] = field(default_factory=list)
    table: Table | None = None


def _labels(language: str) -> dict[str, str]:
    _ = gettext_for(language)
    return {"notes": _(_NOTES), "table": _(_TABLE)}


def workbook_sheets(document: Document, language: str,
                    title_lines: Sequence[str] = (), sheet_name_hint: str = "") -> list[Sheet]:
    """The sheets of the workbook, in order, before anything is written.

    A table's sheet is named after the table's title, else the heading of
    its section, else ``sheet_name_hint`` (a short name for a document of one
    table, whose title is too long for a tab), else the document's title.
    Headings and paragraphs go into the title area of the next table's
    sheet; those after the last table go on a notes sheet.
    """
    labels = _labels(language)
    head = [Line(_nfc(document.title), "title"),
            *(Line(_nfc(text)) for text in title_lines if text)]
    sheets: list[Sheet] = []
    taken: set[str] = set()
    section: Heading | None = None
    pending: list[Block] = []
    for block in document.flat():
        if isinstance(block, Heading):
            section = block
            pending.append(block)
        elif isinstance(block, Paragraph):
            pending.append(block)
        elif isinstance(block, Table):
            lines = list(head)
            if section is not None and section not in pending:
                lines.append(Line(_nfc(section.text), "heading"))  # a second table under it
            lines.extend(_line(b) for b in pending)
            if block.title:
                lines.append(Line(_nfc(block.title), "heading"))
            if not block.rows and block.empty_note:
                lines.append(Line(_nfc(block.empty_note), "empty"))
            base = (block.title or (section.text if section else "") or sheet_name_hint
                    or document.title)
            fallback = labels["table"].format(n=len(sheets) + 1)
            sheets.append(Sheet(sheet_name(base, taken, fallback), lines, block))
            pending = []
        # A chart draws the percentages of the table beside it: nothing to add.
    if pending or not sheets:
        notes = labels["notes"]
        sheets.append(Sheet(sheet_name(notes, taken, notes),
                            [*head, *(_line(b) for b in pending)]))
    return sheets


def _line(block: Block) -> Line:
    if isinstance(block, Heading):
        return Line(_nfc(block.text), "heading")
    assert isinstance(block, Paragraph)
    return Line(_nfc(block.text), block.tone if block.tone in ("good", "bad") else "text")


def sheet_name(text: str, taken: set[str], fallback: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``,
    no apostrophe at either end, unique ignoring case (Excel's rule) among
    ``taken``, to which it is added.  Too long a name loses its parenthesised
    parts, then its last words; a name already taken gets " (2)", " (3)"…"""
    name = _nfc(text).replace("/", "-").replace("\\", "-")  # "Quý IV/2024" -> "Quý IV-2024"
    name = " ".join(_FORBIDDEN_IN_SHEET_NAMES.sub(" ", name).split())
    if len(name) > SHEET_NAME_LIMIT:
        name = " ".join(_PARENTHESES.sub("", name).split())
    name = _shorten(name, SHEET_NAME_LIMIT) or _shorten(fallback, SHEET_NAME_LIMIT)
    candidate, number = name, 2
    while candidate.casefold() in taken or candidate.casefold() in _RESERVED_SHEET_NAMES:
        suffix = f" ({number})"
        candidate = _shorten(name, SHEET_NAME_LIMIT - len(suffix)) + suffix
        number += 1
    taken.add(candidate.casefold())
    return candidate


def _shorten(text: str, limit: int) -> str:
    if len(text) > limit:
        space = text.rfind(" ", 0, limit + 1)
        text = text[:space] if space > 0 else text[:limit]
    return text.strip(" '-,;.:–")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- cells -------------------------------------------------------------------------------

def _missing(value: Any) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ == "NaTType"  # pandas' missing date


def cell_value(value: Any, column: Column) -> Any:
    """The value a cell holds: text, a number, a date, or None for an empty cell."""
    if _missing(value):
        return None
    if column.kind == "list":
        items = [str(v) for v in value if not _missing(v)] \
            if isinstance(value, list | tuple) else [str(value)]
        return _nfc("; ".join(items)) if items else None
    if column.kind in ("number", "percent"):
        number = _as_number(value)
        if number is None:
            return _nfc(str(value))
        # 85.2 in the model is 85.2%, which a spreadsheet holds as 0.852; the
        # rounding keeps 0.852 from showing as 0.8520000000000001 in the formula bar.
        return round(number / 100, 12) if column.kind == "percent" else number
    if column.kind == "date":
        day = _as_date(value)
        return day if day is not None else _nfc(str(value))
    return _nfc(str(value))


def _as_number(value: Any) -> float | int | None:
    if hasattr(value, "item") and not isinstance(value, list | tuple):  # numpy scalars
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()  # also pandas' Timestamp
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def shown_width(value: Any, column: Column, language: str) -> int:
    """How many characters the cell shows, to fit its column to it."""
    if value is None:
        return 0
    if isinstance(value, str):
        return max(len(part) for part in value.split("\n"))
    if isinstance(value, date):
        return 10
    if column.kind == "percent":
        return len(format_percent(float(value) * 100, language))
    if isinstance(value, float) and not value.is_integer():
        return len(f"{value:,}")
    return len(f"{int(value):,}")


# --- the workbook ------------------------------------------------------------------------

def document_xlsx(document: Document, language: str, *,
                  title_lines: Sequence[str] = (), sheet_name_hint: str = "") -> bytes:
    """The workbook of ``document`` as the bytes of an .xlsx file.

    ``title_lines`` are written under the document's title on every sheet
    (the office's name, say, or the day the figures were taken);
    ``sheet_name_hint`` names the sheet of a table that has no title and no
    section of its own (see :func:`workbook_sheets`).
    """
    import pandas as pd

    buffer = io.BytesIO()
    date_format = DATE_FORMATS.get(language, DATE_FORMATS["en"])
    options = {"strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", date_format=date_format,
                        datetime_format=date_format,
                        engine_kwargs={"options": options}) as writer:
        book = writer.book
        book.set_properties({"title": _nfc(document.title)})
        styles = _Styles(book, date_format)
        for sheet in workbook_sheets(document, language, title_lines, sheet_name_hint):
            _write_sheet(book.add_worksheet(sheet.name), sheet, styles, language)
    return buffer.getvalue()


class _Styles:
    """The formats of the workbook, made once (xlsxwriter keeps each one)."""

    def __init__(self, book: Any, date_format: str) -> None:
        self.book = book
        self.lines = {
            "title": book.add_format({"bold": True, "font_size": 14}),
            "heading": book.add_format({"bold": True, "font_size": 12}),
            "text": book.add_format({}),
            "good": book.add_format({"font_color": "#1a7f37"}),
            "bad": book.add_format({"font_color": "#b3261e", "bold": True}),
            "empty": book.add_format({"italic": True, "font_color": "#57606a"}),
        }
        self.header = book.add_format({"bold": True, "border": 1, "bg_color": "#f2f2f2",
                                       "text_wrap": True, "valign": "top"})
        self._cells: dict[tuple[str, bool, bool], Any] = {}
        self.date_format = date_format

    def cell(self, kind: str, bold: bool, wrap: bool) -> Any:
        key = (kind, bold, wrap)
        if key not in self._cells:
            properties: dict[str, Any] = {"border": 1, "valign": "top"}
            if kind == "date":
                properties["num_format"] = self.date_format
            elif kind == "percent":
                properties["num_format"] = PERCENT_FORMAT
            elif kind == "number":
                properties["num_format"] = NUMBER_FORMAT
            else:
                properties["num_format"] = "@"  # text: Excel keeps what is typed over it as text
            if bold:
                properties["bold"] = True
            if wrap:
                properties["text_wrap"] = True
            self._cells[key] = self.book.add_format(properties)
        return self._cells[key]


def _write_sheet(worksheet: Any, sheet: Sheet, styles: _Styles, language: str) -> None:
    for row, line in enumerate(sheet.lines):
        worksheet.write_string(row, 0, line.text, styles.lines[line.style])
    table = sheet.table
    if table is None:
        worksheet.set_column(0, 0, MAX_COLUMN_WIDTH)
        return
    top = len(sheet.lines) + 1  # a blank row between the title area and the table
    columns = table.columns
    body = [[cell_value(row.get(c.key), c) for c in columns] for row in table.rows]
    footer = [cell_value(table.footer.get(c.key), c) for c in columns] if table.footer else None
    widths = []
    for i, column in enumerate(columns):
        values = [r[i] for r in body] + ([footer[i]] if footer else [])
        longest = max([len(column.header), *(shown_width(v, column, language)
                                             for v in values)])
        widths.append(min(longest + _WIDTH_MARGIN, MAX_COLUMN_WIDTH))
    # Long text wraps; so does a cell of several lines (the difficulties of a
    # visit, one a line), which Excel otherwise shows run together.
    wraps = [w >= MAX_COLUMN_WIDTH or any(isinstance(r[i], str) and "\n" in r[i] for r in body)
             for i, w in enumerate(widths)]

    for i, column in enumerate(columns):
        worksheet.write_string(top, i, _nfc(column.header), styles.header)
        worksheet.set_column(i, i, widths[i])
    for offset, values in enumerate(body, start=1):
        _write_row(worksheet, top + offset, values, columns, styles, wraps, bold=False)
    last = top + len(body)
    if footer is not None:
        _write_row(worksheet, last + 1, footer, columns, styles, wraps, bold=True)
    worksheet.freeze_panes(top + 1, 0)
    if body:
        worksheet.autofilter(top, 0, last, len(columns) - 1)  # the total row stays put
    worksheet.set_paper(9)  # A4
    worksheet.fit_to_pages(1, 0)  # as wide as one page, as long as it takes
    worksheet.repeat_rows(top)


def _write_row(worksheet: Any, row: int, values: list[Any], columns: Sequence[Column],
               styles: _Styles, wraps: list[bool], *, bold: bool) -> None:
    for i, (value, column) in enumerate(zip(values, columns, strict=True)):
        kind = column.kind if column.kind in ("date", "number", "percent") else "text"
        if isinstance(value, str):
            kind = "text"  # a value of the wrong kind is shown as it is, never guessed
        style = styles.cell(kind, bold, wraps[i])
        if value is None:
            worksheet.write_blank(row, i, None, style)
        elif isinstance(value, date):
            worksheet.write_datetime(row, i, datetime(value.year, value.month, value.day),
                                     style)
        elif isinstance(value, str):
            worksheet.write_string(row, i, value, style)
        else:
            worksheet.write_number(row, i, value, style)
