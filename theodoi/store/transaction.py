"""One change to the data folder: all of its files or none, even after SIGKILL.

Every command that writes goes through :func:`transaction`::

    with transaction(data_dir) as tx:
        registers = load_registers(data_dir)  # read again, inside the lock
        old = tx.read(path)                 # what is staged, else what is on disk
        tx.write(path, new_bytes)           # staged: nothing is on disk yet
        tx.commit_as(git, message)          # optional: one git commit of these files

Leaving the block without an exception applies the change; an exception
(``KeyboardInterrupt`` and SIGTERM included) leaves every file as it was.

Applying rolls forward from an intent record, as a database journal does:

1. each new content goes to a temporary file beside its target, fsynced;
2. the intent record ``.theodoi-transaction`` (the targets, their temporary
   files and the digest of each new content) is written atomically: from
   this moment the change has happened;
3. each temporary file is renamed over its target and read back;
4. the intent record is removed.

A process killed before step 2 leaves only temporary files, which the next
writer removes (roll back); killed after it, the next command to open the
folder finishes the renames (roll forward, :func:`recover`).  Either way no
reader sees some files of a change and not the others.  SIGINT and SIGTERM
are held back during steps 1–4 and the commit, and delivered after.

The lock is the data folder's (:func:`theodoi.store.atomic.locked`).  A
transaction opened while another is open on the same folder in this process
joins it, so that an import's hundred appends are one change.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from theodoi.base import checks
from theodoi.base.problems import Location, Msg, TheodoiError
from theodoi.store.atomic import (
    INTENT_FILE,
    fsync_folder,
    locked,
    os_error,
    write_atomically,
)
from theodoi.store.textfile import display_path

if TYPE_CHECKING:
    from theodoi.store.git import Git

INTENT_FORMAT = 1


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived while a transaction was being prepared: treated as Ctrl-C."""


@dataclass
class _Staged:
    path: Path
    data: bytes
    # For --commit: a register must have no other change pending; a journal's
    # day file may hold records appended earlier without --commit, which the
    # commit then takes along (they are appends, and no record is lost).
    must_be_clean: bool = True


@dataclass
class _CommitRequest:
    git: Git
    message: str
    what: Msg
    trailers: dict[str, str]


@dataclass
class Applied:
    """What a transaction did: the files it replaced and the commit it made."""

    paths: list[Path] = field(default_factory=list)
    commit: str | None = None


class Transaction:
    """A change being prepared under the data folder's lock (see the module)."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self._staged: dict[str, _Staged] = {}
        self._commit: _CommitRequest | None = None
        self.applied = Applied()

    # --- reading and staging ----------------------------------------------------

    def read(self, path: Path) -> bytes | None:
        """The content this transaction gives ``path``: staged, else on disk, else None."""
        staged = self._staged.get(_key(path))
        if staged is not None:
            return staged.data
        return read_existing(path)

    def write(self, path: Path, data: bytes, *, must_be_clean: bool = True) -> None:
        """Stage ``data`` as the new content of ``path`` (a file inside the data folder)."""
        self._staged[_key(path)] = _Staged(path, data, must_be_clean)

    def require_clean(self, paths: list[Path]) -> None:
        """For --commit: these files may have no change pending besides this one."""
        for path in paths:
            staged = self._staged.get(_key(path))
            if staged is not None:
                staged.must_be_clean = True

    def commit_as(self, git: Git, message: str, what: Msg,
                  trailers: dict[str, str] | None = None) -> None:
        """Commit exactly this transaction's files with ``message`` (ending with
        ``trailers``, :func:`theodoi.store.git.tool_trailers`) once applied."""
        self._commit = _CommitRequest(git, message, what, trailers or {})

    @property
    def paths(self) -> list[Path]:
        return [staged.path for staged in self._staged.values()]

    # --- applying ---------------------------------------------------------------

    def _changed(self) -> list[_Staged]:
        return [s for s in self._staged.values() if read_existing(s.path) != s.data]

    def apply(self) -> Applied:
        changed = self._changed()
        if self._commit is not None and changed:
            _refuse_pending_changes(self._commit.git, self.data_dir,
                                    [s.path for s in changed if s.must_be_clean])
        with _signals_held():
            if changed:
                _apply(self.data_dir, changed)
            self.applied.paths = [s.path for s in changed]
            if self._commit is not None and changed:
                self.applied.commit = _commit(self._commit, self.applied.paths, self.data_dir)
        return self.applied


def _key(path: Path) -> str:
    return os.path.abspath(path)


def read_existing(path: Path) -> bytes | None:
    """A file's bytes, None when it does not exist; a folder, a special file, a
    file over the size limit or a refusal names the file (bounded: never a
    FIFO's endless wait, never a device's endless read)."""
    from theodoi.store.textfile import read_bytes

    try:
        return read_bytes(path)
    except TheodoiError as exc:
        if exc.check is checks.FILE_MISSING:
            return None
        raise


# --- the one transaction per folder and process -------------------------------------

_open: dict[str, Transaction] = {}


@contextmanager
def transaction(data_dir: Path) -> Iterator[Transaction]:
    """Open (or join) the transaction of ``data_dir``; apply it on a clean exit."""
    if not data_dir.is_dir():
        raise TheodoiError(checks.DATA_FOLDER_MISSING, Location(display_path(data_dir)))
    key = os.path.realpath(data_dir)
    outer = _open.get(key)
    if outer is not None:
        yield outer
        return
    with locked(data_dir):
        recover(data_dir)
        tx = Transaction(data_dir)
        _open[key] = tx
        try:
            with _terminate_as_interrupt():
                yield tx
        finally:
            del _open[key]
        tx.apply()


# --- the protocol --------------------------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _apply(data_dir: Path, changed: list[_Staged]) -> None:
    _roll_forward(data_dir, prepare(data_dir, [(s.path, s.data) for s in changed]))


def prepare(data_dir: Path, changes: list[tuple[Path, bytes]]) -> list[dict[str, str]]:
    """Steps 1 and 2: the new contents beside their targets, then the intent record.
    Any failure before the intent is written removes the temporary files."""
    temporaries: list[Path] = []
    try:
        entries = []
        for path, data in changes:
            temporary = _write_temporary(path, data)
            temporaries.append(temporary)
            entries.append({"target": _relative(data_dir, path),
                            "temporary": _relative(data_dir, temporary),
                            "sha256": _digest(data)})
        for folder in {t.parent for t in temporaries}:
            fsync_folder(folder)
        intent = json.dumps({"format": INTENT_FORMAT, "files": entries}, indent=1)
        write_atomically(data_dir / INTENT_FILE, intent.encode())
    except BaseException:
        for temporary in temporaries:  # roll back: the targets were never touched
            with suppress(OSError):
                temporary.unlink()
        raise
    return entries


def _write_temporary(path: Path, data: bytes) -> Path:
    from theodoi.store.atomic import make_folders, write_temporary

    make_folders(path.parent)
    return write_temporary(path, data)


def _relative(data_dir: Path, path: Path) -> str:
    return os.path.relpath(os.path.abspath(path), os.path.abspath(data_dir))


def _roll_forward(data_dir: Path, entries: list[dict[str, str]]) -> None:
    """Steps 3 and 4: rename what is still to rename, check every target, forget the intent."""
    root = data_dir.resolve()
    folders = set()
    for entry in entries:
        target = root / entry["target"]
        temporary = root / entry["temporary"]
        if temporary.exists():
            try:
                os.replace(temporary, target)
            except OSError as exc:
                raise os_error(checks.CANNOT_WRITE, target, exc) from exc
        folders.add(target.parent)
    for folder in folders:
        fsync_folder(folder)
    for entry in entries:  # the read-back: every target holds what was meant
        target = root / entry["target"]
        content = read_existing(target)
        if content is None or _digest(content) != entry["sha256"]:
            raise TheodoiError(checks.INTERRUPTED_CHANGE, Location(display_path(target)))
    (root / INTENT_FILE).unlink(missing_ok=True)
    fsync_folder(root)


def pending_intent(data_dir: Path) -> bool:
    return (data_dir / INTENT_FILE).exists()


def recover(data_dir: Path) -> bool:
    """Finish a change that a killed process had decided (its intent record is
    there), under the lock the caller holds; True if there was one."""
    path = data_dir / INTENT_FILE
    raw = read_existing(path)
    if raw is None:
        return False
    try:
        intent = json.loads(raw)
        entries = [{k: str(e[k]) for k in ("target", "temporary", "sha256")}
                   for e in intent["files"]]
    except (ValueError, KeyError, TypeError):
        raise TheodoiError(checks.INTERRUPTED_CHANGE, Location(display_path(path))) from None
    for entry in entries:  # never follow a path out of the data folder
        for key in ("target", "temporary"):
            if entry[key].startswith(("/", "..")) or "/../" in f"/{entry[key]}/":
                raise TheodoiError(checks.INTERRUPTED_CHANGE, Location(display_path(path)))
    _roll_forward(data_dir, entries)
    return True


def recover_if_needed(data_dir: Path) -> None:
    """For readers: finish an interrupted change before reading (taking the lock briefly)."""
    if not pending_intent(data_dir):
        return
    with locked(data_dir):
        recover(data_dir)


# --- git and signals -----------------------------------------------------------------


def _refuse_pending_changes(git: Git, data_dir: Path, paths: list[Path]) -> None:
    """The commit must hold this change alone: no file of it may have another change pending."""
    root = git.root(data_dir.resolve())
    if root is None:
        raise TheodoiError(checks.NOT_IN_GIT, folder=display_path(data_dir))
    for path in paths:
        if not path.exists():
            continue
        relative = path.resolve().relative_to(root.resolve()).as_posix()
        status = git.run(["status", "--porcelain", "-z", "--", f":(literal){relative}"], root)
        if status.stdout.strip("\0\n "):
            raise TheodoiError(checks.UNCOMMITTED_CHANGES, file=display_path(path))


def _commit(request: _CommitRequest, paths: list[Path], data_dir: Path) -> str:
    """The change is already safe on disk: a refusal by git says so (exit 1)."""
    try:
        return request.git.commit(paths, request.message, data_dir, trailers=request.trailers)
    except TheodoiError as exc:
        raise TheodoiError(checks.NOT_COMMITTED, what=request.what,
                           file=", ".join(display_path(p) for p in paths),
                           reason=Msg(exc.check.template, exc.params)) from None


_HELD = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the files and the commit are done."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """While a change is prepared, SIGTERM stops it as Ctrl-C does: nothing written."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Terminated()

    previous: Callable[..., object] | int | None = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
