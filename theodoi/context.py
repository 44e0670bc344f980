"""The context a command runs in: today, now, the language and the data folder.

Built once, at the edge (the command line), from the options and the
environment, and passed down; nothing in the core reads the clock, the
environment or a process-wide language.  Mistakes in it are usage errors
(exit 2) with a clear message, never a silent fallback:

- ``THEODOI_NOW`` (an ISO date-time) pins the clock, ``THEODOI_TODAY`` (a date)
  pins the day, keeping the time of day, so that records made on a pinned day
  are stamped on that day (tests, replaying a past week);
- ``--lang`` wins over ``THEODOI_LANG``; either must be vi or en.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from theodoi import checks
from theodoi.i18n import DEFAULT_LANGUAGE, normalise_language
from theodoi.periods import VIETNAM_TZ, DateError, parse_date
from theodoi.problems import TheodoiError


@dataclass(frozen=True)
class Context:
    today: date
    now: datetime  # aware, in Viet Nam's time
    language: str
    data: Path
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)
    cache_dir: Path | None = None
    verbose: bool = False

    @property
    def recorded_at(self) -> str:
        """The stamp a record made now carries: ISO, seconds, +07:00."""
        return self.now.isoformat()


def clock(environ: Mapping[str, str], real_now: datetime) -> tuple[date, datetime]:
    """(today, now) in Viet Nam: the real clock unless the environment pins it."""
    now = real_now.astimezone(VIETNAM_TZ).replace(microsecond=0)
    pinned_now = environ.get("THEODOI_NOW", "").strip()
    if pinned_now:
        try:
            moment = datetime.fromisoformat(pinned_now)
        except ValueError:
            raise TheodoiError(checks.BAD_TODAY, variable="THEODOI_NOW",
                               value=pinned_now) from None
        now = (moment.replace(tzinfo=VIETNAM_TZ) if moment.tzinfo is None
               else moment.astimezone(VIETNAM_TZ)).replace(microsecond=0)
    pinned_day = environ.get("THEODOI_TODAY", "").strip()
    if pinned_day:
        try:
            day = parse_date(pinned_day)
        except DateError:
            raise TheodoiError(checks.BAD_TODAY, variable="THEODOI_TODAY",
                               value=pinned_day) from None
        now = datetime.combine(day, now.timetz())
    return now.date(), now


def language_of(option: str | None, environ: Mapping[str, str]) -> str:
    """--lang, else THEODOI_LANG, else Vietnamese; a language not spoken is refused."""
    for value, source in ((option, "--lang"), (environ.get("THEODOI_LANG"), "THEODOI_LANG")):
        if value is not None and value.strip():
            language = normalise_language(value)
            if language is None:
                raise TheodoiError(checks.BAD_LANGUAGE, value=value, source=source)
            return language
    return DEFAULT_LANGUAGE


def cache_folder(environ: Mapping[str, str]) -> Path | None:
    """The user's cache folder for theodoi (see theodoi.cache), or None without a home."""
    if environ.get("THEODOI_CACHE_DIR"):
        return Path(environ["THEODOI_CACHE_DIR"])
    # The XDG rule: a relative XDG_CACHE_HOME (or HOME) is ignored, or a command
    # run from inside the data folder would put the cache there.
    xdg = Path(environ.get("XDG_CACHE_HOME") or ".")
    if xdg.is_absolute():
        return xdg / "theodoi"
    home = Path(environ.get("HOME") or ".")
    if home.is_absolute():
        return home / ".cache" / "theodoi"
    return None


def make_context(environ: Mapping[str, str], real_now: datetime, language: str,
                 data: Path, verbose: bool = False, use_cache: bool = True) -> Context:
    today, now = clock(environ, real_now)
    return Context(today, now, language, data, environ,
                   cache_folder(environ) if use_cache else None, verbose)
