"""`theodoi validate` over visit files: one test per rule, each with file and line.

Small data (conftest): 02068 Đại Sảo–CB01, 02020 Bằng Lũng–CB02, 01834–CB03,
01837–CB04, all since 29/08/2024.  Today is 20/09/2024.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from theodoi.cli.main import main

TODAY = "2024-09-20"


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEODOI_TODAY", TODAY)


def visit(id_: str, day: str, cadre: str = "CB01", commune: str = "02068",
          extra: str = "") -> str:
    return (f"- id: {id_}\n  date: {day}\n  cadre: {cadre}\n  commune: \"{commune}\"\n"
            f"  kind: working\n{extra}")


def day_file(data: Path, relative: str, text: str) -> None:
    path = data / "visits" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def validate(capsys: pytest.CaptureFixture[str], data: Path,
             lang: str = "en") -> tuple[int, list[dict[str, object]]]:
    code = main(["validate", "--data", str(data), "--as-of", TODAY, "--format", "json",
                 "--lang", lang])
    return code, json.loads(capsys.readouterr().out)


def codes(problems: list[dict[str, object]]) -> list[tuple[str, object, object]]:
    return [(Path(str(p["file"])).name, p["line"], p["code"]) for p in problems]


def test_a_clean_history(capsys, small_data: Path) -> None:
    day_file(small_data, "2024/2024-09-15.yaml",
             visit("V-20240915-001", "2024-09-15")
             + visit("V-20240915-002", "2024-09-15", "CB04", "01837",
                     "  notes: Khảo sát mô hình chuyển đổi số\n"))
    day_file(small_data, "2024/2024-09-16.yaml",
             visit("V-20240916-001", "2024-09-16", "CB02", "02068",
                   "  substitute: Đồng chí Ngần đi học\n"))
    assert validate(capsys, small_data) == (0, [])


def test_visit_in_the_file_of_another_day(capsys, small_data: Path) -> None:
    day_file(small_data, "2024/2024-09-16.yaml", visit("V-20240916-001", "2024-09-16")
             + visit("V-20240915-009", "2024-09-15", "CB02", "02020"))
    code, problems = validate(capsys, small_data)
    assert code == 1
    assert codes(problems) == [("2024-09-16.yaml", 6, "visit-in-wrong-file")]
    assert problems[0]["message"] == (
        "visit V-20240915-009 is dated 2024-09-15 but is in the file of 2024-09-16; move it "
        "to the day file 2024/2024-09-15.yaml")


def test_unknown_cadre_and_commune(capsys, small_data: Path) -> None:
    day_file(small_data, "2024/2024-09-15.yaml", visit("V-20240915-001", "2024-09-15", "CB99")
             + visit("V-20240915-002", "2024-09-15", "CB01", "99999"))
    code, problems = validate(capsys, small_data)
    assert code == 1
    assert codes(problems) == [("2024-09-15.yaml", 1, "unknown-cadre"),
                               ("2024-09-15.yaml", 6, "unknown-commune")]


def test_duplicate_ids_across_files(capsys, small_data: Path) -> None:
    day_file(small_data, "2024/2024-09-15.yaml", visit("V-20240915-001", "2024-09-15"))
    day_file(small_data, "2024/2024-09-16.yaml",
             visit("V-20240916-001", "2024-09-16", "CB02", "02020")
             + visit("V-20240915-001", "2024-09-16"))
    code, problems = validate(capsys, small_data)
    assert code == 1
    assert codes(problems) == [("2024-09-16.yaml", 6, "duplicate-visit-id")]
    assert problems[0]["message"] == (
        f"visit id V-20240915-001 is used twice (first at "
        f"{small_data / 'visits/2024/2024-09-15.yaml'}:1)")


def test_cadre_not_assigned_there_needs_a_substitute_reason(capsys, small_data: Path) -> None:
    day_file(small_data, "2024/2024-08-20.yaml", visit("V-20240820-001", "2024-08-20"))
    day_file(small_data, "2024/2024-09-15.yaml",
             visit("V-20240915-001", "2024-09-15", "CB02", "02068")
             + visit("V-20240915-002", "2024-09-15", "CB03", "02068",
                     "  substitute: Đi thay đồng chí Ngần\n"))
    code, problems = validate(capsys, small_data)
    assert code == 1
    assert codes(problems) == [("2024-08-20.yaml", 1, "visit-by-unassigned-cadre"),
                               ("2024-09-15.yaml", 1, "visit-by-unassigned-cadre")]
    assert problems[1]["message"] == (
        "cadre CB02 did not follow commune 02068 on 2024-09-15 (assigned: CB01); if it was a "
        "stand-in visit, give the reason as 'substitute: ...'")
    assert "(assigned: -)" in str(problems[0]["message"])  # before the decision: nobody


def test_unknown_kind_and_future_date(capsys, small_data: Path) -> None:
    day_file(small_data, "2024/2024-09-15.yaml",
             visit("V-20240915-001", "2024-09-15").replace("kind: working", "kind: picnic"))
    day_file(small_data, "2024/2024-09-21.yaml", visit("V-20240921-001", "2024-09-21"))
    code, problems = validate(capsys, small_data)
    assert code == 1
    assert codes(problems) == [("2024-09-15.yaml", 1, "unknown-kind"),
                               ("2024-09-21.yaml", 1, "future-visit")]
    code, problems = validate(capsys, small_data, lang="vi")
    assert problems[1]["message"] == (
        "chuyến công tác V-20240921-001 ghi ngày 21/09/2024, sau ngày hôm nay (20/09/2024)")


def test_files_in_the_wrong_place_or_with_the_wrong_name(capsys, small_data: Path) -> None:
    good = visit("V-20240915-001", "2024-09-15")
    day_file(small_data, "2024/2024-09-15.yaml", good)
    day_file(small_data, "2023/2024-09-16.yaml", visit("V-20240916-001", "2024-09-16"))
    day_file(small_data, "2024-09-17.yaml", good)
    day_file(small_data, "2024/ghi-chu.yaml", good)
    day_file(small_data, "2024/2024-02-30.yaml", good)
    day_file(small_data, "2024/2024-09-18.yml", good)
    day_file(small_data, "README.md", "Thư mục chuyến công tác\n")
    day_file(small_data, "2024/.2024-09-15.yaml.4242.0badcafe.tmp", "- id: V-2")
    code, problems = validate(capsys, small_data)
    assert code == 1
    assert [(p["file"], p["severity"], p["code"]) for p in problems] == [
        (f"{small_data}/visits/2023/2024-09-16.yaml", "error", "day-file-in-wrong-year"),
        (f"{small_data}/visits/2024-09-17.yaml", "error", "misnamed-visit-file"),
        (f"{small_data}/visits/2024/.2024-09-15.yaml.4242.0badcafe.tmp", "warning",
         "leftover-temporary-file"),
        (f"{small_data}/visits/2024/2024-02-30.yaml", "error", "misnamed-visit-file"),
        (f"{small_data}/visits/2024/2024-09-18.yml", "error", "misnamed-visit-file"),
        (f"{small_data}/visits/2024/ghi-chu.yaml", "error", "misnamed-visit-file"),
        (f"{small_data}/visits/README.md", "warning", "stray-file"),
    ]
    assert problems[0]["message"] == (
        f"this day file is in the wrong year folder and is not read; move it to "
        f"{small_data}/visits/2024/2024-09-16.yaml")


def test_broken_day_file_is_one_problem_and_the_others_are_still_checked(
        capsys, small_data: Path) -> None:
    day_file(small_data, "2024/2024-09-15.yaml", "- id: V-20240915-001\n  date: [\n")
    day_file(small_data, "2024/2024-09-16.yaml", visit("V-20240916-001", "2024-09-16", "CB99"))
    code, problems = validate(capsys, small_data)
    assert code == 1
    assert codes(problems) == [("2024-09-15.yaml", 3, "yaml-syntax"),
                               ("2024-09-16.yaml", 1, "unknown-cadre")]


def test_half_loaded_registers_do_not_flood_visits_with_false_alarms(
        capsys, small_data: Path) -> None:
    (small_data / "cadres.csv").unlink()
    day_file(small_data, "2024/2024-09-15.yaml", visit("V-20240915-001", "2024-09-15")
             + visit("V-20240915-001", "2024-09-15"))
    code, problems = validate(capsys, small_data)
    assert code == 1
    assert ("cadres.csv", None, "file-missing") in codes(problems)
    assert not [p for p in problems if str(p["code"]) in (
        "unknown-cadre", "visit-by-unassigned-cadre")]
    assert ("2024-09-15.yaml", 6, "duplicate-visit-id") in codes(problems)


def test_visits_written_by_visit_add_validate_clean(capsys, small_data: Path) -> None:
    for commune in ("dai sao", "bang lung", "01834", "song cau"):
        assert main(["visit", "add", "--data", str(small_data), "--commune", commune,
                     "--date", "2024-09-15", "--note", "Làm việc: nắm tình hình",
                     "--issue", "- gạch đầu dòng", "--proposal", "# không phải chú thích"]) == 0
    capsys.readouterr()
    assert validate(capsys, small_data) == (0, [])
