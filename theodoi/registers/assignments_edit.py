"""Replacements, swaps and vacancies in assignments.yaml; new cadres in cadres.csv.

Planning is pure: given the loaded registers and a request it returns the
change as values (entries to end, entries to add, a decision to list) with
the reasons to refuse it.  A change is checked by running the rules over the
registers as they are and as they would be, on every date where the
assignments in force change from the change's date on; it is refused if it
brings an error that was not there before.

Writing is a small line editor over the file's text: it touches only the
changed lines (a replacement is one changed and one added line in the git
history) and keeps comments, order, byte-order mark and line endings.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from theodoi.base import checks
from theodoi.base.checks import InternalError
from theodoi.base.i18n import N_
from theodoi.base.model import Assignment, Cadre, Decision, Registers
from theodoi.base.periods import DateError, date_key, parse_date
from theodoi.base.problems import (
    Location,
    Msg,
    Problem,
    Severity,
    TheodoiError,
    exit_code_for,
    problem,
)
from theodoi.base.textnorm import control_character, fold, nfc
from theodoi.registers.rules import check_registers
from theodoi.store.csvfile import csv_text
from theodoi.store.textfile import decode, read_bytes
from theodoi.store.yamlio import compose, flow_scalar, load_text

if TYPE_CHECKING:
    from theodoi.store.transaction import Transaction

ONE_DAY = timedelta(days=1)
# Where a refusal of what was typed is: on the command line, in no file.
TYPED = Location("")

# --- decisions given as "số, ngày" -------------------------------------------------

@dataclass(frozen=True)
class DecisionRef:
    """A decision as typed after --decision: its number, and its date if given."""

    number: str
    date: date | None = None
    # Written with a decision that is new to the file (the demo says who issued
    # it and about what); --decision gives only the number and the date.
    issued_by: str = ""
    subject: str = ""


_LONG_DATE = re.compile(r"^(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})$",
                        re.IGNORECASE)
_NGAY = re.compile(r"\s+ngày\s+", re.IGNORECASE)


def parse_decision(text: str) -> DecisionRef:
    """``1520-QĐ/TU, 15/03/2025``, ``1520-QĐ/TU ngày 15/3/2025``, ``1520-QĐ/TU``,
    or with the date in words (``ngày 15 tháng 3 năm 2025``); raises DateError
    when a date is given but cannot be read."""
    value = nfc(text).strip()
    if "," in value:
        number, _, when = value.rpartition(",")
    else:
        parts = _NGAY.split(value, maxsplit=1)
        number, when = (parts[0], parts[1]) if len(parts) == 2 else (value, "")
    number, when = number.strip(), when.strip()
    if not number:
        raise DateError(value)
    if not when:
        return DecisionRef(number)
    return DecisionRef(number, _decision_date(when))


def _decision_date(text: str) -> date:
    value = re.sub(r"^ngày\s+", "", text.strip(), flags=re.IGNORECASE)
    match = _LONG_DATE.match(text.strip()) or _LONG_DATE.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError as exc:
            raise DateError(text) from exc
    return parse_date(value)


# --- plans ---------------------------------------------------------------------------

@dataclass(frozen=True)
class EndEntry:
    """An assignment that ends the day before the change (``until`` written)."""

    entry: Assignment
    until: date


@dataclass(frozen=True)
class NewEntry:
    """An assignment to add, written after ``after`` (None: at the end of the list)."""

    entry: Assignment
    after: Assignment | None


@dataclass
class AssignmentEdit:
    action: str  # "assign", "vacate" or "swap"
    since: date
    ends: list[EndEntry] = field(default_factory=list)
    additions: list[NewEntry] = field(default_factory=list)
    new_decision: Decision | None = None
    # The request cannot be carried out at all (unknown cadre, nothing to change...).
    refusals: list[Problem] = field(default_factory=list)
    # Errors the change would bring into the registers; written only if forced.
    breaches: list[Problem] = field(default_factory=list)
    after: Registers | None = None

    def allowed(self, force: bool) -> bool:
        return not self.refusals and (force or not self.breaches)

    @property
    def exit_code(self) -> int:
        """Why it was refused decides the exit code (the registry says which)."""
        return exit_code_for(self.refusals)


def plan_assign(registers: Registers, commune: str, cadre: str, since: date,
                decision: DecisionRef | None = None, file: str = "assignments.yaml",
                replace: str = "") -> AssignmentEdit:
    """Add ``cadre`` to ``commune`` from ``since``; an empty ``cadre`` records a
    vacancy.  Where one cadre follows a commune (``cadres_per_commune: 1``) the
    assignment in force ends the day before; where several may, the others stay
    and only ``replace``'s assignment (and a vacancy) ends."""
    plan = AssignmentEdit("assign" if cadre else "vacate", since)
    plan.refusals += _known_commune(registers, commune)
    if cadre:
        plan.refusals += _known_cadre(registers, cadre)
    if replace:
        plan.refusals += _known_cadre(registers, replace)
    if plan.refusals:
        return plan
    number = _decision(plan, registers, decision)
    current = [a for a in registers.assignments if a.commune == commune and a.in_force(since)]
    if replace and replace not in [a.cadre for a in current]:
        plan.refusals.append(problem(checks.CADRE_NOT_ON_COMMUNE, TYPED, id=replace,
                                     code=commune, day=since,
                                     assigned=", ".join(a.cadre for a in current if a.cadre)
                                     or "-"))
    for entry in current:
        if cadre and entry.cadre == cadre:
            plan.refusals.append(problem(checks.NOTHING_TO_CHANGE, entry.location, reason=Msg(
                N_("cadre {id} already follows commune {code} on {day}"),
                {"id": cadre, "code": commune, "day": since})))
        elif not cadre and not entry.cadre:
            plan.refusals.append(problem(checks.NOTHING_TO_CHANGE, entry.location, reason=Msg(
                N_("commune {code} is already vacant on {day}"),
                {"code": commune, "day": since})))
    ending = current
    if cadre and registers.settings.cadres_per_commune != 1:
        ending = [a for a in current if not a.cadre or a.cadre == replace]
    plan.refusals += _ends(plan, ending, since)
    new = Assignment(commune, cadre, since, None, number, Location(file))
    plan.additions.append(NewEntry(new, _last_entry_of(registers, commune)))
    return _checked(plan, registers)


def plan_swap(registers: Registers, cadre_a: str, cadre_b: str, since: date,
              decision: DecisionRef | None = None, file: str = "assignments.yaml"
              ) -> AssignmentEdit:
    """Exchange the communes of two cadres from ``since``, in one change (every
    commune each follows that day, where a cadre may follow several; a commune
    they both follow stays as it is)."""
    plan = AssignmentEdit("swap", since)
    plan.refusals += _known_cadre(registers, cadre_a) + _known_cadre(registers, cadre_b)
    if not plan.refusals and cadre_a == cadre_b:
        plan.refusals.append(problem(checks.SAME_CADRE, TYPED, id=cadre_a))
    if plan.refusals:
        return plan
    number = _decision(plan, registers, decision)
    current: dict[str, list[Assignment]] = {}
    for cadre in (cadre_a, cadre_b):
        current[cadre] = [a for a in registers.assignments
                          if a.cadre == cadre and a.in_force(since)]
        if not current[cadre]:
            plan.refusals.append(problem(checks.NO_COMMUNE_TO_SWAP,
                                         registers.cadres[cadre].location, id=cadre, day=since))
    if plan.refusals:
        return plan
    shared = ({a.commune for a in current[cadre_a]} & {a.commune for a in current[cadre_b]})
    moving = [(entry, cadre_b if cadre == cadre_a else cadre_a)
              for cadre in (cadre_a, cadre_b) for entry in current[cadre]
              if entry.commune not in shared]
    plan.refusals += _ends(plan, [entry for entry, _newcomer in moving], since)
    for entry, newcomer in moving:
        new = Assignment(entry.commune, newcomer, since, None, number, Location(file))
        plan.additions.append(NewEntry(new, _last_entry_of(registers, entry.commune)))
    return _checked(plan, registers)


def _known_commune(registers: Registers, code: str) -> list[Problem]:
    if code in registers.communes:
        return []
    return [problem(checks.COMMUNE_NOT_REGISTERED, TYPED, code=code)]


def _known_cadre(registers: Registers, cadre: str) -> list[Problem]:
    if cadre in registers.cadres:
        return []
    return [problem(checks.CADRE_NOT_REGISTERED, TYPED, id=cadre)]


def _decision(plan: AssignmentEdit, registers: Registers, ref: DecisionRef | None) -> str:
    """The decision number recorded on the new entries; lists it if it is new."""
    if ref is None:
        return ""
    known = registers.decisions.get(ref.number)
    if known is not None:
        if ref.date is not None and known.date is not None and ref.date != known.date:
            plan.refusals.append(problem(checks.DECISION_DATE_DIFFERS, known.location,
                                         number=ref.number, listed=known.date, given=ref.date))
        return ref.number
    if ref.date is None:
        plan.refusals.append(problem(checks.DECISION_WITHOUT_DATE, TYPED, number=ref.number))
        return ref.number
    plan.new_decision = Decision(ref.number, ref.date, ref.issued_by, ref.subject)
    return ref.number


def _ends(plan: AssignmentEdit, current: list[Assignment], since: date) -> list[Problem]:
    refusals = []
    for entry in current:
        if entry.since >= since:
            refusals.append(problem(checks.BEGINS_SAME_DAY, entry.location, code=entry.commune,
                                    day=since))
        else:
            plan.ends.append(EndEntry(entry, since - ONE_DAY))
    return refusals


def _last_entry_of(registers: Registers, commune: str) -> Assignment | None:
    """New entries go after the commune's last line, so its history reads together."""
    entries = [a for a in registers.assignments if a.commune == commune]
    return max(entries, key=lambda a: a.location.line) if entries else None


def would_be(registers: Registers, plan: AssignmentEdit) -> Registers:
    """The registers as they would read after the change (new entries have no line)."""
    ends = {id(end.entry): end.until for end in plan.ends}
    assignments: list[Assignment] = []
    for entry in registers.assignments:
        until = ends.get(id(entry))
        assignments.append(entry if until is None else dataclasses.replace(entry, until=until))
        assignments += [new.entry for new in plan.additions if new.after is entry]
    assignments += [new.entry for new in plan.additions if new.after is None]
    decisions = dict(registers.decisions)
    if plan.new_decision is not None:
        decisions[plan.new_decision.number] = plan.new_decision
    return dataclasses.replace(registers, assignments=assignments, decisions=decisions)


def _checked(plan: AssignmentEdit, registers: Registers) -> AssignmentEdit:
    if not plan.refusals:
        plan.after = would_be(registers, plan)
        plan.breaches = introduced_errors(registers, plan.after, plan.since)
    return plan


def relevant_days(before: Registers, after: Registers, since: date) -> list[date]:
    """``since`` and every later day on which the assignments in force change:
    between two such days the one-to-one check gives the same answer."""
    days = {since}
    for registers in (before, after):
        for a in registers.assignments:
            if a.since > since:
                days.add(a.since)
            if a.until is not None and a.until >= since:
                days.add(a.until + ONE_DAY)
    return sorted(days)


def _signature(problem: Problem) -> tuple[str, tuple[tuple[str, str], ...]]:
    # Line numbers move when lines are added; the rest names the problem.
    return problem.code, tuple(sorted((k, str(v)) for k, v in problem.params.items()
                                      if k != "other_line"))


def introduced_errors(before: Registers, after: Registers, since: date) -> list[Problem]:
    """Errors found in ``after`` on some relevant day and never in ``before``."""
    days = relevant_days(before, after, since)
    known = {_signature(p) for day in days for p in check_registers(before, day)
             if p.severity is Severity.ERROR}
    new: list[Problem] = []
    for day in days:
        for found in check_registers(after, day):
            signature = _signature(found)
            if found.severity is Severity.ERROR and signature not in known:
                known.add(signature)
                new.append(found)
    return new


# --- cadres --------------------------------------------------------------------------

def new_cadre(id_: str, name: str, title: str, agency: str, phone: str = "",
              email: str = "") -> Cadre:
    """A cadre from typed text: NFC, no surrounding spaces."""
    clean = [nfc(value).strip() for value in (id_, name, title, agency, phone, email)]
    return Cadre(clean[0], clean[1], clean[2], clean[3], clean[4], clean[5])


def plan_cadre(registers: Registers, cadre: Cadre, columns: list[str]) -> tuple[
        list[Problem], list[Problem]]:
    """(refusals, name clashes) for adding ``cadre``; a clash (another cadre whose
    name folds to the same key) is an error unless forced, then only a warning."""
    refusals: list[Problem] = []
    where = TYPED
    if not re.fullmatch(r"[^\s,;\"']+", cadre.id):
        refusals.append(problem(checks.BAD_CADRE_ID, where, id=cadre.id))
    for column in ("name", "title", "agency"):
        if not getattr(cadre, column):
            refusals.append(problem(checks.MISSING_CADRE_FIELD, where, column=column))
    for column in ("phone", "email"):
        if getattr(cadre, column) and column not in columns:
            refusals.append(problem(checks.NO_SUCH_COLUMN, where, column=column))
    for other in registers.cadres.values():
        if other.id.casefold() == cadre.id.casefold():
            refusals.append(problem(checks.CADRE_ID_TAKEN, other.location, id=other.id,
                                    name=other.name, title=other.title, agency=other.agency))
    clashes = [
        problem(checks.CADRE_NAME_TAKEN, other.location, name=other.name, id=other.id,
                title=other.title, agency=other.agency)
        for other in registers.cadres.values()
        if cadre.name and fold(other.name) == fold(cadre.name)
    ]
    return refusals, clashes


def csv_header(text: str) -> list[str]:
    first = text.split("\n", 1)[0]
    return [h.strip() for h in next(csv.reader([first]), [])]


def append_cadre_text(text: str, cadre: Cadre) -> str:
    """The text of cadres.csv with one row added at the end, columns in header order."""
    values = {"id": cadre.id, "name": cadre.name, "title": cadre.title,
              "agency": cadre.agency, "phone": cadre.phone, "email": cadre.email}
    for column, value in values.items():
        char = control_character(value or "")
        if char is not None:
            raise TheodoiError(checks.CONTROL_CHARACTER, column=column, char=char)
    if text and not text.endswith("\n"):
        text += "\n"
    return text + csv_text(csv_header(text), [values], header=False)


# --- the line editor -------------------------------------------------------------------

@dataclass
class _Edits:
    """Replacements within lines and lines inserted after lines (0-based, original)."""

    replacements: list[tuple[int, int, int, str]] = field(default_factory=list)
    insertions: dict[int, list[str]] = field(default_factory=dict)

    def insert_after(self, line: int, lines: list[str]) -> None:
        self.insertions.setdefault(line, []).extend(lines)

    def apply(self, text: str) -> str:
        lines = text.split("\n")
        for line, start, end, new in sorted(self.replacements, reverse=True):
            lines[line] = lines[line][:start] + new + lines[line][end:]
        for line in sorted(self.insertions, reverse=True):
            lines[line + 1:line + 1] = self.insertions[line]
        return "\n".join(lines)


def _entry_fields(entry: Assignment) -> list[tuple[str, str]]:
    fields = [("commune", flow_scalar(entry.commune, quoted=True)),
              ("cadre", flow_scalar(entry.cadre)), ("since", entry.since.isoformat())]
    if entry.until is not None:
        fields.append(("until", entry.until.isoformat()))
    if entry.decision:
        fields.append(("decision", flow_scalar(entry.decision)))
    return fields


def _decision_fields(decision: Decision) -> list[tuple[str, str]]:
    if decision.date is None:  # a new decision is always dated (parse_decision)
        raise InternalError(f"decision {decision.number!r} to write has no date")
    fields = [("number", flow_scalar(decision.number)), ("date", decision.date.isoformat())]
    fields += [(key, flow_scalar(value)) for key, value in (("issued_by", decision.issued_by),
                                                        ("subject", decision.subject)) if value]
    return fields


class _Document:
    """The composed YAML of assignments.yaml, for marks (lines and columns)."""

    def __init__(self, text: str, name: str):
        self.name = name
        self.lines = text.split("\n")
        root = compose(text, name)
        if not isinstance(root, yaml.MappingNode):
            raise self._cannot(1)
        self.keys = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}

    def _cannot(self, line: int) -> TheodoiError:
        return TheodoiError(checks.CANNOT_EDIT_SAFELY, Location(self.name, line))

    def items(self, key: str) -> list[yaml.MappingNode]:
        if key not in self.keys:
            return []
        _, value = self.keys[key]
        if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
            return []
        # A flow list ("[...]") would have to be rewritten whole: left to a person.
        if not isinstance(value, yaml.SequenceNode) or value.flow_style:
            raise self._cannot(value.start_mark.line + 1)
        self._refuse_aliases(value)
        return [item for item in value.value if isinstance(item, yaml.MappingNode)]

    def _refuse_aliases(self, node: yaml.Node) -> None:
        """An alias (``*name``) is its anchor's node again, with the anchor's
        marks: an edit meant for one place would land in the other."""
        seen: set[int] = set()
        pending = [node]
        while pending:
            current = pending.pop()
            if id(current) in seen:
                raise self._cannot(current.start_mark.line + 1)
            seen.add(id(current))
            if isinstance(current, yaml.SequenceNode):
                pending.extend(current.value)
            elif isinstance(current, yaml.MappingNode):
                pending.extend(part for pair in current.value for part in pair)

    def entry_at(self, line: int) -> yaml.MappingNode:
        for item in self.items("assignments"):
            if item.start_mark.line + 1 == line:
                return item
        raise self._cannot(line)

    @staticmethod
    def pairs(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}

    def last_line(self, node: yaml.MappingNode) -> int:
        """The 0-based line holding the last character of a list item."""
        if node.flow_style:
            return node.end_mark.line
        last = node.start_mark.line
        for _, value in node.value:
            end = value.end_mark
            last = max(last, end.line - 1 if end.column == 0 and end.line > value.start_mark.line
                       else end.line)
        return last

    def item_prefix(self, node: yaml.MappingNode) -> str:
        """The ``  - `` before a list item, which new items copy."""
        prefix = self.lines[node.start_mark.line][:node.start_mark.column]
        if not re.fullmatch(r" *- +", prefix):
            raise self._cannot(node.start_mark.line + 1)
        return prefix

    def item_lines(self, like: yaml.MappingNode | None, prefix: str,
                   fields: list[tuple[str, str]]) -> list[str]:
        """A new list item in the style of ``like`` (one flow line by default)."""
        if like is None or like.flow_style:
            return [prefix + "{" + ", ".join(f"{k}: {v}" for k, v in fields) + "}"]
        indent = " " * len(prefix)
        return [(prefix if i == 0 else indent) + f"{k}: {v}" for i, (k, v) in enumerate(fields)]

    def add_item(self, edits: _Edits, key: str, after: yaml.MappingNode | None,
                 fields: list[tuple[str, str]]) -> None:
        items = self.items(key)
        if after is None and items:
            after = items[-1]
        if after is not None:
            lines = self.item_lines(after, self.item_prefix(after), fields)
            edits.insert_after(self.last_line(after), lines)
        elif key in self.keys:  # "key:" with nothing under it yet
            key_node = self.keys[key][0]
            prefix = " " * (key_node.start_mark.column + 2) + "- "
            edits.insert_after(key_node.start_mark.line, self.item_lines(None, prefix, fields))
        else:
            raise TheodoiError(checks.NO_LIST_IN_FILE, Location(self.name, 1), key=key)

    def end_entry(self, edits: _Edits, node: yaml.MappingNode, until: date) -> None:
        pairs = self.pairs(node)
        iso = until.isoformat()
        if "until" in pairs:
            value = pairs["until"][1]
            if value.start_mark.line != value.end_mark.line:
                raise self._cannot(value.start_mark.line + 1)
            line, start, end = value.start_mark.line, value.start_mark.column, \
                value.end_mark.column
            text = iso if self.lines[line][start - 1:start] == " " else " " + iso
            edits.replacements.append((line, start, end, text))
        elif "since" in pairs:
            key, value = pairs["since"]
            if node.flow_style:
                mark = value.end_mark
                edits.replacements.append((mark.line, mark.column, mark.column,
                                           f", until: {iso}"))
            else:
                edits.insert_after(value.end_mark.line,
                                   [" " * key.start_mark.column + f"until: {iso}"])
        else:
            raise self._cannot(node.start_mark.line + 1)


def edit_assignments_text(text: str, plan: AssignmentEdit, name: str) -> str:
    """The new text of assignments.yaml: only the changed lines differ."""
    document = _Document(text, name)
    edits = _Edits()
    for end in plan.ends:
        document.end_entry(edits, document.entry_at(end.entry.location.line), end.until)
    for new in plan.additions:
        anchor = None if new.after is None else document.entry_at(new.after.location.line)
        document.add_item(edits, "assignments", anchor, _entry_fields(new.entry))
    if plan.new_decision is not None:
        fields = _decision_fields(plan.new_decision)
        if "decisions" in document.keys:
            document.add_item(edits, "decisions", None, fields)
        elif "assignments" in document.keys:
            line = document.keys["assignments"][0].start_mark.line
            item = document.item_lines(None, "  - ", fields)
            edits.insert_after(line - 1, ["decisions:", *item])
    new_text = edits.apply(text)
    _verify(text, new_text, plan, name)
    return new_text


def _entry_key(item: Any) -> tuple[str, ...]:
    return (str(item.get("commune", "")), str(item.get("cadre") or ""), date_key(item.get("since")),
            date_key(item.get("until")), str(item.get("decision") or ""))


def _assignment_key(entry: Assignment) -> tuple[str, ...]:
    return (entry.commune, entry.cadre, entry.since.isoformat(),
            entry.until.isoformat() if entry.until else "", entry.decision)


def _keys(text: str, name: str) -> tuple[Counter[tuple[str, ...]], set[str]]:
    document = load_text(text, name)
    entries = document.get("assignments") or []
    decisions = document.get("decisions") or []
    return (Counter(_entry_key(e) for e in entries if isinstance(e, dict)),
            {str(d.get("number")) for d in decisions if isinstance(d, dict)})


def _verify(old_text: str, new_text: str, plan: AssignmentEdit, name: str) -> None:
    """Read the edited text back: it must say exactly what the plan says."""
    before, _ = _keys(old_text, name)
    expected = before.copy()
    for end in plan.ends:
        expected[_assignment_key(end.entry)] -= 1
        expected[_assignment_key(dataclasses.replace(end.entry, until=end.until))] += 1
    for new in plan.additions:
        expected[_assignment_key(new.entry)] += 1
    try:
        after, numbers = _keys(new_text, name)
    except TheodoiError:
        after, numbers = Counter(), set()
    missing_decision = plan.new_decision is not None and plan.new_decision.number not in numbers
    if +expected != +after or missing_decision:
        raise TheodoiError(checks.EDIT_NOT_VERIFIED, Location(name))


# --- files on disk -------------------------------------------------------------------

@dataclass(frozen=True)
class TextFile:
    """A text file's content with the byte-order mark and line ending it came with."""

    text: str
    bom: bool
    newline: str

    @classmethod
    def read(cls, path: Path, name: str) -> TextFile:
        raw = read_bytes(path)
        return cls.of_bytes(raw, name)

    @classmethod
    def staged(cls, tx: Transaction, path: Path, name: str) -> TextFile:
        """The file as ``tx`` would leave it so far (a change staged earlier in
        the same transaction included), else as it is on disk."""
        raw = tx.read(path)
        if raw is None:
            raise TheodoiError(checks.FILE_MISSING, Location(name))
        return cls.of_bytes(raw, name)

    @classmethod
    def of_bytes(cls, raw: bytes, name: str) -> TextFile:
        return cls(decode(raw, name), raw.startswith(b"\xef\xbb\xbf"),
                   "\r\n" if b"\r\n" in raw else "\n")

    def encode(self, text: str) -> bytes:
        data = text.replace("\n", self.newline).encode("utf-8")
        return b"\xef\xbb\xbf" + data if self.bom else data


# --- the whole change, under the lock ------------------------------------------------

@dataclass
class Change:
    """What a command did (or, refused or dry, would have done) to one file."""

    path: Path
    old_text: str
    new_text: str
    written: bool


def _readable(loaded: Any, filename: str) -> None:
    if filename in loaded.unreadable:
        first = next((p for p in loaded.problems if p.is_error
                      and Path(p.location.file).name == filename), None)
        if first is None:
            raise InternalError(f"{filename} is unreadable but no problem says why")
        raise TheodoiError(first.check, first.location, **first.params)


def change_assignments(data_dir: Path, make_plan: Any, force: bool = False,
                       dry_run: bool = False) -> tuple[AssignmentEdit, Change | None]:
    """Load, plan with ``make_plan(registers, file_name)``, edit and write, all under
    the data folder's lock so that no other writer slips in between."""
    from theodoi.registers.loader import ASSIGNMENTS_FILE, load_registers, require_data_folder
    from theodoi.store.textfile import display_path
    from theodoi.store.transaction import transaction

    require_data_folder(data_dir)
    path = data_dir / ASSIGNMENTS_FILE
    name = display_path(path)
    with transaction(data_dir) as tx:
        loaded = load_registers(data_dir)
        _readable(loaded, ASSIGNMENTS_FILE)
        plan: AssignmentEdit = make_plan(loaded.registers, name)
        if plan.refusals or (plan.breaches and not force and not dry_run):
            return plan, None
        original = TextFile.staged(tx, path, name)
        new_text = edit_assignments_text(original.text, plan, name)
        change = Change(path, original.text, new_text, written=False)
        if plan.allowed(force) and not dry_run:
            tx.write(path, original.encode(new_text))
            change.written = True
        return plan, change


def add_cadre(data_dir: Path, cadre: Cadre, force: bool = False, dry_run: bool = False
              ) -> tuple[list[Problem], list[Problem], Change | None]:
    """(refusals, name clashes, change): append ``cadre`` to cadres.csv under the lock."""
    from theodoi.registers.loader import CADRES_FILE, load_registers, require_data_folder
    from theodoi.store.textfile import display_path
    from theodoi.store.transaction import transaction

    require_data_folder(data_dir)
    path = data_dir / CADRES_FILE
    name = display_path(path)
    with transaction(data_dir) as tx:
        loaded = load_registers(data_dir)
        _readable(loaded, CADRES_FILE)
        original = TextFile.staged(tx, path, name)
        refusals, clashes = plan_cadre(loaded.registers, cadre, csv_header(original.text))
        if refusals or (clashes and not force):
            return refusals, clashes, None
        change = Change(path, original.text, append_cadre_text(original.text, cadre), False)
        if not dry_run:
            tx.write(path, original.encode(change.new_text))
            change.written = True
        return refusals, clashes, change
