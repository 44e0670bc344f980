"""Which visits ``visit list`` shows: the filters, applied to visits as they count.

A query names a commune, a cadre and a date range (each optional); its
result is the visits as their corrections leave them (a withdrawn visit is
not shown), newest first.  The day files that cannot hold a match are not
read (:func:`theodoi.visits.columns.matching_files`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from theodoi.base.model import Visit
    from theodoi.visits.columns import VisitColumns
    from theodoi.visits.corrections import Corrections


@dataclass(frozen=True)
class VisitQuery:
    commune: str | None = None  # a unit's code
    cadre: str | None = None  # a cadre's id
    date_from: date | None = None  # inclusive
    date_to: date | None = None  # inclusive

    def matches(self, visit: Visit) -> bool:
        return ((self.commune is None or visit.commune == self.commune)
                and (self.cadre is None or visit.cadre == self.cadre)
                and (self.date_from is None or visit.date >= self.date_from)
                and (self.date_to is None or visit.date <= self.date_to))

    def select(self, columns: VisitColumns, corrections: Corrections) -> list[Visit]:
        """The matching visits as they count now, newest first."""
        from theodoi.visits.columns import matching_files, recorded_visits
        from theodoi.visits.corrections import effective

        by_visit = corrections.by_visit()
        files = matching_files(columns, self.commune, self.cadre, self.date_from, self.date_to)
        found = [effective(v, by_visit.get(v.id, ())).visit
                 for v in recorded_visits(columns, files)]
        visits = [v for v in found if v is not None and self.matches(v)]
        visits.sort(key=lambda v: (v.date, v.recorded_at, v.id), reverse=True)
        return visits
