"""``theodoi init``: a workspace for any province, on either map, in a real git repository."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SHIPPED_DATA, invoke

from theodoi.registers.loader import load_registers
from theodoi.registers.rules import check_registers

IDENTITY = {"GIT_AUTHOR_NAME": "Văn phòng Tỉnh ủy", "GIT_AUTHOR_EMAIL": "vanphong@example.org",
            "GIT_COMMITTER_NAME": "Văn phòng Tỉnh ủy",
            "GIT_COMMITTER_EMAIL": "vanphong@example.org"}
EN = {"THEODOI_LANG": "en", "THEODOI_TODAY": "2026-03-02"}


@pytest.fixture
def git_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """git without the machine's configuration: no identity unless a test gives one."""
    for name in [n for n in os.environ if n.startswith("GIT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return tmp_path


@pytest.fixture
def identity(git_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in IDENTITY.items():
        monkeypatch.setenv(name, value)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout


def test_bac_kan_2024_gives_exactly_the_shipped_communes_csv(tmp_path: Path,
                                                              identity: None) -> None:
    target = tmp_path / "bac-kan"
    result = invoke("init", str(target), "--province", "Bắc Kạn", "--map", "2024", env=EN)
    assert result.returncode == 0, result.stderr
    assert (target / "communes.csv").read_bytes() == (SHIPPED_DATA / "communes.csv").read_bytes()
    assert (target / "cadres.csv").read_text(encoding="utf-8") == (
        "id,name,title,agency,phone,email\n")
    assert (target / ".gitignore").read_text(encoding="utf-8").splitlines()[2] == ".*.tmp"
    # The journals are merged record by record, in this clone and (through
    # .gitattributes) in every clone that sets the driver up.
    assert "visits/**/*.yaml merge=theodoi" in (target / ".gitattributes").read_text(
        encoding="utf-8").splitlines()
    assert "-m theodoi.cli.merge_driver %O %A %B %P" in git(target, "config", "merge.theodoi.driver")
    # One commit, by the person git was told about, holding the five files.
    assert git(target, "log", "--format=%an <%ae>|%s") == (
        "Văn phòng Tỉnh ủy <vanphong@example.org>|Khởi tạo thư mục dữ liệu theodoi: Tỉnh Bắc "
        "Kạn, 108 đơn vị hành chính cấp xã (danh mục 2024)\n")
    assert git(target, "ls-files").split() == [".gitattributes", ".gitignore",
                                               "assignments.yaml", "cadres.csv",
                                               "communes.csv"]
    assert git(target, "status", "--porcelain") == ""
    head = git(target, "rev-parse", "HEAD")[:12]
    assert result.stdout.splitlines() == [
        f"Created the workspace {target} for Tỉnh Bắc Kạn (the 2024 map): 108 commune-level "
        f"units, no cadre and no assignment yet; first commit {head}.",
        "Next steps:",
        f"  1. Add the cadres: theodoi cadre add --data {target} --id CB001 --name \"...\" "
        f"--title \"...\" --agency \"...\" (or paste the list into {target}/cadres.csv, same "
        "header).",
        "  2. Enter the annex of the assignment decision: from its table in Excel or CSV, "
        f"theodoi import assignments ANNEX.xlsx --data {target} --since DATE --decision "
        "\"NUMBER, DATE\" (the cadres are added too); or one line at a time, theodoi assign "
        f"--data {target} --commune \"...\" --cadre CB001 --since DATE. Set communes_per_cadre "
        f"in {target}/assignments.yaml first if a cadre follows several communes.",
        f"  3. Check: theodoi validate --data {target}",
        'The Word reports are headed "ĐẢNG BỘ TỈNH BẮC KẠN", "TỈNH ỦY" and dated from '
        f'"Bắc Kạn" (settings.office in {target}/assignments.yaml); add the signer\'s name and '
        "the recipients there.",
    ]


def test_the_new_workspace_reads_cleanly_and_waits_for_its_assignments(
        tmp_path: Path, identity: None) -> None:
    target = tmp_path / "bac-kan"
    assert invoke("init", str(target), "--province", "06", "--map", "2024",
                  env=EN).returncode == 0
    loaded = load_registers(target)
    assert loaded.problems == []  # every file, the settings and the empty lists read cleanly
    settings = loaded.registers.settings
    assert (settings.overdue_days, settings.term_start, settings.communes_per_cadre,
            settings.cadres_per_commune) == (90, None, 1, 1)
    from datetime import date

    codes = {p.code for p in check_registers(loaded.registers, date(2026, 3, 2))}
    assert codes == {"commune-without-cadre"}
    # The editor can add the first assignment to the empty list.
    assert invoke("cadre", "add", "--data", str(target), "--id", "CB001", "--name", "Hà Thị Ngần",
                  "--title", "Tổng biên tập", "--agency", "Báo Bắc Kạn", env=EN).returncode == 0
    added = invoke("assign", "--data", str(target), "--commune", "dai sao", "--cadre", "CB001",
                   "--since", "2024-08-29", "--decision", "1391-QĐ/TU, 29/08/2024",
                   "--force", env=EN)
    assert added.returncode == 0, added.stderr
    text = (target / "assignments.yaml").read_text(encoding="utf-8")
    assert text.endswith('decisions:\n  - {number: 1391-QĐ/TU, date: 2024-08-29}\nassignments:\n'
                         '  - {commune: "02068", cadre: CB001, since: 2024-08-29, '
                         'decision: 1391-QĐ/TU}\n')


def test_thai_nguyen_2025_has_its_92_units_without_districts(tmp_path: Path,
                                                            identity: None) -> None:
    target = tmp_path / "thai-nguyen"
    result = invoke("init", str(target), "--province", "thai nguyen", env=EN)  # today: 2025 map
    assert result.returncode == 0, result.stderr
    loaded = load_registers(target)
    assert loaded.problems == []
    units = loaded.registers.units
    assert len(units) == 92
    assert {(u.district_code, u.district_name) for u in units} == {("", "")}
    assert {u.kind for u in units} == {"xã", "phường"}
    assert loaded.registers.communes["02083"].name == "Xã Yên Phong"
    assert "danh mục 2025" in git(target, "log", "--format=%s")


def test_a_province_with_special_zones_reads_cleanly(tmp_path: Path, identity: None) -> None:
    """Quảng Ninh has two đặc khu (Vân Đồn, Cô Tô) since 1/7/2025."""
    target = tmp_path / "quang-ninh"
    assert invoke("init", str(target), "--province", "Quảng Ninh", "--map", "2025",
                  env=EN).returncode == 0
    loaded = load_registers(target)
    assert loaded.problems == []
    assert sorted(u.name for u in loaded.registers.units if u.kind == "đặc khu") == [
        "Đặc khu Cô Tô", "Đặc khu Vân Đồn"]


def test_the_default_map_is_the_one_in_force_today(tmp_path: Path, identity: None) -> None:
    before = invoke("init", str(tmp_path / "a"), "--province", "bac kan",
                    env={**EN, "THEODOI_TODAY": "2025-06-30"})
    assert before.returncode == 0, before.stderr
    after = invoke("init", str(tmp_path / "b"), "--province", "bac kan",
                   env={**EN, "THEODOI_TODAY": "2025-07-01"})
    assert after.returncode == 2
    assert after.stderr == (
        "theodoi: error [province-not-found]: no province of the 2025 map is 'bac kan'; the "
        "closest are:\n  19 Tỉnh Thái Nguyên\n  24 Tỉnh Bắc Ninh\n"
        "  or, with --map 2024, 06 Tỉnh Bắc Kạn as it stood until 30/06/2025\n")
    assert not (tmp_path / "b").exists()


def test_refuses_a_folder_with_anything_in_it_or_a_file_in_the_way(tmp_path: Path,
                                                                  identity: None) -> None:
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("giữ nguyên", encoding="utf-8")
    result = invoke("init", str(occupied), "--province", "bac kan", "--map", "2024", env=EN)
    assert result.returncode == 2
    assert "[folder-not-empty]" in result.stderr
    assert [p.name for p in occupied.iterdir()] == ["notes.txt"]
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    assert "[path-in-the-way]" in invoke("init", str(blocker), "--province", "bac kan",
                                         "--map", "2024", env=EN).stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke("init", str(empty), "--province", "bac kan", "--map", "2024",
                  env=EN).returncode == 0
    assert (empty / "communes.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "empty", "occupied"]


def test_without_an_identity_or_a_terminal_nothing_is_made(tmp_path: Path,
                                                           git_home: Path) -> None:
    result = invoke("init", str(tmp_path / "ws"), "--province", "bac kan", "--map", "2024",
                    env=EN)
    assert result.returncode == 1
    assert result.stderr.startswith("theodoi: error [git-identity-missing]: git does not know "
                                    "who makes the commits")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_in_a_terminal_the_identity_is_asked_and_kept_in_the_new_repository(
        tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "THEODOI_"))}
    env.update({**EN, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
                "THEODOI_CACHE_DIR": os.environ["THEODOI_CACHE_DIR"]})
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "theodoi", "init", "ws", "--province",
                                "bac kan", "--map", "2024"], cwd=tmp_path, stdin=follower,
                               stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    seen = b""
    for prompt, answer in ((b"full name", "Lục Văn Thư\n"), (b"e-mail", "thulv@example.org\n")):
        while prompt not in seen:
            chunk = os.read(leader, 1024)
            assert chunk, seen
            seen += chunk
        os.write(leader, answer.encode("utf-8"))
    out, _ = process.communicate(timeout=120)
    os.close(leader)
    assert process.returncode == 0, seen
    repo = tmp_path / "ws"
    log = subprocess.run(["git", "log", "--format=%an <%ae>"], cwd=repo, capture_output=True,
                         text=True, env=env, check=True).stdout
    assert log == "Lục Văn Thư <thulv@example.org>\n"
    config = (repo / ".git" / "config").read_text(encoding="utf-8")
    assert "name = Lục Văn Thư" in config and "email = thulv@example.org" in config
    assert b"Created the workspace ws" in out


def test_init_runs_without_pandas() -> None:
    code = ("import sys; from theodoi.cli.app import build_command; build_command(['init']); "
            "import theodoi.workspace.folder; print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, check=True)
    assert done.stdout == "False\n"
