"""Problems as ``file:line: lỗi [code]: message`` lines, or as JSON for scripts."""

from __future__ import annotations

import json

from theodoi.checks import Check, checks_in_order
from theodoi.i18n import N_, gettext_for, ngettext_for
from theodoi.periods import format_date
from theodoi.problems import Problem, Severity
from theodoi.validation import ValidationResult


def problem_line(problem: Problem, language: str) -> str:
    """hledger's shape: where first, then what, with the check's name to look up."""
    _ = gettext_for(language)
    label = _("error") if problem.severity is Severity.ERROR else _("warning")
    # A refusal of what was typed has no file: it starts with the label alone.
    where = f"{problem.location}: " if problem.location.file else ""
    return f"{where}{label} [{problem.code}]: {problem.message(language)}"


def validation_text(result: ValidationResult, language: str) -> str:
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    lines = [problem_line(p, language) for p in result.problems]
    lines.append(_("{communes} communes, {cadres} cadres following them, {assignments} "
                   "assignments in force on {day}.").format(
        communes=result.communes, cadres=result.cadres_in_force,
        assignments=result.assignments_in_force, day=format_date(result.as_of, language)))
    if result.ok and not result.warnings:
        lines.append(_("No problems found."))
    else:
        errors = ngettext("{n} error", "{n} errors", result.errors).format(n=result.errors)
        warnings = ngettext("{n} warning", "{n} warnings", result.warnings).format(
            n=result.warnings)
        lines.append(_("{errors}, {warnings}.").format(errors=errors, warnings=warnings))
    return "\n".join(lines) + "\n"


def problems_json(problems: list[Problem], language: str) -> list[dict[str, object]]:
    return [
        {
            "file": p.location.file,
            "line": p.location.line or None,
            "column": p.location.column or None,
            "severity": p.severity.value if p.severity else None,
            "code": p.code,
            "message": p.message(language),
        }
        for p in problems
    ]


def validation_json(result: ValidationResult, language: str) -> str:
    """A JSON list of problems (file, line, column, severity, code, message)."""
    return json.dumps(problems_json(result.problems, language), ensure_ascii=False,
                      indent=2) + "\n"


def checks_text(language: str, selected: list[Check] | None = None) -> str:
    """``theodoi validate --list-checks``: every check, by area, with what it means."""
    _ = gettext_for(language)
    listed = selected if selected is not None else checks_in_order()
    width = max(len(c.code) for c in listed)
    labels = {Severity.ERROR: _("error"), Severity.WARNING: _("warning")}
    label_width = max(len(label) for label in labels.values())
    lines: list[str] = []
    area = None
    for check in listed:
        if check.area != area:
            area = check.area
            if lines:
                lines.append("")
            lines.append(f"{_(AREA_TITLES[area])}:")
        lines.append(f"  {check.code:{width}}  {labels[check.severity]:{label_width}}  "
                     f"{_(check.explanation)}")
    return "\n".join(lines) + "\n"


def checks_json(language: str) -> str:
    _ = gettext_for(language)
    return json.dumps([{"code": c.code, "severity": c.severity.value, "kind": c.kind.value,
                        "area": c.area, "exit_code": c.exit_code, "validated": c.validated,
                        "explanation": _(c.explanation), "message": _(c.template)}
                       for c in checks_in_order()], ensure_ascii=False, indent=2) + "\n"


def checks_markdown() -> str:
    """The checks for the CLI reference (English, as the reference is)."""
    lines = ["| code | severity | exit | what it means |", "|---|---|---|---|"]
    for check in checks_in_order():
        exit_code = check.exit_code if check.severity is Severity.ERROR else 0
        lines.append(f"| `{check.code}` | {check.severity.value} | {exit_code} | "
                     f"{check.explanation} |")
    return "\n".join(lines) + "\n"


AREA_TITLES = {  # msgids, translated where shown
    "files": N_("Reading files"),
    "registers": N_("Registers (communes.csv, cadres.csv, assignments.yaml)"),
    "assignments": N_("Assignments"),
    "visits": N_("Visits"),
    "corrections": N_("Corrections"),
    "proposals": N_("Difficulties and proposals followed to resolution"),
    "plans": N_("The yearly programme of visits"),
    "changes": N_("Refusals of commands that change data"),
    "imports": N_("Importing from Excel or CSV"),
    "command line": N_("The command line"),
    "lookup": N_("Names and codes as typed"),
    "workspace": N_("The workspace and the context"),
    "git": N_("The git audit trail"),
    "system": N_("Disks, folders and locks"),
}
