"""communes.csv with units over time, units without districts and the office's groups."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from conftest import invoke, write_data_folder

from theodoi.registers.loader import load_registers

EN = {"THEODOI_LANG": "en", "THEODOI_TODAY": "2025-12-31"}
HEADER = "code,name,kind,district_code,district_name,since,until,successor,group"
# 02014 names Dương Phong until 30/06/2025 and Bạch Thông after; Đại Sảo joins Yên Phong.
UNITS = [
    "02014,Xã Dương Phong,xã,063,Huyện Bạch Thông,,2025-06-30,02014,",
    "02068,Xã Đại Sảo,xã,064,Huyện Chợ Đồn,,2025-06-30,02083,",
    "02083,Xã Yên Phong,xã,064,Huyện Chợ Đồn,,2025-06-30,02083,",
    "02014,Xã Bạch Thông,xã,,,2025-07-01,,,Cụm phía Đông",
    "02083,Xã Yên Phong,xã,,,2025-07-01,,,Cụm phía Tây",
    "22950,Đặc khu Thử,đặc khu,,,2025-07-01,,,",
]
CADRES = ["CB01,Hà Thị Ngần,Tổng biên tập,Báo Bắc Kạn,,",
          "CB02,Nông Văn Bình,Giám đốc,Sở Tài chính,,",
          "CB03,Đàm Thị Hoa,Phó Giám đốc,Sở Tài chính,,"]
ASSIGNMENTS = [
    '{commune: "02014", cadre: CB01, since: 2024-08-29, until: 2025-06-30}',
    '{commune: "02068", cadre: CB02, since: 2024-08-29, until: 2025-06-30}',
    '{commune: "02083", cadre: CB03, since: 2024-08-29, until: 2025-06-30}',
    '{commune: "02014", cadre: CB01, since: 2025-07-01}',
    '{commune: "02083", cadre: CB02, since: 2025-07-01}',
    '{commune: "22950", cadre: CB03, since: 2025-07-01}',
]


def _folder(tmp_path: Path, units: list[str] = UNITS) -> Path:
    data = write_data_folder(tmp_path / "data", communes=[], cadres=CADRES,
                             assignments=ASSIGNMENTS)
    (data / "communes.csv").write_text("\n".join([HEADER, *units]) + "\n", encoding="utf-8")
    return data


def test_a_code_is_read_on_a_date(tmp_path: Path) -> None:
    loaded = load_registers(_folder(tmp_path))
    assert loaded.problems == []
    registers = loaded.registers
    assert len(registers.units) == 6
    assert registers.unit_of("02014", date(2025, 6, 30)).name == "Xã Dương Phong"
    assert registers.unit_of("02014", date(2025, 7, 1)).name == "Xã Bạch Thông"
    assert registers.unit_of("02068", date(2025, 7, 1)) is None
    assert registers.communes["02014"].name == "Xã Bạch Thông"  # the latest, for names
    assert sorted(registers.communes_on(date(2025, 6, 30))) == ["02014", "02068", "02083"]
    assert sorted(registers.communes_on(date(2025, 7, 1))) == ["02014", "02083", "22950"]
    assert registers.communes["22950"].kind == "đặc khu"


def test_validate_is_clean_on_both_sides(tmp_path: Path) -> None:
    data = _folder(tmp_path)
    text = (data / "assignments.yaml").read_text(encoding="utf-8")
    (data / "assignments.yaml").write_text(text.replace(
        "settings:\n", "settings:\n  office:\n    place: Thái Nguyên\n", 1), encoding="utf-8")
    for day, counts in (("2025-06-30", "3 communes, 3 cadres following them, 3 assignments"),
                        ("2025-07-01", "3 communes, 3 cadres following them, 3 assignments")):
        result = invoke("validate", "--data", str(data), "--as-of", day, env=EN)
        assert result.returncode == 0, result.stdout
        assert result.stdout == f"{counts} in force on {day}.\nNo problems found.\n"


def test_two_rows_of_one_code_must_not_overlap(tmp_path: Path) -> None:
    units = [*UNITS[:3], "02014,Xã Bạch Thông,xã,,,2025-06-15,,,", *UNITS[4:]]
    loaded = load_registers(_folder(tmp_path, units))
    # The second row is left out, so Dương Phong's successor is missing too.
    assert [(p.code, p.location.line, p.params.get("first")) for p in loaded.problems] == [
        ("duplicate-commune", 5, 2), ("bad-successor", 2, None)]


def test_coverage_by_group_and_the_fallback_from_district(tmp_path: Path) -> None:
    data = _folder(tmp_path)
    visits = data / "visits" / "2025"
    visits.mkdir(parents=True)
    (visits / "2025-03-03.yaml").write_text(
        '- id: V-20250303-001\n  date: 2025-03-03\n  cadre: CB02\n  commune: "02068"\n',
        encoding="utf-8")
    (visits / "2025-09-09.yaml").write_text(
        '- id: V-20250909-001\n  date: 2025-09-09\n  cadre: CB03\n  commune: "22950"\n',
        encoding="utf-8")
    by_group = invoke("coverage", "--data", str(data), "--period", "2025", "--by", "group",
                      "--format", "csv", env=EN)
    assert by_group.returncode == 0, by_group.stderr
    # Đại Sảo's visit of 03/03 counts for Yên Phong (Cụm phía Tây); the đặc khu has no group.
    assert by_group.stdout.splitlines() == [
        "group,communes,communes_visited,percent_covered,visits",
        ",1,1,100.0,1",
        "Cụm phía Tây,1,1,100.0,1",
        "Cụm phía Đông,1,0,0.0,0",
        "total,3,2,66.7,2",
    ]
    fallback = json.loads(invoke("coverage", "--data", str(data), "--period", "2025",
                                 "--format", "json", env=EN).stdout)
    assert fallback["by"] == "group" and fallback["notes"][0].endswith(
        "they are grouped by the 'group' column of communes.csv.")
    # Before the reform the units have districts: by district, as always.
    before = list(csv.DictReader(io.StringIO(invoke(
        "coverage", "--data", str(data), "--period", "2025-H1", "--format", "csv",
        env=EN).stdout)))
    assert [(r["district_code"], r["communes"], r["visits"]) for r in before] == [
        ("063", "1", "0"), ("064", "2", "1"), ("", "3", "1")]
    table = invoke("coverage", "--data", str(data), "--period", "2025", "--by", "group",
                   env=EN).stdout
    assert "(no group)" in table and "Coverage by group, 2025" in table
