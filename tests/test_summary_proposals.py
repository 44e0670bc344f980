"""The weekly summary's section "Đề xuất, kiến nghị chưa được giải quyết", in every
format, and ``summary --fail-if-overdue`` on proposals waiting too long.

tests/report_data.py: the visit of 20/11/2024 at Xã Đại Sảo (CB05 Lương Văn
Khánh) raised two difficulties and a proposal, V-20241120-001/K1, /K2, /D1.
Here the office records, on 22/11/2024: K1 resolved on 22/11, D1 forwarded to
Sở Giao thông Vận tải on 21/11.  Week 47 (18/11–24/11/2024) ends on Sunday
24/11: K2 and D1 have waited 4 days (24 − 20), K1 took 2 days (22 − 20).
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import invoke
from report_data import quarter_data

WHO = "Nông Thị Văn Thư <vanthu@backan.gov.vn>"


def run(data: Path, *args: str, today: str = "2024-12-02", lang: str = "vi"
        ) -> tuple[int, str, str]:
    result = invoke(*args, "--data", str(data), env={"THEODOI_TODAY": today,
                                                       "THEODOI_LANG": lang}, cwd=data.parent)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = quarter_data(tmp_path_factory.mktemp("summary") / "data")
    for args in (("V-20241120-001/K1", "--status", "resolved", "--date", "22/11/2024",
                  "--note", "Đã bố trí kinh phí sửa đường"),
                 ("V-20241120-001/D1", "--status", "forwarded", "--to", "Sở Giao thông Vận tải",
                  "--date", "21/11/2024", "--note", "Chuyển Sở GTVT xem xét")):
        code, _out, err = run(folder, "proposal", "update", *args, "--by", WHO,
                              today="2024-11-22")
        assert code == 0, err
    return folder


def test_the_json_section(data: Path) -> None:
    code, out, err = run(data, "summary", "--week", "2024-W47", "--format", "json")
    assert code == 0, err
    section = json.loads(out)["open_items"]
    assert (section["as_of"], section["proposal_overdue_days"], section["overdue"]) == (
        "2024-11-24", 30, 0)
    assert [(r["id"], r["status"], r["waiting_at"], r["days"]) for r in section["pending"]] == [
        ("V-20241120-001/K2", "open", None, 4),
        ("V-20241120-001/D1", "forwarded", "Sở Giao thông Vận tải", 4)]
    assert [(r["id"], r["status"], r["status_date"], r["days"], r["note"])
            for r in section["closed_this_week"]] == [
        ("V-20241120-001/K1", "resolved", "2024-11-22", 2, "Đã bố trí kinh phí sửa đường")]
    # A week later nothing was closed in the week; the pending ones are 11 days old.
    code, out, _err = run(data, "summary", "--week", "2024-W48", "--format", "json")
    section = json.loads(out)["open_items"]
    assert [r["days"] for r in section["pending"]] == [11, 11]
    assert section["closed_this_week"] == []


def test_the_text_and_markdown_section(data: Path) -> None:
    code, out, _err = run(data, "summary", "--week", "2024-W47")
    assert code == 0
    lines = out.splitlines()
    start = lines.index("Đề xuất, kiến nghị chưa được giải quyết")
    assert lines[start + 1] == ("Tính đến ngày 24/11/2024: 2 khó khăn, đề xuất, kiến nghị đang "
                                "chờ trả lời hoặc giải quyết; trong đó 0 nội dung đã chờ quá 30 "
                                "ngày.")
    section = "\n".join(lines[start:lines.index("Kiểm tra dữ liệu")])
    assert "| V-20241120-001/D1 | 20/11/2024 | Xã Đại Sảo" in section
    assert "| đã chuyển  | 21/11/2024 | Sở Giao thông Vận tải |" in section
    assert "Đã có kết quả trong tuần (giải quyết hoặc không giải quyết)" in section
    code, out, _err = run(data, "summary", "--week", "2024-W47", "--format", "markdown")
    assert "## Đề xuất, kiến nghị chưa được giải quyết" in out
    assert ("| V-20241120-001/K1 | 20/11/2024 | Xã Đại Sảo | Lương Văn Khánh | khó khăn | "
            "Đường liên thôn xuống cấp | đã giải quyết | 22/11/2024 | 2 |") in out


def test_the_workbook_and_the_word_report(data: Path) -> None:
    code, _out, err = run(data, "summary", "--week", "2024-W47", "--format", "xlsx",
                          "--output", str(data.parent / "tuan-47.xlsx"))
    assert code == 0, err
    book = openpyxl.load_workbook(data.parent / "tuan-47.xlsx")
    rows = [list(r) for r in book["Đang chờ giải quyết"].iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "Mã")
    assert rows[header + 1] == ["V-20241120-001/K2", datetime(2024, 11, 20), "Xã Đại Sảo",
                                "Lương Văn Khánh", "khó khăn",
                                "Thiếu kinh phí sửa nhà văn hóa thôn", "chưa xử lý",
                                datetime(2024, 11, 20), "chưa chuyển", 4, None]
    assert len(rows) == header + 3
    closed = [list(r) for r in book["Đã có kết quả trong tuần"].iter_rows(values_only=True)]
    assert closed[-1][:2] == ["V-20241120-001/K1", datetime(2024, 11, 20)]
    code, _out, err = run(data, "summary", "--week", "2024-W47", "--format", "docx",
                          "--output", str(data.parent / "tuan-47.docx"))
    assert code == 0, err
    word = docx.Document(io.BytesIO((data.parent / "tuan-47.docx").read_bytes()))
    texts = [p.text for p in word.paragraphs]
    assert "Đề xuất, kiến nghị chưa được giải quyết" in texts
    cells = [[c.text for c in row.cells] for table in word.tables for row in table.rows]
    # The compact table of the Word report: the status with where it waits.
    assert ["2", "20/11/2024", "Xã Đại Sảo", "Lương Văn Khánh",
            "Đề nghị tỉnh hỗ trợ cứng hóa đường liên thôn", "đã chuyển: Sở Giao thông Vận tải",
            "4"] in cells


def test_the_html_page_has_the_section_in_english(data: Path) -> None:
    code, out, _err = run(data, "summary", "--week", "2024-W47", "--format", "html", lang="en")
    assert code == 0
    assert "<h2>Proposals not yet resolved</h2>" in out
    assert "<caption>Waiting, oldest first</caption>" in out
    assert ("<td>V-20241120-001/D1</td><td>2024-11-20</td><td>Xã Đại Sảo</td>"
            "<td>Lương Văn Khánh</td><td>proposal</td>") in out


def test_fail_if_overdue_also_fails_on_proposals(tmp_path: Path) -> None:
    data = quarter_data(tmp_path / "data")
    # In week 47 no commune is overdue (90 days) and the items are 4 days old.
    assert run(data, "summary", "--week", "2024-W47", "--fail-if-overdue")[0] == 0
    settings = data / "assignments.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  overdue_days: 90\n", "  overdue_days: 90\n  proposal_overdue_days: 3\n"),
        encoding="utf-8")
    # 4 days > 3: overdue; the report is written all the same, and the exit says so.
    code, out, _err = run(data, "summary", "--week", "2024-W47", "--fail-if-overdue")
    assert code == 1
    assert ("Tính đến ngày 24/11/2024: 3 khó khăn, đề xuất, kiến nghị đang chờ trả lời hoặc giải "
            "quyết; trong đó 3 nội dung đã chờ quá 3 ngày.") in out
    assert run(data, "summary", "--week", "2024-W47")[0] == 0
    code, _out, _err = run(data, "summary", "--week", "2024-W47", "--fail-if-overdue",
                           "--format", "json")
    assert code == 1


def test_a_long_backlog_is_listed_oldest_first_up_to_a_hundred(tmp_path: Path) -> None:
    """A visit of 01/10/2024 raised 101 proposals, none followed up: on Sunday
    24/11 each has waited 54 days.  The page lists 100 of them and says where the
    rest are; json lists all 101."""
    data = quarter_data(tmp_path / "data")
    proposals = "".join(f"    - Đề nghị số {n}\n" for n in range(1, 102))
    (data / "visits/2024/2024-10-01.yaml").write_text(
        '- id: V-20241001-001\n  date: 2024-10-01\n  cadre: CB02\n  commune: "02020"\n'
        f"  kind: working\n  proposals:\n{proposals}"
        "  recorded_at: '2024-10-01T10:00:00+07:00'\n", encoding="utf-8")
    code, out, _err = run(data, "summary", "--week", "2024-W47", "--format", "markdown")
    assert code == 0
    assert ("Chỉ liệt kê 100 nội dung đã chờ lâu nhất; lệnh 'theodoi proposal list' liệt kê đủ "
            "104 nội dung.") in out
    listed = [line for line in out.splitlines() if line.startswith("| V-2024")]
    # The 101 of 01/10 come first (oldest), so the 3 of 20/11 are not listed.
    assert len(listed) == 100
    assert listed[0].startswith("| V-20241001-001/D1 | 01/10/2024 | Thị trấn Bằng Lũng")
    assert listed[-1].startswith("| V-20241001-001/D100 |") and "| 54 | quá hạn |" in listed[-1]
    code, out, _err = run(data, "summary", "--week", "2024-W47", "--format", "json")
    section = json.loads(out)["open_items"]
    assert (len(section["pending"]), section["overdue"]) == (104, 101)
