"""CSV registers read into rows that remember their line numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from theodoi.base import checks
from theodoi.base.i18n import N_
from theodoi.base.problems import Location, Msg, Problem, TheodoiError, problem
from theodoi.base.textnorm import control_character, is_nfc
from theodoi.store.textfile import display_path, read_text


@dataclass(frozen=True)
class Row:
    location: Location
    fields: dict[str, str]


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, str]], *,
             header: bool = True) -> str:
    """CSV as theodoi writes every register: ``\n`` line endings, minimal quoting,
    the columns in the order given (a column a row lacks is empty).  The one
    writer of communes.csv, cadres.csv rows and the national registers."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n",
                            restval="", extrasaction="ignore")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def read_rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = (),
              may_be_empty: tuple[str, ...] = ()) -> tuple[list[Row], list[Problem]]:
    """Rows of a CSV file with a header line, and the problems seen in its text.

    ``required`` columns must be in the header and filled on every row, except
    those also in ``may_be_empty`` (a unit of 2025 has no district); the
    ``optional`` columns may be left out of the header altogether.

    Raises TheodoiError when the file cannot be used at all (missing, not
    UTF-8, no header, a required column missing).
    """
    name = display_path(path)
    text = read_text(path)
    if not text.strip():
        raise TheodoiError(checks.FILE_EMPTY, Location(name, 1))
    # strict: a quotation mark left open at the end is an error, not a field
    # that silently swallows every row after it.
    reader = csv.reader(io.StringIO(text), strict=True)
    problems: list[Problem] = []
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise TheodoiError(checks.CSV_SYNTAX, Location(name, 1), reason=str(exc)) from exc
    missing = [column for column in required if column not in header]
    if missing:
        raise TheodoiError(checks.CSV_MISSING_COLUMNS, Location(name, 1),
                           missing=", ".join(missing), expected=",".join(required + optional))
    for column in header:
        if column not in required and column not in optional:
            problems.append(problem(checks.CSV_UNKNOWN_COLUMN, Location(name, 1), column=column))
    rows: list[Row] = []
    line = 1
    try:
        for record in reader:
            start = line + 1
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank lines, as spreadsheets leave at the end
            location = Location(name, start)
            if any("\n" in cell for cell in record):
                # No register value holds a line break: a quotation mark was left
                # open and took the next lines into this field.
                problems.append(problem(checks.CSV_SYNTAX, location, reason=Msg(_UNCLOSED)))
            if len(record) != len(header):
                problems.append(problem(checks.CSV_FIELD_COUNT, location, found=len(record),
                                        expected=len(header)))
            fields = {column: (record[i] if i < len(record) else "")
                      for i, column in enumerate(header)}
            problems.extend(text_problems(fields, location))
            for column in required:
                if column not in may_be_empty and not fields.get(column, "").strip():
                    problems.append(problem(checks.MISSING_FIELD, location, column=column))
            rows.append(Row(location, {k: v.strip() for k, v in fields.items()}))
    except csv.Error as exc:
        # The reader fails on the record after the last one read: it starts on
        # the next line.  Running off the end, or past the size limit, means a
        # quotation mark was left open there.
        said = str(exc)
        open_quote = "end of data" in said or "field limit" in said
        reason: Msg | str = Msg(_UNCLOSED) if open_quote else said
        raise TheodoiError(checks.CSV_SYNTAX, Location(name, line + 1), reason=reason) from exc
    return rows, problems


_UNCLOSED = N_("a quotation mark opened on this line is not closed where the field ends")


def text_problems(fields: Mapping[str, object], location: Location) -> list[Problem]:
    """Text not in NFC, or with spaces around it, makes lookups and diffs lie."""
    problems = []
    for column, value in fields.items():
        if not isinstance(value, str):
            continue
        if value != value.strip():
            problems.append(problem(checks.SURROUNDING_SPACES, location, column=column))
        if not is_nfc(value):
            problems.append(problem(checks.NOT_NFC, location, column=column))
        char = control_character(value)
        if char is not None:
            problems.append(problem(checks.CONTROL_CHARACTER, location, column=column,
                                    char=char))
    return problems
