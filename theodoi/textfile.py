"""Reading text files the way an office produces them.

Excel writes UTF-8 with a byte-order mark and CRLF line endings: both are
accepted.  Latin-1 or UTF-16 text is refused with a message that says what
the file looks like, instead of a decoding traceback.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from theodoi.i18n import N_
from theodoi.problems import Location, TheodoiError


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working folder if inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def read_text(path: Path) -> str:
    """The file's text, NFC untouched, newlines as ``\\n``; raises TheodoiError."""
    name = display_path(path)
    if not path.exists():
        raise TheodoiError(N_("file not found"), Location(name))
    if path.is_dir():
        raise TheodoiError(N_("is a folder, expected a file"), Location(name))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TheodoiError(N_("cannot read the file: {reason}"), Location(name),
                           reason=exc.strerror or str(exc)) from exc
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        len(raw) >= 2 and b"\x00" in raw[:200]
    ):
        raise TheodoiError(
            N_("the file is UTF-16 text; save it as UTF-8 (in Excel: \"CSV UTF-8\")"),
            Location(name, 1),
        )
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise TheodoiError(
            N_("the file is not UTF-8 text (byte 0x{byte:02x}; Latin-1 or Windows-1258?); "
               "save it as UTF-8"),
            Location(name, line, column),
            byte=raw[exc.start],
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")
