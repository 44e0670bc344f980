"""The visit history as columns: what reports count and checks look at.

Reports and ``validate`` need a few fields of every visit (date, cadre,
commune, kind, whether a stand-in reason was given, the day it was recorded,
its line), not the notes; on 100,000 visits or a million, per-visit Python
objects would cost more than the counting.  So each day file becomes a
handful of packed integer arrays (``array`` module layout, native int32),
text fields coded through a shared vocabulary, and the file's problems.
That is a view of the one reader's result (:func:`theodoi.store.dayfile.read_records`)
and exactly what the incremental cache (:mod:`theodoi.store.cache`) keeps per file:
a warm report reads no YAML at all.

The per-file checks (a visit in another day's file, an unknown kind, an id
twice in one file) run here, once per version of a file, and their problems
are cached with it; the checks that need the registers, today or the whole
history run each time on the columns (:mod:`theodoi.visits.rules`).
"""

from __future__ import annotations

import marshal
import os
import re
from array import array
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from theodoi.base import checks
from theodoi.base.checks import InternalError
from theodoi.base.model import Visit
from theodoi.base.periods import recorded_date
from theodoi.base.problems import Location, Msg, Problem, problem
from theodoi.store.cache import RACY_SECONDS, Cache, StatKey, now, open_cache, stat_key
from theodoi.store.dayfile import scan_folder
from theodoi.store.textfile import display_path
from theodoi.store.visit_ids import ID_TAIL
from theodoi.store.yamlio import bulk_loading
from theodoi.visits.corrections import Correction, Corrections, load_corrections, usable
from theodoi.visits.file_rules import file_problems
from theodoi.visits.records import read_visit_file, visits_folder

SUBSTITUTE = 1  # a bit of ``flags``: the visit gives a stand-in reason
WITHDRAWN = 2  # a bit of ``flags``: a correction withdrew the visit (it counts nowhere)
# int32 each; item_count: the difficulties and proposals a visit gives, as recorded
_COLUMNS = ("day", "cadre", "commune", "kind", "recorded", "line", "item_count")


# A day file's text, kept apart from its columns (theodoi.store.cache): its visit ids
# ("\n"-joined), its difficulties and proposals (marshalled (row, letter,
# position, text)), and each visit's notes, recorded_at and stand-in reason
# (marshalled), for the commands that list visits or follow their items.
FileText = tuple[str, bytes, bytes]


@dataclass(frozen=True, slots=True)
class FileInfo:
    """A day file's place in the columns."""

    path: str
    name: str  # as messages name it
    day: date  # the day its name stands for
    start: int  # its first row in the columns
    count: int
    first_day: int  # the earliest and latest visit dates in it (ordinals; 0 when empty)
    last_day: int

    @property
    def all_of_its_day(self) -> bool:
        """Every visit in it is dated the file's own day (the usual case)."""
        return self.first_day == self.last_day == self.day.toordinal()


@dataclass
class VisitColumns:
    """Every valid visit, one row each, in day-file order then file order."""

    vocab: list[str] = field(default_factory=list)
    files: list[FileInfo] = field(default_factory=list)
    day: bytes = b""  # int32 date.toordinal()
    cadre: bytes = b""  # int32 vocabulary codes
    commune: bytes = b""
    kind: bytes = b""
    recorded: bytes = b""  # int32 ordinal of the day recorded_at names (Viet Nam), 0: none
    line: bytes = b""  # int32
    # int32: how many difficulties and proposals the record gives (a correction
    # that replaces its lists does not change it: see theodoi.followup.proposals)
    item_count: bytes = b""
    flags: bytes = b""  # uint8 bits: SUBSTITUTE
    # int64 per visit given without a stand-in reason: commune code << 32 | cadre code,
    # for the set operations of the assignment check (file by file: plain_pairs_of)
    plain_pairs: bytes = b""
    _pair_starts: list[int] = field(default_factory=list, repr=False)
    # Ids that do not follow their file's "V-YYYYMMDD-n" pattern: (file index, row, id).
    odd_ids: list[tuple[int, int, str]] = field(default_factory=list)
    # Per file: its visit ids ("\n"-joined) and its difficulties and proposals
    # (marshalled), None until a command asks for them (``ids_of``, ``items``):
    # they are the larger part of the cache, kept in a file of their own that
    # validate, coverage and overdue never read (theodoi.store.cache).
    _texts: list[FileText | None] = field(default_factory=list, repr=False)
    _fetch_texts: Callable[[list[int]], None] | None = field(default=None, repr=False)
    _items: list[tuple[int, str, int, str]] | None = field(default=None, repr=False)
    problems: list[Problem] = field(default_factory=list)
    # Every file under visits/ (relative POSIX paths), read or not, for the layout checks.
    entries: list[str] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)  # what was wrong with the cache
    # Rows a correction changed (where the last one is) and the files holding
    # them: the per-file shortcuts of the checks do not hold for those files.
    corrected: dict[int, Location] = field(default_factory=dict)
    touched: set[int] = field(default_factory=set)
    files_read: int = 0  # day files parsed by this load (the others came from the cache)
    texts_read: int = 0  # day files parsed again for their ids and text (not in the cache)
    _arrays: dict[str, array[int]] = field(default_factory=dict, repr=False)

    @property
    def items(self) -> list[tuple[int, str, int, str]]:
        """The difficulties ("K") and proposals ("D") as recorded: (row, letter,
        position from 1, text), for the follow-up of each (theodoi.followup.proposals)."""
        if self._items is None:
            self._items = self.items_in(range(len(self.files)))
        return self._items

    def items_in(self, file_indices: Iterable[int]) -> list[tuple[int, str, int, str]]:
        """The items of some files only, in file order (a summary lists the oldest)."""
        wanted = sorted(set(file_indices))
        texts = self._texts_of(wanted)
        return [(self.files[index].start + r, letter, n, text)
                for index, (_ids, blob, _extras) in zip(wanted, texts, strict=True) if blob
                for r, letter, n, text in marshal.loads(blob)]

    def _texts_of(self, indices: list[int]) -> list[FileText]:
        missing = [i for i in indices if self._texts[i] is None]
        if missing:
            assert self._fetch_texts is not None
            self._fetch_texts(missing)
        return [text for i in indices if (text := self._texts[i]) is not None]

    def __len__(self) -> int:
        return len(self.flags)

    def ints(self, column: str) -> array[int]:
        """A column as Python's packed array (no numpy: validate stays light)."""
        values = self._arrays.get(column)
        if values is None:
            values = self._arrays[column] = array("i")
            values.frombytes(getattr(self, column))
        return values

    def ids_of(self, file_index: int) -> list[str]:
        [(joined, _items, _extras)] = self._texts_of([file_index])
        return joined.split("\n") if joined else []

    def ids(self) -> list[str]:
        every = self._texts_of(list(range(len(self.files))))
        return [i for joined, _items, _extras in every if joined for i in joined.split("\n")]

    def visit_id(self, row: int) -> str:
        index = self.file_index(row)
        return self.ids_of(index)[row - self.files[index].start]

    def recorded_visits(self, index: int) -> list[Visit]:
        """The visits of a day file as recorded, as the one reader makes them
        (theodoi.visits.records.visit_of), from the columns and the file's text:
        a listing of a week need not parse its files.  Not for a file holding a
        corrected visit (``touched``): its columns hold the visit as corrected."""
        if index in self.touched:
            raise InternalError(f"{self.files[index].path}: a corrected file's visits are read "
                                "from the file, not from the columns")
        [(joined, blob, extras)] = self._texts_of([index])
        info = self.files[index]
        ids = joined.split("\n") if joined else []
        lists: dict[tuple[int, str], list[str]] = {}
        for r, letter, _n, text in (marshal.loads(blob) if blob else ()):
            lists.setdefault((r, letter), []).append(text)
        vocab = self.vocab
        start = info.start
        days, cadres, communes, kinds, lines = (
            self.ints(name)[start:start + info.count]
            for name in ("day", "cadre", "commune", "kind", "line"))
        return [Visit(ids[r], date.fromordinal(days[r]), vocab[cadres[r]], vocab[communes[r]],
                      vocab[kinds[r]], notes, tuple(lists.get((r, "K"), ())),
                      tuple(lists.get((r, "D"), ())), recorded_at, substitute,
                      Location(info.name, lines[r]))
                for r, (notes, recorded_at, substitute) in enumerate(marshal.loads(extras))]

    def file_index(self, row: int) -> int:
        import bisect

        return bisect.bisect_right(self.files, row, key=lambda f: f.start) - 1

    def file_of(self, row: int) -> FileInfo:
        return self.files[self.file_index(row)]

    def plain_pairs_of(self, index: int) -> array[int]:
        return self.plain_pairs_between(index, index)

    def plain_pairs_between(self, first: int, last: int) -> array[int]:
        """The plain pairs of the files ``first`` to ``last`` (indices, inclusive)."""
        values = array("q")
        start, end = self._pair_starts[first], self._pair_starts[last + 1]
        values.frombytes(self.plain_pairs[8 * start:8 * end])
        return values

    def location(self, row: int) -> Location:
        """Where a visit's values come from: its record, or the correction that
        last changed it (a problem with the values is that correction's)."""
        if row in self.corrected:
            return self.corrected[row]
        return Location(self.file_of(row).name, self.ints("line")[row])

    def counted(self, row: int) -> bool:
        return not self.flags[row] & WITHDRAWN

    def day_range(self, index: int) -> tuple[int, int]:
        """The earliest and latest dates of a file's visits, as they count now."""
        info = self.files[index]
        if index not in self.touched:
            return info.first_day, info.last_day
        days = [self.ints("day")[r] for r in range(info.start, info.start + info.count)
                if self.counted(r)]
        return (min(days), max(days)) if days else (0, 0)


def load_visit_columns(data_dir: Path, cache_dir: Path | None = None,
                       racy_seconds: float = RACY_SECONDS,
                       corrections: Corrections | None = None) -> VisitColumns:
    """The columns of every day file, taken from the cache where a file has not
    changed and read (then cached) where it has; ``cache_dir`` None reads all.
    A file changed less than ``racy_seconds`` before it is read is not cached
    (tests of the cache itself lower it).  The visits are as their corrections
    leave them (``corrections``: those already loaded, else read here)."""
    cache = open_cache(cache_dir, data_dir)
    columns = VisitColumns()
    parts: dict[str, list[bytes]] = {name: [] for name in (*_COLUMNS, "flags", "plain_pairs")}
    root = visits_folder(data_dir)
    base = display_path(root)  # once: resolving every file's path costs more than reading it
    scan = scan_folder(root)
    columns.entries = scan.entries
    columns.problems.extend(scan.link_problems(base))
    seen: set[str] = set()
    sources: list[tuple[str, StatKey | None]] = []  # per file: its cache name and key
    row = pairs = 0
    cut = len(str(root)) + 1
    with bulk_loading():
        for path, day in scan.day_files:
            relative = path[cut:]
            seen.add(relative)
            name = f"{base}/{relative}"
            entry, text, key = _entry(path, day, relative, name, cache, racy_seconds, columns)
            count, arrays, flags, plain_pairs, (first, last), odd, encoded = entry
            index = len(columns.files)
            columns.files.append(FileInfo(path, name, day, row, count, first, last))
            columns._texts.append(text)
            sources.append((relative, key))
            for column, data in zip(_COLUMNS, arrays, strict=True):
                parts[column].append(data)
            parts["flags"].append(flags)
            parts["plain_pairs"].append(plain_pairs)
            columns._pair_starts.append(pairs)
            pairs += len(plain_pairs) // 8
            if odd:
                columns.odd_ids.extend((index, row + r, i) for r, i in odd)
            if encoded:
                columns.problems.extend(decode_problem(p, name) for p in encoded)
            row += count
    columns._pair_starts.append(pairs)
    cache.keep_only(seen)
    for column, chunks in parts.items():
        setattr(columns, column, b"".join(chunks))
    columns.vocab = cache.vocab
    cache.save()
    columns.notes = cache.notes
    columns._fetch_texts = lambda indices: _fetch_texts(columns, cache, sources, indices)
    if corrections is None:
        corrections = load_corrections(data_dir)
    columns.problems.extend(corrections.problems)
    columns.problems.extend(apply_corrections(columns, corrections))
    return columns


def apply_corrections(columns: VisitColumns, corrections: Corrections) -> list[Problem]:
    """Every visit as its corrections leave it, in the order they were made;
    the problems of corrections that cannot apply (an unknown visit, a change
    after a withdrawal)."""
    records = usable(corrections.records)
    if not records:
        return []
    problems: list[Problem] = []
    row_of = row_finder(columns)
    arrays = {name: array("i", columns.ints(name)) for name in ("day", "cadre", "commune",
                                                                  "kind")}
    flags = bytearray(columns.flags)
    codes = {text: i for i, text in enumerate(columns.vocab)}

    def code(text: str) -> int:
        if text not in codes:
            codes[text] = len(columns.vocab)
            columns.vocab.append(text)
        return codes[text]

    withdrawn_by: dict[int, Correction] = {}
    for correction in records:
        row = row_of(correction.visit)
        if row is None:
            problems.append(problem(checks.CORRECTION_UNKNOWN_VISIT, correction.location,
                                    id=correction.id, visit=correction.visit))
            continue
        if row in withdrawn_by:
            problems.append(problem(checks.CORRECTION_AFTER_WITHDRAWAL, correction.location,
                                    id=correction.id, visit=correction.visit,
                                    withdrawal=withdrawn_by[row].id))
            continue
        if correction.withdraws:
            flags[row] |= WITHDRAWN
            withdrawn_by[row] = correction
        for key, value in correction.changes.items() if not correction.withdraws else ():
            if key == "date" and value is not None:
                arrays["day"][row] = value.toordinal()
            elif key in ("cadre", "commune"):
                arrays[key][row] = code(value)
            elif key == "kind":
                arrays["kind"][row] = code(value or "working")
            elif key == "substitute":
                flags[row] = flags[row] | SUBSTITUTE if value else flags[row] & ~SUBSTITUTE
        columns.corrected[row] = correction.location
        columns.touched.add(columns.file_index(row))
    for name, values in arrays.items():
        setattr(columns, name, values.tobytes())
    columns.flags = bytes(flags)
    columns._arrays.clear()
    return problems


def row_finder(columns: VisitColumns) -> Callable[[str], int | None]:
    """Visit id -> row: through its date's day file (ids follow their day), else
    among the ids that do not."""
    file_of_day = {info.day: index for index, info in enumerate(columns.files)}
    odd: dict[str, int] = {}
    for _file, row, visit_id in columns.odd_ids:
        odd.setdefault(visit_id, row)
    pattern = re.compile(rf"V-(\d{{4}})(\d{{2}})(\d{{2}})-{ID_TAIL}")

    def find(visit_id: str) -> int | None:
        match = pattern.fullmatch(visit_id)
        if match:
            try:
                index = file_of_day.get(date(*map(int, match.groups())))
            except ValueError:
                index = None
            if index is not None:
                ids = columns.ids_of(index)
                if visit_id in ids:
                    return columns.files[index].start + ids.index(visit_id)
        return odd.get(visit_id)

    return find


def _entry(path: str, day: date, relative: str, name: str, cache: Cache,
           racy_seconds: float, columns: VisitColumns
           ) -> tuple[tuple[Any, ...], FileText | None, StatKey | None]:
    """A file's entry (from the cache, or read and cached), its text when it
    was read (None: in the cache's text file), and its stat key."""
    try:
        key: StatKey | None = stat_key(os.stat(path))
    except OSError:
        key = None
    if key is not None:
        cached = cache.get(relative, key)
        if cached is not None and _plausible(cached[1:], len(cache.vocab), name):
            return cached[1:], None, key
    read_at = now()
    entry, text = _read_entry(path, day, name, cache)
    columns.files_read += 1
    if key is not None:
        cache.put(relative, key, entry, read_at, racy_seconds, text)
    return entry, text, key


_CODE_COLUMNS = tuple(_COLUMNS.index(c) for c in ("cadre", "commune", "kind"))
_DAY = _COLUMNS.index("day")


def _plausible(entry: tuple[Any, ...], vocab_size: int, name: str) -> bool:
    """Whether a cached entry has the shape :func:`_read_entry` makes, its codes
    within the vocabulary and its days real: a cache of another shape (damaged
    in a way its CRC cannot tell, or made by hand) is read again, never a crash."""
    try:
        count, arrays, flags, pairs, day_range, odd, encoded = entry
        if not (type(count) is int and type(arrays) is tuple and len(arrays) == len(_COLUMNS)
                and all(type(a) is bytes and len(a) == 4 * count for a in arrays)
                and type(flags) is bytes and len(flags) == count and type(pairs) is bytes
                and len(pairs) % 8 == 0 and len(pairs) <= 8 * count
                and type(day_range) is tuple and len(day_range) == 2
                and type(odd) is tuple and type(encoded) is tuple):
            return False
        for index in _CODE_COLUMNS:
            codes = array("i", arrays[index])
            if codes and (min(codes) < 0 or max(codes) >= vocab_size):
                return False
        days = array("i", arrays[_DAY])
        if days and (min(days) < 1 or max(days) > date.max.toordinal()):
            return False
        halves = array("i", pairs)  # each pair is commune << 32 | cadre
        if halves and (min(halves) < 0 or max(halves) >= vocab_size):
            return False
        if not all(type(r) is int and 0 <= r < count and type(i) is str for r, i in odd):
            return False
        for problem_ in encoded:
            decode_problem(problem_, name)
    except (TypeError, ValueError, KeyError, IndexError, OverflowError, AttributeError):
        return False
    return True


def _plausible_text(text: Any, count: int) -> bool:
    """Whether a cached text has the shape :func:`_read_entry` makes for a file
    of ``count`` visits (else it is read again from the file)."""
    try:
        ids, items, extras = text
        if not (type(ids) is str and type(items) is bytes and type(extras) is bytes):
            return False
        found = marshal.loads(items) if items else ()
        more = marshal.loads(extras)
        return (type(found) is tuple and type(more) is tuple and len(more) >= count
                and all(type(i) is tuple and len(i) == 4 and type(i[0]) is int
                        and type(i[3]) is str for i in found)
                and all(type(e) is tuple and len(e) == 3
                        and all(type(t) is str for t in e) for e in more))
    except (TypeError, ValueError, EOFError):
        return False


def _fetch_texts(columns: VisitColumns, cache: Cache, sources: list[tuple[str, StatKey | None]],
                 indices: list[int]) -> None:
    """The ids and items of files whose entries came from the cache: from its
    text file, else read again (and kept for next time)."""
    read_again = False
    for index in indices:
        relative, key = sources[index]
        text = cache.text(relative, key) if key is not None else None
        info = columns.files[index]
        if text is None or not _plausible_text(text, info.count):
            _entry_again, text = _read_entry(info.path, info.day, info.name, cache)
            text = _first_rows(text, info.count)
            columns.texts_read += 1
            with suppress(OSError):
                if key is not None and stat_key(os.stat(info.path)) == key:
                    cache.put_text(relative, key, text)
                    read_again = True
        columns._texts[index] = (text[0], text[1], text[2])
    if read_again:
        cache.save()


def _first_rows(text: FileText, count: int) -> FileText:
    """The text of a file's first ``count`` visits: a file appended to since
    its entry was made still starts with the same records."""
    ids = text[0].split("\n") if text[0] else []
    if len(ids) == count:
        return text
    ids = (ids + [""] * count)[:count]
    items = [item for item in marshal.loads(text[1]) if item[0] < count] if text[1] else []
    extras = (list(marshal.loads(text[2])) + [("", "", "")] * count)[:count]
    return ("\n".join(ids), marshal.dumps(tuple(items)) if items else b"",
            marshal.dumps(tuple(extras)))


def _read_entry(path: str, day: date, name: str, cache: Cache
                ) -> tuple[tuple[Any, ...], FileText]:
    """What one day file yields, as plain values the cache can keep: (count,
    int32 columns, flags, pairs, day range, odd ids, problems) and its text
    (ids, difficulties and proposals)."""
    result = read_visit_file(Path(path), name)
    visits = [r for r in result.records if r.valid]
    problems = result.problems + file_problems(visits, day, name)
    columns = {column: array("i") for column in _COLUMNS}
    flags = bytearray()
    ids: list[str] = []
    odd: list[tuple[int, str]] = []
    items: list[tuple[int, str, int, str]] = []
    extras: list[tuple[str, str, str]] = []
    native = re.compile(rf"V-{day:%Y%m%d}-{ID_TAIL}")
    code = cache.code
    for row, record in enumerate(visits):
        fields = record.fields
        visit_id = fields["id"]
        ids.append(visit_id)
        if not native.fullmatch(visit_id) or "\n" in visit_id:
            odd.append((row, visit_id))
        assert record.day is not None
        columns["day"].append(record.day.toordinal())
        columns["cadre"].append(code(fields["cadre"]))
        columns["commune"].append(code(fields["commune"]))
        columns["kind"].append(code(fields.get("kind") or "working"))
        stamp = recorded_date(fields.get("recorded_at") or "")
        columns["recorded"].append(stamp.toordinal() if stamp else 0)
        columns["line"].append(record.line)
        flags.append(SUBSTITUTE if fields.get("substitute") else 0)
        before = len(items)
        for letter, key in (("K", "difficulties"), ("D", "proposals")):
            items.extend((row, letter, n, text)
                         for n, text in enumerate(record.texts(key), start=1))
        columns["item_count"].append(len(items) - before)
        extras.append((record.text("notes"), record.text("recorded_at"),
                       record.text("substitute")))
    pairs = array("q", (commune << 32 | cadre for commune, cadre, flag in
                        zip(columns["commune"], columns["cadre"], flags, strict=True)
                        if not flag & SUBSTITUTE))
    days = columns["day"]
    day_range = (min(days), max(days)) if days else (0, 0)
    entry = (len(visits), tuple(columns[c].tobytes() for c in _COLUMNS), bytes(flags),
             pairs.tobytes(), day_range, tuple(odd), tuple(encode_problem(p) for p in problems))
    return entry, ("\n".join(ids), marshal.dumps(tuple(items)) if items else b"",
                   marshal.dumps(tuple(extras)))


# --- problems as plain values -------------------------------------------------------------
# A cached problem drops its file name (the file's display name depends on the
# folder a command runs from) and keeps its check's code, place and parameters;
# dates and translatable parts are tagged tuples, since no parameter is a tuple.


def encode_problem(problem: Problem) -> tuple[Any, ...]:
    own = problem.location.file
    return (problem.code, problem.location.line, problem.location.column,
            tuple((k, _encode(v, own)) for k, v in problem.params.items()))


def decode_problem(encoded: tuple[Any, ...], name: str) -> Problem:
    code, line, column, params = encoded
    return Problem(checks.REGISTRY[code], Location(name, line, column),
                   {k: _decode(v, name) for k, v in params})


def _encode(value: Any, own: str) -> Any:
    """A parameter as plain values; a place in the problem's own file keeps
    only its line (the file's name depends on the folder a command runs from)."""
    if isinstance(value, date):
        return ("date", value.toordinal())
    if isinstance(value, Location):
        return ("place", "" if value.file == own else value.file, value.line, value.column)
    if isinstance(value, Msg):
        return ("msg", value.template, tuple((k, _encode(v, own))
                                             for k, v in value.params.items()))
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _decode(value: Any, name: str) -> Any:
    if isinstance(value, tuple):
        if value[0] == "date":
            return date.fromordinal(value[1])
        if value[0] == "place":
            return Location(value[1] or name, value[2], value[3])
        return Msg(value[1], {k: _decode(v, name) for k, v in value[2]})
    return value


def matching_files(columns: VisitColumns, commune: str | None = None, cadre: str | None = None,
                   start: date | None = None, end: date | None = None) -> list[int]:
    """The day files holding at least one visit that fits (a listing then reads
    only those in full)."""
    code_of = {text: i for i, text in enumerate(columns.vocab)}
    if (commune is not None and commune not in code_of) or (
            cadre is not None and cadre not in code_of):
        return []
    communes, cadres, days = columns.ints("commune"), columns.ints("cadre"), columns.ints("day")
    low = start.toordinal() if start else None
    high = end.toordinal() if end else None
    found = []
    for index, info in enumerate(columns.files):
        for row in range(info.start, info.start + info.count):
            if (columns.counted(row)
                    and (commune is None or communes[row] == code_of[commune])
                    and (cadre is None or cadres[row] == code_of[cadre])
                    and (low is None or days[row] >= low)
                    and (high is None or days[row] <= high)):
                found.append(index)
                break
    return found


def files_between(columns: VisitColumns, start: date, end: date) -> list[int]:
    """The day files holding a visit dated from ``start`` to ``end`` (normally
    their own day files, any file where such a visit was misfiled, and any
    file of a visit a correction moved into the period)."""
    low, high = start.toordinal(), end.toordinal()
    found = []
    for index, info in enumerate(columns.files):
        first, last = columns.day_range(index)
        if info.count and first <= high and last >= low:
            found.append(index)
    return found


def recorded_visits(columns: VisitColumns, file_indices: Iterable[int]) -> list[Visit]:
    """The visits of these day files as recorded (corrections are the
    caller's to apply): from the cache where it holds the file's text, read
    again where a correction changed the columns of one of its visits."""
    from theodoi.visits.records import visits_of

    return [visit for index in file_indices
            for visit in (visits_of(Path(columns.files[index].path))[0]
                          if index in columns.touched else columns.recorded_visits(index))]


def visits_dated(columns: VisitColumns, corrections: Corrections, start: date, end: date
                 ) -> list[Visit]:
    """The full visits dated from ``start`` to ``end`` as their corrections leave
    them (a withdrawn one left out), in day-file order: what a week's listing
    shows, read from the cache where it holds the files' text."""
    from theodoi.visits.corrections import effective

    by_visit = corrections.by_visit()
    return [found for visit in recorded_visits(columns, files_between(columns, start, end))
            if (found := effective(visit, by_visit.get(visit.id, ())).visit) is not None
            and start <= found.date <= end]
