"""``theodoi import assignments``: a decision's annex (Excel or CSV) written
through the planning and the line editor of ``theodoi assign``, all or
nothing, the cadres found shown before anything is written.

conftest's data: CB01 follows Xã Đại Sảo (02068), CB02 Thị trấn Bằng Lũng
(02020), CB03 Phường Nguyễn Thị Minh Khai (01834), CB04 Phường Sông Cầu
(01837), all since 29/08/2024 under 1391-QĐ/TU.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO, in_ci, invoke, write_data_folder

from theodoi.registers.import_assignments import next_ids

DECISION = "1520-QĐ/TU, 15/03/2025"
ENV = {"THEODOI_TODAY": "2025-03-20", "THEODOI_LANG": "en"}
HEADER = ["STT", "Họ và tên", "Chức vụ", "Cơ quan, đơn vị", "Xã/phường/thị trấn được phân công"]


def annex(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    """The annex as the office types it: a title, the decision under it, then the table."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    sheet["A1"] = "DANH SÁCH PHÂN CÔNG CÁN BỘ THEO DÕI ĐỊA BÀN CẤP XÃ"
    sheet.merge_cells("A1:E1")
    sheet["A2"] = "(Kèm theo Quyết định số 1520-QĐ/TU ngày 15/3/2025)"
    sheet.merge_cells("A2:E2")
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


REPLACEMENTS = [
    [1, "Hà Thị Ngần", "Tổng biên tập", "Báo Bắc Kạn", "Xã Đại Sảo"],
    [2, "Lương Văn Khánh", "Phó Giám đốc", "Sở Nội vụ", "Thị trấn Bằng Lũng"],
    [3, "Nông Văn Bình", "Giám đốc", "Sở Tài chính", "Phường Sông Cầu"],
    [4, "Lý Văn Đức", "Trưởng ban", "Ban Dân vận Tỉnh ủy", "Phường Nguyễn Thị Minh Khai"],
]


def run(root: Path, *args: str) -> object:
    return invoke("import", "assignments", *args, "--data", "data", env=ENV, cwd=root)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_data_folder(tmp_path / "data")
    return tmp_path


def test_an_annex_replacing_three_cadres(root: Path) -> None:
    annex(root / "phu-luc.xlsx", REPLACEMENTS)
    before = (root / "data" / "assignments.yaml").read_text(encoding="utf-8")
    result = run(root, "phu-luc.xlsx", "--since", "01/04/2025", "--decision", DECISION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:13] == [
        "Cadres found in cadres.csv by name and agency:",
        "  phu-luc.xlsx[Phụ lục]:5: Hà Thị Ngần, Báo Bắc Kạn = CB01 Hà Thị Ngần (Tổng biên tập, "
        "Báo Bắc Kạn)",
        "  phu-luc.xlsx[Phụ lục]:7: Nông Văn Bình, Sở Tài chính = CB02 Nông Văn Bình (Giám đốc, "
        "Sở Tài chính)",
        "  phu-luc.xlsx[Phụ lục]:8: Lý Văn Đức, Ban Dân vận Tỉnh ủy = CB04 Lý Văn Đức (Trưởng "
        "ban, Ban Dân vận Tỉnh ủy)",
        "1 new cadre added to cadres.csv:",
        "  phu-luc.xlsx[Phụ lục]:6: CB05 Lương Văn Khánh (Phó Giám đốc, Sở Nội vụ)",
        "Already in force on 2025-04-01, skipped:",
        "  phu-luc.xlsx[Phụ lục]:5: Xã Đại Sảo (02068): Hà Thị Ngần (CB01)",
        "3 assignments from 2025-04-01:",
        "  phu-luc.xlsx[Phụ lục]:6: Thị trấn Bằng Lũng (02020): Lương Văn Khánh (CB05)",
        "  phu-luc.xlsx[Phụ lục]:7: Phường Sông Cầu (01837): Nông Văn Bình (CB02)",
        "  phu-luc.xlsx[Phụ lục]:8: Phường Nguyễn Thị Minh Khai (01834): Lý Văn Đức (CB04)",
        "Changed data/assignments.yaml:",
    ]
    assert (root / "data" / "cadres.csv").read_text(encoding="utf-8").splitlines()[-1] == \
        "CB05,Lương Văn Khánh,Phó Giám đốc,Sở Nội vụ,,"
    after = (root / "data" / "assignments.yaml").read_text(encoding="utf-8")
    # Only the changed lines change: three ended, three added, one decision listed.
    removed = set(before.splitlines()) - set(after.splitlines())
    added = set(after.splitlines()) - set(before.splitlines())
    assert removed == {
        '  - {commune: "02020", cadre: CB02, since: 2024-08-29, decision: 1391-QĐ/TU}',
        '  - {commune: "01834", cadre: CB03, since: 2024-08-29, decision: 1391-QĐ/TU}',
        '  - {commune: "01837", cadre: CB04, since: 2024-08-29, decision: 1391-QĐ/TU}'}
    assert added == {
        '  - {commune: "02020", cadre: CB02, since: 2024-08-29, until: 2025-03-31, '
        'decision: 1391-QĐ/TU}',
        '  - {commune: "02020", cadre: CB05, since: 2025-04-01, decision: 1520-QĐ/TU}',
        '  - {commune: "01834", cadre: CB03, since: 2024-08-29, until: 2025-03-31, '
        'decision: 1391-QĐ/TU}',
        '  - {commune: "01834", cadre: CB04, since: 2025-04-01, decision: 1520-QĐ/TU}',
        '  - {commune: "01837", cadre: CB04, since: 2024-08-29, until: 2025-03-31, '
        'decision: 1391-QĐ/TU}',
        '  - {commune: "01837", cadre: CB02, since: 2025-04-01, decision: 1520-QĐ/TU}',
        "  - number: 1520-QĐ/TU", "    date: 2025-03-15"}
    check = invoke("validate", "--data", "data", "--as-of", "2025-04-01", env=ENV, cwd=root)
    assert check.returncode == 0 and check.stdout.endswith("No problems found.\n")


def test_importing_the_annex_again_changes_nothing(root: Path) -> None:
    annex(root / "phu-luc.xlsx", REPLACEMENTS)
    assert run(root, "phu-luc.xlsx", "--since", "01/04/2025", "--decision",
               DECISION).returncode == 0
    files = {p: p.read_bytes() for p in (root / "data").iterdir()}
    again = run(root, "phu-luc.xlsx", "--since", "01/04/2025", "--decision", DECISION)
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1] == ("Nothing to change: every row of phu-luc.xlsx is "
                                             "in force already.")
    assert {p: p.read_bytes() for p in (root / "data").iterdir()} == files


def test_dry_run_shows_the_diff_and_writes_nothing(root: Path) -> None:
    annex(root / "phu-luc.xlsx", REPLACEMENTS)
    files = {p: p.read_bytes() for p in (root / "data").iterdir()}
    result = run(root, "phu-luc.xlsx", "--since", "01/04/2025", "--decision", DECISION,
                 "--dry-run")
    assert result.returncode == 0
    assert "1 new cadre to add to cadres.csv:" in result.stdout
    assert "--- a/data/cadres.csv\n+++ b/data/cadres.csv\n@@ -5,0 +6 @@\n" \
           "+CB05,Lương Văn Khánh,Phó Giám đốc,Sở Nội vụ,,\n" in result.stdout
    assert '+  - {commune: "02020", cadre: CB05, since: 2025-04-01, decision: 1520-QĐ/TU}\n' \
        in result.stdout
    assert {p: p.read_bytes() for p in (root / "data").iterdir()} == files


def test_the_first_decision_into_an_empty_workspace(tmp_path: Path) -> None:
    """Decision 1391's annex, as the office holds it, as a CSV saved by Excel."""
    write_data_folder(tmp_path / "data", cadres=[], assignments=[])
    (tmp_path / "phu-luc.csv").write_bytes((
        "\ufeffSTT;Họ và tên;Chức vụ;Cơ quan, đơn vị;Xã/phường/thị trấn được phân công\r\n"
        "1;Hà Thị Ngần;Tổng biên tập;Báo Bắc Kạn;Đại Sảo\r\n"
        "2;Nông Văn Bình;Giám đốc;Sở Tài chính;Bằng Lũng\r\n"
        "3;Đàm Thị Hoa;Phó Giám đốc;Sở Tài chính;01834\r\n"
        "4;Lý Văn Đức;Trưởng ban;Ban Dân vận Tỉnh ủy;Sông Cầu\r\n").encode("utf-8"))
    result = invoke("import", "assignments", "phu-luc.csv", "--data", "data", "--since",
                    "29/08/2024", "--decision", "1391-QĐ/TU", env=ENV, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "cadres.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "CB001,Hà Thị Ngần,Tổng biên tập,Báo Bắc Kạn,,",
        "CB002,Nông Văn Bình,Giám đốc,Sở Tài chính,,",
        "CB003,Đàm Thị Hoa,Phó Giám đốc,Sở Tài chính,,",
        "CB004,Lý Văn Đức,Trưởng ban,Ban Dân vận Tỉnh ủy,,"]
    assert (tmp_path / "data" / "assignments.yaml").read_text(encoding="utf-8").endswith(
        "assignments:\n"
        '  - {commune: "02068", cadre: CB001, since: 2024-08-29, decision: 1391-QĐ/TU}\n'
        '  - {commune: "02020", cadre: CB002, since: 2024-08-29, decision: 1391-QĐ/TU}\n'
        '  - {commune: "01834", cadre: CB003, since: 2024-08-29, decision: 1391-QĐ/TU}\n'
        '  - {commune: "01837", cadre: CB004, since: 2024-08-29, decision: 1391-QĐ/TU}\n')
    check = invoke("validate", "--data", "data", "--as-of", "2024-09-01", env=ENV, cwd=tmp_path)
    assert check.returncode == 0, check.stdout


def test_a_decision_that_breaks_the_rules_is_refused_with_its_rows(root: Path) -> None:
    """CB02 is moved to Sông Cầu but Bằng Lũng is not given anyone: CB02 would
    follow two communes."""
    annex(root / "phu-luc.xlsx", [REPLACEMENTS[2]])
    files = {p: p.read_bytes() for p in (root / "data").iterdir()}
    result = run(root, "phu-luc.xlsx", "--since", "01/04/2025", "--decision", DECISION)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "phu-luc.xlsx[Phụ lục]:5:5 (E5): error [cadre-two-communes]: cadre Nông Văn Bình (CB02) "
        "follows two communes at once from 2025-04-01: Thị trấn Bằng Lũng (02020) and Phường "
        "Sông Cầu (01837) (the other assignment is on line 10)",
        "theodoi: 1 error; nothing was written.",
    ]
    assert {p: p.read_bytes() for p in (root / "data").iterdir()} == files


def test_a_namesake_in_another_agency_must_be_told_apart(root: Path) -> None:
    rows = [[1, "Đàm Thị Hoa", "Phó Giám đốc", "Sở Y tế", "Thị trấn Bằng Lũng"],
            [2, "Nông Văn Bình", "Giám đốc", "Sở Tài chính", "Phường Nguyễn Thị Minh Khai"],
            [3, "Đàm Thị Hoa", "Phó Giám đốc", "Sở Tài chính", "Phường Sông Cầu"]]
    annex(root / "phu-luc.xlsx", rows)
    refused = run(root, "phu-luc.xlsx", "--since", "01/04/2025", "--decision", DECISION)
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == (
        "phu-luc.xlsx[Phụ lục]:5:4 (D5): error [import-cadre-unclear]: Đàm Thị Hoa is listed as CB03 "
        "of Sở Tài chính, not of Sở Y tế: if this is the same person, write CB03 in a column "
        "'Mã cán bộ'; if another, write a new id there")
    # Another person of the same name: the annex gives her an id of her own.
    annex(root / "phu-luc.xlsx", [[*row, cadre_id] for row, cadre_id in
                                  zip(rows, ["CB09", "", ""], strict=True)],
          header=[*HEADER, "Mã cán bộ"])
    result = run(root, "phu-luc.xlsx", "--since", "01/04/2025", "--decision", DECISION)
    assert result.returncode == 0, result.stderr
    assert (root / "data" / "cadres.csv").read_text(encoding="utf-8").splitlines()[-1] == \
        "CB09,Đàm Thị Hoa,Phó Giám đốc,Sở Y tế,,"


def test_an_id_that_names_someone_else(root: Path) -> None:
    annex(root / "phu-luc.xlsx", [[1, "Lương Văn Khánh", "Phó Giám đốc", "Sở Nội vụ",
                                   "Thị trấn Bằng Lũng", "CB03"]], header=[*HEADER, "Mã cán bộ"])
    result = run(root, "phu-luc.xlsx", "--since", "01/04/2025", "--decision", DECISION)
    assert result.stderr.splitlines()[0] == (
        "phu-luc.xlsx[Phụ lục]:5:6 (F5): error [import-cadre-id-differs]: cadre id CB03 is Đàm Thị "
        "Hoa in cadres.csv, not Lương Văn Khánh")


def test_a_new_cadre_needs_a_title_and_an_agency(root: Path) -> None:
    annex(root / "phu-luc.xlsx", [[1, "Lương Văn Khánh", None, "Sở Nội vụ",
                                   "Thị trấn Bằng Lũng"]])
    result = run(root, "phu-luc.xlsx", "--since", "01/04/2025", "--decision", DECISION)
    assert result.stderr.splitlines()[0] == (
        "phu-luc.xlsx[Phụ lục]:5:3 (C5): error [import-empty-value]: cell C5 (Chức vụ) is empty; "
        "the title is needed")


def test_the_cadre_list_workbook_reads_back_as_the_assignments_in_force(root: Path) -> None:
    listed = invoke("cadre", "list", "--data", "data", "--format", "xlsx", "--output",
                    "can-bo.xlsx", env=ENV, cwd=root)
    assert listed.returncode == 0
    result = run(root, "can-bo.xlsx", "--since", "29/08/2024", "--decision", "1391-QĐ/TU")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Cadres found in cadres.csv by their id:"
    assert result.stdout.splitlines()[-1] == ("Nothing to change: every row of can-bo.xlsx is in "
                                              "force already.")


def test_decision_unreadable(root: Path) -> None:
    annex(root / "phu-luc.xlsx", REPLACEMENTS)
    result = run(root, "phu-luc.xlsx", "--since", "01/04/2025", "--decision", "1520, 31/02/2025")
    assert result.returncode == 2 and "[decision-unreadable]" in result.stderr


@pytest.mark.parametrize(("ids", "expected"), [
    (["CB001", "CB108", "CB07"], ["CB109", "CB110"]),
    ([], ["CB001", "CB002"]),
    (["TU-9", "A12", "A13"], ["A14", "A15"]),
])
def test_next_ids(ids: list[str], expected: list[str]) -> None:
    generator = next_ids(ids)
    assert [next(generator), next(generator)] == expected


def in_a_terminal(root: Path, args: list[str], answer: str) -> tuple[int, str]:
    """Run theodoi with a terminal on its standard input, answering ``answer``."""
    try:
        leader, follower = pty.openpty()
    except OSError as exc:  # a container without /dev/pts
        if in_ci():
            raise
        pytest.skip(f"no pseudo-terminal here: {exc}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("THEODOI_")}
    env.update({**ENV, "PYTHONPATH": str(REPO)})
    process = subprocess.Popen([sys.executable, "-m", "theodoi", *args], cwd=root, env=env,
                               stdin=follower, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    os.write(leader, answer.encode())
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    assert process.stdout is not None
    process.stdout.close()
    os.close(leader)
    return process.returncode, output.decode("utf-8", "replace")


def test_a_terminal_is_asked_before_writing(root: Path) -> None:
    annex(root / "phu-luc.xlsx", REPLACEMENTS)
    args = ["import", "assignments", "phu-luc.xlsx", "--data", "data", "--since", "01/04/2025",
            "--decision", DECISION]
    before = (root / "data" / "cadres.csv").read_bytes()
    code, shown = in_a_terminal(root, args, "n\n")
    assert code == 1
    assert "CB05 Lương Văn Khánh (Phó Giám đốc, Sở Nội vụ)" in shown
    assert "Write these changes? [y/N]" in shown and "Nothing was written." in shown
    assert (root / "data" / "cadres.csv").read_bytes() == before
    code, _shown = in_a_terminal(root, args, "y\n")
    assert code == 0
    assert (root / "data" / "cadres.csv").read_bytes() != before
