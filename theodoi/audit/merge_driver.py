"""git's merge driver for the journals: the union of both sides' records.

git calls ``python -m theodoi.cli.merge_driver %O %A %B %P`` (set up by
:mod:`theodoi.store.sharing`) for a journal file changed on both sides of a merge:
the common ancestor's version, ours (where the result goes), theirs, and the
file's path.  The result holds every record either side holds, each record
once:

- a record of the ancestor stays where it was, in the version a side changed
  (journals are append-only, so a change is the audit's business, not the
  merge's); changed differently on both sides, the merge stops;
- the records new on either side follow, sorted by when they were recorded
  and their id, so that both clerks' merges write the same bytes;
- a record both sides added identically is kept once; two different records
  under one id stop the merge.

Records are compared by their fields, but written as their own lines (with
their comments), never dumped again.  The result is read back with the
journal's own reader and checked (every record there, ids unique) before
the driver exits 0; on any refusal it leaves the file as git gave it and
exits 1, and git reports a conflict.  (git's ``merge=union`` merges lines, not
records: two records ending with the same lines lose some.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePosixPath

from theodoi.base import checks
from theodoi.base.i18n import N_
from theodoi.base.problems import Msg, Problem
from theodoi.store.dayfile import RawRecord, Schema, day_of_name, read_records

# The journals a driver merges, by folder (the audit's list).
JOURNAL_FOLDERS = ("visits", "corrections", "audit", "proposals", "plans")


@dataclass(frozen=True)
class Entry:
    """One record of a side: its id (may be empty), its fields as compared, its text."""

    id: str
    key: str  # the fields, canonical
    recorded_at: str
    text: str


@dataclass(frozen=True)
class Side:
    header: str  # what comes before the first record (comments)
    entries: list[Entry]
    newline: str


class Refused(Exception):
    """The records cannot be merged; the message says why."""

    def __init__(self, message: Msg):
        super().__init__(message.template)
        self.message = message


def schema_of(path: str) -> Schema | None:
    """The schema of a journal file from its path in the repository
    (``…/visits/2024/2024-09-15.yaml``, ``…/plans/2026.yaml``), or None."""
    from theodoi.audit.gitaudit import JOURNALS

    parts = PurePosixPath(path).parts
    if len(parts) >= 3 and parts[-3] in JOURNAL_FOLDERS and parts[-3] != "plans":
        day = day_of_name(parts[-1])
        if day is not None and parts[-2] == f"{day.year:04d}":
            return JOURNALS[parts[-3]][1]
    if len(parts) >= 2 and parts[-2] == "plans" and len(parts[-1]) == 9 \
            and parts[-1][:4].isdigit() and parts[-1].endswith(".yaml"):
        return JOURNALS["plans"][1]
    return None


def read_side(raw: bytes, name: str, schema: Schema) -> Side:
    """The records of one version, each with its own lines."""
    newline = "\r\n" if b"\r\n" in raw else "\n"
    if not raw.strip():
        return Side("", [], newline)
    result = read_records(raw, name, schema)
    if not result.readable or _lost_items(result.problems):
        raise Refused(Msg(N_("{file} cannot be read as a list of records"), {"file": name}))
    lines = raw.decode("utf-8").splitlines(keepends=True)
    starts = [record.line for record in result.records]
    if any(not lines[line - 1].lstrip().startswith("-") for line in starts) \
            or len(set(starts)) != len(starts):
        raise Refused(Msg(N_("{file} is not written one record per list item"),
                          {"file": name}))
    ends = [*starts[1:], len(lines) + 1]
    entries = [_entry(record, "".join(lines[start - 1:end - 1]))
               for record, start, end in zip(result.records, starts, ends, strict=True)]
    return Side("".join(lines[:starts[0] - 1]) if starts else "".join(lines), entries, newline)


def _lost_items(problems: list[Problem]) -> bool:
    return any(p.check is checks.BAD_ITEM for p in problems)


def _entry(record: RawRecord, text: str) -> Entry:
    key = json.dumps(record.fields, sort_keys=True, ensure_ascii=False, default=str)
    return Entry(record.text("id").strip(), key, record.text("recorded_at"),
                 text if text.endswith("\n") else text + "\n")


def _identity(entry: Entry) -> str:
    return entry.id or f"\0{entry.key}"


def merge_sides(base: Side, ours: Side, theirs: Side) -> list[Entry]:
    """Every record either side holds, each once, in a stable order."""
    mine = {_identity(e): e for e in ours.entries}
    other = {_identity(e): e for e in theirs.entries}
    merged: list[Entry] = []
    known: set[str] = set()
    for old in base.entries:
        identity = _identity(old)
        if identity in known:
            continue
        known.add(identity)
        kept = _three_way(old, mine.get(identity), other.get(identity))
        if kept is not None:
            merged.append(kept)
    added: dict[str, Entry] = {}
    for entry in [*ours.entries, *theirs.entries]:
        identity = _identity(entry)
        if identity in known:
            continue
        if identity in added and added[identity].key != entry.key:
            raise Refused(Msg(N_("the id {id} names two different records, one on each "
                                 "side"), {"id": entry.id}))
        added.setdefault(identity, entry)
    merged.extend(sorted(added.values(), key=lambda e: (e.recorded_at, e.id, e.key)))
    return merged


def _three_way(old: Entry, mine: Entry | None, other: Entry | None) -> Entry | None:
    """A record of the ancestor: the side that changed it wins; kept if
    either side still holds it; both changed differently is refused."""
    if mine is None and other is None:
        return None  # removed on both sides: no merge drops it
    if mine is None or other is None:
        return mine or other
    if mine.key == other.key or other.key == old.key:
        return mine
    if mine.key == old.key:
        return other
    raise Refused(Msg(N_("the record {id} was changed differently on each side"),
                      {"id": old.id or "?"}))


def render(ours: Side, theirs: Side, base: Side, entries: list[Entry]) -> bytes:
    header = ours.header or theirs.header or base.header
    text = header + "".join(entry.text for entry in entries)
    text = text.replace("\r\n", "\n")
    if ours.newline == "\r\n":
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


def merge_bytes(base: bytes, ours: bytes, theirs: bytes, path: str) -> bytes:
    """The merged file, checked; raises Refused."""
    schema = schema_of(path)
    if schema is None:
        raise Refused(Msg(N_("{file} is not a journal file theodoi merges"), {"file": path}))
    sides = [read_side(raw, f"{path} ({label})", schema)
             for raw, label in ((base, "base"), (ours, "ours"), (theirs, "theirs"))]
    entries = merge_sides(*sides)
    result = render(sides[1], sides[2], sides[0], entries)
    _check(result, path, schema, entries)
    return result


def _check(result: bytes, path: str, schema: Schema, entries: list[Entry]) -> None:
    """Refuse a result that does not read back as exactly the merged records."""
    read = read_records(result, path, schema) if result.strip() else None
    records = read.records if read is not None else []
    ids = [r.text("id").strip() for r in records if r.text("id").strip()]
    if (read is not None and not read.readable) or len(records) != len(entries) \
            or len(set(ids)) != len(ids):
        raise Refused(Msg(N_("the merged {file} does not read back as every record once"),
                          {"file": path}))
