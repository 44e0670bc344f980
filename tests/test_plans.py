"""The yearly programme: plans/YYYY.yaml, plan add, its checks and its audit.

The small data folder of conftest (02068 Đại Sảo with CB01, 02020 Bằng Lũng
with CB02, ...; all from 29/08/2024), in a real git repository; today is
pinned to 15/01/2025, when the office draws up the year's programme.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import CLERK, committed_office, git_environment, invoke, run_git

TODAY = "2025-01-15"


def git_env() -> dict[str, str]:
    return git_environment(TODAY)


def git(root: Path, *args: str) -> str:
    return run_git(root, *args, env=git_env())


@pytest.fixture
def office(tmp_path: Path) -> Path:
    root = committed_office(tmp_path / "office", git_env())
    return root


def run(office: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = invoke(*args, "--data", str(office / "data"), env={**git_env(), **(env or {})},
                    cwd=office)
    return result.returncode, result.stdout, result.stderr


def test_plan_add_appends_the_programme(office: Path) -> None:
    code, out, err = run(office, "plan", "add", "--cadre", "ha thi ngan", "--commune",
                         "dai sao", "--month", "2025-03", "--note", "Làm việc về nông thôn mới",
                         "--commit")
    assert code == 0, err
    assert out.splitlines()[0] == ("Planned visit PL-2025-001: Hà Thị Ngần (CB01) to Xã Đại Sảo "
                                   "(02068) in March 2025 (data/plans/2025.yaml, line 1).")
    assert run(office, "plan", "add", "--cadre", "CB01", "--commune", "02068", "--quarter",
               "2025-Q2")[0] == 0
    assert run(office, "plan", "add", "--cadre", "CB02", "--commune", "bang lung", "--date",
               "20/02/2025", "--commit")[0] == 0
    stored = yaml.safe_load((office / "data/plans/2025.yaml").read_text(encoding="utf-8"))
    assert [{k: v for k, v in r.items() if k not in ("by", "recorded_at")} for r in stored] == [
        {"id": "PL-2025-001", "cadre": "CB01", "commune": "02068", "month": "2025-03",
         "note": "Làm việc về nông thôn mới"},
        {"id": "PL-2025-002", "cadre": "CB01", "commune": "02068", "quarter": "2025-Q2"},
        {"id": "PL-2025-003", "cadre": "CB02", "commune": "02020", "date": date(2025, 2, 20)}]
    assert stored[0]["by"] == f"{CLERK[0]} <{CLERK[1]}>"
    assert git(office, "log", "-1", "--format=%s") == (
        "Planned visit PL-2025-003: Nông Văn Bình (CB02) to Thị trấn Bằng Lũng in 2025-02-20\n")
    assert run(office, "validate")[0] == 0


def test_plan_add_refusals(office: Path) -> None:
    cases = [
        (("--cadre", "CB01", "--commune", "dai sao"), 2, "[plan-when-missing]"),
        (("--cadre", "CB01", "--commune", "dai sao", "--month", "2025-03", "--quarter",
          "2025-Q1"), 2, "[plan-when-missing]"),
        # CB01 follows Đại Sảo, not Bằng Lũng (CB02's).
        (("--cadre", "CB01", "--commune", "bang lung", "--month", "2025-03"), 2,
         "[plan-cadre-not-assigned]"),
        # Before the assignments began on 29/08/2024, nobody followed Đại Sảo.
        (("--cadre", "CB01", "--commune", "dai sao", "--month", "2024-07"), 2,
         "[plan-cadre-not-assigned]"),
        (("--cadre", "CB09", "--commune", "dai sao", "--month", "2025-03"), 2,
         "[cadre-not-found]"),
    ]
    for args, exit_code, check in cases:
        code, _out, err = run(office, "plan", "add", *args)
        assert (code, check in err) == (exit_code, True), (args, err)
    assert not (office / "data/plans").exists()
    code, _out, err = run(office, "plan", "add", "--cadre", "CB01", "--commune", "bang lung",
                          "--month", "2025-03")
    assert "(it is followed by Nông Văn Bình)" in err
    code, _out, err = run(office, "plan", "add", "--cadre", "CB01", "--commune", "dai sao",
                          "--month", "13/2025")
    assert code == 2 and "is not a month (use 2026-03)" in " ".join(err.split())
    assert run(office, "plan", "add", "--cadre", "CB01", "--commune", "dai sao", "--month",
               "03/2025")[0] == 0
    code, _out, err = run(office, "plan", "add", "--cadre", "CB01", "--commune", "02068",
                          "--month", "2025-03")
    assert code == 2 and "[plan-already-planned]" in err
    assert "(PL-2025-001, data/plans/2025.yaml:1)" in err


def test_a_hand_written_programme_is_checked(office: Path) -> None:
    plans = office / "data/plans"
    plans.mkdir()
    (plans / "2025.yaml").write_text(
        '- cadre: CB01\n  commune: "02068"\n  month: 2025-03\n'
        '- cadre: CB02\n  commune: "02020"\n'
        '- cadre: CB02\n  commune: "02020"\n  quarter: 2026-Q1\n'
        '- cadre: CB07\n  commune: "02068"\n  date: 2025-04-02\n', encoding="utf-8")
    (plans / "ke-hoach.yaml").write_text("[]\n", encoding="utf-8")
    code, out, _err = run(office, "validate")
    assert code == 1
    lines = out.splitlines()
    assert ("data/plans/2025.yaml:4: error [plan-bad-when]: a planned visit gives exactly one of "
            "'month' (2026-03), 'quarter' (2026-Q1) or 'date' (2026-03-15), within the file's "
            "year 2025") in lines
    assert ("data/plans/2025.yaml:8: error [plan-bad-when]: a planned visit gives exactly one of "
            "'month' (2026-03), 'quarter' (2026-Q1) or 'date' (2026-03-15), within the file's "
            "year 2025 (quarter: 2026-Q1)") in lines
    assert ("data/plans/2025.yaml:9: error [unknown-cadre]: unknown cadre id CB07 (not in "
            "cadres.csv)") in lines
    assert ("data/plans/ke-hoach.yaml: error [misnamed-plan-file]: plan files are named "
            "plans/YYYY.yaml (e.g. plans/2026.yaml); this file is not read") in lines


def test_a_planned_visit_changed_afterwards_is_a_finding(office: Path) -> None:
    run(office, "plan", "add", "--cadre", "CB01", "--commune", "dai sao", "--month", "2025-03",
        "--commit")
    path = office / "data/plans/2025.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2025-03", "2025-06"),
                    encoding="utf-8")
    code, out, _err = run(office, "audit")
    assert code == 1
    assert "data/plans/2025.yaml: PL-2025-001: changed after it was written (month)" in out
    # Adding to the programme is not a change of what was written.
    git(office, "checkout", "--", "data/plans/2025.yaml")
    run(office, "plan", "add", "--cadre", "CB02", "--commune", "bang lung", "--quarter",
        "2025-Q2", "--commit")
    assert run(office, "audit")[0] == 0
