"""What an import did, or would do, as lines a clerk reads: each row with
where it is in the file, and the visit, cadre or assignment it became."""

from __future__ import annotations

from collections.abc import Sequence

from theodoi.i18n import gettext_for, ngettext_for
from theodoi.import_visits import Row
from theodoi.model import Registers, Visit
from theodoi.periods import format_date
from theodoi.render.visits import kind_label


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
