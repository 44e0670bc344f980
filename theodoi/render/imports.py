"""What an import did, or would do, as lines a clerk reads: each row with
where it is in the file, and the visit, cadre or assignment it became."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from theodoi.base.i18n import gettext_for, ngettext_for
from theodoi.base.model import Registers, Visit
from theodoi.base.periods import format_date
from theodoi.registers.import_assignments import AnnexRow, AssignmentImport
from theodoi.registers.lookup import cadre_label
from theodoi.render.visits import kind_label
from theodoi.visits.import_visits import Row


def visit_line(visit: Visit, registers: Registers, language: str) -> str:
    """"15/09/2024, Xã Đại Sảo: Hà Thị Ngần (CB01), làm việc với Đảng ủy, UBND xã"."""
    _ = gettext_for(language)
    commune = registers.communes.get(visit.commune)
    cadre = registers.cadres.get(visit.cadre)
    text = _("{day}, {commune}: {cadre} ({cadre_id}), {kind}").format(
        day=format_date(visit.date, language), commune=commune.name if commune else visit.commune,
        cadre=cadre.name if cadre else visit.cadre, cadre_id=visit.cadre,
        kind=kind_label(visit.kind, language))
    if visit.substitute:
        text += _(", standing in: {reason}").format(reason=visit.substitute)
    return text


def visit_import_text(new: Sequence[Row], known: Sequence[Row], ids: Sequence[str] | None,
                      file: str, registers: Registers, language: str,
                      nothing_new: bool = False) -> str:
    """The visits recorded (with their new ids) or, for a dry run (``ids`` None),
    to be recorded, then the rows already on record."""
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    lines = []
    if nothing_new:
        lines.append(_("No new visit in {file}.").format(file=file))
    elif ids is None:
        lines.append(ngettext("Would record {n} visit from {file}:",
                              "Would record {n} visits from {file}:", len(new)).format(
            n=len(new), file=file))
    else:
        lines.append(ngettext("Recorded {n} visit from {file}:",
                              "Recorded {n} visits from {file}:", len(new)).format(
            n=len(new), file=file))
    for index, row in enumerate(new):
        text = visit_line(row.visit, registers, language)
        if ids is not None:
            text = f"{ids[index]} {text}"
        lines.append(f"  {row.record.location()}: {text}")
    if known:
        lines.append(ngettext(
            "{n} row is already on record (imported before), skipped:",
            "{n} rows are already on record (imported before), skipped:", len(known)).format(
            n=len(known)))
        for row in known:
            assert row.on_record is not None
            lines.append(f"  {row.record.location()}: {row.on_record.id} "
                         f"{visit_line(row.visit, registers, language)}")
    return "\n".join(lines) + "\n"


def assignment_import_text(result: AssignmentImport, registers: Registers, since: date,
                           written: bool, language: str) -> str:
    """The cadres found (shown so that a wrong match is seen before it is
    written), the new cadres, the rows already in force, and the assignments."""
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    day = format_date(since, language)
    lines: list[str] = []

    def section(title: str, rows: list[AnnexRow], text: Callable[[AnnexRow], str]) -> None:
        if rows:
            lines.append(title)
            lines.extend(f"  {row.record.location()}: {text(row)}" for row in rows)

    section(_("Cadres found in cadres.csv by name and agency:"),
            [r for r in result.rows if r.how == "matched"],
            lambda r: f"{r.record.text('name')}, {r.record.text('agency')} = "
                      f"{cadre_label(r.cadre)}")
    section(_("Cadres found in cadres.csv by their id:"),
            [r for r in result.rows if r.how == "by-id"], lambda r: cadre_label(r.cadre))
    first_rows: dict[str, AnnexRow] = {}
    for row in result.rows:
        if row.how == "new":
            first_rows.setdefault(row.cadre.id, row)
    section(ngettext("{n} new cadre added to cadres.csv:", "{n} new cadres added to cadres.csv:",
                     len(first_rows)).format(n=len(first_rows)) if written else
            ngettext("{n} new cadre to add to cadres.csv:", "{n} new cadres to add to cadres.csv:",
                     len(first_rows)).format(n=len(first_rows)),
            list(first_rows.values()), lambda r: cadre_label(r.cadre))
    section(_("Already in force on {day}, skipped:").format(day=day),
            [r for r in result.rows if r.in_force],
            lambda r: _("{commune} ({code}): {cadre}").format(
                commune=_commune_name(registers, r.commune), code=r.commune,
                cadre=f"{r.cadre.name} ({r.cadre.id})"))
    changed = [r for r in result.rows if not r.in_force]
    section(ngettext("{n} assignment from {day}:", "{n} assignments from {day}:",
                     len(changed)).format(n=len(changed), day=day), changed,
            lambda r: _("{commune} ({code}): {cadre}").format(
                commune=_commune_name(registers, r.commune), code=r.commune,
                cadre=f"{r.cadre.name} ({r.cadre.id})"))
    return "\n".join(lines) + "\n" if lines else ""


def _commune_name(registers: Registers, code: str) -> str:
    commune = registers.communes.get(code)
    return commune.name if commune else code
