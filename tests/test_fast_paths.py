"""The fast paths proved against plain walks (hypothesis).

Reports and checks count visits as packed columns with short cuts: a set
difference per run of usual day files (the assignment check), codes carried
across a reorganisation on a whole column (coverage, overdue), items never
changed counted per day (the summary's open items), facts drawn from the
columns (the review).  Each test below draws a small random history, writes
it as a real data folder (registers, day files, corrections, the status
journal), runs the command as a clerk would (its json), and compares what it
says with a plain walk, written here, over the records as drawn: every visit
as its corrections leave it, one at a time, no short cut.

The histories have reassignments and vacancies, visits by the cadre assigned
and by others (with or without a stand-in reason), visits filed under another
day, amendments (date, commune, cadre, kind, stand-in reason, the lists of
difficulties and proposals), withdrawals (and corrections after one, which
count nowhere), status changes of items (some refused by the rules once a
correction moved their visit), and, in some, a reorganisation on a drawn day
merging two communes into one, under a new code or the code of one of them.
The files get an old modification time, so that a second run reads the cache
(that path is compared too).
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from conftest import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TERM_START = date(2024, 8, 29)
FIRST_DAY, TODAY = date(2024, 9, 2), date(2025, 3, 28)
ENV = {"THEODOI_TODAY": TODAY.isoformat(), "THEODOI_LANG": "en"}
OVERDUE_ITEM_DAYS = 30  # proposal_overdue_days, the default
CADRES = ("CB01", "CB02", "CB03", "CB04", "CB05")
KINDS = ("working", "executive", "standing", "survey", "event", "other")
MEETINGS = ("executive", "standing")
PENDING, CLOSED = ("open", "forwarded", "answered"), ("resolved", "declined")
WHO = "Nông Thị Văn Thư <vanthu@backan.gov.vn>"

# Hypothesis keeps no database (it would write outside the test's folder);
# each example makes its own folder under tmp_path.
# THEODOI_EXAMPLES=500 hunts longer (the suite keeps to a dozen per test).
PROPERTY = settings(max_examples=int(os.environ.get("THEODOI_EXAMPLES", "12")), deadline=None,
                    database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])



# --- the history as drawn -----------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    district: str
    since: date | None = None
    until: date | None = None
    successor: str = ""

    def in_force(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until)


@dataclass(frozen=True)
class Assigned:
    commune: str
    cadre: str  # "": vacant
    since: date
    until: date | None


@dataclass(frozen=True)
class Visit:
    id: str
    day: date
    cadre: str
    commune: str
    kind: str
    substitute: str
    difficulties: tuple[str, ...]
    proposals: tuple[str, ...]
    recorded: date
    where: tuple[str, int]  # (file, line) as messages name them


@dataclass(frozen=True)
class Correction:
    id: str
    visit: str
    withdraws: bool
    changes: dict[str, Any]
    recorded: date
    where: tuple[str, int]


@dataclass(frozen=True)
class StatusChange:
    item: str
    status: str
    day: date
    recorded: date


@dataclass
class History:
    units: list[Unit]
    assignments: list[Assigned]
    visits: list[Visit] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)  # in the order made
    journal: list[StatusChange] = field(default_factory=list)  # in the order recorded
    files: dict[str, str] = field(default_factory=dict)  # relative path -> text

    # -- the plain walk: every visit as its corrections leave it ---------------------------

    def effective(self) -> dict[str, tuple[Visit, tuple[str, int]]]:
        """Visit id -> the visit as corrected, and where its values come from
        (its record, or the last correction applied); withdrawn visits left out."""
        now = {v.id: (v, v.where) for v in self.visits}
        withdrawn: set[str] = set()
        for c in self.corrections:
            if c.visit in withdrawn or c.visit not in now:
                continue  # after a withdrawal, a correction counts nowhere
            if c.withdraws:
                withdrawn.add(c.visit)
                continue
            visit = now[c.visit][0]
            changes = {("day" if k == "date" else k): v for k, v in c.changes.items()}
            if "kind" in changes:
                changes["kind"] = changes["kind"] or "working"
            for key in ("difficulties", "proposals"):
                if key in changes:
                    changes[key] = tuple(changes[key])
            now[c.visit] = (replace(visit, **changes), c.where)
        return {k: v for k, v in now.items() if k not in withdrawn}

    def counted(self) -> list[Visit]:
        return [visit for visit, _where in self.effective().values()]

    def unit_of(self, code: str, day: date) -> Unit | None:
        return next((u for u in self.units if u.code == code and u.in_force(day)), None)

    def became(self, visit: Visit, day: date) -> str:
        """The code a visit counts for on ``day`` (a merged unit's: the unit it joined)."""
        unit = self.unit_of(visit.commune, visit.day)
        while unit is not None and not unit.in_force(day):
            if unit.until is None or unit.until >= day or not unit.successor:
                return visit.commune
            unit = self.unit_of(unit.successor, unit.until + timedelta(days=1))
        return unit.code if unit is not None else visit.commune

    def cadres_on(self, commune: str, day: date) -> list[Assigned]:
        return [a for a in self.assignments if a.commune == commune and a.since <= day
                and (a.until is None or day <= a.until)]

    def items(self) -> list[dict[str, Any]]:
        """Every item of a counted visit: id, kind, raised, text, cadre, commune."""
        found = []
        for visit in self.counted():
            for kind, letter, texts in (("difficulty", "K", visit.difficulties),
                                        ("proposal", "D", visit.proposals)):
                for n, text in enumerate(texts, start=1):
                    found.append({"id": f"{visit.id}/{letter}{n}", "kind": kind,
                                  "visit": visit.id, "position": n, "raised": visit.day,
                                  "text": text, "cadre": visit.cadre,
                                  "commune": visit.commune})
        return found

    def status_on(self, item: dict[str, Any], day: date) -> tuple[str, date]:
        """An item's status on ``day`` and since when, by the journal's rules:
        a change counts when the status then allows it and it is dated neither
        before the item was raised or the change before it, nor after the day
        it was recorded."""
        counting: list[StatusChange] = []
        for change in self.journal:
            if change.item != item["id"]:
                continue
            current = counting[-1].status if counting else "open"
            if (current in CLOSED) != (change.status == "open"):
                continue
            if change.day < item["raised"] or change.day > change.recorded or (
                    counting and change.day < counting[-1].day):
                continue
            counting.append(change)
        state = ("open", item["raised"])
        for change in counting:
            if change.day > day:
                break
            state = (change.status, change.day)
        return state


def _days(start: date, end: date) -> st.SearchStrategy[date]:
    return st.integers(0, (end - start).days).map(lambda n: start + timedelta(days=n))


@st.composite
def histories(draw: st.DrawFn) -> History:
    units = [Unit("00001", "Xã An Thắng", "001"), Unit("00002", "Xã Bằng Lãng", "001"),
             Unit("00003", "Phường Đức Xuân", "002"), Unit("00004", "Xã Yên Cư", "002")]
    if draw(st.booleans()):  # a reorganisation: 00001 and 00002 become one unit
        day = draw(_days(date(2024, 11, 1), date(2025, 2, 1)))
        new = draw(st.sampled_from(("00001", "00009")))
        units = [replace(units[0], until=day - timedelta(days=1), successor=new),
                 replace(units[1], until=day - timedelta(days=1), successor=new),
                 *units[2:], Unit(new, "Xã An Bằng", "", since=day)]
    assignments = []
    for unit in units:
        start, end = unit.since or TERM_START, unit.until or TODAY
        changes = sorted(set(draw(st.lists(_days(start + timedelta(days=1), end),
                                           max_size=3))))
        starts = [start, *changes]
        for n, since in enumerate(starts):
            until = starts[n + 1] - timedelta(days=1) if n + 1 < len(starts) else unit.until
            cadre = draw(st.sampled_from((*CADRES, "")))
            assignments.append(Assigned(unit.code, cadre, since, until))
            if cadre and not draw(st.integers(0, 5)):  # two cadres at once, as settings allow
                assignments.append(Assigned(unit.code, draw(st.sampled_from(CADRES)), since,
                                            until))
    history = History(units, assignments)
    _draw_visits(draw, history)
    _draw_corrections(draw, history)
    _draw_journal(draw, history)
    return history


def _draw_visits(draw: st.DrawFn, history: History) -> None:
    by_file: dict[date, list[Visit]] = defaultdict(list)
    # A few days with several visits each: runs of usual files, and files of many.
    days = draw(st.lists(_days(FIRST_DAY, TODAY), min_size=1, max_size=10))
    for _n in range(draw(st.integers(4, 24))):
        day = draw(st.sampled_from(days))
        commune = draw(st.sampled_from([u.code for u in history.units if u.in_force(day)]))
        commune = commune if draw(st.integers(0, 15)) else "99999"  # a code of no unit
        assigned = [a.cadre for a in history.cadres_on(commune, day) if a.cadre]
        if assigned and draw(st.integers(0, 2)):
            cadre, substitute = assigned[0], ""
        else:
            cadre = draw(st.sampled_from((*CADRES, "CB99")))
            substitute = draw(st.sampled_from(("", "Thay đồng chí phụ trách đi học")))
        filed = day if draw(st.integers(0, 5)) else min(day + timedelta(days=1), TODAY)
        # Moved by hand to another day's file, a visit may keep the id of its own day.
        own_id = filed != day and draw(st.booleans())
        recorded = min(day + timedelta(days=draw(st.integers(0, 12))), TODAY)
        texts = st.lists(st.sampled_from(("Thiếu kinh phí", "Đường hỏng", "Xin hỗ trợ")),
                         max_size=2).map(tuple)
        visit = Visit(f"V-{day:%Y%m%d}-9{_n:02d}" if own_id else "", day, cadre, commune,
                      draw(st.sampled_from(KINDS)), substitute, draw(texts), draw(texts),
                      recorded, ("", 0))
        by_file[filed].append(visit)
    for filed in sorted(by_file):
        relative = f"visits/{filed:%Y}/{filed:%Y-%m-%d}.yaml"
        text, line = "", 1
        for n, visit in enumerate(by_file[filed], start=1):
            visit = replace(visit, id=visit.id or f"V-{filed:%Y%m%d}-{n:03d}",
                            where=(relative, line))
            record: dict[str, Any] = {"id": visit.id, "date": visit.day, "cadre": visit.cadre,
                                      "commune": visit.commune, "kind": visit.kind}
            if visit.substitute:
                record["substitute"] = visit.substitute
            record.update({"difficulties": list(visit.difficulties),
                           "proposals": list(visit.proposals),
                           "recorded_at": _stamp(visit.recorded)})
            block = yaml.safe_dump([record], allow_unicode=True, sort_keys=False)
            text += block
            line += block.count("\n")
            history.visits.append(visit)
        history.files[relative] = text


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T16:30:00+07:00"


def _draw_corrections(draw: st.DrawFn, history: History) -> None:
    if not history.visits:
        return
    drawn = []
    for _n in range(draw(st.integers(0, 6))):
        visit = draw(st.sampled_from(history.visits))
        drawn.append((draw(_days(visit.recorded, TODAY)), visit.id,
                      draw(st.integers(0, 3)) == 0, draw(st.data())))
    drawn.sort(key=lambda d: d[0])  # the order they were made
    by_file: dict[date, list[Correction]] = defaultdict(list)
    for recorded, visit_id, withdraws, data in drawn:
        changes = {} if withdraws else _amendment(data, history, visit_id, recorded)
        correction = Correction("", visit_id, withdraws, changes, recorded, ("", 0))
        history.corrections.append(correction)  # ids and places are given below
        by_file[recorded].append(correction)
    history.corrections.clear()
    for day in sorted(by_file):
        relative = f"corrections/{day:%Y}/{day:%Y-%m-%d}.yaml"
        text, line = "", 1
        for n, correction in enumerate(by_file[day], start=1):
            correction = replace(correction, id=f"C-{day:%Y%m%d}-{n:03d}",
                                 where=(relative, line))
            record: dict[str, Any] = {
                "id": correction.id, "visit": correction.visit,
                "action": "withdraw" if correction.withdraws else "amend",
                "reason": "Ghi nhầm", "by": WHO, "recorded_at": _stamp(day)}
            for key, value in correction.changes.items():
                record[key] = list(value) if isinstance(value, tuple) else value
            block = yaml.safe_dump([record], allow_unicode=True, sort_keys=False)
            text += block
            line += block.count("\n")
            history.corrections.append(correction)
        history.files[relative] = text


def _amendment(data: st.DataObject, history: History, visit_id: str, recorded: date
               ) -> dict[str, Any]:
    """Fields to amend, drawn so that the visit stays in a unit in force on its date."""
    visit = history.effective().get(visit_id, (None,))[0] or next(
        v for v in history.visits if v.id == visit_id)
    keys = data.draw(st.lists(st.sampled_from(
        ("date", "cadre", "commune", "kind", "substitute", "difficulties", "proposals")),
        min_size=1, max_size=3, unique=True))
    changes: dict[str, Any] = {}
    day = visit.day
    if "date" in keys:
        day = changes["date"] = data.draw(_days(FIRST_DAY, recorded))
    if "commune" in keys or history.unit_of(visit.commune, day) is None:
        changes["commune"] = data.draw(st.sampled_from(
            [u.code for u in history.units if u.in_force(day)]))
    if "cadre" in keys:
        changes["cadre"] = data.draw(st.sampled_from(CADRES))
    if "kind" in keys:
        changes["kind"] = data.draw(st.sampled_from(KINDS))
    if "substitute" in keys:
        changes["substitute"] = "" if visit.substitute else "Thay đồng chí phụ trách ốm"
    for key in ("difficulties", "proposals"):
        if key in keys:
            changes[key] = tuple(data.draw(st.lists(st.sampled_from(
                ("Thiếu kinh phí", "Thiếu giáo viên", "Xin làm đường")), max_size=2)))
    return changes


def _draw_journal(draw: st.DrawFn, history: History) -> None:
    ids = [f"{v.id}/{letter}{n}" for v in history.visits
           for letter, texts in (("K", v.difficulties), ("D", v.proposals))
           for n in range(1, len(texts) + 1)]
    if not ids:
        return
    drawn = []
    for _n in range(draw(st.integers(0, 8))):
        item = draw(st.sampled_from(ids))
        visit = next(v for v in history.visits if item.startswith(v.id + "/"))
        # Some before the item was raised (refused), as after an amended date.
        day = draw(_days(max(visit.day - timedelta(days=5), FIRST_DAY), TODAY))
        recorded = draw(_days(day, TODAY)) if draw(st.integers(0, 4)) else day - timedelta(1)
        drawn.append(StatusChange(item, draw(st.sampled_from(
            ("forwarded", "answered", "resolved", "declined", "open"))), day, recorded))
    drawn.sort(key=lambda c: c.recorded)
    by_file: dict[date, list[StatusChange]] = defaultdict(list)
    for change in drawn:
        by_file[change.recorded].append(change)
    for day in sorted(by_file):
        records = []
        for n, change in enumerate(by_file[day], start=1):
            record: dict[str, Any] = {"id": f"P-{day:%Y%m%d}-{n:03d}", "item": change.item,
                                      "text": "", "status": change.status, "date": change.day}
            if change.status == "forwarded":
                record["to"] = "Sở Tài chính"
            if change.status == "answered":
                record["ref"] = "Số 12/STC"
            record.update({"note": "Theo dõi", "by": WHO, "recorded_at": _stamp(day)})
            records.append(record)
            history.journal.append(change)
        history.files[f"proposals/{day:%Y}/{day:%Y-%m-%d}.yaml"] = yaml.safe_dump(
            records, allow_unicode=True, sort_keys=False)


# --- the data folder ------------------------------------------------------------------------

_folders = itertools.count()


def write(history: History, tmp_path: Path) -> Path:
    """The history as a data folder of its own under ``tmp_path``, every file
    dated an hour ago (so that the cache keeps it on the first run)."""
    root = Path(tempfile.mkdtemp(prefix=f"h{next(_folders)}-", dir=tmp_path))
    data = root / "data"
    dated = any(u.since or u.until for u in history.units)
    header = "code,name,kind,district_code,district_name" + (
        ",since,until,successor" if dated else "")
    lines = [header]
    for u in history.units:
        kind = "phường" if u.name.startswith("Phường") else "xã"
        row = f"{u.code},{u.name},{kind},{u.district},{'Huyện ' + u.district if u.district else ''}"
        if dated:
            row += f",{u.since or ''},{u.until or ''},{u.successor}"
        lines.append(row)
    files = dict(history.files)
    files["communes.csv"] = "\n".join(lines) + "\n"
    files["cadres.csv"] = "id,name,title,agency,phone,email\n" + "".join(
        f"{c},Cán bộ {c[-1]},Phó Giám đốc,Sở {c[-1]},,\n" for c in CADRES)
    body = "".join(
        f'  - {{commune: "{a.commune}", cadre: "{a.cadre}", since: {a.since}'
        + (f", until: {a.until}" if a.until else "") + "}\n" for a in history.assignments)
    files["assignments.yaml"] = (
        f"settings:\n  overdue_days: 90\n  term_start: {TERM_START}\n"
        "  communes_per_cadre: any\n  cadres_per_commune: any\n"
        f"assignments:\n{body}")
    an_hour_ago = time.time() - 3600
    for relative, text in files.items():
        path = data / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, (an_hour_ago, an_hour_ago))
    return data


def run_json(data: Path, *args: str) -> Any:
    """A command's json, run as a clerk would from the folder above the data."""
    result = invoke(*args, "--data", str(data), "--format", "json", env=ENV, cwd=data.parent)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def twice(data: Path, *args: str) -> Any:
    """The json of a command run twice: cold, then from the cache; the two agree."""
    cold = run_json(data, *args)
    warm = run_json(data, *args)
    assert warm == cold
    return cold


PERIODS = {"2024-Q3": (date(2024, 7, 1), date(2024, 9, 30)),
           "2024-Q4": (date(2024, 10, 1), date(2024, 12, 31)),
           "2025-Q1": (date(2025, 1, 1), date(2025, 3, 31)),
           "2024-H2": (date(2024, 7, 1), date(2024, 12, 31)),
           "2025": (date(2025, 1, 1), date(2025, 12, 31))}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _joined(cadres: list[Assigned]) -> str | None:
    return "; ".join(a.cadre for a in cadres if a.cadre) or None


# --- the assignment check -------------------------------------------------------------------


def unassigned(history: History) -> list[tuple[str, int]]:
    """Where a counted visit by a cadre not assigned to its commune that day
    gives no stand-in reason: its record, or the correction that last changed it."""
    found = []
    for visit, (file, line) in history.effective().values():
        if visit.substitute or visit.cadre not in CADRES:
            continue  # a reason given; an unknown cadre is another check's
        if history.unit_of(visit.commune, visit.day) is None:
            continue
        if any(a.cadre == visit.cadre for a in history.cadres_on(visit.commune, visit.day)):
            continue
        found.append((f"data/{file}", line))
    return sorted(found)


@PROPERTY
@given(history=histories())
def test_the_assignment_check_finds_what_a_walk_finds(history: History, tmp_path: Path
                                                      ) -> None:
    data = write(history, tmp_path)
    problems = twice(data, "validate")
    found = sorted((p["file"], p["line"]) for p in problems
                   if p["code"] == "visit-by-unassigned-cadre")
    assert found == unassigned(history)


# --- coverage and overdue -------------------------------------------------------------------


def coverage_rows(history: History, start: date, end: date) -> dict[str, tuple[Any, ...]]:
    """Per unit in force on the period's end: its visits in the period, its last
    visit by then (a merged unit's visits counted for the unit it became), its
    cadres on the period's end (today, if the period is not over)."""
    visits = history.counted()
    rows = {}
    for unit in history.units:
        if not unit.in_force(end):
            continue
        mine = [v for v in visits if history.became(v, end) == unit.code]
        rows[unit.code] = (
            sum(start <= v.day <= end for v in mine),
            _iso(max((v.day for v in mine if v.day <= end), default=None)),
            _joined(history.cadres_on(unit.code, min(end, TODAY))))
    return rows


@PROPERTY
@given(history=histories(), period=st.sampled_from(sorted(PERIODS)))
def test_coverage_counts_what_a_walk_counts(history: History, period: str, tmp_path: Path
                                            ) -> None:
    data = write(history, tmp_path)
    report = twice(data, "coverage", "--period", period, "--by", "commune")
    found = {r["commune_code"]: (r["visits"], r["last_visit"], r["cadre_id"])
             for r in report["rows"]}
    assert found == coverage_rows(history, *PERIODS[period])
    by_cadre = twice(data, "coverage", "--period", period, "--by", "cadre")
    found = {r["cadre_id"]: (r["visits"], r["communes_visited"], r["last_visit"])
             for r in by_cadre["rows"]}
    assert found == cadre_rows(history, *PERIODS[period])


def cadre_rows(history: History, start: date, end: date) -> dict[str, tuple[Any, ...]]:
    """Per cadre following a commune in the period or visiting one: visits made
    in it, communes visited (as they count on its end), last visit by then."""
    visits = history.counted()
    seen = [v for v in visits if start <= v.day <= end]
    ids = {v.cadre for v in seen} | {a.cadre for a in history.assignments if a.cadre
                                     and a.since <= end and (a.until is None or a.until >= start)}
    return {cadre: (sum(v.cadre == cadre for v in seen),
                    len({history.became(v, end) for v in seen if v.cadre == cadre}),
                    _iso(max((v.day for v in visits if v.cadre == cadre and v.day <= end),
                             default=None)))
            for cadre in ids}


def overdue_rows(history: History, day: date, threshold: int) -> list[tuple[Any, ...]]:
    """The units in force on ``day`` left more than ``threshold`` days without a
    visit, counted from the later of the last visit and the start of the
    assignments in force (else the term's start), most days first."""
    visits = history.counted()
    rows = []
    for unit in history.units:
        if not unit.in_force(day):
            continue
        in_force = history.cadres_on(unit.code, day)
        started = min((a.since for a in in_force), default=None)
        last = max((v.day for v in visits
                    if v.day <= day and history.became(v, day) == unit.code), default=None)
        since = max([d for d in (last, started) if d] or [TERM_START])
        days = (day - since).days
        if days > threshold:
            rows.append((unit.code, days, _iso(last), _iso(started), _joined(in_force)))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


@PROPERTY
@given(history=histories(), day=_days(FIRST_DAY, TODAY),
       threshold=st.sampled_from((0, 7, 30, 90)))
def test_overdue_lists_what_a_walk_lists(history: History, day: date, threshold: int,
                                         tmp_path: Path) -> None:
    data = write(history, tmp_path)
    report = twice(data, "overdue", "--as-of", day.isoformat(), "--days", str(threshold))
    found = [(r["commune_code"], r["days"], r["last_visit"], r["since"], r["cadre_id"])
             for r in report["rows"]]
    assert found == overdue_rows(history, day, threshold)


# --- the weekly summary: its visits and the items still waiting ------------------------------


def open_items(history: History, start: date, end: date
               ) -> tuple[list[tuple[Any, ...]], int, list[str]]:
    """Every item of a counted visit raised by ``end`` still pending on it
    (id, status, days waited, overdue), oldest first; how many waited too
    long; the ids of those resolved or declined within the week."""
    pending, closed = [], []
    for item in history.items():
        if item["raised"] > end:
            continue
        status, since = history.status_on(item, end)
        if status in PENDING:
            days = (end - item["raised"]).days
            pending.append(((item["raised"], item["visit"], item["kind"] != "difficulty",
                             item["position"]),
                            (item["id"], status, days, days > OVERDUE_ITEM_DAYS)))
        elif start <= since <= end:
            closed.append(item["id"])
    rows = [row for _key, row in sorted(pending)]
    return rows, sum(row[3] for row in rows), sorted(closed)


@PROPERTY
@given(history=histories(), drawn=st.data())
def test_the_summary_lists_what_a_walk_lists(history: History, drawn: st.DataObject,
                                             tmp_path: Path) -> None:
    # The week of a status change or of a late record, where there is one: there
    # the journal's rules and the late records show.
    weeks = [day for day in [c.day for c in history.journal] + [
        v.recorded for v in history.visits if (v.recorded - v.day).days > 7]
        if day <= TODAY - timedelta(days=7)]
    day = drawn.draw(st.sampled_from(weeks) if weeks
                     else _days(FIRST_DAY, TODAY - timedelta(days=7)))
    data = write(history, tmp_path)
    year, week, _weekday = day.isocalendar()
    start = date.fromisocalendar(year, week, 1)
    end = start + timedelta(days=6)
    summary = twice(data, "summary", "--week", f"{year}-W{week:02d}")
    items = summary["open_items"]
    pending = [(r["id"], r["status"], r["days"], r["overdue"]) for r in items["pending"]]
    closed = sorted(r["id"] for r in items["closed_this_week"])
    expected = open_items(history, start, end)
    assert (pending, items["overdue"], closed) == expected
    # The document lists the oldest few only: the short cut then reads only their days.
    section = _open_items_section(data, start, end)
    for count in (1, 2, 5):
        assert [f.item.id for f in section.oldest(count)] == [
            row[0] for row in expected[0][:count]]
    visits = [(v["visit_id"], v["date"], v["commune_code"], v["cadre_id"], v["kind"])
              for v in summary["visits"]]
    assert visits == sorted(((v.id, v.day.isoformat(), v.commune, v.cadre, v.kind)
                             for v in history.counted() if start <= v.day <= end),
                            key=lambda v: (v[1], v[0]))  # by date, then id
    assert [(r["commune_code"], r["days"]) for r in summary["overdue"]["rows"]] == [
        (row[0], row[1]) for row in overdue_rows(history, end, 90)]
    # Recorded in the week more than 7 days after the day the visit (as corrected) took place.
    late = [(r["visit_id"], r["date"], r["recorded_on"], r["days_late"])
            for r in summary["late_visits"]]
    assert late == sorted(
        ((v.id, v.day.isoformat(), v.recorded.isoformat(), (v.recorded - v.day).days)
         for v in history.counted()
         if start <= v.recorded <= end and (v.recorded - v.day).days > 7),
        key=lambda r: (r[2], r[1], r[0]))


def _open_items_section(data: Path, start: date, end: date) -> Any:
    """The summary's section as the summary makes it (theodoi.cli.reports)."""
    from theodoi.base.periods import Period
    from theodoi.followup.proposals import open_items as section
    from theodoi.registers.loader import load_registers
    from theodoi.visits.columns import load_visit_columns
    from theodoi.visits.corrections import load_corrections

    corrections = load_corrections(data)
    columns = load_visit_columns(data, None, corrections=corrections)
    return section(data, columns, corrections, load_registers(data).registers,
                   Period(start, end), OVERDUE_ITEM_DAYS)


# --- the review's sums -------------------------------------------------------------------------


def review_rows(history: History, start: date, end: date) -> dict[str, tuple[Any, ...]]:
    """Per commune: visits in the period and meetings among them, the items
    raised at them and how they stand at its end, the last visit by then."""
    visits = history.counted()
    items = [i for i in history.items() if start <= i["raised"] <= end]
    codes = {v.commune for v in visits if start <= v.day <= end} | {
        i["commune"] for i in items} | {
        a.commune for a in history.assignments
        if a.cadre and a.since <= end and (a.until is None or a.until >= start)}
    rows = {}
    for code in codes:
        seen = [v for v in visits if v.commune == code and start <= v.day <= end]
        mine = [i for i in items if i["commune"] == code]
        states = [history.status_on(i, end)[0] for i in mine]
        waiting = [i for i, s in zip(mine, states, strict=True) if s in PENDING]
        rows[code] = (
            len(seen), 1 if seen else 0, sum(v.kind in MEETINGS for v in seen),
            sum(i["kind"] == "difficulty" for i in mine),
            sum(i["kind"] == "proposal" for i in mine),
            states.count("resolved"), states.count("declined"), len(waiting),
            sum((end - i["raised"]).days > OVERDUE_ITEM_DAYS for i in waiting),
            _iso(max((v.day for v in visits if v.commune == code and v.day <= end),
                     default=None)))
    return rows


REVIEW_KEYS = ("visits", "communes_visited", "meetings", "difficulties_raised",
               "proposals_raised", "resolved", "declined", "pending", "pending_overdue",
               "last_visit")


@PROPERTY
@given(history=histories(),
       period=st.sampled_from(("2024-Q4", "2025-Q1", "2024-H2", "2025")))
def test_the_review_sums_what_a_walk_sums(history: History, period: str, tmp_path: Path
                                          ) -> None:
    data = write(history, tmp_path)
    review = twice(data, "review", "--period", period, "--by", "commune")
    found = {r["commune_code"]: tuple(r[k] for k in REVIEW_KEYS) for r in review["rows"]}
    start, end = PERIODS[period]
    assert found == review_rows(history, start, min(end, TODAY))
