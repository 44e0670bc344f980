"""The installed console script works end to end, one command of each group.

Everything else about the commands is tested in process (conftest.invoke);
here a real process starts the ``theodoi`` script that pip installed next to
this Python, as a clerk's shell or cron would, with only the environment it
is given.  A missing script is a broken installation: the test fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SMALL_CADRES, write_data_folder

SCRIPT = Path(sys.executable).parent / "theodoi"


def theodoi(*args: str, cwd: Path, today: str = "2024-11-20"
            ) -> subprocess.CompletedProcess[str]:
    assert SCRIPT.is_file(), f"{SCRIPT} is missing: pip install -e . installs it"
    env = {k: v for k, v in os.environ.items() if not k.startswith("THEODOI_")}
    env.update({"THEODOI_TODAY": today, "THEODOI_LANG": "en",
                "THEODOI_CACHE_DIR": str(cwd / "cache")})
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                          timeout=120)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_data_folder(tmp_path / "data",
                             cadres=[*SMALL_CADRES, "CB05,Lương Văn Khánh,Phó Giám đốc,Sở Nội vụ,,"])


def test_validate(data: Path) -> None:
    result = theodoi("validate", "--data", "data", "--as-of", "2024-09-01", cwd=data.parent)
    assert (result.returncode, result.stderr) == (0, "")  # a warning is not an error
    assert result.stdout.splitlines() == [
        "data/cadres.csv:6: warning [cadre-unassigned]: cadre CB05 (Lương Văn Khánh) is not "
        "assigned to any commune",
        "4 communes, 4 cadres following them, 4 assignments in force on 2024-09-01.",
        "0 errors, 1 warning."]


def test_visit(data: Path) -> None:
    result = theodoi("visit", "add", "--data", "data", "--commune", "dai sao", "--date",
                     "15/11/2024", "--note", "Họp giao ban", cwd=data.parent)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[0] == ("Recorded visit V-20241115-001 in "
                                             "data/visits/2024/2024-11-15.yaml (line 1).")
    assert "  cadre: CB01\n" in (data / "visits" / "2024" / "2024-11-15.yaml").read_text(
        encoding="utf-8")


def test_reports(data: Path) -> None:
    # On 20/11/2024 no commune has had a visit since the term began, 83 days ago.
    result = theodoi("overdue", "--data", "data", "--days", "80", "--format", "csv",
                     cwd=data.parent)
    assert (result.returncode, result.stderr) == (0, "")
    assert [line.split(",")[0::9] for line in result.stdout.splitlines()] == [
        ["commune_code", "days"], ["01834", "83"], ["01837", "83"], ["02020", "83"],
        ["02068", "83"]]


def test_demo(tmp_path: Path) -> None:
    result = theodoi("demo", "demo", "--visits", "20", "--seed", "3", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("Created the demo data folder demo: 108 communes, "
                                    "109 cadres, 20 visits from 2024-08-29 to 2024-11-20.\n")


def test_assignments(data: Path) -> None:
    result = theodoi("assign", "--data", "data", "--commune", "02068", "--cadre", "CB05",
                     "--since", "2024-11-15", cwd=data.parent)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[:3] == [
        "Changed data/assignments.yaml:",
        "  data/assignments.yaml:9: Xã Đại Sảo (02068): Hà Thị Ngần (CB01) follows it until "
        "2024-11-14",
        "  data/assignments.yaml:10: Xã Đại Sảo (02068): Lương Văn Khánh (CB05) follows it "
        "from 2024-11-15"]


def test_audit(data: Path) -> None:
    git = ["git", "-c", "user.name=Văn thư", "-c", "user.email=vanthu@example.org"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Dữ liệu ban đầu"]):
        subprocess.run([*git, *command], cwd=data, check=True, capture_output=True,
                       env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull,
                            "GIT_CONFIG_NOSYSTEM": "1"})
    result = theodoi("audit", "--data", "data", cwd=data.parent)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == ("No record was changed, removed or moved after it was written "
                             "without being acknowledged (the whole history; 1 commit "
                             "checked).\n")
