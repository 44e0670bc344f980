"""Visit records: one YAML file per day, ``visits/YYYY/YYYY-MM-DD.yaml``.

A visit day file is read by the one reader of day files
(:func:`theodoi.dayfile.read_records`) with the visit's schema; the full
:class:`~theodoi.model.Visit` is a view of a valid raw record.  A new visit
is appended (:func:`add_visit`) under the data folder's lock, atomically,
never touching the bytes already written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from theodoi import checks
from theodoi.atomic import leftover_temporaries, locked, make_folder, os_error, write_atomically
from theodoi.dayfile import (
    CODE,
    DATE,
    TEXT,
    TEXTS,
    DayRecords,
    RawRecord,
    Schema,
    day_file,
    day_files,
    read_records,
)
from theodoi.model import Visit
from theodoi.problems import Location, Problem, TheodoiError
from theodoi.textfile import display_path, read_bytes
from theodoi.yamlio import Quoted, bulk_loading, dump

VISITS_DIR = "visits"
VISIT_SCHEMA = Schema(
    noun="visits",
    fields={"id": TEXT, "date": DATE, "cadre": TEXT, "commune": CODE, "kind": TEXT,
            "substitute": TEXT, "notes": TEXT, "difficulties": TEXTS, "proposals": TEXTS,
            "recorded_at": TEXT},
    required=("id", "date", "cadre", "commune"),
    not_a_list=checks.VISIT_FILE_NOT_LIST,
)
VISIT_KEYS = tuple(VISIT_SCHEMA.fields)


def visits_folder(data_dir: Path) -> Path:
    return data_dir / VISITS_DIR


def visit_day_file(data_dir: Path, day: date) -> Path:
    return day_file(visits_folder(data_dir), day)


def read_visit_file(path: Path, name: str | None = None) -> DayRecords:
    """The raw records of one visit day file (a file that cannot be opened is
    one problem, so that loading goes on with the others); ``name`` is how
    messages call it (default: its path from the working folder)."""
    name = name or display_path(path)
    try:
        raw = read_bytes(path)
    except TheodoiError as exc:
        return DayRecords(problems=[exc.as_problem(name)], readable=False)
    return read_records(raw, name, VISIT_SCHEMA)


def visit_of(record: RawRecord, name: str) -> Visit:
    """The full visit a valid raw record stands for."""
    assert record.valid and record.day is not None
    return Visit(
        id=record.text("id"),
        date=record.day,
        cadre=record.text("cadre"),
        commune=record.text("commune"),
        kind=record.text("kind") or "working",
        notes=record.text("notes"),
        difficulties=record.texts("difficulties"),
        proposals=record.texts("proposals"),
        recorded_at=record.text("recorded_at"),
        substitute=record.text("substitute"),
        location=Location(name, record.line),
    )


def visits_of(path: Path) -> tuple[list[Visit], list[Problem]]:
    """The valid visits of one day file, and its problems."""
    result = read_visit_file(path)
    name = display_path(path)
    return [visit_of(r, name) for r in result.records if r.valid], result.problems


@dataclass
class LoadedVisits:
    visits: list[Visit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_visits(data_dir: Path, days: tuple[date, date] | None = None) -> LoadedVisits:
    """Full visits of the whole history, or of the day files between two dates
    (inclusive); a broken day file is a problem, not the end.  Reports read
    columns instead (:mod:`theodoi.visit_columns`): this is for listings."""
    loaded = LoadedVisits()
    with bulk_loading():
        for path, day in day_files(visits_folder(data_dir)):
            if days is not None and not days[0] <= day <= days[1]:
                continue
            visits, problems = visits_of(path)
            loaded.visits.extend(visits)
            loaded.problems.extend(problems)
    return loaded


def visit_id(day: date, sequence: int) -> str:
    """``V-20240915-001``: readable, sortable, unique within its day file."""
    return f"V-{day:%Y%m%d}-{sequence:03d}"


def visit_record(visit: Visit) -> dict[str, object]:
    """The mapping written to a day file, keys in a stable order; empty
    optional fields are left out so that hand-written records stay short."""
    record: dict[str, object] = {
        "id": visit.id,
        "date": visit.date,
        "cadre": visit.cadre,
        "commune": Quoted(visit.commune),
        "kind": visit.kind,
    }
    if visit.substitute:
        record["substitute"] = visit.substitute
    if visit.notes:
        record["notes"] = visit.notes
    record["difficulties"] = list(visit.difficulties)
    record["proposals"] = list(visit.proposals)
    record["recorded_at"] = visit.recorded_at
    return record


def render_visits(visits: list[Visit]) -> str:
    """YAML text of visits as list items, ready to append to a day file.

    Each visit is dumped on its own: dumped together, visits sharing a date
    object would be written with YAML anchors (``&id001``/``*id001``).
    """
    return "".join(dump([visit_record(v)]) for v in visits)


# --- Recording a visit --------------------------------------------------------
#
# Appending rewrites the day file as its old bytes, unchanged, followed by the
# new item, through a temporary file renamed over it (atomic).  A concurrent
# reader sees the old file or the new one, never half of one; a writer killed
# at any moment leaves the old file whole (and at worst a hidden *.tmp file).


@dataclass(frozen=True)
class StoredVisit:
    visit: Visit  # as written: with its id and the line it starts on
    path: Path


def add_visit(data_dir: Path, visit: Visit, allow_duplicate: bool = False) -> StoredVisit:
    """Append ``visit`` (its id is ignored) to its day file; return it as stored.

    Reads and writes nothing but that one day file.  Under the data folder's
    lock (taken here, or already held by a caller that commits afterwards) the
    file is read, checked for a duplicate (same cadre, commune and date), the
    id numbered (highest sequence of that day + 1) and the file rewritten.
    Raises TheodoiError, leaving every file as it was, if the day file cannot
    be read, on a duplicate, or if the disk refuses the write.
    """
    if not data_dir.is_dir():
        raise TheodoiError(checks.DATA_FOLDER_MISSING, Location(display_path(data_dir)))
    with locked(data_dir):
        root = visits_folder(data_dir)
        make_folder(root)
        path = visit_day_file(data_dir, visit.date)
        make_folder(path.parent)
        for stale in leftover_temporaries(path):
            # Left by a writer that died; safe to remove under the lock, since
            # every writer holds it for as long as its temporary file exists.
            stale.unlink(missing_ok=True)
        name = display_path(path)
        old = _existing_bytes(path)
        on_record = _appendable(old, name)
        if not allow_duplicate:
            _refuse_duplicate(visit, on_record, name)
        stored = replace(visit, id=visit_id(visit.date, _last_sequence(on_record, visit.date) + 1))
        new = _appended(old, render_visits([stored]))
        _check_reads_back(new, name, len(on_record), stored.id)
        write_atomically(path, new)
    # The new item starts on the line after the old text (and the newline added).
    line = old.count(b"\n") + (0 if not old or old.endswith(b"\n") else 1) + 1
    return StoredVisit(replace(stored, location=Location(name, line)), path)


def _existing_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""
    except IsADirectoryError:
        raise TheodoiError(checks.NOT_A_FILE, Location(display_path(path))) from None
    except OSError as exc:
        raise os_error(checks.CANNOT_READ, path, exc) from exc


def _appendable(old: bytes, name: str) -> list[RawRecord]:
    """The records already in the day file; a file that cannot be read whole is
    not appended to (its problem is the reason)."""
    if not old:
        return []
    result = read_records(old, name, VISIT_SCHEMA)
    if not result.readable:
        first = result.problems[0]
        raise TheodoiError(first.check, first.location, **first.params)
    return result.records


def _last_sequence(records: list[RawRecord], day: date) -> int:
    """The highest n among this day's ids ``V-YYYYMMDD-n``, from the raw records
    (so that a record broken in another field still keeps its number)."""
    pattern = re.compile(rf"^V-{day:%Y%m%d}-(\d+)$")
    numbers = [0]
    for record in records:
        match = pattern.match(record.text("id").strip())
        if match:
            numbers.append(int(match.group(1)))
    return max(numbers)


def _refuse_duplicate(visit: Visit, records: list[RawRecord], name: str) -> None:
    for record in records:
        if record.valid and (record.text("cadre"), record.text("commune"), record.day) == (
                visit.cadre, visit.commune, visit.date):
            raise TheodoiError(checks.DUPLICATE_VISIT, Location(name, record.line),
                               cadre=visit.cadre, commune=visit.commune, day=visit.date,
                               id=record.text("id"))


def _appended(old: bytes, addition: str) -> bytes:
    """The old bytes untouched, then the new item in the file's own line endings."""
    newline = b"\r\n" if b"\r\n" in old else b"\n"
    encoded = addition.encode("utf-8").replace(b"\n", newline)
    separator = newline if old and not old.endswith(b"\n") else b""
    return old + separator + encoded


def _check_reads_back(new: bytes, name: str, count: int, new_id: str) -> None:
    """Refuse to write unless the result reads as the old items plus the new one
    (a flow-style list such as ``[]`` cannot be appended to)."""
    result = read_records(new, name, VISIT_SCHEMA)
    last = result.records[-1] if result.records else None
    if (not result.readable or len(result.records) != count + 1 or last is None
            or last.text("id") != new_id):
        raise TheodoiError(checks.CANNOT_APPEND, Location(name))
