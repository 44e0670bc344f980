"""Text normalisation: NFC for storage, folded keys for lookups.

A clerk types "dai sao" for "Đại Sảo"; the lookup key drops case and
diacritics.  "Đ"/"đ" is a letter of its own in Unicode (it has no
decomposition), so it is folded to "d" explicitly.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_D_FOLD = str.maketrans({"đ": "d", "Đ": "d"})

# Administrative prefixes a clerk may or may not type before a commune name.
UNIT_PREFIXES = ("thi tran", "phuong", "xa", "dac khu")


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
