"""Search the registers for ``commune list --search`` and ``cadre list --search``.

The same reading as the lookups of ``visit add`` (:mod:`theodoi.registers.lookup`): no
case, no diacritics, đ = d, "xã/phường/thị trấn" optional or abbreviated
("TT", "P."), a district's name for its units, spaces optional.  A lookup wants
one answer; a search lists every commune or cadre the text fits: the ones
``visit add`` would take first, then those whose name holds the text.
Pure: no files, no printing.
"""

from __future__ import annotations

from collections.abc import Mapping

from theodoi.base.model import Cadre, Commune
from theodoi.base.textnorm import fold, nfc
from theodoi.registers.lookup import communes_holding, communes_named


def search_communes(communes: Mapping[str, Commune], query: str | None) -> list[Commune]:
    """By code (its first digits: "020" gives 02008, 02011...) or by name, with
    an optional district after a comma ("dai sao, cho don"); all of them for
    no text.  What ``visit add`` would take comes first (one commune, those of
    one name, or every unit of a district named: "Chợ Mới", "TP Bắc Kạn"),
    then the communes whose name holds the text, by code."""
    text = nfc(query or "").strip()
    everything = sorted(communes.values(), key=lambda c: c.code)
    if not text:
        return everything
    if text.isdigit():
        code = text.zfill(5) if len(text) < 5 and text.zfill(5) in communes else text
        return [c for c in everything if c.code.startswith(code)]
    found = {id(c): c for c in communes_named(everything, text)}
    found.update((id(c), c) for c in communes_holding(everything, text))
    return list(found.values())


def search_cadres(cadres: Mapping[str, Cadre], query: str | None) -> list[Cadre]:
    """By id (any case; its start: "CB07" gives CB070 to CB079), by name or by
    agency ("so tai chinh"); all of them for no text.  An exact id or name
    first, then by id."""
    text = nfc(query or "").strip()
    everything = sorted(cadres.values(), key=lambda c: c.id)
    if not text:
        return everything
    key = fold(text)
    found = [c for c in everything
             if c.id.casefold().startswith(text.casefold()) or key in fold(c.name)
             or key in fold(c.agency)]
    return sorted(found, key=lambda c: (c.id.casefold() != text.casefold()
                                        and fold(c.name) != key, c.id))
