"""Day files: dated YAML lists of records, read by one reader and only appended to.

A day file (``visits/2024/2024-09-15.yaml``) is a YAML sequence of
mappings, one record per item, new items added at the end.  This module
holds the one function that reads such a file, :func:`read_records`: it
walks the composed YAML nodes once and yields raw records (each field's
value and line) plus the problems found on the way.  Everything else is a
view of that result: the full :class:`~theodoi.base.model.Visit`, the columns the
reports count, and the per-record view the audit compares across commits.

What a record may hold is a :class:`Schema` (the visit's is in
:mod:`theodoi.visits.records`), so that later kinds of record (corrections,
acknowledgements) are read by the same walker with their own fields.

Writing is appending (:func:`append_records`): the old bytes unchanged, then
the new items, through an atomic replace, checked by reading the result back.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from theodoi.base import checks
from theodoi.base.checks import Check, InternalError
from theodoi.base.periods import DateError, parse_date
from theodoi.base.problems import Location, Problem, TheodoiError, problem
from theodoi.base.textnorm import control_character
from theodoi.store.textfile import decode, display_path, link_name, read_bytes
from theodoi.store.yamlio import TEXT_TAGS, build, compose, dump, refused, scalar

# What a field may hold.
TEXT = "text"  # one line of text; numbers are taken as their text
CODE = "code"  # text that must be quoted: an unquoted 02068 is a number to YAML
DATE = "date"  # 2024-09-15 or 15/09/2024
TEXTS = "texts"  # a list of texts (or one text)
FLAG = "flag"  # true or false

_KINDS = (TEXT, CODE, DATE, TEXTS, FLAG)


@dataclass(frozen=True)
class Schema:
    """The fields a kind of record may have, in the order they are written."""

    noun: str  # the list's name in messages: "visits"
    fields: dict[str, str]  # field -> kind
    required: tuple[str, ...]
    not_a_list: Check  # the check of a file that is not a list of such records
    date_field: str = "date"  # the field whose date the record is filed under

    def __post_init__(self) -> None:
        unknown = [kind for kind in self.fields.values() if kind not in _KINDS]
        undeclared = [name for name in self.required if name not in self.fields]
        if unknown or undeclared:
            raise InternalError(f"schema of {self.noun}: unknown field kinds {unknown}, "
                                f"required fields not declared {undeclared}")


@dataclass
class RawRecord:
    """One item of a day file as written: its fields' values and lines.

    ``valid`` is false when a required field is missing or a value cannot be
    used (the problems say why); ``day`` is the parsed date field.
    """

    line: int
    fields: dict[str, Any]
    lines: dict[str, int]
    valid: bool = True
    day: date | None = None

    def text(self, name: str) -> str:
        value = self.fields.get(name)
        return "" if value is None else str(value)

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.fields.get(name)
        if value is None or value == "":
            return ()
        if isinstance(value, list):
            return tuple(str(v) for v in value if v not in (None, ""))
        return (str(value),)


@dataclass
class DayRecords:
    """What one day file yields: its records and the problems found in it."""

    records: list[RawRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True  # false: the file as a whole could not be read


def read_records(raw: bytes, name: str, schema: Schema) -> DayRecords:
    """The one reader: every record of a day file and every problem in it.

    Never raises for what the file holds: a file that cannot be decoded or
    parsed is one problem and no records; a broken record is a problem and an
    invalid record, and the others are read as usual.
    """
    result = DayRecords()
    if not raw:
        # An atomic writer never leaves an empty day file: it was truncated.
        result.problems.append(problem(checks.EMPTY_DAY_FILE, Location(name)))
        return result
    try:
        root = compose(decode(raw, name), name)
    except TheodoiError as exc:
        result.readable = False
        result.problems.append(exc.as_problem(name))
        return result
    if root is None:  # only comments or blank lines: no records, nothing wrong
        return result
    if type(root) is not SequenceNode:
        result.readable = False
        result.problems.append(problem(schema.not_a_list, Location(name, 1)))
        return result
    walker = _Walker(name, schema, result.problems)
    for node in root.value:
        record = walker.record(node)
        if record is not None:
            result.records.append(record)
    return result


class _Walker:
    """Reads records off nodes; the memo of parsed dates is per file (a day
    file repeats one date)."""

    def __init__(self, name: str, schema: Schema, problems: list[Problem]):
        self.name = name
        self.schema = schema
        self.problems = problems
        self.dates: dict[str, date | None] = {}

    def _problem(self, check: Check, line: int, **params: Any) -> None:
        self.problems.append(problem(check, Location(self.name, line), **params))

    def record(self, node: yaml.Node) -> RawRecord | None:
        line = node.start_mark.line + 1
        if type(node) is not MappingNode:
            self._problem(checks.BAD_ITEM, line, key=self.schema.noun)
            return None
        if node.tag != "tag:yaml.org,2002:map":
            self.problems.append(refused(node, self.name).as_problem(self.name))
            return None
        record = RawRecord(line, {}, {})
        known = self.schema.fields
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if type(key_node) is not ScalarNode or key_node.tag not in TEXT_TAGS:
                self._problem(checks.YAML_KEY_NOT_TEXT, key_line)
                record.valid = False
                continue
            key = key_node.value
            if key in record.lines:
                self._problem(checks.YAML_DUPLICATE_KEY, key_line, key=key,
                              first=record.lines[key])
                record.valid = False
                continue
            record.lines[key] = value_line = value_node.start_mark.line + 1
            kind = known.get(key)
            try:
                if kind is None:
                    # Not read, but kept as written: the audit compares whole records.
                    self._problem(checks.UNKNOWN_KEY, key_line, key=key)
                    record.fields[key] = build(value_node, self.name)
                    continue
                value = self._value(value_node, kind, key)
            except TheodoiError as exc:
                self.problems.append(exc.as_problem(self.name))
                record.valid = False
                continue
            if value is _INVALID:
                record.valid = False
                continue
            record.fields[key] = value
            self._check_text(value, key, value_line)
        self._finish(record)
        return record

    def _value(self, node: yaml.Node, kind: str, key: str) -> Any:
        line = node.start_mark.line + 1
        if type(node) is ScalarNode:
            value = scalar(node, self.name)
            if kind == CODE and isinstance(value, int) and not isinstance(value, bool):
                self._problem(checks.UNQUOTED_CODE, line)
                return _INVALID
            if kind == FLAG:
                if value is None or isinstance(value, bool):
                    return value
                self._problem(checks.BAD_FIELD, line, key=key)
                return _INVALID
            if value is None or isinstance(value, str):
                return value
            return str(value)  # a number where text is expected: taken as its text
        if type(node) is SequenceNode and kind == TEXTS:
            items = []
            for item in node.value:
                if type(item) is not ScalarNode:
                    self._problem(checks.BAD_FIELD, item.start_mark.line + 1, key=key)
                    return _INVALID
                value = scalar(item, self.name)
                if value is not None:
                    items.append(value if isinstance(value, str) else str(value))
            return items
        self._problem(checks.BAD_FIELD, line, key=key)
        return _INVALID

    def _check_text(self, value: Any, key: str, line: int) -> None:
        for text in (value if isinstance(value, list) else (value,)):
            if not isinstance(text, str):
                continue
            if text != text.strip():
                self._problem(checks.SURROUNDING_SPACES, line, column=key)
            if not unicodedata.is_normalized("NFC", text):
                self._problem(checks.NOT_NFC, line, column=key)
            # isprintable() in C first: the regex only for the rare text it doubts.
            if not text.isprintable() and (char := control_character(text)) is not None:
                self._problem(checks.CONTROL_CHARACTER, line, column=key, char=char)

    def _finish(self, record: RawRecord) -> None:
        fields = record.fields
        for name in self.schema.required:
            if name in record.lines and name not in fields:
                continue  # present but unusable: its own problem has been said
            if fields.get(name) in (None, "", []):
                self._problem(checks.MISSING_FIELD, record.lines.get(name, record.line),
                              column=name)
                record.valid = False
        text = fields.get(self.schema.date_field)
        if isinstance(text, str) and text:
            if text not in self.dates:
                try:
                    self.dates[text] = parse_date(text)
                except DateError:
                    self.dates[text] = None
            record.day = self.dates[text]
            if record.day is None:
                self._problem(checks.BAD_DATE, record.lines[self.schema.date_field],
                              key=self.schema.date_field, value=text)
                record.valid = False


class _Invalid:
    """A value that could not be used; its problem has been reported."""


_INVALID = _Invalid()


# --- the files of a journal ---------------------------------------------------------------


def day_of_name(name: str) -> date | None:
    """The date a day file's name stands for (``2024-09-15.yaml``), or None."""
    if len(name) != 15 or name[10:] != ".yaml":
        return None
    try:
        return date.fromisoformat(name[:10])
    except ValueError:
        return None


def day_file(folder: Path, day: date) -> Path:
    return folder / f"{day.year:04d}" / f"{day.isoformat()}.yaml"


@dataclass
class JournalFolder:
    """One scan of a journal folder: its day files in date order, and every
    file in it (relative POSIX paths), so that the layout checks can name the
    files no reader reads."""

    day_files: list[tuple[str, date]] = field(default_factory=list)  # (path, its day)
    entries: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # symbolic links: never read
    folder: str = ""  # how messages name the folder, when it is itself a link

    def link_problems(self, base: str) -> list[Problem]:
        """One error per link, named as messages name the folder's files."""
        return [problem(checks.DATA_FILE_LINK,
                        Location(self.folder if entry == "." else f"{base}/{entry}"))
                for entry in self.links]


def scan_folder(folder: Path) -> JournalFolder:
    """Day files ``YYYY/YYYY-MM-DD.yaml`` and all entries, in one walk.

    Files named otherwise, or in another year's folder, are not read (their
    records would be counted on the wrong day); validation names them.
    """
    found = JournalFolder()
    root = str(folder)
    if os.path.islink(root):  # the whole journal elsewhere: read nothing through it
        return JournalFolder(links=["."], folder=link_name(folder))
    for current, folders, files in os.walk(root):
        folders.sort()
        relative = current[len(root) + 1:]
        year = relative if len(relative) == 4 and relative.isdigit() else None
        linked = [name for name in folders if os.path.islink(f"{current}/{name}")]
        for name in sorted(files + linked):  # os.walk does not enter a linked folder
            found.entries.append(f"{relative}/{name}" if relative else name)
            if os.path.islink(f"{current}/{name}"):
                found.links.append(found.entries[-1])
                continue
            day = day_of_name(name) if year else None
            if day is not None and day.year == int(year or 0):
                found.day_files.append((f"{current}/{name}", day))
    found.entries.sort()
    found.day_files.sort(key=lambda item: item[1])
    return found


def folder_records(folder: Path, schema: Schema, problems: list[Problem],
                   scan: JournalFolder | None = None) -> Iterator[tuple[RawRecord, str]]:
    """Every record of a journal folder's day files (corrections, status
    changes, acknowledgements), in date then file order, with the name that
    messages give its file; what is wrong with a file goes into ``problems``."""
    base = display_path(folder)
    scan = scan or scan_folder(folder)
    problems.extend(scan.link_problems(base))
    for path, day in scan.day_files:
        name = f"{base}/{day.year:04d}/{Path(path).name}"
        try:
            raw = read_bytes(Path(path))
        except TheodoiError as exc:
            problems.append(exc.as_problem(name))
            continue
        result = read_records(raw, name, schema)
        problems.extend(result.problems)
        for record in result.records:
            yield record, name


# --- appending a record -----------------------------------------------------------------------
#
# Appending rewrites the day file as its old bytes, unchanged, followed by the
# new item, through a temporary file renamed over it (atomic).  A concurrent
# reader sees the old file or the new one, never half of one; a writer killed
# at any moment leaves the old file whole (and at worst a hidden *.tmp file).


@dataclass(frozen=True)
class Appended:
    id: str
    path: Path
    line: int  # the line the new item starts on


def append_record(data_dir: Path, folder: str, day: date, schema: Schema, prefix: str,
                  record: Callable[[str], dict[str, Any]],
                  check: Callable[[list[RawRecord], str], None] | None = None) -> Appended:
    """Append one record to the day file of ``day`` in the journal ``folder``
    (``visits``, ``corrections``...) and return where it went.

    Under the data folder's lock (taken here, or already held by a caller that
    commits afterwards), the day file is read, ``check(records, file name)``
    may refuse (a duplicate), the id ``PREFIX-YYYYMMDD-n`` is numbered (the
    highest of the day + 1), ``record(id)`` gives the mapping to write, and the
    file is rewritten atomically after checking that the result reads back as
    the old records plus the new one.  Raises TheodoiError, leaving every file
    as it was, if the day file cannot be read, on a refusal, or if the disk
    refuses the write.  Nothing but that one day file is read or written.
    """
    return append_to_file(
        data_dir, Path(folder) / f"{day.year:04d}" / f"{day.isoformat()}.yaml", schema,
        lambda on_record: new_record_id(f"{prefix}-{day:%Y%m%d}-", on_record, record),
        record, check)


def new_record_id(stem: str, on_record: list[RawRecord],
                  record: Callable[[str], dict[str, Any]]) -> str:
    """The id of a record appended after ``on_record`` (see :mod:`theodoi.store.visit_ids`):
    the raw ids are taken, so that a record broken in another field keeps its id."""
    from theodoi.store.visit_ids import new_id

    content = {key: value for key, value in record("").items() if key != "id"}
    return new_id(stem, (r.text("id") for r in on_record), content)


def append_to_file(data_dir: Path, relative: Path, schema: Schema,
                   new_id_of: Callable[[list[RawRecord]], str],
                   record: Callable[[str], dict[str, Any]],
                   check: Callable[[list[RawRecord], str], None] | None = None) -> Appended:
    """Append one record to the file ``relative`` to the data folder (a day
    file, or a year's file such as ``plans/2026.yaml``), as :func:`append_record`
    does: under the lock, ``check`` may refuse, ``new_id_of(records on file)``
    names the new record, the result is read back before it replaces the file."""
    from theodoi.store.atomic import leftover_temporaries, make_folder
    from theodoi.store.textfile import display_path
    from theodoi.store.transaction import transaction

    with transaction(data_dir) as tx:
        path = data_dir / relative
        folder = data_dir
        for part in relative.parent.parts:
            folder = folder / part
            make_folder(folder)
        for stale in leftover_temporaries(path):
            # Left by a writer that died before deciding its change; safe to
            # remove under the lock, which every writer holds while it has one.
            stale.unlink(missing_ok=True)
        name = display_path(path)
        old = _existing_bytes(tx.read(path), path)
        on_record = _appendable(old, name, schema)
        if check is not None:
            check(on_record, name)
        new_id = new_id_of(on_record)
        written = record(new_id)
        refuse_control_characters(written)
        new = _appended(old, dump([written]))
        _check_reads_back(new, name, schema, len(on_record), new_id)
        tx.write(path, new, must_be_clean=False)
    # The new item starts on the line after the old text (and the newline added).
    line = old.count(b"\n") + (0 if not old or old.endswith(b"\n") else 1) + 1
    return Appended(new_id, path, line)


def refuse_control_characters(record: dict[str, Any]) -> None:
    """Refuse, naming the field, a record to write holding a control character:
    every writer of a journal comes here (visits, corrections, proposals'
    notes, imports)."""
    for key, value in record.items():
        for text in value if isinstance(value, list | tuple) else (value,):
            char = control_character(text) if isinstance(text, str) else None
            if char is not None:
                raise TheodoiError(checks.CONTROL_CHARACTER, column=key, char=char)


def _existing_bytes(content: bytes | None, path: Path) -> bytes:
    """The day file's bytes (none yet: empty); a folder in its place is refused."""
    if content is None and path.is_dir():
        from theodoi.store.textfile import display_path

        raise TheodoiError(checks.NOT_A_FILE, Location(display_path(path)))
    return content or b""


def _appendable(old: bytes, name: str, schema: Schema) -> list[RawRecord]:
    """The records already in the day file; a file that cannot be read whole is
    not appended to (its problem is the reason)."""
    if not old:
        return []
    result = read_records(old, name, schema)
    if not result.readable:
        first = result.problems[0]
        raise TheodoiError(first.check, first.location, **first.params)
    return result.records


def _appended(old: bytes, addition: str) -> bytes:
    """The old bytes untouched, then the new item in the file's own line endings."""
    newline = b"\r\n" if b"\r\n" in old else b"\n"
    encoded = addition.encode("utf-8").replace(b"\n", newline)
    separator = newline if old and not old.endswith(b"\n") else b""
    return old + separator + encoded


def _check_reads_back(new: bytes, name: str, schema: Schema, count: int, new_id: str) -> None:
    """Refuse to write unless the result reads as the old items plus the new one
    (a flow-style list such as ``[]`` cannot be appended to)."""
    result = read_records(new, name, schema)
    last = result.records[-1] if result.records else None
    if (not result.readable or len(result.records) != count + 1 or last is None
            or last.text("id") != new_id):
        raise TheodoiError(checks.CANNOT_APPEND, Location(name))
