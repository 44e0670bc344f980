"""Dates as people and machines write them, and the periods reports use.

Pure functions: "today" is always passed in.  The one function that reads
the clock, :func:`today_in_vietnam`, is called only by the CLI layer.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, timezone

# Viet Nam keeps UTC+7 all year (no daylight saving), so a fixed offset is
# exact and spares a dependency on the system's tz database.
VIETNAM_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


class DateError(ValueError):
    """Text that is not a date, or names a day that does not exist."""


def parse_date(text: str) -> date:
    """Accept ``2024-09-15`` and ``15/09/2024`` (also ``15.09.2024``)."""
    value = str(text).strip()
    match = _ISO.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.match(value)
        if not match:
            raise DateError(value)
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:  # 31/02, month 13 ...
        raise DateError(value) from exc


def now_in_vietnam() -> datetime:
    return datetime.now(VIETNAM_TZ).replace(microsecond=0)


def today_in_vietnam() -> date:
    """Today in Asia/Ho_Chi_Minh; THEODOI_TODAY pins it (tests, replays)."""
    pinned = os.environ.get("THEODOI_TODAY")
    if pinned:
        return parse_date(pinned)
    return now_in_vietnam().date()


def format_date(day: date | None, language: str = "vi") -> str:
    """dd/mm/yyyy for people in Vietnamese, ISO in English and machines."""
    if day is None:
        return ""
    return day.strftime("%d/%m/%Y") if language == "vi" else day.isoformat()
