"""Checks across the registers: one short function per rule.

Each rule takes the loaded registers (and the as-of date where it matters)
and returns problems; it reads no files and no clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from theodoi.base import checks
from theodoi.base.checks import Check
from theodoi.base.i18n import N_
from theodoi.base.model import Assignment, Commune, Registers, unit_life
from theodoi.base.problems import Location, Msg, Problem, problem

Rule = Callable[[Registers, date], list[Problem]]


def unknown_references(registers: Registers, as_of: date) -> list[Problem]:
    problems = []
    for a in registers.assignments:
        if a.commune not in registers.communes:
            problems.append(problem(checks.UNKNOWN_COMMUNE, a.location, code=a.commune))
        elif registers.dated:
            unit = _unit_outside(registers, a)
            if unit is not None:
                begins_inside = unit.in_force(a.since)
                advice = Msg(N_("end it on the unit's last day") if begins_inside else N_(
                    "an assignment from that day must name the unit in force then (see "
                    "communes.csv)"))
                problems.append(problem(checks.ASSIGNMENT_OUTSIDE_UNIT, a.location,
                                        code=a.commune, since=a.since, name=unit.name,
                                        span=unit_life(unit), advice=advice))
        if a.cadre and a.cadre not in registers.cadres:
            problems.append(problem(checks.UNKNOWN_CADRE, a.location, id=a.cadre))
        if a.decision and registers.decisions and a.decision not in registers.decisions:
            problems.append(problem(checks.UNKNOWN_DECISION, a.location, number=a.decision))
    return problems


def _unit_outside(registers: Registers, a: Assignment) -> Commune | None:
    """The unit an assignment runs outside of (None: it lies within its unit's life)."""
    unit = registers.unit_of(a.commune, a.since)
    if unit is not None:
        if unit.until is None or (a.until is not None and a.until <= unit.until):
            return None
        return unit
    same_code = sorted((u for u in registers.units if u.code == a.commune),
                       key=lambda u: u.since or date.min)
    before = [u for u in same_code if (u.since or date.min) <= a.since]
    return before[-1] if before else same_code[0]


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
    """Too many cadres on one commune, or communes for one cadre, at the same time
    (the settings' limits; one and one in Bắc Kạn)."""
    by_commune: dict[str, list[Assignment]] = defaultdict(list)
    by_cadre: dict[str, list[Assignment]] = defaultdict(list)
    for a in registers.assignments:
        by_commune[a.commune].append(a)
        if a.cadre:
            by_cadre[a.cadre].append(a)
    settings = registers.settings
    commune, cadre_named = _namer(registers)
    problems = []
    for code, group in by_commune.items():
        shared = []  # two cadres at once: allowed when the limit is above one
        for first, second in _overlaps(group):
            if settings.cadres_per_commune == 1 or not (first.cadre and second.cadre) or (
                    first.cadre == second.cadre):
                problems.append(problem(checks.OVERLAPPING_ASSIGNMENTS, second.location,
                                        code=code, since=second.since,
                                        other_line=first.location.line))
            else:
                shared += [first, second]
        if shared and settings.cadres_per_commune is not None:
            problems += _too_many(list(dict.fromkeys(shared)), settings.cadres_per_commune,
                                  lambda a: a.cadre, checks.TOO_MANY_CADRES, cadre_named,
                                  code=code)
    for cadre, group in by_cadre.items():
        shared = []
        for first, second in _overlaps(group):
            if first.commune == second.commune:
                continue  # already reported above
            if settings.communes_per_cadre == 1:
                problems.append(problem(checks.CADRE_TWO_COMMUNES, second.location, id=cadre,
                                        since=second.since, first=first.commune,
                                        second=second.commune, other_line=first.location.line,
                                        who=cadre_named(cadre),
                                        first_named=commune(first.commune),
                                        second_named=commune(second.commune)))
            else:
                shared += [first, second]
        if shared and settings.communes_per_cadre is not None:
            problems += _too_many(list(dict.fromkeys(shared)), settings.communes_per_cadre,
                                  lambda a: a.commune, checks.TOO_MANY_COMMUNES, commune,
                                  id=cadre, who=cadre_named(cadre))
    return problems


def _too_many(group: list[Assignment], limit: int, key: Callable[[Assignment], str],
              check: checks.Check, named: Callable[[str], str], **params: object
              ) -> list[Problem]:
    """An entry that, on its first day, brings more than ``limit`` distinct keys
    (cadres of a commune, communes of a cadre) into force at once."""
    problems = []
    for entry in sorted(group, key=lambda a: (a.since, a.location.line)):
        if entry.until is not None and entry.until < entry.since:
            continue  # an inverted range is reported by its own rule
        together = [a for a in group if a.in_force(entry.since)]
        keys = list(dict.fromkeys(key(a) for a in sorted(together, key=key)))
        if len(keys) <= limit:
            continue
        others = sorted(a.location.line for a in together if a is not entry)
        if check is checks.TOO_MANY_CADRES:
            problems.append(problem(check, entry.location, count=len(keys),
                                    since=entry.since, limit=limit,
                                    other_lines=", ".join(map(str, others)), **params))
        else:
            problems.append(problem(check, entry.location, count=len(keys), since=entry.since,
                                    limit=limit, communes=", ".join(keys),
                                    communes_named=", ".join(map(named, keys)), **params))
    return _first_of_each_day(problems)


def _namer(registers: Registers) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """How an assignment problem names a commune and a cadre: ``Xã Đại Sảo
    (02068)``, ``Hà Thị Ngần (CB01)``."""
    from theodoi.registers.lookup import cadre_named, commune_named

    return (lambda code: commune_named(registers.communes, code),
            lambda cadre_id: cadre_named(registers.cadres, cadre_id))


def _first_of_each_day(problems: list[Problem]) -> list[Problem]:
    """One problem per day the limit is broken: the entries that begin the same
    day say the same thing."""
    seen: set[object] = set()
    kept = []
    for found in problems:
        if found.params["since"] not in seen:
            seen.add(found.params["since"])
            kept.append(found)
    return kept


def one_to_one_on_date(registers: Registers, as_of: date) -> list[Problem]:
    """Every commune has a cadre on the as-of date; a pending vacancy is a warning."""
    problems = []
    in_force: dict[str, list[Assignment]] = defaultdict(list)
    for a in registers.assignments_on(as_of):
        in_force[a.commune].append(a)
    for code, commune in registers.communes_on(as_of).items():
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


def office_of_another_province(registers: Registers, as_of: date) -> list[Problem]:
    """The letterhead's place against the province of the communes in force:
    a workspace made for Thái Nguyên, or carried into it, still dated "Bắc Kạn".
    Run by validate only: it reads the national registers."""
    from collections import Counter

    from theodoi.base.office import place_is_of

    units = sorted(registers.communes_on(as_of).values(), key=lambda u: u.code)
    # A few units spread over the codes say the province (a workspace holds one).
    sample = units[::max(1, len(units) // 7)][:7]
    names = Counter(name for unit in sample if (name := _province_of(unit)))
    province = names.most_common(1)[0][0] if names else None
    office = registers.settings.office
    if province is None or place_is_of(office.place, province):
        return []
    where = registers.settings.office_location or next(
        (Location(a.location.file, 1) for a in registers.assignments), Location("assignments.yaml"))
    return [problem(checks.OFFICE_OF_ANOTHER_PROVINCE, where, place=office.place,
                    province=province)]


def _province_of(unit: Commune) -> str | None:
    """The province of a unit by its code, on the map whose unit of that code
    bears its name (the reform reused codes: 02014 is Bắc Kạn's Dương Phong,
    then Thái Nguyên's Bạch Thông); None when both maps name it alike (Xã Yên
    Phong 02083, before and after) or neither knows it."""
    from theodoi.registers.lookup import commune_key
    from theodoi.registers.national import province_of_unit

    found = [hit for year in (2024, 2025) if (hit := province_of_unit(unit.code, year))]
    named = {province for province, name in found if commune_key(name) == commune_key(unit.name)}
    return named.pop() if len(named) == 1 else None


def check_registers(registers: Registers, as_of: date) -> list[Problem]:
    return [problem for rule in RULES for problem in rule(registers, as_of)]


def coverage_counts(registers: Registers, as_of: date) -> tuple[int, int, int]:
    """(communes, cadres in force, assignments in force) on the date."""
    current = [a for a in registers.assignments_on(as_of) if a.cadre]
    return len(registers.communes_on(as_of)), len({a.cadre for a in current}), len(current)


def report_problems(registers: Registers, day: date) -> list[Problem]:
    """What a report over the registers says first: their errors (a commune
    assigned twice makes the report pick one answer) and their vacancies."""
    return [p for p in check_registers(registers, day)
            if p.is_error or p.check is checks.VACANCY]


# What a refused change of the assignments is told: the rule it breaks and the
# usual fix first, then --force (README, "Refusals").
_ADVICE = {
    checks.TOO_MANY_COMMUNES: N_(
        "The rule: a cadre follows at most {limit} communes at once ('communes_per_cadre' in "
        "assignments.yaml). The usual fix: end one of the cadre's communes first (give it to "
        "another cadre with 'theodoi assign', or leave it vacant with 'theodoi vacate'), or "
        "raise 'communes_per_cadre' if the decision allows more."),
    checks.TOO_MANY_CADRES: N_(
        "The rule: a commune has at most {limit} cadres at once ('cadres_per_commune' in "
        "assignments.yaml). The usual fix: end one of its assignments first ('theodoi "
        "vacate'), or raise 'cadres_per_commune' if the decision allows more."),
    checks.CADRE_TWO_COMMUNES: N_(
        "The rule: a cadre follows one commune at a time. The usual fix: exchange two "
        "cadres' communes with 'theodoi swap', or leave the cadre's commune vacant first with "
        "'theodoi vacate'."),
    checks.OVERLAPPING_ASSIGNMENTS: N_(
        "The rule: a commune has one cadre at a time. The usual fix: exchange two cadres' "
        "communes with 'theodoi swap', or leave the commune vacant first with 'theodoi "
        "vacate'."),
}


def breach_advice(breaches: list[Problem]) -> list[Msg]:
    """The rule each kind of breach breaks, with its usual fix, once per kind."""
    advice: dict[Check, Msg] = {}
    for breach in breaches:
        if breach.check in _ADVICE and breach.check not in advice:
            advice[breach.check] = Msg(_ADVICE[breach.check],
                                      {"limit": breach.params.get("limit", 1)})
    return list(advice.values())
