"""Messages in Vietnamese by default, English on request, via gettext.

Message ids in the code are English.  Each area of the tool keeps its own
catalog (``locale/vi/LC_MESSAGES/<domain>.po``, compiled to ``.mo`` by
``scripts/compile_catalogs.py``); all of them are chained into one
translation per language, loaded once.

Code that renders takes the language as a parameter and translates with
:func:`gettext_for`.  The command-line layer alone sets a process-wide
language (:func:`set_language`), for the help texts it builds and the
messages it prints itself; nothing in the core reads it.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

import theodoi

# The catalogs are the package's (theodoi/locale/), wherever this module lives.
LOCALE_DIR = Path(theodoi.__file__).parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_language = DEFAULT_LANGUAGE


@cache
def translations(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
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


def gettext_for(language: str) -> Callable[[str], str]:
    """The translating function of a language: ``_ = gettext_for(language)``."""
    return translations(language).gettext


def ngettext_for(language: str) -> Callable[[str, str, int], str]:
    return translations(language).ngettext


def normalise_language(text: str) -> str | None:
    """``vi``, ``VI``, ``vi_VN.UTF-8`` -> ``vi``; None for a language not spoken."""
    code = text.strip().lower().replace("_", "-").split(".")[0].split("-")[0]
    return code if code in LANGUAGES else None


# --- the command line's own language --------------------------------------------------


def set_language(language: str) -> None:
    global _language
    _language = language


def language() -> str:
    """The language the command line runs in (only the CLI layer asks)."""
    return _language


def _(message: str) -> str:
    return translations(_language).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_language).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for translation later (stored as a template)."""
    return message


def format_date(day: date | None, language: str = "vi") -> str:
    """dd/mm/yyyy for people in Vietnamese, ISO in English and machines (a
    date is written in the reader's language, as a word is)."""
    if day is None:
        return ""
    return day.strftime("%d/%m/%Y") if language == "vi" else day.isoformat()
