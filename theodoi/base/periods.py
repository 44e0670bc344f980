"""Dates as people and machines write them, and the periods reports use.

Pure functions: "today" is always passed in.  The clock is read once, at
the edge, into the command's context (:mod:`theodoi.base.context`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta, timezone

from theodoi.base.i18n import N_, format_date
from theodoi.base.problems import Msg

# Viet Nam keeps UTC+7 all year (no daylight saving), so a fixed offset is
# exact and spares a dependency on the system's tz database.
VIETNAM_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


class DateError(ValueError):
    """Text that is not a date, or names a day that does not exist: then ``why``
    (a msgid with ``params``) says what is wrong and ``nearest`` is the valid
    day closest to what was typed, if one is plain."""

    def __init__(self, text: str, why: str = "", params: dict[str, int] | None = None,
                 nearest: date | None = None):
        super().__init__(text)
        self.text = text
        self.why = why
        self.params = params or {}
        self.nearest = nearest

    def explanation(self) -> Msg | str:
        """``: month 11/2026 has 30 days; the nearest valid date is 30/11/2026``,
        to follow the refusal (empty when the text is not a date at all)."""
        if not self.why:
            return ""
        why = Msg(self.why, dict(self.params))
        if self.nearest is None:
            return Msg(N_(": {why}"), {"why": why})
        return Msg(N_(": {why}; the nearest valid date is {nearest}"),
                   {"why": why, "nearest": self.nearest})


def parse_date(text: str) -> date:
    """Accept ``2024-09-15`` and ``15/09/2024`` (also ``15.09.2024``)."""
    value = str(text).strip()
    return _existing_day(value, *_numbers(value))


_TYPED_DMY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")


def read_typed_date(text: str) -> tuple[date, bool]:
    """A day as a person types it: what :func:`parse_date` reads, also
    ``15-09-2024``, and a two-digit year read in this century (``3/12/26`` is
    03/12/2026).  The flag says the year was completed, so that the day can be
    echoed in full.  A day that does not exist is refused saying why."""
    value = str(text).strip()
    match = _TYPED_DMY.match(value)
    if match is None:
        return _existing_day(value, *_numbers(value)), False
    day, month, year = int(match[1]), int(match[3]), int(match[4])
    short = len(match[4]) == 2
    # This century: theodoi records visits of the years 2000 to 2099.
    return _existing_day(value, 2000 + year if short else year, month, day), short


def _numbers(value: str) -> tuple[int, int, int]:
    match = _ISO.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return year, month, day
    match = _DMY.match(value)
    if not match:
        raise DateError(value)
    day, month, year = (int(g) for g in match.groups())
    return year, month, day


def _existing_day(value: str, year: int, month: int, day: int) -> date:
    """The day, or why it does not exist and the closest one that does."""
    import calendar

    if not MINYEAR <= year <= MAXYEAR:
        raise DateError(value)
    if not 1 <= month <= 12:
        swapped = _existing_or_none(year, day, month)  # 12/31/2026: month and day swapped
        raise DateError(value, N_("there is no month {month}"), {"month": month}, swapped)
    days = calendar.monthrange(year, month)[1]
    if day < 1:
        raise DateError(value, N_("there is no day 0"), {}, date(year, month, 1))
    if day > days:
        raise DateError(value, N_("month {month}/{year} has {days} days"),
                        {"month": month, "year": year, "days": days}, date(year, month, days))
    return date(year, month, day)


def _existing_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- Report periods ------------------------------------------------------------
# A period is a closed range of days with a kind, so that reports can name it
# as the office does ("Quý III/2024") and scripts can read its bounds.

_ROMAN = ("I", "II", "III", "IV")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})-[Hh]([12])$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_WEEK = re.compile(r"^(\d{4})-[Ww](\d{1,2})$")


class PeriodError(ValueError):
    """Text that does not name a period (2024, 2024-H2, 2024-Q3, 2024-09, 2024-W37)."""


@dataclass(frozen=True)
class Period:
    """The days from ``start`` to ``end``, both inclusive.

    ``kind`` is year, half, quarter, month, week or range; ``year`` and
    ``number`` name it (for a week: the ISO year and week number).
    """

    start: date
    end: date
    kind: str = "range"
    year: int = 0
    number: int = 0

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def code(self) -> str:
        """The period as typed on the command line: 2024-Q3, 2024-W37, ..."""
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "half":
            return f"{self.year}-H{self.number}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "week":
            return f"{self.year}-W{self.number:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def up_to(self, day: date) -> Period:
        """The same period cut at ``day`` (a quarter "so far")."""
        return replace(self, end=min(self.end, max(day, self.start)))


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), "year", year, year)


def half_period(year: int, half: int) -> Period:
    if half not in (1, 2):
        raise PeriodError(f"{year}-H{half}")
    start, end = (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (
        date(year, 7, 1), date(year, 12, 31))
    return Period(start, end, "half", year, half)


def month_period(year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise PeriodError(f"{year}-{month:02d}")
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period(date(year, month, 1), following - timedelta(days=1), "month", year, month)


def quarter_period(year: int, quarter: int) -> Period:
    if not 1 <= quarter <= 4:
        raise PeriodError(f"{year}-Q{quarter}")
    first = month_period(year, 3 * quarter - 2)
    last = month_period(year, 3 * quarter)
    return Period(first.start, last.end, "quarter", year, quarter)


def iso_week(year: int, week: int) -> Period:
    """ISO week ``week`` of ISO year ``year``: Monday to Sunday.  Week 1 is the
    week with the year's first Thursday, so 2025-W01 starts on 30/12/2024."""
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError as exc:  # week 53 of a 52-week year, week 0 ...
        raise PeriodError(f"{year}-W{week:02d}") from exc
    return Period(monday, monday + timedelta(days=6), "week", year, week)


def date_range(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError(f"{start.isoformat()}..{end.isoformat()}")
    return Period(start, end, "range")


# The years a period may fall in: far around any term of office, and far from
# the ends of the calendar, where a day after the period's end cannot be told.
MIN_YEAR, MAX_YEAR = 1900, 2200


def parse_period(text: str) -> Period:
    """``2024``, ``2024-H2``, ``2024-Q3``, ``2024-09`` or ``2024-W37``, in a
    year from MIN_YEAR to MAX_YEAR."""
    value = str(text).strip()
    year = value[:4]
    if len(value) >= 4 and year.isdigit() and not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise PeriodError(value)
    if match := _YEAR.match(value):
        return year_period(int(match[1]))
    if match := _HALF.match(value):
        return half_period(int(match[1]), int(match[2]))
    if match := _QUARTER.match(value):
        return quarter_period(int(match[1]), int(match[2]))
    if match := _WEEK.match(value):
        return iso_week(int(match[1]), int(match[2]))
    if match := _MONTH.match(value):
        return month_period(int(match[1]), int(match[2]))
    raise PeriodError(value)


def quarter_of(day: date) -> Period:
    return quarter_period(day.year, (day.month - 1) // 3 + 1)


def week_of(day: date) -> Period:
    year, week, _weekday = day.isocalendar()
    return iso_week(year, week)


def last_complete_week(today: date) -> Period:
    """The latest Monday-to-Sunday week that ended before ``today`` (on a
    Sunday the week in progress is not complete yet)."""
    return week_of(today - timedelta(days=today.isoweekday()))


def period_label(period: Period, language: str = "vi") -> str:
    """How people name the period: "Quý III/2024", "Tuần 37 (09/09–15/09/2024)"."""
    if language == "vi":
        return _label_vi(period)
    return _label_en(period)


def period_title(period: Period, language: str = "vi") -> str:
    """"Quý III/2024 (01/07/2024–30/09/2024)": the name and, unless it holds
    them already, the dates."""
    label = period_label(period, language)
    if period.kind in ("week", "range"):
        return label
    dash = "–" if language == "vi" else " – "
    return f"{label} ({format_date(period.start, language)}{dash}" \
           f"{format_date(period.end, language)})"


def period_json(period: Period, language: str = "vi") -> dict[str, str]:
    """A period in machine outputs: its code, first and last day, and name."""
    return {"code": period.code(), "start": period.start.isoformat(),
            "end": period.end.isoformat(), "label": period_label(period, language)}


def _label_vi(period: Period) -> str:
    if period.kind == "year":
        return f"Năm {period.year}"
    if period.kind == "half":
        return f"6 tháng {'đầu' if period.number == 1 else 'cuối'} năm {period.year}"
    if period.kind == "quarter":
        return f"Quý {_ROMAN[period.number - 1]}/{period.year}"
    if period.kind == "month":
        return f"Tháng {period.number}/{period.year}"
    if period.kind == "week":
        return f"Tuần {period.number} ({_day_span_vi(period.start, period.end)})"
    return f"Từ {format_date(period.start)} đến {format_date(period.end)}"


def _day_span_vi(start: date, end: date) -> str:
    """09/09–15/09/2024; the first year is written only when the span crosses one."""
    first = f"{start:%d/%m}" if start.year == end.year else format_date(start)
    return f"{first}–{format_date(end)}"


def _label_en(period: Period) -> str:
    if period.kind == "year":
        return f"{period.year}"
    if period.kind == "half":
        return f"{'First' if period.number == 1 else 'Second'} half of {period.year}"
    if period.kind == "quarter":
        return f"Q{period.number} {period.year}"
    if period.kind == "month":
        return f"{_MONTHS_EN[period.number - 1]} {period.year}"
    if period.kind == "week":
        return (f"Week {period.number} of {period.year} ({period.start.isoformat()} – "
                f"{period.end.isoformat()})")
    return f"{period.start.isoformat()} – {period.end.isoformat()}"


def recorded_date(stamp: str) -> date | None:
    """The day (in Viet Nam) a ``recorded_at`` stamp names; None if unreadable.

    Stamps are ISO date-times, normally with the +07:00 offset; one with
    another offset is converted, one without is taken as Vietnamese time."""
    text = str(stamp).strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(VIETNAM_TZ)
    return moment.date()


def date_key(value: object) -> str:
    """A date written either way as ISO text, for comparing records; text that
    is no date is kept as it is, so that a broken value still compares."""
    if value in (None, ""):
        return ""
    try:
        return parse_date(str(value)).isoformat()
    except DateError:
        return str(value)
