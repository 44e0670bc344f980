"""Planning a replacement, a swap or a vacancy: pure values, checked by the rules.

The small data folder (conftest): 02068 CB01, 02020 CB02, 01834 CB03,
01837 CB04, all since 29/08/2024 under 1391-QĐ/TU; CB05 and CB06 are added
here without a commune, to be the replacements.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import SMALL_ASSIGNMENTS, SMALL_CADRES, write_data_folder

from theodoi.base.model import Registers
from theodoi.base.periods import DateError
from theodoi.registers.assignments_edit import (
    DecisionRef,
    introduced_errors,
    parse_decision,
    plan_assign,
    plan_swap,
    relevant_days,
    would_be,
)
from theodoi.registers.loader import load_registers

CADRES = [*SMALL_CADRES, "CB05,Triệu Văn Toàn,Phó Giám đốc,Sở Nội vụ,,",
          "CB06,Ma Thị Lan,Phó Trưởng ban,Ban Tuyên giáo Tỉnh ủy,,"]
MARCH_15 = date(2025, 3, 15)


def registers(tmp_path: Path, assignments: list[str] = SMALL_ASSIGNMENTS) -> Registers:
    loaded = load_registers(write_data_folder(tmp_path / "data", cadres=CADRES,
                                              assignments=assignments))
    assert not loaded.unreadable
    return loaded.registers


def summary(entries: list) -> list[tuple[str, str, str, str]]:
    return [(a.commune, a.cadre, a.since.isoformat(), a.until.isoformat() if a.until else "")
            for a in entries]


def test_replacement_ends_the_current_entry_the_day_before(tmp_path: Path) -> None:
    regs = registers(tmp_path)
    plan = plan_assign(regs, "02068", "CB05", MARCH_15)
    assert (plan.refusals, plan.breaches) == ([], [])
    assert [(e.entry.cadre, e.entry.location.line, e.until) for e in plan.ends] == [
        ("CB01", 9, date(2025, 3, 14))]
    assert [(n.entry.commune, n.entry.cadre, n.entry.since, n.after.cadre if n.after else None)
            for n in plan.additions] == [("02068", "CB05", MARCH_15, "CB01")]
    after = would_be(regs, plan)
    assert summary(after.assignments)[:2] == [("02068", "CB01", "2024-08-29", "2025-03-14"),
                                              ("02068", "CB05", "2025-03-15", "")]
    assert after.cadre_of("02068", date(2025, 3, 14)).cadre == "CB01"
    assert after.cadre_of("02068", MARCH_15).cadre == "CB05"


def test_new_cadre_already_following_another_commune_is_a_breach(tmp_path: Path) -> None:
    plan = plan_assign(registers(tmp_path), "02068", "CB02", MARCH_15)
    assert plan.refusals == []
    assert [(p.code, p.params["id"], p.params["first"], p.params["second"])
            for p in plan.breaches] == [("cadre-two-communes", "CB02", "02020", "02068")]
    assert not plan.allowed(force=False)
    assert plan.allowed(force=True)


def test_swap_exchanges_two_communes_in_one_plan(tmp_path: Path) -> None:
    regs = registers(tmp_path)
    plan = plan_swap(regs, "CB01", "CB02", MARCH_15, DecisionRef("1391-QĐ/TU"))
    assert (plan.refusals, plan.breaches) == ([], [])
    assert summary([e.entry for e in plan.ends]) == [("02068", "CB01", "2024-08-29", ""),
                                                     ("02020", "CB02", "2024-08-29", "")]
    assert {e.until for e in plan.ends} == {date(2025, 3, 14)}
    assert summary([n.entry for n in plan.additions]) == [("02068", "CB02", "2025-03-15", ""),
                                                          ("02020", "CB01", "2025-03-15", "")]
    assert {n.entry.decision for n in plan.additions} == {"1391-QĐ/TU"}
    after = would_be(regs, plan)
    assert after.commune_of("CB01", MARCH_15).commune == "02020"
    assert after.commune_of("CB01", date(2025, 3, 14)).commune == "02068"


def test_vacancy_is_planned_without_breach(tmp_path: Path) -> None:
    plan = plan_assign(registers(tmp_path), "02068", "", MARCH_15)
    assert plan.action == "vacate"
    assert (plan.refusals, plan.breaches) == ([], [])
    assert summary([n.entry for n in plan.additions]) == [("02068", "", "2025-03-15", "")]


def test_filling_a_vacancy_ends_the_vacancy(tmp_path: Path) -> None:
    assignments = [
        '{commune: "02068", cadre: CB01, since: 2024-08-29, until: 2025-03-14}',
        '{commune: "02068", cadre: "", since: 2025-03-15}',
        *SMALL_ASSIGNMENTS[1:],
    ]
    plan = plan_assign(registers(tmp_path, assignments), "02068", "CB05", date(2025, 4, 1))
    assert (plan.refusals, plan.breaches) == ([], [])
    assert summary([e.entry for e in plan.ends]) == [("02068", "", "2025-03-15", "")]
    assert plan.ends[0].until == date(2025, 3, 31)


@pytest.mark.parametrize(("commune", "cadre", "since", "code"), [
    ("99999", "CB05", MARCH_15, "commune-not-registered"),
    ("02068", "CB99", MARCH_15, "cadre-not-registered"),
    ("02068", "CB01", MARCH_15, "nothing-to-change"),
    ("02068", "CB05", date(2024, 8, 29), "begins-same-day"),
])
def test_refusals(tmp_path: Path, commune: str, cadre: str, since: date, code: str) -> None:
    plan = plan_assign(registers(tmp_path), commune, cadre, since)
    assert [p.code for p in plan.refusals] == [code]
    assert not plan.allowed(force=True)  # --force does not override a refusal


def test_usage_mistakes_are_told_apart(tmp_path: Path) -> None:
    regs = registers(tmp_path)
    # The registry says which refusals are the command line's (exit 2).
    assert plan_assign(regs, "02068", "CB99", MARCH_15).exit_code == 2
    assert plan_swap(regs, "CB01", "CB01", MARCH_15).exit_code == 2
    assert plan_assign(regs, "02068", "CB01", MARCH_15).exit_code == 1


def test_vacating_a_vacant_commune_is_refused(tmp_path: Path) -> None:
    assignments = ['{commune: "02068", cadre: "", since: 2024-08-29}', *SMALL_ASSIGNMENTS[1:]]
    plan = plan_assign(registers(tmp_path, assignments), "02068", "", MARCH_15)
    assert [p.code for p in plan.refusals] == ["nothing-to-change"]


def test_swap_refusals(tmp_path: Path) -> None:
    regs = registers(tmp_path)
    assert [p.code for p in plan_swap(regs, "CB01", "CB05", MARCH_15).refusals] == [
        "no-commune-to-swap"]
    assert [p.code for p in plan_swap(regs, "CB01", "CB01", MARCH_15).refusals] == [
        "same-cadre"]
    assert [p.code for p in plan_swap(regs, "CB01", "CB02", date(2024, 8, 29)).refusals] == [
        "begins-same-day", "begins-same-day"]


def test_decisions(tmp_path: Path) -> None:
    regs = registers(tmp_path)
    known = plan_assign(regs, "02068", "CB05", MARCH_15, DecisionRef("1391-QĐ/TU"))
    assert known.new_decision is None and known.additions[0].entry.decision == "1391-QĐ/TU"
    new = plan_assign(regs, "02068", "CB05", MARCH_15, DecisionRef("1520-QĐ/TU", MARCH_15))
    assert (new.new_decision.number, new.new_decision.date) == ("1520-QĐ/TU", MARCH_15)
    assert would_be(regs, new).decisions["1520-QĐ/TU"].date == MARCH_15
    undated = plan_assign(regs, "02068", "CB05", MARCH_15, DecisionRef("1520-QĐ/TU"))
    assert [p.code for p in undated.refusals] == ["decision-without-date"]
    wrong_date = plan_assign(regs, "02068", "CB05", MARCH_15,
                             DecisionRef("1391-QĐ/TU", date(2024, 8, 30)))
    assert [p.code for p in wrong_date.refusals] == ["decision-date-differs"]


@pytest.mark.parametrize(("text", "number", "day"), [
    ("1520-QĐ/TU, 15/03/2025", "1520-QĐ/TU", MARCH_15),
    ("1520-QĐ/TU,2025-03-15", "1520-QĐ/TU", MARCH_15),
    ("1520-QĐ/TU ngày 15/3/2025", "1520-QĐ/TU", MARCH_15),
    ("1520-QĐ/TU, ngày 15 tháng 3 năm 2025", "1520-QĐ/TU", MARCH_15),
    ("  1520-QĐ/TU  ", "1520-QĐ/TU", None),
    ("1520-Q\u0110/TU", "1520-QĐ/TU", None),
])
def test_parse_decision(text: str, number: str, day: date | None) -> None:
    assert parse_decision(text) == DecisionRef(number, day)


@pytest.mark.parametrize("text", ["1520-QĐ/TU, 31/02/2025", "1520-QĐ/TU, hôm qua", ", 15/03/2025"])
def test_parse_decision_refuses_unreadable_dates(text: str) -> None:
    with pytest.raises(DateError):
        parse_decision(text)


def test_retroactive_replacement_overlapping_a_later_one_is_a_breach(tmp_path: Path) -> None:
    assignments = [
        '{commune: "02068", cadre: CB01, since: 2024-08-29, until: 2025-03-14}',
        '{commune: "02068", cadre: CB05, since: 2025-03-15}',
        *SMALL_ASSIGNMENTS[1:],
    ]
    plan = plan_assign(registers(tmp_path, assignments), "02068", "CB06", date(2025, 1, 1))
    assert [(p.code, p.params["code"]) for p in plan.breaches] == [
        ("overlapping-assignments", "02068")]


def test_errors_already_there_are_not_blamed_on_the_change(tmp_path: Path) -> None:
    # 02020 loses its cadre on 01/07/2025 in the data already: not this change's doing.
    assignments = [SMALL_ASSIGNMENTS[0],
                   '{commune: "02020", cadre: CB02, since: 2024-08-29, until: 2025-06-30}',
                   *SMALL_ASSIGNMENTS[2:]]
    regs = registers(tmp_path, assignments)
    plan = plan_assign(regs, "02068", "CB05", MARCH_15)
    assert (plan.refusals, plan.breaches) == ([], [])
    # The error is there, before and after, on 01/07/2025: one of the days checked.
    after = would_be(regs, plan)
    assert date(2025, 7, 1) in relevant_days(regs, after, MARCH_15)
    assert introduced_errors(regs, after, MARCH_15) == []
    # Replacing the cadre of 02020 from 01/07/2025 on would fill that gap: no error either.
    filled = plan_assign(regs, "02020", "CB05", date(2025, 7, 1))
    assert (filled.refusals, filled.breaches, filled.ends) == ([], [], [])


def test_relevant_days_are_the_boundaries_from_the_change_on(tmp_path: Path) -> None:
    assignments = [
        '{commune: "02068", cadre: CB01, since: 2024-08-29, until: 2025-06-30}',
        '{commune: "02068", cadre: CB05, since: 2025-07-01}',
        *SMALL_ASSIGNMENTS[1:],
    ]
    regs = registers(tmp_path, assignments)
    assert relevant_days(regs, regs, MARCH_15) == [MARCH_15, date(2025, 7, 1)]
    assert relevant_days(regs, regs, date(2024, 8, 1)) == [date(2024, 8, 1), date(2024, 8, 29),
                                                          date(2025, 7, 1)]
