"""The README's cron recipe, run exactly as written, in cron's bare environment.

The crontab line is read from README.md and run with ``env -i`` and the few
variables cron sets (HOME, LOGNAME, SHELL, PATH=/usr/bin:/bin), through
/bin/sh as cron does; only the two /srv paths are replaced by this test's
folders (and the day is pinned, as a crontab variable would).  The data
folder is the server's clone of a bare repository (over file://) into which
a clerk's clone has pushed the week's visits.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, invoke, write_data_folder

from theodoi.store.sharing import GITATTRIBUTES

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
    """The cron clone, with the clerk's visits still on the server only."""
    clerk = write_data_folder(tmp_path / "clerk")
    (clerk / ".gitattributes").write_text(GITATTRIBUTES, encoding="utf-8")  # as init writes
    git = ["git", "-c", "user.name=Người lập", "-c", "user.email=lap@example.vn"]
    quiet = {"capture_output": True, "check": True}
    subprocess.run([*git, "init", "--quiet", "-b", "main"], cwd=clerk, **quiet)
    subprocess.run([*git, "add", "."], cwd=clerk, **quiet)
    subprocess.run([*git, "commit", "--quiet", "-m", "Dữ liệu"], cwd=clerk, **quiet)
    server = tmp_path / "theodoi-data.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(clerk), str(server)], **quiet)
    subprocess.run(["git", "remote", "add", "origin", f"file://{server}"], cwd=clerk, **quiet)
    env = {"THEODOI_TODAY": TODAY, "GIT_AUTHOR_NAME": "Người lập",
           "GIT_AUTHOR_EMAIL": "lap@example.vn", "GIT_COMMITTER_NAME": "Người lập",
           "GIT_COMMITTER_EMAIL": "lap@example.vn"}
    for day in ("10/09/2024", "12/09/2024"):
        added = invoke("visit", "add", "--data", str(clerk), "--commune", "02068", "--date", day,
                       "--proposal", "Hỗ trợ kinh phí làm đường", "--commit", env=env)
        assert added.returncode == 0, added.stderr
    subprocess.run(["git", "push", "--quiet", "origin", "main"], cwd=clerk, **quiet)
    data = tmp_path / "theodoi-data"
    subprocess.run(["git", "clone", "--quiet", f"file://{server}", str(data)], **quiet)
    subprocess.run([*git, "reset", "--quiet", "--hard", "HEAD~2"], cwd=data, **quiet)
    if identity:
        subprocess.run(["git", "config", "user.name", "Văn phòng Tỉnh ủy"], cwd=data, check=True)
        subprocess.run(["git", "config", "user.email", "vanphong@example.vn"], cwd=data,
                       check=True)
    return data


def run_as_cron(command: str, home: Path) -> subprocess.CompletedProcess[str]:
    home.mkdir(exist_ok=True)
    cron_env = [f"HOME={home}", "LOGNAME=theodoi", "SHELL=/bin/sh", "PATH=/usr/bin:/bin",
                f"THEODOI_TODAY={TODAY}"]
    return subprocess.run(["env", "-i", *cron_env, "/bin/sh", "-c", command],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def commits(data: Path, revision: str = "HEAD") -> list[str]:
    log = subprocess.run(["git", "log", "--format=%s|%an", revision], cwd=data,
                         capture_output=True, text=True, check=True)
    return log.stdout.splitlines()


@pytest.fixture(scope="module", autouse=True)
def _env_is_there() -> None:
    assert shutil.which("env") and Path("/bin/sh").exists()


def test_the_recipe_writes_commits_and_prints(tmp_path: Path) -> None:
    data = workspace(tmp_path, identity=True)
    assert not (data / "visits").exists()  # the week's visits are on the server only
    command = recipe().replace("/srv/theodoi-data", str(data)).replace(
        "/srv/theodoi/.venv/bin/theodoi", theodoi_script())
    assert "{week}" in command and "%" not in command  # nothing for cron to mangle
    done = run_as_cron(command, tmp_path / "home")
    assert done.returncode == 0, done.stderr
    report = data / "bao-cao" / "2024-W37.html"
    assert report.is_file()
    assert "<html" in report.read_text(encoding="utf-8")
    assert commits(data)[0] == "Báo cáo tuần 2024-W37|Văn phòng Tỉnh ủy"
    # What cron mails: what came in, the summary as text, where it went, what went out.
    first, summary, last = done.stdout.split("Đã đồng bộ với origin (nhánh main).\n")[1:] \
        [0].partition("Báo cáo tuần")
    assert "Nhận về: 2 chuyến công tác (của Người lập)" in first
    summary = "Báo cáo tuần" + last.split("Đã đồng bộ")[0]
    assert "Tuần 37 (09/09–15/09/2024)" in summary and "Hỗ trợ kinh phí làm đường" in summary
    assert done.stdout.rstrip().endswith("Gửi đi: 1 tệp khác (báo cáo, danh mục) (của Văn "
                                         "phòng Tỉnh ủy)")
    assert "Đã ghi: bao-cao/2024-W37.html" in done.stderr
    assert "Đã lưu vào lịch sử git (commit " in done.stderr
    # The report is on the server.
    assert commits(tmp_path / "theodoi-data.git", "main")[0] == \
        "Báo cáo tuần 2024-W37|Văn phòng Tỉnh ủy"

    # The same week again: the same file, nothing to commit or send, exit 0.
    again = run_as_cron(command, tmp_path / "home")
    assert again.returncode == 0, again.stderr
    assert len(commits(data)) == 4
    assert "không có gì để commit" in again.stderr
    assert "Nhận về: không có gì" in again.stdout and "Gửi đi: không có gì" in again.stdout
    assert summary in again.stdout


def test_the_recipe_refuses_to_commit_as_nobody(tmp_path: Path) -> None:
    data = workspace(tmp_path, identity=False)
    command = recipe().replace("/srv/theodoi-data", str(data)).replace(
        "/srv/theodoi/.venv/bin/theodoi", theodoi_script())
    refused = run_as_cron(command, tmp_path / "home")
    assert refused.returncode == 0  # the last sync, after ";", has nothing to send
    assert "lỗi [no-git-identity]" in refused.stderr
    assert "Báo cáo tuần" not in refused.stdout  # the summary is not printed after a failure
    assert not (data / "bao-cao").exists()
    assert len(commits(data)) == 3  # the visits that came in, nothing of its own


def test_the_recipe_without_network_mails_why_and_makes_nothing(tmp_path: Path) -> None:
    data = workspace(tmp_path, identity=True)
    (tmp_path / "theodoi-data.git").rename(tmp_path / "elsewhere.git")
    command = recipe().replace("/srv/theodoi-data", str(data)).replace(
        "/srv/theodoi/.venv/bin/theodoi", theodoi_script())
    done = run_as_cron(command, tmp_path / "home")
    assert done.returncode == 1
    assert done.stderr.count("lỗi [sync-unreachable]") == 2 and done.stdout == ""
    assert not (data / "bao-cao").exists()
