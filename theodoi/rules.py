"""Checks across the registers: one short function per rule.

Each rule takes the loaded registers (and the as-of date where it matters)
and returns problems; it reads no files and no clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from theodoi.i18n import N_
from theodoi.model import Assignment, Registers
from theodoi.problems import Problem, error, warning

Rule = Callable[[Registers, date], list[Problem]]


def unknown_references(registers: Registers, as_of: date) -> list[Problem]:
    problems = []
    for a in registers.assignments:
        if a.commune not in registers.communes:
            problems.append(error("unknown-commune", a.location, N_(
                "unknown commune code {code} (not in communes.csv)"), code=a.commune))
        if a.cadre and a.cadre not in registers.cadres:
            problems.append(error("unknown-cadre", a.location, N_(
                "unknown cadre id {id} (not in cadres.csv)"), id=a.cadre))
        if a.decision and registers.decisions and a.decision not in registers.decisions:
            problems.append(error("unknown-decision", a.location, N_(
                "unknown decision {number} (not in the 'decisions' list)"), number=a.decision))
    return problems


def inverted_ranges(registers: Registers, as_of: date) -> list[Problem]:
    return [
        error("inverted-range", a.location, N_(
            "the assignment ends ({until}) before it begins ({since})"),
            until=a.until.isoformat(), since=a.since.isoformat())
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
            problems.append(error("overlapping-assignments", second.location, N_(
                "commune {code} has two assignments in force from {since} (the other one "
                "is on line {other_line}); end the earlier one with 'until'"),
                code=code, since=second.since, other_line=first.location.line))
    for cadre, group in by_cadre.items():
        for first, second in _overlaps(group):
            if first.commune == second.commune:
                continue  # already reported above
            problems.append(error("cadre-two-communes", second.location, N_(
                "cadre {id} would follow two communes at once from {since} ({first} and "
                "{second}; the other assignment is on line {other_line})"),
                id=cadre, since=second.since, first=first.commune,
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
            problems.append(error("commune-without-cadre", commune.location, N_(
                "{name} ({code}) has no cadre assigned on {day}"),
                name=commune.name, code=code, day=as_of))
        elif all(not a.cadre for a in current):
            problems.append(warning("vacancy", current[0].location, N_(
                "{name} ({code}) is vacant since {since}: a replacement is pending"),
                name=commune.name, code=code, since=current[0].since))
    ever_assigned = {a.cadre for a in registers.assignments}
    for cadre in registers.cadres.values():
        if cadre.id not in ever_assigned:
            problems.append(warning("cadre-unassigned", cadre.location, N_(
                "cadre {id} ({name}) is not assigned to any commune"),
                id=cadre.id, name=cadre.name))
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
