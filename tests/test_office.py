"""The office's letterhead settings: defaults, the ``office:`` section read
from a plain mapping with its problems, the date line and the number line."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
import yaml

from theodoi.base.office import (
    Margins,
    OfficeSettings,
    number_line,
    office_settings_from,
    vietnamese_date_line,
)


def test_defaults_are_bac_kan() -> None:
    office = OfficeSettings()
    assert (office.superior_body, office.issuing_body, office.place) == (
        "ĐẢNG BỘ TỈNH BẮC KẠN", "TỈNH ỦY", "Bắc Kạn")
    assert office.number == "Số    -BC/TU"
    assert (office.signer_authority, office.signer_title, office.signer_name) == (
        "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "")
    assert office.recipients == ("Thường trực Tỉnh ủy (b/c)",
                                 "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy",
                                 "Lưu Văn phòng Tỉnh ủy")
    assert office.margins_mm == Margins(top=20, bottom=20, left=30, right=15)
    assert (office.font, office.body_size, office.title_size) == ("Times New Roman", 14, 15)
    for text in (office.superior_body, office.issuing_body, *office.recipients):
        assert unicodedata.is_normalized("NFC", text)


def test_a_settings_section_from_yaml() -> None:
    section = yaml.safe_load("""
superior_body: ĐẢNG BỘ TỈNH THÁI NGUYÊN
issuing_body: "  TỈNH ỦY  "
place: Thái Nguyên
number: Số      -BC/TU
signer_name: Nguyễn Văn A
recipients:
  - Ban Bí thư (để báo cáo)
  - Lưu Văn phòng Tỉnh ủy
margins_mm: {left: 35, right: 20}
body_size: 13
""")
    office, problems = office_settings_from(section)
    assert problems == []
    assert office.superior_body == "ĐẢNG BỘ TỈNH THÁI NGUYÊN"
    assert office.issuing_body == "TỈNH ỦY"
    assert office.place == "Thái Nguyên" and office.signer_name == "Nguyễn Văn A"
    assert office.recipients == ("Ban Bí thư (để báo cáo)", "Lưu Văn phòng Tỉnh ủy")
    assert office.margins_mm == Margins(top=20, bottom=20, left=35, right=20)
    assert office.body_size == 13 and office.title_size == 15
    assert office.signer_title == "PHÓ BÍ THƯ THƯỜNG TRỰC"  # not given: the default


def test_text_is_stored_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Bắc Kạn")
    office, problems = office_settings_from({"place": decomposed, "signer_name": None})
    assert problems == [] and office.place == "Bắc Kạn" and office.signer_name == ""


def test_problems_keep_the_defaults() -> None:
    office, problems = office_settings_from({
        "superior_body": 12, "issuing": "TỈNH ỦY", "recipients": "Lưu Văn phòng",
        "margins_mm": {"top": "2cm", "inner": 30, "left": 32}, "body_size": True,
        "title_size": 200, "font": "",
    })
    assert problems == [
        ("superior_body", "must be text"),
        ("issuing", "unknown key; the known keys are superior_body, issuing_body, number, "
                    "place, document_type, signer_authority, signer_title, signer_name, font, "
                    "template, recipients, margins_mm, body_size, title_size, table_size, "
                    "recipients_size"),
        ("recipients", "must be a list of text, one recipient a line"),
        ("margins_mm.top", "must be a number of millimetres, from 0 to 100"),
        ("margins_mm.inner", "unknown side; the sides are top, bottom, left, right"),
        ("body_size", "must be a font size in points, from 4 to 72"),
        ("title_size", "must be a font size in points, from 4 to 72"),
        ("font", "must name a font"),
    ]
    defaults = OfficeSettings()
    assert office.superior_body == defaults.superior_body
    assert office.recipients == defaults.recipients
    assert office.margins_mm == Margins(top=20, bottom=20, left=32, right=15)
    assert (office.body_size, office.title_size, office.font) == (14, 15, "Times New Roman")


@pytest.mark.parametrize("section", [["place: x"], "place: x", 3])
def test_not_a_mapping(section: object) -> None:
    office, problems = office_settings_from(section)
    assert office == OfficeSettings()
    assert problems == [("office", "must be a mapping of settings (key: value)")]


def test_no_section() -> None:
    assert office_settings_from(None) == (OfficeSettings(), [])
    assert office_settings_from({"margins_mm": 25})[1] == [
        ("margins_mm", "must be a mapping of top, bottom, left and right in millimetres")]


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        OfficeSettings().place = "Thái Nguyên"  # type: ignore[misc]


@pytest.mark.parametrize(("day", "line"), [
    (date(2026, 11, 29), "Bắc Kạn, ngày 29 tháng 11 năm 2026"),
    (date(2026, 2, 5), "Bắc Kạn, ngày 05 tháng 02 năm 2026"),
    (date(2026, 1, 10), "Bắc Kạn, ngày 10 tháng 01 năm 2026"),
    (date(2026, 3, 9), "Bắc Kạn, ngày 09 tháng 3 năm 2026"),
    (date(2025, 12, 1), "Bắc Kạn, ngày 01 tháng 12 năm 2025"),
])
def test_date_line(day: date, line: str) -> None:
    assert vietnamese_date_line("Bắc Kạn", day) == line


def test_date_line_left_for_the_pen() -> None:
    assert vietnamese_date_line("Thái Nguyên", None) == \
        "Thái Nguyên, ngày      tháng      năm      "


def test_number_line() -> None:
    assert number_line("Số    -BC/TU", None) == "Số    -BC/TU"
    assert number_line("Số    -BC/TU", "123") == "Số 123-BC/TU"
    assert number_line("Số  -TB/VPTU", " 45 ") == "Số 45-TB/VPTU"
    with pytest.raises(ValueError, match="no gap"):
        number_line("Số -BC/TU", "123")
