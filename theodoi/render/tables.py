"""Report documents, and the formats that need no terminal: csv, json, markdown.

A report is rendered in two ways.  For people it becomes a :class:`Document`
(headings, paragraphs, tables with translated headers and formatted cells),
which the console, markdown and HTML renderers draw.  For scripts its rows go
out as csv or json with snake_case English keys, ISO dates and plain numbers.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from theodoi.base.periods import format_date
from theodoi.base.textnorm import spreadsheet_text


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # already translated
    kind: str = "text"  # text, number, date, percent, list, ratio ("16/37": text, to the right)
    empty: str = ""  # shown for a missing value (e.g. "chưa có" for no visit yet)

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "percent", "ratio")


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    footer: dict[str, Any] | None = None  # a total row, drawn apart
    empty_note: str = ""  # said instead of an empty table


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str
    tone: str = ""  # "good" or "bad": coloured where colour is allowed


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # 0 to 100
    text: str  # the value as people read it ("85,2%")


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]


@dataclass(frozen=True)
class Dot:
    """A commune on the map: its point, its class (``ok``, ``due``, ``overdue``;
    ``never``: no visit on record) and the text shown on hover."""

    label: str
    latitude: float
    longitude: float
    tone: str
    never: bool
    hover: str


@dataclass(frozen=True)
class DotMap:
    """The province as one dot per commune (the HTML page draws it; text formats
    skip it, the overdue table carries the figures)."""

    title: str
    dots: list[Dot]
    legend: list[tuple[str, str, int]]  # (tone, text, count); tone "never" for the hollow
    notes: list[str] = field(default_factory=list)
    label: str = ""  # what the map shows, for screen readers
    north: str = "N"  # the north arrow's letter
    # The communes that need attention (overdue, never visited) are named
    # beside their dots; where a name has no room, a number, read in the key
    # that ``key_intro`` introduces ("Numbered on the map: {communes}.").
    key_intro: str = "{communes}"


@dataclass(frozen=True)
class Beside:
    """Blocks drawn side by side where there is room (HTML), else one after another."""

    blocks: list[Block]


Block = Heading | Paragraph | Table | Chart | DotMap | Beside


@dataclass(frozen=True)
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    # For the Word report: the data's fingerprint, one small last line and a
    # document property; and the office's own annex (the data check, the
    # audit trail), on a page of its own after the signature.
    fingerprint: str = ""
    annex: list[Block] = field(default_factory=list)

    def flat(self) -> list[Block]:
        """The blocks in reading order, side-by-side groups opened."""
        out: list[Block] = []
        for block in self.blocks:
            out.extend(block.blocks if isinstance(block, Beside) else [block])
        return out


# --- cells for people ----------------------------------------------------------------

def format_percent(value: float, language: str) -> str:
    """85,2% in Vietnamese (decimal comma), 85.2% in English."""
    text = f"{value:.1f}"
    return (text.replace(".", ",") if language == "vi" else text) + "%"


def _missing(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def cell_text(value: Any, column: Column, language: str) -> str:
    if _missing(value) or (column.kind == "list" and not value):
        return column.empty
    if column.kind == "date":
        return format_date(value, language)
    if column.kind == "percent":
        return format_percent(float(value), language)
    if column.kind == "number":
        return str(int(value))
    if column.kind == "list":
        return "; ".join(str(v) for v in value)
    return str(value)


def row_cells(table: Table, row: dict[str, Any], language: str) -> list[str]:
    return [cell_text(row.get(c.key), c, language) for c in table.columns]


# --- machine formats -------------------------------------------------------------------

def plain(value: Any) -> Any:
    """A JSON-ready value: ISO dates, Python numbers, None for missing."""
    if _missing(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, list | tuple):  # numpy scalars
        return plain(value.item())
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def records(rows: Iterable[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    return [{k: plain(row.get(k)) for k in keys} for row in rows]


def rows_of(frame: Any) -> list[dict[str, Any]]:
    """Rows of a pandas DataFrame as dicts keyed by column name."""
    rows: list[dict[str, Any]] = frame.to_dict("records")
    return rows


def frame_records(frame: Any, keys: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Rows of a pandas DataFrame as JSON-ready dicts."""
    columns = list(keys or frame.columns)
    return records(rows_of(frame), columns)


def json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def csv_text(rows: Iterable[dict[str, Any]], keys: Sequence[str]) -> str:
    """CSV with a header line; a missing value is an empty cell, a list is
    joined with ";", a date is ISO."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_csv_cell(plain(row.get(k))) for k in keys])
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return spreadsheet_text(";".join(str(v) for v in value))
    return spreadsheet_text(value) if isinstance(value, str) else str(value)



# --- markdown -------------------------------------------------------------------------

def document_markdown(document: Document, language: str) -> str:
    parts = [f"# {_md_text(document.title)}"]
    for block in document.flat():
        if isinstance(block, Heading):
            parts.append(f"{'#' * min(block.level, 6)} {_md_text(block.text)}")
        elif isinstance(block, Paragraph):
            parts.append(_md_text(block.text))
        elif isinstance(block, Table):
            parts.append(table_markdown(block, language))
    return "\n\n".join(parts) + "\n"


def table_markdown(table: Table, language: str) -> str:
    lines = [f"**{_md_text(table.title)}**", ""] if table.title else []
    if not table.rows and table.empty_note:
        return "\n".join([*lines, _md_text(table.empty_note)])
    lines.append("| " + " | ".join(_md_cell(c.header) for c in table.columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in table.columns) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_md_cell(t) for t in row_cells(table, row, language))
                     + " |")
    if table.footer:
        lines.append("| " + " | ".join(f"**{_md_cell(t)}**" if t else ""
                                       for t in row_cells(table, table.footer, language))
                     + " |")
    return "\n".join(lines)


def _md_cell(text: str) -> str:
    return _md_text(text).replace("|", "\\|").replace("\n", " ")


def _md_text(text: str) -> str:
    # Only what would change the meaning of a line: markup characters in data.
    for mark in ("\\", "*", "_", "`", "<", ">", "[", "]"):
        text = text.replace(mark, "\\" + mark)
    return text
