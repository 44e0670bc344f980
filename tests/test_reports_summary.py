"""The weekly summary of tests/report_data.py, computed by hand.

Week 47 of 2024 runs from Monday 18/11 to Sunday 24/11; week 1 of 2025 from
Monday 30/12/2024 to Sunday 05/01/2025.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from conftest import invoke
from loading import weekly_summary
from report_data import quarter_data

from theodoi.reports.figures import WeeklySummary

TODAY = {"THEODOI_TODAY": "2025-03-10"}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return quarter_data(tmp_path / "data")


def _summary(data: Path, week: str) -> WeeklySummary:
    return weekly_summary(data, week)


def _column(frame, *keys: str) -> list[tuple]:  # noqa: ANN001 - a DataFrame
    return [tuple(row[k] for k in keys) for row in frame.to_dict("records")]


def test_week_47(data: Path) -> None:
    summary = _summary(data, "2024-W47")
    assert _column(summary.visits, "visit_id", "date", "cadre_id", "commune_code") == [
        ("V-20241120-001", date(2024, 11, 20), "CB05", "02068")]
    assert _column(summary.difficulties, "commune_code", "text") == [
        ("02068", "Đường liên thôn xuống cấp"),
        ("02068", "Thiếu kinh phí sửa nhà văn hóa thôn")]
    assert _column(summary.proposals, "text") == [("Đề nghị tỉnh hỗ trợ cứng hóa đường liên thôn",)]
    # Recorded on 19/11, 47 days after the visit of 03/10: it counts in Q4, on 03/10.
    assert _column(summary.late, "visit_id", "date", "recorded_on", "days_late", "cadre_id") == [
        ("V-20241003-001", date(2024, 10, 3), date(2024, 11, 19), 47, "CB01")]
    assert summary.changes.empty
    # Q4 up to Sunday 24/11: 03/10, 10/10, 05/11 and 20/11.
    assert (summary.coverage.period.start, summary.coverage.period.end) == (
        date(2024, 10, 1), date(2024, 11, 24))
    assert _column(summary.coverage.rows, "communes_visited", "percent_covered", "visits") == [
        (1, 50.0, 1), (1, 50.0, 3)]
    assert summary.coverage.total == {"communes": 4, "communes_visited": 2,
                                      "percent_covered": 50.0, "visits": 4}
    # Bằng Lũng: 87 days since the term's start on 24/11, not yet more than 90.
    assert summary.overdue.as_of == date(2024, 11, 24) and summary.overdue.rows.empty


def test_week_46_has_the_reassignment(data: Path) -> None:
    summary = _summary(data, "2024-W46")
    assert summary.visits.empty
    assert _column(summary.changes, "date", "change", "commune_code", "cadre_id") == [
        (date(2024, 11, 15), "ends", "02068", "CB01"),
        (date(2024, 11, 15), "begins", "02068", "CB05")]


def test_week_one_of_2025_starts_in_december(data: Path) -> None:
    summary = _summary(data, "2025-W01")
    assert _column(summary.visits, "date", "commune_code") == [
        (date(2024, 12, 31), "01837"), (date(2025, 1, 1), "01834")]
    # The quarter is the one holding the week's end (Sunday 05/01/2025): Q1 2025.
    assert (summary.coverage.period.start, summary.coverage.period.end) == (
        date(2025, 1, 1), date(2025, 1, 5))
    assert summary.coverage.total == {"communes": 4, "communes_visited": 1,
                                      "percent_covered": 25.0, "visits": 1}
    assert _column(summary.overdue.rows, "commune_code", "days") == [("02020", 129)]


def test_exactly_seven_days_is_not_late(data: Path) -> None:
    assert _summary(data, "2025-W02").late.empty  # 31/12 recorded on 07/01
    assert _column(_summary(data, "2024-W42").late, "visit_id", "days_late") == [
        ("V-20241010-001", 8)]


def test_json(data: Path) -> None:
    result = invoke("summary", "--data", str(data), "--week", "2024-W47", "--format", "json",
                    env=TODAY)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["week"] == {"code": "2024-W47", "start": "2024-11-18", "end": "2024-11-24",
                               "label": "Tuần 47 (18/11–24/11/2024)"}
    assert [v["visit_id"] for v in summary["visits"]] == ["V-20241120-001"]
    assert [d["text"] for d in summary["difficulties"]] == [
        "Đường liên thôn xuống cấp", "Thiếu kinh phí sửa nhà văn hóa thôn"]
    assert [(v["visit_id"], v["recorded_on"], v["days_late"]) for v in summary["late_visits"]] == [
        ("V-20241003-001", "2024-11-19", 47)]
    assert summary["coverage"]["total"]["percent_covered"] == 50.0
    assert summary["overdue"]["rows"] == []
    assert summary["validation"]["ok"] is True


def test_default_week_is_the_last_complete_one(data: Path) -> None:
    result = invoke("summary", "--data", str(data), "--format", "json",
                    env={"THEODOI_TODAY": "2025-01-06"})
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["week"]["label"] == "Tuần 1 (30/12/2024–05/01/2025)"
    assert len(summary["visits"]) == 2
    # On 06/01/2025 the visit of 05/03/2025 is in the future: validate says so,
    # and the summary still comes out (exit 0).
    assert summary["validation"]["ok"] is False
    assert any(p["code"] == "future-visit" for p in summary["validation"]["problems"])


def test_text_in_vietnamese_and_english(data: Path) -> None:
    vi = invoke("summary", "--data", str(data), "--week", "2024-W47", env=TODAY)
    assert vi.returncode == 0, vi.stderr
    for text in ("Báo cáo tuần về công tác theo dõi địa bàn: Tuần 47 (18/11–24/11/2024)",
                 "Khó khăn, vướng mắc", "Đề xuất, kiến nghị", "Chuyến công tác cập nhật muộn",
                 "Mức độ bao phủ địa bàn Quý IV/2024 (tính đến ngày 24/11/2024)", "50,0%",
                 "Không có xã nào quá hạn.", "đạt, không có lỗi", "03/10/2024"):
        assert text in vi.stdout, text
    en = invoke("summary", "--data", str(data), "--week", "2024-W47", "--lang", "en", env=TODAY)
    assert en.returncode == 0, en.stderr
    for text in ("Weekly summary of the follow-up of communes: Week 47 of 2024", "50.0%",
                 "Visits recorded late", "passed, no errors", "2024-10-03"):
        assert text in en.stdout, text


def test_markdown(data: Path) -> None:
    result = invoke("summary", "--data", str(data), "--week", "2024-W46", "--format",
                    "markdown", env=TODAY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Báo cáo tuần")
    assert "| 15/11/2024 | Xã Đại Sảo | Hà Thị Ngần | thôi theo dõi | 1391-QĐ/TU |" in \
        result.stdout
    assert "| **Toàn tỉnh** | **4** |" in result.stdout


def test_output_file_is_written_whole(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "bao-cao" / "tuan-2024-W47.md"
    result = invoke("summary", "--data", str(data), "--week", "2024-W47", "--format",
                    "markdown", "--output", str(target), env=TODAY)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == f"Đã ghi: {target}\n"  # where it went, for a cron log
    assert target.read_text(encoding="utf-8").startswith("# Báo cáo tuần")
    assert os.listdir(target.parent) == [target.name]  # no temporary file left behind
    text = invoke("summary", "--data", str(data), "--week", "2024-W47", "--output",
                  str(target), env=TODAY)
    assert (text.returncode, text.stdout) == (0, "")
    # The file holds the plain text a pipe gets, not a byte of terminal styling.
    piped = invoke("summary", "--data", str(data), "--week", "2024-W47", env=TODAY)
    assert target.read_text(encoding="utf-8") == piped.stdout
    assert "\x1b" not in piped.stdout


@pytest.mark.parametrize("week", ["2024-W54", "2024-Q3", "tuần 37"])
def test_not_a_week(data: Path, week: str) -> None:
    result = invoke("summary", "--data", str(data), "--week", week)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "Cách dùng: theodoi summary [TÙY_CHỌN]\nGõ 'theodoi summary -h' để xem hướng dẫn.\n"
        f"theodoi: lỗi [command-line]: --week: '{week}' không phải là một tuần (dùng dạng "
        "2024-W37, hoặc một ngày trong tuần)\n")


def test_a_day_names_its_week(data: Path) -> None:
    result = invoke("summary", "--data", str(data), "--week", "20/11/2024", "--format", "json",
                    env=TODAY)
    assert json.loads(result.stdout)["week"]["code"] == "2024-W47"
