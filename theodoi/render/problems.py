"""Problems as ``file:line: message`` lines, or as JSON for scripts."""

from __future__ import annotations

import json

from theodoi.i18n import _
from theodoi.periods import format_date
from theodoi.problems import Problem, Severity
from theodoi.validation import ValidationResult


def problem_line(problem: Problem) -> str:
    label = _("error") if problem.severity is Severity.ERROR else _("warning")
    return f"{problem.location}: {label}: {problem.message()}"


def validation_text(result: ValidationResult, language: str) -> str:
    lines = [problem_line(p) for p in result.problems]
    lines.append(_("{communes} communes, {cadres} cadres following them, {assignments} "
                   "assignments in force on {day}.").format(
        communes=result.communes, cadres=result.cadres_in_force,
        assignments=result.assignments_in_force, day=format_date(result.as_of, language)))
    if result.ok and not result.warnings:
        lines.append(_("No problems found."))
    else:
        lines.append(_("{errors} error(s), {warnings} warning(s).").format(
            errors=result.errors, warnings=result.warnings))
    return "\n".join(lines) + "\n"


def problems_json(problems: list[Problem]) -> list[dict[str, object]]:
    return [
        {
            "file": p.location.file,
            "line": p.location.line or None,
            "column": p.location.column or None,
            "severity": p.severity.value,
            "code": p.code,
            "message": p.message(),
        }
        for p in problems
    ]


def validation_json(result: ValidationResult) -> str:
    """A JSON list of problems (file, line, column, severity, code, message)."""
    return json.dumps(problems_json(result.problems), ensure_ascii=False, indent=2) + "\n"
