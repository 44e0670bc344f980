"""Problems are values: collected by loaders and rules, rendered once.

A problem names its check in the registry (:mod:`theodoi.base.checks`), which holds
the untranslated message template, the severity and the exit code; the
problem adds where (file, line) and the parameters.  It is shown in
Vietnamese or English only when rendered, with the language given then, or
emitted as JSON for scripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from theodoi.base.checks import Check, Severity, exit_code_of
from theodoi.base.i18n import gettext_for

__all__ = ["Location", "Msg", "Problem", "Severity", "TheodoiError", "exit_code_for", "has_errors",
           "problem", "render_message"]


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int = 0
    column: int = 0
    cell: str = ""  # a spreadsheet's name of the place ("E6"), said beside row and column

    def __str__(self) -> str:
        if not self.line:
            return self.file
        if self.column:
            cell = f" ({self.cell})" if self.cell else ""
            return f"{self.file}:{self.line}:{self.column}{cell}"
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Msg:
    """A translatable part of a message, given as a parameter of another
    (``; the closest are: ...`` after "no commune matches ...")."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, language: str) -> str:
        return render_message(self.template, self.params, language)


@dataclass(frozen=True)
class Problem:
    check: Check
    location: Location
    params: dict[str, Any] = field(default_factory=dict)
    # A check's severity, unless a command lowered it (a forced change).
    severity: Severity | None = None

    def __post_init__(self) -> None:
        if self.severity is None:
            object.__setattr__(self, "severity", self.check.severity)

    @property
    def code(self) -> str:
        return self.check.code

    @property
    def template(self) -> str:
        return self.check.template

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def message(self, language: str) -> str:
        """The message in ``language`` (dates as its readers write them)."""
        return render_message(self.check.template, self.params, language)

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.check.code)


def problem(check: Check, location: Location, /, **params: Any) -> Problem:
    return Problem(check, location, params)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)


def exit_code_for(problems: list[Problem]) -> int:
    return exit_code_of([p.check for p in problems if p.is_error])


class TheodoiError(Exception):
    """The one fatal error type: the command cannot go on.

    It names its check, so that the exit code follows from the registry; the
    CLI turns it into one clear message on stderr, never a traceback.
    """

    def __init__(self, check: Check, location: Location | None = None, /, **params: Any):
        self.check = check
        self.location = location
        self.params = params
        super().__init__(check.code)

    @property
    def exit_code(self) -> int:
        return self.check.exit_code

    def as_problem(self, file: str) -> Problem:
        """The error as a problem, so that loading can go on with the other
        files; ``file`` names it when the error has no place of its own."""
        return Problem(self.check, self.location or Location(file), self.params)

    def message(self, language: str) -> str:
        text = render_message(self.check.template, self.params, language)
        return f"{self.location}: {text}" if self.location else text


def render_message(template: str, params: dict[str, Any], language: str) -> str:
    """Translate a template and fill it in.  Dates are kept as dates in problems
    and written out only here: 15/09/2024 for a Vietnamese reader, 2024-09-15 in
    English and JSON; parts given as :class:`Msg` are translated too."""
    from theodoi.base.i18n import format_date

    filled = {}
    for key, value in params.items():
        if isinstance(value, Msg):
            value = value.text(language)
        elif isinstance(value, Location):
            value = str(value)
        elif isinstance(value, date):
            value = format_date(value, language)
        filled[key] = value
    return gettext_for(language)(template).format(**filled)
