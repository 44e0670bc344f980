"""Sort, filter and cut a report's rows: the questions a clerk asks of a table.

"The communes never visited this year" is ``coverage --by commune --period
2026 --only unvisited``; "the five cadres with the fewest visits" is
``coverage --by cadre --sort visits --limit 5``.  A column is named by its
key, as in the CSV and JSON outputs; a leading ``-`` sorts from the largest.
Empty values go last either way.  Text sorts as Vietnamese is read without
diacritics (Đ with D), so that a list sorted by name is the one a clerk
expects.  Totals are the report's, never recomputed on the rows kept.

Pure: the rows in, the rows out (a pandas frame or a list of records).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from theodoi.base import checks
from theodoi.base.i18n import N_
from theodoi.base.problems import Msg, TheodoiError
from theodoi.base.textnorm import fold

if TYPE_CHECKING:
    import pandas as pd

ONLY_VISITED, ONLY_UNVISITED = "visited", "unvisited"


@dataclass(frozen=True)
class Cut:
    sort: str | None = None  # a column key, "-key" for largest first
    limit: int | None = None
    only: str | None = None

    @property
    def is_whole(self) -> bool:
        return self.sort is None and self.limit is None and self.only is None

    def column(self, columns: Sequence[str]) -> tuple[str, bool] | None:
        """(column, descending) of --sort, checked against the report's columns."""
        if self.sort is None:
            return None
        descending = self.sort.startswith("-")
        column = self.sort.lstrip("-").strip()
        if column not in columns:  # "days" for "days", "visits"; "agency" for "cadre_agency"
            near = [c for c in columns if c.endswith(f"_{column}") or c.startswith(f"{column}_")]
            column = near[0] if len(near) == 1 else column
        if column not in columns:
            raise TheodoiError(checks.UNKNOWN_SORT_COLUMN, column=column,
                               columns=", ".join(columns))
        return column, descending


def _text_key(value: Any) -> Any:
    return fold(value) if isinstance(value, str) else value


def is_empty(value: Any) -> bool:
    """An empty cell: None, "", or a missing number or date (NaN, NaT, pandas' NA)."""
    if value is None or (isinstance(value, str) and not value):
        return True
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return True  # pandas' NA is neither equal nor unequal to itself


def sorted_order(values: Sequence[Any], descending: bool = False) -> list[int]:
    """The positions of ``values`` in --sort order: the one engine of frames and
    records.  Text as read without diacritics; ties keep their order; empty
    values last, in their order, either way."""
    present = [i for i, value in enumerate(values) if not is_empty(value)]
    present.sort(key=lambda i: _text_key(values[i]), reverse=descending)
    return present + [i for i, value in enumerate(values) if is_empty(value)]


def cut_frame(frame: pd.DataFrame, cut: Cut,
              keep: Callable[[pd.DataFrame], pd.Series] | None = None) -> pd.DataFrame:
    """The rows ``keep`` selects (--only), sorted (--sort), the first ``limit``."""
    if keep is not None:
        frame = frame[keep(frame)]
    order = cut.column(list(frame.columns))
    if order is not None:
        column, descending = order
        frame = frame.iloc[sorted_order(frame[column].tolist(), descending)]
    if cut.limit is not None:
        frame = frame.head(cut.limit)
    return frame.reset_index(drop=True)


def cut_records(records: list[dict[str, Any]], columns: Sequence[str], cut: Cut,
                keep: Callable[[dict[str, Any]], bool] | None = None) -> list[dict[str, Any]]:
    """The same for a list of records (one dict per row, keyed by column)."""
    if keep is not None:
        records = [r for r in records if keep(r)]
    order = cut.column(columns)
    if order is not None:
        column, descending = order
        records = [records[i] for i in sorted_order([r.get(column) for r in records],
                                                    descending)]
    return records[:cut.limit] if cut.limit is not None else records


def cut_objects(objects: Sequence[Any], rows: Sequence[dict[str, Any]], columns: Sequence[str],
                cut: Cut, keep: Callable[[dict[str, Any]], bool] | None = None) -> list[Any]:
    """The objects whose rows (one per object, in the same order) a cut keeps, in its order."""
    indexed = [{**row, _INDEX: i} for i, row in enumerate(rows)]
    return [objects[row[_INDEX]] for row in cut_records(indexed, columns, cut, keep)]


_INDEX = "\0index"


def shown_note(shown: int, total: int, cut: Cut) -> Msg | None:
    """"Showing 5 of 108 rows (--sort visits --limit 5)": what a cut table says of itself."""
    if cut.is_whole:
        return None
    options = " ".join(part for part in (
        f"--only {cut.only}" if cut.only else "",
        f"--sort {cut.sort}" if cut.sort else "",
        f"--limit {cut.limit}" if cut.limit is not None else "") if part)
    return Msg(N_("Showing {shown} of {total} rows ({options})."),
               {"shown": shown, "total": total, "options": options})
