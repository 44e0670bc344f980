"""Reading text files the way an office produces them.

Excel writes UTF-8 with a byte-order mark and CRLF line endings: both are
accepted.  Latin-1 or UTF-16 text is refused with a message that says what
the file looks like, instead of a decoding traceback.
"""

from __future__ import annotations

import codecs
import errno
from pathlib import Path

from theodoi import checks
from theodoi.i18n import N_
from theodoi.problems import Location, Msg, TheodoiError


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


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing file, a folder or a refusal is a TheodoiError."""
    name = display_path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        if path.is_symlink():  # a link to nowhere
            raise TheodoiError(checks.CANNOT_READ, Location(name), reason=os_reason(exc)) from exc
        raise TheodoiError(checks.FILE_MISSING, Location(name)) from exc
    except IsADirectoryError as exc:
        raise TheodoiError(checks.NOT_A_FILE, Location(name)) from exc
    except OSError as exc:
        raise TheodoiError(checks.CANNOT_READ, Location(name), reason=os_reason(exc)) from exc


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
