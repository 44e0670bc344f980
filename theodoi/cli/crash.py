"""What the user sees when theodoi itself fails: one message, a log file, exit 3.

Anything that is not a TheodoiError (a user's mistake or a broken file,
which have their own messages) is a bug.  The user gets one short message
naming the command, the version and a log file that holds the traceback, to
send to whoever maintains theodoi; never a raw traceback on the screen.

The log is the user's own: under ``$XDG_STATE_HOME/theodoi`` (0700), else a
folder of the user's alone in the temporary folder, opened without following
links; never a file of a shared folder that another user could have placed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

from theodoi import __version__
from theodoi.base.i18n import _

LOG_NAME = "theodoi-errors.log"


def log_folder() -> Path | None:
    """The user's own state folder for theodoi: ``$XDG_STATE_HOME/theodoi``,
    else ``~/.local/state/theodoi``; None without an absolute one (cron under
    ``env -i``), when the private fallback is used instead."""
    from theodoi.cli.common import _invocation

    environ = _invocation.environ if _invocation is not None else os.environ
    for base, under in ((environ.get("XDG_STATE_HOME"), ()),
                        (environ.get("HOME"), (".local", "state"))):
        if base and Path(base).is_absolute():
            return Path(base, *under, "theodoi")
    return None


def private_fallback() -> Path:
    """A folder of this user's own in the temporary folder (as ssh-agent and
    tmux make one), used only while it is ours and closed to others."""
    return Path(tempfile.gettempdir()) / f"theodoi-{os.getuid()}"


def _private(folder: Path) -> int:
    """A descriptor of ``folder``, made 0700 if missing; refused (OSError)
    when it is a link, not a folder, or not this user's alone: in a shared
    folder another user may have made it first, to catch what we write."""
    folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder, 0o700)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    info = os.fstat(fd)
    if info.st_uid != os.getuid():
        os.close(fd)
        raise PermissionError(f"{folder} is not this user's")
    if info.st_mode & 0o077:
        os.fchmod(fd, 0o700)
    return fd


def _append(folder: Path, entry: str) -> Path:
    """Append to the log in ``folder``, never through a symbolic link."""
    folder_fd = _private(folder)
    try:
        fd = os.open(LOG_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW
                     | os.O_CLOEXEC | os.O_NONBLOCK, 0o600, dir_fd=folder_fd)
    finally:
        os.close(folder_fd)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PermissionError(f"{folder / LOG_NAME} is not a regular file")
        handle.write(entry)
    return folder / LOG_NAME


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
    for folder in (log_folder(), private_fallback()):
        if folder is None:
            continue
        try:
            written = _append(folder, entry)
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
