"""The yearly programme: visits each cadre plans, one file per year, ``plans/YYYY.yaml``.

In January each cadre draws up a programme of work (Hòa Bình's practice,
QĐ 26-QĐ/TU, 2022); the office keeps it as a list of planned visits::

    - id: PL-2026-001
      cadre: CB073
      commune: "02068"
      month: 2026-03          # or quarter: 2026-Q1, or date: 2026-03-15
      note: Làm việc về xây dựng nông thôn mới
      by: Nguyễn Văn A <a@example.vn>
      recorded_at: '2026-01-10T09:00:00+07:00'

Only ``cadre``, ``commune`` and one of ``month``/``quarter``/``date`` are
needed, so that a clerk may type the programme in by hand; ``theodoi plan
add`` appends one with its id, who and when (the one reader's atomic append,
under the data folder's lock).  Like the journals, the file is only ever
appended to: the audit flags a planned visit changed or removed afterwards
(a revised programme is then acknowledged with its reason).  A review
compares the plans with the visits made (:mod:`theodoi.followup.review`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from theodoi.base import checks
from theodoi.base.i18n import gettext_for
from theodoi.base.model import Registers
from theodoi.base.periods import (
    Period,
    PeriodError,
    format_date,
    month_period,
    period_label,
    quarter_period,
)
from theodoi.base.problems import Location, Problem, TheodoiError, problem
from theodoi.store.dayfile import (
    CODE,
    DATE,
    TEXT,
    Appended,
    RawRecord,
    Schema,
    append_to_file,
    new_record_id,
    read_records,
)
from theodoi.store.textfile import display_path, read_bytes, refuse_link
from theodoi.store.yamlio import Quoted

PLANS_DIR = "plans"
PLAN_SCHEMA = Schema(
    noun="planned visits",
    fields={"id": TEXT, "cadre": TEXT, "commune": CODE, "month": TEXT, "quarter": TEXT,
            "date": DATE, "note": TEXT, "by": TEXT, "recorded_at": TEXT},
    required=("cadre", "commune"),
    not_a_list=checks.PLAN_FILE_NOT_LIST,
)
_FILE = re.compile(r"^(\d{4})\.yaml$")
_MONTH = (re.compile(r"^(\d{4})-(\d{1,2})$"), re.compile(r"^(\d{1,2})/(\d{4})$"))
_QUARTER = (re.compile(r"^(\d{4})-[Qq]([1-4])$"), re.compile(r"^[Qq]([1-4])/(\d{4})$"))


@dataclass(frozen=True)
class Plan:
    id: str  # "" for a planned visit typed in by hand without one
    cadre: str
    commune: str
    window: Period  # the month, the quarter, or the one day it is planned for
    note: str
    location: Location

    @property
    def key(self) -> tuple[str, str, date, date]:
        return (self.cadre, self.commune, self.window.start, self.window.end)


def day_window(day: date) -> Period:
    return Period(day, day, "day", day.year, 0)


def parse_month(text: str) -> Period | None:
    """``2026-03`` or ``03/2026``; None when it is not a month."""
    value = text.strip()
    for number, pattern in enumerate(_MONTH):
        match = pattern.match(value)
        if match:
            year, month = (match[1], match[2]) if number == 0 else (match[2], match[1])
            try:
                return month_period(int(year), int(month))
            except PeriodError:
                return None
    return None


def parse_quarter(text: str) -> Period | None:
    """``2026-Q1`` or ``Q1/2026``; None when it is not a quarter."""
    value = text.strip()
    for number, pattern in enumerate(_QUARTER):
        match = pattern.match(value)
        if match:
            year, quarter = (match[1], match[2]) if number == 0 else (match[2], match[1])
            return quarter_period(int(year), int(quarter))
    return None


def when_label(window: Period, language: str) -> str:
    """"Tháng 3/2026", "Quý I/2026", "15/03/2026"."""
    if window.kind == "day":
        return format_date(window.start, language)
    return period_label(window, language)


@dataclass
class Plans:
    records: list[Plan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_plans(data_dir: Path) -> Plans:
    """Every planned visit of the data folder, and the problems of the files."""
    plans = Plans()
    folder = data_dir / PLANS_DIR
    if not folder.is_dir():
        return plans
    base = display_path(folder)
    seen: dict[str, Location] = {}
    for entry in sorted(os.listdir(folder)):
        name = f"{base}/{entry}"
        match = _FILE.match(entry)
        if match is None or not (folder / entry).is_file():
            plans.problems.append(_misplaced(entry, name))
            continue
        try:
            refuse_link(folder / entry)
            raw = read_bytes(folder / entry)
        except TheodoiError as exc:
            plans.problems.append(exc.as_problem(name))
            continue
        result = read_records(raw, name, PLAN_SCHEMA)
        plans.problems.extend(result.problems)
        for record in result.records:
            plan = _plan_of(record, name, int(match[1]), plans.problems)
            if plan is None:
                continue
            if plan.id and plan.id in seen:
                plans.problems.append(problem(checks.DUPLICATE_PLAN_ID, plan.location,
                                              id=plan.id, first=seen[plan.id]))
                continue
            if plan.id:
                seen[plan.id] = plan.location
            plans.records.append(plan)
    return plans


def _misplaced(entry: str, name: str) -> Problem:
    from theodoi.store.atomic import is_temporary_name

    if is_temporary_name(entry):
        return problem(checks.LEFTOVER_TEMPORARY_FILE, Location(name))
    return problem(checks.MISNAMED_PLAN_FILE, Location(name))


def _plan_of(record: RawRecord, name: str, year: int, problems: list[Problem]) -> Plan | None:
    if not record.valid:
        return None
    given = [key for key in ("month", "quarter", "date") if record.fields.get(key)]
    window: Period | None = None
    if len(given) == 1:
        key = given[0]
        text = record.text(key)
        window = (parse_month(text) if key == "month" else parse_quarter(text)
                  if key == "quarter" else day_window(record.day) if record.day else None)
    if window is None or window.start.year != year:
        found = ", ".join(f"{key}: {record.text(key)}" for key in given)
        problems.append(problem(checks.PLAN_BAD_WHEN, Location(
            name, record.lines.get(given[0], record.line) if given else record.line),
            year=year, found=f" ({found})" if found else ""))
        return None
    return Plan(record.text("id"), record.text("cadre"), record.text("commune"), window,
                record.text("note"), Location(name, record.line))


def plan_problems(data_dir: Path, registers: Registers) -> list[Problem]:
    """What ``validate`` reports of the programme: its files, and the cadres and
    communes its planned visits name."""
    plans = load_plans(data_dir)
    problems = list(plans.problems)
    for plan in plans.records:
        if plan.cadre not in registers.cadres:
            problems.append(problem(checks.UNKNOWN_CADRE, plan.location, id=plan.cadre))
        if plan.commune not in registers.communes:
            problems.append(problem(checks.UNKNOWN_COMMUNE, plan.location, code=plan.commune))
    return problems


# --- adding a planned visit ------------------------------------------------------------------


def followers(registers: Registers, commune: str, window: Period) -> list[str]:
    """The cadres who follow ``commune`` on some day of ``window``."""
    return list(dict.fromkeys(
        a.cadre for a in registers.assignments
        if a.commune == commune and a.cadre and a.since <= window.end
        and (a.until is None or a.until >= window.start)))


def plan_record(plan_id: str, cadre: str, commune: str, window: Period, note: str, by: str,
                recorded_at: str) -> dict[str, Any]:
    record: dict[str, Any] = {"id": plan_id, "cadre": cadre, "commune": Quoted(commune)}
    if window.kind == "month":
        record["month"] = f"{window.year:04d}-{window.number:02d}"
    elif window.kind == "quarter":
        record["quarter"] = f"{window.year:04d}-Q{window.number}"
    else:
        record["date"] = window.start
    if note:
        record["note"] = note
    record.update({"by": by, "recorded_at": recorded_at})
    return record


def add_plan(data_dir: Path, cadre: str, commune: str, window: Period, note: str, by: str,
             recorded_at: str, language: str, commune_name: str = "") -> Appended:
    """Append a planned visit to its year's file (``PL-YYYY-n``), refusing the
    same cadre, commune and time twice (``commune_name`` names it in the refusal)."""
    year = window.start.year
    prefix = f"PL-{year:04d}-"

    def refuse_twice(records: list[RawRecord], name: str) -> None:
        for record in records:
            other = _plan_of(record, name, year, [])
            if other is not None and other.key == (cadre, commune, window.start, window.end):
                raise TheodoiError(checks.PLAN_ALREADY_PLANNED, cadre=cadre,
                                   commune=commune_name or commune,
                                   when=when_label(window, language),
                                   id=other.id or f"#{record.line}",
                                   file=f"{name}:{record.line}")

    def record(new_id: str) -> dict[str, object]:
        return plan_record(new_id, cadre, commune, window, note, by, recorded_at)

    return append_to_file(data_dir, Path(PLANS_DIR) / f"{year:04d}.yaml", PLAN_SCHEMA,
                          lambda records: new_record_id(prefix, records, record), record,
                          refuse_twice)


def plan_text(appended: Appended, cadre: str, cadre_name: str, commune: str, commune_name: str,
              window: Period, file: str, language: str) -> str:
    _ = gettext_for(language)
    return _("Planned visit {id}: {cadre_name} ({cadre}) to {commune_name} ({commune}) in "
             "{when} ({file}, line {line}).").format(
        id=appended.id, cadre_name=cadre_name, cadre=cadre, commune_name=commune_name,
        commune=commune, when=when_label(window, language), file=file,
        line=appended.line) + "\n"
