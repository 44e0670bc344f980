"""Tables as the office keeps them: Excel workbooks (.xlsx) and CSV files.

A sheet is read into a :class:`Grid`: its cells' values (text, numbers,
dates and date-times, or None) row by row, each row with its number as
Excel shows it (for a CSV file, the line it starts on), so that every
problem names the sheet, the row and the column.  A merged range holds its
value in every cell it covers, as a person reading the sheet sees it.

CSV files are read as Excel saves them: UTF-8 with or without a byte-order
mark (another encoding is refused with the reason), CRLF or LF, the fields
separated by commas or by semicolons (a Vietnamese Windows saves them so),
found from the file itself.  openpyxl (MIT) reads workbooks; it is imported
only here, when a workbook is read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from theodoi.base import checks
from theodoi.base.i18n import N_
from theodoi.base.problems import Location, Msg, TheodoiError
from theodoi.store.textfile import decode, display_path, read_bytes

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx encrypted with a password
_DELIMITERS = (",", ";", "\t")
EXCEL_EPOCH = datetime(1899, 12, 30)


@dataclass
class Grid:
    """One sheet's cells; ``name`` is how problems name it ("nhat-ky.xlsx[Nhật ký]")."""

    name: str
    sheet: str | None
    rows: list[list[Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # the row (line) number of each row
    epoch: datetime = EXCEL_EPOCH  # day 0 of the workbook's serial numbers

    def location(self, index: int, column: int = 0) -> Location:
        """Where row ``index`` (0-based, in ``rows``) and ``column`` (0-based) are,
        with the cell's name as Excel shows it (``E6``)."""
        line = self.numbers[index]
        return Location(self.name, line, column + 1, f"{column_letter(column)}{line}")

    def cell(self, index: int, column: int) -> Any:
        row = self.rows[index]
        return row[column] if column < len(row) else None


def column_letter(column: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how Excel names a column."""
    letters = ""
    number = column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_tables(path: Path, sheets: list[str] | None = None) -> list[Grid]:
    """The sheets of a workbook (those named, else every one) or the one table of
    a CSV file; raises TheodoiError when the file cannot be read at all."""
    suffix = path.suffix.lower()
    raw = read_bytes(path)
    name = display_path(path)
    if raw.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise TheodoiError(checks.IMPORT_OLD_EXCEL, Location(name))
    if suffix in WORKBOOK_SUFFIXES:
        return _workbook(raw, name, sheets)
    if suffix in CSV_SUFFIXES:
        return [csv_grid(decode(raw, name), name)]
    raise TheodoiError(checks.IMPORT_FORMAT, Location(name), suffix=path.suffix or path.name)


def _workbook(raw: bytes, name: str, wanted: list[str] | None) -> list[Grid]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as exc:  # noqa: BLE001 - an untrusted file: zip, XML and openpyxl errors
        reason: Msg | str = str(exc) or type(exc).__name__
        if isinstance(exc, zipfile.BadZipFile):
            reason = Msg(N_("it is not in the .xlsx format, which is a zip archive"))
        raise TheodoiError(checks.IMPORT_UNREADABLE, Location(name), reason=reason) from exc
    names = list(book.sheetnames)
    if wanted:
        by_fold = {n.casefold().strip(): n for n in names}
        chosen = []
        for sheet in wanted:
            found = sheet if sheet in names else by_fold.get(sheet.casefold().strip())
            if found is None:
                raise TheodoiError(checks.IMPORT_NO_SUCH_SHEET, Location(name), sheet=sheet,
                                   sheets=", ".join(repr(n) for n in names))
            chosen.append(found)
        names = chosen
    epoch = getattr(book, "epoch", EXCEL_EPOCH)
    grids = []
    for sheet_name in names:
        sheet = book[sheet_name]
        if not hasattr(sheet, "iter_rows"):  # a chart sheet holds no cells
            continue
        rows = [list(values) for values in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            value = sheet.cell(merged.min_row, merged.min_col).value
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    if row - 1 < len(rows):
                        line = rows[row - 1]
                        line.extend([None] * (column - len(line)))
                        line[column - 1] = value
        numbers = list(range(1, len(rows) + 1))
        grids.append(Grid(f"{name}[{sheet_name}]", sheet_name, rows, numbers, epoch))
    return grids


def csv_grid(text: str, name: str) -> Grid:
    """A CSV text as a grid: the delimiter is the one that splits the most lines
    into several fields; empty fields are None, the rest text."""
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    grid = Grid(name, None)
    read = 0  # lines read so far: a record starts on the next one
    try:
        for record in reader:
            grid.rows.append([value if value.strip() else None for value in record])
            grid.numbers.append(read + 1)
            read = reader.line_num
    except csv.Error as exc:
        # An unclosed quotation mark runs to the end: it was opened on the next record.
        said = str(exc)
        reason: Msg | str = Msg(_UNCLOSED) if "end of data" in said or "field limit" in said \
            else said
        raise TheodoiError(checks.CSV_SYNTAX, Location(name, read + 1), reason=reason) from exc
    return grid


_UNCLOSED = N_("a quotation mark opened on this line is not closed where the field ends")


def _delimiter(text: str) -> str:
    sample = [line for line in text.split("\n")[:50] if line.strip()]

    def score(delimiter: str) -> tuple[int, int]:
        try:
            records = list(csv.reader(sample, delimiter=delimiter))
        except csv.Error:
            return (0, 0)
        split = [r for r in records if len(r) > 1]
        return (len(split), sum(len(r) for r in split))

    return max(_DELIMITERS, key=score)
