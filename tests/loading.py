"""How the tests read a data folder's visits: the path the commands take.

A visit has two forms: the record, as written in its day file, and the
columns, many visits as counted (theodoi.visits.columns).  Reports count the
frame of the columns; listings show the records of a few files, from the
cache's text where it holds them.  The tests read through the same functions,
never through a reader of their own (which could agree with a test while the
commands disagree with both).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from theodoi.base.model import Visit
    from theodoi.reports.figures import WeeklySummary
    from theodoi.visits.columns import VisitColumns


def visit_columns(data: Path) -> VisitColumns:
    """The columns of every day file, as corrected (no cache: --no-cache), from
    the one load every command makes (theodoi.workspace.loader.load_workspace)."""
    from theodoi.workspace.loader import load_workspace

    return load_workspace(data, None).columns


def visits_frame(data: Path) -> pd.DataFrame:
    """The frame the reports count (coverage, overdue)."""
    from theodoi.reports.figures import visits_frame_of_columns

    return visits_frame_of_columns(visit_columns(data))


def recorded_visits(data: Path) -> list[Visit]:
    """Every visit as recorded, in day-file order, as listings read them."""
    from theodoi.visits.columns import recorded_visits as of_files

    columns = visit_columns(data)
    return of_files(columns, range(len(columns.files)))


def weekly_summary(data: Path, week: str, overdue_days: int = 90) -> WeeklySummary:
    """The weekly summary as ``theodoi summary`` computes it (without its
    section on the difficulties and proposals still waiting)."""
    from theodoi.base.periods import parse_period
    from theodoi.reports.figures import summary_of
    from theodoi.workspace.loader import load_workspace

    workspace = load_workspace(data, None)
    return summary_of(workspace.registers, workspace.columns, workspace.corrections,
                      parse_period(week), overdue_days)
