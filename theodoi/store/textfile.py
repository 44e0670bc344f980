"""Reading text files the way an office produces them.

Excel writes UTF-8 with a byte-order mark and CRLF line endings: both are
accepted.  Latin-1 or UTF-16 text is refused with a message that says what
the file looks like, instead of a decoding traceback.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

from theodoi.base import checks
from theodoi.base.i18n import N_
from theodoi.base.problems import Location, Msg, TheodoiError


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working folder if inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop (3.11)
        return str(path)


def read_text(path: Path) -> str:
    """The file's text, NFC untouched, newlines as ``\\n``; raises TheodoiError."""
    return decode(read_bytes(path), display_path(path))


def refuse_link(path: Path) -> None:
    """A data file (a day file of a journal, a register) must be the file
    itself: a symbolic link is an error, never followed."""
    if path.is_symlink():
        raise TheodoiError(checks.DATA_FILE_LINK, Location(link_name(path)))


def link_name(path: Path) -> str:
    """How messages name a link: as itself, not as what it points to."""
    folder = display_path(path.parent)
    return path.name if folder == "." else f"{folder}/{path.name}"


# The most a data file may hold.  A busy day of 300 visits is about 150 KB and
# a province's registers a few hundred KB: 16 MB is a hundred times a real
# file, and still read and parsed in bounded time and memory.
MAX_FILE_MB = 16
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; a missing file, a folder, a special file (a device, a
    FIFO, a socket), a file over ``limit`` bytes or a refusal is a TheodoiError.

    The file is opened without blocking (a FIFO with no writer would hang
    here) and checked to be a regular file before a byte is read; the read
    stops past the limit, so a link to an endless device costs nothing."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    except FileNotFoundError as exc:
        name = display_path(path)
        if path.is_symlink():  # a link to nowhere
            raise TheodoiError(checks.CANNOT_READ, Location(name), reason=os_reason(exc)) from exc
        raise TheodoiError(checks.FILE_MISSING, Location(name)) from exc
    except OSError as exc:
        raise TheodoiError(checks.CANNOT_READ, Location(display_path(path)),
                           reason=os_reason(exc)) from exc
    try:
        info = os.fstat(fd)
        if not (stat.S_ISREG(info.st_mode) and info.st_size <= limit):
            regular_file(info, display_path(path), limit)  # says why (the name only then)
        os.set_blocking(fd, True)
        with open(fd, "rb", closefd=False) as handle:
            # The size told, and one byte more to see growth: never a 16 MB buffer
            # for a day file of a few kilobytes.
            data = handle.read(min(info.st_size, limit) + 1)
            if len(data) > info.st_size and len(data) <= limit:
                data += handle.read(limit + 1 - len(data))
    except OSError as exc:
        raise TheodoiError(checks.CANNOT_READ, Location(display_path(path)),
                           reason=os_reason(exc)) from exc
    finally:
        os.close(fd)
    if len(data) > limit:  # grew while read, or a size the system does not tell
        raise TheodoiError(checks.FILE_TOO_LARGE, Location(display_path(path)),
                           limit=limit // 2**20)
    return data


def special_kind(mode: int) -> Msg | None:
    """What a file that is neither regular nor a folder is, in words; None if
    it is a regular file or a folder."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return Msg(N_("named pipe (FIFO)"))
    if stat.S_ISSOCK(mode):
        return Msg(N_("socket"))
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Msg(N_("device"))
    return Msg(N_("special file"))


def regular_file(info: os.stat_result, name: str, limit: int = MAX_FILE_BYTES) -> None:
    """Raise unless ``info`` is that of a regular file of at most ``limit`` bytes."""
    if stat.S_ISDIR(info.st_mode):
        raise TheodoiError(checks.NOT_A_FILE, Location(name))
    kind = special_kind(info.st_mode)
    if kind is not None:
        raise TheodoiError(checks.SPECIAL_FILE, Location(name), kind=kind)
    if info.st_size > limit:
        raise TheodoiError(checks.FILE_TOO_LARGE, Location(name), limit=limit // 2**20)


# The system's own words (strerror) are English: the reasons a clerk meets are
# said in the chosen language, the rare others as the system gives them.
_OS_REASONS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.EFBIG: N_("the file would be larger than allowed"),
    errno.EROFS: N_("the file system is read-only"),
    errno.ELOOP: N_("a loop of symbolic links"),
    errno.ENOTDIR: N_("a part of the path is a file, not a folder"),
    errno.EISDIR: N_("is a folder"),
    errno.EEXIST: N_("a file of that name is in the way"),
    errno.EIO: N_("an input/output error (a failing disk or network share?)"),
    errno.ENAMETOOLONG: N_("the name is too long"),
    errno.ENOLCK: N_("no locks available"),
    errno.EOPNOTSUPP: N_("the operation is not supported by this file system"),
}


def os_reason(exc: OSError) -> Msg | str:
    """Why the system refused, as a translatable part of a message."""
    if exc.errno in _OS_REASONS:
        return Msg(_OS_REASONS[exc.errno])
    return exc.strerror or str(exc)


def decode(raw: bytes, name: str) -> str:
    """The text of a file's bytes (read from disk or from git history)."""
    if len(raw) > MAX_FILE_BYTES:  # a version from history is bounded as a file is
        raise TheodoiError(checks.FILE_TOO_LARGE, Location(name), limit=MAX_FILE_MB)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        len(raw) >= 2 and b"\x00" in raw[:200]
    ):
        raise TheodoiError(checks.FILE_UTF16, Location(name, 1))
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise TheodoiError(checks.FILE_NOT_UTF8, Location(name, line, column),
                           byte=raw[exc.start]) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")
