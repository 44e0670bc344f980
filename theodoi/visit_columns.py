"""The visit history as columns, read fast enough for reports on 100,000 visits.

Reports need four fields of each visit (date, cadre, commune, recorded_at).
The full reader in :mod:`theodoi.visits_store` keeps the line of every value
for its messages, which costs about three times a plain libyaml load.  So
each day file is first composed by libyaml and walked by a reader that knows
the shape of a day file; when every record in it is one the full reader
would take without a word (known keys, no key twice, required fields
present, a valid date, codes as text, text trimmed and in NFC), its columns
are taken from that.  Any other file is read again by
:func:`theodoi.visits_store.read_day_file`, so that a doubtful file gives
exactly the visits and problems that ``theodoi validate`` sees.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from theodoi.model import Visit
from theodoi.periods import DateError, parse_date
from theodoi.problems import Location, Problem
from theodoi.textfile import display_path, read_text
from theodoi.visits_store import VISIT_KEYS, read_day_file_or_problem, visit_files
from theodoi.yamlio import bulk_loading

try:
    from yaml import CSafeLoader as _CLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _CLoader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"  # dates are kept as text, as the full reader does
_NULL = "tag:yaml.org,2002:null"
_TEXT_TAGS = (_STR, _TIMESTAMP)


class _ComposeLoader(_CLoader):  # type: ignore[misc,valid-type]
    """libyaml's composer with a memo of implicit tags: a day file repeats the
    same keys, dates, codes and kinds, and resolving each one again through
    the resolver's regular expressions is a good part of the cost."""

    _tags: dict[str, str] = {}  # short values only: keys, dates, codes, kinds

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # only path resolvers use these, and none are registered

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0] and len(value) <= 12:
            tag = self._tags.get(value)
            if tag is None:
                tag = self._tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


_KNOWN_KEYS = frozenset(VISIT_KEYS)
_TEXT_LISTS = ("difficulties", "proposals")


@dataclass
class VisitColumns:
    """One entry per visit in each list; ``file`` indexes ``files``."""

    id: list[str] = field(default_factory=list)
    day: list[int] = field(default_factory=list)  # date.toordinal()
    cadre: list[str] = field(default_factory=list)
    commune: list[str] = field(default_factory=list)
    recorded_at: list[str] = field(default_factory=list)
    file: list[int] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.day)

    def add(self, visit: Visit, file_index: int) -> None:
        self.id.append(visit.id)
        self.day.append(visit.date.toordinal())
        self.cadre.append(visit.cadre)
        self.commune.append(visit.commune)
        self.recorded_at.append(visit.recorded_at)
        self.file.append(file_index)


def load_visit_columns(data_dir: Path) -> VisitColumns:
    columns = VisitColumns()
    with bulk_loading():
        for index, path in enumerate(visit_files(data_dir)):
            columns.files.append(path)
            records = _plain_records(path)
            if records is None:
                _read_exactly(path, index, columns)
                continue
            for record, day, _line in records:
                columns.id.append(record["id"])
                columns.day.append(day)
                columns.cadre.append(record["cadre"])
                columns.commune.append(record["commune"])
                columns.recorded_at.append(record.get("recorded_at") or "")
                columns.file.append(index)
    return columns


def columns_of(visits: Iterable[Visit]) -> VisitColumns:
    """Columns of visits already loaded (all counted as from one file)."""
    columns = VisitColumns()
    for visit in visits:
        columns.add(visit, 0)
    return columns


def visits_in_files(columns: VisitColumns, indexes: Iterable[int]) -> list[Visit]:
    """The full records of some files (for the few visits a report shows in
    detail): the same visits :func:`theodoi.visits_store.read_day_file` gives."""
    visits: list[Visit] = []
    for index in sorted(set(indexes)):
        path = columns.files[index]
        records = _plain_records(path)
        if records is None:
            # Its problems were counted when the columns were read.
            visits.extend(read_day_file_or_problem(path)[0])
            continue
        name = display_path(path)
        visits.extend(_visit(record, day, Location(name, line)) for record, day, line in records)
    return visits


def _read_exactly(path: Path, index: int, columns: VisitColumns) -> None:
    visits, problems = read_day_file_or_problem(path)
    columns.problems.extend(problems)
    for visit in visits:
        columns.add(visit, index)


def _plain_records(path: Path) -> list[tuple[dict[str, Any], int, int]] | None:
    """(record, day ordinal, line) for each visit of the file when every record
    is plainly good; None when the full reader must decide."""
    try:
        root = yaml.compose(read_text(path), Loader=_ComposeLoader)
    except Exception:  # syntax, encoding, anything: the full reader explains it
        return None
    if type(root) is not SequenceNode:
        return None
    found: list[tuple[dict[str, Any], int, int]] = []
    day_of: dict[str, int] = {}
    for node in root.value:
        record = _record(node)
        if record is None:
            return None
        cadre, commune, visit_id = record.get("cadre"), record.get("commune"), record.get("id")
        if not (type(cadre) is str and cadre and type(commune) is str and commune
                and type(visit_id) is str and visit_id):
            return None
        text = record.get("date")
        if type(text) is not str:
            return None
        day = day_of.get(text)
        if day is None:
            try:
                day = day_of[text] = parse_date(text).toordinal()
            except DateError:
                return None
        found.append((record, day, node.start_mark.line + 1))
    return found


def _record(node: object) -> dict[str, Any] | None:
    """A visit mapping of plain text values (and lists of text), or None when
    the record is anything else: a number, a tag, a nested mapping, a key
    given twice, an unknown key, text with surrounding spaces or not in NFC."""
    if type(node) is not MappingNode:
        return None
    record: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = key_node.value
        if key_node.tag != _STR or key not in _KNOWN_KEYS or key in record:
            return None
        if type(value_node) is ScalarNode:
            tag = value_node.tag
            if tag in _TEXT_TAGS:
                value = value_node.value
                if value != value.strip() or not unicodedata.is_normalized("NFC", value):
                    return None
                record[key] = value
            elif tag == _NULL:
                record[key] = None
            else:
                return None
        elif type(value_node) is SequenceNode and key in _TEXT_LISTS:
            if any(type(item) is not ScalarNode or item.tag != _STR
                   for item in value_node.value):
                return None
            record[key] = [item.value for item in value_node.value]
        else:
            return None
    return record


def _visit(record: dict[str, Any], day: int, location: Location) -> Visit:
    """The Visit the full reader builds from the same record."""
    return Visit(
        id=record["id"],
        date=date.fromordinal(day),
        cadre=record["cadre"],
        commune=record["commune"],
        kind=record.get("kind") or "working",
        notes=record.get("notes") or "",
        difficulties=_texts(record.get("difficulties")),
        proposals=_texts(record.get("proposals")),
        recorded_at=record.get("recorded_at") or "",
        substitute=record.get("substitute") or "",
        location=location,
    )


def _texts(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, list):
        return tuple(v for v in value if v not in (None, ""))
    return (value,)
