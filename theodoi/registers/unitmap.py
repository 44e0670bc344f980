"""A workspace's units on the national registers: their province and their point.

communes.csv names a unit by its code and name (and dates); the national
registers (:mod:`theodoi.registers.national`) know the province and the geocoded point
of every unit of both maps.  A code alone may name a unit on each map (the
reform reused codes), so a row is matched on its name too, then on its
dates.  The office's own point (``latitude``, ``longitude`` in communes.csv)
wins over the register's, which a geocoder made and which is off for a few.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from theodoi.base.model import Commune
from theodoi.registers.lookup import commune_key

if TYPE_CHECKING:
    from theodoi.registers.national import Unit

REFORM_DAY = date(2025, 7, 1)  # districts abolished, provinces and communes merged


def national_unit(commune: Commune) -> Unit | None:
    """The national register's unit a row of communes.csv stands for, or None."""
    from theodoi.registers.national import units_by_code

    found = [unit for year in (2024, 2025)
             if (unit := units_by_code(year).get(commune.code)) is not None]
    named = [unit for unit in found if commune_key(unit.name) == commune_key(commune.name)]
    if len(named) == 1:
        return named[0]
    candidates = named or found
    if not candidates:
        return None
    year = map_year_of(commune)
    return next((unit for unit in candidates if unit.map_year == year), candidates[0])


def map_year_of(commune: Commune) -> int:
    """The map a row belongs to by its dates: 2025 if it begins on or after the
    reform, else 2024."""
    return 2025 if commune.since is not None and commune.since >= REFORM_DAY else 2024


def province_of(communes: Iterable[Commune]) -> str | None:
    """The province most of the units belong to, as the national registers name it."""
    names = Counter(unit.province_name for unit in map(national_unit, communes) if unit)
    return names.most_common(1)[0][0] if names else None


def points(communes: Iterable[Commune]) -> dict[str, tuple[float, float]]:
    """Code -> (latitude, longitude) of each unit that has a point: the office's
    own, else the national register's."""
    found: dict[str, tuple[float, float]] = {}
    for commune in communes:
        if commune.latitude is not None and commune.longitude is not None:
            found[commune.code] = (commune.latitude, commune.longitude)
            continue
        unit = national_unit(commune)
        if unit is not None and unit.centroid is not None:
            found[commune.code] = unit.centroid
    return found
