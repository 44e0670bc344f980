"""Write data/communes.csv: Bắc Kạn's commune-level units, from the GSO list.

Why this exists: Decision 1391-QĐ/TU assigns one provincial cadre to each
commune-level unit of Bắc Kạn, so the register of communes must be exactly the
official one.  The `vietnam-provinces` package ships the GSO list offline; this
script pins its version, repairs what the package writes loosely (every unit
is typed "xã" and every district "huyện", and some names read "Thành Phố"),
and writes a stable, diff-friendly CSV.

    python scripts/generate_communes.py            # writes data/communes.csv
    python scripts/generate_communes.py OUT.csv    # writes OUT.csv
    python scripts/generate_communes.py --check    # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

PACKAGE = "vietnam-provinces"
PACKAGE_VERSION = "0.6.0"
PROVINCE_CODE = 6  # Tỉnh Bắc Kạn
EXPECTED_DISTRICTS = 8
# Decision 1391 assigns 108 cadres, one per unit: the package must agree.
EXPECTED_COMMUNES = 108

COLUMNS = ("code", "name", "kind", "district_code", "district_name")
COMMUNE_KINDS = ("thị trấn", "phường", "xã")
DISTRICT_KINDS = ("thành phố", "thị xã", "huyện")

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "data" / "communes.csv"


class SourceDataError(Exception):
    """The package is missing, of another version, or its data is not as expected."""


def split_type_prefix(name: str, kinds: Sequence[str]) -> tuple[str, str]:
    """Return (kind, name) with the name NFC, stripped and its type prefix re-cased.

    "Thành Phố Bắc Kạn" -> ("thành phố", "Thành phố Bắc Kạn"): only the first word
    of the prefix is capitalised; the proper name keeps its capitals.
    """
    text = unicodedata.normalize("NFC", name).strip()
    for kind in kinds:
        prefix = kind + " "
        proper = text[len(prefix) :].strip()
        if text[: len(prefix)].casefold() == prefix and proper:
            return kind, f"{kind.capitalize()} {proper}"
    raise SourceDataError(f"unknown type prefix in {name!r}; expected one of {list(kinds)}")


def _check_package_version() -> None:
    try:
        installed = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError as exc:
        raise SourceDataError(
            f"{PACKAGE} is not installed; run: pip install '{PACKAGE}=={PACKAGE_VERSION}'"
        ) from exc
    if installed != PACKAGE_VERSION:
        raise SourceDataError(
            f"{PACKAGE} {installed} is installed but this script reads version "
            f"{PACKAGE_VERSION}; run: pip install '{PACKAGE}=={PACKAGE_VERSION}'"
        )


def build_rows() -> list[dict[str, str]]:
    """The rows of communes.csv, sorted by code; raises SourceDataError."""
    _check_package_version()
    import vietnam_provinces

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as source:
        provinces = json.load(source)
    province = next((p for p in provinces if p["code"] == PROVINCE_CODE), None)
    if province is None:
        raise SourceDataError(f"province code {PROVINCE_CODE} not found in {PACKAGE}")

    rows = []
    for district in province["districts"]:
        _, district_name = split_type_prefix(district["name"], DISTRICT_KINDS)
        for ward in district["wards"]:
            kind, name = split_type_prefix(ward["name"], COMMUNE_KINDS)
            rows.append(
                {
                    "code": f"{ward['code']:05d}",
                    "name": name,
                    "kind": kind,
                    "district_code": f"{district['code']:03d}",
                    "district_name": district_name,
                }
            )
    rows.sort(key=lambda row: row["code"])

    districts = {row["district_code"] for row in rows}
    if len(province["districts"]) != EXPECTED_DISTRICTS or len(districts) != EXPECTED_DISTRICTS:
        raise SourceDataError(
            f"expected {EXPECTED_DISTRICTS} districts, the package lists "
            f"{len(province['districts'])} ({len(districts)} with communes)"
        )
    if len(rows) != EXPECTED_COMMUNES:
        raise SourceDataError(
            f"expected {EXPECTED_COMMUNES} communes (Decision 1391), the package lists {len(rows)}"
        )
    if len({row["code"] for row in rows}) != len(rows):
        raise SourceDataError("duplicate commune codes in the package data")
    return rows


def render_csv(rows: Sequence[Mapping[str, str]], columns: Sequence[str] = COLUMNS) -> str:
    """CSV text as theodoi writes every register (theodoi.store.csvfile.csv_text)."""
    from theodoi.store.csvfile import csv_text

    return csv_text(columns, rows)


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8, no BOM): readers see the old or the new file."""
    from theodoi.store.atomic import write_atomically as write_bytes_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomically(path, text.encode("utf-8"))


def file_matches(path: Path, text: str) -> bool:
    return path.is_file() and path.read_bytes() == text.encode("utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the file differs from what would be written"
    )
    args = parser.parse_args(argv)
    try:
        rows = build_rows()
    except SourceDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = render_csv(rows)

    if args.check:
        if not file_matches(args.path, text):
            print(
                f"{args.path} is missing or differs from the {PACKAGE} {PACKAGE_VERSION} list; "
                "run: python scripts/generate_communes.py",
                file=sys.stderr,
            )
            return 1
        print(f"{args.path} is up to date ({len(rows)} communes)", file=sys.stderr)
        return 0

    write_atomically(args.path, text)
    kinds = {kind: sum(row["kind"] == kind for row in rows) for kind in COMMUNE_KINDS}
    print(
        f"wrote {args.path}: {EXPECTED_DISTRICTS} districts, {len(rows)} communes "
        f"(expected {EXPECTED_COMMUNES}; " + ", ".join(f"{n} {k}" for k, n in kinds.items()) + ")",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
