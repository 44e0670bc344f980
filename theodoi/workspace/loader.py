"""The one load of a workspace: registers, corrections, visits, journals, problems.

Every command that reads the data folder calls :func:`load_workspace`, as
beancount's loader returns its entries, errors and options: the load never
stops at the first problem, it returns what it could read and every problem
it met (each with its file and line).  What a command does with them (print,
refuse, count) is the command's affair.

The visits are read as columns (:mod:`theodoi.visits.columns`), taken from the
cache where a day file has not changed; the journals that only some commands
need (the proposals' statuses, the plans) are read on first use.  A change
that a killed writer had decided is finished first (:mod:`theodoi.store.transaction`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from theodoi.base.problems import Msg, Problem

if TYPE_CHECKING:
    from theodoi.base.model import Registers
    from theodoi.followup.plans import Plans
    from theodoi.followup.proposals import FollowUp
    from theodoi.registers.loader import Loaded
    from theodoi.visits.columns import VisitColumns
    from theodoi.visits.corrections import Corrections


@dataclass
class Workspace:
    """What :func:`load_workspace` read, and the problems it met on the way."""

    data_dir: Path
    loaded: Loaded
    _corrections: Corrections | None  # None: no history (made empty on first use)
    _columns: VisitColumns | None
    # The files' own problems: registers, the visits folder, day files (not the
    # cross-file rules, which validate runs on top).
    problems: list[Problem] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)  # about the cache, said with --verbose
    _follow_up: FollowUp | None = field(default=None, repr=False)
    _plans: Plans | None = field(default=None, repr=False)

    @property
    def registers(self) -> Registers:
        return self.loaded.registers

    @property
    def corrections(self) -> Corrections:
        if self._corrections is None:
            from theodoi.visits.corrections import Corrections

            self._corrections = Corrections()
        return self._corrections

    @property
    def columns(self) -> VisitColumns:
        if self._columns is None:
            from theodoi.visits.columns import VisitColumns

            self._columns = VisitColumns()
        return self._columns

    @property
    def unreadable(self) -> set[str]:
        """The registers that could not be read at all."""
        return self.loaded.unreadable

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    def follow_up(self) -> FollowUp:
        """Every difficulty and proposal with its history (read on first use)."""
        if self._follow_up is None:
            from theodoi.followup.proposals import load_follow_up

            self._follow_up = load_follow_up(self.data_dir, self.columns, self.corrections)
            self.problems.extend(self._follow_up.problems)
        return self._follow_up

    def plans(self) -> Plans:
        """The yearly programme (read on first use)."""
        if self._plans is None:
            from theodoi.followup.plans import load_plans

            self._plans = load_plans(self.data_dir)
            self.problems.extend(self._plans.problems)
        return self._plans


def load_workspace(data_dir: Path, cache_dir: Path | None = None, *,
                   visits: bool = True) -> Workspace:
    """Load ``data_dir``; ``cache_dir`` None reads every day file again;
    ``visits`` False reads the registers only (the visit columns are empty)."""
    from theodoi.registers.loader import load_registers, require_data_folder
    from theodoi.store.atomic import INTENT_FILE

    require_data_folder(data_dir)
    if (data_dir / INTENT_FILE).exists():  # a change a killed writer had decided
        from theodoi.store.transaction import recover_if_needed

        recover_if_needed(data_dir)
    loaded = load_registers(data_dir)
    problems = list(loaded.problems)
    if not visits:
        return Workspace(data_dir, loaded, None, None, problems)
    problems.extend(visit_folder_problems(data_dir))
    if not (data_dir / "visits").is_dir():  # no history yet: nothing more to read (or import)
        return Workspace(data_dir, loaded, None, None, problems)
    from theodoi.visits.columns import load_visit_columns
    from theodoi.visits.corrections import load_corrections

    corrections = load_corrections(data_dir)
    columns = load_visit_columns(data_dir, cache_dir, corrections=corrections)
    problems.extend(columns.problems)
    return Workspace(data_dir, loaded, corrections, columns, problems, list(columns.notes))


def visit_folder_problems(data_dir: Path) -> list[Problem]:
    """A ``visits`` path that is a file holds no visits: say so rather than
    report an empty history."""
    from theodoi.base import checks
    from theodoi.base.problems import Location, problem
    from theodoi.store.textfile import display_path

    folder = data_dir / "visits"
    if folder.exists() and not folder.is_dir():
        return [problem(checks.VISITS_NOT_FOLDER, Location(display_path(folder)))]
    return []
