"""Load the registers of a data folder into records and problems.

``communes.csv``, ``cadres.csv`` and ``assignments.yaml`` are read in one
pass; a file that cannot be read becomes a problem and loading goes on with
the others, so that the clerk sees every problem at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from theodoi.base import checks
from theodoi.base.i18n import N_
from theodoi.base.model import (
    COMMUNE_KINDS,
    Assignment,
    Cadre,
    Commune,
    Decision,
    Registers,
    Settings,
)
from theodoi.base.office import OfficeSettings, is_unknown_key, office_settings_from
from theodoi.base.periods import DateError, parse_date
from theodoi.base.problems import Location, Msg, Problem, TheodoiError, problem
from theodoi.store.csvfile import read_rows, text_problems
from theodoi.store.textfile import display_path, os_reason, refuse_link
from theodoi.store.yamlio import Mapping, Sequence, load_path

COMMUNES_FILE = "communes.csv"
CADRES_FILE = "cadres.csv"
ASSIGNMENTS_FILE = "assignments.yaml"

COMMUNE_COLUMNS = ("code", "name", "kind", "district_code", "district_name")
# Optional: a unit's life (first and last day, inclusive) and the unit it became,
# the office's own grouping, and its own point on the map.
COMMUNE_OPTIONAL = ("since", "until", "successor", "group", "latitude", "longitude")
# Units made on 1/7/2025 have no district.
COMMUNE_MAY_BE_EMPTY = ("district_code", "district_name")
CADRE_COLUMNS = ("id", "name", "title", "agency")
CADRE_OPTIONAL = ("phone", "email")

_COMMUNE_CODE = re.compile(r"^\d{5}$")
_DISTRICT_CODE = re.compile(r"^\d{3}$")


@dataclass
class Loaded:
    registers: Registers
    problems: list[Problem] = field(default_factory=list)
    # Files that could not be read at all: rules that need them are skipped.
    unreadable: set[str] = field(default_factory=set)


def require_data_folder(data_dir: Path) -> None:
    try:
        data_dir.stat()
    except FileNotFoundError as exc:
        raise TheodoiError(checks.DATA_FOLDER_MISSING, Location(display_path(data_dir))) from exc
    except OSError as exc:  # a loop of symbolic links is not a missing folder: say which
        raise TheodoiError(checks.CANNOT_OPEN_FOLDER, Location(display_path(data_dir)),
                           reason=os_reason(exc)) from exc
    if not data_dir.is_dir():
        raise TheodoiError(checks.DATA_NOT_FOLDER, Location(display_path(data_dir)))


def load_registers(data_dir: Path) -> Loaded:
    require_data_folder(data_dir)
    loaded = Loaded(Registers())
    for filename, loader in ((COMMUNES_FILE, _load_communes), (CADRES_FILE, _load_cadres),
                             (ASSIGNMENTS_FILE, _load_assignments)):
        try:
            refuse_link(data_dir / filename)
            loader(data_dir / filename, loaded)
        except TheodoiError as exc:
            loaded.unreadable.add(filename)
            loaded.problems.append(exc.as_problem(filename))
    return loaded


def _load_communes(path: Path, loaded: Loaded) -> None:
    rows, problems = read_rows(path, COMMUNE_COLUMNS, COMMUNE_OPTIONAL, COMMUNE_MAY_BE_EMPTY)
    loaded.problems.extend(problems)
    registers = loaded.registers
    for row in rows:
        f, loc = row.fields, row.location
        if not f["code"]:
            continue
        if not _COMMUNE_CODE.match(f["code"]):
            loaded.problems.append(problem(checks.BAD_COMMUNE_CODE, loc, code=f["code"]))
        if f["district_code"] and not _DISTRICT_CODE.match(f["district_code"]):
            loaded.problems.append(problem(checks.BAD_DISTRICT_CODE, loc,
                                           code=f["district_code"]))
        if f["kind"] and f["kind"] not in COMMUNE_KINDS:
            loaded.problems.append(problem(checks.BAD_COMMUNE_KIND, loc, kind=f["kind"]))
        since, until = _row_date(f, "since", loc, loaded), _row_date(f, "until", loc, loaded)
        if since and until and until < since:
            loaded.problems.append(problem(checks.UNIT_DATES_REVERSED, loc, since=since,
                                           until=until))
            since = until = None  # neither can be trusted
        latitude, longitude = _point(f, loc, loaded)
        unit = Commune(f["code"], f["name"], f["kind"], f["district_code"], f["district_name"],
                       loc, since, until, f.get("successor", ""), f.get("group", ""),
                       latitude, longitude)
        clash = next((other for other in registers.units
                      if other.code == unit.code and _overlap(other, unit)), None)
        if clash is not None:
            loaded.problems.append(problem(checks.DUPLICATE_COMMUNE, loc, code=f["code"],
                                           first=clash.location.line))
            continue
        registers.units.append(unit)
        latest = registers.communes.get(unit.code)
        if latest is None or _starts(latest) <= _starts(unit):
            registers.communes[unit.code] = unit
    for unit in registers.units:
        if unit.successor:
            loaded.problems.extend(_successor_problems(unit, registers))


def _row_date(fields: dict[str, str], column: str, loc: Location, loaded: Loaded
              ) -> date | None:
    text = fields.get(column, "")
    if not text:
        return None
    try:
        return parse_date(text)
    except DateError:
        loaded.problems.append(problem(checks.BAD_DATE, loc, key=column, value=text))
        return None


# Viet Nam, islands included, with a margin: a swapped pair falls outside.
_LATITUDES, _LONGITUDES = (8.0, 24.0), (102.0, 118.0)


def _point(fields: dict[str, str], loc: Location, loaded: Loaded
           ) -> tuple[float | None, float | None]:
    texts = fields.get("latitude", ""), fields.get("longitude", "")
    if not any(texts):
        return None, None
    try:
        latitude, longitude = float(texts[0]), float(texts[1])
    except ValueError:
        latitude = longitude = float("nan")
    if not (_LATITUDES[0] <= latitude <= _LATITUDES[1]
            and _LONGITUDES[0] <= longitude <= _LONGITUDES[1]):
        loaded.problems.append(problem(checks.BAD_COORDINATES, loc, latitude=texts[0],
                                       longitude=texts[1]))
        return None, None
    return latitude, longitude


def _starts(unit: Commune) -> date:
    return unit.since or date.min


def _overlap(first: Commune, second: Commune) -> bool:
    return (_starts(first) <= (second.until or date.max)
            and _starts(second) <= (first.until or date.max))


def _successor_problems(unit: Commune, registers: Registers) -> list[Problem]:
    if unit.until is None:
        reason = Msg(N_("the unit has no last day ('until'), so it has no successor yet"))
    else:
        day = unit.until + timedelta(days=1)
        if any(other.code == unit.successor and other.in_force(day)
               for other in registers.units):
            return []
        reason = Msg(N_("no unit with this code begins by {day}"), {"day": day})
    return [problem(checks.BAD_SUCCESSOR, unit.location, code=unit.successor, reason=reason)]


def _load_cadres(path: Path, loaded: Loaded) -> None:
    rows, problems = read_rows(path, CADRE_COLUMNS, CADRE_OPTIONAL)
    loaded.problems.extend(problems)
    cadres = loaded.registers.cadres
    for row in rows:
        f, loc = row.fields, row.location
        if not f["id"]:
            continue
        if f["id"] in cadres:
            loaded.problems.append(problem(checks.DUPLICATE_CADRE, loc, id=f["id"],
                                           first=cadres[f["id"]].location.line))
            continue
        cadres[f["id"]] = Cadre(f["id"], f["name"], f["title"], f["agency"],
                                f.get("phone", ""), f.get("email", ""), loc)


def _load_assignments(path: Path, loaded: Loaded) -> None:
    name = display_path(path)
    document = load_path(path)
    if not isinstance(document, Mapping):
        raise TheodoiError(checks.ASSIGNMENTS_NOT_MAPPING, Location(name, 1))
    for key in document:
        if key not in ("settings", "decisions", "assignments"):
            loaded.problems.append(problem(checks.UNKNOWN_KEY,
                                           Location(name, document.key_lines[key]), key=key))
    reader = _FieldReader(name, loaded.problems)
    loaded.registers.settings = _read_settings(document.get("settings"), reader,
                                               document.key_lines.get("settings", 1))
    for entry, line in reader.items(document, "decisions"):
        number = reader.text(entry, "number", line, required=True)
        decision = Decision(number, reader.day(entry, "date", line, required=True),
                            reader.text(entry, "issued_by", line),
                            reader.text(entry, "subject", line), Location(name, line))
        if not number:
            continue
        if number in loaded.registers.decisions:
            loaded.problems.append(problem(
                checks.DUPLICATE_DECISION, Location(name, line), number=number,
                first=loaded.registers.decisions[number].location.line))
        loaded.registers.decisions[number] = decision
    if "assignments" not in document:
        loaded.problems.append(problem(checks.MISSING_KEY, Location(name, 1)))
    for entry, line in reader.items(document, "assignments"):
        reader.known_keys(entry, line, ("commune", "cadre", "since", "until", "decision",
                                        "note"))
        commune = reader.code(entry, "commune", line)
        cadre = reader.text(entry, "cadre", line)
        since = reader.day(entry, "since", line, required=True)
        until = reader.day(entry, "until", line)
        if not commune or since is None:
            continue
        loaded.registers.assignments.append(Assignment(
            commune, cadre, since, until, reader.text(entry, "decision", line),
            Location(name, line)))


def _read_settings(value: Any, reader: _FieldReader, line: int) -> Settings:
    if value is None:
        return Settings()
    if not isinstance(value, Mapping):
        reader.problems.append(problem(checks.BAD_SETTING, Location(reader.name, line),
                                       key="settings", expected=Msg(N_("a mapping of settings"))))
        return Settings()
    reader.known_keys(value, line, ("overdue_days", "term_start", "office",
                                    "communes_per_cadre", "cadres_per_commune",
                                    "visits_per_quarter", "proposal_overdue_days"))
    days = _whole_number(value, "overdue_days", 90, reader, line,
                         Msg(N_("a whole number of days above 0")), MAX_SETTING_DAYS)
    return Settings(days, reader.day(value, "term_start", line),
                    _office_settings(value, reader, line),
                    _limit(value, "communes_per_cadre", reader, line),
                    _limit(value, "cadres_per_commune", reader, line),
                    _whole_number(value, "visits_per_quarter", 1, reader, line,
                                  Msg(N_("a whole number of visits above 0")),
                                  MAX_VISITS_PER_QUARTER),
                    _whole_number(value, "proposal_overdue_days", 30, reader, line,
                                  Msg(N_("a whole number of days above 0")), MAX_SETTING_DAYS),
                    _office_location(value, reader, line))


def _office_location(settings: Mapping, reader: _FieldReader, line: int) -> Location:
    office = settings.get("office")
    where = settings.key_lines.get("office", line)
    if isinstance(office, Mapping):
        where = office.key_lines.get("place", where)
    return Location(reader.name, where)



# Ranges far beyond any office's choice, so that a typing slip (a dozen zeros)
# is a problem rather than a report that silently lists nothing.
MAX_SETTING_DAYS = 3660  # ten years
MAX_VISITS_PER_QUARTER = 92  # one a day


def _whole_number(settings: Mapping, key: str, default: int, reader: _FieldReader, line: int,
                  expected: Msg, most: int) -> int:
    """A setting that is a whole number from 1 to ``most`` (else a problem, and
    the default)."""
    value = settings.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        reader.problems.append(problem(checks.BAD_SETTING, Location(
            reader.name, settings.key_lines.get(key, line)), key=key, expected=expected))
        return default
    if value > most:
        reader.problems.append(problem(checks.BAD_SETTING, Location(
            reader.name, settings.key_lines.get(key, line)), key=key,
            expected=Msg(N_("a whole number from 1 to {most}"), {"most": most})))
        return default
    return value


def _office_settings(settings: Mapping, reader: _FieldReader, line: int) -> OfficeSettings:
    """The ``office:`` section (the Word report's frame); a bad value keeps its
    default and is an error, an unknown key a warning, each on its own line."""
    section = settings.get("office")
    office, found = office_settings_from(section)
    for key, message in found:
        where = settings.key_lines.get("office", line)
        node: Any = section
        for part in key.split(".") if key != "office" else []:
            if isinstance(node, Mapping):
                where = node.key_lines.get(part, where)
                node = node.get(part)
        location = Location(reader.name, where)
        if is_unknown_key(key):
            reader.problems.append(problem(checks.UNKNOWN_KEY, location, key=f"office.{key}"))
        else:
            name = "office" if key == "office" else f"office.{key}"
            reader.problems.append(problem(checks.BAD_SETTING, location, key=name,
                                           expected=Msg(message)))
    return office


def _limit(settings: Mapping, key: str, reader: _FieldReader, line: int) -> int | None:
    """A limit of the assignment rule: a whole number above 0, or ``any`` (None)."""
    value = settings.get(key, 1)
    if isinstance(value, str) and value.strip().casefold() == "any":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        reader.problems.append(problem(checks.BAD_SETTING, Location(
            reader.name, settings.key_lines.get(key, line)), key=key,
            expected=Msg(N_("a whole number above 0, or 'any'"))))
        return 1
    return value


class _FieldReader:
    """Typed field access on YAML mappings that records problems with lines."""

    def __init__(self, name: str, problems: list[Problem]):
        self.name = name
        self.problems = problems

    def _loc(self, entry: Mapping, key: str, line: int) -> Location:
        return Location(self.name, entry.key_lines.get(key, line))

    def items(self, document: Mapping, key: str) -> list[tuple[Mapping, int]]:
        value = document.get(key)
        if value is None:
            return []
        if not isinstance(value, Sequence):
            self.problems.append(problem(checks.BAD_LIST, self._loc(document, key, 1), key=key))
            return []
        result = []
        for item, line in zip(value, value.item_lines, strict=True):
            if isinstance(item, Mapping):
                self.problems.extend(text_problems(item, Location(self.name, line)))
                result.append((item, line))
            else:
                self.problems.append(problem(checks.BAD_ITEM, Location(self.name, line), key=key))
        return result

    def known_keys(self, entry: Mapping, line: int, keys: tuple[str, ...]) -> None:
        for key in entry:
            if key not in keys:
                self.problems.append(problem(checks.UNKNOWN_KEY, self._loc(entry, key, line),
                                             key=key))

    def text(self, entry: Mapping, key: str, line: int, required: bool = False) -> str:
        value = entry.get(key)
        if value is None or value == "":
            if required:
                self.problems.append(problem(checks.MISSING_FIELD, self._loc(entry, key, line),
                                             column=key))
            return ""
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.problems.append(problem(checks.BAD_FIELD, self._loc(entry, key, line), key=key))
            return ""
        return str(value).strip()

    def code(self, entry: Mapping, key: str, line: int) -> str:
        value = entry.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML reads 02067 as an octal number: the code must be quoted.
            self.problems.append(problem(checks.UNQUOTED_CODE, self._loc(entry, key, line)))
            return ""
        return self.text(entry, key, line, required=True)

    def day(self, entry: Mapping, key: str, line: int, required: bool = False) -> date | None:
        value = entry.get(key)
        if value is None or value == "":
            if required:
                self.problems.append(problem(checks.MISSING_FIELD, self._loc(entry, key, line),
                                             column=key))
            return None
        try:
            return parse_date(str(value))
        except DateError:
            self.problems.append(problem(checks.BAD_DATE, self._loc(entry, key, line), key=key,
                                         value=str(value)))
            return None
