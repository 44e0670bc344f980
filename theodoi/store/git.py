"""A thin wrapper over the git command line.

Arguments are passed as a list (never through a shell), the environment is
the command's own (its context's, so that a test or a cron line sets it, not
the process) cleaned of variables that would redirect git, and output that
lists paths is NUL-separated so that any file name survives.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from theodoi.base import checks
from theodoi.base.problems import TheodoiError

# Variables a surrounding git (a hook, a worktree) may set that would point
# our commands at another repository or index.
_GIT_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                  "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_PREFIX")


@dataclass(frozen=True)
class Git:
    """git, run in a given environment."""

    environ: Mapping[str, str] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in self.environ.items() if k not in _GIT_REDIRECTS}
        env["LC_ALL"] = "C.UTF-8"
        env.setdefault("GIT_TERMINAL_PROMPT", "0")
        # git as it is stored: a replace ref (git replace) or a grafts file would
        # have every command read forged contents or parents.  The audit reports
        # both as findings; no command of theodoi follows them.
        env["GIT_NO_REPLACE_OBJECTS"] = "1"
        env["GIT_GRAFT_FILE"] = os.path.join(os.devnull, "grafts")  # cannot exist, says nothing
        return env

    def run(self, args: list[str], cwd: Path, check: bool = True,
            ) -> subprocess.CompletedProcess[str]:
        try:
            result = subprocess.run(["git", *args], cwd=cwd, env=self.environment(), text=True,
                                    encoding="utf-8", errors="replace", capture_output=True,
                                    stdin=subprocess.DEVNULL)
        except FileNotFoundError as exc:
            raise TheodoiError(checks.GIT_MISSING) from exc
        if check and result.returncode != 0:
            raise TheodoiError(checks.GIT_FAILED, command=args[0],
                               reason=(result.stderr or result.stdout).strip())
        return result

    def run_bytes(self, args: list[str], cwd: Path, stdin: bytes
                  ) -> subprocess.CompletedProcess[bytes]:
        """For ``cat-file --batch``: bytes in, bytes out."""
        try:
            result = subprocess.run(["git", *args], cwd=cwd, env=self.environment(),
                                    capture_output=True, input=stdin)
        except FileNotFoundError as exc:
            raise TheodoiError(checks.GIT_MISSING) from exc
        if result.returncode != 0:
            raise TheodoiError(checks.GIT_FAILED, command=args[0],
                               reason=result.stderr.decode("utf-8", "replace").strip())
        return result

    def root(self, path: Path) -> Path | None:
        """The top of the git work tree that holds ``path``, or None outside one."""
        folder = path if path.is_dir() else path.parent
        result = self.run(["rev-parse", "--show-toplevel"], folder, check=False)
        if result.returncode != 0:
            return None
        return Path(result.stdout.strip())

    def identity(self, root: Path) -> str | None:
        """``Name <email>`` as git would sign a commit in ``root``, or None when
        no identity is configured (git would otherwise make one up from the
        user and host names, which an audit trail must not hold)."""
        result = self.run(["-c", "user.useConfigOnly=true", "var", "GIT_AUTHOR_IDENT"], root,
                          check=False)
        if result.returncode != 0:
            return None
        ident = result.stdout.strip()
        return ident[: ident.rfind(">") + 1] if ">" in ident else None

    def commit(self, paths: list[Path], message: str, cwd: Path, *,
               trailers: Mapping[str, str] | None = None) -> str:
        """Stage exactly ``paths`` and commit only them; return the new commit's hash.

        ``git commit -- paths`` commits those paths alone, even if the clerk has
        other changes staged, so a visit commit never sweeps up unrelated edits.
        Where git is configured to sign commits (commit.gpgsign), it signs.
        ``trailers`` (see :func:`tool_trailers`) end the message, so that the
        audit tells a change made through theodoi from one typed by hand.
        """
        message = with_trailers(message, trailers or {})
        root = self.root(cwd)
        if root is None:
            raise TheodoiError(checks.NOT_IN_GIT, folder=str(cwd))
        if self.identity(root) is None:
            raise TheodoiError(checks.NO_GIT_IDENTITY, folder=str(root))
        relative = [str(p.resolve().relative_to(root.resolve())) for p in paths]
        self.run(["add", "--", *relative], root)
        self.run(["commit", "--quiet", "-m", message, "--", *relative], root)
        return self.run(["rev-parse", "HEAD"], root).stdout.strip()

    def has_identity(self) -> bool:
        """Whether git would commit as someone a person named (its configuration, or
        the GIT_AUTHOR_* and GIT_COMMITTER_* variables) rather than a name it
        guesses from the machine (``root@host``).  Asked outside any repository,
        as a new one will see it."""
        import tempfile

        with tempfile.TemporaryDirectory() as outside:
            env = {**self.environ, "GIT_CEILING_DIRECTORIES": str(Path(outside).parent)}
            git = Git(env)
            for who in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
                result = git.run(["-c", "user.useConfigOnly=true", "var", who], Path(outside),
                                 check=False)
                if result.returncode != 0:
                    return False
        return True


# The trailer naming the command on every commit theodoi makes: ``history``,
# ``audit`` and the weekly summary show a correction, an acknowledgement or a
# register change as made through theodoi only when its commit carries it.
TOOL_TRAILER = "Theodoi-Command"


def tool_trailers(command: str, **more: str) -> dict[str, str]:
    """The trailers of a commit theodoi makes for ``command`` (``visit amend``,
    ``assign``, ``audit acknowledge``...); ``more`` adds others (a decision
    number: ``decision="12-QĐ/TU"`` gives ``Theodoi-Decision: 12-QĐ/TU``).
    A trailer proves nothing against someone who types it by hand: it tells
    the tool's commits from careless hand edits (see the README)."""
    trailers = {TOOL_TRAILER: " ".join(command.split())}
    for key, value in more.items():
        if value and value.strip():
            name = "Theodoi-" + "-".join(part.capitalize() for part in key.split("_"))
            trailers[name] = " ".join(value.split())
    return trailers


def with_trailers(message: str, trailers: Mapping[str, str]) -> str:
    """``message`` ending with a paragraph of ``Key: value`` lines (git's trailers)."""
    if not trailers:
        return message
    lines = "\n".join(f"{key}: {value}" for key, value in trailers.items())
    return f"{message.rstrip()}\n\n{lines}\n"


@dataclass(frozen=True)
class Identity:
    """Who commits: a name and an e-mail address a person gave."""

    name: str
    email: str
