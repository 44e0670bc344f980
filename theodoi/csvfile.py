"""CSV registers read into rows that remember their line numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from theodoi.i18n import N_
from theodoi.problems import Location, Problem, TheodoiError, error, warning
from theodoi.textfile import display_path, read_text
from theodoi.textnorm import is_nfc


@dataclass(frozen=True)
class Row:
    location: Location
    fields: dict[str, str]


def read_rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()
              ) -> tuple[list[Row], list[Problem]]:
    """Rows of a CSV file with a header line, and the problems seen in its text.

    Raises TheodoiError when the file cannot be used at all (missing, not
    UTF-8, no header, a required column missing).
    """
    name = display_path(path)
    text = read_text(path)
    if not text.strip():
        raise TheodoiError(N_("the file is empty"), Location(name, 1))
    reader = csv.reader(io.StringIO(text))
    problems: list[Problem] = []
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise TheodoiError(N_("unreadable CSV: {reason}"), Location(name, 1),
                           reason=str(exc)) from exc
    missing = [column for column in required if column not in header]
    if missing:
        raise TheodoiError(
            N_("missing column(s) {missing}; the header must be: {expected}"),
            Location(name, 1), missing=", ".join(missing),
            expected=",".join(required + optional))
    for column in header:
        if column not in required and column not in optional:
            problems.append(warning("unknown-column", Location(name, 1),
                                    N_("unknown column {column!r} is ignored"), column=column))
    rows: list[Row] = []
    line = 1
    try:
        for record in reader:
            start = line + 1
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank lines, as spreadsheets leave at the end
            location = Location(name, start)
            if len(record) != len(header):
                problems.append(error("csv-field-count", location,
                                      N_("{found} fields, the header has {expected}"),
                                      found=len(record), expected=len(header)))
            fields = {column: (record[i] if i < len(record) else "")
                      for i, column in enumerate(header)}
            problems.extend(text_problems(fields, location))
            for column in required:
                if not fields.get(column, "").strip():
                    problems.append(error("missing-field", location,
                                          N_("the {column!r} field is empty"), column=column))
            rows.append(Row(location, {k: v.strip() for k, v in fields.items()}))
    except csv.Error as exc:
        raise TheodoiError(N_("unreadable CSV: {reason}"), Location(name, reader.line_num),
                           reason=str(exc)) from exc
    return rows, problems


def text_problems(fields: Mapping[str, object], location: Location) -> list[Problem]:
    """Text not in NFC, or with spaces around it, makes lookups and diffs lie."""
    problems = []
    for column, value in fields.items():
        if not isinstance(value, str):
            continue
        if value != value.strip():
            problems.append(error("surrounding-spaces", location,
                                  N_("the {column!r} field has spaces at its start or end"),
                                  column=column))
        if not is_nfc(value):
            problems.append(error("not-nfc", location,
                                  N_("the {column!r} field is not in Unicode NFC form "
                                     "(decomposed accents); retype it or run it through "
                                     "an NFC normaliser"), column=column))
    return problems
