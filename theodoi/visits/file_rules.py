"""File rules: what one day file's records alone can say is wrong.

A visit filed under another day, an unknown kind, an id used twice in the
file.  They run when the file is read (theodoi.visits.columns), and their
problems are cached with the file; the rules over the whole history, which
need the registers and today, are in theodoi.visits.rules.  Pure: no files,
no clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from theodoi.base import checks
from theodoi.base.model import VISIT_KINDS
from theodoi.base.problems import Location, Problem, problem
from theodoi.store.dayfile import RawRecord

FileRule = Callable[[list[RawRecord], date, str], list[Problem]]


def visits_in_wrong_file(visits: list[RawRecord], file_day: date, name: str) -> list[Problem]:
    """A visit filed under another day's file is missed by anyone reading that day."""
    return [problem(checks.VISIT_IN_WRONG_FILE, Location(name, v.line), id=v.fields["id"],
                    day=v.day, file_day=file_day, expected=f"{v.day:%Y/%Y-%m-%d}.yaml")
            for v in visits if v.day != file_day]


def unknown_kinds(visits: list[RawRecord], file_day: date, name: str) -> list[Problem]:
    return [problem(checks.UNKNOWN_KIND, Location(name, v.line), kind=v.fields["kind"],
                    kinds=", ".join(VISIT_KINDS))
            for v in visits if v.fields.get("kind") and v.fields["kind"] not in VISIT_KINDS]


def ids_twice_in_file(visits: list[RawRecord], file_day: date, name: str) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for visit in visits:
        visit_id = visit.fields["id"]
        if visit_id in first:
            problems.append(problem(checks.DUPLICATE_VISIT_ID, Location(name, visit.line),
                                    id=visit_id, first=Location(name, first[visit_id])))
        else:
            first[visit_id] = visit.line
    return problems


FILE_RULES: tuple[FileRule, ...] = (visits_in_wrong_file, unknown_kinds, ids_twice_in_file)


def file_problems(visits: list[RawRecord], file_day: date, name: str) -> list[Problem]:
    """Every file rule over one day file's valid records."""
    return [p for rule in FILE_RULES for p in rule(visits, file_day, name)]
