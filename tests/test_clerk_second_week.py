"""Issue 21, the clerk's second week: each item as a clerk meets it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import (
    REPO,
    SHIPPED_DATA,
    SMALL_ASSIGNMENTS,
    Result,
    committed_office,
    git_environment,
    invoke,
    write_data_folder,
)
from terminal import Terminal

from theodoi.visits.ids import Resolved, resolve_id


def test_audit_alone_runs_the_audit(tmp_path: Path) -> None:
    env = git_environment("2025-03-20")
    root = committed_office(tmp_path / "office", env)
    done = invoke("audit", env=env, cwd=root / "data")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("No record was changed, removed or moved after it was written")
    assert "Usage" not in done.stdout + done.stderr
    # Its subcommand is still there.
    helped = invoke("audit", "acknowledge", "--help", env=env, cwd=root / "data")
    assert helped.returncode == 0 and "FINDING" in helped.stdout


# --- 2. ids read forgivingly -------------------------------------------------------------

def test_a_typed_id_is_read_in_any_case_without_zeros_or_prefix() -> None:
    known = ["V-20241203-001", "V-20241203-002", "V-20241204-002"]
    for typed in ("V-20241203-002", "v-20241203-002", "V-20241203-2", "20241203-002",
                  " v20241203-02 ", "20241203/2"):
        assert resolve_id(typed, known) == Resolved(typed.strip(), "V-20241203-002"), typed
    # Proposal ids: the visit's id and the item's letter and number.
    items = ["V-20240915-003/D1", "V-20240915-003/K1"]
    assert resolve_id("v-20240915-3/d1", items).id == "V-20240915-003/D1"
    # An id of another layout (a day and a short suffix) is read the same way.
    assert resolve_id("v-20241203-k3f", ["V-20241203-K3F"]).id == "V-20241203-K3F"


def test_an_id_that_fits_several_or_none_lists_the_candidates() -> None:
    several = resolve_id("v-20241203-a1", ["V-20241203-a1", "V-20241203-A1"])
    assert several == Resolved("v-20241203-a1", None, ("V-20241203-A1", "V-20241203-a1"),
                               ambiguous=True)
    day = resolve_id("20241203", ["V-20241203-001", "V-20241203-002", "V-20241204-001"])
    assert day == Resolved("20241203", None, ("V-20241203-001", "V-20241203-002"))
    assert resolve_id("V-20241203-009", ["V-20241203-001"]) == Resolved("V-20241203-009", None)


def _two_visits(tmp_path: Path) -> Path:
    data = write_data_folder(tmp_path / "data")
    for commune in ("02068", "02020"):
        added = invoke("visit", "add", "--data", str(data), "--commune", commune, "--date",
                       "03/12/2024",
                       env={"THEODOI_TODAY": "2024-12-05", "THEODOI_LANG": "en"})
        assert added.returncode == 0, added.stderr
    return data


def test_visit_commands_take_the_id_as_typed(tmp_path: Path) -> None:
    data = _two_visits(tmp_path)
    env = {"THEODOI_TODAY": "2024-12-05", "THEODOI_LANG": "en"}
    shown = invoke("visit", "show", "v-20241203-2", "--data", str(data), env=env)
    assert shown.returncode == 0, shown.stderr
    assert "V-20241203-002" in shown.stdout
    withdrawn = invoke("visit", "withdraw", "v-20241203-002", "--reason", "Ghi nhầm",
                       "--by", "Lan <lan@example.vn>", "--data", str(data), env=env)
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert "V-20241203-002" in withdrawn.stdout
    unknown = invoke("visit", "show", "20241203", "--data", str(data), env=env)
    assert unknown.returncode == 2
    assert unknown.stderr == (
        "theodoi: error [unknown-visit-id]: no visit has the id 20241203 ('theodoi visit list' "
        "shows the ids); the closest are:\n  V-20241203-001\n  V-20241203-002\n")


def test_proposal_commands_take_the_id_as_typed(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    env = {"THEODOI_TODAY": "2024-12-05", "THEODOI_LANG": "en"}
    added = invoke("visit", "add", "--data", str(data), "--commune", "02068", "--date",
                   "03/12/2024", "--proposal", "Hỗ trợ kinh phí làm đường", env=env)
    assert added.returncode == 0, added.stderr
    shown = invoke("proposal", "show", "20241203-1/d1", "--data", str(data), env=env)
    assert shown.returncode == 0, shown.stderr
    assert "V-20241203-001/D1" in shown.stdout and "Hỗ trợ kinh phí làm đường" in shown.stdout
    updated = invoke("proposal", "update", "v-20241203-001/d1", "--status", "forwarded",
                     "--to", "Sở Tài chính", "--note", "Chuyển Sở", "--by", "Lan <l@x.vn>",
                     "--data", str(data), env=env)
    assert updated.returncode == 0, updated.stderr
    assert "V-20241203-001/D1" in updated.stdout


# --- 3. dates explained --------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "said"), [
    ("31/11/2026", "'31/11/2026' không phải ngày hợp lệ: tháng 11/2026 có 30 ngày; ngày hợp lệ "
                   "gần nhất là 30/11/2026"),
    ("29/02/2023", "'29/02/2023' không phải ngày hợp lệ: tháng 2/2023 có 28 ngày; ngày hợp lệ "
                   "gần nhất là 28/02/2023"),
    ("12/31/2026", "'12/31/2026' không phải ngày hợp lệ: không có tháng 31; ngày hợp lệ gần "
                   "nhất là 31/12/2026"),
    ("0/12/2026", "'0/12/2026' không phải ngày hợp lệ: không có ngày 0; ngày hợp lệ gần nhất "
                  "là 01/12/2026"),
])
def test_a_day_that_does_not_exist_is_refused_saying_why(tmp_path: Path, typed: str,
                                                          said: str) -> None:
    data = write_data_folder(tmp_path / "data")
    refused = invoke("visit", "list", "--data", str(data), "--from", typed,
                     env={"THEODOI_TODAY": "2026-12-05"})
    assert refused.returncode == 2
    assert f"theodoi: lỗi [command-line]: --from: {said} (viết 2024-09-15" in refused.stderr


@pytest.mark.parametrize(("typed", "echo"), [
    ("3/12/26", "theodoi: 3/12/26 được hiểu là ngày 03/12/2026\n"),
    ("03.12.2026", ""), ("03-12-2026", ""), ("2026-12-03", ""), ("3/12/2026", "")])
def test_short_years_and_other_separators_are_read(tmp_path: Path, typed: str,
                                                   echo: str) -> None:
    data = write_data_folder(tmp_path / "data")
    added = invoke("visit", "add", "--data", str(data), "--commune", "02068", "--date", typed,
                   env={"THEODOI_TODAY": "2026-12-05"})
    assert added.returncode == 0, added.stderr
    assert added.stderr.startswith(echo)
    assert (data / "visits" / "2026" / "2026-12-03.yaml").is_file()


# --- 4. problems grouped -------------------------------------------------------------------

FIVE_OF_108 = ("\ufeffSTT;Họ và tên;Chức vụ;Cơ quan, đơn vị;Xã/phường/thị trấn được phân công\r\n"
               "1;Hà Thị Ngần;Tổng biên tập;Báo Bắc Kạn;02068\r\n"
               "2;Nông Văn Bình;Giám đốc;Sở Tài chính;01834\r\n"
               "3;Đàm Thị Hoa;Phó Giám đốc;Sở Tài chính;01837\r\n"
               "4;Lý Văn Đức;Trưởng ban;Ban Dân vận Tỉnh ủy;01840\r\n"
               "5;Hoàng Văn Nam;Phó Trưởng ban;Ban Tuyên giáo Tỉnh ủy;01843\r\n")
EN_20 = {"THEODOI_TODAY": "2024-09-20", "THEODOI_LANG": "en"}


def _annex_of_five(tmp_path: Path) -> tuple[Path, Result]:
    """The shipped 108 communes, and the first five rows of the annex imported."""
    data = write_data_folder(tmp_path / "data", cadres=[], assignments=[])
    shutil.copy(SHIPPED_DATA / "communes.csv", data / "communes.csv")
    (tmp_path / "phu-luc.csv").write_bytes(FIVE_OF_108.encode("utf-8"))
    imported = invoke("import", "assignments", "phu-luc.csv", "--data", "data", "--since",
                      "29/08/2024", "--decision", "1391-QĐ/TU", env=EN_20, cwd=tmp_path)
    return data, imported


def test_the_same_check_on_many_communes_is_one_line(tmp_path: Path) -> None:
    data, imported = _annex_of_five(tmp_path)
    assert imported.returncode == 0, imported.stderr
    without = [line for line in imported.stdout.splitlines() if "commune-without-cadre" in line]
    assert without == [
        "data/communes.csv: error [commune-without-cadre]: 103 communes still without a cadre "
        "on 2024-08-29: Phường Huyền Tụng (01846), Xã Dương Quang (01849), Xã Nông Thượng "
        "(01852) and 100 more (--verbose or 'theodoi validate' lists them all)"]
    assert "108 communes, 5 cadres following them, 5 assignments in force on 2024-08-29." \
        in imported.stdout
    for report in (["coverage"], ["overdue"], ["summary"], ["review", "--period", "2024-Q3"],
                   ["cadre", "show", "CB001"]):
        done = invoke(*report, "--data", str(data), env=EN_20)
        lines = [line for line in done.stderr.splitlines() if "commune-without-cadre" in line]
        assert len(lines) == 1 and "103 communes still without a cadre" in lines[0], report
    every = invoke("coverage", "--verbose", "--data", str(data), env=EN_20)
    lines = [line for line in every.stderr.splitlines() if "commune-without-cadre" in line]
    assert len(lines) == 103
    assert lines[0].endswith("communes.csv:6: error [commune-without-cadre]: Phường Huyền Tụng "
                             "(01846) has no cadre assigned on 2024-09-20")


def test_a_few_problems_of_one_check_are_each_shown() -> None:
    from theodoi.base import checks
    from theodoi.base.problems import Location, Problem
    from theodoi.render.problems import problem_lines

    def vacancy(line: int) -> Problem:
        return Problem(checks.VACANCY, Location("assignments.yaml", line),
                       {"name": f"Xã {line}", "code": f"0{line}", "since": date(2024, 9, 1)})

    three = [vacancy(9), vacancy(7), vacancy(8)]
    assert problem_lines(three, "en") == [
        "assignments.yaml:7: warning [vacancy]: Xã 7 (07) is vacant since 2024-09-01: a "
        "replacement is pending",
        "assignments.yaml:8: warning [vacancy]: Xã 8 (08) is vacant since 2024-09-01: a "
        "replacement is pending",
        "assignments.yaml:9: warning [vacancy]: Xã 9 (09) is vacant since 2024-09-01: a "
        "replacement is pending"]
    four = [*three, vacancy(10)]
    assert problem_lines(four, "en") == [
        "assignments.yaml: warning [vacancy] ×4: Xã 7 (07) is vacant since 2024-09-01: a "
        "replacement is pending; also Xã 8 (08), Xã 9 (09), Xã 10 (010) (--verbose or "
        "'theodoi validate' lists them all)"]
    assert len(problem_lines(four, "en", every=True)) == 4


# --- 5. exit codes that fit cron -----------------------------------------------------------

def test_the_cron_line_mails_the_summary_while_the_registers_have_errors(tmp_path: Path
                                                                         ) -> None:
    from test_cron import commits, recipe, run_as_cron, theodoi_script

    # Bằng Lũng (02020) has no cadre yet: the annex is still being entered.
    data = write_data_folder(tmp_path / "theodoi-data", assignments=[
        a for a in SMALL_ASSIGNMENTS if '"02020"' not in a])
    added = invoke("visit", "add", "--data", str(data), "--commune", "02068", "--date",
                   "10/09/2024", env={"THEODOI_TODAY": "2024-09-20"})
    assert added.returncode == 0, added.stderr
    git = ["git", "-c", "user.name=Văn phòng Tỉnh ủy", "-c", "user.email=vp@example.vn"]
    subprocess.run([*git, "init", "--quiet"], cwd=data, check=True)
    subprocess.run(["git", "config", "user.name", "Văn phòng Tỉnh ủy"], cwd=data, check=True)
    subprocess.run(["git", "config", "user.email", "vp@example.vn"], cwd=data, check=True)
    subprocess.run([*git, "add", "."], cwd=data, check=True)
    subprocess.run([*git, "commit", "--quiet", "-m", "Dữ liệu"], cwd=data, check=True)
    # The recipe syncs with the office's shared repository (issue 22): give it one.
    server = tmp_path / "theodoi-data.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(data), str(server)], check=True)
    subprocess.run(["git", "remote", "add", "origin", f"file://{server}"], cwd=data, check=True)
    subprocess.run(["git", "fetch", "--quiet", "origin"], cwd=data, check=True)
    subprocess.run(["git", "branch", "--quiet", "--set-upstream-to", "origin/HEAD"], cwd=data,
                   check=False)
    command = recipe().replace("/srv/theodoi-data", str(data)).replace(
        "/srv/theodoi/.venv/bin/theodoi", theodoi_script())
    done = run_as_cron(command, tmp_path / "home")
    assert done.returncode == 0, done.stderr
    assert commits(data)[0] == "Báo cáo tuần 2024-W37|Văn phòng Tỉnh ủy"
    # What cron mails: what sync brought in and sent out, then the text summary,
    # saying it may be wrong, with the problem in it.
    assert done.stdout.startswith("Đã đồng bộ với origin")
    summary = done.stdout[done.stdout.index("Báo cáo tuần"):done.stdout.rindex("Đã đồng bộ")]
    assert "Danh mục có lỗi" in summary
    assert "Thị trấn Bằng Lũng (02020) không có cán bộ theo dõi" in summary
    assert "[commune-without-cadre]" in done.stderr
    # --strict asks for the old behaviour: the report is printed and the exit is 1.
    strict = run_as_cron(f"cd {data} && {theodoi_script()} summary --strict", tmp_path / "home")
    assert (strict.returncode, strict.stdout) == (1, summary)
    # validate and audit are checks: they still fail.
    checked = run_as_cron(f"cd {data} && {theodoi_script()} validate", tmp_path / "home")
    assert checked.returncode == 1


# --- 6. names where codes were, the rule and the usual fix first ---------------------------

def test_a_fourth_commune_is_refused_with_names_and_the_rule_first(tmp_path: Path) -> None:
    three = [f'{{commune: "{code}", cadre: CB01, since: 2024-08-29, decision: 1391-QĐ/TU}}'
             for code in ("02068", "02020", "01834")]
    data = write_data_folder(tmp_path / "data", assignments=three, settings=(
        "settings:\n  overdue_days: 90\n  term_start: 2024-08-29\n  communes_per_cadre: 3\n"))
    before = (data / "assignments.yaml").read_bytes()
    refused = invoke("assign", "--data", str(data), "--commune", "Sông Cầu", "--cadre", "CB01",
                     "--since", "01/09/2024", env={"THEODOI_TODAY": "2024-09-20"})
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.splitlines() == [
        "theodoi: lỗi: chưa ghi thay đổi nào, vì:",
        "Quy định: mỗi cán bộ cùng lúc theo dõi không quá 3 xã (thiết lập 'communes_per_cadre' "
        "trong assignments.yaml). Cách sửa thường dùng: trước hết kết thúc việc theo dõi một xã "
        "của cán bộ này (giao xã đó cho cán bộ khác bằng lệnh 'theodoi assign', hoặc để xã "
        "khuyết cán bộ bằng lệnh 'theodoi vacate'), hoặc tăng 'communes_per_cadre' nếu quyết "
        "định cho phép.",
        f"{data / 'assignments.yaml'}: lỗi [too-many-communes]: cán bộ Hà Thị Ngần (CB01) cùng "
        "lúc theo dõi 4 xã từ ngày 01/09/2024, nhiều hơn mức 3 mà thiết lập 'communes_per_cadre' "
        "cho phép: Phường Nguyễn Thị Minh Khai (01834), Phường Sông Cầu (01837), Thị trấn Bằng "
        "Lũng (02020), Xã Đại Sảo (02068)",
        "Nếu không: thêm --force để vẫn ghi thay đổi này ('theodoi validate' sẽ tiếp tục báo "
        "lỗi); --dry-run cho xem thay đổi mà không ghi."]
    assert "swap" not in refused.stderr  # no hint that does not apply
    assert (data / "assignments.yaml").read_bytes() == before


# --- 7. the interview echoes, names the default and asks before writing ---------------------

def _interview_until_the_question(clerk: Terminal) -> str:
    clerk.expect("Ngày đi công tác [20/09/2024]: ", timeout=90)
    clerk.answer("15/9/24")
    clerk.expect("theodoi: 15/9/24 được hiểu là ngày 15/09/2024")
    clerk.expect("Xã (mã hoặc tên): ")
    clerk.answer("dai sao")
    commune = clerk.expect("Cán bộ đi công tác (mã hoặc họ tên) [Hà Thị Ngần (CB01)]: ")
    assert "  → 02068 Xã Đại Sảo (Huyện Chợ Đồn)\n" in commune
    clerk.answer("nong van binh")
    clerk.expect("  → CB02 Nông Văn Bình (Giám đốc, Sở Tài chính)\n")
    clerk.expect("Lý do Nông Văn Bình (CB02) đi thay cán bộ được phân công: ")
    clerk.answer("Đồng chí Ngần đi học")
    for question in ("Hình thức [1]: ", "Tình hình, nội dung làm việc", "Khó khăn, vướng mắc"):
        clerk.expect(question)
        clerk.answer("")
    clerk.expect("Đề xuất, kiến nghị với Ban Thường vụ")
    clerk.expect("  - ")
    clerk.answer("Hỗ trợ kinh phí làm đường")
    clerk.expect("  - ")
    clerk.answer("")
    return clerk.expect("Ghi chuyến công tác này? [C/k] ")


def test_the_interview_echoes_names_and_asks_before_writing(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    day_file = data / "visits" / "2024" / "2024-09-15.yaml"
    clerk = Terminal("visit", "add", "--data", str(data), env={"THEODOI_TODAY": "2024-09-20"})
    summary = _interview_until_the_question(clerk)
    assert summary.startswith("\n\nChuyến công tác sẽ ghi:\n"), summary
    for line in ("  Ngày:", "15/09/2024", "Nông Văn Bình", "Đồng chí Ngần đi học",
                 "Xã Đại Sảo", "    - Hỗ trợ kinh phí làm đường\n"):
        assert line in summary, (line, summary)
    clerk.answer("k")
    code, out = clerk.finish()
    assert (code, out) == (1, ""), clerk.seen
    assert clerk.seen.endswith("Ghi chuyến công tác này? [C/k] k\nChưa ghi gì.\n"), clerk.seen
    assert not day_file.exists()

    clerk = Terminal("visit", "add", "--data", str(data), env={"THEODOI_TODAY": "2024-09-20"})
    _interview_until_the_question(clerk)
    clerk.answer("")  # Enter: yes
    code, out = clerk.finish()
    assert code == 0, clerk.seen
    assert out.startswith("Đã ghi chuyến công tác V-20240915-001 vào tệp ")
    assert "cadre: CB02" in day_file.read_text(encoding="utf-8")


# --- 8. theodoi on the PATH, as the README says ---------------------------------------------

def test_the_readme_puts_theodoi_on_the_path(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- on-path -->", 1)[1].split("```", 2)[1]
    assert block.startswith("sh\n")
    lines = block.strip().splitlines()[1:]
    assert lines == ["source .venv/bin/activate", "theodoi validate --data data"]
    assert "`pipx install .`" in readme
    # The lines run as written, in a shell whose PATH has no theodoi (cron's), from the
    # project folder; only .venv is this test run's virtual environment.
    venv = Path(sys.executable).parent.parent
    script = "\n".join(lines).replace(".venv/", f"{venv}/")
    bare = ["env", "-i", f"HOME={tmp_path}", "PATH=/usr/bin:/bin", "THEODOI_LANG=en",
            f"THEODOI_CACHE_DIR={tmp_path / 'cache'}", "THEODOI_TODAY=2024-09-20"]
    missing = subprocess.run([*bare, "bash", "-c", "theodoi --help"], cwd=REPO,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 127  # not on cron's PATH without the activation
    done = subprocess.run([*bare, "bash", "-c", script], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    assert "108 communes" in done.stdout


# --- 9. small things -------------------------------------------------------------------------

def test_a_merged_province_suggests_the_2024_map_as_well(tmp_path: Path) -> None:
    refused = invoke("init", str(tmp_path / "ws"), "--province", "bac kan",
                     env={"THEODOI_TODAY": "2026-12-05", "THEODOI_LANG": "en"})
    assert refused.returncode == 2
    assert refused.stderr == (
        "theodoi: error [province-not-found]: no province of the 2025 map is 'bac kan'; the "
        "closest are:\n  19 Tỉnh Thái Nguyên\n  24 Tỉnh Bắc Ninh\n"
        "  or, with --map 2024, 06 Tỉnh Bắc Kạn as it stood until 30/06/2025\n")
    assert not (tmp_path / "ws").exists()
    done = invoke("init", str(tmp_path / "ws"), "--province", "bac kan", "--map", "2024",
                  env={"THEODOI_TODAY": "2026-12-05", "THEODOI_LANG": "en"})
    assert done.returncode == 0, done.stderr


def _import_log(tmp_path: Path, log: str) -> Result:
    (tmp_path / "nhat-ky.csv").write_text(log, encoding="utf-8")
    return invoke("import", "visits", "nhat-ky.csv", "--data", "data", env=EN_20, cwd=tmp_path)


def test_import_errors_name_the_cell_as_excel_does(tmp_path: Path) -> None:
    write_data_folder(tmp_path / "data")
    refused = _import_log(tmp_path, "Ngày;Xã/phường;Cán bộ;Hình thức;Ghi chú\n"
                                    "15/09/2024;Đại Sảo;Hà Thị Ngần;Làm việc;\n"
                                    "15/09/2024;Đại Sảo;Hà Thị Ngần;họp dân;\n")
    assert refused.returncode == 1
    assert refused.stderr.startswith(
        "nhat-ky.csv:3:4 (D3): error [kind-not-found]: unknown kind of visit 'họp dân'")


def test_a_reimport_names_each_rows_own_id(tmp_path: Path) -> None:
    """Two visits alike in every field (recorded with --allow-duplicate), in a log
    that keeps their ids, the second first: each row is named as its own record."""
    data = write_data_folder(tmp_path / "data")
    for _ in range(2):
        added = invoke("visit", "add", "--data", str(data), "--commune", "02068", "--date",
                       "15/09/2024", "--allow-duplicate", env=EN_20)
        assert added.returncode == 0, added.stderr
    again = _import_log(tmp_path, "Mã chuyến công tác;Ngày;Xã/phường;Cán bộ;Hình thức\n"
                                  "V-20240915-002;15/09/2024;Đại Sảo;Hà Thị Ngần;Làm việc\n"
                                  "V-20240915-001;15/09/2024;Đại Sảo;Hà Thị Ngần;Làm việc\n")
    assert again.returncode == 0, again.stderr
    known = [line.split(": ", 1)[1].split()[0] for line in again.stdout.splitlines()
             if line.startswith("  nhat-ky.csv:")]
    assert known == ["V-20240915-002", "V-20240915-001"]
