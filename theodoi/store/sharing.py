"""A data repository shared by several machines: the merge driver set up,
and the ids new records get.

git carries ``.gitattributes`` (which files the ``theodoi`` merge driver
merges: written by ``init``) in a clone, but not the ``merge.theodoi.*``
settings that say what the driver runs: each clone must set them in its own
configuration.  :func:`prepare_repository` is called by every command that
writes, before it writes: where the repository has a remote (its history is
shared), it sets the driver up when missing or stale, and says which id
scheme new records follow (:mod:`theodoi.store.visit_ids`).
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from theodoi.base.problems import TheodoiError
from theodoi.store.git import Git
from theodoi.store.visit_ids import Scheme

DRIVER = "theodoi"
DRIVER_KEY = f"merge.{DRIVER}.driver"
# Paths relative to the data folder, where init writes this file.
GITATTRIBUTES = (
    "# theodoi: journals are merged record by record (theodoi sync, git merge)\n"
    + "".join(f"{folder}/**/*.yaml merge={DRIVER}\n"
              for folder in ("visits", "corrections", "audit", "proposals", "plans"))
)


def driver_command() -> str:
    """What git runs: this interpreter (the installed theodoi's), as a shell line."""
    return f"{shlex.quote(sys.executable)} -m theodoi.cli.merge_driver %O %A %B %P"


@dataclass(frozen=True)
class Prepared:
    scheme: Scheme
    driver_set: bool  # the driver was set up now (to be said once)
    root: Path | None


def prepare_repository(data_dir: Path, git: Git, *, configure: bool = True) -> Prepared:
    """Where ``data_dir`` is in a git repository with a remote: set the merge
    driver in the repository's own configuration when missing or stale
    (unless ``configure`` is false: a dry run), and new ids that never collide
    (with the committer's identity in their hash).  Elsewhere: numbered ids."""
    try:
        root = git.root(data_dir.resolve()) if data_dir.is_dir() else None
    except TheodoiError:  # no git on this machine: a folder written by one alone
        return Prepared(Scheme(), False, None)
    if root is None:
        return Prepared(Scheme(), False, None)
    settings = git.run(["config", "--get-regexp", r"^(remote\..*\.url|merge\.theodoi\.driver)$"],
                       root, check=False).stdout.splitlines()
    remotes = [line for line in settings if line.startswith("remote.")]
    if not remotes:
        return Prepared(Scheme(), False, root)
    driver_set = False
    wanted = f"{DRIVER_KEY} {driver_command()}"
    if configure and wanted not in settings:
        set_driver(root, git)
        driver_set = True
    return Prepared(Scheme(shared=True, author=git.identity(root) or ""), driver_set, root)


def set_driver(root: Path, git: Git) -> None:
    git.run(["config", f"merge.{DRIVER}.name", "theodoi: union of journal records"], root)
    git.run(["config", DRIVER_KEY, driver_command()], root)
