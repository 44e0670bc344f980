"""The whole check behind ``theodoi validate``: load everything, run every rule.

``validate --check CODE`` and ``--skip CODE`` run a subset: the problems are
filtered by their check's code, and the visit history is not even read when
no selected check can come from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from theodoi.base import checks
from theodoi.base.model import Registers
from theodoi.base.problems import Msg, Problem, Severity
from theodoi.registers.rules import check_registers, coverage_counts, office_of_another_province
from theodoi.workspace.loader import Workspace, load_workspace

# Checks a visit file or the visit rules can report besides those of their areas.
_ALSO_FROM_VISITS = frozenset({checks.UNKNOWN_CADRE.code, checks.UNKNOWN_COMMUNE.code})


@dataclass(frozen=True)
class Selection:
    """Which checks to report: all (the default), only some, or all but some."""

    only: frozenset[str] | None = None
    skip: frozenset[str] = field(default_factory=frozenset)

    def wants(self, code: str) -> bool:
        return (self.only is None or code in self.only) and code not in self.skip

    @property
    def needs_visits(self) -> bool:
        if self.only is None:
            return True
        return any(checks.REGISTRY[code].area in ("files", "visits", "corrections", "proposals")
                   or code in _ALSO_FROM_VISITS for code in self.only)


ALL = Selection()


@dataclass(frozen=True)
class ValidationResult:
    registers: Registers
    problems: list[Problem]
    as_of: date
    communes: int
    cadres_in_force: int
    assignments_in_force: int
    visits: int = 0
    cache_notes: list[Msg] = field(default_factory=list)  # said with --verbose

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.problems)

    @property
    def ok(self) -> bool:
        return self.errors == 0


def validate(data_dir: Path, as_of: date, today: date, cache_dir: Path | None = None,
             selection: Selection = ALL, workspace: Workspace | None = None
             ) -> ValidationResult:
    """Check the registers on ``as_of`` and the visits (none may be after
    ``today``); ``cache_dir`` is where unchanged day files are remembered, and
    ``workspace`` the load when the caller has made it already."""
    if workspace is None:
        workspace = load_workspace(data_dir, cache_dir, visits=selection.needs_visits)
    loaded = workspace.loaded
    problems = list(workspace.problems)
    if not loaded.unreadable:
        # Cross-file rules on half-loaded registers would only repeat the
        # reason a file could not be read, as hundreds of false alarms.
        problems.extend(check_registers(loaded.registers, as_of))
        # The letterhead is today's: it is checked against today's communes.
        problems.extend(office_of_another_province(loaded.registers, max(as_of, today)))
    if (data_dir / "plans").exists():
        from theodoi.followup.plans import plan_problems

        problems.extend(plan_problems(data_dir, loaded.registers))
    visits = 0
    notes: list[Msg] = []
    if selection.needs_visits and (data_dir / "visits").is_dir():
        problems.extend(_visit_problems(workspace, today))
        visits = len(workspace.columns)
        notes = workspace.notes
    if selection.needs_visits and (data_dir / "audit").is_dir():
        from theodoi.audit.gitaudit import load_acknowledgements

        load_acknowledgements(data_dir, problems)
    kept = sorted((p for p in problems if selection.wants(p.code)), key=Problem.sort_key)
    counts = coverage_counts(loaded.registers, as_of)
    return ValidationResult(loaded.registers, kept, as_of, *counts, visits=visits,
                            cache_notes=notes)


def _visit_problems(workspace: Workspace, today: date) -> list[Problem]:
    """The layout of the journals and the rules over the visits and their items."""
    from theodoi.visits.corrections import CORRECTIONS_DIR
    from theodoi.visits.records import visits_folder
    from theodoi.visits.rules import check_visits, misplaced_files

    data_dir, columns = workspace.data_dir, workspace.columns
    problems = misplaced_files(workspace.corrections.entries,
                               _display(data_dir / CORRECTIONS_DIR))
    problems.extend(misplaced_files(columns.entries, _display(visits_folder(data_dir))))
    problems.extend(check_visits(columns, workspace.registers, today,
                                 registers_usable=not workspace.unreadable))
    if (data_dir / "proposals").exists():
        from theodoi.followup.proposals import journal_problems

        problems.extend(journal_problems(data_dir, columns, workspace.corrections))
    return problems


def _display(path: Path) -> str:
    from theodoi.store.textfile import display_path

    return display_path(path)


def selection_of(only: Iterable[str], skip: Iterable[str]) -> Selection:
    only_set = frozenset(only)
    return Selection(only_set or None, frozenset(skip))
