"""What the user sees when theodoi itself fails: one message, a log file, exit 3.

Anything that is not a TheodoiError (a user's mistake or a broken file,
which have their own messages) is a bug.  The user gets one short message
naming the command, the version and a log file that holds the traceback, to
send to whoever maintains theodoi; never a raw traceback on the screen.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

from theodoi import __version__
from theodoi.i18n import _

LOG_NAME = "theodoi-errors.log"


def log_folder() -> Path:
    """The user's cache folder for theodoi (as the cache), else the temporary folder."""
    from theodoi.cli.common import _invocation
    from theodoi.context import cache_folder

    environ = _invocation.environ if _invocation is not None else os.environ
    return cache_folder(environ) or Path(tempfile.gettempdir())


def command_words(args: list[str]) -> list[str]:
    """The command as a person names it (``visit add``): the first two words
    after the root options (``--lang en``), up to the command's first option."""
    from theodoi.cli.common import ROOT_OPTIONS_WITH_VALUE

    words: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg.startswith("-"):
            if words:
                break
            skip = arg in ROOT_OPTIONS_WITH_VALUE
        else:
            words.append(arg)
            if len(words) == 2:
                break
    return words


def report_crash(exc: BaseException, args: list[str]) -> Path | None:
    """Append the traceback to the log file and print one message on stderr."""
    command = " ".join(["theodoi", *command_words(args)])
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    entry = (f"--- {datetime.now().astimezone().isoformat(timespec='seconds')} "
             f"theodoi {__version__}, Python {sys.version.split()[0]}\n"
             f"command: theodoi {' '.join(args)}\n{details}\n")
    written: Path | None = None
    for folder in (log_folder(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / LOG_NAME
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(entry)
            written = path
            break
        except OSError:
            continue
    where = str(written) if written else _("(no log could be written)")
    print(_("theodoi: unexpected error while running '{command}' (theodoi {version}): "
            "{error}. This is a fault in theodoi, not in what you typed or in your data. "
            "The details are in {log}; please send that file to whoever looks after "
            "theodoi.").format(command=command, version=__version__,
                               error=f"{type(exc).__name__}: {exc}", log=where),
          file=sys.stderr)
    return written
