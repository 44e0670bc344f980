"""The six-month and yearly review, and the scorecard, computed by hand on a small year.

Four communes (conftest): 02068 Đại Sảo and 02020 Bằng Lũng in Huyện Chợ Đồn (064),
01834 Nguyễn Thị Minh Khai and 01837 Sông Cầu in Thành phố Bắc Kạn (058).  CB01 Hà
Thị Ngần follows Đại Sảo until 14/05/2025 and CB05 Lương Văn Khánh from 15/05/2025
(a reassignment in the middle of Q2); CB02 Bằng Lũng, CB03 Nguyễn Thị Minh Khai,
CB04 Sông Cầu, all year.  ``visits_per_quarter`` 1, ``proposal_overdue_days`` 30.

Visits of 2025 (K: a difficulty, D: a proposal raised):

    CB01 02068  10/02, 20/04
    CB05 02068  10/06 (K1), 05/08 executive committee, 12/11 standing committee
    CB02 02020  15/01 (D1, D2), 05/05, 09/09 (D1)      -- Q4 without a visit
    CB02 01837  20/10, standing in for CB04 (counts for CB02, not for CB04's quarter)
    CB03 01834  03/03 (K1, D1), 30/06, 01/07, 31/12
    CB04 01837  10/10                                  -- Q1 to Q3 without a visit

Quarters: Q1 90 days, Q2 91, Q3 92, Q4 92.  CB01 follows Đại Sảo 44 days of Q2
(01/04–14/05): 2 × 44 = 88 < 91, not expected of CB01; CB05 follows it 47 days
(15/05–30/06): 94 ≥ 91, expected of CB05.

Status of the items (recorded on 20/01/2026):

    V-20250303-001/K1  forwarded 10/03, answered 01/04, resolved 01/09/2025
    V-20250303-001/D1  declined 01/05/2025
    V-20250115-001/D1  forwarded 01/02/2025                 (still waiting)
    V-20250115-001/D2  answered 01/03/2025                  (still waiting)
    V-20250610-001/K1  never changed                        (open)
    V-20250909-001/D1  resolved 10/01/2026, after the year's end: pending on 31/12/2025

Plans (plans/2025.yaml): CB02 02020 in Q4 (not made), CB03 01834 in June (30/06) and
in July (01/07), CB05 02068 on 05/08 (made that day).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import SMALL_CADRES, invoke, write_data_folder
from test_summary_html import _browser, _Reader

from theodoi.base.periods import parse_period
from theodoi.followup.review import Part, VisitFact, parts_of, review
from theodoi.registers.loader import load_registers

TODAY = "2026-01-20"
WHO = "Nông Thị Văn Thư <vanthu@backan.gov.vn>"
CADRES = [*SMALL_CADRES, "CB05,Lương Văn Khánh,Phó Giám đốc,Sở Nội vụ,,"]
ASSIGNMENTS = [
    '{commune: "02068", cadre: CB01, since: 2024-08-29, until: 2025-05-14, '
    "decision: 1391-QĐ/TU}",
    '{commune: "02068", cadre: CB05, since: 2025-05-15, decision: 1391-QĐ/TU}',
    '{commune: "02020", cadre: CB02, since: 2024-08-29, decision: 1391-QĐ/TU}',
    '{commune: "01834", cadre: CB03, since: 2024-08-29, decision: 1391-QĐ/TU}',
    '{commune: "01837", cadre: CB04, since: 2024-08-29, decision: 1391-QĐ/TU}',
]
# (day, cadre, commune, kind, difficulties, proposals, substitute)
VISITS = [
    ("2025-01-15", "CB02", "02020", "working", [], ["Đề nghị sửa cầu treo",
                                                     "Đề nghị hỗ trợ giống cây trồng"], ""),
    ("2025-02-10", "CB01", "02068", "working", [], [], ""),
    ("2025-03-03", "CB03", "01834", "working", ["Thiếu giáo viên"],
     ["Đề nghị xây nhà văn hóa tổ dân phố"], ""),
    ("2025-04-20", "CB01", "02068", "survey", [], [], ""),
    ("2025-05-05", "CB02", "02020", "working", [], [], ""),
    ("2025-06-10", "CB05", "02068", "working", ["Sạt lở đường vào thôn"], [], ""),
    ("2025-06-30", "CB03", "01834", "working", [], [], ""),
    ("2025-07-01", "CB03", "01834", "event", [], [], ""),
    ("2025-08-05", "CB05", "02068", "executive", [], [], ""),
    ("2025-09-09", "CB02", "02020", "working", [], ["Đề nghị bổ sung biên chế y tế"], ""),
    ("2025-10-10", "CB04", "01837", "working", [], [], ""),
    ("2025-10-20", "CB02", "01837", "working", [], [], "Đồng chí Đức đi học"),
    ("2025-11-12", "CB05", "02068", "standing", [], [], ""),
    ("2025-12-31", "CB03", "01834", "working", [], [], ""),
]
STATUS = [
    ("V-20250303-001/K1", "forwarded", "10/03/2025", ("--to", "Sở Giáo dục và Đào tạo")),
    ("V-20250303-001/K1", "answered", "01/04/2025", ("--ref", "Số 45/SGDĐT-KHTC, 01/04/2025")),
    ("V-20250303-001/K1", "resolved", "01/09/2025", ()),
    ("V-20250303-001/D1", "declined", "01/05/2025", ()),
    ("V-20250115-001/D1", "forwarded", "01/02/2025", ("--to", "Sở Giao thông Vận tải")),
    ("V-20250115-001/D2", "answered", "01/03/2025", ("--ref", "Số 12/SNN, 01/03/2025")),
    ("V-20250909-001/D1", "resolved", "10/01/2026", ()),
]
PLANS = """\
- {cadre: CB02, commune: "02020", quarter: 2025-Q4}
- {cadre: CB03, commune: "01834", month: 2025-06}
- {cadre: CB03, commune: "01834", month: 2025-07}
- {cadre: CB05, commune: "02068", date: 2025-08-05}
"""


def write_year(folder: Path) -> Path:
    write_data_folder(folder, cadres=CADRES, assignments=ASSIGNMENTS)
    for day, cadre, commune, kind, difficulties, proposals, substitute in VISITS:
        path = folder / "visits" / day[:4] / f"{day}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"- id: V-{day.replace('-', '')}-001", f"  date: {day}", f"  cadre: {cadre}",
                 f'  commune: "{commune}"', f"  kind: {kind}"]
        if substitute:
            lines.append(f"  substitute: {substitute}")
        lines += ["  difficulties:", *(f"    - {d}" for d in difficulties)] if difficulties else []
        lines += ["  proposals:", *(f"    - {p}" for p in proposals)] if proposals else []
        lines.append(f"  recorded_at: '{day}T17:00:00+07:00'")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "plans").mkdir()
    (folder / "plans" / "2025.yaml").write_text(PLANS, encoding="utf-8")
    for item, status, day, more in STATUS:
        result = invoke("proposal", "update", item, "--status", status, "--date", day, *more,
                        "--note", f"Ghi {status}", "--by", WHO, "--data", str(folder),
                        env={"THEODOI_TODAY": TODAY, "THEODOI_LANG": "en"})
        assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_year(tmp_path_factory.mktemp("review") / "data")
    result = invoke("validate", "--data", str(folder), env={"THEODOI_TODAY": TODAY})
    assert result.returncode == 0, result.stdout
    return folder


def run(data: Path, *args: str, lang: str = "en", today: str = TODAY) -> tuple[int, str, str]:
    result = invoke(*args, "--data", str(data), env={"THEODOI_TODAY": today, "THEODOI_LANG": lang},
                    cwd=data.parent)
    return result.returncode, result.stdout, result.stderr


def review_json(data: Path, *args: str, today: str = TODAY) -> dict[str, object]:
    code, out, err = run(data, "review", *args, "--format", "json", today=today)
    assert code == 0, err
    result: dict[str, object] = json.loads(out)
    return result


def by_id(rows: object, key: str) -> dict[str, dict[str, object]]:
    assert isinstance(rows, list)
    return {row[key]: row for row in rows}


FIGURES = ("visits", "communes_visited", "meetings", "quarters_expected", "quarters_met",
           "rhythm_percent", "below_rhythm", "difficulties_raised", "proposals_raised",
           "resolved", "declined", "pending", "pending_overdue", "planned", "planned_done",
           "longest_gap_days", "longest_gap_commune", "longest_gap_from", "longest_gap_to",
           "last_visit")


def figures(row: dict[str, object]) -> tuple[object, ...]:
    return tuple(row[k] for k in FIGURES)


# --- the year by cadre ------------------------------------------------------------------------


def test_the_year_by_cadre(data: Path) -> None:
    result = review_json(data, "--period", "2025")
    assert (result["end"], result["complete"], result["quarters"]) == (
        "2025-12-31", True, ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"])
    # Below the rhythm first, the furthest below first: CB04 1/4, CB02 3/4; then by id.
    rows = result["rows"]
    assert isinstance(rows, list)
    assert [r["cadre_id"] for r in rows] == ["CB04", "CB02", "CB01", "CB03", "CB05"]
    cadres = by_id(rows, "cadre_id")
    # CB01: Q1 met (10/02); Q2 not expected (44 days of 91).  Gaps within 01/01–14/05:
    # 01/01->10/02 40, 10/02->20/04 69 (18 + 31 + 20), 20/04->14/05 24.
    assert figures(cadres["CB01"]) == (2, 1, 0, 1, 1, 100.0, False, 0, 0, 0, 0, 0, 0, 0, 0,
                                       69, "02068", "2025-02-10", "2025-04-20", "2025-04-20")
    assert (cadres["CB01"]["communes_followed"], cadres["CB01"]["followed_since"],
            cadres["CB01"]["followed_until"]) == (["02068"], ["2024-08-29"], ["2025-05-14"])
    # CB05: Q2 (47 days, 10/06), Q3 (05/08), Q4 (12/11): 3 of 3; two meetings.  Gaps
    # within 15/05–31/12: 26, 56, 99 (05/08->12/11: 26 + 30 + 31 + 12), 49.  K1 of 10/06
    # is open on 31/12, 204 days old: overdue.  The plan of 05/08 was made.
    assert figures(cadres["CB05"]) == (3, 1, 2, 3, 3, 100.0, False, 1, 0, 0, 0, 1, 1, 1, 1,
                                       99, "02068", "2025-08-05", "2025-11-12", "2025-11-12")
    assert cadres["CB05"]["followed_since"] == ["2025-05-15"]
    assert cadres["CB05"]["followed_until"] == [None]
    # CB02: Q1–Q3 met, Q4 without a visit to Bằng Lũng (the stand-in visit was to Sông
    # Cầu): 3 of 4, below.  Four visits to two communes.  Gaps 14, 110, 127 (05/05->09/09:
    # 26 + 30 + 31 + 31 + 9), 113.  Three proposals, all pending on 31/12 (D1 of 09/09 was
    # resolved on 10/01/2026, after the period): all overdue.  The Q4 plan was not made.
    assert figures(cadres["CB02"]) == (4, 2, 0, 4, 3, 75.0, True, 0, 3, 0, 0, 3, 3, 1, 0,
                                       127, "02020", "2025-05-05", "2025-09-09", "2025-10-20")
    # CB03: four quarters met; gaps 61, 119, 1, 183 (01/07->31/12).  K1 resolved on
    # 01/09, D1 declined; both June and July plans made.
    assert figures(cadres["CB03"]) == (4, 1, 0, 4, 4, 100.0, False, 1, 1, 1, 1, 0, 0, 2, 2,
                                       183, "01834", "2025-07-01", "2025-12-31", "2025-12-31")
    # CB04: only Q4 (10/10): 1 of 4.  Gap 01/01->10/10: 282 days.
    assert figures(cadres["CB04"]) == (1, 1, 0, 4, 1, 25.0, True, 0, 0, 0, 0, 0, 0, 0, 0,
                                       282, "01837", "2025-01-01", "2025-10-10", "2025-10-10")
    # The province: 14 visits, 12 of 16 quarters, 6 items of which 4 pending and overdue.
    assert result["total"] == {
        "cadres": 5, "cadres_below": 2, "communes": 4, "visits": 14, "communes_visited": 4,
        "meetings": 2, "quarters_expected": 16, "quarters_met": 12, "rhythm_percent": 75.0,
        "below_rhythm": True, "difficulties_raised": 2, "proposals_raised": 4, "resolved": 1,
        "declined": 1, "pending": 4, "pending_overdue": 4, "planned": 4, "planned_done": 3,
        "longest_gap_days": 282, "longest_gap_commune": "01837",
        "longest_gap_from": "2025-01-01", "longest_gap_to": "2025-10-10",
        "last_visit": "2025-12-31"}


def test_the_first_half_year(data: Path) -> None:
    """H1: Q1 and Q2.  On 30/06 K1 of 03/03 was answered, not resolved (that came on
    01/09): pending, 119 days old; K1 of 10/06 is 20 days old: not overdue."""
    result = review_json(data, "--period", "2025-H1")
    assert result["quarters"] == ["2025-Q1", "2025-Q2"]
    rows = result["rows"]
    assert isinstance(rows, list)
    assert [r["cadre_id"] for r in rows] == ["CB04", "CB01", "CB02", "CB03", "CB05"]
    cadres = by_id(rows, "cadre_id")
    summary = {k: tuple(r[f] for f in ("visits", "quarters_expected", "quarters_met",
                                        "difficulties_raised", "proposals_raised", "resolved",
                                        "declined", "pending", "pending_overdue", "planned",
                                        "planned_done", "longest_gap_days"))
               for k, r in cadres.items()}
    # CB04: 01/01->30/06 without a visit, 180 days; CB05: 15/05->10/06 26, ->30/06 20.
    assert summary == {
        "CB01": (2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 69),
        "CB02": (2, 2, 2, 0, 2, 0, 0, 2, 2, 0, 0, 110),
        "CB03": (2, 2, 2, 1, 1, 0, 1, 1, 1, 1, 1, 119),
        "CB04": (0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 180),
        "CB05": (1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 26),
    }
    code, out, _err = run(data, "review", "--period", "2025-H1", lang="vi")
    assert out.splitlines()[0] == "Sơ kết công tác theo dõi địa bàn cấp xã 6 tháng đầu năm 2025"
    assert "1/5 cán bộ chưa đạt nhịp độ theo yêu cầu, được xếp lên đầu danh sách." in out


def test_a_year_not_over_counts_the_quarters_ended(data: Path) -> None:
    """On 20/08/2025 Q3 is still running: only Q1 and Q2 are counted."""
    result = review_json(data, "--period", "2025", today="2025-08-20")
    assert (result["end"], result["complete"], result["quarters"]) == (
        "2025-08-20", False, ["2025-Q1", "2025-Q2"])
    cadres = by_id(result["rows"], "cadre_id")
    # CB05: 10/06 and 05/08; gaps 15/05->10/06 26, ->05/08 56, ->20/08 15.
    assert (cadres["CB05"]["visits"], cadres["CB05"]["quarters_met"],
            cadres["CB05"]["longest_gap_days"]) == (2, 1, 56)
    # The plans of July (made 01/07) and 05/08 (made) count; Q4's is not due.
    assert (result["total"]["planned"], result["total"]["planned_done"]) == (3, 3)
    code, out, _err = run(data, "review", "--period", "2025", lang="vi", today="2025-08-20")
    assert out.splitlines()[0] == ("Tổng kết công tác theo dõi địa bàn cấp xã năm 2025 (số liệu "
                                   "đến ngày 20/08/2025)")
    # A period not begun has nothing to count, and says so.
    result = review_json(data, "--period", "2027")
    assert (result["rows"], result["total"]["cadres"], result["notes"]) == (
        [], 0, ["The period has not begun on 2026-01-20: there is nothing to count yet."])


def test_the_reassignment_credits_each_cadre_with_their_own_part(data: Path) -> None:
    """The library alone: Đại Sảo's Q2 belongs to CB05, whose part is the longer."""
    registers = load_registers(data).registers
    visits = [VisitFact("V-1", date(2025, 4, 20), "CB01", "02068", "working"),
              VisitFact("V-2", date(2025, 6, 10), "CB05", "02068", "working")]
    result = review(registers, visits, None, [], parse_period("2025-Q2"), date(2026, 1, 1))
    rows = {r["cadre_id"]: r for r in result.rows}
    assert (rows["CB01"]["quarters_expected"], rows["CB01"]["visits"]) == (0, 1)
    assert (rows["CB05"]["quarters_expected"], rows["CB05"]["quarters_met"]) == (1, 1)
    assert parts_of(registers, date(2025, 4, 1), date(2025, 6, 30))[:2] == [
        Part("CB01", "02068", date(2024, 8, 29), date(2025, 5, 14), date(2025, 4, 1),
             date(2025, 5, 14)),
        Part("CB05", "02068", date(2025, 5, 15), None, date(2025, 5, 15), date(2025, 6, 30))]


# --- other groupings -----------------------------------------------------------------------------


def test_the_year_by_commune_agency_and_district(data: Path) -> None:
    communes = review_json(data, "--period", "2025", "--by", "commune")["rows"]
    assert isinstance(communes, list)
    # Below first: Sông Cầu 1/4, Bằng Lũng 3/4; then by code.
    assert [r["commune_code"] for r in communes] == ["01837", "02020", "01834", "02068"]
    rows = by_id(communes, "commune_code")
    # Đại Sảo: CB01's Q1 and CB05's Q2–Q4, 4 of 4; 5 visits by both; the commune's
    # longest gap, visits by anyone: 05/08->12/11, 99 days.
    assert (rows["02068"]["cadre_ids"], rows["02068"]["visits"], rows["02068"]["quarters_met"],
            rows["02068"]["quarters_expected"], rows["02068"]["longest_gap_days"]) == (
        ["CB01", "CB05"], 5, 4, 4, 99)
    # Sông Cầu: CB04's visit and CB02's stand-in visit count for the commune (2 visits),
    # but the quarters are CB04's: 1 of 4.  Gaps 282, 10, 72.
    assert (rows["01837"]["visits"], rows["01837"]["quarters_met"],
            rows["01837"]["longest_gap_days"]) == (2, 1, 282)
    agencies = review_json(data, "--period", "2025", "--by", "agency")["rows"]
    assert [r["agency"] for r in agencies] == ["Ban Dân vận Tỉnh ủy", "Báo Bắc Kạn", "Sở Nội vụ",
                                               "Sở Tài chính"]
    finance = by_id(agencies, "agency")["Sở Tài chính"]
    # CB02 and CB03: 8 visits, 7 of 8 quarters, 1 below; communes visited 02020, 01837, 01834.
    assert {k: finance[k] for k in ("cadres", "cadres_below", "communes_followed", "visits",
                                    "communes_visited", "quarters_met", "quarters_expected",
                                    "rhythm_percent", "pending", "planned", "planned_done",
                                    "longest_gap_days")} == {
        "cadres": 2, "cadres_below": 1, "communes_followed": 2, "visits": 8,
        "communes_visited": 3, "quarters_met": 7, "quarters_expected": 8,
        "rhythm_percent": 87.5, "pending": 3, "planned": 3, "planned_done": 2,
        "longest_gap_days": 183}
    districts = review_json(data, "--period", "2025", "--by", "district")["rows"]
    assert [(r["district_code"], r["communes"], r["communes_below"], r["visits"],
             r["quarters_met"], r["quarters_expected"], r["pending"], r["longest_gap_days"])
            for r in districts] == [("058", 2, 1, 6, 5, 8, 0, 282),
                                    ("064", 2, 1, 8, 7, 8, 4, 127)]


# --- formats ------------------------------------------------------------------------------------


def test_csv_ends_with_the_province_total(data: Path) -> None:
    code, out, _err = run(data, "review", "--period", "2025", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["cadre_id"] for r in rows] == ["CB04", "CB02", "CB01", "CB03", "CB05", ""]
    assert rows[1]["communes_followed"] == "02020"
    assert (rows[1]["followed_since"], rows[1]["below_rhythm"]) == ("2024-08-29", "True")
    assert (rows[-1]["cadre_name"], rows[-1]["visits"], rows[-1]["quarters_met"]) == (
        "total", "14", "12")


def test_the_table_in_vietnamese(data: Path) -> None:
    code, out, _err = run(data, "review", "--period", "2025", lang="vi")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Tổng kết công tác theo dõi địa bàn cấp xã năm 2025"
    assert ("Toàn tỉnh: 14 chuyến công tác, 2 lượt dự họp Ban Chấp hành, Ban Thường vụ đảng ủy "
            "xã; 12/16 quý phải có đã có chuyến công tác; 6 khó khăn, đề xuất, kiến nghị được "
            "nêu, 1 đã giải quyết, 4 chưa giải quyết (4 quá hạn); 3/4 chuyến công tác theo kế "
            "hoạch đã thực hiện.") in " ".join(out.split("\n\n")[2:4]).replace("\n", " ")
    first = next(line for line in lines if line.startswith("| CB"))
    assert first.startswith("| CB04")


def test_workbook_and_word_report(data: Path) -> None:
    code, _out, err = run(data, "review", "--period", "2025-H1", "--format", "xlsx",
                          "--output", "so-ket.xlsx", lang="vi")
    assert code == 0, err
    book = openpyxl.load_workbook(data.parent / "so-ket.xlsx")
    sheet = book["Kết quả theo cán bộ"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "Mã cán bộ")
    assert rows[header][:6] == ["Mã cán bộ", "Cán bộ", "Cơ quan, đơn vị",
                                "Xã theo dõi (từ ngày)", "Số chuyến công tác", "Dự họp BCH, BTV"]
    assert rows[header + 1][:8] == ["CB04", "Lý Văn Đức", "Ban Dân vận Tỉnh ủy",
                                    "Phường Sông Cầu (từ 29/08/2024)", 0, 0, 0, 2]
    assert rows[header + 2][3] == "Xã Đại Sảo (29/08/2024–14/05/2025)"
    assert rows[header + 2][-1] == datetime(2025, 4, 20)
    # H1's total: 2 + 2 + 2 + 0 + 1 visits.
    assert rows[-1][1:5] == ["Toàn tỉnh", None, None, 7]
    code, _out, err = run(data, "review", "--period", "2025-H1", "--format", "docx",
                          "--output", "so-ket.docx", lang="vi")
    assert code == 0, err
    word = docx.Document(io.BytesIO((data.parent / "so-ket.docx").read_bytes()))
    texts = [p.text for p in word.paragraphs]
    assert "sơ kết công tác theo dõi địa bàn cấp xã 6 tháng đầu năm 2025" in [
        t.strip() for t in texts]
    cells = [[c.text for c in row.cells] for table in word.tables for row in table.rows]
    # The Word table is the compact one an A4 page holds: no id, figures in pairs.
    assert ["1", "Lý Văn Đức", "Phường Sông Cầu", "0", "0", "0/2", "0", "0/0", "180"] in cells
    assert ["", "Toàn tỉnh", "", "7", "0", "6/8", "4", "1/1", "180"] in cells


def test_the_html_page_draws_a_bar_per_cadre(data: Path, tmp_path: Path) -> None:
    code, _out, err = run(data, "review", "--period", "2025", "--format", "html", "--output",
                          str(tmp_path / "tong-ket.html"), lang="vi")
    assert code == 0, err
    html = (tmp_path / "tong-ket.html").read_text(encoding="utf-8")
    for forbidden in ("http://", "https://", "src=", "href=", "<script", "<link", "<img"):
        assert forbidden not in html.replace("<!DOCTYPE html>", "")
    result = _browser(tmp_path / "tong-ket.html", tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    reader = _Reader()
    reader.feed(result.stdout)
    page = reader.page
    assert page.h1 == "Tổng kết công tác theo dõi địa bàn cấp xã năm 2025"
    # One bar per cadre, 240 px at 100%: CB04 25%, CB02 75%, then 100%.
    assert [(b.label, b.width, b.value) for b in page.bars] == [
        ("Lý Văn Đức", 60.0, "25,0% (1/4)"), ("Nông Văn Bình", 180.0, "75,0% (3/4)"),
        ("Hà Thị Ngần", 240.0, "100,0% (1/1)"), ("Đàm Thị Hoa", 240.0, "100,0% (4/4)"),
        ("Lương Văn Khánh", 240.0, "100,0% (3/3)")]
    [table] = [t for t in page.tables if t["head"] and t["head"][0][0] == "Mã cán bộ"]
    assert table["foot"][0][1] == "Toàn tỉnh"
    assert [row[0] for row in table["body"]] == ["CB04", "CB02", "CB01", "CB03", "CB05"]


# --- the scorecard ----------------------------------------------------------------------------


def test_the_scorecard(data: Path) -> None:
    code, out, err = run(data, "cadre", "show", "luong van khanh", "--period", "2025",
                         "--format", "json")
    assert code == 0, err
    card = json.loads(out)
    assert card["cadre"] == {"id": "CB05", "name": "Lương Văn Khánh", "title": "Phó Giám đốc",
                             "agency": "Sở Nội vụ", "phone": None, "email": None}
    assert card["assignments"] == [{"commune_code": "02068", "commune": "Xã Đại Sảo",
                                    "since": "2025-05-15", "until": None,
                                    "decision": "1391-QĐ/TU"}]
    year = by_id(review_json(data, "--period", "2025")["rows"], "cadre_id")["CB05"]
    assert card["figures"] == year
    assert [(v["date"], v["kind"]) for v in card["visits"]] == [
        ("2025-06-10", "working"), ("2025-08-05", "executive"), ("2025-11-12", "standing")]
    assert [(i["id"], i["status"], i["days"], i["overdue"]) for i in card["items"]] == [
        ("V-20250610-001/K1", "open", 204, True)]
    assert card["plans"] == [{"id": None, "commune_code": "02068", "window": "2025-08-05",
                              "due": True, "done_on": "2025-08-05"}]
    code, out, _err = run(data, "cadre", "show", "CB02", "--period", "2025", lang="vi")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("Kết quả theo dõi địa bàn của đồng chí Nông Văn Bình (CB02): Năm 2025 "
                        "(01/01/2025–31/12/2025)")
    assert any(line.startswith("| Số quý có chuyến/số quý phải có ") and "| 3/4 (75,0%)" in line
               for line in lines)
    assert any("| Thời gian dài nhất không có chuyến công tác | 127 ngày (Thị trấn Bằng Lũng, "
               "05/05/2025–09/09/2025)" in line for line in lines)
    assert any("| Chưa đạt nhịp độ theo yêu cầu" in line and "| có" in line for line in lines)
    assert any("Quý IV/2025" in line and "chưa thực hiện" in line for line in lines)
    assert any("| 20/10/2025 | Phường Sông Cầu" in line and "| có" in line for line in lines)


def test_the_scorecard_refuses_an_unknown_cadre(data: Path) -> None:
    code, _out, err = run(data, "cadre", "show", "CB99", "--period", "2025")
    assert code == 2 and "[cadre-not-found]" in err


def test_no_review_needs_pandas(data: Path) -> None:
    """The review counts in plain Python: pandas stays out of the process."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from theodoi.cli.main import main; "
         f"code = main(['review', '--period', '2025', '--format', 'json', '--data', "
         f"'{data}'], {{'THEODOI_TODAY': '{TODAY}'}}); "
         "print('pandas' in sys.modules, code)"],
        capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-1] == "False 0", done.stderr


# --- the settings --------------------------------------------------------------------------


def test_visits_per_quarter_raises_the_bar(data: Path) -> None:
    """With two visits expected per quarter, no part of 2025 had two visits by its
    cadre in an expected quarter (each had at most one): 0 of 16."""
    from dataclasses import replace

    from theodoi.followup.proposals import load_follow_up
    from theodoi.followup.review import visit_facts
    from theodoi.visits.columns import load_visit_columns
    from theodoi.visits.corrections import load_corrections

    registers = load_registers(data).registers
    registers.settings = replace(registers.settings, visits_per_quarter=2)
    corrections = load_corrections(data)
    columns = load_visit_columns(data, None, corrections=corrections)
    result = review(registers, visit_facts(columns), load_follow_up(data, columns, corrections),
                    [], parse_period("2025"), date(2026, 1, 20))
    assert (result.total["quarters_met"], result.total["quarters_expected"],
            result.total["cadres_below"]) == (0, 16, 5)


def test_settings_are_checked(tmp_path: Path) -> None:
    folder = write_data_folder(tmp_path / "data", settings=(
        "settings:\n  overdue_days: 90\n  term_start: 2024-08-29\n  visits_per_quarter: 0\n"
        "  proposal_overdue_days: một tháng\n"))
    result = invoke("validate", "--data", "data", env={"THEODOI_TODAY": TODAY,
                                                     "THEODOI_LANG": "en"}, cwd=folder.parent)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "data/assignments.yaml:4: error [bad-setting]: setting 'visits_per_quarter': a whole "
        "number of visits above 0",
        "data/assignments.yaml:5: error [bad-setting]: setting 'proposal_overdue_days': a "
        "whole number of days above 0"]
