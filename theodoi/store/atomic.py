"""Atomic writes and the writers' lock: a file is either wholly old or wholly
new, never half written, and two writers never interleave.

Used for every file theodoi writes: visit day files, assignments.yaml,
cadres.csv, reports written with --output, the cache and the scripts'
generated files.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from theodoi.base import checks
from theodoi.base.checks import Check
from theodoi.base.problems import Location, TheodoiError
from theodoi.store.textfile import display_path, os_reason

# A temporary file is hidden and ends in .tmp, so that no loader takes it for
# a day file: ".2024-09-15.yaml.4242.1a2b3c4d.tmp".  One pattern, used to make
# the names and to recognise those an interrupted write left behind.
TEMPORARY_NAME = re.compile(r"^\.(?P<target>.+)\.(?P<pid>\d+)\.(?P<nonce>[0-9a-f]{8})\.tmp$")


# The intent record of a change of several files (theodoi.store.transaction):
# named here, in the light module every reader imports, so that a reader checks
# for one without importing the transaction.
INTENT_FILE = ".theodoi-transaction"


def temporary_name(path: Path) -> Path:
    # A name near the system's limit (255 bytes) has no room for the suffix:
    # then a digest of it stands in (only a report may be named so long).
    target = path.name
    if len(target.encode()) > 200:
        target = hashlib.sha256(target.encode()).hexdigest()[:32]
    return path.with_name(f".{target}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def is_temporary_name(name: str) -> bool:
    return TEMPORARY_NAME.match(name) is not None


def leftover_temporaries(path: Path) -> list[Path]:
    """Temporary files of ``path`` left by writers that died (power cut, SIGKILL)."""
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return []
    found = []
    for entry in entries:
        match = TEMPORARY_NAME.match(entry.name)
        if match and match["target"] == path.name:
            found.append(Path(entry.path))
    return found


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: a temporary file in the same
    folder, written and fsynced, renamed over it, then the folder fsynced.

    On any failure the temporary file is removed and ``path`` is left as it
    was; raises TheodoiError naming the file and the system's reason.
    """
    temporary = write_temporary(path, data)
    with _removed_on_failure(temporary, path):
        os.replace(temporary, path)
    fsync_folder(path.parent)


def write_temporary(path: Path, data: bytes) -> Path:
    """``data`` in a new temporary file beside ``path``, fsynced, with the
    permissions ``path`` has (a new file: 0o666 less the umask, as any editor
    would make it); on any failure it is removed and the error names ``path``."""
    temporary = temporary_name(path)
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise os_error(checks.CANNOT_WRITE, path, exc) from exc
    with _removed_on_failure(temporary, path), os.fdopen(fd, "wb") as handle:
        if mode is not None:
            os.fchmod(handle.fileno(), mode)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return temporary


@contextmanager
def _removed_on_failure(temporary: Path, path: Path) -> Iterator[None]:
    """On any failure the temporary file goes; a system error names ``path``."""
    try:
        yield
    except BaseException as exc:
        with suppress(OSError):
            temporary.unlink()
        if isinstance(exc, OSError):
            raise os_error(checks.CANNOT_WRITE, path, exc) from exc
        raise


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new entry durable (it lives in the folder, not the file)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF):  # file systems without folder fsync
            raise
    finally:
        os.close(fd)


@contextmanager
def new_folder(target: Path) -> Iterator[Path]:
    """A folder made whole or not at all: the body fills a staging folder beside
    ``target`` (named as a temporary file), which then replaces it (an empty
    ``target`` is replaced as well); on any failure the staging folder goes and
    ``target`` is as it was.  A system error is ``cannot-create-folder``."""
    import shutil

    staging = temporary_name(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        yield staging
        fsync_folder(staging)
        os.replace(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise os_error(checks.CANNOT_CREATE_FOLDER, target, exc) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_folder(target.parent)


def _is_folder(path: Path) -> bool:
    """Like Path.is_dir, but a path the system refuses to look at (a name too
    long, a loop of links) is an error with its reason, not a traceback."""
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise os_error(checks.CANNOT_CREATE_FOLDER, path, exc) from exc


def make_folder(folder: Path) -> None:
    """Create ``folder`` (its parent must exist) durably; a file in the way, or a
    refusal, is a TheodoiError.  Another process creating it first is fine."""
    if _is_folder(folder):
        return
    if folder.exists() or folder.is_symlink():
        raise TheodoiError(checks.FOLDER_BLOCKED, Location(display_path(folder)))
    try:
        folder.mkdir()
    except FileExistsError:
        if folder.is_dir():  # created by another process in the meantime
            return
        raise TheodoiError(checks.FOLDER_BLOCKED, Location(display_path(folder))) from None
    except OSError as exc:
        raise os_error(checks.CANNOT_CREATE_FOLDER, folder, exc) from exc
    fsync_folder(folder.parent)


def make_folders(folder: Path) -> None:
    """Create ``folder`` and any missing parents (a report's folder on cron's first run)."""
    missing = []
    current = folder
    while not _is_folder(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        make_folder(path)


# Folders this process holds the lock of, with how deeply: a command that
# writes and then commits holds it around both, and the write inside takes it
# again (a second flock on another descriptor of the same folder would wait
# for the first forever).
_held: dict[str, int] = {}


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the exclusive writers' lock of ``folder`` (the data folder).

    ``flock`` on the folder itself, opened read-only: nothing to create,
    git-ignore or clean up, it works when the folder is read-only (so the real
    error, not a lock error, is reported), and the kernel releases it when a
    holder dies, even by SIGKILL.  One lock for the whole data folder keeps a
    write and its git commit together.  A file system that refuses locks (some
    network shares) is a clear error, never a silent unlocked write.
    """
    key = os.path.realpath(folder)
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    import fcntl  # here, not at the top: reading must work where fcntl does not

    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise os_error(checks.CANNOT_OPEN_FOLDER, folder, exc) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            raise os_error(checks.LOCK_FAILED, folder, exc) from exc
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def os_error(check: Check, path: Path, exc: OSError) -> TheodoiError:
    return TheodoiError(check, Location(display_path(path)), reason=os_reason(exc))
