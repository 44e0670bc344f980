"""Rules for visits: one short function per rule, and the checks of a new visit.

A *file rule* looks at one day file's records alone (see
theodoi.visits.file_rules: it runs when the file is read, below the columns).  A
*history rule*, here, needs the registers, today or the whole history (an
unknown cadre, a cadre not assigned there, a date after today, an id used in
two files): it runs every time, on the columns, with set operations rather
than a loop over every visit, so that a warm ``validate`` of 100,000 visits
costs little more than one of none.

``plan_visit`` turns what the clerk typed into a visit ready to store, or
refuses it with a clear reason.  Pure: no files, no clock.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from theodoi.base import checks
from theodoi.base.model import Assignment, Registers, Visit, unit_life
from theodoi.base.problems import Location, Problem, TheodoiError, problem
from theodoi.base.textnorm import nfc
from theodoi.registers.lookup import (
    LookupFailed,
    cadre_label,
    cadre_named,
    find_cadre,
    find_kind,
    find_unit,
    nearest_unit,
)
from theodoi.store.atomic import is_temporary_name
from theodoi.store.dayfile import day_of_name
from theodoi.store.visit_ids import ID_TAIL
from theodoi.visits.columns import SUBSTITUTE, WITHDRAWN, VisitColumns
from theodoi.visits.records import VISITS_DIR


class AssignmentIndex:
    """The assignments of each commune, in order of their start."""

    def __init__(self, assignments: Iterable[Assignment]):
        self._by_commune: dict[str, list[Assignment]] = defaultdict(list)
        for assignment in assignments:
            self._by_commune[assignment.commune].append(assignment)
        for group in self._by_commune.values():
            group.sort(key=lambda a: a.since)

    def of_commune(self, commune: str) -> list[Assignment]:
        return self._by_commune.get(commune, [])

    def in_force(self, commune: str, day: date) -> list[Assignment]:
        return [a for a in self.of_commune(commune) if a.in_force(day)]


# --- history rules: the columns, the registers and today ------------------------------------


@dataclass(frozen=True)
class VisitContext:
    registers: Registers
    index: AssignmentIndex
    today: date
    # False when a register file could not be read: rules that need the
    # registers would only report every visit as unknown.
    registers_usable: bool = True


HistoryRule = Callable[[VisitColumns, VisitContext], list[Problem]]


def _rows_with_codes(columns: VisitColumns, column: str, codes: set[int]) -> list[int]:
    values = columns.ints(column)
    return [row for row, value in enumerate(values) if value in codes and columns.counted(row)]


def unknown_cadres(columns: VisitColumns, context: VisitContext) -> list[Problem]:
    if not context.registers_usable:
        return []
    known = context.registers.cadres
    unknown = {code for code in set(columns.ints("cadre")) if columns.vocab[code] not in known}
    return [problem(checks.UNKNOWN_CADRE, columns.location(row),
                    id=columns.vocab[columns.ints("cadre")[row]])
            for row in _rows_with_codes(columns, "cadre", unknown)] if unknown else []


def unknown_communes(columns: VisitColumns, context: VisitContext) -> list[Problem]:
    if not context.registers_usable:
        return []
    known = context.registers.communes
    unknown = {code for code in set(columns.ints("commune"))
               if columns.vocab[code] not in known}
    return [problem(checks.UNKNOWN_COMMUNE, columns.location(row),
                    code=columns.vocab[columns.ints("commune")[row]])
            for row in _rows_with_codes(columns, "commune", unknown)] if unknown else []


def visits_outside_units(columns: VisitColumns, context: VisitContext) -> list[Problem]:
    """A visit dated when its code named no unit (after a merger, or before a
    unit was made).  Only codes whose units have dates need looking at."""
    registers = context.registers
    if not context.registers_usable or not registers.dated or not len(columns):
        return []
    lives: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for unit in registers.units:
        lives[unit.code].append((unit.since.toordinal() if unit.since else 0,
                                 unit.until.toordinal() if unit.until else 1 << 30))
    code_of = {text: i for i, text in enumerate(columns.vocab)}
    bounded = {code_of[code]: spans for code, spans in lives.items()
               if code in code_of and spans != [(0, 1 << 30)]}
    if not bounded:
        return []
    communes = columns.ints("commune")
    outside: dict[int, set[int]] = {}

    def outside_on(day: int) -> set[int]:
        """The codes that name no unit on ``day`` (once per day)."""
        if day not in outside:
            outside[day] = {code for code, spans in bounded.items()
                            if not any(low <= day <= high for low, high in spans)}
        return outside[day]

    problems = []
    for info in columns.files:
        rows: Iterable[int] = range(info.start, info.start + info.count)
        if info.all_of_its_day and not outside_on(info.first_day).intersection(
                communes[info.start:info.start + info.count]):
            continue  # the usual file: one set operation answers for all its visits
        problems += _outside_rows(columns, registers, bounded, rows)
    return problems


def _outside_rows(columns: VisitColumns, registers: Registers,
                  bounded: dict[int, list[tuple[int, int]]], rows: Iterable[int]
                  ) -> list[Problem]:
    communes, days = columns.ints("commune"), columns.ints("day")
    problems = []
    for row in rows:
        commune = communes[row]
        spans = bounded.get(commune)
        if spans is None or any(low <= days[row] <= high for low, high in spans):
            continue
        code, day = columns.vocab[commune], date.fromordinal(days[row])
        unit = nearest_unit(registers, code, day)
        problems.append(problem(checks.VISIT_OUTSIDE_UNIT, columns.location(row), code=code,
                                day=day, name=unit.name, span=unit_life(unit)))
    return problems


def future_dates(columns: VisitColumns, context: VisitContext) -> list[Problem]:
    today = context.today.toordinal()
    problems = []
    for index, info in enumerate(columns.files):
        if columns.day_range(index)[1] <= today:
            continue  # the usual file: every visit in it is on or before today
        days = columns.ints("day")
        ids = columns.ids_of(index)
        for row in range(info.start, info.start + info.count):
            if days[row] > today and columns.counted(row):
                problems.append(problem(checks.FUTURE_VISIT, columns.location(row),
                                        id=ids[row - info.start],
                                        day=date.fromordinal(days[row]), today=context.today))
    return problems


def future_stamps(columns: VisitColumns, context: VisitContext) -> list[Problem]:
    """A recorded_at after today: the tool stamps the moment of writing, so a
    later one is a clock set wrong or a stamp typed by hand."""
    today = context.today.toordinal()
    recorded = columns.ints("recorded")
    if not recorded or max(recorded) <= today:
        return []  # the usual history: one pass in C
    problems = []
    for index, info in enumerate(columns.files):
        for row in range(info.start, info.start + info.count):
            if recorded[row] > today:
                problems.append(problem(checks.RECORDED_IN_FUTURE, columns.location(row),
                                        id=columns.ids_of(index)[row - info.start],
                                        day=date.fromordinal(recorded[row]),
                                        today=context.today))
    return problems


def ids_in_two_files(columns: VisitColumns, context: VisitContext) -> list[Problem]:
    """An id used in two day files.  Ids follow their file's date
    (V-YYYYMMDD-n) and are unique within a file (a file rule), so a clash
    between files always involves an id that does not follow its own file's
    date: only those need looking up."""
    if not columns.odd_ids:
        return []
    file_of_day = {info.day: index for index, info in enumerate(columns.files)}
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)  # id -> (file, row)
    for file_index, row, visit_id in columns.odd_ids:
        found[visit_id].append((file_index, row))
        match = re.fullmatch(rf"V-(\d{{4}})(\d{{2}})(\d{{2}})-{ID_TAIL}", visit_id)
        if match:
            try:
                home = file_of_day.get(date(*map(int, match.groups())))
            except ValueError:
                home = None
            if home is not None and home != file_index:
                info = columns.files[home]
                for offset, other in enumerate(columns.ids_of(home)):
                    if other == visit_id:
                        found[visit_id].append((home, info.start + offset))
    problems = []
    for visit_id, places in found.items():
        places = sorted(set(places))
        if len({file_index for file_index, _row in places}) < 2:
            continue  # within one file: its file rule says so
        first = columns.location(places[0][1])
        for file_index, row in places[1:]:
            if file_index != places[0][0]:
                problems.append(problem(checks.DUPLICATE_VISIT_ID, columns.location(row),
                                        id=visit_id, first=first))
    return problems


def unassigned_cadres(columns: VisitColumns, context: VisitContext) -> list[Problem]:
    """A visit by a cadre who did not follow that commune on that day must say why.

    The pairs (commune, cadre) in force change only on the days assignments
    begin or end; between two such days one set answers for every visit."""
    if not context.registers_usable or not len(columns):
        return []
    registers = context.registers
    code_of = {text: i for i, text in enumerate(columns.vocab)}
    changes = sorted({a.since for a in registers.assignments}
                     | {a.until + timedelta(days=1) for a in registers.assignments if a.until})
    change_days = [d.toordinal() for d in changes]
    allowed_sets: dict[int, frozenset[int]] = {}

    def allowed(day: int) -> frozenset[int]:
        segment = bisect.bisect_right(change_days, day)
        if segment not in allowed_sets:
            on = date.fromordinal(day)
            allowed_sets[segment] = frozenset(
                (code_of[a.commune] << 32) | code_of[a.cadre]
                for a in registers.assignments
                if a.in_force(on) and a.cadre and a.commune in code_of and a.cadre in code_of)
        return allowed_sets[segment]

    communes, cadres, days = columns.ints("commune"), columns.ints("cadre"), columns.ints("day")
    flags = columns.flags
    known_communes = {code_of[c] for c in registers.communes if c in code_of}
    known_cadres = {code_of[c] for c in registers.cadres if c in code_of}
    # The usual files (every visit of the file's day, none corrected) between two
    # changes of the assignments: one set difference, in C, answers for all
    # their visits given without a stand-in reason (the others need none).
    clean: set[int] = set()
    usual = [i for i, info in enumerate(columns.files)
             if info.count and info.all_of_its_day and i not in columns.touched]
    # Runs of neighbouring usual files within one segment (k - i: same run).
    for _run, group in itertools.groupby(enumerate(usual), key=lambda k_i: (
            bisect.bisect_right(change_days, columns.files[k_i[1]].first_day), k_i[1] - k_i[0])):
        indices = [i for _k, i in group]
        pairs = columns.plain_pairs_between(indices[0], indices[-1])
        if not set(pairs) - allowed(columns.files[indices[0]].first_day):
            clean.update(indices)
    problems = []
    for index, info in enumerate(columns.files):
        if not info.count or index in clean:
            continue
        rows: Iterable[int] = range(info.start, info.start + info.count)
        if info.all_of_its_day and index not in columns.touched:
            suspects = set(columns.plain_pairs_of(index)) - allowed(info.first_day)
            if not suspects:
                continue
            rows = [r for r in rows if (communes[r] << 32) | cadres[r] in suspects]
        for row in rows:
            if flags[row] & (SUBSTITUTE | WITHDRAWN) or (
                    (communes[row] << 32) | cadres[row]) in allowed(days[row]):
                continue
            if communes[row] not in known_communes or cadres[row] not in known_cadres:
                continue  # unknown codes are reported by their own rules
            commune, visit_day = columns.vocab[communes[row]], date.fromordinal(days[row])
            if registers.dated and registers.unit_of(commune, visit_day) is None:
                continue  # a visit outside its unit's life: its own rule says so
            assigned = [a.cadre for a in context.index.in_force(commune, visit_day)]
            problems.append(problem(
                checks.VISIT_BY_UNASSIGNED_CADRE, columns.location(row),
                cadre=columns.vocab[cadres[row]], commune=commune, day=visit_day,
                assigned=", ".join(a for a in assigned if a) or "-"))
    return problems


HISTORY_RULES: tuple[HistoryRule, ...] = (unknown_cadres, unknown_communes,
                                          visits_outside_units, future_dates, future_stamps,
                                          ids_in_two_files, unassigned_cadres)


def misplaced_files(files: list[str], folder: str = VISITS_DIR) -> list[Problem]:
    """Files under visits/ (``folder``) that no loader reads: their visits would be missed."""
    problems = []
    for relative in files:
        year, _slash, name = relative.rpartition("/")
        day = day_of_name(name)
        if day is not None and year == f"{day.year:04d}":
            continue  # a day file in its year's folder: read
        location = Location(f"{folder}/{relative}")
        if is_temporary_name(name):
            problems.append(problem(checks.LEFTOVER_TEMPORARY_FILE, location))
        elif day is not None and len(year) == 4 and year.isdigit():
            problems.append(problem(checks.DAY_FILE_IN_WRONG_YEAR, location,
                                    expected=f"{folder}/{day.year:04d}/{name}"))
        elif name.endswith((".yaml", ".yml")):
            problems.append(problem(checks.MISNAMED_VISIT_FILE, location))
        else:
            problems.append(problem(checks.STRAY_FILE, location))
    return problems


def check_visits(columns: VisitColumns, registers: Registers, today: date,
                 registers_usable: bool = True) -> list[Problem]:
    """Every history rule over the columns (the file rules' problems come with them)."""
    context = VisitContext(registers, AssignmentIndex(registers.assignments), today,
                           registers_usable)
    return [p for rule in HISTORY_RULES for p in rule(columns, context)]


# --- A new visit ----------------------------------------------------------------


@dataclass(frozen=True)
class VisitRequest:
    """What the clerk typed; names and codes are looked up by :func:`plan_visit`."""

    commune: str
    day: date
    cadre: str | None = None
    kind: str | None = None
    notes: str = ""
    difficulties: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()
    substitute: str = ""


def plan_visit(registers: Registers, request: VisitRequest, today: date, recorded_at: str,
               language: str) -> Visit:
    """The visit to store (its id is given by the store), or a TheodoiError.

    The cadre defaults to the one assigned to the commune on that day; another
    cadre needs a substitute reason.  Dates after ``today`` are refused; a
    kind may be typed as the start of its label in ``language``.
    """
    day = request.day
    commune = find_unit(registers, request.commune, day)
    if day > today:
        raise TheodoiError(checks.VISIT_IN_FUTURE, day=day, today=today)
    group = AssignmentIndex(registers.assignments).of_commune(commune.code)
    in_force = [a for a in group if a.in_force(day)]
    substitute = _clean(request.substitute)
    if request.cadre is None or not request.cadre.strip():
        cadre_id = _assigned_cadre(group, in_force, commune.name, day,
                                   registers.settings.cadres_per_commune,
                                   dict(registers.cadres))
        if substitute:
            raise TheodoiError(checks.SUBSTITUTE_WITHOUT_CADRE, cadre=cadre_id)
    else:
        cadre_id = find_cadre(registers.cadres, request.cadre).id
        assigned = [a.cadre for a in in_force if a.cadre]
        if cadre_id in assigned and substitute:
            raise TheodoiError(checks.SUBSTITUTE_NOT_NEEDED,
                               cadre=cadre_named(registers.cadres, cadre_id),
                               commune=commune.name, day=day)
        if cadre_id not in assigned and not substitute:
            raise TheodoiError(checks.CADRE_NOT_ASSIGNED_THERE,
                               cadre=cadre_named(registers.cadres, cadre_id),
                               commune=commune.name, day=day, assigned=", ".join(
                                   cadre_named(registers.cadres, a) for a in assigned) or "-")
    kind = find_kind(request.kind, language) if request.kind and request.kind.strip() else "working"
    return Visit(
        id="",
        date=day,
        cadre=cadre_id,
        commune=commune.code,
        kind=kind,
        notes=_clean(request.notes),
        difficulties=tuple(t for t in map(_clean, request.difficulties) if t),
        proposals=tuple(t for t in map(_clean, request.proposals) if t),
        recorded_at=recorded_at,
        substitute=substitute,
    )


def assigned_cadres(registers: Registers, commune: str, day: date) -> list[str]:
    """The cadres assigned to follow ``commune`` on ``day`` (none if it is vacant)."""
    group = AssignmentIndex(registers.assignments).of_commune(commune)
    return [a.cadre for a in group if a.in_force(day) and a.cadre]


class SeveralCadres(LookupFailed):
    """The commune has several cadres that day (as the settings allow): the clerk
    says who went; ``ids`` are theirs, for a terminal to offer."""

    def __init__(self, ids: list[str], cadres: dict[str, Any], **params: object):
        self.ids = ids
        lines = [cadre_label(cadres[i]) if i in cadres else i for i in ids]
        super().__init__(checks.SEVERAL_CADRES, lines, None, **params)


def _assigned_cadre(group: list[Assignment], in_force: list[Assignment], name: str,
                    day: date, limit: int | None = 1, cadres: dict[str, Any] | None = None
                    ) -> str:
    """The cadre following the commune on ``day`` (from the commune's
    assignments, ``group``), or why there is none."""
    if len(in_force) > 1:
        if all(a.cadre for a in in_force) and (limit is None or len(in_force) <= limit):
            raise SeveralCadres([a.cadre for a in in_force], cadres or {}, commune=name,
                                day=day)
        raise TheodoiError(checks.COMMUNE_ASSIGNMENTS_CONFLICT, commune=name,
                           count=len(in_force), day=day)
    if in_force and in_force[0].cadre:
        return in_force[0].cadre
    if in_force:
        raise TheodoiError(checks.COMMUNE_VACANT_ON_DAY, commune=name, day=day,
                           since=in_force[0].since)
    later = [a for a in group if a.since > day and a.cadre]
    if later:
        raise TheodoiError(checks.BEFORE_ASSIGNMENT, day=day, cadre=later[0].cadre,
                           commune=name, since=later[0].since)
    raise TheodoiError(checks.NO_ASSIGNMENT_ON_DAY, commune=name, day=day)


def _clean(text: str) -> str:
    """Typed text as stored: NFC, no surrounding spaces, valid UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # undecodable bytes from the terminal
        raise TheodoiError(checks.TEXT_NOT_UTF8, text=text) from exc
    return nfc(text).strip()



def plan_amendment(registers: Registers, current: Visit, given: dict[str, Any], today: date,
                   language: str) -> dict[str, Any]:
    """The fields an amendment changes, in the order of ``CORRECTABLE``.

    ``given`` holds the fields typed (a value of None: not given); the visit
    they make with the rest of ``current`` must pass every check a new visit
    does (the commune found, the cadre assigned or a reason given, no future
    date, a known kind).  A field given as it already is changes nothing; no
    change at all is refused (``amend-changes-nothing``)."""
    from theodoi.visits.corrections import changes_given

    typed = {key: value for key, value in given.items() if value is not None}
    fields = {key: typed.get(key, getattr(current, key)) for key in
              ("commune", "cadre", "kind", "notes", "substitute")}
    request = VisitRequest(
        day=typed.get("date", current.date),
        difficulties=tuple(typed.get("difficulties", current.difficulties)),
        proposals=tuple(typed.get("proposals", current.proposals)), **fields)
    planned = plan_visit(registers, request, today, current.recorded_at, language)
    changes = changes_given(current, planned, typed)
    if not changes:
        raise TheodoiError(checks.AMEND_CHANGES_NOTHING)
    return changes
