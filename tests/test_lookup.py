"""theodoi.lookup: communes, cadres and kinds of visit found as a clerk types them."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from conftest import SHIPPED_DATA

from theodoi.lookup import LookupFailed, find_cadre, find_commune, find_kind
from theodoi.model import Cadre, Commune
from theodoi.registers import load_registers

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
