"""Rules for visits: one short function per rule, and the checks of a new visit.

``check_visits`` runs every rule over the loaded history for ``theodoi
validate``; ``plan_visit`` turns what the clerk typed into a visit ready to
store, or refuses it with a clear reason.  Pure: no files, no clock.
Assignments are indexed by commune once, so each visit costs a look at its
own commune's few assignments, not a scan of all of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath, PurePosixPath

from theodoi.i18n import N_
from theodoi.lookup import find_cadre, find_commune, find_kind
from theodoi.model import VISIT_KINDS, Assignment, Registers, Visit
from theodoi.problems import Location, Problem, TheodoiError, error, warning
from theodoi.textnorm import nfc
from theodoi.visits_store import VISITS_DIR, LoadedVisits, day_of_file

_DAY_PATH = re.compile(r"^(\d{4})/(\d{4})-(\d{2})-(\d{2})\.yaml$")
_TEMPORARY = re.compile(r"^\..+\.yaml\.\d+\.[0-9a-f]+\.tmp$")


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


@dataclass(frozen=True)
class VisitContext:
    registers: Registers
    index: AssignmentIndex
    today: date
    # False when a register file could not be read: rules that need the
    # registers would only report every visit as unknown.
    registers_usable: bool = True


VisitRule = Callable[[list[Visit], VisitContext], list[Problem]]


def file_date_mismatch(visits: list[Visit], context: VisitContext) -> list[Problem]:
    """A visit filed under another day's file is missed by anyone reading that day."""
    problems = []
    days: dict[str, date | None] = {}  # one parse per file, not per visit
    for visit in visits:
        name = visit.location.file
        if name not in days:
            days[name] = day_of_file(PurePath(name))
        file_day = days[name]
        if file_day is not None and file_day != visit.date:
            problems.append(error("visit-in-wrong-file", visit.location, N_(
                "visit {id} is dated {day} but is in the file of {file_day}; move it to "
                "the day file {expected}"), id=visit.id, day=visit.date,
                file_day=file_day, expected=f"{visit.date:%Y/%Y-%m-%d}.yaml"))
    return problems


def unknown_cadres(visits: list[Visit], context: VisitContext) -> list[Problem]:
    if not context.registers_usable:
        return []
    cadres = context.registers.cadres
    return [error("unknown-cadre", v.location, N_(
                "unknown cadre id {id} (not in cadres.csv)"), id=v.cadre)
            for v in visits if v.cadre not in cadres]


def unknown_communes(visits: list[Visit], context: VisitContext) -> list[Problem]:
    if not context.registers_usable:
        return []
    communes = context.registers.communes
    return [error("unknown-commune", v.location, N_(
                "unknown commune code {code} (not in communes.csv)"), code=v.commune)
            for v in visits if v.commune not in communes]


def unknown_kinds(visits: list[Visit], context: VisitContext) -> list[Problem]:
    return [error("unknown-kind", v.location, N_(
                "unknown kind of visit {kind!r}; use one of: {kinds}"),
                kind=v.kind, kinds=", ".join(VISIT_KINDS))
            for v in visits if v.kind not in VISIT_KINDS]


def future_dates(visits: list[Visit], context: VisitContext) -> list[Problem]:
    return [error("future-visit", v.location, N_(
                "visit {id} is dated {day}, after today ({today})"),
                id=v.id, day=v.date, today=context.today)
            for v in visits if v.date > context.today]


def duplicate_ids(visits: list[Visit], context: VisitContext) -> list[Problem]:
    first: dict[str, Visit] = {}
    problems = []
    for visit in visits:
        if visit.id in first:
            other = first[visit.id].location
            problems.append(error("duplicate-visit-id", visit.location, N_(
                "visit id {id} is used twice (first at {first})"), id=visit.id,
                first=str(other)))
        else:
            first[visit.id] = visit
    return problems


def unassigned_cadres(visits: list[Visit], context: VisitContext) -> list[Problem]:
    """A visit by a cadre who did not follow that commune on that day must say why."""
    if not context.registers_usable:
        return []
    problems = []
    for visit in visits:
        if (visit.substitute or visit.commune not in context.registers.communes
                or visit.cadre not in context.registers.cadres):
            continue  # unknown codes are reported by their own rules
        assigned = [a.cadre for a in context.index.in_force(visit.commune, visit.date)]
        if visit.cadre in assigned:
            continue
        problems.append(error("visit-by-unassigned-cadre", visit.location, N_(
            "cadre {cadre} did not follow commune {commune} on {day} (assigned: {assigned}); "
            "if it was a stand-in visit, give the reason as 'substitute: ...'"),
            cadre=visit.cadre, commune=visit.commune, day=visit.date,
            assigned=", ".join(a for a in assigned if a) or "-"))
    return problems


def misplaced_files(files: list[str], folder: str = VISITS_DIR) -> list[Problem]:
    """Files under visits/ (``folder``) that no loader reads: their visits would be missed."""
    problems = []
    for relative in files:
        location = Location(f"{folder}/{relative}")
        name = PurePosixPath(relative).name
        match = _DAY_PATH.match(relative)
        day = day_of_file(PurePosixPath(name)) if match else None
        if day is not None and match and match.group(1) == match.group(2):
            continue
        if _TEMPORARY.match(name):
            problems.append(warning("leftover-temporary-file", location, N_(
                "temporary file left by an interrupted write; it can be deleted")))
        elif match and day is not None:
            problems.append(error("day-file-in-wrong-year", location, N_(
                "this day file is in the wrong year folder and is not read; move it to "
                "{expected}"),
                expected=f"{folder}/{match.group(2)}/{name}"))
        elif name.endswith((".yaml", ".yml")):
            problems.append(error("misnamed-visit-file", location, N_(
                "visit files must be named YYYY-MM-DD.yaml inside a YYYY folder (e.g. "
                "visits/2024/2024-09-15.yaml); this file is not read")))
        else:
            problems.append(warning("stray-file", location, N_(
                "not a visit file (visits/YYYY/YYYY-MM-DD.yaml); it is ignored")))
    return problems


VISIT_RULES: tuple[VisitRule, ...] = (file_date_mismatch, unknown_cadres, unknown_communes,
                                      unknown_kinds, future_dates, duplicate_ids,
                                      unassigned_cadres)


def check_visits(loaded: LoadedVisits, registers: Registers, today: date,
                 registers_usable: bool = True) -> list[Problem]:
    """Every visit rule over the loaded history, plus the folder's layout."""
    context = VisitContext(registers, AssignmentIndex(registers.assignments), today,
                           registers_usable)
    problems = misplaced_files(loaded.files, loaded.folder)
    for rule in VISIT_RULES:
        problems.extend(rule(loaded.visits, context))
    return problems


# --- A new visit ----------------------------------------------------------------


class VisitRefused(TheodoiError):
    """The visit as typed cannot be recorded; ``usage`` tells a mistake on the
    command line (exit 2) from a problem in the registers (exit 1)."""

    def __init__(self, template: str, usage: bool = True, **params: object):
        super().__init__(template, None, **params)
        self.usage = usage


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


def plan_visit(registers: Registers, request: VisitRequest, today: date,
               recorded_at: str) -> Visit:
    """The visit to store (its id is given by the store), or VisitRefused.

    The cadre defaults to the one assigned to the commune on that day; another
    cadre needs a substitute reason.  Dates after ``today`` are refused.
    """
    commune = find_commune(registers.communes, request.commune)
    day = request.day
    if day > today:
        raise VisitRefused(N_("{day} is in the future (today is {today}); a visit is recorded "
                              "after it took place"), day=day, today=today)
    group = AssignmentIndex(registers.assignments).of_commune(commune.code)
    in_force = [a for a in group if a.in_force(day)]
    substitute = _clean(request.substitute)
    if request.cadre is None or not request.cadre.strip():
        cadre_id = _assigned_cadre(group, in_force, commune.name, day)
        if substitute:
            raise VisitRefused(N_("a substitute reason is given but no --cadre: say who went "
                                  "in place of {cadre}"), cadre=cadre_id)
    else:
        cadre_id = find_cadre(registers.cadres, request.cadre).id
        assigned = [a.cadre for a in in_force if a.cadre]
        if cadre_id in assigned and substitute:
            raise VisitRefused(N_("{cadre} follows {commune} on {day}: a substitute reason is "
                                  "only for a visit by someone else"),
                               cadre=cadre_id, commune=commune.name, day=day)
        if cadre_id not in assigned and not substitute:
            raise VisitRefused(N_(
                "{cadre} does not follow {commune} on {day} (assigned: {assigned}); if "
                "{cadre} went in their place, give the reason with --substitute \"...\""),
                cadre=cadre_id, commune=commune.name, day=day,
                assigned=", ".join(assigned) or "-")
    kind = find_kind(request.kind) if request.kind and request.kind.strip() else "working"
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


def _assigned_cadre(group: list[Assignment], in_force: list[Assignment], name: str,
                   day: date) -> str:
    """The cadre following the commune on ``day`` (from the commune's
    assignments, ``group``), or why there is none."""
    if len(in_force) > 1:
        raise VisitRefused(N_(
            "{commune} has {count} assignments in force on {day} in assignments.yaml; "
            "fix them first (theodoi validate shows where), or give --cadre"), usage=False,
            commune=name, count=len(in_force), day=day)
    if in_force and in_force[0].cadre:
        return in_force[0].cadre
    if in_force:
        raise VisitRefused(N_(
            "{commune} has no cadre on {day} (the post is vacant since {since}); say who "
            "went with --cadre and why with --substitute \"...\""),
            commune=name, day=day, since=in_force[0].since)
    later = [a for a in group if a.since > day and a.cadre]
    if later:
        raise VisitRefused(N_(
            "{day} is before the assignment of {cadre} to {commune} began ({since}); check "
            "the date, or say who went with --cadre and --substitute \"...\""),
            day=day, cadre=later[0].cadre, commune=name, since=later[0].since)
    raise VisitRefused(N_(
        "{commune} has no cadre assigned on {day}; say who went with --cadre and why with "
        "--substitute \"...\""), commune=name, day=day)


def _clean(text: str) -> str:
    """Typed text as stored: NFC, no surrounding spaces, valid UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # undecodable bytes from the terminal
        raise VisitRefused(N_("{text!r} is not valid UTF-8 text; check the terminal's "
                              "encoding"), text=text) from exc
    return nfc(text).strip()
