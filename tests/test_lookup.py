"""theodoi.registers.lookup: communes, cadres and kinds of visit found as a clerk types them."""

from __future__ import annotations

import csv
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from conftest import SHIPPED_DATA

from theodoi.base.model import Cadre, Commune, Registers
from theodoi.base.problems import TheodoiError
from theodoi.registers.loader import load_registers
from theodoi.registers.lookup import (
    DISTRICT_SEATS,
    LookupFailed,
    commune_key,
    communes_named,
    find_cadre,
    find_commune,
    find_kind,
    find_unit,
)
from theodoi.registers.national import units_of

REGISTERS = load_registers(SHIPPED_DATA).registers


@pytest.mark.parametrize("typed", [
    "02068", "2068", "dai sao", "Đại Sảo", "xa dai sao", "Xã Đại Sảo", "  XÃ  ĐẠI   SẢO ",
    unicodedata.normalize("NFD", "Đại Sảo"), unicodedata.normalize("NFD", "xã đại sảo"),
    "Đại Sảo, Chợ Đồn", "dai sao, huyen cho don",
])
def test_dai_sao_however_it_is_typed(typed: str) -> None:
    assert find_commune(REGISTERS.communes, typed).code == "02068"


@pytest.mark.parametrize(("typed", "code"), [
    ("hoa muc", "02098"),        # the shipped name is "Hoà Mục" (old tone placement)
    ("Hòa Mục", "02098"),        # new tone placement
    ("Hoà Mục", "02098"),
    ("trung hòa", "01948"),
    ("Liêm Thủy", "02197"),      # shipped as "Liêm Thuỷ"
    ("thi tran cho ra", "01888"),
    ("cho ra", "01888"),
    ("phuong song cau", "01837"),
    ("xa song cau", "01837"),    # the wrong unit word is forgiven when the name is unique
])
def test_tone_placement_and_unit_words_do_not_matter(typed: str, code: str) -> None:
    assert find_commune(REGISTERS.communes, typed).code == code


def test_unknown_commune_lists_the_closest_by_folded_name() -> None:
    with pytest.raises(LookupFailed) as caught:
        find_commune(REGISTERS.communes, "dai sa")
    assert caught.value.candidates[0] == "02068 Xã Đại Sảo (Huyện Chợ Đồn)"
    assert "không tìm thấy xã nào khớp với 'dai sa'" in caught.value.message("vi")
    assert "02068 Xã Đại Sảo (Huyện Chợ Đồn)" in caught.value.message("vi")


def test_nothing_close_at_all_says_what_to_type() -> None:
    with pytest.raises(LookupFailed) as caught:
        find_commune(REGISTERS.communes, "zzzz")
    assert caught.value.candidates == []
    assert "02068" in caught.value.message("vi")  # the example of a code


def test_unknown_code_is_named() -> None:
    with pytest.raises(LookupFailed) as caught:
        find_commune(REGISTERS.communes, "99999")
    assert caught.value.message("vi") == "không có xã nào mang mã 99999"


def _commune(code: str, name: str, district: str) -> Commune:
    return Commune(code, name, "xã", code[:3], district)


def test_same_name_in_two_districts_is_ambiguous_until_the_district_is_given() -> None:
    communes = {c.code: c for c in (_commune("00001", "Xã Quang Thuận", "Huyện Bạch Thông"),
                                    _commune("00002", "Xã Quang Thuận", "Huyện Na Rì"),
                                    _commune("00003", "Xã Quang Phong", "Huyện Na Rì"))}
    with pytest.raises(LookupFailed) as caught:
        find_commune(communes, "quang thuan")
    assert caught.value.candidates == ["00001 Xã Quang Thuận (Huyện Bạch Thông)",
                                       "00002 Xã Quang Thuận (Huyện Na Rì)"]
    assert "khớp với nhiều xã" in caught.value.message("vi")
    assert find_commune(communes, "Quang Thuận, Na Rì").code == "00002"
    assert find_commune(communes, "00001").code == "00001"


def test_exact_unit_word_wins_over_the_same_name_of_another_unit() -> None:
    communes = {c.code: c for c in (_commune("00001", "Xã Phủ Thông", "Huyện Bạch Thông"),
                                    _commune("00002", "Thị trấn Phủ Thông", "Huyện Bạch Thông"))}
    assert find_commune(communes, "thi tran phu thong").code == "00002"
    assert find_commune(communes, "Xã Phủ Thông").code == "00001"
    with pytest.raises(LookupFailed):
        find_commune(communes, "phu thong")


# --- what clerks type: abbreviations, missing spaces, districts, seats (issue 10) ---------

def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _candidates(communes: dict[str, Commune], typed: str) -> list[str]:
    with pytest.raises(LookupFailed) as caught:
        find_commune(communes, typed)
    return caught.value.candidates


def _register(*rows: tuple[str, str, str, str]) -> dict[str, Commune]:
    """(code, name, district code, district name) rows; the kind from the name."""
    kinds = {"Xã": "xã", "Phường": "phường", "Thị": "thị trấn", "Đặc": "đặc khu"}
    return {code: Commune(code, name, kinds[name.split()[0]], district_code, district)
            for code, name, district_code, district in rows}


@pytest.mark.parametrize(("typed", "code"), [
    # the unit kind abbreviated, with or without its dot and space, any case
    ("TT Dong Tam", "02086"), ("T.T. Đồng Tâm", "02086"), ("tt.dong tam", "02086"),
    ("TT. ĐỒNG TÂM", "02086"), (_nfd("TT Đồng Tâm"), "02086"), ("đồng tâm", "02086"),
    ("P. Duc Xuan", "01840"), ("P.Đức Xuân", "01840"), ("p duc xuan", "01840"),
    ("X. Dai Sao", "02068"), ("x dai sao", "02068"),
    # "thị trấn <district>": the district's only town
    ("thi tran Cho Moi", "02086"), ("TT Cho Moi", "02086"), ("Thị trấn Chợ Mới", "02086"),
    (_nfd("thị trấn Chợ Mới"), "02086"), ("TT Chợ Đồn", "02020"), ("thi tran Na Ri", "02155"),
    ("TT Bach Thong", "01969"), ("TT. Ba Bể", "01888"),
    # spaces missing or doubled
    ("daisao", "02068"), ("DaiSao", "02068"), ("dai  sao", "02068"), ("xadaisao", "02068"),
    ("ttdongtam", "02086"), ("pducxuan", "01840"), ("ChoRa", "01888"),
    # the district after a comma, a dash, in brackets or after a space
    ("Dai Sao, Cho Don", "02068"), ("Xã Đại Sảo, H. Chợ Đồn", "02068"),
    ("daisao, chodon", "02068"), ("Dai Sao Cho Don", "02068"), ("Dai Sao - H. Cho Don", "02068"),
    ("Đại Sảo – Huyện Chợ Đồn", "02068"), ("Đại Sảo (Huyện Chợ Đồn)", "02068"),
    ("Song Cau, TP Bac Kan", "01837"), ("song cau tp. bac kan", "01837"),
    # a wrong kind is forgiven when the name is unique
    ("TT Dai Sao", "02068"), ("P. Dai Sao", "02068"), ("X. Song Cau", "01837"),
])
def test_what_clerks_type_on_the_shipped_registers(typed: str, code: str) -> None:
    assert find_commune(REGISTERS.communes, typed).code == code


CHO_MOI = [
    "02086 Thị trấn Đồng Tâm (Huyện Chợ Mới)",  # the seat first: the district's town
    "02089 Xã Tân Sơn (Huyện Chợ Mới)", "02092 Xã Thanh Vận (Huyện Chợ Mới)",
    "02095 Xã Mai Lạp (Huyện Chợ Mới)", "02098 Xã Hoà Mục (Huyện Chợ Mới)",
    "02101 Xã Thanh Mai (Huyện Chợ Mới)", "02104 Xã Cao Kỳ (Huyện Chợ Mới)",
    "02107 Xã Nông Hạ (Huyện Chợ Mới)", "02110 Xã Yên Cư (Huyện Chợ Mới)",
    "02113 Xã Thanh Thịnh (Huyện Chợ Mới)", "02116 Xã Yên Hân (Huyện Chợ Mới)",
    "02122 Xã Như Cố (Huyện Chợ Mới)", "02125 Xã Bình Văn (Huyện Chợ Mới)",
    "02131 Xã Quảng Chu (Huyện Chợ Mới)",
]


@pytest.mark.parametrize("typed", ["Cho Moi", "Huyện Chợ Mới", "H. Cho Moi", "h cho moi",
                                   "chomoi", "H.ChoMoi", _nfd("CHỢ MỚI")])
def test_a_district_alone_lists_its_units_with_the_seat_first(typed: str) -> None:
    assert _candidates(REGISTERS.communes, typed) == CHO_MOI


def test_a_district_alone_is_an_ambiguity_in_vietnamese_too() -> None:
    with pytest.raises(LookupFailed) as caught:
        find_commune(REGISTERS.communes, "Cho Moi")
    assert caught.value.message("vi").startswith("'Cho Moi' khớp với nhiều xã")
    assert "\n  02086 Thị trấn Đồng Tâm (Huyện Chợ Mới)\n" in caught.value.message("vi")


@pytest.mark.parametrize("typed", ["TP Bac Kan", "T.P. Bắc Kạn", "Tp. Bắc Kạn",
                                   "Thành phố Bắc Kạn", "bac kan", "H. Bac Kan"])
def test_a_city_lists_its_wards_first(typed: str) -> None:
    assert _candidates(REGISTERS.communes, typed) == [
        "01834 Phường Nguyễn Thị Minh Khai (Thành phố Bắc Kạn)",
        "01837 Phường Sông Cầu (Thành phố Bắc Kạn)", "01840 Phường Đức Xuân (Thành phố Bắc Kạn)",
        "01843 Phường Phùng Chí Kiên (Thành phố Bắc Kạn)",
        "01846 Phường Huyền Tụng (Thành phố Bắc Kạn)", "01855 Phường Xuất Hóa (Thành phố Bắc Kạn)",
        "01849 Xã Dương Quang (Thành phố Bắc Kạn)", "01852 Xã Nông Thượng (Thành phố Bắc Kạn)"]


@pytest.mark.parametrize(("typed", "first", "count"), [
    ("H. Cho Don", "02020 Thị trấn Bằng Lũng (Huyện Chợ Đồn)", 20),
    ("Bach Thong", "01969 Thị trấn Phủ Thông (Huyện Bạch Thông)", 14),
    ("Na Ri", "02155 Thị trấn Yến Lạc (Huyện Na Rì)", 17),
    ("Ba Be", "01888 Thị trấn Chợ Rã (Huyện Ba Bể)", 15),
    ("Pac Nam", "01858 Xã Bằng Thành (Huyện Pác Nặm)", 10),  # no town: by code
    ("TT Pac Nam", "01858 Xã Bằng Thành (Huyện Pác Nặm)", 10),  # so "TT" is forgiven
])
def test_each_district_of_the_shipped_registers(typed: str, first: str, count: int) -> None:
    candidates = _candidates(REGISTERS.communes, typed)
    assert (candidates[0], len(candidates)) == (first, count)
    district = first[first.index("("):]
    assert all(line.endswith(district) for line in candidates)


def test_ngan_son_has_two_towns_and_its_seat_is_van_tung() -> None:
    assert _candidates(REGISTERS.communes, "TT Ngan Son") == [
        "01954 Thị trấn Vân Tùng (Huyện Ngân Sơn)", "01936 Thị trấn Nà Phặc (Huyện Ngân Sơn)"]
    assert _candidates(REGISTERS.communes, "Ngân Sơn")[:3] == [
        "01954 Thị trấn Vân Tùng (Huyện Ngân Sơn)", "01936 Thị trấn Nà Phặc (Huyện Ngân Sơn)",
        "01939 Xã Thượng Ân (Huyện Ngân Sơn)"]


def test_the_seat_table_agrees_with_the_registers() -> None:
    # Each row is a town of its district, in a district with more than one
    # town (else "the only thị trấn" already says it), on the shipped registers
    # and on the national one; the unit made of it in 2025 bears the district's name.
    shipped = {c.code: c for c in REGISTERS.communes.values()}
    national = {u.code: u for u in units_of("06", 2024)}
    after = {u.code: u for u in units_of("19", 2025)}
    for district_code, seat in DISTRICT_SEATS.items():
        for register in (shipped, national):
            unit = register[seat]
            assert (unit.district_code, unit.kind) == (district_code, "thị trấn")
            towns = [u for u in register.values()
                     if u.district_code == district_code and u.kind == "thị trấn"]
            assert len(towns) > 1
        district = shipped[seat].district_name.removeprefix("Huyện ")
        assert after[seat].name == f"Xã {district}"
    assert shipped["01954"].name == "Thị trấn Vân Tùng"


@pytest.mark.parametrize(("typed", "first"), [
    ("Dong Tamm", "02086 Thị trấn Đồng Tâm (Huyện Chợ Mới)"),
    ("TT Dong Tamm", "02086 Thị trấn Đồng Tâm (Huyện Chợ Mới)"),
    ("Cho Moii", "02086 Thị trấn Đồng Tâm (Huyện Chợ Mới)"),
    ("H. Cho Moii", "02086 Thị trấn Đồng Tâm (Huyện Chợ Mới)"),
    ("Bac Thong", "01969 Thị trấn Phủ Thông (Huyện Bạch Thông)"),
    ("daisa", "02068 Xã Đại Sảo (Huyện Chợ Đồn)"),
])
def test_the_closest_offer_the_commune_or_the_district_meant(typed: str, first: str) -> None:
    assert _candidates(REGISTERS.communes, typed)[0] == first


def test_a_misspelt_district_offers_its_seat_then_its_communes() -> None:
    assert _candidates(REGISTERS.communes, "Cho Moii") == CHO_MOI[:5]
    with pytest.raises(LookupFailed) as caught:
        find_commune(REGISTERS.communes, "Cho Moii")
    assert caught.value.check.code == "commune-not-found"


def test_a_weak_likeness_to_a_district_does_not_flood_the_closest() -> None:
    # "ha noi" is about as near "cho moi" as to any name: no district's units for it.
    assert _candidates(REGISTERS.communes, "Ha Noi") == [
        "01906 Xã Khang Ninh (Huyện Ba Bể)", "01897 Xã Hà Hiệu (Huyện Ba Bể)"]


def test_a_district_with_two_towns_and_a_city_with_wards() -> None:
    communes = _register(
        ("00003", "Xã Thường Phước", "873", "Huyện Hồng Ngự"),
        ("00002", "Thị trấn Thường Thới Tiền", "873", "Huyện Hồng Ngự"),
        ("00001", "Thị trấn Thường Lạc", "873", "Huyện Hồng Ngự"),
        ("00005", "Xã Bình Thạnh", "869", "Thành phố Hồng Ngự"),
        ("00004", "Phường An Lạc", "869", "Thành phố Hồng Ngự"),
    )
    town = ["00001 Thị trấn Thường Lạc (Huyện Hồng Ngự)",
            "00002 Thị trấn Thường Thới Tiền (Huyện Hồng Ngự)"]
    city = ["00004 Phường An Lạc (Thành phố Hồng Ngự)", "00005 Xã Bình Thạnh (Thành phố Hồng Ngự)"]
    assert _candidates(communes, "TT Hong Ngu") == town  # two towns: the clerk chooses
    assert _candidates(communes, "H. Hong Ngu") == [*town, "00003 Xã Thường Phước (Huyện Hồng Ngự)"]
    assert _candidates(communes, "TP Hong Ngu") == city
    assert _candidates(communes, "Hồng Ngự") == [  # two districts, by district code
        *city, *town, "00003 Xã Thường Phước (Huyện Hồng Ngự)"]
    assert _candidates(communes, "TX Hong Ngu") == _candidates(communes, "Hồng Ngự")  # forgiven
    assert find_commune(communes, "P. Hong Ngu").code == "00004"  # the city's only ward
    assert find_commune(communes, "An Lac Hong Ngu").code == "00004"


def test_a_seat_in_the_table_comes_before_a_lower_code() -> None:
    communes = _register(("01936", "Thị trấn Nà Phặc", "062", "Huyện Ngân Sơn"),
                         ("01939", "Xã Thượng Ân", "062", "Huyện Ngân Sơn"),
                         ("01954", "Thị trấn Vân Tùng", "062", "Huyện Ngân Sơn"))
    assert _candidates(communes, "Ngan Son") == ["01954 Thị trấn Vân Tùng (Huyện Ngân Sơn)",
                                                 "01936 Thị trấn Nà Phặc (Huyện Ngân Sơn)",
                                                 "01939 Xã Thượng Ân (Huyện Ngân Sơn)"]


# A province after 1/7/2025: no districts; "đặc khu" is a kind of unit.
AFTER_REFORM = _register(("02086", "Xã Chợ Mới", "", ""), ("01843", "Phường Bắc Kạn", "", ""),
                         ("01840", "Phường Đức Xuân", "", ""),
                         ("31078", "Đặc khu Phú Quốc", "", ""),
                         ("00226", "Phường Văn Miếu - Quốc Tử Giám", "", ""))


@pytest.mark.parametrize(("typed", "code"), [
    ("Cho Moi", "02086"), ("thi tran Cho Moi", "02086"), ("TT Cho Moi", "02086"),
    ("chomoi", "02086"), ("ĐK Phú Quốc", "31078"), ("dk phu quoc", "31078"),
    ("Đ.K. Phú Quốc", "31078"), ("Đặc khu Phú Quốc", "31078"), ("dkphuquoc", "31078"),
    ("P. Bac Kan", "01843"), ("Van Mieu Quoc Tu Giam", "00226"),
    ("Văn Miếu – Quốc Tử Giám", "00226"), ("vanmieuquoctugiam", "00226"),
])
def test_after_the_reform(typed: str, code: str) -> None:
    assert find_commune(AFTER_REFORM, typed).code == code


def test_after_the_reform_a_former_district_is_not_a_ward() -> None:
    # "TP Bắc Kạn" was a city; Phường Bắc Kạn is one of its parts: offered, not taken.
    assert _candidates(AFTER_REFORM, "TP Bac Kan") == ["01843 Phường Bắc Kạn"]
    assert _candidates(AFTER_REFORM, "Dai Sao, Cho Don") == []


def test_names_that_meet_without_spaces_are_ambiguous() -> None:
    communes = _register(("00001", "Xã Na Mô", "001", "Huyện Một"),
                         ("00002", "Xã Nam Ô", "002", "Huyện Hai"),
                         ("00003", "Xã Đại Sảo", "001", "Huyện Một"),
                         ("00004", "Xã Đại Sảo", "002", "Huyện Hai"))
    assert _candidates(communes, "namo") == ["00001 Xã Na Mô (Huyện Một)",
                                             "00002 Xã Nam Ô (Huyện Hai)"]
    assert find_commune(communes, "na mo").code == "00001"  # as typed, before no spaces
    assert find_commune(communes, "Nam O").code == "00002"
    assert _candidates(communes, "daisao") == ["00003 Xã Đại Sảo (Huyện Một)",
                                               "00004 Xã Đại Sảo (Huyện Hai)"]
    assert find_commune(communes, "daisao, hai").code == "00004"
    assert find_commune(communes, "Dai Sao Huyen Mot").code == "00003"


def test_a_kind_typed_chooses_between_names_without_spaces() -> None:
    communes = _register(("00001", "Xã Phủ Thông", "063", "Huyện Bạch Thông"),
                         ("00002", "Thị trấn Phủ Thông", "063", "Huyện Bạch Thông"))
    assert find_commune(communes, "TT Phu Thong").code == "00002"
    assert find_commune(communes, "X. Phu Thong").code == "00001"
    assert find_commune(communes, "ttphuthong").code == "00002"
    assert find_commune(communes, "xaphuthong").code == "00001"
    assert len(_candidates(communes, "phuthong")) == 2


def test_a_name_is_read_as_typed_before_its_first_word_is_a_kind() -> None:
    # "Quan" is also "quận": Xã Quan Sơn is a commune's name, Huyện Quan Sơn a district.
    communes = _register(("00001", "Xã Quan Sơn", "001", "Huyện Quan Hóa"),
                         ("00002", "Thị trấn Sơn Lư", "002", "Huyện Quan Sơn"),
                         ("00003", "Xã Tam Lư", "002", "Huyện Quan Sơn"))
    assert find_commune(communes, "Quan Son").code == "00001"
    assert _candidates(communes, "H. Quan Son") == ["00002 Thị trấn Sơn Lư (Huyện Quan Sơn)",
                                                    "00003 Xã Tam Lư (Huyện Quan Sơn)"]
    # A town was asked for: the town of Huyện Quan Sơn fits as typed, Xã Quan Sơn forgiven.
    assert _candidates(communes, "TT Quan Son") == ["00002 Thị trấn Sơn Lư (Huyện Quan Sơn)",
                                                    "00001 Xã Quan Sơn (Huyện Quan Hóa)"]
    assert find_commune(communes, "X. Quan Son").code == "00001"


def test_wards_of_one_name_in_several_districts() -> None:
    communes = _register(("27160", "Phường 1", "770", "Quận 3"),
                         ("27184", "Phường 1", "771", "Quận 10"))
    assert len(_candidates(communes, "P1")) == 2
    for typed in ("Phường 1, Quận 3", "P1, Q.3", "P.1 Q.3", "phuong 1 quan 3", "P. 1 - Q. 3"):
        assert find_commune(communes, typed).code == "27160", typed


@pytest.mark.parametrize(("province", "year", "typed", "code"), [
    ("89", 2024, "TT Cho Moi", "30628"),   # An Giang: a town called Chợ Mới, in Huyện Chợ Mới
    ("89", 2024, "Cho Moi", "30628"),      # a commune's own name wins over its district's
    ("19", 2025, "thi tran Cho Moi", "02086"),  # Thái Nguyên: Xã Chợ Mới, kind forgiven
    ("01", 2025, "P. Van Mieu - Quoc Tu Giam", "00226"),
    ("91", 2025, "ĐK Phú Quốc", "31078"),
])
def test_national_registers(province: str, year: int, typed: str, code: str) -> None:
    communes = {u.code: Commune(u.code, u.name, u.kind, u.district_code, u.district_name)
                for u in units_of(province, year)}
    assert find_commune(communes, typed).code == code


def test_a_town_and_a_district_of_one_name_on_the_national_register() -> None:
    communes = {u.code: Commune(u.code, u.name, u.kind, u.district_code, u.district_name)
                for u in units_of("42", 2024)}  # Hà Tĩnh: Thị xã Kỳ Anh and Huyện Kỳ Anh
    town = _candidates(communes, "TX Ky Anh")
    district = _candidates(communes, "H. Ky Anh")
    assert {line[line.index("("):] for line in town} == {"(Thị xã Kỳ Anh)"}
    assert {line[line.index("("):] for line in district} == {"(Huyện Kỳ Anh)"}
    assert town[0].split()[1] == "Phường" and district[0].split()[1:3] == ["Thị", "trấn"]
    assert sorted(_candidates(communes, "Ky Anh")) == sorted([*town, *district])


def test_the_shipped_registers_have_no_two_names_alike_without_spaces() -> None:
    # So that "daisao" and its like never need a choice on the shipped data.
    with (SHIPPED_DATA / "communes.csv").open(encoding="utf-8") as rows:
        names = [row["name"] for row in csv.DictReader(rows)]
    assert len({"".join(commune_key(n).split()) for n in names}) == len(names)


def test_communes_named_is_empty_when_nothing_fits_exactly() -> None:
    assert communes_named(REGISTERS.communes.values(), "Dong Tamm") == []
    assert [c.code for c in communes_named(REGISTERS.communes.values(), "TT Ngan Son")] == [
        "01954", "01936"]


# Units over time: Thị trấn Đồng Tâm became part of Xã Chợ Mới (02086) on 1/7/2025.
OLD, NEW = date(2025, 6, 30), date(2025, 7, 1)
OVER_TIME = Registers(units=[
    Commune("02086", "Thị trấn Đồng Tâm", "thị trấn", "065", "Huyện Chợ Mới", until=OLD,
            successor="02086"),
    Commune("02089", "Xã Tân Sơn", "xã", "065", "Huyện Chợ Mới", until=OLD, successor="02104"),
    Commune("02086", "Xã Chợ Mới", "xã", "", "", since=NEW),
    Commune("02104", "Xã Tân Kỳ", "xã", "", "", since=NEW),
])


def test_units_over_time_are_read_as_typed() -> None:
    assert find_unit(OVER_TIME, "TT Dong Tam", date(2025, 6, 1)).name == "Thị trấn Đồng Tâm"
    assert find_unit(OVER_TIME, "thi tran Cho Moi", date(2025, 6, 1)).name == "Thị trấn Đồng Tâm"
    assert find_unit(OVER_TIME, "thi tran Cho Moi", date(2025, 9, 1)).name == "Xã Chợ Mới"
    with pytest.raises(TheodoiError) as caught:
        find_unit(OVER_TIME, "TT Dong Tam", date(2025, 9, 1))
    assert caught.value.check.code == "commune-not-in-force"
    assert caught.value.message("en") == (
        "Thị trấn Đồng Tâm (02086) does not exist on 2025-09-01: it exists until 2025-06-30; "
        "it became part of Xã Chợ Mới (02086) on 2025-07-01")


def test_a_district_on_a_day_before_the_reform_lists_its_units_of_that_day() -> None:
    # Not "Xã Chợ Mới does not exist yet": the district's units of the day fit.
    with pytest.raises(LookupFailed) as caught:
        find_unit(OVER_TIME, "Cho Moi", date(2025, 6, 1))
    assert caught.value.check.code == "commune-ambiguous"
    assert caught.value.candidates == ["02086 Thị trấn Đồng Tâm (Huyện Chợ Mới)",
                                       "02089 Xã Tân Sơn (Huyện Chợ Mới)"]


def test_a_former_district_names_no_one_former_unit() -> None:
    with pytest.raises(LookupFailed) as caught:
        find_unit(OVER_TIME, "H. Cho Moi", date(2025, 9, 1))
    assert caught.value.check.code == "commune-not-found"
    assert caught.value.candidates[0] == "02086 Xã Chợ Mới"


@pytest.mark.parametrize("typed", ["CB073", "cb073", "Hà Thị Ngần", "ha thi ngan",
                                   unicodedata.normalize("NFD", "Hà Thị Ngần"), " HA THI NGAN "])
def test_cadre_by_id_or_name(typed: str) -> None:
    assert find_cadre(REGISTERS.cadres, typed).id == "CB073"


def test_unknown_cadre_lists_the_closest() -> None:
    with pytest.raises(LookupFailed) as caught:
        find_cadre(REGISTERS.cadres, "ha thi nga")
    assert caught.value.candidates[0] == "CB073 Hà Thị Ngần (Tổng biên tập, Báo Bắc Kạn)"


def test_two_cadres_of_the_same_name_need_the_id() -> None:
    cadres = {c.id: c for c in (Cadre("CB01", "Nguyễn Văn An", "Giám đốc", "Sở Y tế"),
                                Cadre("CB02", "Nguyễn Văn An", "Phó Giám đốc", "Sở Nội vụ"))}
    with pytest.raises(LookupFailed) as caught:
        find_cadre(cadres, "nguyen van an")
    assert caught.value.candidates == ["CB01 Nguyễn Văn An (Giám đốc, Sở Y tế)",
                                       "CB02 Nguyễn Văn An (Phó Giám đốc, Sở Nội vụ)"]


@pytest.mark.parametrize(("typed", "kind"), [
    ("working", "working"), ("SURVEY", "survey"), ("khao sat", "survey"),
    ("Khảo sát", "survey"), ("lam viec", "working"), ("field", "survey"),
    ("dự hội nghị", "event"), ("khac", "other"), ("du hop ban chap hanh", "executive"),
])
def test_kind_by_key_or_the_start_of_its_label(typed: str, kind: str) -> None:
    assert find_kind(typed, "vi") == kind


def test_kind_prefix_shared_by_two_labels_is_ambiguous() -> None:
    with pytest.raises(LookupFailed) as caught:
        find_kind("du hop", "vi")
    assert [line.split(":")[0] for line in caught.value.candidates] == ["executive", "standing"]


def test_unknown_kind_lists_every_kind() -> None:
    with pytest.raises(LookupFailed) as caught:
        find_kind("picnic", "vi")
    assert len(caught.value.candidates) == 6
    assert "survey: khảo sát, nắm tình hình thực tế" in caught.value.candidates


def test_lookup_reads_no_files(tmp_path: Path) -> None:
    # Pure: a registers mapping built in memory is all it needs.
    assert find_commune({"02068": _commune("02068", "Xã Đại Sảo", "Huyện Chợ Đồn")},
                        "dai sao").name == "Xã Đại Sảo"
