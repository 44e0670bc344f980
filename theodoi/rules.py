"""Checks across the registers: one short function per rule.

Each rule takes the loaded registers (and the as-of date where it matters)
and returns problems; it reads no files and no clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from theodoi import checks
from theodoi.model import Assignment, Registers
from theodoi.problems import Problem, problem

Rule = Callable[[Registers, date], list[Problem]]


def unknown_references(registers: Registers, as_of: date) -> list[Problem]:
    problems = []
    for a in registers.assignments:
        if a.commune not in registers.communes:
            problems.append(problem(checks.UNKNOWN_COMMUNE, a.location, code=a.commune))
        if a.cadre and a.cadre not in registers.cadres:
            problems.append(problem(checks.UNKNOWN_CADRE, a.location, id=a.cadre))
        if a.decision and registers.decisions and a.decision not in registers.decisions:
            problems.append(problem(checks.UNKNOWN_DECISION, a.location, number=a.decision))
    return problems


def inverted_ranges(registers: Registers, as_of: date) -> list[Problem]:
    return [
        problem(checks.INVERTED_RANGE, a.location, until=a.until, since=a.since)
        for a in registers.assignments
        if a.until is not None and a.until < a.since
    ]


def _overlaps(assignments: list[Assignment]) -> list[tuple[Assignment, Assignment]]:
    ordered = sorted((a for a in assignments if a.until is None or a.until >= a.since),
                     key=lambda a: a.since)
    pairs = []
    for i, first in enumerate(ordered):
        for second in ordered[i + 1:]:
            if first.until is not None and second.since > first.until:
                break
            pairs.append((first, second))
    return pairs


def overlapping_ranges(registers: Registers, as_of: date) -> list[Problem]:
    """Two cadres on one commune, or one cadre on two communes, at the same time."""
    by_commune: dict[str, list[Assignment]] = defaultdict(list)
    by_cadre: dict[str, list[Assignment]] = defaultdict(list)
    for a in registers.assignments:
        by_commune[a.commune].append(a)
        if a.cadre:
            by_cadre[a.cadre].append(a)
    problems = []
    for code, group in by_commune.items():
        for first, second in _overlaps(group):
            problems.append(problem(checks.OVERLAPPING_ASSIGNMENTS, second.location, code=code,
                                    since=second.since, other_line=first.location.line))
    for cadre, group in by_cadre.items():
        for first, second in _overlaps(group):
            if first.commune == second.commune:
                continue  # already reported above
            problems.append(problem(checks.CADRE_TWO_COMMUNES, second.location, id=cadre,
                                    since=second.since, first=first.commune,
                                    second=second.commune, other_line=first.location.line))
    return problems


def one_to_one_on_date(registers: Registers, as_of: date) -> list[Problem]:
    """Every commune has a cadre on the as-of date; a pending vacancy is a warning."""
    problems = []
    in_force: dict[str, list[Assignment]] = defaultdict(list)
    for a in registers.assignments_on(as_of):
        in_force[a.commune].append(a)
    for code, commune in registers.communes.items():
        current = in_force.get(code, [])
        if not current:
            problems.append(problem(checks.COMMUNE_WITHOUT_CADRE, commune.location,
                                    name=commune.name, code=code, day=as_of))
        elif all(not a.cadre for a in current):
            problems.append(problem(checks.VACANCY, current[0].location, name=commune.name,
                                    code=code, since=current[0].since))
    ever_assigned = {a.cadre for a in registers.assignments}
    for cadre in registers.cadres.values():
        if cadre.id not in ever_assigned:
            problems.append(problem(checks.CADRE_UNASSIGNED, cadre.location, id=cadre.id,
                                    name=cadre.name))
    return problems


RULES: tuple[Rule, ...] = (
    unknown_references,
    inverted_ranges,
    overlapping_ranges,
    one_to_one_on_date,
)


def check_registers(registers: Registers, as_of: date) -> list[Problem]:
    return [problem for rule in RULES for problem in rule(registers, as_of)]


def coverage_counts(registers: Registers, as_of: date) -> tuple[int, int, int]:
    """(communes, cadres in force, assignments in force) on the date."""
    current = [a for a in registers.assignments_on(as_of) if a.cadre]
    return len(registers.communes), len({a.cadre for a in current}), len(current)
