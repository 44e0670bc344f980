"""Shared test helpers: small data folders written to real temporary files."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHIPPED_DATA = REPO / "data"

COMMUNES_HEADER = "code,name,kind,district_code,district_name"
CADRES_HEADER = "id,name,title,agency,phone,email"

# Four communes in two districts, four cadres: small enough to compute by hand.
SMALL_COMMUNES = [
    "02068,Xã Đại Sảo,xã,064,Huyện Chợ Đồn",
    "02020,Thị trấn Bằng Lũng,thị trấn,064,Huyện Chợ Đồn",
    "01834,Phường Nguyễn Thị Minh Khai,phường,058,Thành phố Bắc Kạn",
    "01837,Phường Sông Cầu,phường,058,Thành phố Bắc Kạn",
]
SMALL_CADRES = [
    "CB01,Hà Thị Ngần,Tổng biên tập,Báo Bắc Kạn,,",
    "CB02,Nông Văn Bình,Giám đốc,Sở Tài chính,0209 3870 123,binhnv@backan.gov.vn",
    "CB03,Đàm Thị Hoa,Phó Giám đốc,Sở Tài chính,,",
    "CB04,Lý Văn Đức,Trưởng ban,Ban Dân vận Tỉnh ủy,,",
]
SMALL_ASSIGNMENTS = [
    '{commune: "02068", cadre: CB01, since: 2024-08-29, decision: 1391-QĐ/TU}',
    '{commune: "02020", cadre: CB02, since: 2024-08-29, decision: 1391-QĐ/TU}',
    '{commune: "01834", cadre: CB03, since: 2024-08-29, decision: 1391-QĐ/TU}',
    '{commune: "01837", cadre: CB04, since: 2024-08-29, decision: 1391-QĐ/TU}',
]
DECISIONS = """decisions:
  - number: 1391-QĐ/TU
    date: 2024-08-29
    issued_by: Ban Thường vụ Tỉnh ủy Bắc Kạn
"""


def write_data_folder(
    folder: Path,
    communes: Iterable[str] = SMALL_COMMUNES,
    cadres: Iterable[str] = SMALL_CADRES,
    assignments: Iterable[str] = SMALL_ASSIGNMENTS,
    settings: str = "settings:\n  overdue_days: 90\n  term_start: 2024-08-29\n",
) -> Path:
    """Write a complete data folder; each argument is the files' lines."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "communes.csv").write_text(
        "\n".join([COMMUNES_HEADER, *communes]) + "\n", encoding="utf-8")
    (folder / "cadres.csv").write_text(
        "\n".join([CADRES_HEADER, *cadres]) + "\n", encoding="utf-8")
    body = "".join(f"  - {line}\n" for line in assignments)
    (folder / "assignments.yaml").write_text(
        f"{settings}{DECISIONS}assignments:\n{body}", encoding="utf-8")
    return folder


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    return write_data_folder(tmp_path / "data")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis keeps what it learns of the source (from the collection on) in
    the tests' own folder, never in a .hypothesis/ of the working folder."""
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(config._tmp_path_factory.mktemp("hypothesis"))


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests' own cache and state folders (the crash log): never the user's
    ~/.cache or ~/.local/state, in process or not."""
    names = ("THEODOI_CACHE_DIR", "XDG_STATE_HOME")
    previous = {name: os.environ.get(name) for name in names}
    os.environ["THEODOI_CACHE_DIR"] = str(tmp_path_factory.mktemp("theodoi-cache"))
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))
    yield
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _environment(env: dict[str, str] | None) -> dict[str, str]:
    """This process's environment without theodoi's own settings, plus ``env``."""
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("THEODOI_DATA", "THEODOI_LANG", "THEODOI_TODAY", "THEODOI_NOW")}
    full_env.update(env or {})
    return full_env


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


def invoke(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
           input_text: str = "") -> Result:
    """Run theodoi in this process (sqlite-utils' style): the same entry point as
    the console script, with its own environment and captured streams.  Use
    :func:`run_cli` where a real process is the point (signals, locks, cron)."""
    from theodoi.cli.main import main

    stdout, stderr = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    saved = sys.stdin
    try:
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin = io.StringIO(input_text)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(list(args), _environment(env))
    finally:
        sys.stdin = saved
        os.chdir(previous)
    return Result(code, stdout.getvalue(), stderr.getvalue())


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m theodoi`` in a real subprocess, as a clerk or cron would."""
    full_env = _environment(env)
    return subprocess.run([sys.executable, "-m", "theodoi", *args], capture_output=True,
                          text=True, encoding="utf-8", env=full_env, cwd=cwd or REPO,
                          input=input_text, stdin=None if input_text is not None
                          else subprocess.DEVNULL, timeout=120)


# --- a data folder in a git repository, as an office keeps it ---------------------------

CLERK = ("Nông Thị Văn Thư", "vanthu@backan.gov.vn")


def git_environment(today: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without the machine's or the user's git
    settings, with theodoi's clock pinned to ``today`` and messages in English."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
                "THEODOI_TODAY": today, "THEODOI_LANG": "en"})
    env.update(extra or {})
    return env


def run_git(root: Path, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True,
                          env=env).stdout


def committed_office(root: Path, env: dict[str, str]) -> Path:
    """``root`` a git repository with the clerk's identity and conftest's small
    data folder in ``root/data``, committed."""
    write_data_folder(root / "data")
    run_git(root, "init", "-q", "-b", "main", env=env)
    run_git(root, "config", "user.name", CLERK[0], env=env)
    run_git(root, "config", "user.email", CLERK[1], env=env)
    run_git(root, "add", "-A", env=env)
    run_git(root, "commit", "-q", "-m", "Dữ liệu ban đầu", env=env)
    return root


# --- tools that some tests need from the system -----------------------------------------

def in_ci() -> bool:
    """Whether this run is CI's: ``CI`` set to a true value (``CI=false`` is not)."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes", "on")


def require_tool(name: str, install: str) -> str:
    """The path of the program ``name``.  Missing, it fails the test in CI,
    where .ci/run installs it, and skips it elsewhere with ``install``, the
    command that brings it."""
    found = shutil.which(name)
    if found:
        return found
    if in_ci():
        pytest.fail(f"{name} is missing in CI: {install}")
    pytest.skip(f"{name} is not installed ({install}); CI runs this test")


def usage_text(stderr: str) -> str:
    """A usage error's lines (usage, hint, error) as one line of words."""
    lines = [line.strip().strip("│").strip() for line in stderr.splitlines()
             if not line.startswith(("╭", "╰"))]
    return " ".join(" ".join(lines).split())
