"""The six-month and yearly review: each cadre's work over a period, fairly counted.

Pure computations: registers, visits, the follow-up of difficulties and
proposals, and the programme in; rows out (machine keys, dates as dates).
The review counts the period up to its end, or up to the as-of day if that
is earlier (a review of the year made in November counts the year so far).

How each figure is counted, so that a person can check it by hand:

- **A cadre's part.**  Each assignment of a cadre overlapping the period is
  a *part*: the cadre, the commune, and the days of the period it covers.
  A reassignment in the middle of the period gives each cadre their own
  part, as coverage does; a visit counts for the cadre who made it, on the
  day it took place.
- **Quarters expected and met.**  For each quarter of the period that has
  ended by the last day counted, a part is *expected* to have a visit when
  it covers at least half of that quarter's days; it is *met* when the cadre
  made at least ``visits_per_quarter`` visits (a setting, default 1) to that
  commune on those days.  A quarter still running is not counted either way.
  A cadre is *below the expected rhythm* when fewer quarters are met than
  expected; those cadres are listed first, the furthest below first.
- **Meetings** are visits of the kinds ``executive`` and ``standing`` (the
  commune party's executive or standing committee).
- **Difficulties and proposals** are those raised at the cadre's visits in
  the period; resolved, declined and still pending as of the last day
  counted (a proposal resolved after the period's end was pending at it);
  pending for more than ``proposal_overdue_days`` is overdue.
- **The longest gap** is the longest stretch of days, within a part, from
  its first day or a visit to the next visit or its last day (a part of
  01/01–31/03 with one visit on 10/02 has gaps of 40 and 49 days).
- **Plans** (``plans/YYYY.yaml``): a planned visit is *due* when its month,
  quarter or day has ended by the last day counted, and *done* when a visit
  of the cadre to the commune falls within it (each visit fulfils one plan);
  the planned visits counted are those due and those already done.

This module reads no file; :mod:`theodoi.cli.review` loads and renders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from theodoi.base.i18n import N_
from theodoi.base.model import Cadre, Commune, Registers
from theodoi.base.periods import Period, quarter_period
from theodoi.base.problems import Msg
from theodoi.followup.proposals import (
    DECLINED,
    DIFFICULTY,
    PENDING,
    RESOLVED,
    FollowUp,
    item_overdue,
)

if TYPE_CHECKING:
    from theodoi.followup.plans import Plan
    from theodoi.visits.columns import VisitColumns

GROUPINGS = ("cadre", "commune", "agency", "district")
MEETING_KINDS = ("executive", "standing")


@dataclass(frozen=True)
class VisitFact:
    """What the review needs of a visit (as corrected)."""

    id: str
    day: date
    cadre: str
    commune: str
    kind: str
    substitute: bool = False  # made in place of the cadre assigned, with a reason


def visit_facts(columns: VisitColumns) -> list[VisitFact]:
    """Every visit that counts, from the loaded columns (no YAML read again)."""
    from theodoi.visits.columns import SUBSTITUTE

    ids = columns.ids()
    days, cadres = columns.ints("day"), columns.ints("cadre")
    communes, kinds = columns.ints("commune"), columns.ints("kind")
    vocab = columns.vocab
    return [VisitFact(ids[row], date.fromordinal(days[row]), vocab[cadres[row]],
                      vocab[communes[row]], vocab[kinds[row]],
                      bool(columns.flags[row] & SUBSTITUTE))
            for row in range(len(columns)) if columns.counted(row)]


@dataclass(frozen=True)
class Part:
    """A cadre's assignment to a commune, cut to the days the review counts."""

    cadre: str
    commune: str
    since: date  # the assignment's own first day (may be before the period)
    until: date | None  # its own last day (None: still in force)
    start: date
    stop: date


@dataclass
class Figures:
    """The figures of a row, summed over its parts, visits, items and plans."""

    visits: int = 0
    communes_visited: set[str] = field(default_factory=set)
    meetings: int = 0
    quarters_expected: int = 0
    quarters_met: int = 0
    difficulties_raised: int = 0
    proposals_raised: int = 0
    resolved: int = 0
    declined: int = 0
    pending: int = 0
    pending_overdue: int = 0
    planned: int = 0
    planned_done: int = 0
    gap: tuple[int, str, date | None, date | None] = (0, "", None, None)  # days, commune, from, to
    last_visit: date | None = None

    @property
    def below(self) -> bool:
        return self.quarters_met < self.quarters_expected

    @property
    def rhythm(self) -> float | None:
        """Quarters met as a percentage of those expected (None: none expected)."""
        if not self.quarters_expected:
            return None
        return round(100.0 * self.quarters_met / self.quarters_expected, 1)

    def add_gap(self, days: int, commune: str, start: date | None, stop: date | None) -> None:
        if days > self.gap[0] or (days == self.gap[0] and not self.gap[1]):
            self.gap = (days, commune, start, stop)

    def merge(self, other: Figures) -> None:
        for name in ("visits", "meetings", "quarters_expected", "quarters_met",
                     "difficulties_raised", "proposals_raised", "resolved", "declined",
                     "pending", "pending_overdue", "planned", "planned_done"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.communes_visited |= other.communes_visited
        self.add_gap(*other.gap)
        if other.last_visit and (self.last_visit is None or other.last_visit > self.last_visit):
            self.last_visit = other.last_visit

    def values(self) -> dict[str, Any]:
        return {
            "visits": self.visits, "communes_visited": len(self.communes_visited),
            "meetings": self.meetings, "quarters_expected": self.quarters_expected,
            "quarters_met": self.quarters_met, "rhythm_percent": self.rhythm,
            "below_rhythm": self.below, "difficulties_raised": self.difficulties_raised,
            "proposals_raised": self.proposals_raised, "resolved": self.resolved,
            "declined": self.declined, "pending": self.pending,
            "pending_overdue": self.pending_overdue, "planned": self.planned,
            "planned_done": self.planned_done, "longest_gap_days": self.gap[0],
            "longest_gap_commune": self.gap[1] or None, "longest_gap_from": self.gap[2],
            "longest_gap_to": self.gap[3], "last_visit": self.last_visit,
        }


FIGURE_KEYS = ("visits", "communes_visited", "meetings", "quarters_expected", "quarters_met",
               "rhythm_percent", "below_rhythm", "difficulties_raised", "proposals_raised",
               "resolved", "declined", "pending", "pending_overdue", "planned",
               "planned_done", "longest_gap_days", "longest_gap_commune", "longest_gap_from",
               "longest_gap_to", "last_visit")
KEYS = {
    "cadre": ("cadre_id", "cadre_name", "title", "agency", "communes_followed",
              "communes_followed_names", "followed_since", "followed_until", *FIGURE_KEYS),
    "commune": ("commune_code", "commune_name", "district_code", "district_name", "cadre_ids",
                "cadre_names", *FIGURE_KEYS),
    "agency": ("agency", "cadres", "cadres_below", "communes_followed", *FIGURE_KEYS),
    "district": ("district_code", "district_name", "communes", "communes_below",
                 *FIGURE_KEYS),
}
TOTAL_KEYS = ("cadres", "cadres_below", "communes", *FIGURE_KEYS)


@dataclass(frozen=True)
class Review:
    period: Period
    end: date  # the last day counted
    by: str
    visits_per_quarter: int
    overdue_days: int  # proposal_overdue_days
    quarters: tuple[Period, ...]  # the quarters counted (ended by ``end``)
    rows: list[dict[str, Any]]
    total: dict[str, Any]
    notes: tuple[Msg, ...] = ()

    @property
    def complete(self) -> bool:
        return self.end >= self.period.end


def quarters_counted(period: Period, end: date) -> tuple[Period, ...]:
    """The quarters lying within the period that have ended by ``end``."""
    found = []
    for year in range(period.start.year, period.end.year + 1):
        for number in range(1, 5):
            quarter = quarter_period(year, number)
            if period.start <= quarter.start and quarter.end <= min(period.end, end):
                found.append(quarter)
    return tuple(found)


def parts_of(registers: Registers, start: date, end: date) -> list[Part]:
    """The parts of the cadres' assignments within [start, end], in file order."""
    parts: list[Part] = []
    if end < start:  # a period not begun yet
        return parts
    for a in registers.assignments:
        if not a.cadre or a.since > end or (a.until is not None and a.until < start):
            continue
        parts.append(Part(a.cadre, a.commune, a.since, a.until, max(a.since, start),
                          min(a.until, end) if a.until is not None else end))
    return parts


def _days_between(days: Iterable[date], start: date, stop: date) -> list[date]:
    return sorted(d for d in days if start <= d <= stop)


def _gap(visit_days: list[date], start: date, stop: date) -> tuple[int, date, date]:
    """The longest stretch from the start or a visit to the next visit or the stop."""
    marks = [start, *visit_days, stop]
    best = (0, start, start)
    for first, second in zip(marks, marks[1:], strict=False):
        if (second - first).days > best[0]:
            best = ((second - first).days, first, second)
    return best


def _part_figures(part: Part, visits: list[date], quarters: tuple[Period, ...],
                  per_quarter: int) -> Figures:
    """Quarters expected and met, and the longest gap, of one part (``visits``:
    the days of the cadre's visits to the part's commune)."""
    figures = Figures()
    for quarter in quarters:
        start, stop = max(part.start, quarter.start), min(part.stop, quarter.end)
        if stop < start:
            continue
        if 2 * ((stop - start).days + 1) >= quarter.days:
            figures.quarters_expected += 1
            if len(_days_between(visits, start, stop)) >= per_quarter:
                figures.quarters_met += 1
    days, first, second = _gap(_days_between(visits, part.start, part.stop), part.start,
                               part.stop)
    figures.add_gap(days, part.commune, first, second)
    return figures


def _match_plans(plans: list[Plan], visits: list[VisitFact], end: date
                 ) -> tuple[dict[int, date | None], set[int]]:
    """Each plan (by position) -> the day of the visit that fulfils it (None:
    none); narrower windows choose first, each visit fulfils one plan."""
    by_pair: dict[tuple[str, str], list[date]] = defaultdict(list)
    for visit in visits:
        if visit.day <= end:
            by_pair[visit.cadre, visit.commune].append(visit.day)
    used: dict[tuple[str, str], set[date]] = defaultdict(set)
    done: dict[int, date | None] = {}
    counted: set[int] = set()
    order = sorted(range(len(plans)), key=lambda i: (plans[i].window.days,
                                                      plans[i].window.start, i))
    for index in order:
        plan = plans[index]
        pair = (plan.cadre, plan.commune)
        found = None
        for day in sorted(by_pair.get(pair, ())):
            if plan.window.start <= day <= plan.window.end and day not in used[pair]:
                found = day
                used[pair].add(day)
                break
        done[index] = found
        if found is not None or plan.window.end <= end:
            counted.add(index)
    return done, counted


@dataclass
class _Sums:
    """Figures by cadre and by commune, before they become rows."""

    cadres: dict[str, Figures] = field(default_factory=lambda: defaultdict(Figures))
    communes: dict[str, Figures] = field(default_factory=lambda: defaultdict(Figures))
    parts: list[Part] = field(default_factory=list)


def _sums(registers: Registers, visits: list[VisitFact], follow: FollowUp | None,
          plans: list[Plan], period: Period, end: date, overdue_days: int) -> _Sums:
    start = period.start
    sums = _Sums(parts=parts_of(registers, start, end))
    by_pair, by_commune = _count_visits(sums, [v for v in visits if start <= v.day <= end])
    _count_parts(sums, by_pair, by_commune, quarters_counted(period, end),
                 registers.settings.visits_per_quarter)
    if follow is not None:
        _count_items(sums, follow, start, end, overdue_days)
    _count_plans(sums, [p for p in plans if start <= p.window.start <= end], visits, end)
    last = _last_visits(visits, end)
    for side, of_side in enumerate((sums.cadres, sums.communes)):
        for key, figures in of_side.items():
            figures.last_visit = last.get((side, key))
    return sums


def _count_visits(sums: _Sums, in_window: list[VisitFact]
                  ) -> tuple[dict[tuple[str, str], list[date]], dict[str, list[date]]]:
    """Count the period's visits by cadre and by commune; their days by
    (cadre, commune) and by commune."""
    by_pair: dict[tuple[str, str], list[date]] = defaultdict(list)
    by_commune: dict[str, list[date]] = defaultdict(list)
    for visit in in_window:
        by_pair[visit.cadre, visit.commune].append(visit.day)
        by_commune[visit.commune].append(visit.day)
        for key, table in ((visit.cadre, sums.cadres), (visit.commune, sums.communes)):
            row = table[key]
            row.visits += 1
            row.communes_visited.add(visit.commune)
            row.meetings += visit.kind in MEETING_KINDS
    return by_pair, by_commune


def _last_visits(visits: list[VisitFact], end: date) -> dict[tuple[int, str], date]:
    """The last visit on or before the end, at any time: by (0, cadre) and (1, commune)."""
    last: dict[tuple[int, str], date] = {}
    for visit in visits:
        if visit.day <= end:
            for pair in ((0, visit.cadre), (1, visit.commune)):
                if pair not in last or visit.day > last[pair]:
                    last[pair] = visit.day
    return last


def _count_parts(sums: _Sums, by_pair: dict[tuple[str, str], list[date]],
                 by_commune: dict[str, list[date]], quarters: tuple[Period, ...],
                 per_quarter: int) -> None:
    """The quarters expected and met of each assignment's part of the period,
    and each commune's longest gap between visits by anyone."""
    commune_span: dict[str, tuple[date, date]] = {}
    for part in sums.parts:
        of_part = _part_figures(part, by_pair[part.cadre, part.commune], quarters, per_quarter)
        sums.cadres[part.cadre].merge(of_part)
        of_commune = sums.communes[part.commune]
        of_commune.quarters_expected += of_part.quarters_expected
        of_commune.quarters_met += of_part.quarters_met
        low, high = commune_span.get(part.commune, (part.start, part.stop))
        commune_span[part.commune] = (min(low, part.start), max(high, part.stop))
    for code, (low, high) in commune_span.items():  # a commune's gap: visits by anyone
        days, first, second = _gap(_days_between(by_commune[code], low, high), low, high)
        sums.communes[code].add_gap(days, code, first, second)


def _count_items(sums: _Sums, follow: FollowUp, start: date, end: date,
                 overdue_days: int) -> None:
    """The difficulties and proposals raised in the period, by what became of them."""
    for item in follow.items.counted():
        if not start <= item.raised <= end:
            continue
        state = follow.state_on(item, end)
        for key, table in ((item.cadre, sums.cadres), (item.commune, sums.communes)):
            row = table[key]
            if item.kind == DIFFICULTY:
                row.difficulties_raised += 1
            else:
                row.proposals_raised += 1
            row.resolved += state.status == RESOLVED
            row.declined += state.status == DECLINED
            if state.status in PENDING:
                row.pending += 1
                row.pending_overdue += item_overdue(state.status, (end - item.raised).days,
                                                    overdue_days)


def _count_plans(sums: _Sums, in_period: list[Plan], visits: list[VisitFact],
                 end: date) -> None:
    """The planned visits that count by the end, and those a visit carried out."""
    done, counted = _match_plans(in_period, visits, end)
    for index, plan in enumerate(in_period):
        if index not in counted:
            continue
        for key, table in ((plan.cadre, sums.cadres), (plan.commune, sums.communes)):
            table[key].planned += 1
            table[key].planned_done += done[index] is not None


def review(registers: Registers, visits: list[VisitFact], follow: FollowUp | None,
           plans: list[Plan], period: Period, as_of: date, by: str = "cadre") -> Review:
    """The review of ``period`` up to ``as_of`` (if earlier than its end), by
    cadre, commune, agency or district."""
    if by not in GROUPINGS:
        raise ValueError(by)
    end = min(period.end, as_of)
    overdue_days = registers.settings.proposal_overdue_days
    sums = _sums(registers, visits, follow, plans, period, end, overdue_days)
    cadre_rows = _cadre_rows(registers, sums, end)
    rows = {"cadre": lambda: cadre_rows,
            "commune": lambda: _commune_rows(registers, sums, end),
            "agency": lambda: _agency_rows(registers, cadre_rows),
            "district": lambda: _district_rows(_commune_rows(registers, sums, end))}[by]()
    total = Figures()
    for figures in sums.cadres.values():
        total.merge(figures)
    total_row = {"cadres": len(cadre_rows),
                 "cadres_below": sum(1 for row in cadre_rows if row["below_rhythm"]),
                 "communes": len({p.commune for p in sums.parts}), **total.values()}
    total_row["communes_visited"] = len({c for f in sums.cadres.values()
                                         for c in f.communes_visited})
    notes: list[Msg] = []
    if end < period.start:
        notes.append(Msg(N_("The period has not begun on {day}: there is nothing to count "
                            "yet."), {"day": as_of}))
    return Review(period, end, by, registers.settings.visits_per_quarter, overdue_days,
                  quarters_counted(period, end), rows, total_row, tuple(notes))


def _unit(registers: Registers, code: str, day: date) -> Commune | None:
    return registers.unit_named(code, day)


def _cadre_rows(registers: Registers, sums: _Sums, end: date) -> list[dict[str, Any]]:
    parts_of_cadre: dict[str, list[Part]] = defaultdict(list)
    for part in sums.parts:
        parts_of_cadre[part.cadre].append(part)
    rows = []
    for cadre_id, figures in sums.cadres.items():
        cadre = registers.cadres.get(cadre_id)
        parts = sorted(parts_of_cadre.get(cadre_id, []), key=lambda p: (p.since, p.commune))
        units = [_unit(registers, p.commune, p.start) for p in parts]
        rows.append({
            "cadre_id": cadre_id, "cadre_name": cadre.name if cadre else None,
            "title": cadre.title if cadre else None, "agency": cadre.agency if cadre else None,
            "communes_followed": [p.commune for p in parts],
            "communes_followed_names": [u.name if u else p.commune
                                        for u, p in zip(units, parts, strict=True)],
            "followed_since": [p.since for p in parts],
            "followed_until": [p.until if p.until is not None and p.until <= end else None
                               for p in parts],
            **figures.values(), "_visited": figures.communes_visited,
        })
        gap_unit = _unit(registers, figures.gap[1], figures.gap[2] or end) if figures.gap[1] \
            else None
        rows[-1]["longest_gap_commune_name"] = gap_unit.name if gap_unit else figures.gap[1]
    rows.sort(key=_rhythm_order("cadre_id"))
    return rows


def _rhythm_order(key: str) -> Any:
    """Below the expected rhythm first, the furthest below first; then by ``key``."""
    def order(row: dict[str, Any]) -> tuple[bool, float, str]:
        rhythm = row["rhythm_percent"]
        return (not row["below_rhythm"], rhythm if rhythm is not None else 101.0,
                str(row[key]))
    return order


def _commune_rows(registers: Registers, sums: _Sums, end: date) -> list[dict[str, Any]]:
    cadres_of: dict[str, list[str]] = defaultdict(list)
    for part in sums.parts:
        if part.cadre not in cadres_of[part.commune]:
            cadres_of[part.commune].append(part.cadre)
    rows = []
    for code, figures in sums.communes.items():
        unit = _unit(registers, code, end)
        ids = cadres_of.get(code, [])
        names = [registers.cadres[i].name if i in registers.cadres else i for i in ids]
        rows.append({
            "commune_code": code, "commune_name": unit.name if unit else None,
            "district_code": unit.district_code if unit else None,
            "district_name": unit.district_name if unit else None,
            "group": unit.group if unit else None,
            "cadre_ids": ids, "cadre_names": names, **figures.values(),
        })
    rows.sort(key=_rhythm_order("commune_code"))
    return rows


_SUMMED = ("visits", "meetings", "quarters_expected", "quarters_met", "difficulties_raised",
           "proposals_raised", "resolved", "declined", "pending", "pending_overdue",
           "planned", "planned_done")


def _grouped(rows: list[dict[str, Any]], key: Any) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def _summed(rows: list[dict[str, Any]]) -> dict[str, Any]:
    values: dict[str, Any] = {name: sum(int(row[name]) for row in rows) for name in _SUMMED}
    expected, met = values["quarters_expected"], values["quarters_met"]
    values["rhythm_percent"] = round(100.0 * met / expected, 1) if expected else None
    values["below_rhythm"] = met < expected
    longest = max(rows, key=lambda row: int(row["longest_gap_days"]))
    values.update({k: longest[k] for k in ("longest_gap_days", "longest_gap_commune",
                                           "longest_gap_from", "longest_gap_to")})
    lasts = [row["last_visit"] for row in rows if row["last_visit"]]
    values["last_visit"] = max(lasts) if lasts else None
    return values


def _agency_rows(registers: Registers, cadre_rows: list[dict[str, Any]]
                 ) -> list[dict[str, Any]]:
    rows = []
    for agency, members in sorted(_grouped(cadre_rows, lambda r: r["agency"] or "").items()):
        communes = {c for row in members for c in row["communes_followed"]}
        visited = {c for row in members for c in row["_visited"]}
        rows.append({"agency": agency or None, "cadres": len(members),
                     "cadres_below": sum(1 for row in members if row["below_rhythm"]),
                     "communes_followed": len(communes), **_summed(members),
                     "communes_visited": len(visited)})
    return rows


def _district_rows(commune_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def district(row: dict[str, Any]) -> str:
        return str(row["district_code"] or "") + "\x00" + str(
            row["district_name"] or row["group"] or "")

    rows = []
    for key, members in sorted(_grouped(commune_rows, district).items()):
        code, name = key.split("\x00")
        rows.append({"district_code": code or None, "district_name": name or None,
                     "communes": len(members),
                     "communes_below": sum(1 for row in members if row["below_rhythm"]),
                     **_summed(members),
                     "communes_visited": sum(1 for row in members if row["visits"])})
    return rows


@dataclass(frozen=True)
class PlanOutcome:
    plan: Plan
    done_on: date | None  # the day of the visit that fulfils it
    due: bool  # its month, quarter or day has ended by the last day counted


def plan_outcomes(plans: list[Plan], visits: list[VisitFact], start: date, end: date
                  ) -> list[PlanOutcome]:
    """The planned visits of [start, end] with what became of them, in date order."""
    in_period = [p for p in plans if start <= p.window.start <= end]
    done, _counted = _match_plans(in_period, visits, end)
    found = [PlanOutcome(plan, done[i], plan.window.end <= end)
             for i, plan in enumerate(in_period)]
    found.sort(key=lambda o: (o.plan.window.start, o.plan.window.end, o.plan.commune))
    return found


def rows_for(review_result: Review, cadre_id: str) -> dict[str, Any] | None:
    """The row of one cadre in a review by cadre (the scorecard's figures)."""
    return next((row for row in review_result.rows if row.get("cadre_id") == cadre_id), None)



# --- a cadre's scorecard ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scorecard:
    """Everything ``cadre show`` says of one cadre for a period (rows with
    machine keys and dates as dates; the renderer translates)."""

    cadre: Cadre
    review: Review  # the review by cadre of the period (for its rules and bounds)
    figures: dict[str, Any] | None  # the cadre's row of it (None: nothing in the period)
    assignments: list[dict[str, Any]]
    visits: list[dict[str, Any]]
    items: list[dict[str, Any]]  # theodoi.followup.proposals.ITEM_KEYS
    plans: list[dict[str, Any]]


def scorecard(registers: Registers, cadre: Cadre, visits: list[VisitFact],
              follow: FollowUp | None, plans: list[Plan], period: Period, as_of: date
              ) -> Scorecard:
    from theodoi.followup.proposals import as_of_day, item_row

    result = review(registers, visits, follow, plans, period, as_of, "cadre")
    start, end = period.start, result.end
    assignments = []
    for a in sorted((a for a in registers.assignments if a.cadre == cadre.id),
                    key=lambda a: (a.since, a.commune)):
        unit = registers.unit_named(a.commune, a.since)
        assignments.append({"commune_code": a.commune, "commune": unit.name if unit else a.commune,
                            "since": a.since, "until": a.until, "decision": a.decision or None})
    made = []
    for visit in sorted((v for v in visits if v.cadre == cadre.id and start <= v.day <= end),
                        key=lambda v: (v.day, v.id)):
        unit = registers.unit_named(visit.commune, visit.day)
        made.append({"id": visit.id, "date": visit.day, "commune_code": visit.commune,
                     "commune_name": unit.name if unit else visit.commune, "kind": visit.kind,
                     "substitute": visit.substitute})
    items = []
    if follow is not None and end >= start:
        items = [item_row(f, registers)
                 for f in as_of_day(follow, end, registers.settings.proposal_overdue_days)
                 if f.item.cadre == cadre.id and f.item.raised >= start]
    outcomes = []
    for outcome in plan_outcomes([p for p in plans if p.cadre == cadre.id], visits, start, end):
        unit = registers.unit_named(outcome.plan.commune, outcome.plan.window.start)
        outcomes.append({"id": outcome.plan.id, "commune_code": outcome.plan.commune,
                         "commune_name": unit.name if unit else outcome.plan.commune,
                         "window": outcome.plan.window, "due": outcome.due,
                         "done_on": outcome.done_on})
    return Scorecard(cadre, result, rows_for(result, cadre.id), assignments, made, items,
                     outcomes)
