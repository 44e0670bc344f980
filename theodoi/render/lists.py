"""Listings as report documents, for the Excel workbook (and any renderer of
:class:`~theodoi.render.tables.Document`): the visits of ``visit list``, the
problems of ``validate``, and the registers of ``commune list`` and
``cadre list``.

The headers of the visits' and the cadres' tables are the ones ``theodoi
import visits`` and ``import assignments`` recognise (in either language,
:mod:`theodoi.store.importing` holds them), so that a listing written as a workbook
reads back as the same visits.  Several difficulties or proposals share a
cell, one per line (Alt+Enter in Excel), as the csv has them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from theodoi.base.i18n import N_, gettext_for, ngettext_for
from theodoi.base.model import Cadre, Commune, Registers, Visit
from theodoi.base.periods import Period, format_date
from theodoi.render.tables import Column, Document, Paragraph, Table
from theodoi.render.visits import format_timestamp, kind_label
from theodoi.store.importing import CADRE_HEADERS, VISIT_HEADERS

# The name of the sheet that holds the one table of a listing or a report,
# whose title is too long for a tab.
SHEET_NAMES = {
    "coverage-district": N_("Coverage by district"),
    "coverage-commune": N_("Coverage by commune"),
    "coverage-cadre": N_("Coverage by cadre"),
    "coverage-agency": N_("Coverage by agency"),
    "overdue": N_("Overdue"),
    "visits": N_("Visits recorded"),
    "validate": N_("Data check"),
    "communes": N_("Communes, wards and towns"),
    "cadres": N_("List of cadres"),
}


def sheet_name(kind: str, language: str) -> str:
    return gettext_for(language)(SHEET_NAMES[kind])


def as_of_title(document: Document, day: date, language: str) -> Document:
    """The document with the day its figures were taken added to its title (the
    title cell of a workbook's sheets)."""
    _ = gettext_for(language)
    return replace(document, title=_("{title}; figures as of {day}").format(
        title=document.title, day=format_date(day, language)))


def visits_document(visits: list[Visit], registers: Registers, language: str,
                    filters: list[str]) -> Document:
    """The visits as one table, in the order given (``visit list``: newest first)."""
    _ = gettext_for(language)
    columns = tuple(Column(key, _(header), "date" if key == "date" else "text")
                    for key, header in VISIT_HEADERS.items())
    rows: list[dict[str, Any]] = []
    for visit in visits:
        commune = registers.communes.get(visit.commune)
        cadre = registers.cadres.get(visit.cadre)
        rows.append({
            "date": visit.date,
            "commune_code": visit.commune,
            "commune": commune.name if commune else "",
            "cadre_id": visit.cadre,
            "cadre": cadre.name if cadre else "",
            "kind": kind_label(visit.kind, language),
            "notes": visit.notes,
            "difficulties": "\n".join(visit.difficulties),
            "proposals": "\n".join(visit.proposals),
            "substitute": visit.substitute,
            "recorded_at": format_timestamp(visit.recorded_at, language)
            if visit.recorded_at else "",
            "visit_id": visit.id,
        })
    title = _("Visits recorded")
    if filters:
        title = _("{title}: {filters}").format(title=title, filters=", ".join(filters))
    ngettext = ngettext_for(language)
    count = ngettext("{n} visit.", "{n} visits.", len(visits)).format(n=len(visits))
    return Document(title, [Paragraph(count), Table("", columns, rows,
                                                    empty_note=_("No visits found."))])


def visit_filters(language: str, commune: Commune | None, cadre: Cadre | None,
                  date_from: date | None, date_to: date | None) -> list[str]:
    """How the filters of ``visit list`` read in a title."""
    _ = gettext_for(language)
    parts = []
    if commune is not None:
        parts.append(commune.name)
    if cadre is not None:
        parts.append(cadre.name)
    if date_from and date_to:
        parts.append(_("from {start} to {end}").format(start=format_date(date_from, language),
                                                        end=format_date(date_to, language)))
    elif date_from:
        parts.append(_("from {start}").format(start=format_date(date_from, language)))
    elif date_to:
        parts.append(_("up to {end}").format(end=format_date(date_to, language)))
    return parts


def validation_document(problems: list[dict[str, Any]], summary_lines: list[str],
                        as_of: date, language: str) -> Document:
    """``validate``'s problems as a table (``problems`` as
    :func:`theodoi.render.problems.problems_json` gives them), its summary
    lines before it."""
    _ = gettext_for(language)
    labels = {"error": _("error"), "warning": _("warning")}
    rows = [{**p, "severity": labels.get(str(p["severity"]), p["severity"])} for p in problems]
    columns = (Column("file", _("File")), Column("line", _("Line"), "number"),
               Column("column", _("Column"), "number"), Column("severity", _("Severity")),
               Column("code", _("Check")), Column("message", _("Problem")))
    title = _("Data check as of {day}").format(day=format_date(as_of, language))
    return Document(title, [*(Paragraph(line) for line in summary_lines),
                            Table("", columns, rows)])


def communes_document(communes: list[Commune], registers: Registers, day: date,
                      language: str, search: str | None) -> Document:
    """The communes, each with the cadre who follows it on ``day``."""
    _ = gettext_for(language)
    rows = [commune_row(c, registers, day) for c in communes]
    columns = (Column("code", _("Code")), Column("name", _("Commune")),
               Column("kind", _("Kind of unit")), Column("district_code", _("District code")),
               Column("district_name", _("District")), Column("cadre_id", _("Cadre id")),
               Column("cadre_name", _("Cadre following it"), empty=_("(vacant)")))
    day_text = format_date(day, language)
    title = (_("Communes, wards and towns matching {search!r}, with the cadres following them "
               "on {day}").format(search=search, day=day_text) if search else
             _("Communes, wards and towns, with the cadres following them on {day}").format(
                 day=day_text))
    return Document(title, [Table("", columns, rows, empty_note=_("No commune matches."))])


def commune_row(commune: Commune, registers: Registers, day: date) -> dict[str, Any]:
    assignment = registers.cadre_of(commune.code, day)
    cadre = registers.cadres.get(assignment.cadre) if assignment and assignment.cadre else None
    return {"code": commune.code, "name": commune.name, "kind": commune.kind,
            "district_code": commune.district_code, "district_name": commune.district_name,
            "cadre_id": assignment.cadre if assignment else "",
            "cadre_name": cadre.name if cadre else (assignment.cadre if assignment else "")}


def cadres_document(cadres: list[Cadre], registers: Registers, day: date, language: str,
                    search: str | None, per_assignment: bool = False) -> Document:
    """The cadres, each with the communes followed on ``day``: their names
    joined in one cell, or (``per_assignment``, the workbook that imports back
    as assignments) one row per commune followed."""
    _ = gettext_for(language)
    rows = [row for c in cadres for row in cadre_rows(c, registers, day)]
    if not per_assignment:
        rows = [cadre_row(c, registers, day) for c in cadres]
    keys = {"cadre_id": "id", "commune": "commune_name"}
    columns = tuple(Column(keys.get(key, key), _(header), empty="—" if key == "commune" else "")
                    for key, header in CADRE_HEADERS.items())
    day_text = format_date(day, language)
    title = (_("Cadres matching {search!r}, with the communes they follow on {day}").format(
        search=search, day=day_text) if search else
             _("Cadres, with the communes they follow on {day}").format(day=day_text))
    return Document(title, [Table("", columns, rows, empty_note=_("No cadre matches."))])


def cadre_rows(cadre: Cadre, registers: Registers, day: date) -> list[dict[str, Any]]:
    """One row per commune the cadre follows on ``day`` (one row with no
    commune when none): the rows of csv, json and the workbook."""
    base = {"id": cadre.id, "name": cadre.name, "title": cadre.title, "agency": cadre.agency,
            "phone": cadre.phone, "email": cadre.email}
    followed = registers.communes_of(cadre.id, day)
    if not followed:
        return [{**base, "commune_code": "", "commune_name": ""}]
    return [{**base, "commune_code": a.commune, "commune_name": _commune_name(registers, a)}
            for a in followed]


def cadre_row(cadre: Cadre, registers: Registers, day: date) -> dict[str, Any]:
    """The cadre in one row, the communes followed joined with "; " (the terminal's table)."""
    rows = cadre_rows(cadre, registers, day)
    return {**rows[0], "commune_code": "; ".join(r["commune_code"] for r in rows),
            "commune_name": "; ".join(r["commune_name"] for r in rows)}


def _commune_name(registers: Registers, assignment: Any) -> str:
    commune = registers.communes.get(assignment.commune)
    return commune.name if commune else assignment.commune


def summary_subject(week: Period, language: str) -> str:
    """The subject of the weekly report as a Party document, under "BÁO CÁO":
    "kết quả theo dõi địa bàn tuần 47 năm 2024 (từ 18/11 đến 24/11/2024)"."""
    _ = gettext_for(language)
    end = format_date(week.end, language)
    start = (f"{week.start:%d/%m}" if language == "vi" and week.start.year == week.end.year
             else format_date(week.start, language))
    return _("results of the follow-up of communes in week {week} of {year} (from {start} to "
             "{end})").format(week=week.number, year=week.year,
                              start=start, end=end)
