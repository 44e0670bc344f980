"""Issue 20, item 5: after the reform, units without a district are listed
together under a neutral heading (never the province's name: Bắc Kạn's 37
units are not Thái Nguyên's 92), and the note on visits carried to the new
units counts only those of the period shown, once.

The workspace is test_reorganise's: the shipped Bắc Kạn data with six visits,
four before 1/7/2025 under old codes (1/2 Yên Phong 02083, 10/3 Đại Sảo 02068,
20/5 Yên Mỹ 02077, 30/6 Dương Phong 02014) and two after it under new codes
(15/7 Yên Phong 02083, 5/8 Bạch Thông 02014), carried with reorganise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SHIPPED_DATA, invoke
from test_reorganise import write_visits

EN = {"THEODOI_LANG": "en", "THEODOI_TODAY": "2026-03-02"}
VI = {"THEODOI_LANG": "vi", "THEODOI_TODAY": "2026-03-02"}


@pytest.fixture(scope="module")
def carried(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("reform") / "data"
    shutil.copytree(SHIPPED_DATA, data)
    write_visits(data)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "init", "-q"], cwd=data, check=True, env=env, timeout=60)
    result = invoke("reorganise", "--data", str(data), "--to", "2025", "--office", env=EN)
    assert result.returncode == 0, result.stderr
    return data


def run(data: Path, *args: str, env: dict[str, str] = EN) -> str:
    result = invoke(*args, "--data", str(data), env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_listed_together_under_a_neutral_heading(carried: Path) -> None:
    table = run(carried, "coverage", "--period", "2025-Q3", env=VI)
    assert "Các xã, phường" in table
    assert "Tỉnh Thái Nguyên" not in table
    data = json.loads(run(carried, "coverage", "--period", "2025-Q3", "--format", "json"))
    assert data["rows"] == [{"group": None, "communes": 37, "communes_visited": 2,
                             "percent_covered": 5.4, "visits": 2}]


def test_the_carried_note_counts_the_period_only(carried: Path) -> None:
    notes = {period: json.loads(run(carried, "coverage", "--period", period,
                                    "--format", "json"))["notes"]
             for period in ("2025", "2025-W27", "2025-Q3")}
    carried_notes = {p: [n for n in found if "former communes" in n]
                     for p, found in notes.items()}
    assert carried_notes["2025"] == [
        "4 visits to 4 former communes, merged into the communes of 2025-07-01, are counted "
        "for the communes they became."]
    # Week 27 (30/06–06/07) holds one visit under an old code, Dương Phong's of 30/06;
    # the three before it are carried too, for the last visits, but not counted.
    assert carried_notes["2025-W27"] == [
        "1 visits to 1 former communes, merged into the communes of 2025-07-01, are counted "
        "for the communes they became."]
    assert carried_notes["2025-Q3"] == []  # both visits of Q3 are under the new codes


def test_the_summary_says_the_note_once_for_its_quarter(carried: Path) -> None:
    """Week 2025-W27 (30/06–06/07): the coverage is of Q3 so far, which no
    carried visit falls in: no note, neither above the coverage nor the
    overdue list; W32 (04/08–10/08) the same."""
    for week in ("2025-W27", "2025-W32"):
        text = run(carried, "summary", "--week", week)
        assert text.count("former communes") == 0, text
