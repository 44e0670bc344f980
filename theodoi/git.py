"""A thin wrapper over the git command line.

Arguments are passed as a list (never through a shell), the environment is
cleaned of variables that would redirect git, and output that lists paths is
NUL-separated so that any file name survives.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from theodoi import checks
from theodoi.problems import TheodoiError

# Variables a surrounding git (a hook, a worktree) may set that would point
# our commands at another repository or index.
_GIT_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                  "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_PREFIX")


def git_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _GIT_REDIRECTS}
    env["LC_ALL"] = "C.UTF-8"
    env.setdefault("GIT_TERMINAL_PROMPT", "0")
    return env


def run_git(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, env=git_environment(), text=True,
                                encoding="utf-8", errors="replace", capture_output=True,
                                stdin=subprocess.DEVNULL)
    except FileNotFoundError as exc:
        raise TheodoiError(checks.GIT_MISSING) from exc
    if check and result.returncode != 0:
        raise TheodoiError(checks.GIT_FAILED, command=args[0],
                           reason=(result.stderr or result.stdout).strip())
    return result


def repository_root(path: Path) -> Path | None:
    """The top of the git work tree that holds ``path``, or None outside one."""
    folder = path if path.is_dir() else path.parent
    result = run_git(["rev-parse", "--show-toplevel"], folder, check=False)
    if result.returncode != 0:
        return None
    return Path(result.stdout.strip())


def commit_paths(paths: list[Path], message: str, cwd: Path) -> str:
    """Stage exactly ``paths`` and commit only them; return the new commit's hash.

    ``git commit -- paths`` commits those paths alone, even if the clerk has
    other changes staged, so a visit commit never sweeps up unrelated edits.
    """
    root = repository_root(cwd)
    if root is None:
        raise TheodoiError(checks.NOT_IN_GIT, folder=str(cwd))
    relative = [str(p.resolve().relative_to(root.resolve())) for p in paths]
    run_git(["add", "--", *relative], root)
    run_git(["commit", "--quiet", "-m", message, "--", *relative], root)
    return run_git(["rev-parse", "HEAD"], root).stdout.strip()


@dataclass(frozen=True)
class Identity:
    """Who commits: a name and an e-mail address a person gave."""

    name: str
    email: str


def has_identity() -> bool:
    """Whether git would commit as someone a person named (its configuration, or
    the GIT_AUTHOR_* and GIT_COMMITTER_* variables) rather than a name it guesses
    from the machine (``root@host``).  Asked outside any repository, as a new
    one will see it."""
    import tempfile

    with tempfile.TemporaryDirectory() as outside:
        env = {**git_environment(), "GIT_CEILING_DIRECTORIES": str(Path(outside).parent)}
        for who in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
            try:
                result = subprocess.run(["git", "-c", "user.useConfigOnly=true", "var", who],
                                        cwd=outside, env=env, capture_output=True,
                                        stdin=subprocess.DEVNULL)
            except FileNotFoundError as exc:
                raise TheodoiError(checks.GIT_MISSING) from exc
            if result.returncode != 0:
                return False
    return True
