"""``theodoi demo``: a complete, valid, reproducible data folder with a story in it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import invoke
from loading import recorded_visits, visit_columns, visits_frame

from theodoi.base.problems import Severity, TheodoiError
from theodoi.registers.loader import load_registers
from theodoi.reports.figures import overdue
from theodoi.workspace.demo import create_demo
from theodoi.workspace.validation import validate

TODAY = date(2025, 11, 26)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "demo"
    create_demo(folder, 800, 7, TODAY)
    return folder


def test_a_complete_and_valid_data_folder(demo: Path) -> None:
    assert {"communes.csv", "cadres.csv", "assignments.yaml"} <= set(_files(demo))
    result = validate(demo, TODAY, TODAY)
    assert result.errors == 0, [p.message() for p in result.problems]
    columns = visit_columns(demo)
    assert len(columns) == 800 and not columns.problems
    assert date.fromordinal(min(columns.ints("day"))) >= date(2024, 8, 29)
    assert date.fromordinal(max(columns.ints("day"))) <= TODAY


def test_the_story(demo: Path) -> None:
    registers = load_registers(demo).registers
    visits = recorded_visits(demo)
    visited = {v.commune for v in visits}
    assert 0 < len(set(registers.communes) - visited) < 10  # a few never visited
    assert any(v.substitute for v in visits)
    assert any(v.difficulties for v in visits) and any(v.proposals for v in visits)
    late = [v for v in visits
            if (date.fromisoformat(v.recorded_at[:10]) - v.date).days > 7]
    assert 0 < len(late) < len(visits) // 10
    # One replacement half-way: an assignment that ends, a new cadre who follows on.
    ended = [a for a in registers.assignments if a.until is not None]
    assert len(ended) == 1
    follow_on = registers.cadre_of(ended[0].commune, TODAY)
    assert follow_on is not None and follow_on.cadre not in {a.cadre for a in ended}
    assert follow_on.decision in registers.decisions
    assert len(registers.cadres) == 109


def test_shipped_comments_are_kept(demo: Path) -> None:
    shipped = (Path(__file__).resolve().parent.parent / "data" / "assignments.yaml").read_text(
        encoding="utf-8")
    text = (demo / "assignments.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[:5] == shipped.splitlines()[:5]
    assert (demo / "communes.csv").read_bytes() == (
        Path(__file__).resolve().parent.parent / "data" / "communes.csv").read_bytes()


def test_day_files_are_plain_yaml(demo: Path) -> None:
    text = next((demo / "visits").glob("*/*.yaml")).read_text(encoding="utf-8")
    assert "&id" not in text and "*id" not in text  # no anchors between visits


def test_reproducible(tmp_path: Path) -> None:
    create_demo(tmp_path / "a", 200, 3, TODAY)
    create_demo(tmp_path / "b", 200, 3, TODAY)
    create_demo(tmp_path / "c", 200, 4, TODAY)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_refuses_a_folder_with_something_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "notes.txt").write_text("giữ nguyên\n", encoding="utf-8")
    with pytest.raises(TheodoiError):
        create_demo(folder, 10, 1, TODAY)
    assert _files(folder) == {"notes.txt": "giữ nguyên\n".encode()}
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # nothing left beside it


def test_an_empty_folder_is_fine(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    result = create_demo(folder, 10, 1, TODAY)
    assert (result.communes, result.cadres, result.visits) == (108, 109, 10)
    # The same files as in a folder the demo makes itself.
    create_demo(tmp_path / "new", 10, 1, TODAY)
    assert _files(folder) == _files(tmp_path / "new")
    assert validate(folder, TODAY, TODAY).errors == 0


def test_through_the_command_line(tmp_path: Path) -> None:
    env = {"THEODOI_TODAY": "2025-11-26"}
    folder = tmp_path / "demo"
    made = invoke("demo", str(folder), "--visits", "300", "--seed", "5", env=env)
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[0] == (
        f"Đã tạo thư mục dữ liệu mẫu {folder}: 108 xã, 109 cán bộ, 300 chuyến công tác từ "
        "29/08/2024 đến 26/11/2025.")
    listed = invoke("overdue", "--data", str(folder), "--format", "json", env=env)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)["rows"]
    # What the library computes on the same folder, and, by hand: a commune never
    # visited is counted from the term's start, 29/08/2024: 454 days to 26/11/2025.
    registers = load_registers(folder).registers
    expected = overdue(registers, visits_frame(folder), TODAY, 90)
    assert [r["commune_code"] for r in rows] == list(expected.rows["commune_code"])
    assert rows and all(r["days"] > 90 for r in rows)
    assert {r["days"] for r in rows if r["last_visit"] is None} == {454}
    again = invoke("demo", str(folder), "--lang", "en", env=env)
    assert (again.returncode, again.stdout) == (2, "")  # the wrong folder: usage
    assert again.stderr == (f"theodoi: error [folder-not-empty]: {folder}: the folder is not "
                            "empty; give a new or empty folder (theodoi never makes a "
                            "workspace over existing files)\n")
    summary = invoke("summary", "--data", str(folder), "--format", "json", env=env)
    assert json.loads(summary.stdout)["validation"]["ok"] is True


def test_no_visits(tmp_path: Path) -> None:
    result = create_demo(tmp_path / "d", 0, 1, TODAY)
    assert result.visits == 0
    problems = validate(tmp_path / "d", TODAY, TODAY).problems
    assert not [p for p in problems if p.severity is Severity.ERROR]
