"""Text normalisation: NFC for storage, folded keys for lookups.

A clerk types "dai sao" for "Đại Sảo"; the lookup key drops case and
diacritics.  "Đ"/"đ" is a letter of its own in Unicode (it has no
decomposition), so it is folded to "d" explicitly.  He also writes a unit's
kind as office papers abbreviate it ("TT. Đồng Tâm", "P.Đức Xuân", "H. Chợ
Đồn", "TP Bắc Kạn"): :func:`split_unit_kind` and :func:`split_district_kind`
read those.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"\s*[-–—]\s*")
_D_FOLD = str.maketrans({"đ": "d", "Đ": "d"})

# Administrative prefixes a clerk may or may not type before a commune name.
UNIT_PREFIXES = ("thi tran", "phuong", "xa", "dac khu")
DISTRICT_PREFIXES = ("huyen", "thanh pho", "thi xa", "quan")

# A kind's folded word -> its abbreviations in office papers, folded, without
# their dots ("T.T." and "TT." are both "tt").
UNIT_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "thi tran": ("tt",), "phuong": ("p",), "xa": ("x",), "dac khu": ("dk",)}
DISTRICT_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "huyen": ("h",), "thanh pho": ("tp",), "thi xa": ("tx",), "quan": ("q",)}


def _kind_pattern(abbreviations: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """The word followed by a space, or an abbreviation ("tp", "t.p", "tp.",
    "t.p.") followed by a space, a dot or both."""
    words = "|".join(re.escape(word) for word in abbreviations)
    short = "|".join(r"\.?".join(re.escape(letter) for letter in abbreviation)
                     for forms in abbreviations.values() for abbreviation in forms)
    return re.compile(rf"(?:(?P<word>{words}) +|(?P<short>{short})(?:\. *| +))(?P<rest>\S.*)")


_UNIT_KIND = _kind_pattern(UNIT_ABBREVIATIONS)
_DISTRICT_KIND = _kind_pattern(DISTRICT_ABBREVIATIONS)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def fold(text: str) -> str:
    """Lower-case, diacritics-free, single-spaced key for matching names."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.translate(_D_FOLD)).strip().casefold()


def without_unit_prefix(folded: str) -> str:
    """'xa dai sao' -> 'dai sao'; the input must already be folded."""
    for prefix in UNIT_PREFIXES:
        if folded.startswith(prefix + " "):
            return folded[len(prefix) + 1 :]
    return folded


def plain(text: str) -> str:
    """:func:`fold`, with dashes read as spaces: "Văn Miếu - Quốc Tử Giám" and
    "Đại Sảo - H. Chợ Đồn" as a clerk types them without the dash."""
    return fold(_DASHES.sub(" ", text))


def squeeze(key: str) -> str:
    """A key without its spaces: "daisao" and "dai  sao" both meet "dai sao"."""
    return key.replace(" ", "")


def split_unit_kind(folded: str) -> tuple[str, str]:
    """'tt. dong tam' -> ('thi tran', 'dong tam'); 'dai sao' -> ('', 'dai sao').
    The kind is given by its folded word; the input must already be folded."""
    return _split_kind(_UNIT_KIND, UNIT_ABBREVIATIONS, folded)


def split_district_kind(folded: str) -> tuple[str, str]:
    """'h. cho don' -> ('huyen', 'cho don'), 'tp bac kan' -> ('thanh pho', 'bac kan')."""
    return _split_kind(_DISTRICT_KIND, DISTRICT_ABBREVIATIONS, folded)


def _split_kind(pattern: re.Pattern[str], abbreviations: dict[str, tuple[str, ...]],
                folded: str) -> tuple[str, str]:
    found = pattern.fullmatch(folded)
    if found is None:
        return "", folded
    short = (found["short"] or "").replace(".", "")
    kind = found["word"] or next(word for word, forms in abbreviations.items() if short in forms)
    return kind, found["rest"].strip()


# What a spreadsheet takes for the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """A text cell of a CSV that theodoi writes, made inert for Excel and
    LibreOffice: one that would start a formula (``=HYPERLINK(...)``) is
    written after a ``'``, as OWASP recommends; numbers are not texts and
    keep their sign.  ``theodoi import`` takes the ``'`` off again
    (:func:`typed_text`)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def typed_text(cell: str) -> str:
    """A CSV cell's text as typed: a formula made inert by :func:`spreadsheet_text`
    loses its ``'`` again."""
    return cell[1:] if cell[:1] == "'" and cell[1:].startswith(FORMULA_STARTS) else cell


# Control characters: C0 but tab and newline, DEL, C1.  A newline is allowed in
# a stored text (a note over several lines) and in what is printed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The same, or a colour sequence (SGR) as Rich draws it on a terminal.
_CONTROL_OR_COLOUR = re.compile("\x1b\\[[0-9;]*m|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (tab included), as ``U+001B``;
    None if it has none."""
    found = _CONTROL.search(text) or (re.search("\t", text) if "\t" in text else None)
    return f"U+{ord(found.group()):04X}" if found else None


def visible(text: str, keep_colours: bool = False) -> str:
    """``text`` with each control character shown as ``\\x1b`` rather than
    acted on (a terminal escape in a note cannot clear the screen, set the
    title or fill the clipboard); tab and newline are kept, and with
    ``keep_colours`` the colour sequences a terminal renderer draws."""
    pattern = _CONTROL_OR_COLOUR if keep_colours else _CONTROL
    return pattern.sub(lambda m: m.group() if len(m.group()) > 1
                       else f"\\x{ord(m.group()):02x}", text)
