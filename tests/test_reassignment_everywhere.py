"""Across a replacement, a swap and a vacancy, every command counts the assignment in
force on each date: `visit add` defaults, `coverage` and `overdue`.

The small data folder (conftest), term from 29/08/2024: 02068 Xã Đại Sảo CB01,
02020 Thị trấn Bằng Lũng CB02, 01834 CB03, 01837 CB04; CB05 Triệu Văn Toàn has
no commune until the replacement of 15/03/2025 (decision 1520-QĐ/TU).
Every figure below was counted by hand from those dates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SMALL_CADRES, write_data_folder

from theodoi.cli.main import main

CADRES = [*SMALL_CADRES, "CB05,Triệu Văn Toàn,Phó Giám đốc,Sở Nội vụ,,"]


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEODOI_TODAY", "2025-06-30")
    monkeypatch.delenv("THEODOI_DATA", raising=False)
    monkeypatch.delenv("THEODOI_LANG", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--lang", "en"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_data_folder(tmp_path / "data", cadres=CADRES)


def change(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> None:
    code, _out, err = run(capsys, *args, "--data", str(data))
    assert code == 0, err


def replace_dai_sao(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    change(capsys, data, "assign", "--commune", "02068", "--cadre", "CB05",
           "--since", "2025-03-15", "--decision", "1520-QĐ/TU, 15/03/2025")


def recorded_cadre(capsys: pytest.CaptureFixture[str], data: Path, commune: str,
                   day: str) -> str:
    """Record a visit without --cadre; return the cadre stored."""
    code, _out, err = run(capsys, "visit", "add", "--data", str(data), "--commune", commune,
                          "--date", day)
    assert code == 0, err
    code, out, _ = run(capsys, "visit", "list", "--data", str(data), "--commune", commune,
                       "--from", day, "--to", day, "--format", "json")
    visits = json.loads(out)
    return str(visits[0]["cadre_id"])


def test_visit_add_defaults_to_the_cadre_in_force_on_the_visit_date(capsys, data: Path) -> None:
    replace_dai_sao(capsys, data)
    assert recorded_cadre(capsys, data, "02068", "2025-03-14") == "CB01"
    assert recorded_cadre(capsys, data, "02068", "2025-03-15") == "CB05"
    assert recorded_cadre(capsys, data, "02068", "2025-03-16") == "CB05"


def test_visit_add_defaults_across_a_swap(capsys, data: Path) -> None:
    change(capsys, data, "swap", "CB01", "CB02", "--since", "2025-03-15")
    assert recorded_cadre(capsys, data, "02068", "2025-03-14") == "CB01"
    assert recorded_cadre(capsys, data, "02068", "2025-03-15") == "CB02"
    assert recorded_cadre(capsys, data, "02020", "2025-03-14") == "CB02"
    assert recorded_cadre(capsys, data, "02020", "2025-03-15") == "CB01"


def test_visit_add_on_a_vacant_commune_asks_who_went(capsys, data: Path) -> None:
    change(capsys, data, "vacate", "--commune", "02068", "--since", "2025-03-15")
    assert recorded_cadre(capsys, data, "02068", "2025-03-14") == "CB01"
    code, _out, err = run(capsys, "visit", "add", "--data", str(data), "--commune", "02068",
                          "--date", "2025-03-15")
    assert code == 2
    assert "has no cadre on 2025-03-15 (the post is vacant since 2025-03-15)" in err


def overdue_rows(capsys: pytest.CaptureFixture[str], data: Path, as_of: str
                 ) -> list[tuple[str, str | None, int]]:
    code, out, err = run(capsys, "overdue", "--data", str(data), "--as-of", as_of,
                         "--days", "90", "--format", "json")
    assert code == 0, err
    return [(r["commune_code"], r["cadre_id"], r["days"]) for r in json.loads(out)["rows"]]


def test_overdue_across_a_replacement(capsys, data: Path) -> None:
    replace_dai_sao(capsys, data)
    # 29/08/2024 -> 14/03/2025 is 197 days: every commune is overdue, CB01 on Đại Sảo.
    assert overdue_rows(capsys, data, "2025-03-14") == [
        ("01834", "CB03", 197), ("01837", "CB04", 197), ("02020", "CB02", 197),
        ("02068", "CB01", 197)]
    # On 30/04/2025 the others are at 244 days; Đại Sảo's new cadre started 46 days ago.
    assert overdue_rows(capsys, data, "2025-04-30") == [
        ("01834", "CB03", 244), ("01837", "CB04", 244), ("02020", "CB02", 244)]
    # 15/03 + 91 days = 14/06/2025: the new cadre is overdue too, under his own name.
    assert overdue_rows(capsys, data, "2025-06-14")[-1] == ("02068", "CB05", 91)


def test_overdue_across_a_swap(capsys, data: Path) -> None:
    change(capsys, data, "swap", "CB01", "CB02", "--since", "2025-03-15")
    assert overdue_rows(capsys, data, "2025-04-30") == [("01834", "CB03", 244),
                                                        ("01837", "CB04", 244)]
    assert overdue_rows(capsys, data, "2025-06-14")[-2:] == [("02020", "CB01", 91),
                                                             ("02068", "CB02", 91)]


def coverage_rows(capsys: pytest.CaptureFixture[str], data: Path, by: str, period: str
                  ) -> list[dict[str, object]]:
    code, out, err = run(capsys, "coverage", "--data", str(data), "--by", by,
                         "--period", period, "--format", "json")
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)["rows"]
    return rows


def test_coverage_across_a_replacement(capsys, data: Path) -> None:
    assert recorded_cadre(capsys, data, "02068", "2025-03-10") == "CB01"
    replace_dai_sao(capsys, data)
    assert recorded_cadre(capsys, data, "02068", "2025-03-20") == "CB05"
    # Q1 2025: both cadres followed Đại Sảo for part of the quarter, one visit each.
    by_cadre = {r["cadre_id"]: (r["communes_followed"], r["visits"], r["last_visit"])
                for r in coverage_rows(capsys, data, "cadre", "2025-Q1")}
    assert by_cadre["CB01"] == (["02068"], 1, "2025-03-10")
    assert by_cadre["CB05"] == (["02068"], 1, "2025-03-20")
    # Q4 2024: CB05 followed nothing yet and made no visit, so is not listed.
    assert "CB05" not in {r["cadre_id"] for r in coverage_rows(capsys, data, "cadre",
                                                                "2024-Q4")}
    # Per commune, the cadre named is the one in force at the period's end.
    by_commune = {r["commune_code"]: r["cadre_id"]
                  for r in coverage_rows(capsys, data, "commune", "2025-W10")}
    assert by_commune["02068"] == "CB01"  # week 10: 03/03-09/03/2025
    by_commune = {r["commune_code"]: r["cadre_id"]
                  for r in coverage_rows(capsys, data, "commune", "2025-Q1")}
    assert by_commune["02068"] == "CB05"
