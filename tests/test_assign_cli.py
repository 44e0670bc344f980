"""`theodoi assign`, `swap`, `vacate`, `cadre add`: what they write, print and refuse,
and `validate --as-of` before, on and after the change.

The small data folder (conftest): 02068 Xã Đại Sảo CB01 Hà Thị Ngần, 02020 CB02
Nông Văn Bình, 01834 CB03 Đàm Thị Hoa, 01837 CB04 Lý Văn Đức, all since
29/08/2024; CB05 Triệu Văn Toàn is added without a commune.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, SMALL_CADRES, usage_text, write_data_folder
from test_history_audit import GitRepo, git_environment

from theodoi.cli.main import main
from theodoi.registers.loader import load_registers

CADRES = [*SMALL_CADRES, "CB05,Triệu Văn Toàn,Phó Giám đốc,Sở Nội vụ,,"]
BEFORE, ON, AFTER = "2025-03-14", "2025-03-15", "2025-03-16"


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEODOI_TODAY", "2025-03-20")
    monkeypatch.delenv("THEODOI_DATA", raising=False)
    monkeypatch.delenv("THEODOI_LANG", raising=False)
    for name, value in git_environment().items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_data_folder(tmp_path / "data", cadres=CADRES)


def run(capsys: pytest.CaptureFixture[str], *args: str, lang: str = "vi"
        ) -> tuple[int, str, str]:
    code = main([*args, "--lang", lang])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def validate(capsys: pytest.CaptureFixture[str], data: Path, day: str
             ) -> tuple[int, list[tuple[str, str]]]:
    code, out, _ = run(capsys, "validate", "--data", str(data), "--as-of", day,
                       "--format", "json")
    return code, [(p["severity"], p["code"]) for p in json.loads(out)]


def followers(data: Path, day: str) -> dict[str, str]:
    registers = load_registers(data).registers
    return {code: registers.cadre_of(code, date.fromisoformat(day)).cadre
            for code in registers.communes}


def test_replacement(capsys, data: Path) -> None:
    code, out, err = run(capsys, "assign", "--data", str(data), "--commune", "dai sao",
                         "--cadre", "Triệu Văn Toàn", "--since", "15/03/2025",
                         "--decision", "1520-QĐ/TU, 15/03/2025")
    assert (code, err) == (0, "")
    file = str(data / "assignments.yaml")
    assert out.splitlines() == [
        f"Đã sửa {file}:",
        f"  {file}:11: Xã Đại Sảo (02068): đồng chí Hà Thị Ngần (CB01) theo dõi đến hết ngày "
        "14/03/2025",
        f"  {file}:12: Xã Đại Sảo (02068): đồng chí Triệu Văn Toàn (CB05) theo dõi từ ngày "
        "15/03/2025, theo Quyết định số 1520-QĐ/TU",
        f"  {file}:8: thêm Quyết định số 1520-QĐ/TU ngày 15/03/2025 vào danh sách 'decisions'",
        "4 xã, phường, thị trấn; 4 cán bộ theo dõi; 4 phân công có hiệu lực ngày 15/03/2025.",
        "Không phát hiện lỗi."]
    # validate --as-of and the loader agree: the assignment in force on each date counts.
    for day, cadre in ((BEFORE, "CB01"), (ON, "CB05"), (AFTER, "CB05")):
        assert validate(capsys, data, day) == (0, [])
        assert followers(data, day) == {"02068": cadre, "02020": "CB02", "01834": "CB03",
                                        "01837": "CB04"}
    # Before the replacement CB05 followed nothing yet; that is no problem on that day.
    assert validate(capsys, data, "2024-08-29") == (0, [])


def test_swap(capsys, data: Path) -> None:
    code, out, err = run(capsys, "swap", "CB01", "nong van binh", "--since", ON,
                         "--data", str(data), lang="en")
    assert (code, err) == (0, "")
    assert "Xã Đại Sảo (02068): Nông Văn Bình (CB02) follows it from 2025-03-15" in out
    assert "Thị trấn Bằng Lũng (02020): Hà Thị Ngần (CB01) follows it from 2025-03-15" in out
    expected = {BEFORE: ("CB01", "CB02"), ON: ("CB02", "CB01"), AFTER: ("CB02", "CB01")}
    for day, (dai_sao, bang_lung) in expected.items():
        # CB05 follows no commune in this test: a warning, on every date.
        assert validate(capsys, data, day) == (0, [("warning", "cadre-unassigned")])
        found = followers(data, day)
        assert (found["02068"], found["02020"]) == (dai_sao, bang_lung)
        registers = load_registers(data).registers
        assert registers.commune_of("CB01", date.fromisoformat(day)).commune == (
            "02068" if day == BEFORE else "02020")


def test_vacancy_is_a_warning_until_filled(capsys, data: Path) -> None:
    code, out, _ = run(capsys, "vacate", "--data", str(data), "--commune", "02068",
                       "--since", ON)
    assert code == 0
    assert "Xã Đại Sảo (02068): khuyết cán bộ theo dõi từ ngày 15/03/2025, chờ phân công " \
           "thay thế" in out
    assert "cảnh báo [vacancy]: Xã Đại Sảo (02068) khuyết cán bộ theo dõi từ ngày 15/03/2025" in out
    unassigned = ("warning", "cadre-unassigned")  # CB05, until the vacancy is filled
    assert validate(capsys, data, BEFORE) == (0, [unassigned])
    assert validate(capsys, data, ON) == (0, [("warning", "vacancy"), unassigned])
    code, _, _ = run(capsys, "assign", "--data", str(data), "--commune", "02068",
                     "--cadre", "CB05", "--since", "2025-04-01")
    assert code == 0
    assert validate(capsys, data, "2025-03-31") == (0, [("warning", "vacancy")])
    assert validate(capsys, data, "2025-04-01") == (0, [])
    assert followers(data, "2025-04-01")["02068"] == "CB05"


def test_a_change_that_breaks_the_rule_is_refused(capsys, data: Path) -> None:
    before = (data / "assignments.yaml").read_bytes()
    code, out, err = run(capsys, "assign", "--data", str(data), "--commune", "02068",
                         "--cadre", "CB02", "--since", ON)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "theodoi: lỗi: chưa ghi thay đổi nào, vì:",
        "Quy định: mỗi cán bộ mỗi lúc chỉ theo dõi một xã. Cách sửa thường dùng: hoán đổi địa "
        "bàn của hai cán bộ bằng lệnh 'theodoi swap', hoặc trước hết để xã của cán bộ này "
        "khuyết cán bộ bằng lệnh 'theodoi vacate'.",
        f"{data / 'assignments.yaml'}: lỗi [cadre-two-communes]: cán bộ Nông Văn Bình (CB02) "
        "cùng lúc theo dõi hai xã từ ngày 15/03/2025: Thị trấn Bằng Lũng (02020) và Xã Đại Sảo "
        "(02068) (phân công kia ở dòng 10)",
        "Nếu không: thêm --force để vẫn ghi thay đổi này ('theodoi validate' sẽ tiếp tục báo "
        "lỗi); --dry-run cho xem thay đổi mà không ghi."]
    assert (data / "assignments.yaml").read_bytes() == before
    code, out, err = run(capsys, "assign", "--data", str(data), "--commune", "02068",
                         "--cadre", "CB02", "--since", ON, "--force", lang="en")
    assert code == 0
    assert err.startswith("written although: ")
    assert validate(capsys, data, ON) == (1, [("error", "cadre-two-communes"),
                                              ("warning", "cadre-unassigned")])


@pytest.mark.parametrize(("args", "message"), [
    (("assign", "--commune", "02068", "--cadre", "Không Ai", "--since", ON),
     "theodoi: error [cadre-not-found]: no cadre matches 'Không Ai'"),
    (("assign", "--commune", "Hà Nội", "--cadre", "CB05", "--since", ON),
     "theodoi: error [commune-not-found]: no commune matches 'Hà Nội'"),
    (("assign", "--commune", "02068", "--cadre", "CB05", "--since", "31/02/2025"),
     "theodoi: error [command-line]: --since: '31/02/2025' is not a valid date"),
    (("assign", "--commune", "02068", "--cadre", "CB05", "--since", ON,
      "--decision", "1520-QĐ/TU, hôm nay"),
     "theodoi: error [decision-unreadable]: --decision '1520-QĐ/TU, hôm nay': cannot read it"),
    (("swap", "CB01", "CB01", "--since", ON),
     "error [same-cadre]: a swap needs two different cadres, CB01 was given twice"),
])
def test_command_line_mistakes_exit_2(capsys, data: Path, args: tuple[str, ...],
                                      message: str) -> None:
    before = (data / "assignments.yaml").read_bytes()
    code, out, err = run(capsys, *args, "--data", str(data), lang="en")
    assert (code, out) == (2, "")
    assert message in usage_text(err), err
    assert (data / "assignments.yaml").read_bytes() == before


def test_refusals_about_the_data_exit_1(capsys, data: Path) -> None:
    code, _, err = run(capsys, "assign", "--data", str(data), "--commune", "02068",
                       "--cadre", "CB01", "--since", ON, lang="en")
    assert code == 1 and "error [nothing-to-change]: nothing to change: cadre CB01 already " \
        "follows commune 02068 on 2025-03-15" in err
    code, _, err = run(capsys, "swap", "CB01", "CB05", "--since", ON, "--data", str(data),
                       lang="en")
    assert code == 1 and "error [no-commune-to-swap]: cadre CB05 follows no commune on " \
        "2025-03-15" in err
    code, _, err = run(capsys, "assign", "--data", str(data), "--commune", "02068",
                       "--cadre", "CB05", "--since", ON, "--decision", "1520-QĐ/TU", lang="en")
    assert code == 1 and "error [decision-without-date]: decision 1520-QĐ/TU is not in the " \
        "'decisions' list yet: give its date too" in err


def test_dry_run_shows_the_diff_and_writes_nothing(capsys, data: Path) -> None:
    before = (data / "assignments.yaml").read_bytes()
    code, out, _ = run(capsys, "assign", "--data", str(data), "--commune", "02068",
                       "--cadre", "CB05", "--since", ON, "--dry-run", lang="en")
    assert code == 0
    name = str(data / "assignments.yaml")
    assert out.splitlines()[-6:] == [
        f"--- a/{name}", f"+++ b/{name}", "@@ -9 +9,2 @@",
        '-  - {commune: "02068", cadre: CB01, since: 2024-08-29, decision: 1391-QĐ/TU}',
        '+  - {commune: "02068", cadre: CB01, since: 2024-08-29, until: 2025-03-14, '
        'decision: 1391-QĐ/TU}',
        '+  - {commune: "02068", cadre: CB05, since: 2025-03-15}']
    assert (data / "assignments.yaml").read_bytes() == before
    code, _, err = run(capsys, "assign", "--data", str(data), "--commune", "02068",
                       "--cadre", "CB02", "--since", ON, "--dry-run", lang="en")
    assert code == 1 and err.startswith("would break: ")


def test_commit_commits_the_change_alone(capsys, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "office")
    data = write_data_folder(repo.root / "data", cadres=CADRES)
    repo.commit("Khởi tạo")
    (repo.root / "ghi-chu.txt").write_text("chưa xong\n", encoding="utf-8")
    repo.git("add", "ghi-chu.txt")  # staged by the clerk, not part of the change
    code, out, _ = run(capsys, "assign", "--data", str(data), "--commune", "02068",
                       "--cadre", "CB05", "--since", ON, "--commit")
    assert code == 0 and "Đã lưu vào lịch sử git" in out
    assert repo.git("show", "--name-only", "--format=%s", "HEAD").splitlines() == [
        "Thay thế cán bộ theo dõi Xã Đại Sảo (02068) từ ngày 15/03/2025: Hà Thị Ngần (CB01) → "
        "Triệu Văn Toàn (CB05)", "", "data/assignments.yaml"]
    # One changed line and one added line, as git counts them: 2 insertions, 1 deletion.
    assert repo.git("diff", "--numstat", "HEAD~1", "HEAD") == "2\t1\tdata/assignments.yaml\n"
    assert repo.git("diff", "--cached", "--name-only") == "ghi-chu.txt\n"

    code, out, _ = run(capsys, "swap", "CB02", "CB03", "--since", ON, "--data", str(data),
                       "--decision", "1520-QĐ/TU, 15/03/2025", "--commit")
    assert code == 0
    assert repo.git("log", "-1", "--format=%s") == (
        "Hoán đổi địa bàn theo dõi của đồng chí Nông Văn Bình (CB02) và đồng chí Đàm Thị Hoa "
        "(CB03) từ ngày 15/03/2025: CB02 theo dõi Phường Nguyễn Thị Minh Khai, CB03 theo dõi "
        "Thị trấn Bằng Lũng, theo Quyết định số 1520-QĐ/TU\n")
    assert repo.git("diff", "--numstat", "HEAD~1", "HEAD") == "6\t2\tdata/assignments.yaml\n"


def test_commit_refused_before_writing(capsys, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "office")
    data = write_data_folder(repo.root / "data", cadres=CADRES)
    repo.commit("Khởi tạo")
    path = data / "assignments.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# sửa tay, chưa commit\n",
                    encoding="utf-8")
    edited = path.read_bytes()
    code, _, err = run(capsys, "assign", "--data", str(data), "--commune", "02068",
                       "--cadre", "CB05", "--since", ON, "--commit")
    assert code == 1 and "có thay đổi chưa được commit" in err
    assert path.read_bytes() == edited
    outside = write_data_folder(tmp_path / "elsewhere" / "data", cadres=CADRES)
    code, _, err = run(capsys, "vacate", "--data", str(outside), "--commune", "02068",
                       "--since", ON, "--commit")
    assert code == 1 and "không nằm trong kho git" in err


def test_cadre_add(capsys, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "office")
    data = write_data_folder(repo.root / "data", cadres=CADRES)
    repo.commit("Khởi tạo")
    code, out, err = run(capsys, "cadre", "add", "--data", str(data), "--id", "CB06",
                         "--name", "Ma Thị Lan", "--title", "Phó Trưởng ban",
                         "--agency", "Ban Tuyên giáo Tỉnh ủy", "--email", "lanmt@backan.gov.vn",
                         "--commit")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (f"Đã thêm vào {data / 'cadres.csv'}:7: CB06 Ma Thị Lan "
                                   "(Phó Trưởng ban, Ban Tuyên giáo Tỉnh ủy)")
    assert (data / "cadres.csv").read_text(encoding="utf-8").splitlines()[-1] == (
        "CB06,Ma Thị Lan,Phó Trưởng ban,Ban Tuyên giáo Tỉnh ủy,,lanmt@backan.gov.vn")
    assert repo.git("show", "--name-only", "--format=%s", "HEAD").splitlines() == [
        "Thêm cán bộ CB06 Ma Thị Lan (Phó Trưởng ban, Ban Tuyên giáo Tỉnh ủy)", "",
        "data/cadres.csv"]

    code, _, err = run(capsys, "cadre", "add", "--data", str(data), "--id", "CB06",
                       "--name", "Người Khác", "--title", "T", "--agency", "A")
    assert code == 1 and "mã cán bộ CB06 đã được dùng cho đồng chí Ma Thị Lan" in err
    code, _, err = run(capsys, "cadre", "add", "--data", str(data), "--id", "CB07",
                       "--name", "MA THI LAN", "--title", "Chuyên viên", "--agency", "Sở Y tế")
    assert code == 1 and "đã có đồng chí Ma Thị Lan, mã CB06" in err
    code, _, err = run(capsys, "cadre", "add", "--data", str(data), "--id", "CB07",
                       "--name", "Ma Thị Lan", "--title", "Chuyên viên", "--agency", "Sở Y tế",
                       "--force")
    assert code == 0 and "cảnh báo [cadre-name-taken]: đã có đồng chí Ma Thị Lan" in err
    assert len(load_registers(data).registers.cadres) == 7


def test_concurrent_changes_all_land(tmp_path: Path) -> None:
    """Four processes at once, each replacing the cadre of one commune: the lock
    serialises them, so no change overwrites another."""
    newcomers = [f"CB1{i},Cán Bộ Mới {i},Phó Giám đốc,Sở {i},," for i in range(4)]
    data = write_data_folder(tmp_path / "data", cadres=[*CADRES, *newcomers])
    codes = ["02068", "02020", "01834", "01837"]
    processes = [subprocess.Popen(
        [sys.executable, "-m", "theodoi", "assign", "--data", str(data), "--commune", code,
         "--cadre", f"CB1{i}", "--since", ON], cwd=REPO, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True) for i, code in enumerate(codes)]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert followers(data, ON) == {code: f"CB1{i}" for i, code in enumerate(codes)}
    assert followers(data, BEFORE) == dict(zip(codes, ["CB01", "CB02", "CB03", "CB04"],
                                               strict=True))
    assert len(load_registers(data).registers.assignments) == 8
