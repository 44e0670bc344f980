"""The README's cron recipe, run exactly as written, in cron's bare environment.

The crontab line is read from README.md and run with ``env -i`` and the few
variables cron sets (HOME, LOGNAME, SHELL, PATH=/usr/bin:/bin), through
/bin/sh as cron does; only the two /srv paths are replaced by this test's
folders (and the day is pinned, as a crontab variable would).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, invoke, write_data_folder

TODAY = "2024-09-20"  # a Friday: the last complete week is 2024-W37
CRON_FIELDS = re.compile(r"^(\S+\s+){5}")


def recipe() -> str:
    """The command of the crontab line in the README (the part after the five fields)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("### The Monday summary from cron", 1)[1].split("```crontab\n", 1)[1]
    block = block.split("```", 1)[0]
    [line] = [line for line in block.splitlines() if CRON_FIELDS.match(line)
              and not line.startswith("#")]
    return CRON_FIELDS.sub("", line, count=1)


def theodoi_script() -> str:
    script = Path(sys.executable).with_name("theodoi")
    assert script.is_file(), "the console script is installed with the package"
    return str(script)


def workspace(tmp_path: Path, identity: bool) -> Path:
    data = write_data_folder(tmp_path / "theodoi-data")
    env = {"THEODOI_TODAY": TODAY}
    for day in ("10/09/2024", "12/09/2024"):
        added = invoke("visit", "add", "--data", str(data), "--commune", "02068", "--date", day,
                       "--proposal", "Hỗ trợ kinh phí làm đường", env=env)
        assert added.returncode == 0, added.stderr
    git = ["git", "-c", "user.name=Người lập", "-c", "user.email=lap@example.vn"]
    subprocess.run([*git, "init", "--quiet"], cwd=data, check=True)
    if identity:
        subprocess.run(["git", "config", "user.name", "Văn phòng Tỉnh ủy"], cwd=data, check=True)
        subprocess.run(["git", "config", "user.email", "vanphong@example.vn"], cwd=data,
                       check=True)
    subprocess.run([*git, "add", "."], cwd=data, check=True)
    subprocess.run([*git, "commit", "--quiet", "-m", "Dữ liệu"], cwd=data, check=True)
    return data


def run_as_cron(command: str, home: Path) -> subprocess.CompletedProcess[str]:
    home.mkdir(exist_ok=True)
    cron_env = [f"HOME={home}", "LOGNAME=theodoi", "SHELL=/bin/sh", "PATH=/usr/bin:/bin",
                f"THEODOI_TODAY={TODAY}"]
    return subprocess.run(["env", "-i", *cron_env, "/bin/sh", "-c", command],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def commits(data: Path) -> list[str]:
    log = subprocess.run(["git", "log", "--format=%s|%an"], cwd=data, capture_output=True,
                         text=True, check=True)
    return log.stdout.splitlines()


@pytest.fixture(scope="module", autouse=True)
def _env_is_there() -> None:
    assert shutil.which("env") and Path("/bin/sh").exists()


def test_the_recipe_writes_commits_and_prints(tmp_path: Path) -> None:
    data = workspace(tmp_path, identity=True)
    command = recipe().replace("/srv/theodoi-data", str(data)).replace(
        "/srv/theodoi/.venv/bin/theodoi", theodoi_script())
    assert "{week}" in command and "%" not in command  # nothing for cron to mangle
    done = run_as_cron(command, tmp_path / "home")
    assert done.returncode == 0, done.stderr
    report = data / "bao-cao" / "2024-W37.html"
    assert report.is_file()
    assert "<html" in report.read_text(encoding="utf-8")
    assert commits(data)[0] == "Báo cáo tuần 2024-W37|Văn phòng Tỉnh ủy"
    # What cron mails: the summary as text, and where it went.
    assert done.stdout.startswith("Báo cáo tuần")
    assert "Tuần 37 (09/09–15/09/2024)" in done.stdout and "Hỗ trợ kinh phí làm đường" in done.stdout
    assert "Đã ghi: bao-cao/2024-W37.html" in done.stderr
    assert "Đã lưu vào lịch sử git (commit " in done.stderr

    # The same week again: the same file, nothing to commit, exit 0.
    again = run_as_cron(command, tmp_path / "home")
    assert again.returncode == 0, again.stderr
    assert len(commits(data)) == 2
    assert "không có gì để commit" in again.stderr
    assert again.stdout == done.stdout


def test_the_recipe_refuses_to_commit_as_nobody(tmp_path: Path) -> None:
    data = workspace(tmp_path, identity=False)
    command = recipe().replace("/srv/theodoi-data", str(data)).replace(
        "/srv/theodoi/.venv/bin/theodoi", theodoi_script())
    refused = run_as_cron(command, tmp_path / "home")
    assert refused.returncode == 1
    assert "lỗi [no-git-identity]" in refused.stderr
    assert refused.stdout == ""  # the second command does not run after a failure
    assert not (data / "bao-cao").exists()
    assert len(commits(data)) == 1
