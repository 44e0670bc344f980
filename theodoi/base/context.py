"""The context a command runs in: today, now, the language and the data folder.

Built once, at the edge (the command line), from the options and the
environment, and passed down; nothing in the core reads the clock, the
environment or a process-wide language.  Mistakes in it are usage errors
(exit 2) with a clear message, never a silent fallback:

- ``THEODOI_NOW`` (an ISO date-time) pins the clock, ``THEODOI_TODAY`` (a date)
  pins the day, keeping the time of day, so that records made on a pinned day
  are stamped on that day (tests, replaying a past week);
- ``--lang`` wins over ``THEODOI_LANG``; either must be vi or en;
- the data folder is ``--data``, else ``THEODOI_DATA``, else found from the
  working folder upwards, as git finds ``.git`` (:func:`find_data_folder`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from theodoi.base import checks
from theodoi.base.i18n import DEFAULT_LANGUAGE, normalise_language
from theodoi.base.periods import VIETNAM_TZ, DateError, parse_date
from theodoi.base.problems import TheodoiError


@dataclass(frozen=True)
class Context:
    today: date
    now: datetime  # aware, in Viet Nam's time
    language: str
    data: Path
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)
    cache_dir: Path | None = None
    verbose: bool = False
    data_source: str = "option"  # how the data folder was chosen: DATA_SOURCES

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
    """The user's cache folder for theodoi (see theodoi.store.cache), or None without a home."""
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
                 data: Path, verbose: bool = False, use_cache: bool = True,
                 data_source: str = "option") -> Context:
    today, now = clock(environ, real_now)
    return Context(today, now, language, data, environ,
                   cache_folder(environ) if use_cache else None, verbose, data_source)


# --- the data folder ---------------------------------------------------------------

DATA_SOURCES = ("option", "environment", "found", "none")
# A folder holding one of these is a data folder (one holding only some is a
# broken one, which validate explains better than "not found").
DATA_FOLDER_FILES = ("communes.csv", "assignments.yaml")
# The sample shipped with theodoi carries this file; commands that write refuse
# to write into it unless --data names it.
SAMPLE_MARKER = "SAMPLE.md"


def is_data_folder(folder: Path) -> bool:
    try:
        return any((folder / name).is_file() for name in DATA_FOLDER_FILES)
    except OSError:  # unreadable, a loop of links: not one to settle on
        return False


def find_data_folder(start: Path) -> Path | None:
    """The data folder of the working folder ``start``: ``start`` itself or its
    ``data`` subfolder if either is one, else the same in each folder above."""
    for folder in (start, *start.parents):
        for candidate in (folder, folder / "data"):
            if is_data_folder(candidate):
                return candidate
    return None


def is_sample(folder: Path) -> bool:
    try:
        return (folder / SAMPLE_MARKER).is_file()
    except OSError:
        return False


def choose_data_folder(option: Path | None, environ: Mapping[str, str],
                       working_folder: Path) -> tuple[Path, str]:
    """The data folder and how it was chosen (one of DATA_SOURCES): --data,
    else THEODOI_DATA, else found upwards from the working folder; "none"
    (and ./data) when nothing is found."""
    if option is not None:
        return option, "option"
    if environ.get("THEODOI_DATA"):
        return Path(environ["THEODOI_DATA"]), "environment"
    found = find_data_folder(working_folder)
    if found is None:
        return Path("data"), "none"
    try:
        return found.relative_to(working_folder), "found"
    except ValueError:
        return found, "found"
