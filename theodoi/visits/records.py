"""Visit records: one YAML file per day, ``visits/YYYY/YYYY-MM-DD.yaml``.

A visit day file is read by the one reader of day files
(:func:`theodoi.store.dayfile.read_records`) with the visit's schema; the full
:class:`~theodoi.base.model.Visit` is a view of a valid raw record.  A new visit
is appended (:func:`add_visit`) under the data folder's lock, atomically,
never touching the bytes already written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from theodoi.base import checks
from theodoi.base.checks import InternalError
from theodoi.base.model import Visit
from theodoi.base.problems import Location, Problem, TheodoiError
from theodoi.store.dayfile import (
    CODE,
    DATE,
    TEXT,
    TEXTS,
    DayRecords,
    RawRecord,
    Schema,
    append_record,
    day_file,
    read_records,
)
from theodoi.store.textfile import display_path, read_bytes
from theodoi.store.yamlio import Quoted, dump

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
    if not record.valid or record.day is None:
        raise InternalError(f"{name}:{record.line}: a record with problems is not a visit")
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


@dataclass(frozen=True)
class StoredVisit:
    visit: Visit  # as written: with its id and the line it starts on
    path: Path


def add_visit(data_dir: Path, visit: Visit, allow_duplicate: bool = False) -> StoredVisit:
    """Append ``visit`` (its id is ignored) to its day file; return it as stored.

    The append is :func:`theodoi.store.dayfile.append_record`'s (under the lock,
    atomic, read back); a visit of the same cadre to the same commune on the
    same day is refused unless ``allow_duplicate``.
    """

    def refuse_duplicate(records: list[RawRecord], name: str) -> None:
        if allow_duplicate:
            return
        for record in records:
            if record.valid and (record.text("cadre"), record.text("commune"), record.day) == (
                    visit.cadre, visit.commune, visit.date):
                raise TheodoiError(checks.DUPLICATE_VISIT, Location(name, record.line),
                                   cadre=visit.cadre, commune=visit.commune, day=visit.date,
                                   id=record.text("id"))

    appended = append_record(data_dir, VISITS_DIR, visit.date, VISIT_SCHEMA, "V",
                             lambda new_id: visit_record(replace(visit, id=new_id)),
                             refuse_duplicate)
    stored = replace(visit, id=appended.id,
                     location=Location(display_path(appended.path), appended.line))
    return StoredVisit(stored, appended.path)
