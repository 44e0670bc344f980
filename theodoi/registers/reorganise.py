"""``theodoi reorganise``: carry a workspace across the reform of 1/7/2025.

On the reform's first day (``on``) every unit in force the day before gets
that day as its last (``until``) and the code of the unit it became
(``successor``); the new units are added with ``on`` as their first day
(``since``); the assignments of the old units end the day before, and each
new unit is proposed the cadres of its old parts, as many as the settings
allow (first the cadre of the part whose code the new unit kept).  Past
visits keep the code they were recorded with: a code is read on a date.

Planning is pure (registers and the national registers in, values out);
:func:`write_reorganisation` edits ``communes.csv`` (rewritten whole,
atomically: each old row gains two fields) and ``assignments.yaml`` (through
the line editor: only the changed lines change) under the data folder's lock,
after reading both back.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
import tempfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from theodoi.base import checks
from theodoi.base.checks import InternalError
from theodoi.base.i18n import N_
from theodoi.base.model import Assignment, Commune, Registers
from theodoi.base.office import OfficeSettings
from theodoi.base.problems import Location, Msg, Problem, TheodoiError, problem
from theodoi.registers.assignments_edit import (
    TYPED,
    AssignmentEdit,
    Change,
    DecisionRef,
    EndEntry,
    NewEntry,
    TextFile,
    _decision,
    edit_assignments_text,
    introduced_errors,
    would_be,
)
from theodoi.store.csvfile import csv_text

if TYPE_CHECKING:
    from theodoi.registers.national import Link

REFORM_DAY = date(2025, 7, 1)
FROM_MAP, TO_MAP = 2024, 2025
DATED_COLUMNS = ("since", "until", "successor")


@dataclass(frozen=True)
class NewUnitCadres:
    """A new unit, its old parts with their cadres, and the cadres proposed."""

    unit: Commune
    parts: tuple[tuple[Commune, tuple[str, ...]], ...]
    proposed: tuple[str, ...]
    left_out: tuple[str, ...]  # cadres of its parts beyond cadres_per_commune


@dataclass
class Reorganisation:
    day: date  # the first day of the new units
    old: list[Commune] = field(default_factory=list)  # as they will read: until, successor
    new: list[Commune] = field(default_factory=list)
    proposals: list[NewUnitCadres] = field(default_factory=list)
    plan: AssignmentEdit | None = None
    refusals: list[Problem] = field(default_factory=list)
    breaches: list[Problem] = field(default_factory=list)
    without_cadre: list[Commune] = field(default_factory=list)

    def allowed(self, force: bool) -> bool:
        return not self.refusals and (force or not self.breaches)

    def edit(self) -> AssignmentEdit:
        """The edit of the assignments, which every reorganisation not refused has."""
        if self.plan is None:
            raise InternalError("reorganisation: no edit of the assignments was planned")
        return self.plan

    def registers_after(self) -> Registers:
        """The registers as the planned edit leaves them."""
        after = self.edit().after
        if after is None:
            raise InternalError("reorganisation: the registers after it were not worked out")
        return after


def parse_splits(values: Iterable[str]) -> tuple[dict[str, str], list[Problem]]:
    """``--split OLD=NEW`` options as a mapping, and the ones that cannot be read."""
    choices: dict[str, str] = {}
    problems = []
    for value in values:
        old, equals, new = (part.strip() for part in value.partition("="))
        if not equals or not old.isdigit() or not new.isdigit():
            problems.append(problem(checks.BAD_SPLIT_CHOICE, TYPED, value=value, reason=Msg(
                N_("write the old code, '=' and the new code, e.g. --split 20194=20227"))))
            continue
        choices[old.zfill(5)] = new.zfill(5)
    return choices, problems


def plan_reorganisation(registers: Registers, on: date, splits: dict[str, str],
                        decision: DecisionRef | None = None,
                        file: str = "assignments.yaml") -> Reorganisation:
    """Everything the reorganisation would change, or why it cannot be done."""
    from theodoi.registers.national import crosswalk, units_by_code

    result = Reorganisation(on)
    last = on - timedelta(days=1)
    later = [u for u in registers.units if u.since is not None and u.since >= on]
    if later:
        result.refusals.append(problem(checks.ALREADY_REORGANISED, later[0].location, day=on))
        return result
    old = sorted(registers.communes_on(last).values(), key=lambda u: u.code)
    result.refusals += _units_off_the_map(old, units_by_code(FROM_MAP))
    if result.refusals:
        return result
    walk = crosswalk([u.code for u in old], from_map=FROM_MAP, to_map=TO_MAP)
    targets, every_target = _successors(old, walk.links, splits, result.refusals)
    result.refusals += _splits_of_no_divided_unit(splits, {u.code for u in old}, walk.links)
    if result.refusals:
        return result

    national_new = units_by_code(TO_MAP)
    result.new = [Commune(code, national_new[code].name, national_new[code].kind, "", "",
                          since=on) for code in sorted(every_target)]
    result.old = [dataclasses.replace(u, until=last, successor=targets[u.code]) for u in old]
    plan = AssignmentEdit("reorganise", on)
    number = _decision(plan, registers, decision)
    result.refusals += plan.refusals
    old_codes = {u.code for u in old}
    old_assignments = [a for a in registers.assignments
                       if a.commune in old_codes and a.in_force(last)]
    plan.ends += [EndEntry(entry, last) for entry in old_assignments]
    _propose_cadres(result, plan, old, targets, old_assignments,
                    registers.settings.cadres_per_commune, Location(file), number)
    result.plan = plan
    if not result.refusals:
        after = _after(registers, result)
        plan.after = after
        # A new unit left without a cadre is said apart: only the office can fill it.
        result.breaches = [p for p in introduced_errors(registers, after, on)
                           if p.check is not checks.COMMUNE_WITHOUT_CADRE]
    return result


def _units_off_the_map(old: list[Commune], map_units: Collection[str]) -> list[Problem]:
    """The units that are not units of the 2024 map, by their code; a unit
    named as the 2025 unit of its code is on the new map already (the reform
    reused codes)."""
    from theodoi.registers.unitmap import national_unit

    refusals = []
    for unit in old:
        known = national_unit(unit)
        if known is None or known.map_year != FROM_MAP or unit.code not in map_units:
            refusals.append(problem(checks.UNIT_NOT_ON_MAP, unit.location, code=unit.code,
                                    name=unit.name, map=FROM_MAP))
    return refusals


def _successors(old: list[Commune], links_of: Mapping[str, Sequence[Link]],
                splits: dict[str, str], refusals: list[Problem]
                ) -> tuple[dict[str, str], set[str]]:
    """The new unit each old unit becomes (a divided one: the one --split
    chooses), and every new unit any old one has a part in; what cannot be
    chosen is added to ``refusals``."""
    targets: dict[str, str] = {}
    every_target: set[str] = set()
    for unit in old:
        links = links_of.get(unit.code, ())
        every_target.update(link.new.code for link in links)
        if not links:  # every unit of the 2024 map has a successor; a guard all the same
            refusals.append(problem(checks.UNIT_NOT_ON_MAP, unit.location,
                                    code=unit.code, name=unit.name, map=FROM_MAP))
        elif len(links) == 1:
            targets[unit.code] = links[0].new.code
        else:
            chosen, refusal = _chosen_part(unit, links, splits.get(unit.code))
            if refusal is not None:
                refusals.append(refusal)
            else:
                targets[unit.code] = chosen
    return targets, every_target


def _chosen_part(unit: Commune, links: Sequence[Link], chosen: str | None
                 ) -> tuple[str, Problem | None]:
    """The new unit --split names for a divided unit, or why it cannot be used."""
    options = {link.new.code: link for link in links}
    if chosen is None:
        default = next(link.new for link in links if link.default)
        return "", problem(
            checks.SPLIT_UNIT_NEEDS_CHOICE, unit.location, code=unit.code, name=unit.name,
            targets=", ".join(f"{link.new.code} {link.new.name}" for link in links),
            default=f"{default.code} {default.name}")
    if chosen not in options:
        return "", problem(
            checks.BAD_SPLIT_CHOICE, TYPED, value=f"{unit.code}={chosen}", reason=Msg(
                N_("{code} {name} was divided among {targets} only"),
                {"code": unit.code, "name": unit.name,
                 "targets": ", ".join(f"{c} {link.new.name}" for c, link in options.items())}))
    return chosen, None


def _splits_of_no_divided_unit(splits: dict[str, str], old_codes: set[str],
                               links_of: Mapping[str, Sequence[Link]]
                               ) -> list[Problem]:
    """A --split that names no unit of this workspace divided by the reform."""
    return [problem(checks.BAD_SPLIT_CHOICE, TYPED, value=f"{code}={chosen}", reason=Msg(
                N_("{code} is not a unit of this workspace that was divided"), {"code": code}))
            for code, chosen in splits.items()
            if code not in old_codes or len(links_of.get(code, ())) < 2]


def _propose_cadres(result: Reorganisation, plan: AssignmentEdit, old: list[Commune],
                    targets: dict[str, str], old_assignments: list[Assignment],
                    limit: int | None, location: Location, number: str) -> None:
    """For each new unit, the cadres of its old parts (its own code's part
    first), up to ``limit``, assigned from the reorganisation's first day."""
    for unit in result.new:
        parts = sorted((u for u in old if targets[u.code] == unit.code),
                       key=lambda u: (u.code != unit.code, u.code))
        part_cadres = [(part, tuple(a.cadre for a in old_assignments
                                    if a.commune == part.code and a.cadre)) for part in parts]
        cadres = list(dict.fromkeys(c for _part, ids in part_cadres for c in ids))
        proposed = cadres if limit is None else cadres[:limit]
        result.proposals.append(NewUnitCadres(unit, tuple(part_cadres), tuple(proposed),
                                              tuple(c for c in cadres if c not in proposed)))
        if not proposed:
            result.without_cadre.append(unit)
        for cadre in proposed:
            plan.additions.append(NewEntry(
                Assignment(unit.code, cadre, result.day, None, number, location), None))


def _after(registers: Registers, result: Reorganisation) -> Registers:
    """The registers as they would read after the reorganisation."""
    changed = {(u.code, u.since): u for u in result.old}
    units = [changed.get((u.code, u.since), u) for u in registers.units] + result.new
    latest: dict[str, Commune] = {}
    for unit in units:
        if unit.code not in latest or (latest[unit.code].since or date.min) <= (
                unit.since or date.min):
            latest[unit.code] = unit
    return dataclasses.replace(would_be(registers, result.edit()), units=units, communes=latest)


# --- the text of communes.csv --------------------------------------------------------------

def edit_communes_text(text: str, result: Reorganisation, name: str) -> str:
    """communes.csv with the old units' last day and successor filled in and the
    new units added at the end; the other columns and rows as they were."""
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip() for h in rows[0]]
    missing = [c for c in DATED_COLUMNS if c not in header]
    header += missing
    index = {column: i for i, column in enumerate(header)}
    ended = {(u.code, u.since.isoformat() if u.since else ""): u for u in result.old}
    out_rows = [header]
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        row = row + [""] * (len(header) - len(row))
        key = (row[index["code"]].strip(), row[index["since"]].strip())
        unit = ended.get(key)
        if unit is not None:
            if unit.until is None:  # plan_reorganisation ends every old unit
                raise InternalError(f"reorganisation: old unit {unit.code} is not ended")
            row[index["until"]] = unit.until.isoformat()
            row[index["successor"]] = unit.successor
        out_rows.append(row)
    for unit in result.new:
        values = {"code": unit.code, "name": unit.name, "kind": unit.kind,
                  "since": unit.since.isoformat() if unit.since else ""}
        out_rows.append([values.get(column, "") for column in header])
    return csv_text(header, (dict(zip(header, row, strict=False)) for row in out_rows[1:]))


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _unit_keys(units: Iterable[Commune]) -> list[tuple[str, ...]]:
    return sorted((u.code, u.name, u.kind, _iso(u.since), _iso(u.until), u.successor)
                  for u in units)


def _verify(data_dir: Path, texts: dict[str, str], result: Reorganisation, name: str) -> None:
    """Read the new files back, as theodoi will: they must say what the plan says."""
    from theodoi.registers.loader import (
        ASSIGNMENTS_FILE,
        CADRES_FILE,
        COMMUNES_FILE,
        load_registers,
    )

    after = result.registers_after()
    if set(texts) != {COMMUNES_FILE, ASSIGNMENTS_FILE}:
        raise InternalError(f"reorganisation: read back {sorted(texts)}, not the two registers")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        shutil.copyfile(data_dir / CADRES_FILE, folder / CADRES_FILE)
        for file_name, text in texts.items():
            (folder / file_name).write_text(text, encoding="utf-8")
        reread = load_registers(folder)
    if (reread.unreadable
            or _unit_keys(reread.registers.units) != _unit_keys(after.units)
            or sorted(map(_assignment_key, reread.registers.assignments))
            != sorted(map(_assignment_key, after.assignments))):
        raise TheodoiError(checks.EDIT_NOT_VERIFIED, Location(name))


def _assignment_key(a: Assignment) -> tuple[str, ...]:
    return (a.commune, a.cadre, _iso(a.since), _iso(a.until), a.decision)


# --- the whole change, under the lock ----------------------------------------------------

def write_reorganisation(data_dir: Path, on: date, splits: dict[str, str],
                         decision: DecisionRef | None = None, force: bool = False,
                         dry_run: bool = False
                         ) -> tuple[Reorganisation, Registers, list[Change]]:
    """Load, plan, edit both files, read them back and write them, in one
    transaction (both files or neither)."""
    from theodoi.registers.assignments_edit import _readable
    from theodoi.registers.loader import (
        ASSIGNMENTS_FILE,
        COMMUNES_FILE,
        load_registers,
        require_data_folder,
    )
    from theodoi.store.textfile import display_path
    from theodoi.store.transaction import transaction

    require_data_folder(data_dir)
    paths = {COMMUNES_FILE: data_dir / COMMUNES_FILE, ASSIGNMENTS_FILE: data_dir /
             ASSIGNMENTS_FILE}
    with transaction(data_dir) as tx:
        loaded = load_registers(data_dir)
        for file_name in (COMMUNES_FILE, ASSIGNMENTS_FILE):
            _readable(loaded, file_name)
        registers = loaded.registers
        names = {key: display_path(path) for key, path in paths.items()}
        result = plan_reorganisation(registers, on, splits, decision, names[ASSIGNMENTS_FILE])
        if result.refusals or (result.breaches and not force and not dry_run):
            return result, registers, []
        originals = {key: TextFile.staged(tx, path, names[key]) for key, path in paths.items()}
        texts = {
            COMMUNES_FILE: edit_communes_text(originals[COMMUNES_FILE].text, result,
                                              names[COMMUNES_FILE]),
            ASSIGNMENTS_FILE: edit_assignments_text(originals[ASSIGNMENTS_FILE].text,
                                                    result.edit(), names[ASSIGNMENTS_FILE]),
        }
        _verify(data_dir, texts, result, names[COMMUNES_FILE])
        changes = [Change(paths[key], originals[key].text, texts[key], False) for key in texts]
        if dry_run or not result.allowed(force):
            return result, registers, changes
        for change, key in zip(changes, texts, strict=True):  # both files or neither
            tx.write(change.path, originals[key].encode(change.new_text))
            change.written = True
        return result, registers, changes


# --- the office's identity on the new map -------------------------------------------------

def new_office_identity(result: Reorganisation, office: OfficeSettings
                        ) -> tuple[str, dict[str, str]] | None:
    """The province the new units belong to and the letterhead lines of its
    Party committee, when the office's settings do not say them yet (Bắc Kạn's
    units become Thái Nguyên's: "ĐẢNG BỘ TỈNH THÁI NGUYÊN", "Thái Nguyên, ngày
    …"); None when they do, or the province is not known."""
    from theodoi.base.office import office_identity
    from theodoi.registers.unitmap import province_of

    province = province_of(result.new)
    if province is None:
        return None
    identity = office_identity(province)
    if all(getattr(office, key) == value for key, value in identity.items()):
        return None
    return province, identity
