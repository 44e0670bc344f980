"""Options and helpers shared by every command, and the invocation's context.

``theodoi.cli.main.main`` records the invocation (the environment and the
real clock, read once) before any command runs; a command builds its
:class:`~theodoi.base.context.Context` from that and its own options with
:func:`context`, and passes it down.  Nothing below the CLI reads the
environment or the clock.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from theodoi.base.context import Context, make_context
from theodoi.base.i18n import N_, _, language
from theodoi.base.periods import DateError, Period, PeriodError, parse_period, read_typed_date
from theodoi.base.problems import Msg, Problem, TheodoiError
from theodoi.cli.usage_errors import OptionValueError

if TYPE_CHECKING:
    from theodoi.base.model import Registers
    from theodoi.registers.loader import Loaded
    from theodoi.reports.cut import Cut
    from theodoi.store.git import Git
    from theodoi.store.transaction import Transaction
    from theodoi.store.visit_ids import Scheme
    from theodoi.workspace.loader import Workspace


# The root options that take a value (``--lang en``): whoever reads the
# command's words from the raw arguments (the app, the crash report) skips them.
ROOT_OPTIONS_WITH_VALUE = ("--lang",)


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
    from theodoi.base.context import choose_data_folder

    current = invocation()
    working_folder = Path.cwd()
    folder, source = choose_data_folder(data, current.environ, working_folder)
    if source == "none" and needs_data:
        from theodoi.base import checks
        from theodoi.store.textfile import display_path

        raise TheodoiError(checks.NO_DATA_FOLDER, folder=str(working_folder),
                           data=display_path(folder))
    current.data[:] = [folder]
    return make_context(current.environ, current.real_now, language(), folder, verbose,
                        use_cache, source)


def _parse_date_option(value: str | None) -> date | None:
    """A date option as typed (15/09/2024, 15.09.2024, 15-09-2024, 2024-09-15,
    3/12/26): a completed year is echoed in full, a day that does not exist is
    refused saying why and the nearest that does."""
    if value is None:
        return None
    try:
        day, completed = read_typed_date(value)
    except DateError as exc:
        why = exc.explanation()
        raise OptionValueError(
            _("{value!r} is not a valid date{why} (use 2024-09-15 or 15/09/2024)").format(
                value=value, why=why if isinstance(why, str) else why.text(language()))
        ) from exc
    if completed:
        print(date_read_as(value, day), file=sys.stderr)
    return day


def date_read_as(typed: str, day: date) -> str:
    """``theodoi: 3/12/26 read as 03/12/2026``."""
    from theodoi.base.periods import format_date

    return _("theodoi: {typed} read as {day}").format(typed=typed.strip(),
                                                       day=format_date(day, language()))


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


StrictOption = Annotated[
    bool,
    typer.Option("--strict", help=N_("Exit 1 when the registers have errors (the report is "
                                     "printed all the same, marked unreliable)."))
]


def report_exit(errors: bool, strict: bool, failing: bool = False) -> int:
    """The exit code of every report (README, "Exit codes"): a report that was
    printed exits 0, so that cron mails it, even over registers with errors
    (they are on stderr and the report says it may be wrong); 1 with --strict
    when there are errors, or when a --fail-if-... condition holds.  validate
    and audit are checks, not reports: they fail on what they find."""
    return 1 if failing or (strict and errors) else 0


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
    from theodoi.reports.cut import Cut

    return Cut(sort, limit, only.value if only is not None else None)


def typer_app(name: str, help_text: str, *, help_without_arguments: bool = True
              ) -> typer.Typer:
    """A Typer app (the root or a sub-app such as ``visit``) with the house settings:
    help on no arguments (unless the app does its job alone, as ``audit`` does), -h as
    well as --help, and no Rich tracebacks for users."""
    return typer.Typer(name=name, help=help_text, no_args_is_help=help_without_arguments,
                       add_completion=False,
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


def print_problems(problems: list[Problem], every: bool = False) -> None:
    """The problems on stderr, the same check on many items in one line unless
    ``every`` (--verbose)."""
    from theodoi.render.problems import problem_lines

    for line in problem_lines(problems, language(), every):
        print(line, file=sys.stderr)


def load(ctx: Context, *, visits: bool = True) -> Workspace:
    """The workspace, loaded once (:func:`theodoi.workspace.loader.load_workspace`); a
    register that cannot be read at all stops the command, its problems
    printed first, since nothing a command does is right without it."""
    from theodoi.base import checks
    from theodoi.workspace.loader import load_workspace

    workspace = load_workspace(ctx.data, ctx.cache_dir, visits=visits)
    cache_notes(ctx, workspace.notes)
    if workspace.unreadable:
        print_problems([p for p in workspace.loaded.problems if p.is_error])
        raise TheodoiError(checks.REGISTERS_UNREADABLE,
                           files=", ".join(sorted(workspace.unreadable)))
    return workspace


def note_data_errors(errors: int) -> None:
    """A report over data with errors says so on stderr, and counts what it could read."""
    from theodoi.base.i18n import ngettext

    if errors:
        print(ngettext("theodoi: note: the data has {errors} error; the report counts what "
                       "could be read. Run 'theodoi validate' to see it.",
                       "theodoi: note: the data has {errors} errors; the report counts what "
                       "could be read. Run 'theodoi validate' to see them.",
                       errors).format(errors=errors), file=sys.stderr)


def cache_notes(ctx: Context, notes: list[Msg]) -> None:
    """What went wrong with the cache: said only with --verbose (it is rebuilt),
    except a cache that is not the user's own (a warning, always)."""
    from theodoi.store.cache import LoudNote

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
    from theodoi.store.atomic import make_folders, write_atomically
    from theodoi.store.outputs import check_output
    from theodoi.store.textfile import display_path

    check_output(output, _invocation.data[0] if _invocation and _invocation.data else None)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if _staging is not None and output.resolve().is_relative_to(_staging[1]):
        _staging[0].tx.write(output, data, must_be_clean=False)  # written with the change
    else:
        make_folders(output.parent)  # a cron job's first run may find no report folder yet
        write_atomically(output, data)
    print(_("Written: {file}").format(file=display_path(output)), file=sys.stderr)


# A report written and committed as one change (summary --commit): the files it
# writes inside the data folder are staged in that change's transaction.
_staging: tuple[Writing, Path] | None = None


@contextmanager
def staged_outputs(change: Writing, data_dir: Path) -> Iterator[None]:
    """Within the block, a file ``--output`` writes inside ``data_dir`` is staged
    in ``change``'s transaction (written, and committed, with it)."""
    global _staging
    _staging = (change, data_dir.resolve())
    try:
        yield
    finally:
        _staging = None


# --- --commit: the change and its commit, inside the data folder's lock ---------------


def writers_lock(ctx: Context, *, dry_run: bool = False) -> AbstractContextManager[None]:
    """The data folder's lock, held from the checks through the write to the
    commit, so that the commit holds this change alone.  (A missing folder has
    no lock; the loader then says it is missing.)

    Before it: the shipped sample is not written into unless --data names it,
    and a data folder found from the working folder is named, so that the
    clerk knows where the record goes."""
    from theodoi.base.context import is_sample

    if not dry_run and is_sample(ctx.data) and ctx.data_source != "option":
        from theodoi.base import checks

        raise TheodoiError(checks.SAMPLE_DATA, folder=str(ctx.data.resolve()))
    if not dry_run and ctx.data_source == "found":
        print(_("theodoi: using the data folder {folder}").format(folder=ctx.data.resolve()),
              file=sys.stderr)
    if not ctx.data.is_dir():
        return nullcontext()
    return _writing(ctx, dry_run)


@contextmanager
def _writing(ctx: Context, dry_run: bool) -> Iterator[None]:
    """The lock, with the repository prepared for a shared history first (the
    merge driver set up, said once) and new ids made as it needs."""
    from theodoi.store.atomic import locked
    from theodoi.store.visit_ids import shared_ids

    with locked(ctx.data), shared_ids(prepare_shared(ctx, configure=not dry_run)):
        yield


def prepare_shared(ctx: Context, *, configure: bool = True) -> Scheme:
    """:func:`theodoi.store.sharing.prepare_repository` for a command that writes,
    saying once on stderr that it set git's merge driver up."""
    from theodoi.store.git import Git
    from theodoi.store.sharing import prepare_repository

    prepared = prepare_repository(ctx.data, Git(ctx.environ), configure=configure)
    if prepared.driver_set:
        print(_("theodoi: set up git's merge driver for the journals in {folder} (a clone does "
                "not carry it)").format(folder=prepared.root), file=sys.stderr)
    return prepared.scheme


def committer(ctx: Context) -> Git:
    """For --commit, checked before anything is written: the data folder is in
    a git repository and git has an identity (never root@host in an audit
    trail).  That the files of the change have no other change pending is the
    transaction's to check, once it knows them."""
    from theodoi.base import checks
    from theodoi.store.git import Git
    from theodoi.store.textfile import display_path

    git = Git(ctx.environ)
    root = git.root(ctx.data.resolve()) if ctx.data.is_dir() else None
    if root is None:
        raise TheodoiError(checks.NOT_IN_GIT, folder=display_path(ctx.data))
    if git.identity(root) is None:
        raise TheodoiError(checks.NO_GIT_IDENTITY, folder=display_path(root))
    return git


@dataclass
class Writing:
    """A command's change: the library's transaction, and git when --commit asked."""

    tx: Transaction
    git: Git | None
    # git refused the commit of a change already on disk: said after the output.
    commit_error: TheodoiError | None = None

    def loaded_registers(self) -> Loaded:
        """The registers as they are now, read inside the lock."""
        from theodoi.registers.loader import load_registers

        return load_registers(self.tx.data_dir)

    def registers(self) -> Registers:
        return self.loaded_registers().registers

    def commit_as(self, message: str, what: Msg, **trailers: str) -> None:
        """Commit this change's files with ``message`` when --commit asked for it,
        naming the command (and ``trailers``: a decision) for the audit."""
        if self.git is not None:
            from theodoi.cli.typer_internals import current_command
            from theodoi.store.git import tool_trailers

            self.tx.commit_as(self.git, message, what,
                              tool_trailers(current_command(), **trailers))

    def announce(self, *, note_on_stderr: bool = False) -> None:
        """After the change: the commit it made, on stdout (stderr where stdout
        holds a report)."""
        if self.commit_error is not None:
            fail(self.commit_error)
        made = self.tx.applied.commit
        if made is not None:
            print(_("Committed to git: {commit}").format(commit=made[:12]),
                  file=sys.stderr if note_on_stderr else sys.stdout)


@contextmanager
def writing(ctx: Context, *, commit: bool = False, dry_run: bool = False
            ) -> Iterator[Writing]:
    """The data folder's lock and one transaction (:mod:`theodoi.store.transaction`)
    around a command's change; for --commit, the repository and the identity
    are checked before anything is written, and the commit holds the change
    alone.  Every file of the change is written when the block ends, or none."""
    from theodoi.base import checks
    from theodoi.store.transaction import transaction

    with writers_lock(ctx, dry_run=dry_run):
        git = committer(ctx) if commit and not dry_run else None
        change: Writing | None = None
        try:
            with transaction(ctx.data) as tx:
                change = Writing(tx, git)
                yield change
        except TheodoiError as exc:
            if exc.check is not checks.NOT_COMMITTED or change is None:
                raise
            change.commit_error = exc


def commit(ctx: Context, git: Git, paths: list[Path], message: str, what: Msg,
           *, note_on_stderr: bool = False, trailers: dict[str, str] | None = None) -> str:
    """Commit exactly ``paths`` with ``message``; the change is already safe on
    disk, so a refusal by git says so and exits 1.  The line naming the commit
    goes to stderr where stdout holds a report (``note_on_stderr``).  The
    commit names the command in a trailer (:func:`theodoi.store.git.tool_trailers`),
    with ``trailers`` besides."""
    from theodoi.base import checks
    from theodoi.cli.typer_internals import current_command
    from theodoi.store.git import tool_trailers
    from theodoi.store.textfile import display_path

    try:
        commit_id = git.commit(paths, message, ctx.data,
                               trailers=tool_trailers(current_command(), **(trailers or {})))
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
    from theodoi.base import checks
    from theodoi.base.textnorm import nfc
    from theodoi.cli import prompts

    reason = nfc(text or "").strip()
    while not reason and prompts.can_ask():
        reason = nfc(prompts.text(_("Reason (kept with the record)"))).strip()
    if not reason:
        fail(TheodoiError(checks.REASON_MISSING))
    return reason


def who_acts(ctx: Context, by: str | None) -> str:
    """Who makes a correction or an acknowledgement: --by, else the git identity
    of the data repository (``Name <email>``); neither is a usage error."""
    from theodoi.base import checks
    from theodoi.base.textnorm import nfc
    from theodoi.store.git import Git

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
