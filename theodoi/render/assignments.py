"""What an assignment change did, as lines a clerk reads: file, line, who, from when."""

from __future__ import annotations

import difflib

from theodoi.base.i18n import gettext_for
from theodoi.base.model import Assignment, Cadre, Registers
from theodoi.base.periods import format_date
from theodoi.registers.assignments_edit import AssignmentEdit


def _commune_name(registers: Registers, code: str) -> str:
    commune = registers.communes.get(code)
    return commune.name if commune else code


def _cadre_name(registers: Registers, cadre_id: str) -> str:
    cadre = registers.cadres.get(cadre_id)
    return cadre.name if cadre else cadre_id


def _line_of(registers: Registers | None, entry: Assignment) -> int:
    """The line the entry is on in the file as re-read after the write (0: unknown)."""
    if registers is None:
        return 0
    for other in registers.assignments:
        if other == entry:  # equality leaves the location out
            return other.location.line
    return 0


def entry_text(registers: Registers, entry: Assignment, ended: bool, language: str) -> str:
    _ = gettext_for(language)
    commune = _commune_name(registers, entry.commune)
    if ended:
        day = format_date(entry.until, language)
        if not entry.cadre:
            return _("{commune} ({code}): vacant until {day}").format(
                commune=commune, code=entry.commune, day=day)
        return _("{commune} ({code}): {cadre} ({cadre_id}) follows it until {day}").format(
            commune=commune, code=entry.commune, cadre=_cadre_name(registers, entry.cadre),
            cadre_id=entry.cadre, day=day)
    day = format_date(entry.since, language)
    if not entry.cadre:
        text = _("{commune} ({code}): vacant from {day}, replacement pending").format(
            commune=commune, code=entry.commune, day=day)
    else:
        text = _("{commune} ({code}): {cadre} ({cadre_id}) follows it from {day}").format(
            commune=commune, code=entry.commune, cadre=_cadre_name(registers, entry.cadre),
            cadre_id=entry.cadre, day=day)
    if entry.decision:
        text += _(", under decision {number}").format(number=entry.decision)
    return text


def _located(file: str, line: int, text: str) -> str:
    return f"  {file}:{line}: {text}" if line else f"  {file}: {text}"


def plan_text(plan: AssignmentEdit, registers: Registers, file: str, reread: Registers | None,
              written: bool, language: str) -> str:
    """The lines changed and added, with their line numbers once written."""
    _ = gettext_for(language)
    lines = [(_("Changed {file}:") if written else _("Would change {file}:")).format(file=file)]
    for end in plan.ends:
        ended = Assignment(end.entry.commune, end.entry.cadre, end.entry.since, end.until,
                           end.entry.decision)
        lines.append(_located(file, _line_of(reread, ended),
                              entry_text(registers, ended, True, language)))
    for new in plan.additions:
        lines.append(_located(file, _line_of(reread, new.entry),
                              entry_text(registers, new.entry, False, language)))
    if plan.new_decision is not None:
        decision = plan.new_decision
        line = 0
        if reread is not None and decision.number in reread.decisions:
            line = reread.decisions[decision.number].location.line
        lines.append(_located(file, line, _(
            "decision {number} of {day} added to the 'decisions' list").format(
            number=decision.number, day=format_date(decision.date, language))))
    return "\n".join(lines) + "\n"


def commit_message(plan: AssignmentEdit, registers: Registers, language: str) -> str:
    """One line saying what changed, in the office's words, for the git history."""
    _ = gettext_for(language)
    day = format_date(plan.since, language)
    if plan.action == "swap" and len(plan.additions) != 2:  # cadres with several communes
        text = _("Swap the communes of {a} ({a_id}) and {b} ({b_id}) from {day}").format(
            a=_cadre_name(registers, plan.ends[0].entry.cadre), a_id=plan.ends[0].entry.cadre,
            b=_cadre_name(registers, plan.ends[-1].entry.cadre), b_id=plan.ends[-1].entry.cadre,
            day=day)
    elif plan.action == "swap":
        first, second = plan.additions
        text = _("Swap the communes of {a} ({a_id}) and {b} ({b_id}) from {day}: {a_id} "
                 "follows {b_commune}, {b_id} follows {a_commune}").format(
            a=_cadre_name(registers, second.entry.cadre), a_id=second.entry.cadre,
            b=_cadre_name(registers, first.entry.cadre), b_id=first.entry.cadre, day=day,
            a_commune=_commune_name(registers, first.entry.commune),
            b_commune=_commune_name(registers, second.entry.commune))
    else:
        new = plan.additions[0].entry
        commune = _commune_name(registers, new.commune)
        previous = [f"{_cadre_name(registers, end.entry.cadre)} ({end.entry.cadre})"
                    for end in plan.ends if end.entry.cadre]
        if not new.cadre:
            text = _("{commune} ({code}) vacant from {day}, replacement pending").format(
                commune=commune, code=new.commune, day=day)
        elif previous:
            text = _("Replace the cadre following {commune} ({code}) from {day}: {old} → "
                     "{new} ({new_id})").format(
                commune=commune, code=new.commune, day=day,
                old=", ".join(previous), new=_cadre_name(registers, new.cadre),
                new_id=new.cadre)
        else:
            text = _("Assign {new} ({new_id}) to follow {commune} ({code}) from {day}").format(
                new=_cadre_name(registers, new.cadre), new_id=new.cadre, commune=commune,
                code=new.commune, day=day)
    number = plan.additions[0].entry.decision if plan.additions else ""
    if number:
        text += _(", under decision {number}").format(number=number)
    return text


def cadre_text(cadre: Cadre, file: str, line: int, written: bool, language: str) -> str:
    _ = gettext_for(language)
    template = _("Added to {file}: {id} {name} ({title}, {agency})") if written else _(
        "Would add to {file}: {id} {name} ({title}, {agency})")
    where = f"{file}:{line}" if line else file
    return template.format(file=where, id=cadre.id, name=cadre.name, title=cadre.title,
                           agency=cadre.agency) + "\n"


def cadre_commit_message(cadre: Cadre, language: str) -> str:
    _ = gettext_for(language)
    return _("Add cadre {id} {name} ({title}, {agency})").format(
        id=cadre.id, name=cadre.name, title=cadre.title, agency=cadre.agency)


def unified_diff(old: str, new: str, file: str) -> str:
    """The change as a unified diff (for --dry-run), with no context lines."""
    return "".join(difflib.unified_diff(old.splitlines(keepends=True),
                                        new.splitlines(keepends=True),
                                        fromfile=f"a/{file}", tofile=f"b/{file}", n=0))
