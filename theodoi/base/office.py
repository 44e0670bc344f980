"""The office's letterhead: who issues a report, who signs it, who receives it.

A report that goes up to the Standing Committee is laid out as a Party
document (Hướng dẫn 36-HD/VPTW, 2018): the superior and issuing bodies and
the number on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place and date on
the right, the recipients and the signature at the end.  Every line of that
frame is a setting, read from the ``office:`` section of the settings file
by :func:`office_settings_from`, so that a change of signer, of number
series or of province needs no new release.

This module is pure: no file, no clock, no python-docx.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from theodoi.base.i18n import N_


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres.  Hướng dẫn 36 fixes none; provincial
    handbooks use about 20–25 at the top and bottom, 30–35 on the left
    (the binding side) and 15–20 on the right."""

    top: float = 20
    bottom: float = 20
    left: float = 30
    right: float = 15


@dataclass(frozen=True)
class OfficeSettings:
    """The frame of a report written as a Party document, with the defaults of
    the Office of the Bắc Kạn Provincial Party Committee.

    Since 1/7/2025 Bắc Kạn is part of Thái Nguyên (Resolution
    1683/NQ-UBTVQH15): the bodies, the place and the signer are settings for
    that reason, and the defaults are those of the term of Decision
    1391-QĐ/TU (29/8/2024) that the shipped data describes.

    - ``superior_body``: first line on the left, in capitals, upright; may be
      empty (a provincial committee's own report may carry only its name).
    - ``issuing_body``: second line on the left, in bold capitals.
    - ``number``: the number and symbol as printed; the gap of spaces is left
      for the number written by hand when the report is registered (no colon
      after "Số" in a Party document).
    - ``place``: the place before the date ("Bắc Kạn, ngày 29 tháng 11 năm 2026").
    - ``document_type``: the kind of document, matching the symbol of
      ``number`` ("BC": báo cáo).
    - ``signer_authority``, ``signer_title``, ``signer_name``: the signature
      block ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", a name or nothing
      when the name is written by hand).
    - ``recipients``: the lines of "Nơi nhận:", without the leading "- " and
      the closing punctuation, which are added.
    - ``template``: the office's own Word document (a path from the data
      folder), whose marks theodoi fills instead of drawing this frame.
    - ``margins_mm``, ``font``, and the sizes in points: ``body_size`` (text),
      ``title_size`` ("ĐẢNG CỘNG SẢN VIỆT NAM" and the document type),
      ``table_size`` (tables), ``recipients_size`` (the recipients' lines).
    """

    superior_body: str = "ĐẢNG BỘ TỈNH BẮC KẠN"
    issuing_body: str = "TỈNH ỦY"
    number: str = "Số    -BC/TU"
    place: str = "Bắc Kạn"
    document_type: str = "BÁO CÁO"
    signer_authority: str = "T/M BAN THƯỜNG VỤ"
    signer_title: str = "PHÓ BÍ THƯ THƯỜNG TRỰC"
    signer_name: str = ""
    recipients: tuple[str, ...] = (
        "Thường trực Tỉnh ủy (b/c)",
        "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy",
        "Lưu Văn phòng Tỉnh ủy",
    )
    margins_mm: Margins = field(default_factory=Margins)
    font: str = "Times New Roman"
    body_size: float = 14
    title_size: float = 15
    table_size: float = 13
    recipients_size: float = 12
    template: str = ""  # the office's own .docx, filled at its marks (theodoi.render.template)


_TEXT_KEYS = ("superior_body", "issuing_body", "number", "place", "document_type",
              "signer_authority", "signer_title", "signer_name", "font", "template")
_SIZE_KEYS = ("body_size", "title_size", "table_size", "recipients_size")
_MARGIN_SIDES = ("top", "bottom", "left", "right")
KNOWN_KEYS = (*_TEXT_KEYS, "recipients", "margins_mm", *_SIZE_KEYS)


def office_settings_from(mapping: Any) -> tuple[OfficeSettings, list[tuple[str, str]]]:
    """The settings described by ``mapping`` (the ``office:`` section of the
    settings file, as loaded from YAML), and the problems found in it as
    ``(key, message)`` pairs.

    Missing keys keep their defaults; an unknown key or a value of the wrong
    type is reported and the default kept, so that a typo never stops a
    report.  Text is stored in NFC without surrounding spaces; an empty value
    (``signer_name:`` with nothing after it) is empty text.  ``margins_mm``
    may give only some sides.  Keys of ``margins_mm`` are reported as
    ``margins_mm.top`` and so on.  The message of a value of the wrong kind
    is a gettext msgid, translated where it is shown; an unknown key (see
    :func:`is_unknown_key`) is said in English with the known keys.
    """
    defaults = OfficeSettings()
    if mapping is None:
        return defaults, []
    if not isinstance(mapping, Mapping):
        return defaults, [("office", N_("must be a mapping of settings (key: value)"))]
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    for key, value in mapping.items():
        name = str(key)
        if name in _TEXT_KEYS:
            text = _text(value)
            if text is None:
                problems.append((name, N_("must be text")))
            elif name == "font" and not text:
                problems.append((name, N_("must name a font")))
            else:
                values[name] = text
        elif name == "recipients":
            recipients = _text_list(value)
            if recipients is None:
                problems.append((name, N_("must be a list of text, one recipient a line")))
            else:
                values[name] = recipients
        elif name == "margins_mm":
            margins, margin_problems = _margins(value, defaults.margins_mm)
            values[name] = margins
            problems.extend(margin_problems)
        elif name in _SIZE_KEYS:
            if _number(value) and 4 <= value <= 72:
                values[name] = value
            else:
                problems.append((name, N_("must be a font size in points, from 4 to 72")))
        else:
            problems.append((name, "unknown key; the known keys are " + ", ".join(KNOWN_KEYS)))
    return dataclasses.replace(defaults, **values), problems


def is_unknown_key(key: str) -> bool:
    """Whether a key reported by :func:`office_settings_from` is one it does
    not know (a typing mistake), rather than a known key with a bad value."""
    name, _dot, side = key.partition(".")
    if name == "margins_mm" and side:
        return side not in _MARGIN_SIDES
    return name not in (*KNOWN_KEYS, "office")


def _text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return None


def _text_list(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        return None
    texts = [_text(item) for item in value]
    if any(text is None for text in texts):
        return None
    return tuple(text for text in texts if text)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _margins(value: Any, default: Margins) -> tuple[Margins, list[tuple[str, str]]]:
    if not isinstance(value, Mapping):
        return default, [("margins_mm", N_("must be a mapping of top, bottom, left and right "
                                           "in millimetres"))]
    problems: list[tuple[str, str]] = []
    sides: dict[str, float] = {}
    for key, side in value.items():
        name = f"margins_mm.{key}"
        if key not in _MARGIN_SIDES:
            problems.append((name, "unknown side; the sides are " + ", ".join(_MARGIN_SIDES)))
        elif _number(side) and 0 <= side <= 100:
            sides[str(key)] = side
        else:
            problems.append((name, N_("must be a number of millimetres, from 0 to 100")))
    return dataclasses.replace(default, **sides), problems


def vietnamese_date_line(place: str, day: date | None) -> str:
    """"Bắc Kạn, ngày 29 tháng 11 năm 2026": the place and date of a document.

    The research note on Hướng dẫn 36 says nothing about leading zeros, so
    the common practice of Vietnamese documents is followed: a day below 10
    and the months 1 and 2 are written with a leading zero ("ngày 05 tháng
    02 năm 2026", but "tháng 3"), so that no digit can be added by hand.
    Without a day, gaps are left for the date written by hand at signing.
    """
    if day is None:
        return f"{place}, ngày      tháng      năm      "
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(pattern: str, number: str | None) -> str:
    """The number line with ``number`` in the gap left for it: "Số    -BC/TU"
    and "123" give "Số 123-BC/TU".  Without a number the gap stays, for the
    number written by hand when the document is registered."""
    if not number:
        return pattern
    gap = _GAP.search(pattern)
    if gap is None:
        raise ValueError(f"the number pattern {pattern!r} has no gap (two spaces or more) "
                         "for the number")
    return f"{pattern[:gap.start()]} {number.strip()}{pattern[gap.end():]}"


_GAP = re.compile(r" {2,}")


def office_identity(province_name: str) -> dict[str, str]:
    """The lines of the letterhead that name the province, for the Party
    committee of ``province_name`` as the national registers write it
    ("Tỉnh Thái Nguyên", "Thành phố Hà Nội"): the superior body ("ĐẢNG BỘ
    TỈNH THÁI NGUYÊN"), the issuing body ("TỈNH ỦY", a city's "THÀNH ỦY") and
    the place of the date line ("Thái Nguyên").  A provincial committee dates
    its documents with the province's own name, its seat's in the provinces
    named after their seat.  The keys are those of ``settings.office``."""
    name = unicodedata.normalize("NFC", province_name).strip()
    kind, place = "Tỉnh", name
    for prefix in ("Thành phố", "Tỉnh"):
        if name.casefold().startswith(prefix.casefold() + " "):
            kind, place = prefix, name[len(prefix) + 1:].strip()
            break
    committee = "THÀNH ỦY" if kind == "Thành phố" else "TỈNH ỦY"
    return {"superior_body": f"ĐẢNG BỘ {kind.upper()} {place.upper()}",
            "issuing_body": committee, "place": place}


def place_is_of(place: str, province_name: str) -> bool:
    """Whether the date line's ``place`` names the province ``province_name``
    (accents, case and the word "Tỉnh" aside)."""
    from theodoi.base.textnorm import fold

    wanted = fold(office_identity(province_name)["place"])
    return bool(place.strip()) and fold(place) == wanted
