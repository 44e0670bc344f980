"""Corrections: a recorded visit is amended or withdrawn by a new record, never edited.

A ledger never edits a posted entry: it posts a correcting entry with a
reason, and the original stays readable.  So does theodoi.  A correction is
a record of its own, appended to the day file of the day it was made in
``corrections/YYYY/YYYY-MM-DD.yaml`` (the same one reader, the same atomic
append under the same lock as visits):

    - id: C-20261129-001
      visit: V-20240915-003
      action: amend            # or: withdraw
      reason: Ngày ghi nhầm, đi ngày 16/09
      by: Nguyễn Văn A <a@example.vn>
      recorded_at: '2026-11-29T10:00:00+07:00'
      date: 2024-09-16         # only the fields it corrects, with their new values

Why a journal of its own rather than a note in the visit's day file: a day
file then only ever receives visits, and the bytes of a recorded visit never
change; the corrections of a week sit together in the files of that week, in
the order they were made, which is how an auditor reads them; and the git
history shows each correction as an addition with its reason, never as an
edit, so the audit tells a sanctioned correction from a change behind the
tool's back.

Everywhere a visit counts (lists, reports, checks) it counts as its latest
correction says; a withdrawn visit counts nowhere.  Pure functions here, but
:func:`load_corrections` (reads the files) and :func:`append_correction`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from theodoi.base import checks
from theodoi.base.model import Visit
from theodoi.base.problems import Location, Problem, problem
from theodoi.store.dayfile import (
    CODE,
    DATE,
    TEXT,
    TEXTS,
    Appended,
    RawRecord,
    Schema,
    append_record,
    folder_records,
    scan_folder,
)
from theodoi.store.yamlio import Quoted

CORRECTIONS_DIR = "corrections"
AMEND, WITHDRAW = "amend", "withdraw"
# The fields of a visit a correction may give, in the order they are written.
CORRECTABLE = ("date", "cadre", "commune", "kind", "substitute", "notes", "difficulties",
               "proposals")


def changes_given(before: Visit, after: Visit, given: Collection[str]) -> dict[str, Any]:
    """The fields among ``given`` whose values ``after`` changes, with their new
    values, in the order a correction writes them: what an amendment records."""
    return {key: getattr(after, key) for key in CORRECTABLE
            if key in given and getattr(after, key) != getattr(before, key)}
CORRECTION_SCHEMA = Schema(
    noun="corrections",
    fields={"id": TEXT, "visit": TEXT, "action": TEXT, "reason": TEXT, "by": TEXT,
            "recorded_at": TEXT, "date": DATE, "cadre": TEXT, "commune": CODE, "kind": TEXT,
            "substitute": TEXT, "notes": TEXT, "difficulties": TEXTS, "proposals": TEXTS},
    required=("id", "visit", "action", "reason", "by", "recorded_at"),
    not_a_list=checks.CORRECTION_FILE_NOT_LIST,
)


@dataclass(frozen=True)
class Correction:
    id: str
    visit: str
    action: str
    reason: str
    by: str
    recorded_at: str
    changes: dict[str, Any]  # field -> new value (a date, a text, a tuple of texts)
    location: Location

    @property
    def withdraws(self) -> bool:
        return self.action == WITHDRAW


@dataclass
class Corrections:
    """Every correction on record, in the order they were made, and the
    problems of their files (a correction's own rules run with the visits)."""

    records: list[Correction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)  # files under corrections/

    def of_visit(self, visit_id: str) -> list[Correction]:
        return [c for c in self.records if c.visit == visit_id]

    def by_visit(self) -> dict[str, list[Correction]]:
        found: dict[str, list[Correction]] = {}
        for correction in self.records:
            found.setdefault(correction.visit, []).append(correction)
        return found


def correction_of(record: RawRecord, name: str) -> Correction | None:
    """The correction a raw record stands for, or None when it cannot be used."""
    if not record.valid:
        return None
    changes: dict[str, Any] = {}
    for key in CORRECTABLE:
        if key not in record.lines or key not in record.fields:
            continue
        if key == "date":
            changes[key] = record.day
        elif key in ("difficulties", "proposals"):
            changes[key] = record.texts(key)
        else:
            changes[key] = record.text(key)
    return Correction(record.text("id"), record.text("visit"), record.text("action"),
                      record.text("reason"), record.text("by"), record.text("recorded_at"),
                      changes, Location(name, record.line))


def load_corrections(data_dir: Path) -> Corrections:
    """Every correction of the data folder (there are few: read each time)."""
    loaded = Corrections()
    folder = data_dir / CORRECTIONS_DIR
    scan = scan_folder(folder)
    loaded.entries = scan.entries
    for record, name in folder_records(folder, CORRECTION_SCHEMA, loaded.problems, scan):
        correction = correction_of(record, name)
        if correction is None:
            continue
        loaded.problems.extend(own_problems(correction))
        loaded.records.append(correction)
    return loaded


def own_problems(correction: Correction) -> list[Problem]:
    """What a correction says wrong about itself, whatever visit it names."""
    where = correction.location
    if correction.action not in (AMEND, WITHDRAW):
        return [problem(checks.CORRECTION_BAD_ACTION, where, id=correction.id,
                        action=correction.action)]
    if correction.action == AMEND and not correction.changes:
        return [problem(checks.CORRECTION_CHANGES_NOTHING, where, id=correction.id,
                        visit=correction.visit)]
    if correction.action == WITHDRAW and correction.changes:
        return [problem(checks.WITHDRAWAL_WITH_FIELDS, where, id=correction.id,
                        fields=", ".join(correction.changes))]
    return []


def usable(corrections: Iterable[Correction]) -> list[Correction]:
    return [c for c in corrections if c.action in (AMEND, WITHDRAW)
            and (c.action == WITHDRAW or c.changes)]


@dataclass(frozen=True)
class Effective:
    """A visit as its corrections leave it."""

    visit: Visit | None  # None: withdrawn
    applied: tuple[Correction, ...]  # the corrections that count, in order
    withdrawal: Correction | None = None


def effective(original: Visit, corrections: Iterable[Correction]) -> Effective:
    """Apply a visit's corrections in the order they were made.  After a
    withdrawal nothing more applies (a later one is a problem of its own)."""
    visit: Visit = original
    applied: list[Correction] = []
    for correction in usable(corrections):
        if correction.withdraws:
            return Effective(None, (*applied, correction), correction)
        visit = amended(visit, correction.changes)
        applied.append(correction)
    return Effective(visit, tuple(applied))


def amended(visit: Visit, changes: dict[str, Any]) -> Visit:
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "date" and value is not None:
            values["date"] = value
        elif key in ("difficulties", "proposals"):
            values[key] = tuple(value)
        elif key in ("cadre", "commune", "kind", "substitute", "notes"):
            values[key] = value or ("working" if key == "kind" else "")
    return replace(visit, **values)


def correction_record(correction_id: str, visit_id: str, action: str, reason: str, by: str,
                      recorded_at: str, changes: dict[str, Any]) -> dict[str, object]:
    """The mapping written to a corrections day file, keys in a stable order."""
    record: dict[str, object] = {"id": correction_id, "visit": visit_id, "action": action,
                                 "reason": reason, "by": by, "recorded_at": recorded_at}
    for key in CORRECTABLE:
        if key not in changes:
            continue
        value = changes[key]
        if key == "commune":
            value = Quoted(value)
        elif key in ("difficulties", "proposals"):
            value = list(value)
        record[key] = value
    return record


def append_correction(data_dir: Path, today: date, visit_id: str, action: str, reason: str,
                      by: str, recorded_at: str, changes: dict[str, Any]) -> Appended:
    """Append a correction to today's corrections file (atomic, under the lock)."""
    return append_record(
        data_dir, CORRECTIONS_DIR, today, CORRECTION_SCHEMA, "C",
        lambda new_id: correction_record(new_id, visit_id, action, reason, by, recorded_at,
                                         changes))
