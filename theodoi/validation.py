"""The whole check behind ``theodoi validate``: load everything, run every rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from theodoi.model import Registers
from theodoi.problems import Problem, Severity
from theodoi.registers import load_registers
from theodoi.rules import check_registers, coverage_counts
from theodoi.visit_rules import check_visits
from theodoi.visits_store import load_visits


@dataclass(frozen=True)
class ValidationResult:
    registers: Registers
    problems: list[Problem]
    as_of: date
    communes: int
    cadres_in_force: int
    assignments_in_force: int

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.problems)

    @property
    def ok(self) -> bool:
        return self.errors == 0


def validate(data_dir: Path, as_of: date, today: date | None = None) -> ValidationResult:
    """Check the registers on ``as_of``; ``today`` bounds visit dates (default: as_of)."""
    loaded = load_registers(data_dir)
    problems = list(loaded.problems)
    if not loaded.unreadable:
        # Cross-file rules on half-loaded registers would only repeat the
        # reason a file could not be read, as hundreds of false alarms.
        problems.extend(check_registers(loaded.registers, as_of))
    visits = load_visits(data_dir)
    problems.extend(visits.problems)
    problems.extend(check_visits(visits, loaded.registers, today or as_of,
                                 registers_usable=not loaded.unreadable))
    problems.sort(key=Problem.sort_key)
    counts = coverage_counts(loaded.registers, as_of)
    return ValidationResult(loaded.registers, problems, as_of, *counts)
