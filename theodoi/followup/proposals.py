"""Difficulties and proposals followed to resolution: their ids, the status journal, the rules.

**Ids.**  A visit's difficulties (khó khăn) and proposals (đề xuất, kiến
nghị) are the lines of its ``difficulties`` and ``proposals`` lists.  Each
gets an id derived from its visit and its place in the list as the visit
counts now: ``V-20240915-003/K1``, ``/K2``... for the difficulties,
``V-20240915-003/D1``... for the proposals.  The day files are never
rewritten to hold them: an id is read off the record.  A correction that
rewords an item keeps its place, so its id and history stay; one that
removes an item leaves its history readable, counting nowhere
(``proposal-item-gone``); one that reorders the list is caught by the text
each status change keeps (``proposal-text-changed``).  A withdrawn visit's
items count nowhere either, and their history stays readable.

**The journal.**  A status change is a record of its own, appended to the
file of the day it was recorded, ``proposals/YYYY/YYYY-MM-DD.yaml``, by the
one reader's atomic append under the data folder's lock, never edited::

    - id: P-20261129-001
      item: V-20240915-003/D1
      text: Đề nghị hỗ trợ kinh phí sửa đường         # the item as it read then
      status: forwarded
      date: 2026-11-28                               # when it happened
      to: Sở Giao thông Vận tải
      note: Chuyển Sở GTVT xem xét, trả lời
      by: Nguyễn Văn A <a@example.vn>
      recorded_at: '2026-11-29T10:00:00+07:00'

A status change recorded by mistake is retracted by another record
(``retracts: P-20261129-001`` with a note), the latest first, so that the
history always follows the rules.

**The rules.**  Every item starts ``open`` on the day of its visit; then
``forwarded`` (to an agency; again to another), ``answered`` (with the
answer's reference), ``resolved`` or ``declined`` (the note says why), in
any order, until it is resolved or declined.  A closed item changes only
after an explicit reopening (``open``), which only a closed item takes.
Dates never go back.  Pure functions here, but :func:`load_journal` and
:func:`append_status_change`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from theodoi.base import checks
from theodoi.base.i18n import N_
from theodoi.base.model import Registers
from theodoi.base.periods import Period, recorded_date
from theodoi.base.problems import Location, Msg, Problem, TheodoiError, problem
from theodoi.store.dayfile import (
    DATE,
    TEXT,
    Appended,
    RawRecord,
    Schema,
    append_record,
    folder_records,
    scan_folder,
)
from theodoi.store.textfile import display_path
from theodoi.visits.corrections import Corrections, usable

if TYPE_CHECKING:
    from theodoi.visits.columns import VisitColumns

PROPOSALS_DIR = "proposals"
OPEN, FORWARDED, ANSWERED, RESOLVED, DECLINED = (
    "open", "forwarded", "answered", "resolved", "declined")
STATUSES = (OPEN, FORWARDED, ANSWERED, RESOLVED, DECLINED)
CLOSED = (RESOLVED, DECLINED)
PENDING = (OPEN, FORWARDED, ANSWERED)
STATUS_LABELS = {  # msgids, translated where shown
    OPEN: N_("open"), FORWARDED: N_("forwarded"), ANSWERED: N_("answered"),
    RESOLVED: N_("resolved"), DECLINED: N_("declined"),
}
DIFFICULTY, PROPOSAL = "difficulty", "proposal"
LETTERS = {"K": DIFFICULTY, "D": PROPOSAL}  # khó khăn, đề xuất
LETTER_OF = {DIFFICULTY: "K", PROPOSAL: "D"}
KIND_LABELS = {DIFFICULTY: N_("difficulty"), PROPOSAL: N_("proposal")}
_FIELD_OF = {"K": "difficulties", "D": "proposals"}
_ITEM_ID = re.compile(r"^(?P<visit>\S+)/(?P<letter>[KDkd])(?P<n>[1-9][0-9]*)$")

STATUS_SCHEMA = Schema(
    noun="status changes",
    fields={"id": TEXT, "item": TEXT, "text": TEXT, "status": TEXT, "date": DATE, "to": TEXT,
            "ref": TEXT, "retracts": TEXT, "note": TEXT, "by": TEXT, "recorded_at": TEXT},
    required=("id", "item", "note", "by", "recorded_at"),
    not_a_list=checks.PROPOSAL_FILE_NOT_LIST,
)


def item_id(visit_id: str, kind: str, position: int) -> str:
    return f"{visit_id}/{LETTER_OF[kind]}{position}"


def parse_item_id(text: str) -> tuple[str, str, int] | None:
    """(visit id, kind, position) of ``V-20240915-003/D1`` (the letter in any
    case), or None when the text is not an item's id."""
    match = _ITEM_ID.match(text.strip())
    if match is None:
        return None
    return match["visit"], LETTERS[match["letter"].upper()], int(match["n"])


def normal_item_id(text: str) -> str:
    parsed = parse_item_id(text)
    return item_id(*parsed) if parsed else text.strip()


# --- the items: read off the visits as they count now --------------------------------------


class Item(NamedTuple):
    """A difficulty or proposal as its visit counts now (a named tuple: a
    history holds them by the hundred thousand)."""

    id: str
    kind: str  # difficulty or proposal
    visit: str
    position: int
    text: str
    raised: date  # the visit's date
    cadre: str  # who raised it: the cadre who made the visit
    commune: str
    withdrawn_by: str = ""  # the correction that withdrew the visit, if one did
    withdrawn_reason: str = ""

    @property
    def counts(self) -> bool:
        return not self.withdrawn_by


@dataclass
class Items:
    """Every difficulty and proposal on record, as its visit counts now."""

    by_id: dict[str, Item] = field(default_factory=dict)
    visits: set[str] = field(default_factory=set)  # every visit id on record
    # visit id -> letter -> the correction that last replaced that list
    amended_by: dict[str, dict[str, str]] = field(default_factory=dict)

    def counted(self) -> list[Item]:
        return [item for item in self.by_id.values() if item.counts]


def items_of(columns: VisitColumns, corrections: Corrections,
             only: Collection[str] | None = None) -> Items:
    """The items of every visit (or of the visits ``only`` names), from the
    columns (cached with the day files) and the corrections that replaced a
    visit's lists."""
    if only is not None:
        return _items_at(columns, corrections, only)[0]
    found = Items()
    ids = columns.ids()
    found.visits = set(ids)
    _gather(found, columns, corrections, ids, columns.items, None)
    return found


def _items_at(columns: VisitColumns, corrections: Corrections, visit_ids: Collection[str]
              ) -> tuple[Items, dict[int, str]]:
    """The items of a few visits, found through their day files (only those
    files' text is read), and the rows they are at."""
    from theodoi.visits.columns import row_finder

    found = Items()
    if not visit_ids:
        return found, {}
    find = row_finder(columns)
    rows = {row: visit_id for visit_id in set(visit_ids) if (row := find(visit_id)) is not None}
    found.visits = set(rows.values())
    recorded = [entry for entry in columns.items_in({columns.file_index(r) for r in rows})
                if entry[0] in rows]
    _gather(found, columns, corrections, rows, recorded, set(rows.values()))
    return found, rows


def _gather(found: Items, columns: VisitColumns, corrections: Corrections,
            visit_of_row: list[str] | dict[int, str],
            recorded: Iterable[tuple[int, str, int, str]], wanted: set[str] | None) -> None:
    """Add to ``found`` the items of the rows ``visit_of_row`` names (all rows,
    or a few), as their visits count now: ``recorded`` gives the items as the
    day files hold them, the corrections may replace a list or withdraw a visit."""
    replaced, withdrawn = _corrected_lists(found, corrections)
    days, cadres, communes = columns.ints("day"), columns.ints("cadre"), columns.ints("commune")
    vocab = columns.vocab

    def add(row: int, letter: str, position: int, text: str) -> None:
        visit_id = visit_of_row[row]
        by, reason = withdrawn.get(visit_id, ("", ""))
        item = Item(item_id(visit_id, LETTERS[letter], position), LETTERS[letter], visit_id,
                    position, text, date.fromordinal(days[row]), vocab[cadres[row]],
                    vocab[communes[row]], by, reason)
        found.by_id.setdefault(item.id, item)  # an id twice is validate's business

    for row, letter, position, text in recorded:
        if letter in replaced.get(visit_of_row[row], {}):
            continue
        add(row, letter, position, text)
    if not replaced:
        return
    rows_of_replaced = _first_rows(visit_of_row, replaced)
    for visit_id, lists in replaced.items():
        at = rows_of_replaced.get(visit_id)
        if (wanted is not None and visit_id not in wanted) or at is None:
            continue  # not asked for, or a correction of no visit (validate says so)
        for letter, texts in lists.items():
            for position, text in enumerate(texts, start=1):
                add(at, letter, position, text)


def _corrected_lists(found: Items, corrections: Corrections
                     ) -> tuple[dict[str, dict[str, tuple[str, ...]]], dict[str, tuple[str, str]]]:
    """The item lists the corrections replace (visit id -> letter -> texts),
    noted in ``found.amended_by``, and the visits they withdraw (visit id ->
    the correction's id and reason)."""
    replaced: dict[str, dict[str, tuple[str, ...]]] = {}
    withdrawn: dict[str, tuple[str, str]] = {}
    for visit_id, of_visit in corrections.by_visit().items():
        for correction in usable(of_visit):
            if correction.withdraws:
                withdrawn[visit_id] = (correction.id, correction.reason)
                break
            for letter, key in _FIELD_OF.items():
                if key in correction.changes:
                    replaced.setdefault(visit_id, {})[letter] = tuple(correction.changes[key])
                    found.amended_by.setdefault(visit_id, {})[letter] = correction.id
    return replaced, withdrawn


def _first_rows(visit_of_row: list[str] | dict[int, str], visit_ids: Collection[str]
                ) -> dict[str, int]:
    """The first row of each of these visits among the rows given."""
    first: dict[str, int] = {}
    rows = visit_of_row.items() if isinstance(visit_of_row, dict) else enumerate(visit_of_row)
    for row, visit_id in rows:
        if visit_id in visit_ids:
            first.setdefault(visit_id, row)
    return first


# --- the journal -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusChange:
    """A record of the journal: a change of status, or the retraction of one."""

    id: str
    item: str
    status: str  # "" for a retraction
    day: date | None  # when it happened (a retraction has none)
    to: str
    ref: str
    note: str
    text: str  # the item as it read when the change was recorded
    retracts: str
    by: str
    recorded_at: str
    location: Location

    @property
    def is_retraction(self) -> bool:
        return bool(self.retracts)

    @property
    def recorded_on(self) -> date | None:
        return recorded_date(self.recorded_at)


@dataclass
class Journal:
    records: list[StatusChange] = field(default_factory=list)  # in the order recorded
    problems: list[Problem] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)  # files under proposals/
    broken: set[str] = field(default_factory=set)  # ids of records with problems of their own

    def of_item(self, item: str) -> list[StatusChange]:
        return [r for r in self.records if r.item == item]

    def record(self, record_id: str) -> StatusChange | None:
        return next((r for r in self.records if r.id == record_id), None)


def change_of(record: RawRecord, name: str) -> StatusChange | None:
    if not record.valid:
        return None
    return StatusChange(
        record.text("id"), normal_item_id(record.text("item")), record.text("status"),
        record.day, record.text("to"), record.text("ref"), record.text("note"),
        record.text("text"), record.text("retracts"), record.text("by"),
        record.text("recorded_at"), Location(name, record.line))


def load_journal(data_dir: Path) -> Journal:
    """Every status change of the data folder, in the order recorded (few: read each time)."""
    journal = Journal()
    folder = data_dir / PROPOSALS_DIR
    scan = scan_folder(folder)
    journal.entries = scan.entries
    first: dict[str, Location] = {}
    for record, name in folder_records(folder, STATUS_SCHEMA, journal.problems, scan):
        change = change_of(record, name)
        if change is None:
            continue
        if change.id in first:
            journal.problems.append(problem(checks.DUPLICATE_PROPOSAL_RECORD, change.location,
                                            id=change.id, first=first[change.id]))
            journal.broken.add(change.id)
            continue
        first[change.id] = change.location
        own = own_problems(change)
        journal.problems.extend(own)
        if own:
            journal.broken.add(change.id)
        journal.records.append(change)
    return journal


def own_problems(change: StatusChange) -> list[Problem]:
    """What a record says wrong about itself, whatever item it names."""
    where = change.location

    def bad(reason: str) -> list[Problem]:
        return [problem(checks.PROPOSAL_BAD_RECORD, where, id=change.id, reason=Msg(reason))]

    if change.is_retraction:
        if change.status:
            return bad(N_("a retraction gives 'retracts' and no 'status'"))
        return []
    if not change.status:
        return bad(N_("a status change gives its 'status' (or 'retracts', for a retraction)"))
    if change.status not in STATUSES:
        return [problem(checks.PROPOSAL_BAD_STATUS, where, id=change.id, status=change.status)]
    if change.day is None:
        return bad(N_("a status change gives its 'date', the day it happened"))
    if change.status == FORWARDED and not change.to:
        return bad(N_("'forwarded' needs 'to', the agency or body it went to"))
    if change.status == ANSWERED and not change.ref:
        return bad(N_("'answered' needs 'ref', the number and date of the answer"))
    return []


# --- an item's history and its status on a day ---------------------------------------------


class State(NamedTuple):
    status: str
    since: date  # the day it took that status (the day raised, for an item never changed)
    agency: str  # where it waits: the agency it was last forwarded to ("" if never)
    ref: str  # the reference of the latest answer
    change: StatusChange | None  # the change that made it so (None: as raised)


@dataclass(frozen=True)
class ItemHistory:
    """An item's records: those that count, in order, and those that do not."""

    item: str
    records: tuple[StatusChange, ...]  # every record about it, in the order recorded
    changes: tuple[StatusChange, ...]  # the status changes that count, in order
    retracted: dict[str, StatusChange]  # change id -> its retraction
    refused: dict[str, Problem]  # change id -> why it does not count

    def state_on(self, raised: date, day: date | None = None) -> State:
        """The status as of ``day`` (None: as of the latest change)."""
        state = State(OPEN, raised, "", "", None)
        for change in self.changes:
            assert change.day is not None
            if day is not None and change.day > day:
                break
            agency = change.to if change.status == FORWARDED else (
                "" if change.status == OPEN else state.agency)
            ref = change.ref if change.ref else ("" if change.status == OPEN else state.ref)
            state = State(change.status, change.day, agency, ref, change)
        return state


def empty_history(item: str) -> ItemHistory:
    return ItemHistory(item, (), (), {}, {})


def history_of(item: str, records: Iterable[StatusChange], raised: date | None,
               all_records: dict[str, StatusChange], broken: Collection[str] = ()) -> ItemHistory:
    """Walk an item's records in the order recorded: a retraction takes back the
    latest change that counts; a change counts when the rules allow it from the
    status then (see the module's notes), dated neither before the item was
    raised or the change before it, nor after the day it was recorded."""
    mine = tuple(records)
    counting: list[StatusChange] = []
    retracted: dict[str, StatusChange] = {}
    refused: dict[str, Problem] = {}
    for record in mine:
        if record.id in broken:
            continue
        if record.is_retraction:
            reason = _retraction_problem(record, item, counting, retracted, all_records)
            if reason is not None:
                refused[record.id] = problem(checks.PROPOSAL_BAD_RETRACTION, record.location,
                                             id=record.id, reason=reason)
                continue
            counting.pop()
            retracted[record.retracts] = record
            continue
        found = _change_problem(record, item, counting, raised)
        if found is not None:
            refused[record.id] = found
            continue
        counting.append(record)
    return ItemHistory(item, mine, tuple(counting), retracted, refused)


def _retraction_problem(record: StatusChange, item: str, counting: list[StatusChange],
                        retracted: dict[str, StatusChange],
                        all_records: dict[str, StatusChange]) -> Msg | None:
    target = all_records.get(record.retracts)
    if target is None or target.is_retraction:
        return Msg(N_("no status change {retracts} is on record"), {"retracts": record.retracts})
    if target.item != item:
        return Msg(N_("{retracts} is about {other}, not {item}"),
                   {"retracts": record.retracts, "other": target.item, "item": item})
    if record.retracts in retracted:
        return Msg(N_("{retracts} was retracted already by {by}"),
                   {"retracts": record.retracts, "by": retracted[record.retracts].id})
    if not counting or counting[-1].id != record.retracts:
        if target not in counting:
            return Msg(N_("{retracts} does not count (the rules refused it), so there is "
                          "nothing to retract"), {"retracts": record.retracts})
        return Msg(N_("{retracts} is not the latest change of {item} ({latest} came after it)"),
                   {"retracts": record.retracts, "item": item, "latest": counting[-1].id})
    return None


def _change_problem(record: StatusChange, item: str, counting: list[StatusChange],
                    raised: date | None) -> Problem | None:
    assert record.day is not None
    where = record.location
    previous = counting[-1] if counting else None
    current = previous.status if previous else OPEN
    since = (previous.day if previous else raised) or record.day
    if current in CLOSED and record.status != OPEN:
        return problem(checks.PROPOSAL_BAD_TRANSITION, where, id=record.id, item=item,
                       current=Msg(STATUS_LABELS[current]), since=since,
                       status=Msg(STATUS_LABELS[record.status]), rule=Msg(N_(
                           "a resolved or declined item is reopened first (status open)")))
    if record.status == OPEN and current not in CLOSED:
        return problem(checks.PROPOSAL_BAD_TRANSITION, where, id=record.id, item=item,
                       current=Msg(STATUS_LABELS[current]), since=since,
                       status=Msg(STATUS_LABELS[record.status]), rule=Msg(N_(
                           "only a resolved or declined item is reopened")))
    reason = date_problem(record.day, raised, previous)
    recorded = record.recorded_on
    if reason is None and recorded is not None and record.day > recorded:
        reason = Msg(N_("after the day it was recorded ({recorded})"), {"recorded": recorded})
    if reason is not None:
        return problem(checks.PROPOSAL_DATE_OUT_OF_ORDER, where, id=record.id, day=record.day,
                       reason=reason)
    return None


def date_problem(day: date, raised: date | None, previous: StatusChange | None) -> Msg | None:
    """Why a status change cannot be dated ``day`` (None: it can)."""
    if raised is not None and day < raised:
        return Msg(N_("before the item was raised ({raised})"), {"raised": raised})
    if previous is not None and previous.day is not None and day < previous.day:
        return Msg(N_("before the change before it ({previous}, {previous_day})"),
                   {"previous": previous.id, "previous_day": previous.day})
    return None


# --- the whole follow-up ---------------------------------------------------------------------


@dataclass
class FollowUp:
    """The items, the journal, each item's history, and what is wrong in the journal."""

    items: Items
    journal: Journal
    histories: dict[str, ItemHistory] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def history(self, item: str) -> ItemHistory:
        return self.histories.get(item) or empty_history(item)

    def state_on(self, item: Item, day: date | None = None) -> State:
        history = self.histories.get(item.id)
        if history is None:  # most items: never changed since raised
            return State(OPEN, item.raised, "", "", None)
        return history.state_on(item.raised, day)


def follow_up(items: Items, journal: Journal) -> FollowUp:
    """Each item's history from the journal, and the problems of the journal
    that need the items (an unknown item, a changed one, the rules)."""
    result = FollowUp(items, journal, problems=list(journal.problems))
    by_id = {r.id: r for r in journal.records}
    grouped: dict[str, list[StatusChange]] = {}
    for record in journal.records:
        grouped.setdefault(record.item, []).append(record)
    for key, records in grouped.items():
        item = items.by_id.get(key)
        history = history_of(key, records, item.raised if item else None, by_id,
                             journal.broken)
        result.histories[key] = history
        result.problems.extend(history.refused.values())
        result.problems.extend(_item_problems(key, item, history, items))
    return result


def _item_problems(key: str, item: Item | None, history: ItemHistory, items: Items
                   ) -> list[Problem]:
    first = history.records[0]
    if item is None:
        parsed = parse_item_id(key)
        amended = items.amended_by.get(parsed[0], {}) if parsed else {}
        letter = LETTER_OF[parsed[1]] if parsed else ""
        if parsed and parsed[0] in items.visits and letter in amended:
            latest = history.records[-1]
            return [problem(checks.PROPOSAL_ITEM_GONE, latest.location, id=latest.id, item=key,
                            visit=parsed[0], correction=amended[letter])]
        return [problem(checks.PROPOSAL_UNKNOWN_ITEM, first.location, id=first.id, item=key)]
    worded = [r for r in history.records if r.text and not r.is_retraction]
    if worded and worded[-1].text != item.text:
        latest = worded[-1]
        return [problem(checks.PROPOSAL_TEXT_CHANGED, latest.location, item=key, now=item.text,
                        then=latest.text, id=latest.id, visit=item.visit)]
    return []


# --- the view reports take: each item's status on a day ----------------------------------------


class Followed(NamedTuple):
    """An item with its status as of a day: its age (the days it has waited
    since it was raised; for a closed item, the days it took) and whether it
    has waited too long."""

    item: Item
    state: State
    age: int
    overdue: bool

    @property
    def pending(self) -> bool:
        return self.state.status in PENDING

    @classmethod
    def on(cls, item: Item, state: State, day: date, threshold: int) -> Followed:
        """``item`` in ``state`` seen on ``day``: pending, the days it has waited
        so far; closed, the days it took (never below 0: a visit's date amended
        after its item was closed)."""
        end = day if state.status in PENDING else state.since
        age = max((end - item.raised).days, 0)
        return cls(item, state, age, item_overdue(state.status, age, threshold))


def item_overdue(status: str, age: int, threshold: int) -> bool:
    """Whether an item in ``status`` that has waited ``age`` days is overdue:
    pending for more than ``threshold`` (proposal_overdue_days) days.  The one
    rule of the lists, the summary, the review and ``proposal show``."""
    return status in PENDING and age > threshold


def as_of_day(follow: FollowUp, day: date, overdue_days: int) -> list[Followed]:
    """Every counted item raised on or before ``day``, with its status that day,
    oldest first."""
    found = []
    histories = follow.histories
    as_raised: dict[date, State] = {}  # most items never changed: one State per day raised
    for item in follow.items.counted():
        if item.raised > day:
            continue
        if item.id in histories:
            state = follow.state_on(item, day)
        else:
            state = as_raised.get(item.raised) or as_raised.setdefault(
                item.raised, State(OPEN, item.raised, "", "", None))
        found.append(Followed.on(item, state, day, overdue_days))
    found.sort(key=_sort_key)
    return found


# Machine columns of an item with its status (csv, json), in order.
ITEM_KEYS = ("id", "kind", "visit_id", "raised_on", "commune_code", "commune_name", "cadre_id",
             "cadre_name", "text", "status", "status_date", "waiting_at", "ref", "days",
             "overdue", "note")


class CommuneNames:
    """The name of the unit a code names on a day, memoised: a list of thousands
    of items asks for the same few communes over and over."""

    def __init__(self, registers: Registers):
        self.registers = registers
        self.dated = registers.dated  # read once: it walks every unit
        self.known: dict[tuple[str, date | None], str | None] = {}

    def __call__(self, code: str, day: date) -> str | None:
        key = (code, day if self.dated else None)
        if key not in self.known:
            unit = self.registers.unit_named(code, day)
            self.known[key] = unit.name if unit else None
        return self.known[key]


def item_row(followed: Followed, registers: Registers, names: CommuneNames | None = None
             ) -> dict[str, Any]:
    """An item and its status with stable English keys (dates as dates): where
    it waits is the agency it was last forwarded to, while it is pending."""
    item, state = followed.item, followed.state
    name = (names or CommuneNames(registers))(item.commune, item.raised)
    cadre = registers.cadres.get(item.cadre)
    return {
        "id": item.id, "kind": item.kind, "visit_id": item.visit, "raised_on": item.raised,
        "commune_code": item.commune, "commune_name": name,
        "cadre_id": item.cadre, "cadre_name": cadre.name if cadre else None,
        "text": item.text, "status": state.status, "status_date": state.since,
        "waiting_at": (state.agency or None) if followed.pending else None,
        "ref": state.ref or None, "days": followed.age, "overdue": followed.overdue,
        "note": state.change.note if state.change else None,
    }


@dataclass(frozen=True)
class OpenItems:
    """The summary's section: how many items still wait on a day and how many
    of them too long, the oldest of them (:meth:`oldest`, made when asked: a
    report lists a hundred of a backlog of thousands), and what was resolved
    or declined within the week; :meth:`rows` gives items with the keys of
    :data:`ITEM_KEYS`."""

    as_of: date
    threshold: int  # proposal_overdue_days
    pending_count: int
    overdue_count: int
    closed: list[Followed]
    names: CommuneNames
    listing: Callable[[int | None], list[Followed]] = field(repr=False)

    def oldest(self, count: int | None = None) -> list[Followed]:
        """The ``count`` items that have waited longest (None: every one), oldest first."""
        return self.listing(count)

    def rows(self, followed: list[Followed]) -> list[dict[str, Any]]:
        return [item_row(f, self.names.registers, self.names) for f in followed]


def _sort_key(followed: Followed) -> tuple[date, str, bool, int]:
    item = followed.item
    return item.raised, item.visit, item.kind != DIFFICULTY, item.position


def open_items(data_dir: Path, columns: VisitColumns, corrections: Corrections,
               registers: Registers, week: Period, overdue_days: int) -> OpenItems:
    """What waits at the end of ``week`` and what was closed within it.

    Most items never changed since their visit: they are open, as old as their
    visit, and need no object of their own to be counted.  So only the items
    of visits that a correction or the journal names are built in full; the
    others are counted per day from the columns' ``item_count``, and read (from
    the cached text of the oldest days only) when a listing asks for them.
    The result is the same as :func:`as_of_day` over every item (a test
    compares them); a visit id given twice falls back to that walk, since the
    first of the two then owns the id."""
    journal = load_journal(data_dir)
    day = week.end
    names = CommuneNames(registers)
    if columns.odd_ids or any(p.check is checks.DUPLICATE_VISIT_ID for p in columns.problems):
        everything = as_of_day(follow_up(items_of(columns, corrections), journal), day,
                               overdue_days)
        pending = [f for f in everything if f.pending]
        return OpenItems(day, overdue_days, len(pending), sum(f.overdue for f in pending),
                         _closed_within(everything, week), names,
                         lambda count: pending[:count])
    named = {*corrections.by_visit()}
    named.update(parsed[0] for r in journal.records if (parsed := parse_item_id(r.item)))
    found, special = _items_at(columns, corrections, named)
    followed = as_of_day(follow_up(found, journal), day, overdue_days)
    special_pending = [f for f in followed if f.pending]

    as_of = day.toordinal()
    counts, days = columns.ints("item_count"), columns.ints("day")
    special_files = {columns.file_index(row) for row in special}
    per_day: dict[int, int] = {}  # ordinal of the day raised -> items never changed
    for index, info in enumerate(columns.files):
        start, end = info.start, info.start + info.count
        if index not in special_files and index not in columns.touched and info.all_of_its_day:
            if info.count and info.first_day <= as_of:
                per_day[info.first_day] = per_day.get(info.first_day, 0) + sum(counts[start:end])
            continue
        for row in range(start, end):
            if counts[row] and row not in special and days[row] <= as_of:
                per_day[days[row]] = per_day.get(days[row], 0) + counts[row]
    waited_too_long = sum(n for raised, n in per_day.items()
                          if item_overdue(OPEN, as_of - raised, overdue_days))

    def listing(count: int | None) -> list[Followed]:
        by_day = dict(per_day)
        for f in special_pending:
            raised = f.item.raised.toordinal()
            by_day[raised] = by_day.get(raised, 0) + 1
        cutoff, total = as_of, 0
        for raised in sorted(by_day):  # the day by which ``count`` items had been raised
            total += by_day[raised]
            if count is not None and total >= count:
                cutoff = raised
                break
        chosen = [f for f in special_pending if f.item.raised.toordinal() <= cutoff]
        chosen += _untouched(columns, special, cutoff, as_of, overdue_days)
        chosen.sort(key=_sort_key)
        return chosen[:count]

    return OpenItems(day, overdue_days, sum(per_day.values()) + len(special_pending),
                     waited_too_long + sum(f.overdue for f in special_pending),
                     _closed_within(followed, week), names, listing)


def _untouched(columns: VisitColumns, special: Collection[int], cutoff: int, as_of: int,
               overdue_days: int) -> list[Followed]:
    """The items raised by ``cutoff`` of the visits no correction or status
    change names: open since their visit."""
    days, cadres = columns.ints("day"), columns.ints("cadre")
    communes, vocab = columns.ints("commune"), columns.vocab
    wanted = [i for i, info in enumerate(columns.files)
              if info.count and columns.day_range(i)[0] <= cutoff]
    ids: dict[int, list[str]] = {}
    states: dict[int, State] = {}
    found = []
    on = date.fromordinal(as_of)
    for row, letter, position, text in columns.items_in(wanted):
        raised = days[row]
        if raised > cutoff or row in special:
            continue
        index = columns.file_index(row)
        if index not in ids:
            ids[index] = columns.ids_of(index)
        visit_id = ids[index][row - columns.files[index].start]
        state = states.get(raised)
        if state is None:
            state = states[raised] = State(OPEN, date.fromordinal(raised), "", "", None)
        kind = LETTERS[letter]
        item = Item(item_id(visit_id, kind, position), kind, visit_id, position, text,
                    state.since, vocab[cadres[row]], vocab[communes[row]])
        found.append(Followed.on(item, state, on, overdue_days))
    return found


def _closed_within(followed: list[Followed], week: Period) -> list[Followed]:
    closed = [f for f in followed if f.state.status in CLOSED and f.state.since in week]
    closed.sort(key=lambda f: (f.state.since, f.item.raised, f.item.id))
    return closed


# --- loading and appending -------------------------------------------------------------------


def load_follow_up(data_dir: Path, columns: VisitColumns, corrections: Corrections
                   ) -> FollowUp:
    return follow_up(items_of(columns, corrections), load_journal(data_dir))


def status_record(record_id: str, item: Item, status: str, day: date | None, to: str,
                  ref: str, note: str, by: str, recorded_at: str, retracts: str = ""
                  ) -> dict[str, Any]:
    """The mapping written to the journal, keys in a stable order."""
    record: dict[str, Any] = {"id": record_id, "item": item.id, "text": item.text}
    if retracts:
        record["retracts"] = retracts
    else:
        record["status"] = status
        record["date"] = day
    if to:
        record["to"] = to
    if ref:
        record["ref"] = ref
    record.update({"note": note, "by": by, "recorded_at": recorded_at})
    return record


def append_status_change(data_dir: Path, today: date, item: Item, status: str,
                         day: date | None, to: str, ref: str, note: str, by: str,
                         recorded_at: str, retracts: str = "") -> Appended:
    """Append a status change (or a retraction) to today's file of the journal."""
    return append_record(
        data_dir, PROPOSALS_DIR, today, STATUS_SCHEMA, "P",
        lambda new_id: status_record(new_id, item, status, day, to, ref, note, by,
                                     recorded_at, retracts))


def journal_problems(data_dir: Path, columns: VisitColumns, corrections: Corrections
                     ) -> list[Problem]:
    """What ``validate`` reports of the journal: its files, its records, its rules."""
    from theodoi.visits.rules import misplaced_files

    journal = load_journal(data_dir)
    # Only the items the journal names are looked at: a check need not build them all.
    named = {parsed[0] for r in journal.records if (parsed := parse_item_id(r.item))}
    follow = follow_up(items_of(columns, corrections, named), journal)
    return [*follow.problems,
            *misplaced_files(follow.journal.entries, display_path(data_dir / PROPOSALS_DIR))]


def check_status_request(status: str, to: str, ref: str, day: date, today: date) -> None:
    """What a status change must say by itself: forwarded names the agency (and
    only forwarded does), answered gives the document, and no date is to come."""
    if to and status != FORWARDED:
        raise TheodoiError(checks.PROPOSAL_AGENCY_NOT_FORWARDED, status=status)
    if status == FORWARDED and not to:
        raise TheodoiError(checks.PROPOSAL_AGENCY_MISSING)
    if status == ANSWERED and not ref:
        raise TheodoiError(checks.PROPOSAL_REF_MISSING)
    if day > today:
        raise TheodoiError(checks.PROPOSAL_DATE_IN_FUTURE, day=day, today=today)


def check_status_change(follow: FollowUp, item: Item, status: str, day: date) -> State:
    """The item's state before the change, which must be allowed from it: a closed
    item only reopens, only a closed one can, and dates never go back."""
    history = follow.history(item.id)
    before = follow.state_on(item)
    if before.status in CLOSED and status != OPEN:
        raise TheodoiError(checks.PROPOSAL_CLOSED, item=item.id,
                           current=Msg(STATUS_LABELS[before.status]), since=before.since,
                           record=before.change.id if before.change else "")
    if status == OPEN and before.status not in CLOSED:
        raise TheodoiError(checks.PROPOSAL_NOT_CLOSED, item=item.id,
                           current=Msg(STATUS_LABELS[before.status]))
    latest = history.changes[-1] if history.changes else None
    too_early = date_problem(day, item.raised, latest)
    if too_early is not None:
        raise TheodoiError(checks.PROPOSAL_DATE_TOO_EARLY, day=day, reason=too_early)
    return before
