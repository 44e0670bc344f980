"""The incremental cache: what each day file yielded, kept between commands.

A report on 100,000 unchanged visits should not parse them again a minute
later.  For every day file the cache keeps what the one reader made of it
(the columns the reports and checks use, and the file's problems), keyed by
the file's size, mtime, ctime, inode and device.  A file edited by hand and
given back its old size and mtime still has a new ctime (no program can set
it), and an atomic replace gives a new inode, so an edit is always seen.

Where: two files per data folder in the user's cache folder
(``$THEODOI_CACHE_DIR``, else ``$XDG_CACHE_HOME/theodoi``, else
``~/.cache/theodoi``), named after the data folder's real path: ``.visits``
for the columns and problems, ``.text`` for the visit ids and the
difficulties' and proposals' text, which only some commands read; never in
the data folder, so it is never committed, never shared between users, and
an office clerk and the cron job each keep their own.

Rules that keep a cached result identical to an uncached one:
- the file starts with a magic line, the format and reader version (which
  includes the reading modules' own files, so a changed reader never trusts
  an old cache), the payload's length and CRC-32: a missing, truncated,
  corrupt or foreign cache is ignored and rebuilt, silently (a CRC catches
  torn and damaged files; the cache is the user's own, not a defence against
  a forger, so a cryptographic digest would only cost time);
- an entry is stored only for a file last changed more than a few seconds
  before it was read (git's "racy" rule): a change within the same clock
  tick as the read could otherwise keep the same stamps;
- the cache is replaced atomically (a temporary file renamed over it), so a
  concurrent command reads the old cache or the new one, never half of one.
  It is not fsynced: after a power cut the digest catches a torn file.

The payload is ``marshal``-ed plain values (tuples, strings, bytes): fast to
load, and it runs no code (unlike pickle).
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import mmap
import os
import stat
import sys
import time
import zlib
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from theodoi import __version__
from theodoi.base.checks import InternalError
from theodoi.base.i18n import N_
from theodoi.base.problems import Msg
from theodoi.store.atomic import temporary_name
from theodoi.store.textfile import os_reason

FORMAT = b"theodoi-cache 6"  # 5: item counts per visit; 6: ids and items in .text
# Files changed less than this long before they were read are not cached.
RACY_SECONDS = 3.0
# The modules whose code decides what a day file yields: a change to any of
# them empties the cache.  Full dotted names, each one found or theodoi stops.
_READER_MODULES = ("theodoi.store.dayfile", "theodoi.visits.records", "theodoi.visits.columns",
                   "theodoi.visits.file_rules", "theodoi.store.yamlio", "theodoi.base.periods",
                   "theodoi.store.textfile", "theodoi.base.textnorm", "theodoi.store.cache")

StatKey = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device


def stat_key(stat: os.stat_result) -> StatKey:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


def _reader_version() -> bytes:
    parts = [__version__, sys.version.split()[0], sys.byteorder, str(marshal.version),
             *_reader_stamps()]
    return hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest().encode()


def _reader_stamps() -> list[str]:
    """``module:size:mtime`` of each reader module's source.  A module that
    cannot be found (moved or renamed without this list) is a fault in
    theodoi: left out, a change to it would no longer empty the cache."""
    stamps = []
    for name in _READER_MODULES:
        try:
            spec = importlib.util.find_spec(name)
            origin = spec.origin if spec is not None else None
            stat = os.stat(origin) if origin is not None else None
        except (ImportError, OSError) as exc:
            raise InternalError(f"cache key: reader module {name} unreadable: {exc}") from exc
        if stat is None:
            raise InternalError(f"cache key: reader module {name} not found")
        stamps.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return stamps


@dataclass
class Cache:
    """The cache of one data folder: entries by file (relative path), and the
    vocabulary the entries' code columns index into (it only grows).

    Each file's visit ids and text (more than two thirds of the whole) are
    kept apart, in a second file beside the first (``.text``): an index, then
    each file's text with the key of the file version it came from and its
    own CRC.  ``validate``, ``coverage`` and ``overdue`` never open it; a
    command that lists a week's visits reads that week's texts only."""

    path: Path | None
    vocab: list[str] = field(default_factory=list)
    entries: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    # What was found wrong with the cache (said with --verbose only).
    notes: list[Msg] = field(default_factory=list)
    dirty: bool = False
    _index: dict[str, int] = field(default_factory=dict)
    # The .text file's index, name -> (key, offset, length, CRC-32) of the
    # file's text: None until read; then each text is read when asked for.
    _text_index: dict[str, tuple[Any, ...]] | None = field(default=None, repr=False)
    _text_start: int = field(default=0, repr=False)  # where the texts begin in the file
    _new_texts: dict[str, tuple[Any, ...]] = field(default_factory=dict, repr=False)

    @property
    def text_path(self) -> Path | None:
        return self.path.with_suffix(".text") if self.path is not None else None

    def code(self, text: str) -> int:
        """The vocabulary code of a text, added if new."""
        index = self._index.get(text)
        if index is None:
            index = self._index[text] = len(self.vocab)
            self.vocab.append(text)
            self.dirty = True
        return index

    def get(self, name: str, key: StatKey) -> tuple[Any, ...] | None:
        entry = self.entries.get(name)
        if entry is None or entry[0] != key:
            return None
        return entry

    def put(self, name: str, key: StatKey, entry: tuple[Any, ...], read_at: float,
            racy_seconds: float = RACY_SECONDS, text: tuple[Any, ...] = ()) -> None:
        """Keep ``entry`` (and ``text``, for the .text file) for the file unless
        it changed too recently to trust its stamps (then it will simply be
        read again next time)."""
        changed = max(key[1], key[2]) / 1e9
        if read_at - changed < racy_seconds:
            self.entries.pop(name, None)
        else:
            self.entries[name] = (key, *entry)
            if text:
                self._new_texts[name] = (key, *text)
        self.dirty = True

    def put_text(self, name: str, key: StatKey, text: tuple[Any, ...]) -> None:
        """Keep the text of a file whose entry is kept already (read again for it)."""
        if self.get(name, key) is not None:
            self._new_texts[name] = (key, *text)

    def text(self, name: str, key: StatKey) -> tuple[Any, ...] | None:
        """The text of the file's version ``key``, or None if not kept (or damaged)."""
        new = self._new_texts.get(name)
        if new is not None:
            return new[1:] if new[0] == key else None
        place = self._text_places().get(name)
        if place is None or place[0] != key:
            return None
        raw = self._read_text(place)
        try:
            text = marshal.loads(raw) if raw is not None else None
        except (ValueError, EOFError, TypeError):
            text = None
        return text if isinstance(text, tuple) else None

    def _text_places(self) -> dict[str, tuple[Any, ...]]:
        if self._text_index is None:
            self._text_index = {}
            if self.text_path is not None:
                self._read_text_index(self.text_path)
        return self._text_index

    def _read_text_index(self, path: Path) -> None:
        try:
            with open(path, "rb") as handle:
                header = handle.readline(200)
                fields = header.split()
                if fields[:3] != [*FORMAT.split(b" "), _reader_version()] and len(fields) == 5:
                    self.notes.append(Msg(N_("the cache {path} was made by another version of "
                                             "theodoi; rebuilding it"), {"path": str(path)}))
                    return
                sizes = [int(f) if f.isdigit() else -1 for f in fields[3:5]]
                raw = handle.read(sizes[0]) if len(sizes) == 2 and sizes[0] >= 0 else b""
        except FileNotFoundError:
            return
        except OSError as exc:
            self.notes.append(Msg(N_("cannot use the cache {path}: {reason}; working without "
                                     "it"), {"path": str(path), "reason": os_reason(exc)}))
            return
        try:
            if (len(fields) != 5 or not header.endswith(b"\n") or len(raw) != sizes[0]
                    or zlib.crc32(raw) != sizes[1]):
                raise ValueError("damaged")
            index = marshal.loads(raw)
            if not isinstance(index, dict):
                raise ValueError("unexpected layout")
        except (ValueError, EOFError, TypeError):
            self.notes.append(Msg(N_("the cache {path} is damaged; rebuilding it"),
                                  {"path": str(path)}))
            return
        self._text_index = index
        self._text_start = len(header) + len(raw)

    def _read_text(self, place: tuple[Any, ...]) -> bytes | None:
        """One file's text as stored, checked against its CRC (None: damaged)."""
        _key, offset, length, crc = place
        assert self.text_path is not None
        try:
            with open(self.text_path, "rb") as handle:
                handle.seek(self._text_start + offset)
                raw = handle.read(length)
        except OSError:
            return None
        return raw if len(raw) == length and zlib.crc32(raw) == crc else None

    def keep_only(self, names: set[str]) -> None:
        """Forget files that are gone (deleted or renamed)."""
        for name in [n for n in self.entries if n not in names]:
            del self.entries[name]
            self.dirty = True

    def save(self) -> None:
        """Write what changed: the entries, and the texts when new ones came
        (merged with those kept, for the files whose entries are kept)."""
        if self.path is None:
            return
        if self.dirty:
            _write_payload(self.path, (self.vocab, self.entries), self.notes)
            self.dirty = False
        if self._new_texts and self.text_path is not None:
            self._save_texts(self.text_path)


    def _save_texts(self, path: Path) -> None:
        """Write the .text file again: the texts kept that still match an entry,
        copied as stored, and the new ones."""
        texts: list[tuple[str, StatKey, bytes]] = []
        for name, place in self._text_places().items():
            entry = self.entries.get(name)
            if name not in self._new_texts and entry is not None and entry[0] == place[0]:
                raw = self._read_text(place)
                if raw is not None:
                    texts.append((name, place[0], raw))
        for name, (key, *text) in self._new_texts.items():
            entry = self.entries.get(name)
            if entry is not None and entry[0] == key:
                texts.append((name, key, marshal.dumps(tuple(text))))
        index: dict[str, tuple[Any, ...]] = {}
        offset = 0
        for name, key, raw in texts:
            index[name] = (key, offset, len(raw), zlib.crc32(raw))
            offset += len(raw)
        head = marshal.dumps(index)
        header = b"%s %s %d %d\n" % (FORMAT, _reader_version(), len(head), zlib.crc32(head))
        _write_atomically(path, [header, head, *(raw for _name, _key, raw in texts)],
                          self.notes)
        self._text_index, self._text_start = index, len(header) + len(head)
        self._new_texts = {}


def _write_payload(path: Path, value: Any, notes: list[Msg]) -> None:
    payload = marshal.dumps(value)
    check = f" {len(payload)} {zlib.crc32(payload)}\n".encode()
    _write_atomically(path, [FORMAT, b" ", _reader_version(), check, payload], notes)


def _write_atomically(path: Path, parts: list[bytes], notes: list[Msg]) -> None:
    """A temporary file renamed over ``path`` (not fsynced: see the module's notes)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = temporary_name(path)
        try:
            with open(temporary, "wb") as handle:
                handle.writelines(parts)
            os.replace(temporary, path)
        finally:
            with suppress(OSError):
                temporary.unlink()
    except OSError as exc:
        notes.append(Msg(N_("cannot write the cache {path}: {reason}"),
                         {"path": str(path), "reason": os_reason(exc)}))


class _Unreadable(Exception):
    pass


def _read_payload(path: Path, notes: list[Msg]) -> Any:
    """The value kept in a cache file, or None (missing, damaged, foreign:
    said in ``notes``).  A file that cannot be read raises _Unreadable.  The
    file is mapped rather than read: unmarshalling copies what it keeps, and
    a copy of the whole file first would cost more than the checks."""
    try:
        with open(path, "rb") as handle:
            try:
                data: mmap.mmap | bytes = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file, or one that cannot be mapped
                data = handle.read()
            try:
                with memoryview(data) as view:
                    return _payload_of(view, path, notes)
            finally:
                if isinstance(data, mmap.mmap):
                    data.close()
    except FileNotFoundError:
        return None
    except OSError as exc:
        # A cache that cannot be read (a file where its folder should be, no
        # permission) is not written either: one note says why, once.
        notes.append(Msg(N_("cannot use the cache {path}: {reason}; working without it"),
                         {"path": str(path), "reason": os_reason(exc)}))
        raise _Unreadable from exc


def _payload_of(data: memoryview, path: Path, notes: list[Msg]) -> Any:
    end = bytes(data[:200]).find(b"\n")
    header = bytes(data[:end]).split(b" ") if end > 0 else []
    damaged = Msg(N_("the cache {path} is damaged; rebuilding it"), {"path": str(path)})
    if len(header) != 5:
        notes.append(damaged)
        return None
    if header[:3] != [*FORMAT.split(b" "), _reader_version()]:
        notes.append(Msg(N_("the cache {path} was made by another version of theodoi; "
                            "rebuilding it"), {"path": str(path)}))
        return None
    with data[end + 1:] as payload:
        if (not header[3].isdigit() or int(header[3]) != len(payload)
                or zlib.crc32(payload) != int(header[4] if header[4].isdigit() else -1)):
            notes.append(damaged)
            return None
        try:
            return marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            notes.append(damaged)
            return None


class LoudNote(Msg):
    """A note about the cache said even without --verbose: a cache that is not
    the user's own is a sign of tampering, not of wear."""


def _not_ours(path: Path) -> bool:
    """Whether ``path`` (if there) is another user's, or writable by others:
    a cache anyone else can write could make a report say what it likes."""
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False  # not there: nothing to trust (a file in the way is said when written)
    except OSError:
        return True
    return (info.st_uid != os.getuid() or bool(info.st_mode & 0o022)
            or stat.S_ISLNK(info.st_mode))


def trusted(folder: Path, path: Path) -> bool:
    """The cache is used only when its folder and files are the user's own
    and writable by no one else (as ssh does with its keys)."""
    return not any(_not_ours(p) for p in (folder, path, path.with_suffix(".text")))


def open_cache(folder: Path | None, data_dir: Path) -> Cache:
    """The cache of ``data_dir`` in ``folder`` (None: no cache, work from
    scratch); a cache that is not the user's own is neither read nor written,
    with one warning."""
    if folder is None:
        return Cache(None)
    real = os.path.realpath(data_dir)
    digest = hashlib.blake2b(real.encode("utf-8", "surrogateescape"), digest_size=12)
    cache = Cache(folder / f"{digest.hexdigest()}.visits")
    assert cache.path is not None
    if not trusted(folder, cache.path):
        cache.notes.append(LoudNote(N_("the cache {path} is not yours alone (another user "
                                       "owns it or may write it): it is not used"),
                                    {"path": str(cache.path)}))
        cache.path = None
        return cache
    try:
        loaded = _read_payload(cache.path, cache.notes)
    except _Unreadable:
        cache.path = None
        return cache
    if loaded is None:
        return cache
    if (not isinstance(loaded, tuple) or len(loaded) != 2 or not isinstance(loaded[0], list)
            or not isinstance(loaded[1], dict)
            or not all(type(text) is str for text in loaded[0])
            or not all(type(entry) is tuple and entry and _is_key(entry[0])
                       for entry in loaded[1].values())):
        cache.notes.append(Msg(N_("the cache {path} is damaged; rebuilding it"),
                               {"path": str(cache.path)}))
        return cache
    cache.vocab, cache.entries = loaded
    cache._index = {text: i for i, text in enumerate(cache.vocab)}
    return cache


def _is_key(key: Any) -> bool:
    return type(key) is tuple and len(key) == 5 and all(type(k) is int for k in key)


def now() -> float:
    """The time a file is read at, for the racy rule (the cache's own clock,
    not the command's pinned "today")."""
    return time.time()
