"""Coverage, overdue and the weekly summary: registers and visits in, tables out.

Pure computations: no files, no clock, no printing; "today" is a parameter.
Visits come in as a DataFrame of three columns (``day`` as
``date.toordinal()``, ``cadre``, ``commune``), so that pandas works on
integers and the history is never turned into per-visit Python objects.
A visit counts for the cadre who made it and the commune where it happened,
on the day it happened: a later reassignment never moves it.

Result tables use the machine names of their columns (snake_case English,
dates as :class:`datetime.date` or None); renderers translate and format.
This module imports pandas: only the report commands import it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from theodoi.base.i18n import N_
from theodoi.base.model import Assignment, Commune, Registers, Visit
from theodoi.base.periods import Period, quarter_of
from theodoi.base.problems import Msg
from theodoi.visits.columns import WITHDRAWN

if TYPE_CHECKING:
    from theodoi.followup.proposals import OpenItems
    from theodoi.visits.columns import VisitColumns
    from theodoi.visits.corrections import Corrections

GROUPINGS = ("district", "group", "commune", "cadre", "agency")
# A visit entered more than this many days after it happened is "recorded late".
LATE_AFTER_DAYS = 7


@dataclass(frozen=True)
class Coverage:
    period: Period
    by: str
    rows: pd.DataFrame
    # The province total (by district or group): communes, communes_visited,
    # percent_covered, visits.
    total: dict[str, Any] | None = None
    notes: tuple[Msg, ...] = ()  # what the reader must know (a grouping, carried visits)


@dataclass(frozen=True)
class Overdue:
    as_of: date
    threshold: int  # days without a visit before a commune is overdue
    rows: pd.DataFrame
    notes: tuple[Msg, ...] = ()


@dataclass(frozen=True)
class WeeklySummary:
    week: Period
    visits: pd.DataFrame
    difficulties: pd.DataFrame
    proposals: pd.DataFrame
    late: pd.DataFrame
    changes: pd.DataFrame
    coverage: Coverage  # the quarter containing the week's end, up to that day
    overdue: Overdue  # as of the week's end
    # Every unit in force at the week's end, for the map: UNIT_COLUMNS.
    units: pd.DataFrame | None = None
    # The difficulties and proposals still waiting, and those closed in the week.
    open_items: OpenItems | None = None


def visits_frame_of_columns(columns: VisitColumns, with_rows: bool = False) -> pd.DataFrame:
    """The frame of the loaded columns: packed arrays in, no per-visit objects;
    ``with_rows``, each visit's row in the columns (the weekly summary looks up
    the ids of the few visits it lists as recorded late)."""
    vocab = np.asarray(columns.vocab, dtype=object) if columns.vocab else np.array([], object)

    def ints(name: str) -> np.ndarray:
        return np.frombuffer(getattr(columns, name), dtype=np.int32).astype(np.int64)

    frame = pd.DataFrame({
        "day": ints("day"),
        "cadre": vocab[ints("cadre")] if len(columns) else np.array([], object),
        "commune": vocab[ints("commune")] if len(columns) else np.array([], object),
        "recorded": ints("recorded"),
    })
    if with_rows:
        frame["row"] = np.arange(len(columns), dtype=np.int64)
    if columns.corrected:  # a withdrawn visit counts nowhere
        withdrawn = np.frombuffer(columns.flags, dtype=np.uint8) & WITHDRAWN
        frame = frame[withdrawn == 0].reset_index(drop=True)
    return frame


# --- units over time -------------------------------------------------------------

@dataclass(frozen=True)
class Carried:
    """Visits to former units counted for the units they became on the report's day."""

    visits: int = 0
    units: int = 0
    day: date | None = None  # the first day of the units they became


def carry_visits(registers: Registers, visits: pd.DataFrame, day: date,
                 counted_from: date | None = None) -> tuple[pd.DataFrame, Carried]:
    """The visits with each commune code replaced by the unit in force on ``day``
    that its unit became (a merged unit's visits count for the unit it joined).
    The visits carried are counted from ``counted_from`` on (the period a
    report shows), all of them without it.

    Each visit's code is read on its own date (a code may name one unit before a
    reorganisation and another after it); the mapping is a handful of codes
    applied to the column, never a loop over visits.  A workspace whose units
    have no dates is returned as it is."""
    if not registers.dated or visits.empty:
        return visits, Carried()
    by_code: dict[str, list[Commune]] = defaultdict(list)
    for unit in registers.units:
        by_code[unit.code].append(unit)
    single: dict[str, str] = {}
    moved_units: set[tuple[str, date | None]] = set()
    first_days: set[date] = set()
    commune = visits["commune"].to_numpy(dtype=object).copy()
    changed = np.zeros(len(commune), dtype=bool)
    days = visits["day"].to_numpy()
    for code, units in by_code.items():
        targets = [(unit, _became(registers, unit, day)) for unit in units]
        if all(target is None or target is unit for unit, target in targets):
            continue  # in force on the day, or a unit that has nothing to carry
        if len(units) == 1:
            target = targets[0][1]
            if target is not None:
                single[code] = target.code
            continue
        for unit, target in targets:  # a code reused across a reform: by date
            if target is None or target is unit:
                continue
            low = unit.since.toordinal() if unit.since else 0
            high = unit.until.toordinal() if unit.until else 1 << 40
            mask = (commune == code) & (days >= low) & (days <= high) & ~changed
            commune[mask] = target.code
            changed |= mask
            if mask.any():
                moved_units.add((code, unit.since))
                first_days.add(target.since or day)
    if single:
        mapped = pd.Series(commune).map(single)
        mask = mapped.notna().to_numpy() & ~changed
        commune[mask] = mapped.to_numpy()[mask]
        changed |= mask
        for code in pd.unique(visits["commune"].to_numpy()[mask]):
            unit = by_code[str(code)][0]
            moved_units.add((str(code), unit.since))
            target = _became(registers, unit, day)
            if target is not None:
                first_days.add(target.since or day)
    if not changed.any():
        return visits, Carried()
    carried = visits.assign(commune=commune)
    if counted_from is not None:
        shown = changed & (days >= counted_from.toordinal())
        shown_units = len(pd.unique(visits["commune"].to_numpy()[shown]))
        return carried, Carried(int(shown.sum()), shown_units,
                                min(first_days) if first_days else None)
    return carried, Carried(int(changed.sum()), len(moved_units),
                            min(first_days) if first_days else None)


def _became(registers: Registers, unit: Commune, day: date) -> Commune | None:
    """The unit in force on ``day`` that ``unit`` is, or became through its
    successors; None when it has none (or begins after the day)."""
    current: Commune | None = unit
    for _step in range(20):  # a chain of reorganisations, never a loop
        if current is None or current.in_force(day):
            return current
        if current.until is None or current.until >= day or not current.successor:
            return None
        current = registers.unit_of(current.successor, current.until + timedelta(days=1))
    return None


def carried_note(carried: Carried) -> tuple[Msg, ...]:
    if not carried.visits:
        return ()
    return (Msg(N_("{visits} visits to {units} former communes, merged into the communes of "
                   "{day}, are counted for the communes they became."),
                {"visits": carried.visits, "units": carried.units, "day": carried.day}),)


def unit_ref(registers: Registers, unit: Commune) -> str:
    """A unit's code, qualified by its first day where the workspace holds
    another unit with the same code (``02014@2025-07-01``): read alone, a
    reused code would name the wrong unit."""
    if unit.since is None or sum(u.code == unit.code for u in registers.units) < 2:
        return unit.code
    return f"{unit.code}@{unit.since.isoformat()}"


# --- coverage -------------------------------------------------------------------

def coverage(registers: Registers, visits: pd.DataFrame, period: Period, by: str,
             today: date) -> Coverage:
    """Coverage of ``period`` grouped ``by`` district (or group), commune, cadre
    or agency, over the units in force on the period's last day; visits to
    units merged into them count for them.

    The cadre shown for a commune is the one in force at the end of the
    period, or on ``today`` if that is earlier."""
    if by in ("district", "group"):
        return coverage_by_area(registers, visits, period, by)
    if by == "commune":
        return coverage_by_commune(registers, visits, period, today)
    if by == "cadre":
        return coverage_by_cadre(registers, visits, period)
    if by == "agency":
        return coverage_by_agency(registers, visits, period)
    raise ValueError(by)


def _within(visits: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    day = visits["day"]
    return visits[(day >= start.toordinal()) & (day <= end.toordinal())]


def _last_day(visits: pd.DataFrame, end: date, key: str) -> dict[str, date]:
    """The latest visit day on or before ``end``, per commune or cadre."""
    before = visits[visits["day"] <= end.toordinal()]
    latest = before.groupby(key, sort=False)["day"].max()
    return {str(name): date.fromordinal(int(day)) for name, day in latest.items()}


def _counts(visits: pd.DataFrame, key: str) -> dict[str, int]:
    return {str(name): int(n) for name, n in visits.groupby(key, sort=False).size().items()}


def _ordered_communes(registers: Registers, day: date) -> list[Commune]:
    """The units in force on ``day``, by district then code."""
    return sorted(registers.communes_on(day).values(), key=lambda c: (c.district_code, c.code))


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def has_groups(communes: Iterable[Commune]) -> bool:
    return any(c.group for c in communes)


def area_grouping(registers: Registers, day: date, by: str = "district") -> str:
    """How an area report groups the units in force on ``day``: by district while
    every unit has one; else (districts were abolished on 1/7/2025) by the
    office's 'group' column if it is filled, else by province."""
    communes = list(registers.communes_on(day).values())
    if by == "group":
        return "group"
    if all(c.district_code for c in communes):
        return "district"
    return "group" if has_groups(communes) else "province"


def coverage_by_area(registers: Registers, visits: pd.DataFrame, period: Period,
                     by: str = "district") -> Coverage:
    """Per district (or group, or the province): communes, communes visited,
    percent covered, visits; a visit to a commune missing from communes.csv is
    left out (validate names it)."""
    day = period.end
    grouping = area_grouping(registers, day, by)
    carried, moved = carry_visits(registers, visits, day, counted_from=period.start)
    counts = _counts(_within(carried, period.start, period.end), "commune")
    communes = _ordered_communes(registers, day)
    if grouping == "district":
        frame = pd.DataFrame({
            "district_code": [c.district_code for c in communes],
            "district_name": [c.district_name for c in communes],
            "visits": [counts.get(c.code, 0) for c in communes],
        }, columns=["district_code", "district_name", "visits"])
        key, first = "district_code", {"district_name": ("district_name", "first")}
        columns = ["district_code", "district_name"]
        notes: tuple[Msg, ...] = ()
    else:
        # Without districts or groups the units are listed together, in one
        # row without a group (a neutral heading where it is shown): never the
        # province's name, as a workspace may hold some of its units only
        # (Bắc Kạn's 37 of Thái Nguyên's 92).
        frame = pd.DataFrame({
            "group": [c.group if grouping == "group" else "" for c in communes],
            "visits": [counts.get(c.code, 0) for c in communes],
        }, columns=["group", "visits"])
        key, first, columns = "group", {}, ["group"]
        notes = (_grouping_note(grouping, by),) if by == "district" else ()
    frame["visited"] = frame["visits"] > 0
    rows = frame.groupby(key, sort=True).agg(
        **first,
        communes=("visits", "size"),
        communes_visited=("visited", "sum"),
        visits=("visits", "sum"),
    ).reset_index()
    rows["percent_covered"] = [percent(int(v), int(n))
                               for v, n in zip(rows["communes_visited"], rows["communes"],
                                               strict=True)]
    rows = rows[[*columns, "communes", "communes_visited", "percent_covered", "visits"]]
    units, visited = len(communes), int(frame["visited"].sum())
    total = {"communes": units, "communes_visited": visited,
             "percent_covered": percent(visited, units), "visits": int(frame["visits"].sum())}
    return Coverage(period, "district" if grouping == "district" else "group", rows, total,
                    notes + carried_note(moved))


def coverage_by_district(registers: Registers, visits: pd.DataFrame, period: Period
                         ) -> Coverage:
    return coverage_by_area(registers, visits, period, "district")


def _grouping_note(grouping: str, by: str) -> Msg:
    if grouping == "group":
        return Msg(N_("The communes have no district (districts were abolished on "
                      "01/07/2025): they are grouped by the 'group' column of communes.csv."))
    return Msg(N_("The communes have no district (districts were abolished on 01/07/2025) "
                  "and communes.csv has no 'group' column: they are counted together."))


def coverage_by_commune(registers: Registers, visits: pd.DataFrame, period: Period,
                        today: date) -> Coverage:
    """Per commune: its cadre, visits in the period, last visit on or before
    the period's end (which may be before the period began)."""
    in_force_on = min(period.end, today)
    carried, moved = carry_visits(registers, visits, period.end, counted_from=period.start)
    counts = _counts(_within(carried, period.start, period.end), "commune")
    last = _last_day(carried, period.end, "commune")
    communes = _ordered_communes(registers, period.end)
    cadres = [_cadres(registers, c.code, in_force_on) for c in communes]
    rows = pd.DataFrame({
        "commune_code": [c.code for c in communes],
        "commune_name": [c.name for c in communes],
        "district_code": [c.district_code for c in communes],
        "district_name": [c.district_name for c in communes],
        "cadre_id": pd.Series([ids for ids, _names, _agencies in cadres], dtype=object),
        "cadre_name": pd.Series([names for _ids, names, _agencies in cadres], dtype=object),
        "visits": [counts.get(c.code, 0) for c in communes],
        "last_visit": pd.Series([last.get(c.code) for c in communes], dtype=object),
    }, columns=["commune_code", "commune_name", "district_code", "district_name", "cadre_id",
                "cadre_name", "visits", "last_visit"])
    return Coverage(period, "commune", rows, notes=carried_note(moved))


def _cadres(registers: Registers, code: str, day: date
            ) -> tuple[str | None, str | None, str | None]:
    """(ids, names, agencies) of the cadres following a commune on a day, each
    joined with "; " where the settings allow several (None: vacant)."""
    ids = [a.cadre for a in registers.cadres_of(code, day) if a.cadre]
    if not ids:
        return None, None, None
    cadres = [registers.cadres.get(i) for i in ids]
    names = [c.name if c else i for c, i in zip(cadres, ids, strict=True)]
    agencies = list(dict.fromkeys(c.agency for c in cadres if c))
    return "; ".join(ids), "; ".join(names), "; ".join(agencies) or None


def _cadre_name(registers: Registers, cadre_id: str | None) -> str | None:
    cadre = registers.cadres.get(cadre_id) if cadre_id else None
    return cadre.name if cadre else None


def _followed_in(registers: Registers, period: Period) -> dict[str, list[Commune]]:
    """Cadre -> units whose assignment to that cadre overlaps the period (each
    code read on the assignment's dates: a reused code names two units)."""
    followed: dict[str, list[Commune]] = defaultdict(list)
    for a in sorted(registers.assignments, key=lambda a: (a.since, a.commune)):
        if not (a.cadre and _overlaps(a, period)):
            continue
        unit = registers.unit_named(a.commune, max(a.since, period.start))
        unit = unit or Commune(a.commune, a.commune, "", "", "")
        if unit not in followed[a.cadre]:
            followed[a.cadre].append(unit)
    return followed


def _overlaps(assignment: Assignment, period: Period) -> bool:
    return assignment.since <= period.end and (
        assignment.until is None or assignment.until >= period.start)


def coverage_by_cadre(registers: Registers, visits: pd.DataFrame, period: Period
                      ) -> Coverage:
    """Per cadre who followed a commune in the period or made a visit in it:
    the communes followed, visits made, communes visited, last visit."""
    carried, _moved = carry_visits(registers, visits, period.end)
    in_period = _within(carried, period.start, period.end)
    counts = _counts(in_period, "cadre")
    visited = {str(name): int(n) for name, n in
               in_period.groupby("cadre", sort=False)["commune"].nunique().items()}
    last = _last_day(carried, period.end, "cadre")
    followed_units = _followed_in(registers, period)
    followed = {i: [unit_ref(registers, u) for u in units]
                for i, units in followed_units.items()}
    ids = sorted(set(followed) | set(counts))
    cadres = [registers.cadres.get(i) for i in ids]
    rows = pd.DataFrame({
        "cadre_id": ids,
        "cadre_name": pd.Series([c.name if c else None for c in cadres], dtype=object),
        "title": pd.Series([c.title if c else None for c in cadres], dtype=object),
        "agency": pd.Series([c.agency if c else None for c in cadres], dtype=object),
        "communes_followed": pd.Series([followed.get(i, []) for i in ids], dtype=object),
        "communes_followed_names": pd.Series(
            [[u.name for u in followed_units.get(i, [])] for i in ids], dtype=object),
        "communes_followed_count": [len(followed.get(i, [])) for i in ids],
        "visits": [counts.get(i, 0) for i in ids],
        "communes_visited": [visited.get(i, 0) for i in ids],
        "last_visit": pd.Series([last.get(i) for i in ids], dtype=object),
    }, columns=["cadre_id", "cadre_name", "title", "agency", "communes_followed",
                "communes_followed_names", "communes_followed_count", "visits",
                "communes_visited", "last_visit"])
    return Coverage(period, "cadre", rows)


def coverage_by_agency(registers: Registers, visits: pd.DataFrame, period: Period
                       ) -> Coverage:
    """Per agency, over its cadres: cadres, communes followed, visits made,
    distinct communes visited, last visit."""
    agency_of = {i: c.agency for i, c in registers.cadres.items()}
    by_cadre = coverage_by_cadre(registers, visits, period).rows
    visits, _moved = carry_visits(registers, visits, period.end)
    in_period = _within(visits, period.start, period.end)
    in_period = in_period.assign(agency=in_period["cadre"].map(agency_of).fillna(""))
    visited = {str(name): int(n) for name, n in
               in_period.groupby("agency", sort=False)["commune"].nunique().items()}
    before = visits[visits["day"] <= period.end.toordinal()]
    before = before.assign(agency=before["cadre"].map(agency_of).fillna(""))
    last = {str(name): date.fromordinal(int(day))
            for name, day in before.groupby("agency", sort=False)["day"].max().items()}
    agencies: dict[str, dict[str, Any]] = {}
    cadre_rows = cast("list[dict[str, Any]]", by_cadre.to_dict("records"))
    for row in cadre_rows:
        entry = agencies.setdefault(str(row["agency"] or ""),
                                    {"cadres": 0, "communes": set(), "visits": 0})
        entry["cadres"] += 1
        entry["communes"].update(row["communes_followed"])
        entry["visits"] += int(row["visits"])
    order = sorted(agencies)
    rows = pd.DataFrame({
        "agency": order,
        "cadres": [agencies[a]["cadres"] for a in order],
        "communes_followed": [len(agencies[a]["communes"]) for a in order],
        "visits": [agencies[a]["visits"] for a in order],
        "communes_visited": [visited.get(a, 0) for a in order],
        "last_visit": pd.Series([last.get(a) for a in order], dtype=object),
    }, columns=["agency", "cadres", "communes_followed", "visits", "communes_visited",
                "last_visit"])
    return Coverage(period, "agency", rows)


# --- overdue --------------------------------------------------------------------

def unit_status(registers: Registers, visits: pd.DataFrame, as_of: date
                ) -> tuple[list[dict[str, Any]], Carried]:
    """Every unit in force on ``as_of``: its cadres, the start of the follow-up
    in force, the last visit on or before ``as_of`` (visits to the units merged
    into it included) and the days since the later of the two (None: unknown)."""
    carried, moved = carry_visits(registers, visits, as_of)
    last = _last_day(carried, as_of, "commune")
    found: list[dict[str, Any]] = []
    for commune in _ordered_communes(registers, as_of):
        in_force = registers.cadres_of(commune.code, as_of)
        started = min((a.since for a in in_force), default=None)
        last_visit = last.get(commune.code)
        marks = [d for d in (last_visit, started) if d]
        since = max(marks) if marks else registers.settings.term_start
        ids, names, agencies = _cadres(registers, commune.code, as_of)
        found.append({
            "commune_code": commune.code,
            "commune_name": commune.name,
            "district_code": commune.district_code,
            "district_name": commune.district_name,
            "cadre_id": ids,
            "cadre_name": names,
            "agency": agencies,
            "since": started,
            "last_visit": last_visit,
            "days": (as_of - since).days if since else None,
        })
    return found, moved


def commune_overdue(days: int | None, threshold: int) -> bool:
    """Whether a commune whose days without a visit are ``days`` (None:
    unknown) is overdue: the one rule of the overdue list, the map and cron."""
    return days is None or days > threshold


def overdue(registers: Registers, visits: pd.DataFrame, as_of: date, threshold: int
            ) -> Overdue:
    """Communes with no visit for more than ``threshold`` days on ``as_of``, each
    once with all its cadres.

    Days are counted from the later of the last visit on or before ``as_of``
    and the start of the follow-up in force that day (a new cadre, or a
    vacancy, starts a new count); visits after ``as_of`` are ignored.  With
    neither, from the term's start; with no term start either, the days are
    unknown (None) and the commune is listed first."""
    status, moved = unit_status(registers, visits, as_of)
    found = [row for row in status if commune_overdue(row["days"], threshold)]
    found.sort(key=lambda r: (r["days"] is not None, -(r["days"] or 0), r["commune_code"]))
    rows = pd.DataFrame(found, columns=list(OVERDUE_COLUMNS), dtype=object)
    return Overdue(as_of, threshold, rows, carried_note(moved))


OVERDUE_COLUMNS = ("commune_code", "commune_name", "district_code", "district_name",
                   "cadre_id", "cadre_name", "agency", "since", "last_visit", "days")


# --- weekly summary ---------------------------------------------------------------

VISIT_COLUMNS = ("visit_id", "date", "commune_code", "commune_name", "district_code",
                 "district_name", "cadre_id", "cadre_name", "kind", "substitute", "notes")
RAISED_COLUMNS = ("date", "visit_id", "commune_code", "commune_name", "cadre_id",
                  "cadre_name", "text")
LATE_COLUMNS = ("visit_id", "date", "recorded_on", "days_late", "commune_code",
                "commune_name", "cadre_id", "cadre_name")
CHANGE_COLUMNS = ("date", "change", "commune_code", "commune_name", "cadre_id",
                  "cadre_name", "decision")


UNIT_COLUMNS = ("commune_code", "commune_name", "cadre_name", "last_visit", "days",
                "visits", "latitude", "longitude")


def units_on_map(registers: Registers, visits: pd.DataFrame, period: Period
                 ) -> pd.DataFrame:
    """Every unit in force on the period's last day with what the map shows of
    it: its cadres, last visit and days without one (as ``overdue`` counts
    them), its visits in the period, and its point (None where it has none)."""
    from theodoi.registers.unitmap import points

    status, _moved = unit_status(registers, visits, period.end)
    carried, _moved = carry_visits(registers, visits, period.end)
    counts = _counts(_within(carried, period.start, period.end), "commune")
    located = points(registers.communes_on(period.end).values())
    rows = [{**{k: row[k] for k in ("commune_code", "commune_name", "cadre_name",
                                    "last_visit", "days")},
             "visits": counts.get(row["commune_code"], 0),
             "latitude": located.get(row["commune_code"], (None, None))[0],
             "longitude": located.get(row["commune_code"], (None, None))[1]}
            for row in status]
    return pd.DataFrame(rows, columns=list(UNIT_COLUMNS), dtype=object)


def summary_of(registers: Registers, columns: VisitColumns, corrections: Corrections,
               week: Period, overdue_days: int, open_items: OpenItems | None = None,
               with_map: bool = True) -> WeeklySummary:
    """The weekly digest of the loaded history: the frame of its columns, and
    the full records of the week's visits, as corrected."""
    from theodoi.visits.columns import visits_dated

    return weekly_summary(registers, visits_frame_of_columns(columns, with_rows=True),
                          visits_dated(columns, corrections, week.start, week.end), week,
                          overdue_days, open_items, with_map, visit_id_of=columns.visit_id)


def weekly_summary(registers: Registers, visits: pd.DataFrame, details: Iterable[Visit],
                   week: Period, overdue_days: int, open_items: OpenItems | None = None,
                   with_map: bool = True, *,
                   visit_id_of: Callable[[int], str]) -> WeeklySummary:
    """The weekly digest.  ``visits`` is the whole history as a frame, with
    ``recorded`` and ``row`` (``visit_id_of`` gives the id of a row);
    ``details`` the full records of at least the visits dated in the week
    (more do no harm).  The map's units (``with_map``) are only worth their
    cost where a map is drawn (HTML): their points may come from the national
    registers."""
    of_week = sorted((v for v in details if v.date in week), key=lambda v: (v.date, v.id))
    quarter = quarter_of(week.end).up_to(week.end)
    return WeeklySummary(
        week=week,
        visits=_frame([_visit_row(registers, v) for v in of_week], VISIT_COLUMNS),
        difficulties=_frame(_raised(registers, of_week, "difficulties"), RAISED_COLUMNS),
        proposals=_frame(_raised(registers, of_week, "proposals"), RAISED_COLUMNS),
        late=_frame(recorded_late(registers, visits, week, visit_id_of), LATE_COLUMNS),
        changes=_frame(assignment_changes(registers, week), CHANGE_COLUMNS),
        coverage=coverage_by_area(registers, visits, quarter),
        overdue=overdue(registers, visits, week.end, overdue_days),
        units=units_on_map(registers, visits, quarter) if with_map else None,
        open_items=open_items,
    )


def recorded_late(registers: Registers, visits: pd.DataFrame, period: Period,
                  visit_id_of: Callable[[int], str]) -> list[dict[str, Any]]:
    """Visits recorded in the period more than LATE_AFTER_DAYS days after they
    happened (they count in the period of their own date)."""
    recorded_day = visits["recorded"]
    near = visits[(recorded_day >= period.start.toordinal())
                  & (recorded_day <= period.end.toordinal())
                  & (recorded_day - visits["day"] > LATE_AFTER_DAYS)]
    ids = [visit_id_of(int(row)) for row in near["row"]]
    rows = []
    for visit_id, day, cadre, commune, stamp in zip(
            ids, near["day"], near["cadre"], near["commune"], near["recorded"], strict=True):
        recorded = date.fromordinal(int(stamp))
        happened = date.fromordinal(int(day))
        place = registers.unit_named(commune, happened)
        rows.append({"visit_id": visit_id, "date": happened, "recorded_on": recorded,
                     "days_late": (recorded - happened).days, "commune_code": commune,
                     "commune_name": place.name if place else None, "cadre_id": cadre,
                     "cadre_name": _cadre_name(registers, cadre)})
    rows.sort(key=lambda r: (r["recorded_on"], r["date"], r["visit_id"]))
    return rows


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame([{k: row.get(k) for k in columns} for row in rows],
                        columns=list(columns), dtype=object)


def _visit_row(registers: Registers, visit: Visit) -> dict[str, Any]:
    commune = registers.unit_named(visit.commune, visit.date)
    return {
        "visit_id": visit.id,
        "date": visit.date,
        "commune_code": visit.commune,
        "commune_name": commune.name if commune else None,
        "district_code": commune.district_code if commune else None,
        "district_name": commune.district_name if commune else None,
        "cadre_id": visit.cadre,
        "cadre_name": _cadre_name(registers, visit.cadre),
        "kind": visit.kind,
        "substitute": visit.substitute or None,
        "notes": visit.notes or None,
    }


def _raised(registers: Registers, visits: list[Visit], field: str) -> list[dict[str, Any]]:
    rows = []
    for visit in visits:
        for text in getattr(visit, field):
            rows.append({**_visit_row(registers, visit), "text": text})
    return rows


def assignment_changes(registers: Registers, week: Period) -> list[dict[str, Any]]:
    """Assignments that begin in the week, or end just before a day of it
    (``until`` + 1 in the week); ``date`` is the first day of the change."""
    changes = []
    for a in registers.assignments:
        events = [(a.since, "begins")]
        if a.until is not None:
            events.append((a.until + timedelta(days=1), "ends"))
        for day, change in events:
            if day in week:
                commune = registers.unit_named(a.commune, a.since)
                changes.append({
                    "date": day,
                    "change": change,
                    "commune_code": a.commune,
                    "commune_name": commune.name if commune else None,
                    "cadre_id": a.cadre or None,
                    "cadre_name": _cadre_name(registers, a.cadre),
                    "decision": a.decision or None,
                })
    changes.sort(key=lambda c: (c["date"], c["commune_code"], c["change"] != "ends"))
    return changes
