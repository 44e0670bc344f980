"""Write theodoi/registers/national/: Vietnam's commune-level units before and after 1/7/2025.

Why this exists: on 1/7/2025 the districts were abolished, 63 provinces became
34 and most communes were merged.  `theodoi init` must set up a workspace for
any province on either map, and `theodoi reorganise` must carry a workspace
across the reform, so theodoi ships both registers and the crosswalk between
them as package data.  They come from the MIT-licensed `vietnamadminunits`
package (version 1.0.4), whose SQLite file and JSON crosswalk are read here
directly: its Python API would pull in shapely, geopy and numpy for nothing,
so the package is never imported and works installed with `--no-deps`.

The source is taken as it is, except where this script says otherwise: every
difference it knows of, and the choice made, is printed when the files are
written (the table NAME_CORRECTIONS, the re-cased type prefixes, the kinds the
source's own type column gets wrong, the island districts that had no commune).

    python scripts/generate_national_registers.py          # writes theodoi/registers/national/
    python scripts/generate_national_registers.py --output-dir DIR
    python scripts/generate_national_registers.py --check  # exit 1 if stale
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGE = "vietnamadminunits"
PACKAGE_VERSION = "1.0.4"
# The files read, by their path in the installed package, and the SHA-256 of
# the 1.0.4 wheel's copies: the registers are reproducible only from these bytes.
SOURCE_FILES = {
    "dataset.db": (
        "vietnamadminunits/data/dataset.db",
        "147cbbf81c8964bb594e1dda7ebab5649bce21efbfd6cb508cab7fefca62257d",
    ),
    "converter_2025.json": (
        "vietnamadminunits/data/converter_2025.json",
        "84f0848bf401b047775cbb49768c181a9271f77e4a4ec706d293b09bcb4faddd",
    ),
    "LICENSE": (
        "vietnamadminunits-1.0.4.dist-info/licenses/LICENSE",
        "5a5366d3137d7f84b8ef9ce3a66c4dc3db2a0716b317f901b1c0542ed44ffd13",
    ),
}

# Official counts (GSO): the source must agree before anything is written.
EXPECTED_PROVINCES = {2024: 63, 2025: 34}
EXPECTED_DISTRICTS_2024 = 696
EXPECTED_UNITS = {2024: 10_035, 2025: 3_321}

UNIT_KINDS = {2024: ("thị trấn", "phường", "xã"), 2025: ("đặc khu", "phường", "xã")}
DISTRICT_KINDS = ("thành phố", "thị xã", "huyện", "quận")
PROVINCE_KINDS = ("thành phố", "tỉnh")

UNITS_2024_COLUMNS = (
    "province_code", "province_name", "district_code", "district_name",
    "code", "name", "kind", "latitude", "longitude",
)
UNITS_2025_COLUMNS = ("province_code", "province_name", "code", "name", "kind",
                      "latitude", "longitude")
CROSSWALK_COLUMNS = ("old_code", "new_code", "split", "default")
LICENSE_FILE = "vietnamadminunits-LICENSE.txt"

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT_DIR = REPO_ROOT / "theodoi" / "registers" / "national"


@dataclass(frozen=True)
class Correction:
    """A name written otherwise than the source spells it, and why."""

    map_year: int
    code: str
    source_name: str
    name: str
    reason: str


_GSO_TONE = ("the GSO list puts the tone mark the old way, as data/communes.csv (the register "
             "of Decision 1391) does; vietnamadminunits moves it")
_GSO_I = "the GSO list writes i, as data/communes.csv does; vietnamadminunits writes y"

# Only where the GSO spelling is known to this project: the 108 units of Bắc
# Kạn, whose GSO names are data/communes.csv.  Elsewhere the source's spelling
# stands (see the README for what that means).  A row whose source_name the
# source no longer holds stops the script rather than go stale unnoticed.
NAME_CORRECTIONS = (
    Correction(2024, "01948", "Xã Trung Hòa", "Xã Trung Hoà", _GSO_TONE),
    Correction(2024, "01978", "Xã Sỹ Bình", "Xã Sĩ Bình", _GSO_I),
    Correction(2024, "02098", "Xã Hòa Mục", "Xã Hoà Mục", _GSO_TONE),
    Correction(2024, "02197", "Xã Liêm Thủy", "Xã Liêm Thuỷ", _GSO_TONE),
)


class SourceDataError(Exception):
    """The package is missing, of another version, or its data is not as expected."""


@dataclass
class Registers:
    """The rows of each file, and the notes that say where they leave the source."""

    units_2024: list[dict[str, str]] = field(default_factory=list)
    units_2025: list[dict[str, str]] = field(default_factory=list)
    crosswalk: list[dict[str, str]] = field(default_factory=list)
    license_text: str = ""
    notes: list[str] = field(default_factory=list)


# Reading the source


def locate_source() -> dict[str, Path]:
    """The installed package's data files, found through its metadata (not imported)."""
    try:
        distribution = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError as exc:
        raise SourceDataError(
            f"{PACKAGE} is not installed; run: pip install --no-deps '{PACKAGE}=={PACKAGE_VERSION}'"
        ) from exc
    if distribution.version != PACKAGE_VERSION:
        raise SourceDataError(
            f"{PACKAGE} {distribution.version} is installed but this script reads version "
            f"{PACKAGE_VERSION}; run: pip install --no-deps '{PACKAGE}=={PACKAGE_VERSION}'"
        )
    paths = {}
    for name, (relative, sha256) in SOURCE_FILES.items():
        path = Path(str(distribution.locate_file(relative)))
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise SourceDataError(f"cannot read {path}: {exc.strerror or exc}") from exc
        if digest != sha256:
            raise SourceDataError(f"{path} is not the file of {PACKAGE} {PACKAGE_VERSION} "
                                  f"(SHA-256 {digest}); reinstall the package")
        paths[name] = path
    return paths


# The columns used, of the source's two tables: 2024 (admin_units_legacy) and 2025.
SOURCE_COLUMNS = {
    2024: ("provinceCode", "province", "provinceKey", "districtCode", "district", "districtKey",
           "wardCode", "ward", "wardKey", "wardType", "wardLat", "wardLon"),
    2025: ("provinceCode", "province", "provinceKey", "wardCode", "ward", "wardKey", "wardType",
           "wardLat", "wardLon"),
}
SOURCE_TABLES = {2024: "admin_units_legacy", 2025: "admin_units"}


def read_table(database: Path, map_year: int) -> list[dict[str, Any]]:
    """The rows of one map's table, as dicts of the columns used."""
    columns = ", ".join(SOURCE_COLUMNS[map_year])
    # Read-only through a URI, so that reading never creates or touches a file.
    with sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True) as connection:
        connection.row_factory = sqlite3.Row
        query = f"SELECT {columns} FROM {SOURCE_TABLES[map_year]}"
        return [dict(row) for row in connection.execute(query)]


# Names and kinds


def split_type_prefix(name: str, kinds: Sequence[str]) -> tuple[str, str]:
    """Return (kind, name) with the name NFC, stripped and its type prefix re-cased.

    "Thị Trấn Ái Tử" -> ("thị trấn", "Thị trấn Ái Tử"): only the first word of
    the prefix is capitalised, as in the GSO list; the proper name keeps its
    capitals.
    """
    text = unicodedata.normalize("NFC", name).strip()
    for kind in kinds:
        prefix = kind + " "
        proper = text[len(prefix):].strip()
        if text[: len(prefix)].casefold() == prefix and proper:
            return kind, f"{kind.capitalize()} {proper}"
    raise SourceDataError(f"unknown type prefix in {name!r}; expected one of {list(kinds)}")


@dataclass
class Namer:
    """Turns the source's names into the registers' and notes every change made."""

    notes: list[str]
    corrections: Mapping[tuple[int, str], Correction] = field(default_factory=dict)
    used: set[tuple[int, str]] = field(default_factory=set)
    places: dict[str, str] = field(default_factory=dict)

    def place(self, name: str, kinds: Sequence[str], what: str) -> str:
        """A province's or district's name, its type prefix re-cased (noted once)."""
        if name not in self.places:
            _, written = split_type_prefix(name, kinds)
            if written != name:
                self.notes.append(f"{what} {name!r} is written {written!r} "
                                  "(type re-cased, as GSO)")
            self.places[name] = written
        return self.places[name]

    def unit(self, map_year: int, code: str, name: str, source_kind: str | None,
             where: str) -> tuple[str, str]:
        """(kind, name) of a unit: corrected if listed, prefix re-cased, kind from the name."""
        kind, written = split_type_prefix(name, UNIT_KINDS[map_year])
        label = f"{map_year} {code} ({where})"
        if written != name:
            self.notes.append(f"{label}: {name!r} is written {written!r} "
                              "(type re-cased, as GSO)")
        correction = self.corrections.get((map_year, code))
        if correction is not None:
            if written != correction.source_name:
                raise SourceDataError(
                    f"NAME_CORRECTIONS expects {map_year} {code} to read "
                    f"{correction.source_name!r} in the source, which has {name!r}")
            self.used.add((map_year, code))
            written = correction.name
            self.notes.append(f"{label}: {name!r} is written {written!r}: {correction.reason}")
        if source_kind is not None and source_kind.casefold() != kind:
            self.notes.append(f"{label}: the source's type column says {source_kind!r} "
                              f"but the name is {written!r}: kind {kind!r}, from the name")
        return kind, written

    def check_all_used(self) -> None:
        unused = sorted(set(self.corrections) - self.used)
        if unused:
            raise SourceDataError(f"NAME_CORRECTIONS lists units the source lacks: {unused}")


def coordinate(value: float | None) -> str:
    """The source's degrees as they are (shortest round-trip form), '' if none."""
    return "" if value is None else repr(float(value))


# The registers


def units_2024(source: list[dict[str, Any]], namer: Namer) -> list[dict[str, str]]:
    """The units in force on 30/6/2025.

    Five island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo)
    had no commune-level unit: the source gives each a row without a ward,
    which is no unit and is left out (the crosswalk notes what became of them).
    """
    rows = []
    for record in source:
        if record["wardCode"] is None:
            continue
        province = namer.place(record["province"], PROVINCE_KINDS, "province")
        district = namer.place(record["district"], DISTRICT_KINDS, "district")
        kind, name = namer.unit(2024, record["wardCode"], record["ward"], record["wardType"],
                                f"{district}, {province}")
        rows.append({
            "province_code": record["provinceCode"],
            "province_name": province,
            "district_code": record["districtCode"],
            "district_name": district,
            "code": record["wardCode"],
            "name": name,
            "kind": kind,
            "latitude": coordinate(record["wardLat"]),
            "longitude": coordinate(record["wardLon"]),
        })
    rows.sort(key=lambda row: (row["province_code"], row["code"]))
    return rows


def units_2025(source: list[dict[str, Any]], namer: Namer) -> list[dict[str, str]]:
    """The units from 1/7/2025 (no districts any more)."""
    rows = []
    for record in source:
        province = namer.place(record["province"], PROVINCE_KINDS, "province")
        kind, name = namer.unit(2025, record["wardCode"], record["ward"], record["wardType"],
                                province)
        rows.append({
            "province_code": record["provinceCode"],
            "province_name": province,
            "code": record["wardCode"],
            "name": name,
            "kind": kind,
            "latitude": coordinate(record["wardLat"]),
            "longitude": coordinate(record["wardLon"]),
        })
    rows.sort(key=lambda row: (row["province_code"], row["code"]))
    return rows


def crosswalk(legacy: list[dict[str, Any]], current: list[dict[str, Any]],
              converter: Mapping[str, Any], notes: list[str]) -> list[dict[str, str]]:
    """One row per (old unit, new unit) from the source's name-keyed crosswalk.

    The source keys old units by "province_district_ward" and new ones by ward
    within the new province; both keys are unique in its tables, so each is
    looked up to its GSO code.  A split unit (one old unit divided among
    several new ones) has exactly one default target in the source.
    """
    old_codes = {f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}": r
                 for r in legacy}
    new_units = {(r["provinceKey"], r["wardKey"]): r for r in current}
    old_provinces_of = converter["DICT_PROVINCE"]

    def new_code(new_province: str, ward_key: str, old_key: str) -> str:
        old_province = old_key.split("_", 1)[0]
        if old_province not in old_provinces_of.get(new_province, ()):
            raise SourceDataError(f"{old_key} is mapped into {new_province}, "
                                  "which it did not merge into")
        try:
            return str(new_units[(new_province, ward_key)]["wardCode"])
        except KeyError:
            raise SourceDataError(f"no unit {ward_key} in {new_province}") from None

    def old_unit(old_key: str) -> dict[str, Any]:
        try:
            return old_codes[old_key]
        except KeyError:
            raise SourceDataError(f"the crosswalk names an unknown old unit {old_key}") from None

    rows = []
    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                code = new_code(new_province, ward_key, old_key)
                old = old_unit(old_key)
                if old["wardCode"] is None:
                    notes.append(
                        f"{old['district']} ({old['province']}) had no commune-level unit: "
                        f"no crosswalk row; it became 2025 {code}, which has no predecessor")
                    continue
                rows.append({"old_code": old["wardCode"], "new_code": code,
                             "split": "0", "default": "1"})
    for new_province, splits in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in splits.items():
            old = old_unit(old_key)
            defaults = [t for t in targets if t["isDefaultNewWard"]]
            if old["wardCode"] is None or len(targets) < 2 or len(defaults) != 1:
                raise SourceDataError(f"split unit {old_key}: {len(targets)} targets, "
                                      f"{len(defaults)} default(s); expected 2+ and 1")
            for target in targets:
                rows.append({
                    "old_code": old["wardCode"],
                    "new_code": new_code(new_province, target["newWardKey"], old_key),
                    "split": "1",
                    "default": "1" if target["isDefaultNewWard"] else "0",
                })
    rows.sort(key=lambda row: (row["old_code"], row["new_code"]))
    return rows


def check_registers(registers: Registers, island_districts: int) -> None:
    """Stop unless the counts are the official ones and the crosswalk covers both maps."""
    for year, rows in ((2024, registers.units_2024), (2025, registers.units_2025)):
        codes = [row["code"] for row in rows]
        provinces = {row["province_code"] for row in rows}
        if len(set(codes)) != len(codes):
            raise SourceDataError(f"duplicate unit codes on the {year} map")
        if len(codes) != EXPECTED_UNITS[year] or len(provinces) != EXPECTED_PROVINCES[year]:
            raise SourceDataError(
                f"{year}: expected {EXPECTED_UNITS[year]} units in "
                f"{EXPECTED_PROVINCES[year]} provinces, the source has {len(codes)} in "
                f"{len(provinces)}")
        if not all(len(code) == 5 and code.isdigit() for code in codes):
            raise SourceDataError(f"{year}: a unit code is not 5 digits")
    districts = {row["district_code"] for row in registers.units_2024}
    if len(districts) + island_districts != EXPECTED_DISTRICTS_2024:
        raise SourceDataError(f"expected {EXPECTED_DISTRICTS_2024} districts in 2024, the "
                              f"source has {len(districts)} with units + {island_districts}")

    targets: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in registers.crosswalk:
        targets[row["old_code"]].append(row)
    old_codes = {row["code"] for row in registers.units_2024}
    new_codes = {row["code"] for row in registers.units_2025}
    if set(targets) != old_codes:
        raise SourceDataError("the crosswalk does not cover exactly the 2024 units")
    if not {row["new_code"] for row in registers.crosswalk} <= new_codes:
        raise SourceDataError("the crosswalk names a new unit that is not on the 2025 map")
    for old_code, rows in targets.items():
        if sum(row["default"] == "1" for row in rows) != 1 or (len(rows) > 1) != (
                rows[0]["split"] == "1"):
            raise SourceDataError(f"old unit {old_code}: inconsistent split/default flags")
    orphans = new_codes - {row["new_code"] for row in registers.crosswalk}
    if len(orphans) != island_districts:
        raise SourceDataError(f"2025 units without a predecessor: {sorted(orphans)}")


def build_registers() -> Registers:
    """Every file's rows, sorted by codes, and the notes; raises SourceDataError."""
    source = locate_source()
    legacy = read_table(source["dataset.db"], 2024)
    current = read_table(source["dataset.db"], 2025)
    converter = json.loads(source["converter_2025.json"].read_text(encoding="utf-8"))
    registers = Registers(license_text=source["LICENSE"].read_text(encoding="utf-8"))
    namer = Namer(registers.notes, {(c.map_year, c.code): c for c in NAME_CORRECTIONS})
    registers.units_2024 = units_2024(legacy, namer)
    registers.units_2025 = units_2025(current, namer)
    namer.check_all_used()
    registers.crosswalk = crosswalk(legacy, current, converter, registers.notes)
    island_districts = sum(record["wardCode"] is None for record in legacy)
    check_registers(registers, island_districts)
    return registers


# Writing


def render_csv(rows: Iterable[Mapping[str, str]], columns: Sequence[str]) -> str:
    """CSV text as theodoi writes every register (theodoi.store.csvfile.csv_text)."""
    from theodoi.store.csvfile import csv_text

    return csv_text(columns, rows)


def render_files(registers: Registers) -> dict[str, str]:
    """File name -> text, in NFC (the source is already; this makes sure)."""
    texts = {
        "units_2024.csv": render_csv(registers.units_2024, UNITS_2024_COLUMNS),
        "units_2025.csv": render_csv(registers.units_2025, UNITS_2025_COLUMNS),
        "crosswalk_2025.csv": render_csv(registers.crosswalk, CROSSWALK_COLUMNS),
        LICENSE_FILE: registers.license_text,
    }
    return {name: unicodedata.normalize("NFC", text) for name, text in texts.items()}


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8, no BOM): readers see the old or the new file."""
    from theodoi.store.atomic import write_atomically as write_bytes_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomically(path, text.encode("utf-8"))


def file_matches(path: Path, text: str) -> bool:
    return path.is_file() and path.read_bytes() == text.encode("utf-8")


def summary(registers: Registers) -> str:
    splits = {row["old_code"] for row in registers.crosswalk if row["split"] == "1"}
    kinds = {year: Counter(row["kind"] for row in rows) for year, rows in
             ((2024, registers.units_2024), (2025, registers.units_2025))}
    return (
        f"2024: {len(registers.units_2024)} units ("
        + ", ".join(f"{n} {k}" for k, n in sorted(kinds[2024].items())) + "); "
        f"2025: {len(registers.units_2025)} units ("
        + ", ".join(f"{n} {k}" for k, n in sorted(kinds[2025].items())) + "); "
        f"crosswalk: {len(registers.crosswalk)} rows, {len(splits)} split units"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR)
    parser.add_argument(
        "--check", action="store_true",
        help="exit 1 if any file differs from what would be written")
    args = parser.parse_args(argv)
    try:
        registers = build_registers()
    except SourceDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    texts = render_files(registers)

    if args.check:
        stale = [name for name, text in texts.items()
                 if not file_matches(args.output_dir / name, text)]
        if stale:
            print(f"{args.output_dir}: {', '.join(stale)} missing or different from what "
                  f"{PACKAGE} {PACKAGE_VERSION} gives; run: "
                  "python scripts/generate_national_registers.py", file=sys.stderr)
            return 1
        print(f"{args.output_dir} is up to date ({summary(registers)})", file=sys.stderr)
        return 0

    for name, text in texts.items():
        write_atomically(args.output_dir / name, text)
    print(f"Where these registers leave {PACKAGE} {PACKAGE_VERSION}, and why:", file=sys.stderr)
    for note in registers.notes:
        print(f"  {note}", file=sys.stderr)
    print(f"wrote {args.output_dir}: {summary(registers)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
