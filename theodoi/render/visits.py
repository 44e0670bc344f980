"""Visits for people (a readable record, a Rich table) and for scripts (csv, json).

People get translated labels and dd/mm/yyyy dates; csv and json keep stable
English snake_case keys, kind keys and ISO dates.  Rich is imported only
when a table is drawn, so ``visit add`` does not pay for it.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from datetime import date, datetime
from typing import TYPE_CHECKING

from theodoi.base.i18n import N_, gettext_for, ngettext_for
from theodoi.base.model import VISIT_KINDS, Registers, Visit
from theodoi.base.periods import format_date
from theodoi.base.textnorm import spreadsheet_text
from theodoi.registers.lookup import cadre_label, commune_label

if TYPE_CHECKING:
    from rich.table import Table

    from theodoi.visits.corrections import Correction, Effective

MACHINE_KEYS = ("id", "date", "cadre_id", "cadre_name", "commune_code", "commune_name", "kind",
                "notes", "difficulties", "proposals", "substitute", "recorded_at")


@functools.lru_cache(maxsize=256)  # asked for every visit of a listing
def kind_label(kind: str, language: str) -> str:
    _ = gettext_for(language)
    return _(VISIT_KINDS[kind]) if kind in VISIT_KINDS else kind


def format_timestamp(text: str, language: str) -> str:
    """``2024-09-15T10:30:00+07:00`` as ``15/09/2024 10:30`` for Vietnamese readers."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if language != "vi":
        return moment.isoformat()
    return f"{format_date(moment.date(), language)} {moment:%H:%M}"


def _cadre(visit: Visit, registers: Registers) -> str:
    cadre = registers.cadres.get(visit.cadre)
    return cadre_label(cadre) if cadre else visit.cadre


def _commune(visit: Visit, registers: Registers) -> str:
    commune = registers.unit_named(visit.commune, visit.date)
    return commune_label(commune) if commune else visit.commune


def visit_text(visit: Visit, registers: Registers, file: str, language: str) -> str:
    """The stored visit as the clerk reads it back, and where it went."""
    _ = gettext_for(language)
    return _("Recorded visit {id} in {file} (line {line}).").format(
        id=visit.id, file=file, line=visit.location.line) + "\n" + _visit_fields(
        visit, registers, language, recorded=True)


def planned_visit_text(visit: Visit, registers: Registers, language: str) -> str:
    """The visit about to be written, for the clerk to confirm."""
    _ = gettext_for(language)
    return _("The visit to record:") + "\n" + _visit_fields(visit, registers, language,
                                                           recorded=False)


def _visit_fields(visit: Visit, registers: Registers, language: str, recorded: bool) -> str:
    _ = gettext_for(language)
    fields: list[tuple[str, str | tuple[str, ...]]] = [
        (_("Date"), format_date(visit.date, language)),
        (_("Cadre"), _cadre(visit, registers)),
    ]
    if visit.substitute:
        fields.append((_("Standing in, because"), visit.substitute))
    fields += [
        (_("Commune"), _commune(visit, registers)),
        (_("Kind"), kind_label(visit.kind, language)),
    ]
    if visit.notes:
        fields.append((_("Notes"), visit.notes))
    fields += [
        (_("Difficulties"), visit.difficulties),
        (_("Proposals"), visit.proposals),
    ]
    if recorded:
        fields.append((_("Recorded at"), format_timestamp(visit.recorded_at, language)))
    width = max(len(label) for label, _value in fields) + 1
    lines: list[str] = []
    for label, value in fields:
        if isinstance(value, tuple):
            lines.append(f"  {label + ':':{width}} {_('none') if not value else ''}".rstrip())
            lines.extend(_indented(f"- {item}", 4) for item in value)
        else:
            lines.append(f"  {label + ':':{width}} " + _indented(value, width + 3).lstrip())
    return "\n".join(lines) + "\n"


def _field_value(key: str, value: object, registers: Registers, language: str) -> str:
    """A corrected field's value as the clerk reads it."""
    _ = gettext_for(language)
    if isinstance(value, date):
        return format_date(value, language)
    if key == "commune":
        commune = registers.communes.get(str(value))
        return commune_label(commune) if commune else str(value)
    if key == "cadre":
        cadre = registers.cadres.get(str(value))
        return cadre_label(cadre) if cadre else str(value)
    if key == "kind":
        return kind_label(str(value), language)
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value) or _("none")
    return str(value) if value else _("none")


FIELD_LABELS = {  # msgids, translated where shown
    "date": N_("Date"), "cadre": N_("Cadre"), "commune": N_("Commune"), "kind": N_("Kind"),
    "substitute": N_("Standing in, because"), "notes": N_("Notes"),
    "difficulties": N_("Difficulties"), "proposals": N_("Proposals"),
}


def correction_summary(visit_id: str, before: Visit, after: Visit | None, correction_id: str,
                       file: str, line: int, changes: dict[str, object], reason: str,
                       registers: Registers, language: str) -> str:
    """What ``visit amend`` or ``withdraw`` did, as the clerk reads it back."""
    _ = gettext_for(language)
    if after is None:
        lines = [_("Withdrew visit {id} ({file}, line {line}, correction {correction}): it no "
                   "longer counts anywhere.").format(id=visit_id, file=file, line=line,
                                                     correction=correction_id)]
    else:
        lines = [_("Amended visit {id} ({file}, line {line}, correction {correction}):").format(
            id=visit_id, file=file, line=line, correction=correction_id)]
        for key, value in changes.items():
            lines.append(f"  {_(FIELD_LABELS[key])}: "
                         f"{_field_value(key, getattr(before, key), registers, language)} → "
                         f"{_field_value(key, value, registers, language)}")
    lines.append(f"  {_('Reason')}: {reason}")
    return "\n".join(lines) + "\n"


def visit_history_text(original: Visit, file: str, corrections: list[Correction],
                       now: Effective, registers: Registers, language: str,
                       made_by: dict[str, str] | None = None) -> str:
    """``visit show``: the record as written, each correction (and, in a git
    repository, ``made_by``: how it was made), the visit as it counts."""
    _ = gettext_for(language)
    text = visit_text(original, registers, file, language).split("\n", 1)[1]
    lines = [_("Visit {id} as recorded in {file} (line {line}):").format(
        id=original.id, file=file, line=original.location.line), text.rstrip("\n")]
    if not corrections:
        lines.append(_("No correction."))
        return "\n".join(lines) + "\n"
    counted = {c.id for c in now.applied}
    for correction in corrections:
        action = (_("withdrawal") if correction.withdraws else _("amendment"))
        when = format_timestamp(correction.recorded_at, language)
        head = _("{action} {id}, {when}, by {by} ({file}, line {line}):").format(
            action=action.capitalize(), id=correction.id, when=when, by=correction.by,
            file=correction.location.file, line=correction.location.line)
        if correction.id not in counted:
            head += " " + _("(does not count: the visit was withdrawn before it)")
        lines.append(head)
        for key, value in correction.changes.items():
            lines.append(f"  {_(FIELD_LABELS[key])}: "
                         f"{_field_value(key, value, registers, language)}")
        lines.append(f"  {_('Reason')}: {correction.reason}")
        if made_by is not None:
            from theodoi.render.audit import made_by_label

            lines.append(f"  {_('How')}: {made_by_label(made_by.get(correction.id), language)}")
    if now.visit is None:
        lines.append(_("As it counts now: withdrawn; it counts nowhere."))
    else:
        lines.append(_("As it counts now:"))
        lines.append(visit_text(now.visit, registers, file, language).split("\n", 1)[1]
                     .rstrip("\n"))
    return "\n".join(lines) + "\n"


def _indented(text: str, spaces: int) -> str:
    """Multi-line text with its continuation lines indented under the first."""
    pad = " " * spaces
    return "\n".join(pad + line for line in text.splitlines() or [""])


def visit_row(visit: Visit, registers: Registers) -> dict[str, object]:
    """One visit with stable English keys and ISO dates, for csv and json."""
    cadre = registers.cadres.get(visit.cadre)
    commune = registers.unit_named(visit.commune, visit.date)
    return {
        "id": visit.id,
        "date": visit.date.isoformat(),
        "cadre_id": visit.cadre,
        "cadre_name": cadre.name if cadre else "",
        "commune_code": visit.commune,
        "commune_name": commune.name if commune else "",
        "kind": visit.kind,
        "notes": visit.notes,
        "difficulties": list(visit.difficulties),
        "proposals": list(visit.proposals),
        "substitute": visit.substitute,
        "recorded_at": visit.recorded_at,
    }


def visits_json(visits: list[Visit], registers: Registers) -> str:
    rows = [visit_row(v, registers) for v in visits]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def visits_csv(visits: list[Visit], registers: Registers) -> str:
    """One row per visit; several difficulties or proposals share a cell, one per line."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MACHINE_KEYS, lineterminator="\n")
    writer.writeheader()
    for visit in visits:
        row = visit_row(visit, registers)
        for key in ("difficulties", "proposals"):
            row[key] = "\n".join(row[key])  # type: ignore[arg-type]
        writer.writerow({k: spreadsheet_text(v) if isinstance(v, str) else v
                         for k, v in row.items()})
    return out.getvalue()


def visits_table(visits: list[Visit], registers: Registers, language: str) -> Table:
    """A Rich table; every cell is a Text, so that '[...]' in a note is not markup."""
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_lines=False, expand=False,
                  caption=ngettext("{count} visit", "{count} visits",
                                   len(visits)).format(count=len(visits)))
    for header in (_("Date"), _("Commune"), _("Cadre"), _("Kind"), _("Content"), _("Id")):
        table.add_column(header, overflow="fold")
    for visit in visits:
        commune = registers.unit_named(visit.commune, visit.date)
        cadre = registers.cadres.get(visit.cadre)
        who = cadre.name if cadre else visit.cadre
        if visit.substitute:
            who += "\n" + _("(standing in: {reason})").format(reason=visit.substitute)
        content = [visit.notes] if visit.notes else []
        content += [f"{_('Difficulty')}: {item}" for item in visit.difficulties]
        content += [f"{_('Proposal')}: {item}" for item in visit.proposals]
        table.add_row(Text(format_date(visit.date, language)),
                      Text(commune.name if commune else visit.commune),
                      Text(who), Text(kind_label(visit.kind, language)), Text("\n".join(content)),
                      Text(visit.id))
    return table
