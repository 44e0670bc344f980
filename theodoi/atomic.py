"""Atomic writes: a file is either wholly old or wholly new, never half written.

Used for every file theodoi writes: visit day files, assignments.yaml,
cadres.csv, reports written with --output, and the scripts' generated files.
"""

from __future__ import annotations

import errno
import os
from contextlib import suppress
from pathlib import Path

from theodoi.i18n import N_
from theodoi.problems import Location, TheodoiError
from theodoi.textfile import display_path


def temporary_name(path: Path) -> Path:
    # Hidden and ending in .tmp, so that no loader takes it for a day file.
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: a temporary file in the same
    folder, written and fsynced, renamed over it, then the folder fsynced.

    On any failure the temporary file is removed and ``path`` is left as it
    was; raises TheodoiError naming the file and the system's reason.
    """
    temporary = temporary_name(path)
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = None  # a new file: 0o666 less the umask, as any editor would make it
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise os_error(N_("cannot write the file: {reason}; it was left as it was"),
                        path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        with suppress(OSError):
            temporary.unlink()
        if isinstance(exc, OSError):
            raise os_error(N_("cannot write the file: {reason}; it was left as it was"),
                            path, exc) from exc
        raise
    fsync_folder(path.parent)


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


def os_error(template: str, path: Path, exc: OSError) -> TheodoiError:
    return TheodoiError(template, Location(display_path(path)),
                        reason=exc.strerror or str(exc))
