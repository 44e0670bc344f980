"""Is the output a terminal?  Asked before anything is drawn, without Rich.

The rules a cron job and a pipe rely on:
- not a terminal, or TERM=dumb: plain text, not a single escape code
  (whatever FORCE_COLOR or TTY_COMPATIBLE say);
- NO_COLOR set (and not empty): no colour, though bold may remain;
- otherwise Rich's colours and boxes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO

# Wide enough that a piped table is not wrapped at 80 columns: lines of a
# report file should stay whole for grep and diff.
PLAIN_WIDTH = 200


def plain_output(stream: IO[str], environ: Mapping[str, str]) -> bool:
    """True when nothing but plain text may be written to ``stream``; ``environ``
    is the command's (its context's), never read here from the process."""
    if environ.get("TERM", "").strip().lower() == "dumb":
        return True
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real file
        return True


def plain_width(environ: Mapping[str, str]) -> int:
    """The width of plain output: $COLUMNS when set, else PLAIN_WIDTH."""
    try:
        value = int(environ.get("COLUMNS", ""))
    except ValueError:
        return PLAIN_WIDTH
    return value if value > 0 else PLAIN_WIDTH
