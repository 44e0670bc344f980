"""Coverage tables of tests/report_data.py, computed by hand (see that file's table).

Q4 2024 runs from 01/10 to 31/12/2024.  In it: Đại Sảo (02068) has three
visits, two by CB01 before the reassignment of 15/11 and one by CB05 after;
Nguyễn Thị Minh Khai (01834) one; Sông Cầu (01837) one, on 31/12, the last
day; Bằng Lũng (02020) none, ever.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import invoke
from loading import visit_columns, visits_frame
from report_data import quarter_data

from theodoi.base.periods import date_range, parse_period
from theodoi.registers.loader import load_registers
from theodoi.reports.figures import coverage

Q4 = parse_period("2024-Q4")
LATER = date(2025, 3, 10)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return quarter_data(tmp_path / "data")


def _inputs(data: Path) -> tuple:
    assert not visit_columns(data).problems
    return load_registers(data).registers, visits_frame(data)


def _rows(frame: pd.DataFrame, *keys: str) -> list[tuple]:
    return [tuple(row[k] for k in keys) for row in frame.to_dict("records")]


def test_by_district_with_province_total(data: Path) -> None:
    registers, visits = _inputs(data)
    report = coverage(registers, visits, Q4, "district", LATER)
    assert _rows(report.rows, "district_code", "district_name", "communes", "communes_visited",
                 "percent_covered", "visits") == [
        ("058", "Thành phố Bắc Kạn", 2, 2, 100.0, 2),
        ("064", "Huyện Chợ Đồn", 2, 1, 50.0, 3),
    ]
    assert report.total == {"communes": 4, "communes_visited": 3, "percent_covered": 75.0,
                            "visits": 5}


def test_by_commune_cadre_at_the_end_of_the_period(data: Path) -> None:
    registers, visits = _inputs(data)
    report = coverage(registers, visits, Q4, "commune", LATER)
    assert _rows(report.rows, "commune_code", "cadre_id", "visits", "last_visit") == [
        ("01834", "CB03", 1, date(2024, 10, 10)),  # the visit of 01/01/2025 is after Q4
        ("01837", "CB04", 1, date(2024, 12, 31)),  # the last day of the period counts
        ("02020", "CB02", 0, None),  # never visited
        ("02068", "CB05", 3, date(2024, 11, 20)),  # CB05 follows it on 31/12
    ]


def test_by_commune_cadre_on_today_when_the_period_is_not_over(data: Path) -> None:
    registers, visits = _inputs(data)
    report = coverage(registers, visits, Q4, "commune", date(2024, 11, 10))
    assert _rows(report.rows, "commune_code", "cadre_id")[-1] == ("02068", "CB01")


def test_by_cadre_a_reassignment_does_not_move_past_visits(data: Path) -> None:
    registers, visits = _inputs(data)
    report = coverage(registers, visits, Q4, "cadre", LATER)
    assert _rows(report.rows, "cadre_id", "communes_followed", "visits", "communes_visited",
                 "last_visit") == [
        ("CB01", ["02068"], 2, 1, date(2024, 11, 5)),  # both visits stay with CB01
        ("CB02", ["02020"], 0, 0, None),
        ("CB03", ["01834"], 1, 1, date(2024, 10, 10)),
        ("CB04", ["01837"], 1, 1, date(2024, 12, 31)),
        ("CB05", ["02068"], 1, 1, date(2024, 11, 20)),
    ]


def test_by_agency(data: Path) -> None:
    registers, visits = _inputs(data)
    report = coverage(registers, visits, Q4, "agency", LATER)
    assert _rows(report.rows, "agency", "cadres", "communes_followed", "visits",
                 "communes_visited", "last_visit") == [
        ("Ban Dân vận Tỉnh ủy", 1, 1, 1, 1, date(2024, 12, 31)),
        ("Báo Bắc Kạn", 1, 1, 2, 1, date(2024, 11, 5)),
        ("Sở Nội vụ", 1, 1, 1, 1, date(2024, 11, 20)),
        ("Sở Tài chính", 2, 2, 1, 1, date(2024, 10, 10)),
    ]


def test_an_empty_period(data: Path) -> None:
    registers, visits = _inputs(data)
    before_the_term = parse_period("2024-Q2")
    by_district = coverage(registers, visits, before_the_term, "district", LATER)
    assert _rows(by_district.rows, "communes", "communes_visited", "percent_covered",
                 "visits") == [(2, 0, 0.0, 0), (2, 0, 0.0, 0)]
    assert by_district.total == {"communes": 4, "communes_visited": 0,
                                 "percent_covered": 0.0, "visits": 0}
    assert coverage(registers, visits, before_the_term, "cadre", LATER).rows.empty
    assert coverage(registers, visits, before_the_term, "agency", LATER).rows.empty


def test_a_one_day_period_on_the_last_day(data: Path) -> None:
    registers, visits = _inputs(data)
    report = coverage(registers, visits, date_range(date(2024, 12, 31), date(2024, 12, 31)),
                      "district", LATER)
    assert _rows(report.rows, "communes_visited", "visits") == [(1, 1), (0, 0)]


def test_no_visits_at_all(tmp_path: Path) -> None:
    from conftest import write_data_folder

    folder = write_data_folder(tmp_path / "data")
    registers = load_registers(folder).registers
    report = coverage(registers, visits_frame(folder), Q4, "commune", LATER)
    assert _rows(report.rows, "visits", "last_visit") == [(0, None)] * 4


# --- through the command line ----------------------------------------------------------------

def test_json_by_commune(data: Path) -> None:
    result = invoke("coverage", "--data", str(data), "--period", "2024-Q4", "--by", "commune",
                    "--format", "json", env={"THEODOI_TODAY": "2025-03-10"})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["period"] == {"code": "2024-Q4", "start": "2024-10-01", "end": "2024-12-31",
                                "label": "Quý IV/2024"}
    assert [(r["commune_code"], r["cadre_id"], r["visits"], r["last_visit"])
            for r in report["rows"]] == [
        ("01834", "CB03", 1, "2024-10-10"), ("01837", "CB04", 1, "2024-12-31"),
        ("02020", "CB02", 0, None), ("02068", "CB05", 3, "2024-11-20")]


def test_csv_by_district_ends_with_the_total(data: Path) -> None:
    result = invoke("coverage", "--data", str(data), "--period", "2024-Q4", "--format", "csv",
                    env={"THEODOI_TODAY": "2025-03-10"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "district_code,district_name,communes,communes_visited,percent_covered,visits",
        "058,Thành phố Bắc Kạn,2,2,100.0,2",
        "064,Huyện Chợ Đồn,2,1,50.0,3",
        ",total,4,3,75.0,5",
    ]


def test_csv_by_commune_leaves_a_missing_last_visit_empty(data: Path) -> None:
    result = invoke("coverage", "--data", str(data), "--from", "01/10/2024", "--to",
                    "2024-12-31", "--by", "commune", "--format", "csv",
                    env={"THEODOI_TODAY": "2025-03-10"})
    assert result.returncode == 0, result.stderr
    assert "02020,Thị trấn Bằng Lũng,064,Huyện Chợ Đồn,CB02,Nông Văn Bình,0,\n" in result.stdout


def test_by_cadre_json(data: Path) -> None:
    result = invoke("coverage", "--data", str(data), "--period", "2024-Q4", "--by", "cadre",
                    "--format", "json", env={"THEODOI_TODAY": "2025-03-10"})
    rows = json.loads(result.stdout)["rows"]
    assert [(r["cadre_id"], r["visits"], r["communes_followed"]) for r in rows] == [
        ("CB01", 2, ["02068"]), ("CB02", 0, ["02020"]), ("CB03", 1, ["01834"]),
        ("CB04", 1, ["01837"]), ("CB05", 1, ["02068"])]


def test_default_period_is_the_current_quarter(data: Path) -> None:
    result = invoke("coverage", "--data", str(data), "--format", "json",
                    env={"THEODOI_TODAY": "2024-11-20"})
    report = json.loads(result.stdout)
    assert (report["period"]["start"], report["period"]["end"]) == ("2024-10-01", "2024-12-31")


def test_vietnamese_table_by_default(data: Path) -> None:
    result = invoke("coverage", "--data", str(data), "--period", "2024-Q4",
                    env={"THEODOI_TODAY": "2025-03-10"})
    assert result.returncode == 0, result.stderr
    assert "Mức độ bao phủ địa bàn theo huyện, Quý IV/2024 (01/10/2024–31/12/2024)" in \
        result.stdout
    assert "Toàn tỉnh" in result.stdout and "75,0%" in result.stdout
    by_commune = invoke("coverage", "--data", str(data), "--period", "2024-Q4", "--by",
                        "commune", env={"THEODOI_TODAY": "2025-03-10"})
    assert "chưa có" in by_commune.stdout and "31/12/2024" in by_commune.stdout


def test_english_on_request(data: Path) -> None:
    result = invoke("coverage", "--data", str(data), "--period", "2024-Q4", "--lang", "en",
                    env={"THEODOI_TODAY": "2025-03-10"})
    assert "Coverage by district, Q4 2024 (2024-10-01 – 2024-12-31)" in result.stdout
    assert "Province total" in result.stdout and "75.0%" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--period", "2024-Q5"], "--period: '2024-Q5' không phải là một kỳ báo cáo (dùng 2024, "
                              "2024-H2, 2024-Q3, 2024-09 hoặc 2024-W37)"),
    (["--period", "2024-Q4", "--from", "2024-10-01"],
     "chỉ dùng một trong hai: --period hoặc --from/--to"),
    (["--from", "2024-12-01", "--to", "2024-11-01"], "ngày cuối kỳ ở trước ngày đầu kỳ"),
    (["--by", "province"], "--by: 'province' không phải một trong các giá trị district, group, "
                           "commune, cadre, agency"),
    (["--format", "xml"], "--format: 'xml' không phải một trong các giá trị table, csv, json, "
                          "markdown, xlsx"),
])
def test_command_line_mistakes_exit_2(data: Path, args: list[str], message: str) -> None:
    result = invoke("coverage", "--data", str(data), *args)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr == ("Cách dùng: theodoi coverage [TÙY_CHỌN]\n"
                             "Gõ 'theodoi coverage -h' để xem hướng dẫn.\n"
                             f"theodoi: lỗi [command-line]: {message}\n")


def test_a_missing_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke("coverage", "--data", str(tmp_path / "nowhere"), "--lang", "en")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"theodoi: error [data-folder-missing]: {tmp_path / 'nowhere'}: "
                             "data folder not found (give --data DIR or set THEODOI_DATA)\n")
