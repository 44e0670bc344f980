"""Messages in Vietnamese by default, English on request, via gettext.

Message ids in the code are English.  Each area of the tool keeps its own
catalog (``locale/vi/LC_MESSAGES/<domain>.po``, compiled to ``.mo`` by
``scripts/compile_catalogs.py``) so that areas can grow independently; all
of them are chained into one translation at start-up.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _load(language: str) -> gettext.NullTranslations:
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    chain: gettext.NullTranslations | None = None
    for path in sorted(folder.glob("*.mo")) if folder.is_dir() else []:
        try:
            with path.open("rb") as fh:
                catalog = gettext.GNUTranslations(fh)
        except (OSError, ValueError):
            continue  # an unreadable catalog costs its translations, not the command
        if chain is None:
            chain = catalog
        else:
            chain.add_fallback(catalog)
    return chain or gettext.NullTranslations()


def resolve_language(requested: str | None) -> str:
    """The --lang option wins, then THEODOI_LANG, then Vietnamese."""
    for candidate in (requested, os.environ.get("THEODOI_LANG")):
        if candidate:
            code = candidate.strip().lower().replace("_", "-").split("-")[0]
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    global _current, _language
    _language = language
    _current = gettext.NullTranslations() if language == "en" else _load(language)


def language() -> str:
    return _language


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for translation later (stored as a template)."""
    return message


set_language(resolve_language(None))
