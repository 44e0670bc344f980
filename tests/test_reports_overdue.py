"""Overdue communes of tests/report_data.py on 01/03/2025, computed by hand.

    commune  last visit on or before 01/03  assignment in force  counted from  days
    02020    none                           CB02 since 29/08/24  29/08/2024    184
    02068    20/11/2024 (05/03/25 is later)  CB05 since 15/11/24  20/11/2024    101
    01834    01/01/2025                     CB03 since 29/08/24  01/01/2025     59
    01837    31/12/2024                     vacant since 01/02   01/02/2025     28
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import invoke
from loading import visits_frame
from report_data import quarter_data

from theodoi.registers.loader import load_registers
from theodoi.reports.figures import overdue

AS_OF = date(2025, 3, 1)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return quarter_data(tmp_path / "data")


def _overdue(data: Path, threshold: int, as_of: date = AS_OF) -> list[tuple]:
    registers = load_registers(data).registers
    report = overdue(registers, visits_frame(data), as_of, threshold)
    return [(r["commune_code"], r["cadre_id"], r["last_visit"], r["days"])
            for r in report.rows.to_dict("records")]


def test_default_threshold_of_90_days(data: Path) -> None:
    assert _overdue(data, 90) == [
        ("02020", "CB02", None, 184),
        ("02068", "CB05", date(2024, 11, 20), 101),
    ]


def test_more_than_n_days_not_n(data: Path) -> None:
    assert _overdue(data, 101) == [("02020", "CB02", None, 184)]
    assert [row[0] for row in _overdue(data, 100)] == ["02020", "02068"]


def test_a_vacant_commune_is_listed_without_cadre(data: Path) -> None:
    assert _overdue(data, 20) == [
        ("02020", "CB02", None, 184),
        ("02068", "CB05", date(2024, 11, 20), 101),
        ("01834", "CB03", date(2025, 1, 1), 59),
        ("01837", None, date(2024, 12, 31), 28),  # counted from the vacancy's start
    ]


def test_a_new_assignment_starts_a_new_count(data: Path) -> None:
    # On 18/11/2024 Đại Sảo was last visited on 05/11, but CB05 follows it only since
    # 15/11: 3 days, not 13.  Bằng Lũng has had no visit since the term began: 81 days.
    assert _overdue(data, 0, date(2024, 11, 18)) == [
        ("02020", "CB02", None, 81),
        ("01837", "CB04", date(2024, 9, 30), 49),
        ("01834", "CB03", date(2024, 10, 10), 39),
        ("02068", "CB05", date(2024, 11, 5), 3),
    ]


def test_json_and_csv(data: Path) -> None:
    env = {"THEODOI_TODAY": "2025-03-10"}
    result = invoke("overdue", "--data", str(data), "--as-of", "01/03/2025", "--format",
                    "json", env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["as_of"], report["overdue_days"]) == ("2025-03-01", 90)
    assert [(r["commune_code"], r["cadre_id"], r["last_visit"], r["days"])
            for r in report["rows"]] == [("02020", "CB02", None, 184),
                                         ("02068", "CB05", "2024-11-20", 101)]
    csv = invoke("overdue", "--data", str(data), "--as-of", "2025-03-01", "--days", "20",
                 "--format", "csv", env=env)
    lines = csv.stdout.splitlines()
    assert lines[0] == ("commune_code,commune_name,district_code,district_name,cadre_id,"
                        "cadre_name,agency,since,last_visit,days")
    assert lines[1] == ("02020,Thị trấn Bằng Lũng,064,Huyện Chợ Đồn,CB02,Nông Văn Bình,"
                        "Sở Tài chính,2024-08-29,,184")
    assert lines[4] == "01837,Phường Sông Cầu,058,Thành phố Bắc Kạn,,,,2025-02-01,2024-12-31,28"


def test_the_threshold_comes_from_the_settings(tmp_path: Path) -> None:
    from conftest import write_data_folder

    folder = write_data_folder(tmp_path / "data", settings=(
        "settings:\n  overdue_days: 200\n  term_start: 2024-08-29\n"))
    result = invoke("overdue", "--data", str(folder), "--format", "json",
                    env={"THEODOI_TODAY": "2025-03-01"})
    assert json.loads(result.stdout)["overdue_days"] == 200
    assert json.loads(result.stdout)["rows"] == []


def _table_rows(text: str) -> list[list[str]]:
    """The cells of each row of a plain-text table (|-separated), header first."""
    return [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("|")]


def test_exit_codes(data: Path) -> None:
    env = {"THEODOI_TODAY": "2025-03-01"}
    listed = invoke("overdue", "--data", str(data), env=env)
    failing = invoke("overdue", "--data", str(data), "--fail-if-overdue", env=env)
    assert (listed.returncode, failing.returncode) == (0, 1)
    # Failing or not, the same two overdue communes are listed, and the same said on
    # stderr: on 01/03/2025 Sông Cầu is vacant since 01/02 (a warning, not an error).
    assert listed.stdout == failing.stdout
    assert listed.stderr == failing.stderr == (
        f"{data / 'assignments.yaml'}:14: cảnh báo [vacancy]: Phường Sông Cầu (01837) khuyết "
        "cán bộ theo dõi từ ngày 01/02/2025: đang chờ phân công thay thế\n")
    assert [row[0] for row in _table_rows(listed.stdout)[1:]] == ["02020", "02068"]
    none_overdue = invoke("overdue", "--data", str(data), "--fail-if-overdue", "--days", "500",
                          env=env)
    assert none_overdue.returncode == 0
    assert [line for line in none_overdue.stdout.splitlines() if line.strip()] == [
        "Các xã quá 500 ngày chưa có chuyến công tác, tính đến ngày 01/03/2025",
        "Không có xã nào quá hạn."]


def test_table_in_vietnamese_and_english(data: Path) -> None:
    env = {"THEODOI_TODAY": "2025-03-01"}
    vi = invoke("overdue", "--data", str(data), "--days", "20", env=env).stdout
    assert vi.splitlines()[0] == ("Các xã quá 20 ngày chưa có chuyến công tác, tính đến ngày "
                                  "01/03/2025")
    assert _table_rows(vi) == [
        ["Mã", "Xã", "Huyện, thành phố", "Cán bộ", "Cơ quan, đơn vị", "Lần đến gần nhất",
         "Số ngày"],
        ["02020", "Thị trấn Bằng Lũng", "Huyện Chợ Đồn", "Nông Văn Bình", "Sở Tài chính",
         "chưa có", "184"],
        ["02068", "Xã Đại Sảo", "Huyện Chợ Đồn", "Lương Văn Khánh", "Sở Nội vụ", "20/11/2024",
         "101"],
        ["01834", "Phường Nguyễn Thị Minh Khai", "Thành phố Bắc Kạn", "Đàm Thị Hoa",
         "Sở Tài chính", "01/01/2025", "59"],
        ["01837", "Phường Sông Cầu", "Thành phố Bắc Kạn", "(trống)", "", "31/12/2024", "28"]]
    en = invoke("overdue", "--data", str(data), "--days", "20", "--lang", "en", env=env).stdout
    assert en.splitlines()[0] == "Communes with no visit for more than 20 days, as of 2025-03-01"
    assert [[row[0], *row[3:]] for row in _table_rows(en)] == [
        ["Code", "Cadre", "Agency", "Last visit", "Days"],
        ["02020", "Nông Văn Bình", "Sở Tài chính", "never", "184"],
        ["02068", "Lương Văn Khánh", "Sở Nội vụ", "2024-11-20", "101"],
        ["01834", "Đàm Thị Hoa", "Sở Tài chính", "2025-01-01", "59"],
        ["01837", "(vacant)", "", "2024-12-31", "28"]]


def test_days_0_lists_every_commune_not_visited_on_the_day(data: Path) -> None:
    # The table of the module's docstring, all of it (none was visited on 01/03); on
    # 05/03 Đại Sảo was visited that very day (0 days) and drops out, the others are 4
    # days older: 188, 63, 32.
    result = invoke("overdue", "--data", str(data), "--days", "0", "--as-of", "01/03/2025",
                    "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [(r["commune_code"], r["days"]) for r in json.loads(result.stdout)["rows"]] == [
        ("02020", 184), ("02068", 101), ("01834", 59), ("01837", 28)]
    later = invoke("overdue", "--data", str(data), "--days", "0", "--as-of", "05/03/2025",
                   "--format", "json")
    assert [(r["commune_code"], r["days"]) for r in json.loads(later.stdout)["rows"]] == [
        ("02020", 188), ("01834", 63), ("01837", 32)]


def test_negative_days_is_a_usage_error_in_words(data: Path) -> None:
    result = invoke("overdue", "--data", str(data), "--days", "-1")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        "theodoi: lỗi [command-line]: --days: hãy ghi một số nguyên từ 0 đến 36600")
    words = invoke("overdue", "--data", str(data), "--days", "ba", "--lang", "en")
    assert (words.returncode, words.stderr.splitlines()[-1]) == (
        2, "theodoi: error [command-line]: --days: give a whole number from 0 to 36600")


def test_one_rule_says_a_commune_is_overdue() -> None:
    """More days than the threshold, or days unknown (no visit, no assignment, no
    term start): the overdue list, the map's dots and --fail-if-overdue all ask
    reports.commune_overdue."""
    from theodoi.reports.figures import commune_overdue

    assert [commune_overdue(days, 90) for days in (None, 0, 89, 90, 91)] == [
        True, False, False, False, True]
    assert commune_overdue(1, 0) and not commune_overdue(0, 0)
