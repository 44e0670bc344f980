"""Reading the rows of a hand-kept table: its header row found, its columns
matched to fields by their headers, its cells turned into dates and text.

Headers are matched as a clerk writes them, in Vietnamese or English, case
and accents ignored ("Ngày", "NGÀY", "ngay"; "Xã/phường" and "Xa phuong"):
a header equal to one of a field's names first, else one that starts with
it ("Ngày đi cơ sở" is a date, "Xã được phân công theo dõi" a commune).  The
header row is found among the first rows (a title may sit above it), and a
blank header under a merged band is read from the row above.  ``--column
FIELD=HEADER`` names a column whose header theodoi does not know.

Dates may be Excel dates, Excel serial numbers (45550), or text written
15/09/2024 (also 15-09-2024, 15.09.2024, 2024-09-15 and "ngày 15 tháng 9
năm 2024"); a date is always read day first.  Pure: no files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from theodoi.base import checks
from theodoi.base.i18n import N_, gettext_for
from theodoi.base.periods import DateError, parse_date, read_typed_date
from theodoi.base.problems import Location, Msg, Problem, TheodoiError, problem
from theodoi.base.textnorm import control_character, fold, nfc, typed_text
from theodoi.store.sheets import Grid, column_letter

HEADER_SCAN_ROWS = 30  # a title, a subtitle and a two-row header fit well within it
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_LONG_DATE = re.compile(r"^(?:ngay\s+)?(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})$")
_BULLET = re.compile(r"^\s*(?:[-+•*–]|\d+[.)])\s+")
_LAST_SERIAL = 2958465  # 31/12/9999


# The headers of a visit listing, by the field theodoi import visits reads
# into (the visit id and the time of recording are read back only to keep
# the order of a day's visits; the id is never reused).
VISIT_HEADERS: dict[str, str] = {
    "date": N_("Date"),
    "commune_code": N_("Commune code"),
    "commune": N_("Commune"),
    "cadre_id": N_("Cadre id"),
    "cadre": N_("Cadre"),
    "kind": N_("Kind"),
    "notes": N_("Notes"),
    "difficulties": N_("Difficulties"),
    "proposals": N_("Proposals"),
    "substitute": N_("Substitute (reason)"),
    "recorded_at": N_("Recorded at"),
    "visit_id": N_("Visit id"),
}


# The headers of a cadre listing, by the field theodoi import assignments
# reads into.
CADRE_HEADERS: dict[str, str] = {
    "cadre_id": N_("Cadre id"),
    "name": N_("Full name"),
    "title": N_("Title"),
    "agency": N_("Agency"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "commune_code": N_("Commune code"),
    "commune": N_("Commune followed"),
}


def header_key(text: str) -> str:
    """How headers are compared: folded, punctuation as spaces ("Xã/phường" -> "xa phuong")."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


@dataclass(frozen=True)
class Field:
    """A field an import reads: its key (as --column takes it), how messages
    name it (a msgid), and the headers it is known by (any case or accents)."""

    key: str
    label: str
    headers: tuple[str, ...]

    def header_keys(self) -> set[str]:
        return {header_key(h) for h in self.headers}


@dataclass(frozen=True)
class Header:
    """The header row of a grid: the field of each column read."""

    row: int  # index in grid.rows
    columns: dict[str, int]  # field key -> column (0-based)
    texts: dict[int, str]  # column -> its header as written
    unread: list[str] = field(default_factory=list)  # headers of columns not read


@dataclass(frozen=True)
class Record:
    """One row of data: each field's cell value (None when empty) and where it is."""

    grid: Grid
    index: int  # in grid.rows
    header: Header
    values: dict[str, Any]

    @property
    def number(self) -> int:
        return self.grid.numbers[self.index]

    def location(self, key: str | None = None) -> Location:
        column = self.header.columns.get(key, -1) if key else -1
        return self.grid.location(self.index, column) if column >= 0 else \
            Location(self.grid.name, self.number)

    def cell(self, key: str) -> str:
        """"C5": the cell of a field, as Excel names it."""
        return f"{column_letter(self.header.columns[key])}{self.number}"

    def header_text(self, key: str) -> str:
        return self.header.texts.get(self.header.columns.get(key, -1), key)

    def text(self, key: str) -> str:
        return cell_text(self.values.get(key))


def column_options(values: Sequence[str], fields: Sequence[Field]) -> dict[str, str]:
    """``--column FIELD=HEADER`` options as {field key: header as typed}."""
    known = {f.key for f in fields}
    forced: dict[str, str] = {}
    for value in values:
        key, equals, header = value.partition("=")
        key = key.strip().lower().replace("-", "_")
        if not equals or key not in known or not header.strip():
            raise TheodoiError(checks.IMPORT_BAD_COLUMN_OPTION, value=value,
                               fields=", ".join(f.key for f in fields))
        forced[key] = nfc(header.strip().strip("\"'"))
    return forced


def _match(text: str, fields: Sequence[Field], forced: dict[str, str]
           ) -> tuple[str, int] | None:
    """(field, strength) for a header: 3 named by --column, 2 a known name, 1 a
    name followed by more words; None when no field has that header."""
    key = header_key(text)
    if not key:
        return None
    for name, header in forced.items():
        if key == header_key(header):
            return name, 3
    claimed = {header_key(header) for header in forced.values()}
    best: tuple[str, int, int] | None = None
    for candidate in fields:
        if candidate.key in forced:
            continue  # that field's column is the one named
        for known in candidate.header_keys():
            if key == known:
                return (candidate.key, 2) if key not in claimed else None
            if key.startswith(known + " ") and (best is None or len(known) > best[2]):
                best = (candidate.key, 1, len(known))
    return (best[0], best[1]) if best else None


def _header_at(grid: Grid, row: int, fields: Sequence[Field], forced: dict[str, str]
               ) -> tuple[dict[int, tuple[str, int]], dict[int, str]]:
    """The fields the columns of ``row`` read as: each cell's own header, else
    (a blank cell, or one no field knows) the header of the row above (the
    band of a header on two rows, or a merged cell over two rows)."""
    width = max((len(grid.rows[r]) for r in (row, row - 1) if 0 <= r < len(grid.rows)),
                default=0)
    found: dict[int, tuple[str, int]] = {}
    texts: dict[int, str] = {}
    for column in range(width):
        for source in (row, row - 1):
            if source < 0:
                continue
            value = grid.cell(source, column)
            if not isinstance(value, str) or not value.strip():
                continue
            match = _match(value, fields, forced)
            if match is not None:
                found[column], texts[column] = match, " ".join(value.split())
                break
            if source == row:
                texts[column] = " ".join(value.split())
    return found, texts


def find_header(grid: Grid, fields: Sequence[Field], required: Sequence[Sequence[str]],
                forced: dict[str, str], language: str) -> Header:
    """The header row: among the first rows, the one whose headers name the
    most fields, all the ``required`` ones (each a group of which one will do)."""
    best: tuple[int, int] | None = None  # (fields named, row)
    for row in range(min(HEADER_SCAN_ROWS, len(grid.rows))):
        found, _texts = _header_at(grid, row, fields, forced)
        named = {name for name, _strength in found.values()}
        complete = all(any(key in named for key in group) for group in required) and \
            all(key in named for key in forced)
        if complete and (best is None or len(named) > best[0]):
            best = (len(named), row)
    if best is None:
        return _no_header(grid, fields, required, forced, language)
    row = best[1]
    found, texts = _header_at(grid, row, fields, forced)
    columns: dict[str, int] = {}
    for column in sorted(found):
        name, strength = found[column]
        if name in columns:
            other = columns[name]
            other_strength = found[other][1]
            if other_strength == strength:
                raise TheodoiError(checks.IMPORT_COLUMN_TWICE, grid.location(row, column),
                                   first=texts[other], second=texts[column], field=name)
            if strength < other_strength:
                continue
        columns[name] = column
    unread = [texts[c] for c in sorted(texts) if c not in columns.values()]
    return Header(row, columns, texts, unread)


def _no_header(grid: Grid, fields: Sequence[Field], required: Sequence[Sequence[str]],
               forced: dict[str, str], language: str) -> Header:
    _ = gettext_for(language)
    if forced:
        # The header row that would do but for a --column: say which headers it has.
        for row in range(min(HEADER_SCAN_ROWS, len(grid.rows))):
            found, texts = _header_at(grid, row, fields, forced)
            named = {name for name, _strength in found.values()}
            if all(any(key in named for key in group) for group in required if
                   not any(key in forced for key in group)):
                missing = [key for key in forced if key not in named]
                if missing and texts:
                    raise TheodoiError(checks.IMPORT_COLUMN_NOT_FOUND, grid.location(row),
                                       field=missing[0], header=forced[missing[0]],
                                       headers=", ".join(repr(t) for t in texts.values()))
    by_key = {f.key: f for f in fields}
    names = " + ".join(" / ".join(repr(by_key[k].headers[0]) for k in group)
                       for group in required)
    examples = ", ".join(repr(f.headers[0]) for f in fields if f.headers)
    raise TheodoiError(checks.IMPORT_NO_HEADER, Location(grid.name), required=names,
                       rows=HEADER_SCAN_ROWS, examples=examples)


@dataclass(frozen=True)
class Sheet:
    """A sheet to import, and its header row."""

    grid: Grid
    header: Header


def find_sheets(grids: Sequence[Grid], name: str, fields: Sequence[Field],
                required: Sequence[Sequence[str]], forced: dict[str, str], language: str,
                every: bool) -> tuple[list[Sheet], list[str]]:
    """The sheets to import and the names of the others that have the columns
    too: ``every`` sheet given (--sheet), else the first one with a header."""
    if every:
        return [Sheet(g, find_header(g, fields, required, forced, language)) for g in grids], []
    chosen: list[Sheet] = []
    others: list[str] = []
    first_error: TheodoiError | None = None
    for grid in grids:
        try:
            header = find_header(grid, fields, required, forced, language)
        except TheodoiError as exc:
            first_error = first_error or exc
            continue
        if chosen:
            others.append(grid.sheet or grid.name)
        else:
            chosen.append(Sheet(grid, header))
    if not chosen:
        if first_error is not None:
            raise first_error
        find_header(Grid(name, None), fields, required, forced, language)  # no sheet of cells
    return chosen, others


def records(grid: Grid, header: Header, problems: list[Problem] | None = None
            ) -> Iterable[Record]:
    """The rows under the header that hold something in a column read.  In a
    CSV file a row with more or fewer fields than the header is a problem put
    in ``problems`` (when given), not a record: its cells would be read under
    the wrong headers."""
    width = len(grid.rows[header.row]) if grid.sheet is None else 0
    for index in range(header.row + 1, len(grid.rows)):
        row = grid.rows[index]
        if (problems is not None and width and len(row) != width
                and any(value is not None for value in row)):
            problems.append(problem(checks.IMPORT_ROW_FIELDS, grid.location(index),
                                    row=grid.numbers[index], found=len(row), expected=width))
            continue
        values = {key: _blank_to_none(grid.cell(index, column))
                  for key, column in header.columns.items()}
        if problems is not None and _control_characters(grid, index, header, problems):
            continue
        if any(value is not None for value in values.values()):
            yield Record(grid, index, header, values)


def _control_characters(grid: Grid, index: int, header: Header, problems: list[Problem]
                        ) -> bool:
    """Whether a cell read holds a control character (each one a problem named
    by its cell and header): text is text, in an import as in ``visit add``."""
    found = False
    for column in sorted(header.columns.values()):
        value = grid.cell(index, column)
        char = control_character(value) if isinstance(value, str) else None
        if char is not None:
            problems.append(problem(checks.CONTROL_CHARACTER, grid.location(index, column),
                                    column=header.texts.get(column, column_letter(column)),
                                    char=char))
            found = True
    return found


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


# --- cells ---------------------------------------------------------------------------------

def cell_text(value: Any) -> str:
    """A cell as text: NFC, single-spaced ends; a whole number without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat()
    return typed_text(nfc(str(value)).strip())


def cell_items(value: Any) -> tuple[str, ...]:
    """Several items in one cell, one a line ("- " or "1." bullets dropped)."""
    items = (_BULLET.sub("", line).strip() for line in cell_text(value).split("\n"))
    return tuple(item for item in items if item)


def cell_date(value: Any, epoch: datetime) -> date | None:
    """A date from an Excel date, a serial number or text; None if it is none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _serial(value, epoch)
    text = cell_text(value)
    if text.isdigit() and len(text) <= 7:
        return _serial(int(text), epoch)
    first = text.split()[0] if text.split() else ""
    for candidate in (text, first):  # "15/09/2024 08:30": the day is enough
        match = _DAY_FIRST.match(candidate)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return _date(year, month, day)
        try:
            return parse_date(candidate)
        except DateError:
            pass
    match = _LONG_DATE.match(fold(text))
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _date(year, month, day)
    return None


def _serial(number: float, epoch: datetime) -> date | None:
    from datetime import timedelta

    if not 1 <= number <= _LAST_SERIAL:
        return None
    if epoch == datetime(1899, 12, 30) and number < 61:
        number += 1  # Excel's 29/02/1900, which never was, shifts the first two months
    return (epoch + timedelta(days=int(number))).date()


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def empty_value(record: Record, key: str, label: str) -> Problem:
    return problem(checks.IMPORT_EMPTY_VALUE, record.location(key), cell=record.cell(key),
                   header=record.header_text(key), field=Msg(label))


def bad_date(record: Record, key: str) -> Problem:
    """A date cell that cannot be read, saying why when the day does not exist."""
    why: Msg | str = ""
    try:
        read_typed_date(record.text(key))
    except DateError as exc:
        why = exc.explanation()
    return problem(checks.IMPORT_BAD_DATE, record.location(key), cell=record.cell(key),
                   header=record.header_text(key), value=record.text(key), why=why)


def relocated(error: TheodoiError, record: Record, key: str | None) -> Problem:
    """A refusal of ``visit add`` or ``assign`` (a lookup, a rule) as a problem of
    the row and the column it came from."""
    return Problem(error.check, record.location(key), dict(error.params))
