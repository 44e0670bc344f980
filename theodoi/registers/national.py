"""Vietnam's commune-level units on both maps: before 1/7/2025 and after.

On 1/7/2025 the districts were abolished, 63 provinces became 34 and most
communes were merged.  This module reads the national registers shipped in
``theodoi/registers/national/`` (written by ``scripts/generate_national_registers.py``
from the MIT-licensed ``vietnamadminunits`` 1.0.4) so that a workspace can be
set up for any province on either map and carried across the reform.

A map is named by the year it describes: 2024 for the units in force until
30/6/2025, 2025 for those from 1/7/2025.  Every function takes the map
explicitly, because the reform reused codes: 02014 is Xã Dương Phong on the
2024 map and Xã Bạch Thông on the 2025 one.

Pure standard library, and nothing is read until asked for; commands import
this module inside the command, so that ``theodoi --help`` never pays for it
(a test checks).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from theodoi.base.textnorm import fold, nfc

MAP_YEARS = (2024, 2025)
# The header of a workspace's communes.csv; on the 2025 map the district
# columns stay empty, as there are no districts any more.
COMMUNES_CSV_COLUMNS = ("code", "name", "kind", "district_code", "district_name")
MAX_CANDIDATES = 5

_UNITS_FILES = {2024: "units_2024.csv", 2025: "units_2025.csv"}
_CROSSWALK_FILE = "crosswalk_2025.csv"
# What a clerk may type before a province's own name ("Tỉnh Bắc Kạn", "TP. Huế").
_PROVINCE_PREFIXES = ("thanh pho ", "tinh ", "tp ")
_PUNCTUATION = re.compile(r"[-–.,]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Unit:
    """A commune-level unit (xã, phường, thị trấn; đặc khu from 2025) on one map."""

    map_year: int
    code: str
    name: str
    kind: str
    province_code: str
    province_name: str
    district_code: str  # "" on the 2025 map
    district_name: str
    latitude: float | None
    longitude: float | None

    @property
    def centroid(self) -> tuple[float, float] | None:
        """(latitude, longitude): the source's geocoded point, approximate."""
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


@dataclass(frozen=True)
class Province:
    map_year: int
    code: str
    name: str


@dataclass(frozen=True)
class Link:
    """One row of the crosswalk: ``old`` (2024 map) became, wholly or in part, ``new``.

    ``split``: the old unit was divided among several new units.  ``default``:
    the target to use unless someone chooses; the source names one for each
    split unit, and an old unit that was not split has its only target.
    """

    old: Unit
    new: Unit
    split: bool
    default: bool


@dataclass(frozen=True)
class Crosswalk:
    """The links of the codes asked for, from ``from_map`` to ``to_map``.

    ``links`` holds, per code known on ``from_map`` (in the order given), its
    links: its targets going forward (2024 -> 2025), its predecessors going
    back (2025 -> 2024).  Five 2025 units (đặc khu made from island districts
    that had no commune) have no predecessor: an empty tuple.  ``unknown``
    lists the codes that are not units of ``from_map``, so that a caller can
    report them all at once.
    """

    from_map: int
    to_map: int
    links: dict[str, tuple[Link, ...]]
    unknown: tuple[str, ...]


class ProvinceNotFound(LookupError):
    """No province of the map is named so; ``candidates`` are the closest, best first
    (several when the query fits more than one, as "bac" does)."""

    def __init__(self, query: str, map_year: int, candidates: Iterable[Province] = (),
                 before_reform: Province | None = None):
        self.query = query
        self.map_year = map_year
        self.candidates = tuple(candidates)
        # The province of the 2024 map so named: --map 2024 gives it as it stood.
        self.before_reform = before_reform
        listing = "; ".join(f"{p.code} {p.name}" for p in self.candidates)
        super().__init__(f"no province of the {map_year} map is {query!r}"
                         + (f"; the closest: {listing}" if listing else ""))


# Loading


def _check_map(map_year: int) -> None:
    if map_year not in MAP_YEARS:
        raise ValueError(f"map_year must be one of {MAP_YEARS}, not {map_year!r}")


def _read_csv(name: str) -> list[dict[str, str]]:
    # theodoi/registers/national/ is a data folder, not a package (no __init__.py), so
    # that "import theodoi.registers.national" finds this module.
    folder = resources.files("theodoi.registers").joinpath("national")
    text = folder.joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _degrees(text: str) -> float | None:
    return float(text) if text else None


@functools.cache
def load_units(map_year: int) -> tuple[Unit, ...]:
    """Every unit of the map, by province code then unit code (read once per process)."""
    _check_map(map_year)
    return tuple(
        Unit(map_year=map_year, code=row["code"], name=row["name"], kind=row["kind"],
             province_code=row["province_code"], province_name=row["province_name"],
             district_code=row.get("district_code", ""),
             district_name=row.get("district_name", ""),
             latitude=_degrees(row["latitude"]), longitude=_degrees(row["longitude"]))
        for row in _read_csv(_UNITS_FILES[map_year])
    )


@functools.cache
def units_by_code(map_year: int) -> Mapping[str, Unit]:
    """The map's units keyed by their 5-digit GSO code (read-only: it is shared)."""
    return MappingProxyType({unit.code: unit for unit in load_units(map_year)})


@functools.cache
def provinces(map_year: int) -> tuple[Province, ...]:
    """The provinces of the map (63 in 2024, 34 in 2025), by code."""
    seen = {unit.province_code: unit.province_name for unit in load_units(map_year)}
    return tuple(Province(map_year, code, name) for code, name in sorted(seen.items()))


@functools.cache
def _links() -> tuple[Link, ...]:
    old, new = units_by_code(2024), units_by_code(2025)
    return tuple(
        Link(old=old[row["old_code"]], new=new[row["new_code"]],
             split=row["split"] == "1", default=row["default"] == "1")
        for row in _read_csv(_CROSSWALK_FILE)
    )


# Provinces


def province_key(name: str) -> str:
    """The matching key of a province name: folded, without "Tỉnh"/"Thành phố",
    hyphens and dots as spaces ("Tỉnh Bà Rịa - Vũng Tàu" -> "ba ria vung tau")."""
    key = _SPACES.sub(" ", _PUNCTUATION.sub(" ", fold(name))).strip()
    for prefix in _PROVINCE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix):]
    return key


def find_province(query: str, map_year: int) -> Province:
    """The province a person means: its 2-digit code ("06") or its name in any
    case, with or without accents or "Tỉnh"/"Thành phố" ("bac kan", "Tỉnh Bắc
    Kạn", "thai nguyen", "Đà Nẵng" or "da nang").

    Raises ProvinceNotFound when none matches, with the closest provinces:
    on the 2025 map a province of 2024 ("Bắc Kạn") suggests the province it
    merged into (Thái Nguyên) first; then provinces whose name starts with
    the query ("bac"), then near spellings.
    """
    listed = provinces(map_year)
    text = nfc(query).strip()
    found = _match_province(text, listed)
    if found is not None:
        return found
    candidates: list[Province] = []
    old = _match_province(text, provinces(2024)) if map_year == 2025 else None
    if old is not None:
        candidates += crosswalk_provinces(old, from_map=2024, to_map=2025)
    key = province_key(text)
    if key and not text.isdigit():
        keys = {province_key(p.name): p for p in listed}
        candidates += [p for k, p in keys.items() if k.startswith(key)]
        import difflib  # only when a name is not found: kept off the start-up path

        candidates += [keys[k] for k in difflib.get_close_matches(key, list(keys))]
    raise ProvinceNotFound(query, map_year, list(dict.fromkeys(candidates))[:MAX_CANDIDATES],
                           old)


def _match_province(text: str, listed: Iterable[Province]) -> Province | None:
    """The province with that code (leading zero optional) or that name key."""
    if text.isdigit():
        return next((p for p in listed if p.code == text.zfill(2)), None)
    key = province_key(text)
    return next((p for p in listed if key and province_key(p.name) == key), None)


def _province(province: Province | str, map_year: int) -> Province:
    if isinstance(province, str):
        return find_province(province, map_year)
    if province.map_year != map_year:
        raise ValueError(f"{province.name} is a province of the {province.map_year} map, "
                         f"not of the {map_year} one")
    return province


def units_of(province: Province | str, map_year: int) -> tuple[Unit, ...]:
    """The units of one province (a Province, or what find_province accepts), by code."""
    code = _province(province, map_year).code
    return tuple(unit for unit in load_units(map_year) if unit.province_code == code)


def communes_csv_rows(province: Province | str, map_year: int) -> list[dict[str, str]]:
    """The rows of a workspace's communes.csv for the province, by code.

    On the 2024 map they are the shipped data/communes.csv for Bắc Kạn, byte
    for byte once written as scripts/generate_communes.py writes; on the 2025
    map the district columns are empty.
    """
    return [
        {"code": unit.code, "name": unit.name, "kind": unit.kind,
         "district_code": unit.district_code, "district_name": unit.district_name}
        for unit in sorted(units_of(province, map_year), key=lambda unit: unit.code)
    ]


def centroids(province: Province | str, map_year: int) -> dict[str, tuple[float, float]]:
    """Code -> (latitude, longitude) of the province's units that have a point.

    The points are the source's geocoding, good enough to place a dot on a
    province map, not a surveyed centroid: a few are tens of kilometres off.
    """
    return {unit.code: unit.centroid for unit in units_of(province, map_year)
            if unit.centroid is not None}


# Across the reform


def crosswalk(codes: Iterable[str], *, from_map: int, to_map: int) -> Crosswalk:
    """The links of the given unit codes of ``from_map`` to the units of ``to_map``.

    ``crosswalk(["02068"], from_map=2024, to_map=2025)``: Xã Đại Sảo went
    into 02083 Xã Yên Phong.  ``crosswalk(["02083"], from_map=2025,
    to_map=2024)``: Xã Yên Phong was made of Đại Sảo, Yên Mỹ and Yên Phong.
    """
    _check_direction(from_map, to_map)
    index = _links_by_code(from_map)
    links: dict[str, tuple[Link, ...]] = {}
    unknown: list[str] = []
    for code in codes:
        if code in index:
            links[code] = index[code]
        else:
            unknown.append(code)
    return Crosswalk(from_map, to_map, links, tuple(unknown))


def crosswalk_provinces(province: Province | str, *, from_map: int, to_map: int
                        ) -> tuple[Province, ...]:
    """The provinces of ``to_map`` that the province's units went into (going
    forward) or came from (going back), by code: Tỉnh Bắc Kạn of 2024 ->
    (Tỉnh Thái Nguyên,); Tỉnh Thái Nguyên of 2025 -> (Tỉnh Bắc Kạn, Tỉnh Thái
    Nguyên) of 2024."""
    _check_direction(from_map, to_map)
    units = units_of(province, from_map)
    walk = crosswalk([unit.code for unit in units], from_map=from_map, to_map=to_map)
    other = {(link.new if from_map == 2024 else link.old).province_code
             for links in walk.links.values() for link in links}
    return tuple(p for p in provinces(to_map) if p.code in other)


def _check_direction(from_map: int, to_map: int) -> None:
    if {from_map, to_map} != set(MAP_YEARS) or from_map == to_map:
        raise ValueError(f"a crosswalk goes from one of {MAP_YEARS} to the other, "
                         f"not from {from_map!r} to {to_map!r}")


@functools.cache
def _links_by_code(from_map: int) -> dict[str, tuple[Link, ...]]:
    """Every unit code of ``from_map`` -> its links, in the crosswalk's order."""
    forward = from_map == 2024
    by_code: dict[str, list[Link]] = {code: [] for code in units_by_code(from_map)}
    for link in _links():
        by_code[(link.old if forward else link.new).code].append(link)
    return {code: tuple(links) for code, links in by_code.items()}


def province_of_unit(code: str, map_year: int) -> tuple[str, str] | None:
    """The province's name and the unit's name of unit ``code`` on the map,
    found on the unit's own line of the register without parsing the rest
    (``validate`` asks this of a handful of units, and must stay quick)."""
    _check_map(map_year)
    text = _units_text(map_year)
    position = 2 + (2 if map_year == 2024 else 0)  # the code's column
    needle = f",{code},"
    start = text.find(needle)
    while start >= 0:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        fields = text[line_start:line_end if line_end >= 0 else len(text)].split(",")
        if len(fields) > position + 1 and fields[position] == code:
            return fields[1], fields[position + 1]
        start = text.find(needle, start + 1)
    return None


@cache
def _units_text(map_year: int) -> str:
    return resources.files("theodoi.registers").joinpath(
        "national", _UNITS_FILES[map_year]).read_text(encoding="utf-8")
