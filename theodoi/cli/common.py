"""Options and helpers shared by every command, and the invocation's context.

``theodoi.cli.main.main`` records the invocation (the environment and the
real clock, read once) before any command runs; a command builds its
:class:`~theodoi.context.Context` from that and its own options with
:func:`context`, and passes it down.  Nothing below the CLI reads the
environment or the clock.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from theodoi.cli.usage_errors import OptionValueError
from theodoi.context import Context, make_context
from theodoi.i18n import N_, _, language
from theodoi.periods import DateError, Period, PeriodError, parse_date, parse_period
from theodoi.problems import Msg, Problem, TheodoiError

if TYPE_CHECKING:
    from theodoi.cut import Cut
    from theodoi.git import Git


@dataclass(frozen=True)
class Invocation:
    environ: Mapping[str, str]
    real_now: datetime
    # The data folder the command reads, once chosen: --output never replaces its files.
    data: list[Path] = field(default_factory=list)


_invocation: Invocation | None = None


def begin_invocation(environ: Mapping[str, str], real_now: datetime) -> None:
    global _invocation
    _invocation = Invocation(dict(environ), real_now)


def invocation() -> Invocation:
    assert _invocation is not None, "theodoi.cli.main.main sets the invocation first"
    return _invocation


def context(data: Path | None = None, *, verbose: bool = False, use_cache: bool = True,
            needs_data: bool = True) -> Context:
    """The command's context: today and now (pinned or real), the language
    already chosen, and the data folder: --data, else THEODOI_DATA, else the
    one found from the working folder upwards.  A command that needs one stops
    here when none is found, saying how to give or make one."""
    from theodoi.context import choose_data_folder

    current = invocation()
    working_folder = Path.cwd()
    folder, source = choose_data_folder(data, current.environ, working_folder)
    if source == "none" and needs_data:
        from theodoi import checks
        from theodoi.textfile import display_path

        raise TheodoiError(checks.NO_DATA_FOLDER, folder=str(working_folder),
                           data=display_path(folder))
    current.data[:] = [folder]
    return make_context(current.environ, current.real_now, language(), folder, verbose,
                        use_cache, source)


def _parse_date_option(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except DateError as exc:
        raise OptionValueError(
            _("{value!r} is not a valid date (use 2024-09-15 or 15/09/2024)").format(value=value)
        ) from exc


def period_option(value: str | None) -> Period | None:
    """The parser of every --period: a year, half, quarter, month or ISO week."""
    if value is None:
        return None
    try:
        return parse_period(value)
    except PeriodError as exc:
        raise OptionValueError(_(
            "{value!r} is not a period (use 2024, 2024-H2, 2024-Q3, 2024-09 or 2024-W37)"
        ).format(value=value)) from exc


# Help texts are English msgids here, translated when the command tree is
# built for a run (theodoi.cli.app), so that one process can serve both
# languages (the in-process tests do).
DataOption = Annotated[
    Path | None,
    typer.Option("--data", metavar=N_("DIR"), show_default=False,
                 help=N_("Data folder (default: $THEODOI_DATA, else the one found from "
                         "the working folder upwards: itself or its data/ subfolder).")),
]
LangOption = Annotated[
    str | None,
    typer.Option("--lang", metavar="vi|en", show_default=False,
                 help=N_("Language of messages and reports: vi (default) or en "
                         "(also $THEODOI_LANG).")),
]
NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help=N_("Read every visit file again instead of using the "
                                       "cache of unchanged files (the result is the same)."))
]
VerboseOption = Annotated[
    bool,
    typer.Option("--verbose", help=N_("Say more about what is done (e.g. why the cache was "
                                      "rebuilt)."))
]


SortOption = Annotated[
    str | None,
    typer.Option("--sort", metavar=N_("COLUMN"), show_default=False,
                 help=N_("Sort by this column, named as in the csv output (e.g. visits, "
                         "days, name); -visits sorts from the largest.")),
]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", min=1, max=1_000_000, metavar=N_("COUNT"), show_default=False,
                 help=N_("Show only the first COUNT rows (after --only and --sort).")),
]


class Visited(StrEnum):
    visited = "visited"
    unvisited = "unvisited"


def cut_of(sort: str | None, limit: int | None, only: StrEnum | None = None) -> Cut:
    from theodoi.cut import Cut

    return Cut(sort, limit, only.value if only is not None else None)


def typer_app(name: str, help_text: str) -> typer.Typer:
    """A Typer app (the root or a sub-app such as ``visit``) with the house settings:
    help on no arguments, -h as well as --help, and no Rich tracebacks for users."""
    return typer.Typer(name=name, help=help_text, no_args_is_help=True, add_completion=False,
                       pretty_exceptions_enable=False,
                       context_settings={"help_option_names": ["-h", "--help"]})


def date_option(help_text: str, flag: str = "--as-of") -> object:
    return typer.Option(flag, help=help_text, parser=_parse_date_option, metavar=N_("DATE"))


def error_line(error: TheodoiError) -> str:
    """``theodoi: lỗi [code]: message``: the one line a fatal error is shown as."""
    return _("theodoi: error [{code}]: {message}").format(code=error.check.code,
                                                          message=error.message(language()))


def fail(error: TheodoiError, exit_code: int | None = None) -> NoReturn:
    """Print a fatal error as one clear line on stderr and exit (with the exit
    code its check gives, unless told otherwise)."""
    print(error_line(error), file=sys.stderr)
    raise typer.Exit(error.exit_code if exit_code is None else exit_code)


def print_problems(problems: list[Problem]) -> None:
    from theodoi.render.problems import problem_line

    for item in sorted(problems, key=Problem.sort_key):
        print(problem_line(item, language()), file=sys.stderr)


def cache_notes(ctx: Context, notes: list[Msg]) -> None:
    """What went wrong with the cache: said only with --verbose (it is rebuilt),
    except a cache that is not the user's own (a warning, always)."""
    from theodoi.cache import LoudNote

    for note in notes:
        if ctx.verbose or isinstance(note, LoudNote):
            print(f"theodoi: {note.text(ctx.language)}", file=sys.stderr)


OutputOption = Annotated[
    Path | None,
    typer.Option("--output", metavar=N_("FILE"), show_default=False,
                 help=N_("Write to FILE (replaced all at once, its folder made if needed) "
                         "instead of standard output.")),
]


def write_output(output: Path | None, content: str | bytes) -> None:
    """The result to standard output, or to ``output``: written atomically (a
    temporary file in the same folder, fsynced, renamed over it), then one line
    on stderr saying where, so that a person and a cron log both know."""
    if output is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        else:
            write_stdout(content)
        return
    from theodoi.atomic import make_folders, write_atomically
    from theodoi.outputs import check_output
    from theodoi.textfile import display_path

    check_output(output, _invocation.data[0] if _invocation and _invocation.data else None)
    make_folders(output.parent)  # a cron job's first run may find no report folder yet
    write_atomically(output, content.encode("utf-8") if isinstance(content, str) else content)
    print(_("Written: {file}").format(file=display_path(output)), file=sys.stderr)


# --- --commit: the change and its commit, inside the data folder's lock ---------------


def writers_lock(ctx: Context, *, dry_run: bool = False) -> AbstractContextManager[None]:
    """The data folder's lock, held from the checks through the write to the
    commit, so that the commit holds this change alone.  (A missing folder has
    no lock; the loader then says it is missing.)

    Before it: the shipped sample is not written into unless --data names it,
    and a data folder found from the working folder is named, so that the
    clerk knows where the record goes."""
    from theodoi.atomic import locked
    from theodoi.context import is_sample

    if not dry_run and is_sample(ctx.data) and ctx.data_source != "option":
        from theodoi import checks

        raise TheodoiError(checks.SAMPLE_DATA, folder=str(ctx.data.resolve()))
    if not dry_run and ctx.data_source == "found":
        print(_("theodoi: using the data folder {folder}").format(folder=ctx.data.resolve()),
              file=sys.stderr)
    return locked(ctx.data) if ctx.data.is_dir() else nullcontext()


def committer(ctx: Context, *pending: Path) -> Git:
    """For --commit, checked before anything is written: the data folder is in
    a git repository, git has an identity (never root@host in an audit trail),
    and the files about to change have no other change pending (the commit
    must hold this change alone)."""
    from theodoi import checks
    from theodoi.git import Git
    from theodoi.textfile import display_path

    git = Git(ctx.environ)
    root = git.root(ctx.data.resolve()) if ctx.data.is_dir() else None
    if root is None:
        raise TheodoiError(checks.NOT_IN_GIT, folder=display_path(ctx.data))
    if git.identity(root) is None:
        raise TheodoiError(checks.NO_GIT_IDENTITY, folder=display_path(root))
    for path in pending:
        if not path.exists():
            continue
        relative = path.resolve().relative_to(root.resolve()).as_posix()
        status = git.run(["status", "--porcelain", "-z", "--", f":(literal){relative}"], root)
        if status.stdout.strip("\0\n "):
            raise TheodoiError(checks.UNCOMMITTED_CHANGES, file=display_path(path))
    return git


def commit(ctx: Context, git: Git, paths: list[Path], message: str, what: Msg,
           *, note_on_stderr: bool = False) -> str:
    """Commit exactly ``paths`` with ``message``; the change is already safe on
    disk, so a refusal by git says so and exits 1.  The line naming the commit
    goes to stderr where stdout holds a report (``note_on_stderr``)."""
    from theodoi import checks
    from theodoi.textfile import display_path

    try:
        commit_id = git.commit(paths, message, ctx.data)
    except TheodoiError as exc:
        fail(TheodoiError(checks.NOT_COMMITTED, what=what,
                          file=", ".join(display_path(p) for p in paths),
                          reason=exc.message(ctx.language)))
    print(_("Committed to git: {commit}").format(commit=commit_id[:12]),
          file=sys.stderr if note_on_stderr else sys.stdout)
    return commit_id


def reason_given(text: str | None) -> str:
    """--reason as typed: NFC, trimmed, and not empty (a correction says why);
    missing, it is asked for in a terminal, and refused without one."""
    from theodoi import checks
    from theodoi.cli import prompts
    from theodoi.textnorm import nfc

    reason = nfc(text or "").strip()
    while not reason and prompts.can_ask():
        reason = nfc(prompts.text(_("Reason (kept with the record)"))).strip()
    if not reason:
        fail(TheodoiError(checks.REASON_MISSING))
    return reason


def who_acts(ctx: Context, by: str | None) -> str:
    """Who makes a correction or an acknowledgement: --by, else the git identity
    of the data repository (``Name <email>``); neither is a usage error."""
    from theodoi import checks
    from theodoi.git import Git
    from theodoi.textnorm import nfc

    if by is not None and by.strip():
        return nfc(by).strip()
    git = Git(ctx.environ)
    root = git.root(ctx.data.resolve()) if ctx.data.is_dir() else None
    who = git.identity(root) if root is not None else None
    if who is None:
        fail(TheodoiError(checks.WHO_UNKNOWN))
    return who


def write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
