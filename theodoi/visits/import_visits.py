"""A hand-kept visit log (Excel or CSV) turned into visits, all or none.

Each row goes through the checks of ``visit add`` (:func:`plan_visit`: the
commune and the cadre looked up, the assignment in force that day, a reason
for a stand-in, no date after today) and the duplicate check of the store.
Every problem of every row is collected; the caller writes only when there
is none.

A visit imported twice is recognised and skipped: a row is already on
record when a visit of the same day, commune and cadre, with the same kind,
notes, difficulties, proposals and stand-in reason, is in the day file (each
recorded visit answers for one row, so two identical rows recorded with
--allow-duplicate are both recognised).  A row with the same day, commune
and cadre as a visit on record but something else different is a
``duplicate-visit``, as in ``visit add``.

The visits of one day are recorded in the order of the sheet, or in the
order of their former ids (V-YYYYMMDD-n) when the sheet has a "Mã chuyến
công tác" column, as ``visit list --format xlsx`` writes: a listing imported
into a fresh workspace gets the same ids again.  Planning is pure (the day
files on record are read through ``on_record``); :func:`record_visits`
writes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from theodoi.base import checks
from theodoi.base.i18n import N_, gettext_for
from theodoi.base.model import Registers, Visit
from theodoi.base.problems import Msg, Problem, TheodoiError, problem
from theodoi.registers.lookup import LookupFailed, find_cadre, find_commune, find_kind
from theodoi.store import importing
from theodoi.store.importing import (
    VISIT_HEADERS,
    Field,
    Record,
    Sheet,
    bad_date,
    cell_date,
    cell_items,
    empty_value,
    records,
    relocated,
)
from theodoi.store.sheets import Grid
from theodoi.visits.rules import VisitRequest, plan_visit

if TYPE_CHECKING:
    from theodoi.visits.records import StoredVisit

_OTHER_HEADERS = {
    "date": ("Ngày", "Ngày làm việc", "Ngày đi cơ sở", "Ngày công tác", "Ngày đi", "Thời gian",
             "Visit date"),
    "commune_code": ("Mã xã", "Mã đơn vị", "Mã ĐVHC", "Mã đơn vị hành chính"),
    "commune": ("Xã/phường", "Xã, phường, thị trấn", "Xã/phường/thị trấn", "Địa bàn", "Tên xã",
                "Đơn vị hành chính"),
    "cadre_id": ("Mã cán bộ", "Cadre ID", "ID"),
    "cadre": ("Cán bộ", "Họ tên", "Họ và tên", "Họ tên cán bộ", "Người đi", "Cán bộ đi",
              "Cadre name", "Name"),
    "kind": ("Hình thức", "Hình thức làm việc", "Loại", "Kind of visit"),
    "notes": ("Ghi chú", "Nội dung", "Nội dung làm việc", "Tình hình", "Kết quả", "Content"),
    "difficulties": ("Khó khăn", "Khó khăn, vướng mắc", "Vướng mắc", "Nội dung khó khăn",
                     "Difficulty"),
    "proposals": ("Kiến nghị", "Đề xuất", "Đề xuất, kiến nghị", "Kiến nghị, đề xuất",
                  "Nội dung kiến nghị", "Proposal"),
    "substitute": ("Đi thay", "Đi thay (lý do)", "Lý do đi thay", "Substitute"),
    "visit_id": ("Mã chuyến công tác", "Visit id"),
    "recorded_at": ("Thời điểm ghi", "Recorded at"),
    "ordinal": ("STT", "TT", "Số TT", "Số thứ tự", "No."),
}
_LABELS = {
    "date": N_("date"), "commune_code": N_("commune code"), "commune": N_("commune"),
    "cadre_id": N_("cadre id"), "cadre": N_("cadre"), "kind": N_("kind of visit"),
    "notes": N_("notes"), "difficulties": N_("difficulties"), "proposals": N_("proposals"),
    "substitute": N_("stand-in reason"), "visit_id": N_("visit id"),
    "recorded_at": N_("time of recording"), "ordinal": N_("row number"),
}
REQUIRED = (("date",), ("commune", "commune_code"))


def visit_fields() -> tuple[Field, ...]:
    """The fields of a visit log: the headers above, and those of ``visit list``'s
    workbook in both languages (so that it imports back)."""
    vi = gettext_for("vi")
    fields = []
    for key, label in _LABELS.items():
        headers = list(_OTHER_HEADERS[key])
        if key in VISIT_HEADERS:
            headers += [VISIT_HEADERS[key], vi(VISIT_HEADERS[key])]
        fields.append(Field(key, label, tuple(headers)))
    return tuple(fields)


# Which column a refusal of plan_visit is about.
_COLUMN_OF = {
    checks.VISIT_IN_FUTURE.code: "date",
    checks.SUBSTITUTE_WITHOUT_CADRE.code: "substitute",
    checks.SUBSTITUTE_NOT_NEEDED.code: "substitute",
    checks.CADRE_NOT_ASSIGNED_THERE.code: "cadre",
    checks.TEXT_NOT_UTF8.code: "notes",
}


@dataclass(frozen=True)
class Row:
    """A planned visit and the row it comes from."""

    visit: Visit
    record: Record
    on_record: Visit | None = None  # the visit already recorded, when the row is one


@dataclass
class VisitImport:
    new: list[Row] = field(default_factory=list)  # in the order they will be recorded
    known: list[Row] = field(default_factory=list)  # already on record: skipped
    problems: list[Problem] = field(default_factory=list)


def find_sheets(grids: Sequence[Grid], name: str, forced: dict[str, str], language: str,
                every: bool) -> tuple[list[Sheet], list[str]]:
    """The sheets of a visit log to import (see :func:`theodoi.store.importing.find_sheets`)."""
    return importing.find_sheets(grids, name, visit_fields(), REQUIRED, forced, language, every)


def content(visit: Visit) -> tuple[object, ...]:
    """What makes two records the same visit (the id and the time of recording aside)."""
    return (visit.date, visit.commune, visit.cadre, visit.kind, visit.notes,
            visit.difficulties, visit.proposals, visit.substitute)


def plan_visit_import(registers: Registers, sheets: Sequence[Sheet], today: date,
                      recorded_at: str, language: str,
                      on_record: Callable[[date], list[Visit]],
                      allow_duplicate: bool = False) -> VisitImport:
    """Every row of the sheets as a visit to record, one already on record, or
    the problems that refuse it; ``on_record(day)`` gives the visits of a day
    file (or raises TheodoiError when it cannot be appended to)."""
    result = VisitImport()
    planned: list[tuple[tuple[object, ...], Row]] = []
    unclaimed: dict[date, Counter[tuple[object, ...]]] = {}
    recorded: dict[date, list[Visit]] = {}
    first_row: dict[tuple[date, str, str], Record] = {}
    claimed: set[str] = set()  # the recorded visits a row of the file was matched with
    for sheet in sheets:
        for record in records(sheet.grid, sheet.header, result.problems):
            row_problems, visit = _plan_row(registers, record, sheet.grid, today, recorded_at,
                                            language)
            if visit is None:
                result.problems.extend(row_problems)
                continue
            if visit.date not in recorded:
                try:
                    recorded[visit.date] = on_record(visit.date)
                except TheodoiError as exc:
                    result.problems.append(exc.as_problem(""))
                    recorded[visit.date] = []
                unclaimed[visit.date] = Counter(content(v) for v in recorded[visit.date])
            same = content(visit)
            own_id = record.text("visit_id")  # the row's own id, when the file keeps it
            if unclaimed[visit.date][same] > 0:
                unclaimed[visit.date][same] -= 1
                match = _own_first([v for v in recorded[visit.date] if content(v) == same
                                    and v.id not in claimed], own_id)
                assert match is not None  # counted as unclaimed just above
                claimed.add(match.id)
                result.known.append(Row(visit, record, match))
                continue
            key = (visit.date, visit.commune, visit.cadre)
            if not allow_duplicate:
                clash = _own_first([v for v in recorded[visit.date]
                                    if (v.date, v.commune, v.cadre) == key], own_id)
                if clash is not None:
                    result.problems.append(problem(
                        checks.DUPLICATE_VISIT, record.location("date"), cadre=visit.cadre,
                        commune=visit.commune, day=visit.date, id=clash.id))
                    continue
                if key in first_row:
                    result.problems.append(problem(
                        checks.DUPLICATE_VISIT, record.location("date"), cadre=visit.cadre,
                        commune=visit.commune, day=visit.date,
                        id=Msg(N_("row {row} of the file"), {"row": first_row[key].number})))
                    continue
            first_row.setdefault(key, record)
            planned.append((_order(visit, record), Row(visit, record)))
    result.new = [row for _key, row in sorted(planned, key=lambda item: item[0])]
    return result


def _own_first(visits: list[Visit], own_id: str) -> Visit | None:
    """The visit that has the row's own id, else the first: a message about a
    row names the record that row was imported as."""
    from theodoi.visits.ids import resolve_id

    if own_id:
        found = resolve_id(own_id, [v.id for v in visits]).id
        if found is not None:
            return next(v for v in visits if v.id == found)
    return visits[0] if visits else None


_ID = re.compile(r"^V-(\d{8})-(\d+)$")


def _order(visit: Visit, record: Record) -> tuple[object, ...]:
    """Day by day; within a day, by the former id's number when the row has
    one of that day, then in the order of the sheet."""
    match = _ID.match(record.text("visit_id"))
    sequence = int(match.group(2)) if match and match.group(1) == f"{visit.date:%Y%m%d}" \
        else None
    return (visit.date, sequence is None, sequence or 0, record.grid.name, record.index)


def _plan_row(registers: Registers, record: Record, grid: Grid, today: date, recorded_at: str,
              language: str) -> tuple[list[Problem], Visit | None]:
    problems: list[Problem] = []
    day = None
    if record.values.get("date") is None:
        problems.append(empty_value(record, "date", _LABELS["date"]))
    else:
        day = cell_date(record.values["date"], grid.epoch)
        if day is None:
            problems.append(bad_date(record, "date"))
    commune_key = "commune_code" if record.values.get("commune_code") is not None or \
        "commune" not in record.header.columns else "commune"
    commune = None
    if record.values.get(commune_key) is None:
        problems.append(empty_value(record, commune_key, _LABELS[commune_key]))
    else:
        try:
            commune = find_commune(registers.communes, record.text(commune_key))
        except TheodoiError as exc:
            problems.append(relocated(exc, record, commune_key))
    cadre_key = "cadre_id" if record.values.get("cadre_id") is not None else "cadre"
    cadre_id = None
    if record.values.get(cadre_key) is not None:
        try:
            cadre_id = find_cadre(registers.cadres, record.text(cadre_key)).id
        except TheodoiError as exc:
            problems.append(relocated(exc, record, cadre_key))
    kind = None
    if record.text("kind"):
        try:
            kind = _kind(record.text("kind"), language)
        except TheodoiError as exc:
            problems.append(relocated(exc, record, "kind"))
    if problems or day is None or commune is None:
        return problems, None
    request = VisitRequest(commune=commune.code, day=day, cadre=cadre_id, kind=kind,
                           notes=record.text("notes"),
                           difficulties=cell_items(record.values.get("difficulties")),
                           proposals=cell_items(record.values.get("proposals")),
                           substitute=record.text("substitute"))
    try:
        return [], plan_visit(registers, request, today, recorded_at, language)
    except TheodoiError as exc:
        column = _COLUMN_OF.get(exc.check.code, commune_key)
        if column == "cadre":
            column = cadre_key
        return [relocated(exc, record, column)], None


def _kind(text: str, language: str) -> str:
    """A kind of visit by its key or the start of its label, in either language."""
    try:
        return find_kind(text, language)
    except LookupFailed as first:
        try:
            return find_kind(text, "en" if language == "vi" else "vi")
        except LookupFailed:
            raise first from None


# --- writing: the one part that touches files -------------------------------------------------

def record_visits(data_dir: Path, rows: Sequence[Row]) -> list[StoredVisit]:
    """Append the planned visits, in order, with ``add_visit`` (its ids, its
    checks), as one transaction: every day file of the import is written, or
    none, even if the process is killed halfway (:mod:`theodoi.store.transaction`)."""
    from theodoi.store.transaction import transaction
    from theodoi.visits.records import add_visit

    with transaction(data_dir) as tx:
        # Duplicates were checked for the whole file while planning.
        stored = [add_visit(data_dir, row.visit, allow_duplicate=True) for row in rows]
        tx.require_clean([s.path for s in stored])  # an import's commit holds it alone
    return stored


def day_file_visits(data_dir: Path, day: date) -> list[Visit]:
    """The visits of a day file as ``plan_visit_import`` needs them; a file that
    cannot be appended to (unreadable) is refused now, not halfway through."""
    from theodoi.store.textfile import display_path
    from theodoi.visits.records import read_visit_file, visit_day_file, visit_of

    path = visit_day_file(data_dir, day)
    if not path.exists():
        return []
    result = read_visit_file(path)
    name = display_path(path)
    if not result.readable:
        first = result.problems[0]
        raise TheodoiError(first.check, first.location, **first.params)
    return [visit_of(r, name) for r in result.records if r.valid]
