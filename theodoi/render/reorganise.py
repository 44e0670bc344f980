"""What ``theodoi reorganise`` did, or would do, as lines a clerk reads."""

from __future__ import annotations

from theodoi.base.i18n import gettext_for
from theodoi.base.model import Registers
from theodoi.base.periods import format_date
from theodoi.registers.reorganise import Reorganisation


def _cadre(registers: Registers, cadre_id: str) -> str:
    cadre = registers.cadres.get(cadre_id)
    return f"{cadre_id} {cadre.name}" if cadre else cadre_id


def reorganisation_text(result: Reorganisation, registers: Registers, written: bool,
                        language: str) -> str:
    """The units that end and begin, and for each new unit its old parts (with
    their cadres) and the cadres proposed: what the office confirms or edits."""
    _ = gettext_for(language)
    last = result.old[0].until if result.old else result.day
    lines = [(_("Reorganised from {day}: {old} units end on {last}, {new} units begin "
                "(the 2025 map).") if written else
              _("Would reorganise from {day}: {old} units end on {last}, {new} units begin "
                "(the 2025 map).")).format(
        day=format_date(result.day, language), old=len(result.old), new=len(result.new),
        last=format_date(last, language) if last else "")]
    lines.append(_("Proposed assignments from {day} (the cadres of the merged units; confirm "
                   "them, or change them with theodoi assign):").format(
        day=format_date(result.day, language)))
    for proposal in result.proposals:
        parts = "; ".join(
            f"{part.name} ({', '.join(ids) if ids else _('vacant')})"
            for part, ids in proposal.parts)
        proposed = ", ".join(_cadre(registers, c) for c in proposal.proposed) or _(
            "none: assign one")
        line = _("  {code} {name} ← {parts}: {proposed}").format(
            code=proposal.unit.code, name=proposal.unit.name, parts=parts, proposed=proposed)
        if proposal.left_out:
            line += _(" (not proposed, beyond cadres_per_commune: {cadres})").format(
                cadres=", ".join(proposal.left_out))
        lines.append(line)
    return "\n".join(lines) + "\n"


def reorganisation_commit_message(result: Reorganisation, language: str) -> str:
    _ = gettext_for(language)
    return _("Reorganise the communes from {day}: {old} units become {new} (the 2025 map); "
             "{proposed} assignments proposed").format(
        day=format_date(result.day, language), old=len(result.old), new=len(result.new),
        proposed=len(result.edit().additions))
