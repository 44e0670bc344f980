"""`visit add --commit`: one commit of the one file written, in a real git repository.

The author's identity is given in the command's environment only (not this
process's): git must get the environment theodoi was run with.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import invoke, write_data_folder

from theodoi.store.dayfile import read_records
from theodoi.visits.records import VISIT_SCHEMA, visit_of

IDENTITY = {"GIT_AUTHOR_NAME": "Văn phòng Tỉnh ủy", "GIT_AUTHOR_EMAIL": "vanphong@example.org",
            "GIT_COMMITTER_NAME": "Văn phòng Tỉnh ủy",
            "GIT_COMMITTER_EMAIL": "vanphong@example.org", "THEODOI_TODAY": "2024-09-20"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          encoding="utf-8", env={**IDENTITY, "PATH": "/usr/bin:/bin",
                                                 "HOME": str(repo)}).stdout


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A git repository whose data/ folder is committed."""
    repo = tmp_path / "office"
    write_data_folder(repo / "data")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Dữ liệu ban đầu")
    return repo


def test_commit_holds_only_the_day_file_and_says_who_where_when(office: Path,
                                                                tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    typed = (f"$(touch {tmp_path}/pwned) `touch {tmp_path}/pwned2`; rm -rf {victim} "
             "\"ngoặc kép\" 'ngoặc đơn' && echo $HOME | cat")
    # The clerk's other work in progress: one change staged, one not.
    with (office / "data" / "cadres.csv").open("a", encoding="utf-8") as fh:
        fh.write("CB05,Hoàng Văn Tú,Phó Giám đốc,Sở Y tế,,\n")
    git(office, "add", "data/cadres.csv")
    with (office / "data" / "communes.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    result = invoke("visit", "add", "--data", str(office / "data"), "--commune", "dai sao",
                    "--date", "15/09/2024", "--cadre", "CB02", "--substitute", typed,
                    "--note", typed, "--issue", typed, "--commit", env=IDENTITY, cwd=office)
    assert result.returncode == 0, result.stderr
    head = git(office, "rev-parse", "HEAD").strip()
    assert f"Đã lưu vào lịch sử git (commit {head[:12]})" in result.stdout
    assert git(office, "log", "-1", "--format=%an <%ae>") == (
        "Văn phòng Tỉnh ủy <vanphong@example.org>\n")
    assert git(office, "show", "--name-only", "--format=", "HEAD") == (
        "data/visits/2024/2024-09-15.yaml\n")
    assert git(office, "log", "-1", "--format=%B") == (
        "Chuyến công tác V-20240915-001: đồng chí Nông Văn Bình (CB02) làm việc tại Xã Đại Sảo "
        "(02068) ngày 15/09/2024\n\n"
        "Hình thức: làm việc với Đảng ủy, UBND xã\n"
        f"Đi thay, lý do: {typed}\n\nTheodoi-Command: visit add\n\n")
    # Other work is left as it was: staged stays staged, unstaged stays unstaged.
    assert git(office, "diff", "--cached", "--name-only") == "data/cadres.csv\n"
    assert git(office, "diff", "--name-only") == "data/communes.csv\n"
    # Nothing typed ran in a shell, and it is stored exactly as typed.
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()
    assert victim.is_dir()
    committed = git(office, "show", "HEAD:data/visits/2024/2024-09-15.yaml")
    result = read_records(committed.encode("utf-8"), "committed", VISIT_SCHEMA)
    assert result.problems == []
    [stored] = [visit_of(record, "committed") for record in result.records]
    assert (stored.notes, stored.substitute, stored.difficulties) == (typed, typed, (typed,))


def test_outside_a_repository_commit_is_refused_before_writing(tmp_path: Path) -> None:
    """--commit promises a committed record: outside git it is refused before
    anything is written, so the clerk can retry without a duplicate."""
    data = write_data_folder(tmp_path / "data")
    result = invoke("visit", "add", "--data", str(data), "--commune", "dai sao", "--date",
                    "2024-09-15", "--commit", env=IDENTITY)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"theodoi: lỗi [not-in-git]: {data} không nằm trong kho git\n"
    assert not (data / "visits").exists()


def test_without_commit_nothing_is_staged(office: Path) -> None:
    result = invoke("visit", "add", "--data", "data", "--commune", "dai sao", "--date",
                    "2024-09-15", env=IDENTITY, cwd=office)
    assert result.returncode == 0, result.stderr
    assert git(office, "diff", "--cached", "--name-only") == ""
    assert git(office, "status", "--porcelain") == "?? data/visits/\n"
    assert git(office, "rev-list", "--count", "HEAD").strip() == "1"
