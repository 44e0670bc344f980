"""The assignment rule is a setting: ``communes_per_cadre`` and ``cadres_per_commune``.

After the reform provinces assign a leader several communes (Quảng Ngãi,
10/2025: 2 to 8 each).  conftest's small folder (four communes, four cadres)
is used with the settings changed; every expected figure is counted by hand.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from conftest import invoke, write_data_folder

from theodoi.registers.loader import load_registers
from theodoi.registers.rules import check_registers

TODAY = {"THEODOI_TODAY": "2024-09-20", "THEODOI_LANG": "en"}
SETTINGS = "settings:\n  overdue_days: 90\n  term_start: 2024-08-29\n"

# CB01 follows three communes; CB02 and CB03 share Phường Sông Cầu; CB04 follows none.
THREE_FOR_CB01 = [
    '{commune: "02068", cadre: CB01, since: 2024-08-29}',
    '{commune: "02020", cadre: CB01, since: 2024-08-29}',
    '{commune: "01834", cadre: CB01, since: 2024-08-29}',
    '{commune: "01837", cadre: CB02, since: 2024-08-29}',
    '{commune: "01837", cadre: CB03, since: 2024-09-01}',
]


def _folder(tmp_path: Path, per_cadre: str, per_commune: str,
            assignments: list[str] = THREE_FOR_CB01) -> Path:
    settings = (SETTINGS + f"  communes_per_cadre: {per_cadre}\n"
                f"  cadres_per_commune: {per_commune}\n")
    return write_data_folder(tmp_path / "data", assignments=assignments, settings=settings)


def _codes(data: Path, day: date = date(2024, 9, 20)) -> list[str]:
    loaded = load_registers(data)
    assert not loaded.problems
    return sorted(p.code for p in check_registers(loaded.registers, day) if p.is_error)


def test_a_cadre_following_three_communes_validates_with_three_and_not_with_two(
        tmp_path: Path) -> None:
    assert _codes(_folder(tmp_path / "a", "3", "2")) == []
    assert _codes(_folder(tmp_path / "b", "any", "any")) == []
    assert _codes(_folder(tmp_path / "c", "2", "2")) == ["too-many-communes"]
    # The one-to-one rule of Bắc Kạn (the default) says it the old way, pair by pair.
    assert _codes(_folder(tmp_path / "d", "1", "1")) == [
        "cadre-two-communes", "cadre-two-communes", "cadre-two-communes",
        "overlapping-assignments"]


def test_the_validate_command_names_the_line_and_the_limit(tmp_path: Path) -> None:
    data = _folder(tmp_path, "2", "1")
    result = invoke("validate", "--data", str(data), env=TODAY)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        f"{data}/assignments.yaml:11: error [too-many-communes]: cadre Hà Thị Ngần (CB01) "
        "follows 3 communes at once from 2024-08-29, more than the 2 that 'communes_per_cadre' "
        "allows: Phường Nguyễn Thị Minh Khai (01834), Thị trấn Bằng Lũng (02020), Xã Đại Sảo "
        "(02068)",
        f"{data}/assignments.yaml:15: error [overlapping-assignments]: commune 01837 has two "
        "assignments in force from 2024-09-01 (the other one is on line 14); end the earlier "
        "one with 'until'",
    ]


def test_before_a_second_cadre_begins_one_commune_has_one(tmp_path: Path) -> None:
    data = _folder(tmp_path, "3", "1")
    # CB03 joins 01837 on 01/09: before that day the rule of one cadre holds.
    loaded = load_registers(data).registers
    assert [p.code for p in check_registers(loaded, date(2024, 8, 30)) if p.is_error] == [
        "overlapping-assignments"]  # reported once, for the entry that begins the overlap
    assert loaded.settings.communes_per_cadre == 3
    assert loaded.settings.cadres_per_commune == 1


def test_a_bad_limit_is_a_setting_problem(tmp_path: Path) -> None:
    data = _folder(tmp_path, "0", "many")
    loaded = load_registers(data)
    assert [(p.code, p.location.line, p.params["key"]) for p in loaded.problems] == [
        ("bad-setting", 4, "communes_per_cadre"), ("bad-setting", 5, "cadres_per_commune")]


def test_overdue_lists_a_commune_once_with_all_its_cadres(tmp_path: Path) -> None:
    data = _folder(tmp_path, "3", "2")
    result = invoke("overdue", "--data", str(data), "--as-of", "2024-12-31", "--format",
                    "json", env=TODAY)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    # No visit at all: every commune is overdue, counted from its first assignment
    # (29/08: 124 days); Sông Cầu, whose first cadre began on 29/08 too, once.
    assert [(r["commune_code"], r["cadre_id"], r["cadre_name"], r["since"], r["days"])
            for r in rows] == [
        ("01834", "CB01", "Hà Thị Ngần", "2024-08-29", 124),
        ("01837", "CB02; CB03", "Nông Văn Bình; Đàm Thị Hoa", "2024-08-29", 124),
        ("02020", "CB01", "Hà Thị Ngần", "2024-08-29", 124),
        ("02068", "CB01", "Hà Thị Ngần", "2024-08-29", 124),
    ]
    assert rows[1]["agency"] == "Sở Tài chính"  # both work there: said once


def test_coverage_by_cadre_counts_each_cadres_communes(tmp_path: Path) -> None:
    data = _folder(tmp_path, "3", "2")
    (data / "visits" / "2024").mkdir(parents=True)
    (data / "visits" / "2024" / "2024-09-10.yaml").write_text(
        '- id: V-20240910-001\n  date: 2024-09-10\n  cadre: CB01\n  commune: "02068"\n'
        '- id: V-20240910-002\n  date: 2024-09-10\n  cadre: CB01\n  commune: "02020"\n',
        encoding="utf-8")
    result = invoke("coverage", "--data", str(data), "--period", "2024-Q3", "--by", "cadre",
                    "--format", "csv", env=TODAY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "cadre_id,cadre_name,title,agency,communes_followed,visits,communes_visited,last_visit,"
        "communes_followed_count",
        "CB01,Hà Thị Ngần,Tổng biên tập,Báo Bắc Kạn,01834;02020;02068,2,2,2024-09-10,3",
        "CB02,Nông Văn Bình,Giám đốc,Sở Tài chính,01837,0,0,,1",
        "CB03,Đàm Thị Hoa,Phó Giám đốc,Sở Tài chính,01837,0,0,,1",
    ]


def test_visit_add_with_several_cadres_needs_to_know_who_went(tmp_path: Path) -> None:
    data = _folder(tmp_path, "3", "2")
    refused = invoke("visit", "add", "--data", str(data), "--commune", "song cau", "--date",
                     "2024-09-15", env=TODAY)
    assert refused.returncode == 2
    assert refused.stderr == (
        "theodoi: error [several-cadres]: Phường Sông Cầu is followed by several cadres on "
        "2024-09-15; say who went with --cadre:\n"
        "  CB02 Nông Văn Bình (Giám đốc, Sở Tài chính)\n"
        "  CB03 Đàm Thị Hoa (Phó Giám đốc, Sở Tài chính)\n")
    assert not (data / "visits").exists()
    done = invoke("visit", "add", "--data", str(data), "--commune", "song cau", "--date",
                  "2024-09-15", "--cadre", "CB03", env=TODAY)
    assert done.returncode == 0, done.stderr
    text = (data / "visits" / "2024" / "2024-09-15.yaml").read_text(encoding="utf-8")
    assert "cadre: CB03" in text and "substitute" not in text
    # Before CB03 began (01/09), CB02 alone followed it: the default cadre again.
    alone = invoke("visit", "add", "--data", str(data), "--commune", "01837", "--date",
                   "2024-08-30", env=TODAY)
    assert alone.returncode == 0, alone.stderr
    assert "cadre: CB02" in (data / "visits" / "2024" / "2024-08-30.yaml").read_text(
        encoding="utf-8")


def test_visit_add_asks_in_a_terminal(tmp_path: Path) -> None:
    """In a real terminal (a pseudo-terminal), the clerk picks the cadre by number."""
    from terminal import Terminal

    data = _folder(tmp_path, "3", "2")
    clerk = Terminal("visit", "add", "--data", str(data), "--commune", "01837", "--date",
                     "2024-09-15", "--lang", "en", env=TODAY)
    offered = clerk.expect("Cadre who went [1]: ")
    clerk.answer("2")
    code, _out = clerk.finish()
    assert code == 0, clerk.seen
    assert "1. CB02" in offered and "2. CB03" in offered
    assert "cadre: CB03" in (data / "visits" / "2024" / "2024-09-15.yaml").read_text(
        encoding="utf-8")


def test_assign_keeps_the_other_cadres_and_replace_ends_one(tmp_path: Path) -> None:
    data = _folder(tmp_path, "3", "2")
    before = (data / "assignments.yaml").read_text(encoding="utf-8")
    # A third cadre would break cadres_per_commune: 2; --replace CB02 makes room.
    refused = invoke("assign", "--data", str(data), "--commune", "01837", "--cadre", "CB04",
                     "--since", "2024-10-01", env=TODAY)
    assert refused.returncode == 1
    assert "[too-many-cadres]" in refused.stderr
    done = invoke("assign", "--data", str(data), "--commune", "01837", "--cadre", "CB04",
                  "--replace", "CB02", "--since", "2024-10-01", env=TODAY)
    assert done.returncode == 0, done.stderr
    after = (data / "assignments.yaml").read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    assert [line for line in new_lines if line not in old_lines] == [
        '  - {commune: "01837", cadre: CB02, since: 2024-08-29, until: 2024-09-30}',
        '  - {commune: "01837", cadre: CB04, since: 2024-10-01}',
    ]
    assert [line for line in old_lines if line not in new_lines] == [
        '  - {commune: "01837", cadre: CB02, since: 2024-08-29}']


def test_swap_exchanges_every_commune_of_the_two_cadres(tmp_path: Path) -> None:
    data = _folder(tmp_path, "3", "2")
    done = invoke("swap", "CB01", "CB02", "--data", str(data), "--since", "2024-10-01",
                  env=TODAY)
    assert done.returncode == 0, done.stderr
    registers = load_registers(data).registers
    on = date(2024, 10, 1)
    assert sorted((a.commune, a.cadre) for a in registers.assignments_on(on)) == [
        ("01834", "CB02"), ("01837", "CB01"), ("01837", "CB03"), ("02020", "CB02"),
        ("02068", "CB02")]
