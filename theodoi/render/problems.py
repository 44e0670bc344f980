"""Problems as ``file:line: lỗi [code]: message`` lines, or as JSON for scripts."""

from __future__ import annotations

import json
from datetime import date

from theodoi.base.checks import Check, checks_in_order
from theodoi.base.i18n import N_, gettext_for, ngettext_for
from theodoi.base.periods import format_date
from theodoi.base.problems import Problem, Severity
from theodoi.workspace.validation import ValidationResult


def problem_line(problem: Problem, language: str) -> str:
    """hledger's shape: where first, then what, with the check's name to look up."""
    _ = gettext_for(language)
    label = _("error") if problem.severity is Severity.ERROR else _("warning")
    # A refusal of what was typed has no file: it starts with the label alone.
    where = f"{problem.location}: " if problem.location.file else ""
    return f"{where}{label} [{problem.code}]: {problem.message(language)}"


GROUP_FROM = 4  # this many problems of one check are said in one line
SHOWN_IN_GROUP = 3  # the names given in that line after the first message
# Checks whose many problems are said as a count and names (the rest of the
# template's fields are the first problem's).
NAMED_GROUPS = {
    "commune-without-cadre": N_("{where}{label} [{code}]: {count} communes still without a "
                                "cadre on {day}: {names} (--verbose or 'theodoi validate' lists "
                                "them all)"),
}


def problem_lines(problems: list[Problem], language: str, every: bool = False) -> list[str]:
    """The problems sorted by file and line; unless ``every``, the same check on
    many items is one line: how many, the first one's message and the next few
    names, so that 103 communes without a cadre do not bury the rest."""
    ordered = sorted(problems, key=Problem.sort_key)
    if every:
        return [problem_line(p, language) for p in ordered]
    groups: dict[str, list[Problem]] = {}
    for problem in ordered:
        groups.setdefault(problem.code, []).append(problem)
    lines: list[str] = []
    for problem in ordered:
        group = groups[problem.code]
        if len(group) < GROUP_FROM:
            lines.append(problem_line(problem, language))
        elif problem is group[0]:
            lines.append(group_line(group, language))
    return lines


def group_line(group: list[Problem], language: str) -> str:
    """``communes.csv: error [commune-without-cadre] ×103: <the first message>;
    also A (02020), B (02026), C (02038) and 99 more (--verbose or 'theodoi
    validate' lists them all)``."""
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    first = group[0]
    label = _("error") if first.severity is Severity.ERROR else _("warning")
    files = {p.location.file for p in group}
    where = f"{first.location.file}: " if len(files) == 1 and first.location.file else ""
    named = first.code in NAMED_GROUPS  # the names alone say it all
    shown = [_item_name(p, language) for p in group[0 if named else 1:][:SHOWN_IN_GROUP]]
    more = len(group) - (0 if named else 1) - len(shown)
    rest = ngettext("{names} and {n} more", "{names} and {n} more", more).format(
        names=", ".join(shown), n=more) if more else ", ".join(shown)
    if named:
        return _(NAMED_GROUPS[first.code]).format(
            where=where, label=label, code=first.code, count=len(group), names=rest,
            **{k: format_date(v, language) if isinstance(v, date) else v
               for k, v in first.params.items() if k not in ("name", "code")})
    return _("{where}{label} [{code}] ×{count}: {first}; also {rest} (--verbose or 'theodoi "
             "validate' lists them all)").format(
        where=where, label=label, code=first.code, count=len(group),
        first=first.message(language), rest=rest)


def _item_name(problem: Problem, language: str) -> str:
    """What a problem is about, as briefly as its parameters allow: a name with
    its code, else the place and the message."""
    name, code = problem.params.get("name"), problem.params.get("code")
    if name and code:
        return f"{name} ({code})"
    if name or code:
        return str(name or code)
    where = f"{problem.location}: " if problem.location.file else ""
    return f"{where}{problem.message(language)}"


def validation_text(result: ValidationResult, language: str, every: bool = True) -> str:
    """validate's report (every problem), or a shorter one after an import
    (``every`` False: the same check on many items in one line)."""
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    lines = ([problem_line(p, language) for p in result.problems] if every
             else problem_lines(result.problems, language))
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
