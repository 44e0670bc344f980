"""The annex of a decision (Excel or CSV) turned into assignments, all or none.

An annex lists, a row each, a cadre (STT, họ và tên, chức vụ, cơ quan/đơn
vị) and the commune the cadre follows from the decision's day.  Each row's
cadre is found in cadres.csv by name and agency (folded, as lookups fold
them), or by id when the annex has a "Mã cán bộ" column; a cadre not listed
is new and gets the next id of the list (CB109 after CB108).  A name listed
under another agency is not guessed at: the row is refused until the annex
says which person it is (``import-cadre-unclear``).

Each assignment is then planned by :func:`theodoi.registers.assignments_edit.plan_assign`,
as ``theodoi assign`` plans it, and the rows are checked together: the
whole decision is refused if it would break the one-to-one rule on any
day, with the rows concerned.  A row whose cadre already follows its
commune on that day is skipped, so that an annex can be imported again.
Planning is pure; :func:`write_assignment_import` writes cadres.csv and
assignments.yaml with the line editor of ``assign``, under the lock.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from theodoi.base import checks
from theodoi.base.i18n import N_, gettext_for
from theodoi.base.model import Cadre, Registers
from theodoi.base.problems import Problem, TheodoiError, problem
from theodoi.base.textnorm import fold
from theodoi.registers.assignments_edit import (
    AssignmentEdit,
    Change,
    DecisionRef,
    introduced_errors,
    plan_assign,
    plan_cadre,
    would_be,
)
from theodoi.registers.lookup import LookupFailed, cadre_label, find_commune
from theodoi.store import importing
from theodoi.store.importing import (
    CADRE_HEADERS,
    Field,
    Record,
    Sheet,
    empty_value,
    records,
    relocated,
)
from theodoi.store.sheets import Grid

_HEADERS = {
    "ordinal": ("STT", "TT", "Số TT", "Số thứ tự", "No."),
    "name": ("Họ và tên", "Họ tên", "Họ tên cán bộ", "Tên cán bộ", "Cán bộ", "Full name",
             "Name", "Cadre"),
    "title": ("Chức vụ", "Chức danh", "Title"),
    "agency": ("Cơ quan, đơn vị", "Cơ quan/đơn vị", "Cơ quan", "Đơn vị", "Đơn vị công tác",
               "Agency"),
    "commune": ("Xã/phường/thị trấn được phân công", "Xã được phân công",
                "Xã được phân công theo dõi", "Xã, phường, thị trấn", "Xã/phường/thị trấn",
                "Xã/phường", "Xã", "Địa bàn", "Địa bàn được phân công", "Địa bàn theo dõi",
                "Địa bàn phụ trách", "Commune", "Commune followed"),
    "commune_code": ("Mã xã", "Mã đơn vị hành chính", "Mã ĐVHC", "Commune code"),
    "cadre_id": ("Mã cán bộ", "Cadre id", "ID"),
    "phone": ("Điện thoại", "Số điện thoại", "Phone"),
    "email": ("Thư điện tử", "Email"),
}
_LABELS = {
    "ordinal": N_("row number"), "name": N_("full name"), "title": N_("title"),
    "agency": N_("agency"), "commune": N_("commune"), "commune_code": N_("commune code"),
    "cadre_id": N_("cadre id"), "phone": N_("phone"), "email": N_("email"),
}
REQUIRED = (("name", "cadre_id"), ("commune", "commune_code"))
_DECISION_CODES = {checks.DECISION_DATE_DIFFERS.code, checks.DECISION_WITHOUT_DATE.code}
_ID = re.compile(r"^([^\d\s]*)(\d+)$")


def assignment_fields() -> tuple[Field, ...]:
    """The fields of an annex, known by the headers above and by those of
    ``cadre list``'s workbook in both languages (so that it imports back)."""
    vi = gettext_for("vi")
    listing = CADRE_HEADERS
    fields = []
    for key, label in _LABELS.items():
        headers = list(_HEADERS[key])
        if key in listing:
            headers += [listing[key], vi(listing[key])]
        fields.append(Field(key, label, tuple(headers)))
    return tuple(fields)


@dataclass(frozen=True)
class AnnexRow:
    """A row of the annex: its commune and cadre, and how the cadre was found."""

    record: Record
    commune: str
    cadre: Cadre
    how: str  # "matched" (name and agency), "by-id", "new" (to add to cadres.csv)
    in_force: bool = False  # the cadre follows the commune on that day already: skipped


@dataclass
class AssignmentImport:
    rows: list[AnnexRow] = field(default_factory=list)
    new_cadres: list[Cadre] = field(default_factory=list)
    plan: AssignmentEdit | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return bool(self.plan and (self.plan.additions or self.plan.ends)) or \
            bool(self.new_cadres)


def find_sheets(grids: Sequence[Grid], name: str, forced: dict[str, str], language: str,
                every: bool) -> tuple[list[Sheet], list[str]]:
    """The sheets of an annex to import (see :func:`theodoi.store.importing.find_sheets`)."""
    return importing.find_sheets(grids, name, assignment_fields(), REQUIRED, forced, language,
                                 every)


def next_ids(cadres: Sequence[str]) -> Iterator[str]:
    """New ids in the style of the list: the most common prefix, its width,
    numbered after the highest ("CB108" -> "CB109", "CB110"...)."""
    parsed = [m.groups() for m in (_ID.match(c) for c in cadres) if m]
    prefix = Counter(p for p, _n in parsed).most_common(1)[0][0] if parsed else "CB"
    numbers = [(int(n), len(n)) for p, n in parsed if p == prefix]
    width = max((w for _n, w in numbers), default=3)
    number = max((n for n, _w in numbers), default=0)
    taken = {c.casefold() for c in cadres}
    while True:
        number += 1
        candidate = f"{prefix}{number:0{width}d}"
        if candidate.casefold() not in taken:
            yield candidate


def plan_assignment_import(registers: Registers, sheets: Sequence[Sheet], since: date,
                           decision: DecisionRef | None, cadre_columns: list[str],
                           file: str = "assignments.yaml") -> AssignmentImport:
    """Every row of the annex as an assignment from ``since`` under ``decision``,
    with the new cadres it needs, or the problems that refuse it."""
    result = AssignmentImport()
    ids = next_ids(list(registers.cadres))
    new_by_key: dict[tuple[str, str], Cadre] = {}
    new_by_id: dict[str, Cadre] = {}
    communes_seen: dict[str, Record] = {}
    for record in (r for sheet in sheets
                   for r in records(sheet.grid, sheet.header, result.problems)):
        found: list[Problem] = []
        commune_key = "commune_code" if record.values.get("commune_code") is not None or \
            "commune" not in record.header.columns else "commune"
        code = ""
        if record.values.get(commune_key) is None:
            found.append(empty_value(record, commune_key, _LABELS[commune_key]))
        else:
            try:
                commune = find_commune(registers.communes, record.text(commune_key))
                code = commune.code
                if code in communes_seen:
                    found.append(problem(checks.IMPORT_COMMUNE_TWICE,
                                         record.location(commune_key), commune=commune.name,
                                         row=communes_seen[code].number))
                communes_seen.setdefault(code, record)
            except TheodoiError as exc:
                found.append(relocated(exc, record, commune_key))
        cadre, how = _cadre(registers, record, ids, new_by_key, new_by_id, cadre_columns,
                            found, result)
        if found or cadre is None:
            result.problems.extend(found)
            continue
        in_force = any(a.commune == code and a.cadre == cadre.id and a.in_force(since)
                       for a in registers.assignments)
        result.rows.append(AnnexRow(record, code, cadre, how, in_force))
    result.new_cadres = list(dict.fromkeys([*new_by_key.values(), *new_by_id.values()]))
    if result.problems:
        return result
    return _planned(registers, result, since, decision, file)


def _cadre(registers: Registers, record: Record, ids: Iterator[str],
           new_by_key: dict[tuple[str, str], Cadre], new_by_id: dict[str, Cadre],
           cadre_columns: list[str], found: list[Problem], result: AssignmentImport
           ) -> tuple[Cadre | None, str]:
    """The row's cadre: listed (by id, or by name and agency) or new; problems go to ``found``."""
    name, title, agency = record.text("name"), record.text("title"), record.text("agency")
    given_id = record.text("cadre_id")
    if given_id:
        listed = registers.cadres.get(given_id) or next(
            (c for c in registers.cadres.values() if c.id.casefold() == given_id.casefold()),
            None)
        if listed is not None:
            if name and fold(name) != fold(listed.name):
                found.append(problem(checks.IMPORT_CADRE_ID_DIFFERS, record.location("cadre_id"),
                                     id=listed.id, listed=listed.name, name=name))
                return None, ""
            _title_note(record, listed, title, result)
            return listed, "by-id"
        if given_id in new_by_id:
            return new_by_id[given_id], "new"
        cadre = _new_cadre(record, given_id, registers, cadre_columns, found)
        if cadre is not None:
            new_by_id[given_id] = cadre
        return cadre, "new"
    if not name:
        found.append(empty_value(record, "name", _LABELS["name"]))
        return None, ""
    same = [c for c in registers.cadres.values() if fold(c.name) == fold(name)]
    exact = [c for c in same if fold(c.agency) == fold(agency)] if agency else same
    if len(exact) == 1:
        _title_note(record, exact[0], title, result)
        return exact[0], "matched"
    if exact:
        error = LookupFailed(checks.CADRE_AMBIGUOUS,
                             [cadre_label(c) for c in sorted(exact, key=lambda c: c.id)],
                             query=name)
        found.append(relocated(error, record, "name"))
        return None, ""
    if same:
        found.append(problem(checks.IMPORT_CADRE_UNCLEAR, record.location("agency"), name=name,
                             id=same[0].id, agency=same[0].agency, given=agency))
        return None, ""
    key = (fold(name), fold(agency))
    if key in new_by_key:
        return new_by_key[key], "new"
    cadre = _new_cadre(record, next(ids), registers, cadre_columns, found)
    if cadre is not None:
        new_by_key[key] = cadre
    return cadre, "new"


def _new_cadre(record: Record, cadre_id: str, registers: Registers, cadre_columns: list[str],
               found: list[Problem]) -> Cadre | None:
    """A cadre to add to cadres.csv, checked as ``cadre add`` checks one (a
    namesake listed already is another person: the annex gave it its own id)."""
    missing = [key for key in ("name", "title", "agency") if not record.text(key)]
    for key in missing:
        if key in record.header.columns:
            found.append(empty_value(record, key, _LABELS[key]))
        else:
            found.append(problem(checks.IMPORT_EMPTY_VALUE, record.location(), cell="-",
                                 header=key, field=_label(key)))
    if missing:
        return None
    cadre = Cadre(cadre_id, record.text("name"), record.text("title"), record.text("agency"),
                  record.text("phone"), record.text("email"))
    refusals, _namesakes = plan_cadre(registers, cadre, cadre_columns)
    found.extend(dataclasses.replace(r, location=record.location("cadre_id")) for r in refusals)
    return None if refusals else cadre


def _label(key: str) -> object:
    from theodoi.base.problems import Msg

    return Msg(_LABELS[key])


def _title_note(record: Record, cadre: Cadre, title: str, result: AssignmentImport) -> None:
    """A title in the annex other than the one listed is said, not written:
    cadres.csv is edited by hand or with cadre add."""
    if title and fold(title) != fold(cadre.title):
        result.notes.append(problem(checks.IMPORT_TITLE_DIFFERS, record.location("title"),
                                    id=cadre.id, listed=cadre.title, given=title))


def _planned(registers: Registers, result: AssignmentImport, since: date,
             decision: DecisionRef | None, file: str) -> AssignmentImport:
    """The rows planned one by one as ``assign`` plans them, then checked together."""
    with_new = dataclasses.replace(registers, cadres={
        **registers.cadres, **{c.id: c for c in result.new_cadres}})
    merged = AssignmentEdit("assign", since)
    decision_refusals: dict[str, Problem] = {}
    for row in result.rows:
        if row.in_force:
            continue
        plan = plan_assign(with_new, row.commune, row.cadre.id, since, decision, file)
        for refusal in plan.refusals:
            if refusal.code in _DECISION_CODES:
                decision_refusals.setdefault(refusal.code, refusal)
            else:
                key = "commune_code" if "commune_code" in row.record.header.columns and \
                    "commune" not in row.record.header.columns else "commune"
                result.problems.append(dataclasses.replace(
                    refusal, location=row.record.location(key)))
        merged.ends += plan.ends
        merged.additions += plan.additions
        merged.new_decision = merged.new_decision or plan.new_decision
    result.problems += decision_refusals.values()
    if result.problems:
        return result
    merged.after = would_be(with_new, merged)
    for breach in introduced_errors(with_new, merged.after, since):
        values = {str(v) for v in breach.params.values()}
        concerned = next((r for r in result.rows if not r.in_force
                          and (r.commune in values or r.cadre.id in values)), None)
        result.problems.append(breach if concerned is None else dataclasses.replace(
            breach, location=concerned.record.location("commune")))
    result.plan = merged
    return result


# --- writing: the one part that touches files ---------------------------------------------

def write_assignment_import(data_dir: Path, result: AssignmentImport, dry_run: bool
                            ) -> list[Change]:
    """The new texts of cadres.csv (new cadres at the end) and assignments.yaml
    (only the lines changed), written unless ``dry_run``, under the lock the
    caller holds; if the second write fails, the first is put back."""
    from theodoi.registers.assignments_edit import (
        TextFile,
        append_cadre_text,
        edit_assignments_text,
    )
    from theodoi.registers.loader import ASSIGNMENTS_FILE, CADRES_FILE
    from theodoi.store.textfile import display_path
    from theodoi.store.transaction import transaction

    changes: list[tuple[Change, TextFile]] = []
    if result.new_cadres:
        path = data_dir / CADRES_FILE
        original = TextFile.read(path, display_path(path))
        text = original.text
        for cadre in result.new_cadres:
            text = append_cadre_text(text, cadre)
        changes.append((Change(path, original.text, text, False), original))
    if result.plan is not None and (result.plan.additions or result.plan.ends):
        path = data_dir / ASSIGNMENTS_FILE
        original = TextFile.read(path, display_path(path))
        text = edit_assignments_text(original.text, result.plan, display_path(path))
        changes.append((Change(path, original.text, text, False), original))
    if dry_run:
        return [change for change, _file in changes]
    with transaction(data_dir) as tx:  # both files or neither, even after SIGKILL
        for change, original in changes:
            tx.write(change.path, original.encode(change.new_text))
            change.written = True
    return [change for change, _file in changes]

