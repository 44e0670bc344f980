"""Where ``--output`` may write: checked before a report replaces anything.

A report is written through an atomic replace (a temporary file renamed over
the name given), which would turn a device into a regular file (``-o
/dev/null`` as root) and would overwrite a register or a day file without a
trace of the command that made it.  Both are refused as mistakes on the
command line; a symbolic link given as ``--output`` is replaced itself, never
written through.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from theodoi.base import checks
from theodoi.base.problems import TheodoiError
from theodoi.store.textfile import display_path, special_kind

# The folders of the journals and git's own: nothing in them is a report.
_DATA_FOLDERS = ("visits", "corrections", "proposals", "plans", "audit", ".git")
# At the top of the data folder, files of these kinds are registers and settings.
_REGISTER_SUFFIXES = (".csv", ".yaml", ".yml")


def check_output(output: Path, data: Path | None) -> None:
    """Raise a usage TheodoiError unless ``output`` may be replaced by a report."""
    name = display_path(output)
    try:
        info = os.lstat(output)
    except OSError:
        info = None
    if info is not None and not stat.S_ISLNK(info.st_mode):
        kind = special_kind(info.st_mode)
        if kind is not None:
            raise TheodoiError(checks.OUTPUT_SPECIAL_FILE, file=name, kind=kind)
    if data is not None and in_data(output, data):
        raise TheodoiError(checks.OUTPUT_IS_DATA, file=name)


def in_data(output: Path, data: Path) -> bool:
    """Whether ``output`` (its folder's real path, the name as given) is a
    register or settings file at the top of ``data``, or inside a journal."""
    try:
        where = output.parent.resolve() / output.name
        relative = where.relative_to(data.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    parts = relative.parts
    if not parts:
        return True  # the data folder itself
    if parts[0] in _DATA_FOLDERS or ".git" in parts:
        return True
    return len(parts) == 1 and relative.suffix.lower() in _REGISTER_SUFFIXES
