"""The reports' fast reader of visits gives what the store's full reader gives:
the same visits, and for a doubtful file the same problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_data_folder
from report_data import VISITS, quarter_data, write_visits

from theodoi.visit_columns import VisitColumns, columns_of, load_visit_columns, visits_in_files
from theodoi.visits_store import load_visits

GOOD = """\
- id: V-20240915-001
  date: 2024-09-15
  cadre: CB01
  commune: "02068"
  difficulties: []
  proposals: []
  recorded_at: '2024-09-15T10:00:00+07:00'
"""

ODD_FILES = {
    # Each of these makes the full reader speak (or read differently): the fast
    # reader must hand the file over rather than guess.
    "2024-09-01": GOOD.replace("20240915", "20240901").replace("09-15", "09-01")
    + "  cadre: CB02\n",  # a key given twice
    "2024-09-02": GOOD.replace("20240915", "20240902").replace("09-15", "09-02")
    .replace('"02068"', "02067"),  # an unquoted code, read as a number
    "2024-09-03": GOOD.replace("20240915", "20240903").replace("09-15", "09-03")
    .replace("cadre: CB01", "cadre: 'CB01 '"),  # spaces around a value
    "2024-09-04": GOOD.replace("20240915", "20240904").replace("09-15", "09-04")
    + "  weather: mưa\n",  # an unknown key
    "2024-09-05": GOOD.replace("20240915", "20240905").replace("09-15", "09-05")
    .replace("  cadre: CB01\n", ""),  # no cadre
    "2024-09-06": GOOD.replace("20240915", "20240906").replace("2024-09-15\n", "2024-02-31\n"),
    "2024-09-07": "- id: [unclosed\n",  # not YAML
    "2024-09-08": GOOD.replace("20240915", "20240908").replace("09-15", "09-08")
    + "  notes: Xa\u0303 Đại Sảo\n",  # decomposed (NFD) text
    "2024-09-09": "# nothing recorded yet\n",
    "2024-09-10": GOOD.replace("20240915", "20240910").replace("2024-09-15\n", "10/09/2024\n"),
    "2024-09-11": "- !!python/object:os.system {}\n",
    "2024-09-12": GOOD.replace("20240915", "20240912").replace("09-15", "09-12")
    .replace("cadre: CB01", "cadre: 123"),  # a number where text belongs
    "2024-09-13": GOOD.replace("20240915", "20240913").replace("09-15", "09-13")
    .replace("difficulties: []", "difficulties: Đường xấu"),  # one text, not a list
    "2024-09-14": GOOD.replace("20240915", "20240914").replace("09-15", "09-14")
    .replace("proposals: []", "proposals: [{a: 1}]"),  # a mapping in a list
    "2024-09-16": "- id: V-20240916-001\n  date: &d 2024-09-16\n  cadre: CB01\n"
    "  commune: \"02068\"\n- id: V-20240916-002\n  date: *d\n  cadre: CB02\n"
    "  commune: \"02020\"\n",  # an anchor and an alias
    "2024-09-17": "[]\n",
    "2024-09-18": "id: V-1\n",  # a mapping, not a list
}


def _visible(columns: VisitColumns) -> list[tuple]:
    return list(zip(columns.id, columns.day, columns.cadre, columns.commune,
                    columns.recorded_at, strict=True))


def _problems(problems: list) -> list[tuple]:
    return sorted((p.code, p.location.file, p.location.line, p.severity) for p in problems)


def test_same_visits_on_good_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = quarter_data(tmp_path / "data")

    def not_needed(path: Path) -> None:
        raise AssertionError(f"{path} was read twice")

    with monkeypatch.context() as patch:  # plain files never need the full reader
        patch.setattr("theodoi.visit_columns.read_day_file_or_problem", not_needed)
        fast = load_visit_columns(data)
    full = load_visits(data)
    assert _visible(fast) == _visible(columns_of(full.visits))
    assert fast.problems == full.problems == []
    assert len(fast.files) == len(VISITS)


def test_same_visits_and_problems_on_odd_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    data = write_data_folder(tmp_path / "data")
    write_visits(data, {**ODD_FILES, "2024-09-15": GOOD})
    monkeypatch.chdir(tmp_path)  # problems name files relative to the working folder
    fast = load_visit_columns(data)
    full = load_visits(data)
    assert _visible(fast) == _visible(columns_of(full.visits))
    assert _problems(fast.problems) == _problems(full.problems)
    assert full.problems  # the odd files are odd indeed


def test_details_are_the_full_readers_visits(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    write_visits(data, {**ODD_FILES, **VISITS})
    columns = load_visit_columns(data)
    details = visits_in_files(columns, range(len(columns.files)))
    assert sorted(details, key=lambda v: v.id) == sorted(load_visits(data).visits,
                                                         key=lambda v: v.id)
