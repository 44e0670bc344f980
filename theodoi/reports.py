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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from theodoi.model import Assignment, Commune, Registers, Visit
from theodoi.periods import Period, quarter_of, recorded_date
from theodoi.visit_columns import WITHDRAWN

if TYPE_CHECKING:
    from theodoi.visit_columns import VisitColumns

GROUPINGS = ("district", "commune", "cadre", "agency")
# A visit entered more than this many days after it happened is "recorded late".
LATE_AFTER_DAYS = 7


@dataclass(frozen=True)
class Coverage:
    period: Period
    by: str
    rows: pd.DataFrame
    # The province total (by district only): communes, communes_visited,
    # percent_covered, visits.
    total: dict[str, Any] | None = None


@dataclass(frozen=True)
class Overdue:
    as_of: date
    threshold: int  # days without a visit before a commune is overdue
    rows: pd.DataFrame


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


def visits_frame(day: Sequence[int], cadre: Sequence[str], commune: Sequence[str],
                 visit_id: Sequence[str] | None = None,
                 recorded: Sequence[int] | None = None) -> pd.DataFrame:
    """The history as columns: ``day`` (ordinal), ``cadre``, ``commune``, and
    for the weekly summary ``visit_id`` and ``recorded`` (the ordinal of the
    day it was recorded, 0 when unknown)."""
    columns: dict[str, Any] = {
        "day": np.asarray(day, dtype=np.int64),
        "cadre": pd.Series(cadre, dtype=object),
        "commune": pd.Series(commune, dtype=object),
    }
    if visit_id is not None:
        columns["visit_id"] = pd.Series(visit_id, dtype=object)
    if recorded is not None:
        columns["recorded"] = np.asarray(recorded, dtype=np.int64)
    return pd.DataFrame(columns)


def visits_frame_of(visits: Iterable[Visit]) -> pd.DataFrame:
    listed = list(visits)
    stamps = [recorded_date(v.recorded_at) for v in listed]
    return visits_frame([v.date.toordinal() for v in listed], [v.cadre for v in listed],
                        [v.commune for v in listed], [v.id for v in listed],
                        [s.toordinal() if s else 0 for s in stamps])


def visits_frame_of_columns(columns: VisitColumns, with_ids: bool = False) -> pd.DataFrame:
    """The frame of the loaded columns: packed arrays in, no per-visit objects
    (the ids, text, only for the weekly summary's list of late records)."""
    vocab = np.asarray(columns.vocab, dtype=object) if columns.vocab else np.array([], object)

    def ints(name: str) -> np.ndarray:
        return np.frombuffer(getattr(columns, name), dtype=np.int32).astype(np.int64)

    frame = pd.DataFrame({
        "day": ints("day"),
        "cadre": vocab[ints("cadre")] if len(columns) else np.array([], object),
        "commune": vocab[ints("commune")] if len(columns) else np.array([], object),
        "recorded": ints("recorded"),
    })
    if with_ids:
        frame["visit_id"] = pd.Series(columns.ids(), dtype=object)
    if columns.corrected:  # a withdrawn visit counts nowhere
        withdrawn = np.frombuffer(columns.flags, dtype=np.uint8) & WITHDRAWN
        frame = frame[withdrawn == 0].reset_index(drop=True)
    return frame


# --- coverage -------------------------------------------------------------------

def coverage(registers: Registers, visits: pd.DataFrame, period: Period, by: str,
             today: date) -> Coverage:
    """Coverage of ``period`` grouped ``by`` district, commune, cadre or agency.

    The cadre shown for a commune is the one in force at the end of the
    period, or on ``today`` if that is earlier."""
    if by == "district":
        return coverage_by_district(registers, visits, period)
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


def _ordered_communes(registers: Registers) -> list[Commune]:
    return sorted(registers.communes.values(), key=lambda c: (c.district_code, c.code))


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def coverage_by_district(registers: Registers, visits: pd.DataFrame, period: Period
                         ) -> Coverage:
    """Per district: communes, communes visited, percent covered, visits; a
    visit to a commune missing from communes.csv is left out (validate names it)."""
    counts = _counts(_within(visits, period.start, period.end), "commune")
    communes = _ordered_communes(registers)
    frame = pd.DataFrame({
        "district_code": [c.district_code for c in communes],
        "district_name": [c.district_name for c in communes],
        "visits": [counts.get(c.code, 0) for c in communes],
    })
    frame["visited"] = frame["visits"] > 0
    rows = frame.groupby("district_code", sort=True).agg(
        district_name=("district_name", "first"),
        communes=("visits", "size"),
        communes_visited=("visited", "sum"),
        visits=("visits", "sum"),
    ).reset_index()
    rows["percent_covered"] = [percent(int(v), int(n))
                               for v, n in zip(rows["communes_visited"], rows["communes"],
                                               strict=True)]
    rows = rows[["district_code", "district_name", "communes", "communes_visited",
                 "percent_covered", "visits"]]
    units, visited = len(communes), int(frame["visited"].sum())
    total = {"communes": units, "communes_visited": visited,
             "percent_covered": percent(visited, units), "visits": int(frame["visits"].sum())}
    return Coverage(period, "district", rows, total)


def coverage_by_commune(registers: Registers, visits: pd.DataFrame, period: Period,
                        today: date) -> Coverage:
    """Per commune: its cadre, visits in the period, last visit on or before
    the period's end (which may be before the period began)."""
    in_force_on = min(period.end, today)
    counts = _counts(_within(visits, period.start, period.end), "commune")
    last = _last_day(visits, period.end, "commune")
    communes = _ordered_communes(registers)
    cadre_ids: list[str | None] = []
    for commune in communes:
        assignment = registers.cadre_of(commune.code, in_force_on)
        cadre_ids.append(assignment.cadre if assignment and assignment.cadre else None)
    rows = pd.DataFrame({
        "commune_code": [c.code for c in communes],
        "commune_name": [c.name for c in communes],
        "district_code": [c.district_code for c in communes],
        "district_name": [c.district_name for c in communes],
        "cadre_id": pd.Series(cadre_ids, dtype=object),
        "cadre_name": pd.Series([_cadre_name(registers, i) for i in cadre_ids], dtype=object),
        "visits": [counts.get(c.code, 0) for c in communes],
        "last_visit": pd.Series([last.get(c.code) for c in communes], dtype=object),
    })
    return Coverage(period, "commune", rows)


def _cadre_name(registers: Registers, cadre_id: str | None) -> str | None:
    cadre = registers.cadres.get(cadre_id) if cadre_id else None
    return cadre.name if cadre else None


def _followed_in(registers: Registers, period: Period) -> dict[str, list[str]]:
    """Cadre -> communes whose assignment to that cadre overlaps the period."""
    followed: dict[str, list[str]] = defaultdict(list)
    for a in sorted(registers.assignments, key=lambda a: (a.since, a.commune)):
        if a.cadre and _overlaps(a, period) and a.commune not in followed[a.cadre]:
            followed[a.cadre].append(a.commune)
    return followed


def _overlaps(assignment: Assignment, period: Period) -> bool:
    return assignment.since <= period.end and (
        assignment.until is None or assignment.until >= period.start)


def coverage_by_cadre(registers: Registers, visits: pd.DataFrame, period: Period
                      ) -> Coverage:
    """Per cadre who followed a commune in the period or made a visit in it:
    the communes followed, visits made, communes visited, last visit."""
    in_period = _within(visits, period.start, period.end)
    counts = _counts(in_period, "cadre")
    visited = {str(name): int(n) for name, n in
               in_period.groupby("cadre", sort=False)["commune"].nunique().items()}
    last = _last_day(visits, period.end, "cadre")
    followed = _followed_in(registers, period)
    ids = sorted(set(followed) | set(counts))
    cadres = [registers.cadres.get(i) for i in ids]
    names = {code: c.name for code, c in registers.communes.items()}
    rows = pd.DataFrame({
        "cadre_id": ids,
        "cadre_name": pd.Series([c.name if c else None for c in cadres], dtype=object),
        "title": pd.Series([c.title if c else None for c in cadres], dtype=object),
        "agency": pd.Series([c.agency if c else None for c in cadres], dtype=object),
        "communes_followed": pd.Series([followed.get(i, []) for i in ids], dtype=object),
        "communes_followed_names": pd.Series(
            [[names.get(code, code) for code in followed.get(i, [])] for i in ids],
            dtype=object),
        "visits": [counts.get(i, 0) for i in ids],
        "communes_visited": [visited.get(i, 0) for i in ids],
        "last_visit": pd.Series([last.get(i) for i in ids], dtype=object),
    }, columns=["cadre_id", "cadre_name", "title", "agency", "communes_followed",
                "communes_followed_names", "visits", "communes_visited", "last_visit"])
    return Coverage(period, "cadre", rows)


def coverage_by_agency(registers: Registers, visits: pd.DataFrame, period: Period
                       ) -> Coverage:
    """Per agency, over its cadres: cadres, communes followed, visits made,
    distinct communes visited, last visit."""
    agency_of = {i: c.agency for i, c in registers.cadres.items()}
    by_cadre = coverage_by_cadre(registers, visits, period).rows
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

def overdue(registers: Registers, visits: pd.DataFrame, as_of: date, threshold: int
            ) -> Overdue:
    """Communes with no visit for more than ``threshold`` days on ``as_of``.

    Days are counted from the later of the last visit on or before ``as_of``
    and the start of the assignment in force that day (a new cadre, or a
    vacancy, starts a new count); visits after ``as_of`` are ignored.  With
    neither, from the term's start; with no term start either, the days are
    unknown (None) and the commune is listed first."""
    last = _last_day(visits, as_of, "commune")
    found: list[dict[str, Any]] = []
    for commune in _ordered_communes(registers):
        assignment = registers.cadre_of(commune.code, as_of)
        last_visit = last.get(commune.code)
        marks = [d for d in (last_visit, assignment.since if assignment else None) if d]
        since = max(marks) if marks else registers.settings.term_start
        days = (as_of - since).days if since else None
        if days is not None and days <= threshold:
            continue
        cadre_id = assignment.cadre if assignment and assignment.cadre else None
        cadre = registers.cadres.get(cadre_id) if cadre_id else None
        found.append({
            "commune_code": commune.code,
            "commune_name": commune.name,
            "district_code": commune.district_code,
            "district_name": commune.district_name,
            "cadre_id": cadre_id,
            "cadre_name": cadre.name if cadre else None,
            "agency": cadre.agency if cadre else None,
            "since": assignment.since if assignment else None,
            "last_visit": last_visit,
            "days": days,
        })
    found.sort(key=lambda r: (r["days"] is not None, -(r["days"] or 0), r["commune_code"]))
    rows = pd.DataFrame(found, columns=list(OVERDUE_COLUMNS), dtype=object)
    return Overdue(as_of, threshold, rows)


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


def weekly_summary(registers: Registers, visits: pd.DataFrame, details: Iterable[Visit],
                   week: Period, overdue_days: int) -> WeeklySummary:
    """The weekly digest.  ``visits`` is the whole history as a frame, with
    ``visit_id`` and ``recorded``; ``details`` the full records of at least
    the visits dated in the week (more do no harm)."""
    of_week = sorted((v for v in details if v.date in week), key=lambda v: (v.date, v.id))
    quarter = quarter_of(week.end).up_to(week.end)
    return WeeklySummary(
        week=week,
        visits=_frame([_visit_row(registers, v) for v in of_week], VISIT_COLUMNS),
        difficulties=_frame(_raised(registers, of_week, "difficulties"), RAISED_COLUMNS),
        proposals=_frame(_raised(registers, of_week, "proposals"), RAISED_COLUMNS),
        late=_frame(recorded_late(registers, visits, week), LATE_COLUMNS),
        changes=_frame(assignment_changes(registers, week), CHANGE_COLUMNS),
        coverage=coverage_by_district(registers, visits, quarter),
        overdue=overdue(registers, visits, week.end, overdue_days),
    )


def recorded_late(registers: Registers, visits: pd.DataFrame, period: Period
                  ) -> list[dict[str, Any]]:
    """Visits recorded in the period more than LATE_AFTER_DAYS days after they
    happened (they count in the period of their own date)."""
    recorded_day = visits["recorded"]
    near = visits[(recorded_day >= period.start.toordinal())
                  & (recorded_day <= period.end.toordinal())
                  & (recorded_day - visits["day"] > LATE_AFTER_DAYS)]
    rows = []
    for visit_id, day, cadre, commune, stamp in zip(
            near["visit_id"], near["day"], near["cadre"], near["commune"],
            near["recorded"], strict=True):
        recorded = date.fromordinal(int(stamp))
        happened = date.fromordinal(int(day))
        place = registers.communes.get(commune)
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
    commune = registers.communes.get(visit.commune)
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
                commune = registers.communes.get(a.commune)
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
