"""--only, --sort, --limit and --output: reports that answer a clerk's questions.

The figures are those of tests/report_data.py, computed by hand in the
docstrings of test_reports_coverage.py and test_reports_overdue.py: in Q4
2024 CB01 made 2 visits, CB03, CB04 and CB05 one each, CB02 none; Bằng Lũng
(02020) was never visited; on 01/03/2025 the overdue days are 02020 184,
02068 101, 01834 59, 01837 28.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import invoke
from report_data import quarter_data

from theodoi.base.problems import TheodoiError
from theodoi.reports.cut import Cut, cut_records

TODAY = {"THEODOI_TODAY": "2025-03-10"}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return quarter_data(tmp_path / "data")


def _json(data: Path, *args: str) -> dict:
    result = invoke(*args, "--data", str(data), "--format", "json", env=TODAY)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_communes_never_visited_in_a_period(data: Path) -> None:
    report = _json(data, "coverage", "--period", "2024-Q4", "--by", "commune", "--only",
                   "unvisited")
    assert [r["commune_code"] for r in report["rows"]] == ["02020"]
    visited = _json(data, "coverage", "--period", "2024-Q4", "--by", "commune", "--only",
                    "visited")
    assert [r["commune_code"] for r in visited["rows"]] == ["01834", "01837", "02068"]


def test_the_cadres_with_the_fewest_visits(data: Path) -> None:
    fewest = _json(data, "coverage", "--period", "2024-Q4", "--by", "cadre", "--sort", "visits",
                   "--limit", "2")
    # CB02 has none; CB03, CB04 and CB05 tie at one and keep the report's order.
    assert [(r["cadre_id"], r["visits"]) for r in fewest["rows"]] == [("CB02", 0), ("CB03", 1)]
    most = _json(data, "coverage", "--period", "2024-Q4", "--by", "cadre", "--sort=-visits",
                 "-n", "1")
    assert [(r["cadre_id"], r["visits"]) for r in most["rows"]] == [("CB01", 2)]


def test_a_cut_keeps_the_province_total(data: Path) -> None:
    report = _json(data, "coverage", "--period", "2024-Q4", "--sort=-visits", "--limit", "1")
    assert [(r["district_code"], r["visits"]) for r in report["rows"]] == [("064", 3)]
    assert (report["total"]["communes"], report["total"]["visits"]) == (4, 5)


def test_overdue_only_and_sort(data: Path) -> None:
    never = _json(data, "overdue", "--as-of", "01/03/2025", "--days", "20", "--only",
                  "unvisited")
    assert [(r["commune_code"], r["days"]) for r in never["rows"]] == [("02020", 184)]
    visited = _json(data, "overdue", "--as-of", "01/03/2025", "--days", "20", "--only",
                    "visited", "--sort", "days")
    assert [(r["commune_code"], r["days"]) for r in visited["rows"]] == [
        ("01837", 28), ("01834", 59), ("02068", 101)]


def test_coverage_only_overdue_by_commune_and_by_cadre(data: Path) -> None:
    """February 2025 ends on 28/02, before today (10/03): on 28/02, with
    overdue_days 90, Bằng Lũng (02020, never visited, counted from 29/08/2024)
    has waited 183 days and Đại Sảo (02068, last visit 20/11/2024) 100; 01834
    (last visit 01/01/2025, 58 days) and Sông Cầu (01837, vacant from
    01/02/2025, 27 days) are not overdue.  Their cadres that day: CB02, CB05."""
    communes = _json(data, "coverage", "--period", "2025-02", "--by", "commune", "--only",
                     "overdue")
    assert [(r["commune_code"], r["cadre_id"], r["last_visit"]) for r in communes["rows"]] == [
        ("02020", "CB02", None), ("02068", "CB05", "2024-11-20")]
    cadres = _json(data, "coverage", "--period", "2025-02", "--by", "cadre", "--only",
                   "overdue")
    assert [r["cadre_id"] for r in cadres["rows"]] == ["CB02", "CB05"]
    # The same communes as the overdue report of that day.
    listed = _json(data, "overdue", "--as-of", "28/02/2025")
    assert sorted(r["commune_code"] for r in listed["rows"]) == ["02020", "02068"]
    # By district or agency the question has no rows to keep: a usage error.
    refused = invoke("coverage", "--by", "agency", "--only", "overdue", "--data", str(data),
                     env={**TODAY, "THEODOI_LANG": "vi"})
    assert refused.returncode == 2
    assert "--only overdue cần đi cùng --by commune hoặc --by cadre" in refused.stderr


def test_fail_if_overdue_looks_at_the_province_not_the_cut(data: Path) -> None:
    # Every overdue commune has been visited once, so --only unvisited shows none;
    # the province still has overdue communes.
    result = invoke("overdue", "--data", str(data), "--as-of", "01/03/2025", "--days", "60",
                    "--only", "unvisited", "--fail-if-overdue", "--format", "csv", env=TODAY)
    assert result.returncode == 1
    assert result.stdout.splitlines()[1:] == ["02020,Thị trấn Bằng Lũng,064,Huyện Chợ Đồn,"
                                              "CB02,Nông Văn Bình,Sở Tài chính,2024-08-29,,184"]


def test_the_table_says_how_much_it_shows(data: Path) -> None:
    result = invoke("coverage", "--data", str(data), "--period", "2024-Q4", "--by", "commune",
                    "--only", "unvisited", env=TODAY)
    assert result.returncode == 0, result.stderr
    assert "Hiện 1 trên 4 dòng (--only unvisited)." in result.stdout
    english = invoke("overdue", "--data", str(data), "--as-of", "01/03/2025", "--limit", "1",
                     "--lang", "en", env=TODAY)
    assert "Showing 1 of 2 rows (--limit 1)." in english.stdout


def test_an_unknown_column_names_the_ones_there_are(data: Path) -> None:
    result = invoke("overdue", "--data", str(data), "--sort", "ngay", env=TODAY)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        "theodoi: lỗi [unknown-sort-column]: --sort 'ngay': bảng này không có cột đó; dùng một "
        "trong các cột commune_code, commune_name, district_code, district_name, cadre_id, "
        "cadre_name, agency, since, last_visit, days (thêm dấu - ở đầu để xếp từ lớn đến nhỏ)")


def test_lists_sort_and_limit(data: Path) -> None:
    # Newest first, then by name as read without diacritics: the two visits to
    # Phường Nguyễn Thị Minh Khai (01/01/2025, 10/10/2024) come before Sông Cầu.
    visits = _json(data, "visit", "list", "--sort", "commune_name", "--limit", "2")
    assert [v["id"] for v in visits] == ["V-20250101-001", "V-20241010-001"]
    communes = _json(data, "commune", "list", "--sort=-name", "-n", "1")
    assert [c["code"] for c in communes] == ["02068"]  # "Xã Đại Sảo" last from A to Z
    cadres = _json(data, "cadre", "list", "--sort", "agency")
    assert [c["id"] for c in cadres] == ["CB04", "CB01", "CB05", "CB02", "CB03"]


def test_sorting_reads_vietnamese_without_diacritics_and_puts_empty_last() -> None:
    rows = [{"name": "Dung", "n": 2}, {"name": "Đinh", "n": None}, {"name": "Anh", "n": 1},
            {"name": "Ánh", "n": 3}]
    by_name = cut_records(rows, ("name", "n"), Cut(sort="name"))
    assert [r["name"] for r in by_name] == ["Anh", "Ánh", "Đinh", "Dung"]  # Đ with D, stable
    assert [r["n"] for r in cut_records(rows, ("name", "n"), Cut(sort="n"))] == [1, 2, 3, None]
    assert [r["n"] for r in cut_records(rows, ("name", "n"), Cut(sort="-n"))] == [3, 2, 1, None]
    assert len(cut_records(rows, ("name", "n"), Cut(limit=2))) == 2


def test_a_unique_end_of_a_column_name_is_enough() -> None:
    columns = ("commune_name", "cadre_name", "cadre_agency")
    assert Cut(sort="-agency").column(columns) == ("cadre_agency", True)
    with pytest.raises(TheodoiError) as raised:
        Cut(sort="name").column(columns)  # two columns end in _name
    assert raised.value.check.code == "unknown-sort-column"


def test_every_table_can_go_to_a_file(data: Path, tmp_path: Path) -> None:
    git = ["git", "-c", "user.name=Văn thư", "-c", "user.email=vanthu@example.vn"]
    subprocess.run([*git, "init", "--quiet"], cwd=data, check=True)
    subprocess.run([*git, "add", "."], cwd=data, check=True)
    subprocess.run([*git, "commit", "--quiet", "-m", "Dữ liệu"], cwd=data, check=True)
    for args in (["history"], ["visit", "show", "V-20241120-001"], ["audit"]):
        shown = invoke(*args, "--data", str(data), env=TODAY)
        target = tmp_path / "out" / f"{args[0]}.txt"
        written = invoke(*args, "--data", str(data), "--output", str(target), env=TODAY)
        assert written.returncode == shown.returncode, written.stderr
        assert written.stdout == ""
        assert written.stderr.endswith(f"Đã ghi: {target}\n")
        assert target.read_text(encoding="utf-8") == shown.stdout


def test_a_frame_and_records_sort_alike_with_empty_values_last() -> None:
    """One engine: an empty text ("", a cadre without agency), a missing value
    (None, NaN) go last, in their order, whichever way a column is sorted, in
    a frame (coverage, overdue) as in a list of records (lists)."""
    import pandas as pd

    from theodoi.reports.cut import cut_frame

    rows = [{"agency": "Sở Tài chính", "n": 2.0}, {"agency": "", "n": None},
            {"agency": "Báo Bắc Kạn", "n": float("nan")}, {"agency": None, "n": 1.0},
            {"agency": "Ban Dân vận", "n": 3.0}]
    frame = pd.DataFrame(rows, columns=["agency", "n"], dtype=object)
    for sort, expected in (
            ("agency", ["Ban Dân vận", "Báo Bắc Kạn", "Sở Tài chính", "", None]),
            ("-agency", ["Sở Tài chính", "Báo Bắc Kạn", "Ban Dân vận", "", None])):
        cut = Cut(sort=sort)
        assert [r["agency"] for r in cut_records(rows, ("agency", "n"), cut)] == expected
        assert cut_frame(frame, cut)["agency"].tolist() == expected
    by_n = cut_frame(frame, Cut(sort="-n"))["agency"].tolist()
    assert by_n == ["Ban Dân vận", "Sở Tài chính", None, "", "Báo Bắc Kạn"]
    assert [r["agency"] for r in cut_records(rows, ("agency", "n"), Cut(sort="-n"))] == by_n
