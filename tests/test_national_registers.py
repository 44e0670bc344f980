"""The national registers in theodoi/registers/national/ and the library that reads them.

The figures asserted here were counted by reading vietnamadminunits 1.0.4's
data (the registers' source) and compared, for the 2024 map, with the GSO
list of vietnam-provinces 0.6.0 (GPL: used in these tests only).  The Bắc
Kạn crosswalk in tests/fixtures/ is a verbatim copy of the research note's
table, on which three sources agreed.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

import pytest

from theodoi.base.textnorm import fold
from theodoi.registers import national
from theodoi.registers.national import ProvinceNotFound, crosswalk, find_province

ROOT = Path(__file__).resolve().parent.parent
REGISTERS = ROOT / "theodoi" / "registers" / "national"
SCRIPT = ROOT / "scripts" / "generate_national_registers.py"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "bac-kan-2025-crosswalk.csv"
# The five 2025 đặc khu made from island districts that had no commune-level unit.
FROM_ISLAND_DISTRICTS = {"11948": "Đặc khu Bạch Long Vĩ", "19742": "Đặc khu Cồn Cỏ",
                         "20333": "Đặc khu Hoàng Sa", "21548": "Đặc khu Lý Sơn",
                         "26732": "Đặc khu Côn Đảo"}


def load_script(name: str, path: Path) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


generator = load_script("generate_national_registers", SCRIPT)
communes_script = load_script("generate_communes", ROOT / "scripts" / "generate_communes.py")


def successors(codes):
    return crosswalk(codes, from_map=2024, to_map=2025).links


def predecessors(codes):
    return crosswalk(codes, from_map=2025, to_map=2024).links


# Counts


def test_the_source_has_10040_rows_before_the_reform_of_which_5_are_no_unit():
    database = generator.locate_source()["dataset.db"]
    with sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT district, wardCode FROM admin_units_legacy").fetchall()
        after = connection.execute("SELECT count(*) FROM admin_units").fetchone()[0]
    assert len(rows) == 10_040
    assert after == 3_321
    assert sorted(district for district, code in rows if code is None) == [
        "Huyện Bạch Long Vĩ", "Huyện Côn Đảo", "Huyện Cồn Cỏ", "Huyện Hoàng Sa", "Huyện Lý Sơn"]


def test_unit_counts_and_kinds():
    before, after = national.load_units(2024), national.load_units(2025)
    assert len(before) == 10_035
    assert Counter(u.kind for u in before) == {"xã": 7_692, "phường": 1_726, "thị trấn": 617}
    assert len(after) == 3_321
    assert Counter(u.kind for u in after) == {"xã": 2_621, "phường": 687, "đặc khu": 13}
    assert len({u.district_code for u in before}) == 691  # + the 5 island districts = 696
    assert {(u.district_code, u.district_name) for u in after} == {("", "")}


def test_provinces():
    assert len(national.provinces(2024)) == 63
    assert len(national.provinces(2025)) == 34
    # The 34 kept the codes of one of the provinces merged into them.
    assert {p.code for p in national.provinces(2025)} < {p.code for p in national.provinces(2024)}
    assert national.provinces(2024)[3] == national.Province(2024, "06", "Tỉnh Bắc Kạn")


def test_every_unit_has_a_5_digit_code_a_name_of_its_kind_and_a_point():
    prefixes = {"xã": "Xã ", "phường": "Phường ", "thị trấn": "Thị trấn ", "đặc khu": "Đặc khu "}
    for year in national.MAP_YEARS:
        units = national.load_units(year)
        assert len(national.units_by_code(year)) == len(units)
        for unit in units:
            assert len(unit.code) == 5 and unit.code.isdigit()
            assert unit.name.startswith(prefixes[unit.kind]), unit
            assert unit.centroid is not None
            assert 8 < unit.centroid[0] < 24 and 102 < unit.centroid[1] < 118, unit


# Bắc Kạn and Thái Nguyên


def test_bac_kan_2024_is_the_shipped_communes_csv_byte_for_byte():
    rows = national.communes_csv_rows("Bắc Kạn", 2024)
    shipped = (ROOT / "data" / "communes.csv").read_bytes()
    assert communes_script.render_csv(rows).encode("utf-8") == shipped
    assert len(rows) == 108
    assert list(rows[0]) == list(national.COMMUNES_CSV_COLUMNS)


def test_thai_nguyen_2025_has_92_units_and_no_districts():
    rows = national.communes_csv_rows("thai nguyen", 2025)
    assert len(rows) == 92
    assert [row["code"] for row in rows] == sorted(row["code"] for row in rows)
    assert {(row["district_code"], row["district_name"]) for row in rows} == {("", "")}
    assert Counter(row["kind"] for row in rows) == {"xã": 77, "phường": 15}
    assert communes_script.render_csv(rows).splitlines()[:2] == [
        "code,name,kind,district_code,district_name", "01840,Phường Đức Xuân,phường,,"]


def test_bac_kan_crosswalk_is_the_research_table():
    with open(FIXTURE, encoding="utf-8", newline="") as source:
        expected = {(row["old_code"], row["new_code"]) for row in csv.DictReader(source)}
    bac_kan = [unit.code for unit in national.units_of("06", 2024)]
    links = [link for links in successors(bac_kan).values() for link in links]
    assert len(expected) == len(links) == 108
    assert {(link.old.code, link.new.code) for link in links} == expected
    assert not any(link.split for link in links)
    assert all(link.default for link in links)

    old_per_new = Counter(link.new.code for link in links)
    assert len(old_per_new) == 37
    assert Counter(old_per_new.values()) == {1: 1, 2: 7, 3: 23, 4: 6}
    assert [code for code, n in old_per_new.items() if n == 1] == ["01957"]  # Thượng Quan
    assert {link.new.province_name for link in links} == {"Tỉnh Thái Nguyên"}
    assert Counter(link.new.kind for link in {link.new.code: link for link in links}.values()) == {
        "xã": 35, "phường": 2}
    # Every new unit took the code of one of its old units.
    assert all(code in {link.old.code for link in links if link.new.code == code}
               for code in old_per_new)


def test_dai_sao_went_into_yen_phong():
    (link,) = successors(["02068"])["02068"]
    assert (link.old.name, link.old.district_name) == ("Xã Đại Sảo", "Huyện Chợ Đồn")
    assert (link.new.code, link.new.name, link.new.map_year) == ("02083", "Xã Yên Phong", 2025)
    assert [(link.old.code, link.old.name) for link in predecessors(["02083"])["02083"]] == [
        ("02068", "Xã Đại Sảo"), ("02077", "Xã Yên Mỹ"), ("02083", "Xã Yên Phong")]


def test_a_code_names_different_units_on_the_two_maps():
    assert national.units_by_code(2024)["02014"].name == "Xã Dương Phong"
    assert national.units_by_code(2025)["02014"].name == "Xã Bạch Thông"
    assert [link.old.name for link in predecessors(["02014"])["02014"]] == [
        "Xã Dương Phong", "Xã Quang Thuận", "Xã Đồng Thắng"]


def test_new_units_that_cross_old_district_lines_in_bac_kan():
    new_codes = {u.code for u in national.units_of("thai nguyen", 2025)}
    crossing = {code: {link.old.district_name for link in links}
                for code, links in predecessors(sorted(new_codes)).items()
                if len({link.old.district_code for link in links}) > 1
                and links[0].old.province_code == "06"}
    names = national.units_by_code(2025)
    assert {names[code].name: districts for code, districts in crossing.items()} == {
        "Xã Phong Quang": {"Thành phố Bắc Kạn", "Huyện Bạch Thông"},
        "Xã Đồng Phúc": {"Huyện Ba Bể", "Huyện Chợ Đồn"},
        "Xã Bạch Thông": {"Huyện Bạch Thông", "Huyện Chợ Đồn"},
    }


def test_thai_nguyen_2025_is_bac_kan_and_old_thai_nguyen_unmixed():
    links = predecessors([u.code for u in national.units_of("19", 2025)])
    old_provinces = {code: {link.old.province_code for link in ls} for code, ls in links.items()}
    assert Counter(frozenset(p) for p in old_provinces.values()) == {
        frozenset({"06"}): 37, frozenset({"19"}): 55}
    assert national.crosswalk_provinces("thai nguyen", from_map=2025, to_map=2024) == (
        national.Province(2024, "06", "Tỉnh Bắc Kạn"),
        national.Province(2024, "19", "Tỉnh Thái Nguyên"))
    assert national.crosswalk_provinces("bac kan", from_map=2024, to_map=2025) == (
        national.Province(2025, "19", "Tỉnh Thái Nguyên"),)


def test_bac_kan_points_lie_in_bac_kan():
    points = national.centroids("Bắc Kạn", 2024)
    assert len(points) == 108
    assert all(21.8 < lat < 22.8 and 105.4 < lon < 106.3 for lat, lon in points.values())
    assert points["02068"] == national.units_by_code(2024)["02068"].centroid


# The whole crosswalk


def test_split_units_have_exactly_one_default_target():
    links = successors([u.code for u in national.load_units(2024)])
    assert len(links) == 10_035
    split = {code: ls for code, ls in links.items() if any(link.split for link in ls)}
    assert len(split) == 471
    assert Counter(len(ls) for ls in split.values()) == {2: 397, 3: 58, 4: 15, 5: 1}
    for code, ls in links.items():
        assert sum(link.default for link in ls) == 1, code
        assert all(link.split == (len(ls) > 1) for link in ls), code


def test_every_new_unit_has_predecessors_but_those_from_island_districts():
    links = predecessors([u.code for u in national.load_units(2025)])
    orphans = {code: national.units_by_code(2025)[code].name
               for code, ls in links.items() if not ls}
    assert orphans == FROM_ISLAND_DISTRICTS


def test_crosswalk_reports_unknown_codes_and_wants_a_direction():
    walk = crosswalk(["02068", "99999", "0206"], from_map=2024, to_map=2025)
    assert list(walk.links) == ["02068"]
    assert walk.unknown == ("99999", "0206")
    # 02068 is no 2025 unit: merged away.
    assert crosswalk(["02068"], from_map=2025, to_map=2024).unknown == ("02068",)
    for from_map, to_map in ((2024, 2024), (2025, 2026), (2023, 2025)):
        with pytest.raises(ValueError, match="crosswalk goes from"):
            crosswalk([], from_map=from_map, to_map=to_map)
    with pytest.raises(ValueError, match="map_year"):
        national.load_units(2026)


# Against the GSO list of vietnam-provinces 0.6.0 (tests only: it is GPL)


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _tone_free(word: str) -> tuple[str, list[str]]:
    """A syllable's letters without its tone mark, and the tone mark: "Hoà" and
    "Hòa" give the same, only the mark's place differs."""
    decomposed = unicodedata.normalize("NFD", word)
    return ("".join(ch for ch in decomposed if ch not in TONE_MARKS),
            sorted(ch for ch in decomposed if ch in TONE_MARKS))


def difference_kind(gso: str, ours: str) -> str:
    """Why a 2024 name differs from the GSO list's, for counting."""
    gso_words, our_words = gso.split(), ours.split()
    if len(gso_words) == len(our_words) and all(
            _tone_free(a) == _tone_free(b) for a, b in zip(gso_words, our_words, strict=True)):
        return "tone placement"  # Hoà / Hòa, Thuỵ / Thụy
    if gso_words[0] != our_words[0] or gso.startswith("Thị trấn") != ours.startswith("Thị trấn"):
        return "kind"  # made a town or a ward between January and 30/6/2025
    if fold(gso) == fold(ours):
        return "other diacritics or case"  # Đắk / Đăk, Nậm / Nặm, Nông Trường
    if "".join(ch for ch in fold(gso) if ch.isalnum()) == "".join(
            ch for ch in fold(ours) if ch.isalnum()):
        return "spacing or punctuation"  # EaBar / Ea Bar, Văn Miếu - Quốc Tử Giám
    return "spelling or name"  # Quí / Quý, NT / Nông trường, Xà / Sà, renamed units


@pytest.fixture(scope="module")
def gso_2024() -> dict[str, tuple[str, str]]:
    import vietnam_provinces

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as source:
        provinces = json.load(source)
    return {f"{w['code']:05d}": (f"{p['code']:02d}", unicodedata.normalize("NFC", w["name"]))
            for p in provinces for d in p["districts"] for w in d["wards"]}


def test_codes_against_the_gso_list(gso_2024):
    """vietnam-provinces holds the GSO list of 4/1/2025; ours is the map of
    30/6/2025: units merged or re-coded in between differ (Sơn La's new town
    of Mộc Châu, ward mergers in Hồ Chí Minh City, Lâm Đồng, Bắc Giang...)."""
    ours = national.units_by_code(2024)
    only_gso = Counter(gso_2024[code][0] for code in set(gso_2024) - set(ours))
    only_ours = Counter(ours[code].province_code for code in set(ours) - set(gso_2024))
    assert len(gso_2024) == 10_051
    assert only_gso == {"14": 7, "79": 7, "68": 4, "24": 3, "38": 2, "42": 1, "46": 1, "49": 1}
    assert only_ours == {"79": 7, "14": 3}
    shared = set(gso_2024) & set(ours)
    assert len(shared) == 10_025
    assert all(gso_2024[code][0] == ours[code].province_code for code in shared)


def test_names_against_the_gso_list(gso_2024):
    """275 of the 10,025 shared units are spelt otherwise than in the GSO list.

    The four of Bắc Kạn are corrected to the GSO spelling (NAME_CORRECTIONS in
    the generator); elsewhere vietnamadminunits' spelling stands, as no GSO
    source may be shipped.  Ten differ because the unit changed kind between the
    January list and 30/6/2025.
    """
    ours = national.units_by_code(2024)
    differ = {code: (gso_2024[code][1], ours[code].name)
              for code in set(gso_2024) & set(ours) if gso_2024[code][1] != ours[code].name}
    assert Counter(difference_kind(*names) for names in differ.values()) == {
        "tone placement": 93, "other diacritics or case": 92, "spelling or name": 57,
        "spacing or punctuation": 23, "kind": 10}
    assert not [code for code in differ if ours[code].province_code == "06"]
    assert differ["00172"] == ("Phường Yên Hoà", "Phường Yên Hòa")


def test_kinds_against_the_gso_list_where_the_source_types_them_wrong(gso_2024):
    """The source's type column says Xã for these; their names (and GSO) say otherwise."""
    ours = national.units_by_code(2024)
    for code, kind in (("15061", "thị trấn"), ("27046", "phường")):
        assert ours[code].kind == kind
        assert gso_2024[code][1] == ours[code].name


# Finding a province


@pytest.mark.parametrize(
    ("query", "map_year", "code"),
    [
        ("bac kan", 2024, "06"),
        ("Bắc Kạn", 2024, "06"),
        ("Tỉnh Bắc Kạn", 2024, "06"),
        ("  tỉnh  BẮC   KẠN ", 2024, "06"),
        (unicodedata.normalize("NFD", "Bắc Kạn"), 2024, "06"),
        ("06", 2024, "06"),
        ("6", 2024, "06"),
        ("thai nguyen", 2025, "19"),
        ("Thái Nguyên", 2025, "19"),
        ("Đà Nẵng", 2025, "48"),
        ("da nang", 2025, "48"),
        ("ĐẮK LẮK", 2025, "66"),
        ("dak lak", 2024, "66"),
        ("Thành phố Hồ Chí Minh", 2025, "79"),
        ("tp. ho chi minh", 2025, "79"),
        ("ba ria vung tau", 2024, "77"),
        ("Bà Rịa - Vũng Tàu", 2024, "77"),
    ],
)
def test_find_province(query, map_year, code):
    province = find_province(query, map_year)
    assert (province.code, province.map_year) == (code, map_year)


def test_a_merged_province_points_to_the_one_it_joined():
    with pytest.raises(ProvinceNotFound) as caught:
        find_province("Bắc Kạn", 2025)
    assert caught.value.query == "Bắc Kạn"
    assert caught.value.map_year == 2025
    assert caught.value.candidates[0] == national.Province(2025, "19", "Tỉnh Thái Nguyên")
    with pytest.raises(ProvinceNotFound) as caught:
        find_province("06", 2025)
    assert [p.name for p in caught.value.candidates] == ["Tỉnh Thái Nguyên"]


def test_an_ambiguous_or_unknown_province_lists_the_closest():
    with pytest.raises(ProvinceNotFound) as caught:
        find_province("bac", 2024)
    assert [p.name for p in caught.value.candidates] == [
        "Tỉnh Bắc Kạn", "Tỉnh Bắc Giang", "Tỉnh Bắc Ninh", "Tỉnh Bạc Liêu"]
    assert "Tỉnh Bạc Liêu" in str(caught.value)
    with pytest.raises(ProvinceNotFound) as caught:
        find_province("Thai Nguen", 2025)
    assert caught.value.candidates[0].code == "19"
    for query in ("", "   ", "99", "xyz"):
        with pytest.raises(ProvinceNotFound) as caught:
            find_province(query, 2024)
        assert caught.value.candidates == ()


def test_a_province_of_the_other_map_is_refused():
    with pytest.raises(ValueError, match="2024 map"):
        national.units_of(find_province("bac kan", 2024), 2025)


# The generator and the committed files


def test_the_generator_says_where_it_leaves_the_source():
    notes = generator.build_registers().notes
    corrections = [note for note in notes if "the GSO list" in note]
    assert [note.split(":")[0] for note in corrections] == [
        "2024 01948 (Huyện Ngân Sơn, Tỉnh Bắc Kạn)", "2024 01978 (Huyện Bạch Thông, Tỉnh Bắc Kạn)",
        "2024 02098 (Huyện Chợ Mới, Tỉnh Bắc Kạn)", "2024 02197 (Huyện Na Rì, Tỉnh Bắc Kạn)"]
    assert "'Xã Sỹ Bình' is written 'Xã Sĩ Bình'" in corrections[1]
    assert "district 'Thành Phố Bắc Kạn' is written 'Thành phố Bắc Kạn' (type re-cased, as GSO)" in notes
    assert sum("kind" in note and "from the name" in note for note in notes) == 7
    assert sum("had no commune-level unit" in note for note in notes) == 5


@pytest.mark.parametrize(
    "name", ["units_2024.csv", "units_2025.csv", "crosswalk_2025.csv", generator.LICENSE_FILE])
def test_files_are_nfc_utf8_without_bom_and_lf(name):
    raw = (REGISTERS / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw and raw.endswith(b"\n")
    assert unicodedata.is_normalized("NFC", raw.decode("utf-8"))


def test_files_are_sorted_by_codes():
    def rows(name):
        with open(REGISTERS / name, encoding="utf-8", newline="") as source:
            return list(csv.DictReader(source))

    for name in ("units_2024.csv", "units_2025.csv"):
        keys = [(row["province_code"], row["code"]) for row in rows(name)]
        assert keys == sorted(set(keys)), name
    keys = [(row["old_code"], row["new_code"]) for row in rows("crosswalk_2025.csv")]
    assert keys == sorted(set(keys))


def test_the_source_licence_ships_with_the_data():
    text = (REGISTERS / generator.LICENSE_FILE).read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2025 Tran Ngoc Minh Hieu\n")


def run_check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--output-dir", str(folder)],
        capture_output=True, text=True, cwd=ROOT, stdin=subprocess.DEVNULL, timeout=60)


def test_check_passes_on_the_committed_files_and_fails_on_a_changed_copy(tmp_path):
    copy = tmp_path / "national"
    shutil.copytree(REGISTERS, copy)
    passed = run_check(copy)
    assert passed.returncode == 0, passed.stderr
    assert "up to date" in passed.stderr and "471 split units" in passed.stderr

    units = copy / "units_2024.csv"
    units.write_text(units.read_text(encoding="utf-8").replace("Xã Đại Sảo", "Xã Dai Sao"),
                     encoding="utf-8")
    failed = run_check(copy)
    assert failed.returncode == 1
    assert "units_2024.csv missing or different" in failed.stderr
    assert "run: python scripts/generate_national_registers.py" in failed.stderr


def test_the_generator_writes_what_is_committed(tmp_path, capsys):
    assert generator.main(["--output-dir", str(tmp_path)]) == 0
    for path in REGISTERS.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
    assert "Xã Liêm Thuỷ" in capsys.readouterr().err
    (tmp_path / "crosswalk_2025.csv").unlink()
    assert generator.main(["--check", "--output-dir", str(tmp_path)]) == 1


def test_the_generator_refuses_another_package_version(monkeypatch, capsys):
    monkeypatch.setattr(generator, "PACKAGE_VERSION", "1.0.3")
    assert generator.main(["--check"]) == 1
    assert "pip install --no-deps 'vietnamadminunits==1.0.3'" in capsys.readouterr().err


def test_help_does_not_load_the_registers():
    probe = ("import sys, runpy; sys.argv = ['theodoi', '--help']\n"
             "try:\n    runpy.run_module('theodoi', run_name='__main__')\n"
             "except SystemExit as exc:\n    print('exit', exc.code)\n"
             "print('theodoi.registers.national' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, stdin=subprocess.DEVNULL, timeout=60)
    # The help was shown (exit 0), and the registers were not loaded for it.
    assert result.stdout.strip().splitlines()[-2:] == ["exit 0", "False"], result.stderr


def test_going_back_gives_the_links_going_forward():
    forward = successors([u.code for u in national.units_of("06", 2024)])
    back = predecessors(sorted({link.new.code for ls in forward.values() for link in ls}))
    as_pairs = defaultdict(set)
    for links in back.values():
        for link in links:
            as_pairs[link.old.province_code].add((link.old.code, link.new.code))
    assert as_pairs["06"] == {(link.old.code, link.new.code)
                              for ls in forward.values() for link in ls}
