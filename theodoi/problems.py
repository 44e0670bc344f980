"""Problems are values: collected by loaders and rules, rendered once.

A problem carries an untranslated message template (a gettext msgid with
``{named}`` fields) and its parameters, so that it can be shown in
Vietnamese or English, or emitted as JSON for scripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from theodoi.i18n import _, language


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        if self.column:
            return f"{self.file}:{self.line}:{self.column}"
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Problem:
    code: str
    location: Location
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity = Severity.ERROR

    def message(self) -> str:
        """The message in the current language (dates as its readers write them)."""
        return _(self.template).format(**_localised(self.params))

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code)


def error(code: str, location: Location, template: str, /, **params: Any) -> Problem:
    return Problem(code, location, template, params, Severity.ERROR)


def warning(code: str, location: Location, template: str, /, **params: Any) -> Problem:
    return Problem(code, location, template, params, Severity.WARNING)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


class TheodoiError(Exception):
    """The one fatal error type: the command cannot go on.

    The CLI turns it into a message on stderr and a non-zero exit; it never
    reaches the user as a traceback.
    """

    def __init__(self, template: str, location: Location | None = None, **params: Any):
        self.template = template
        self.location = location
        self.params = params
        super().__init__(template)

    def as_problem(self, file: str) -> Problem:
        """The error as a problem of an unreadable file, so that loading can go
        on with the other files; ``file`` names it when the error has no place."""
        return error("unreadable-file", self.location or Location(file), self.template,
                     **self.params)

    def message(self) -> str:
        text = _(self.template).format(**_localised(self.params))
        return f"{self.location}: {text}" if self.location else text


def _localised(params: dict[str, Any]) -> dict[str, Any]:
    """Dates are kept as dates in problems and written out only when shown:
    15/09/2024 for a Vietnamese reader, 2024-09-15 in English and JSON."""
    from theodoi.periods import format_date

    return {key: format_date(value, language()) if isinstance(value, date) else value
            for key, value in params.items()}
