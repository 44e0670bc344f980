"""Find a commune, a cadre or a visit kind from what a clerk types.

"dai sao", "Đại Sảo", "xa dai sao", "02068" and a decomposed (NFD) "Đại Sảo"
all find Xã Đại Sảo: names are compared as folded keys (no case, no
diacritics, đ = d, so old and new tone placement, "Hoà"/"Hòa", agree).
Nothing found, or several things found, raises :class:`LookupFailed` with
the closest candidates, best first.  Pure: no files, no clock, no printing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from theodoi import checks
from theodoi.checks import Check
from theodoi.i18n import N_, gettext_for
from theodoi.model import VISIT_KINDS, Cadre, Commune, Registers, unit_life
from theodoi.problems import Msg, TheodoiError
from theodoi.textnorm import fold, nfc, without_unit_prefix

MAX_CANDIDATES = 5
_DISTRICT_PREFIXES = ("huyen", "thanh pho", "thi xa")


class LookupFailed(TheodoiError):
    """Nothing matched, or several did; ``candidates`` are the closest, as lines."""

    def __init__(self, check: Check, candidates: list[str], hint: Msg | None = None,
                 **params: object):
        listing = "\n".join(f"  {line}" for line in candidates)
        if check.template.endswith("{closest}"):
            # The closest names, or with none close, what to type instead.
            params["closest"] = (Msg(N_("; the closest are:\n{candidates}"),
                                     {"candidates": listing}) if candidates else hint or "")
        else:
            params["candidates"] = listing
        super().__init__(check, None, **params)
        self.candidates = candidates


def commune_label(commune: Commune) -> str:
    """``02068 Xã Đại Sảo (Huyện Chợ Đồn)``: how a commune is named in candidate lists."""
    district = f" ({commune.district_name})" if commune.district_name else ""
    return f"{commune.code} {commune.name}{district}"


def cadre_label(cadre: Cadre) -> str:
    """``CB073 Hà Thị Ngần (Tổng biên tập, Báo Bắc Kạn)``."""
    details = ", ".join(part for part in (cadre.title, cadre.agency) if part)
    return f"{cadre.id} {cadre.name}" + (f" ({details})" if details else "")


def commune_key(name: str) -> str:
    """The matching key of a commune name: folded, without xã/phường/thị trấn."""
    return without_unit_prefix(fold(name))


def _district_key(name: str) -> str:
    key = fold(name)
    for prefix in _DISTRICT_PREFIXES:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1:]
    return key


def find_commune(communes: Mapping[str, Commune], query: str) -> Commune:
    """By GSO code ("02068", or "2068" without the leading zero) or by name.

    A district may follow a comma ("Đại Sảo, Chợ Đồn") to tell apart two
    communes of the same name.
    """
    text = nfc(query).strip()
    if not text:
        raise LookupFailed(checks.NO_COMMUNE_GIVEN, [])
    code = text.zfill(5) if text.isdigit() and len(text) < 5 else text
    if code in communes:
        return communes[code]
    if text.isdigit():
        raise LookupFailed(checks.NO_SUCH_COMMUNE_CODE, [], query=text)
    name_part, _comma, district_part = text.partition(",")
    folded = fold(name_part)
    matches = [c for c in communes.values() if fold(c.name) == folded]
    if not matches:  # "dai sao" for "Xã Đại Sảo"; "xa" typed for a ward is forgiven too
        matches = [c for c in communes.values() if commune_key(c.name) == commune_key(folded)]
    if district_part.strip():
        district = _district_key(district_part)
        matches = [c for c in matches if _district_key(c.district_name) == district]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LookupFailed(checks.COMMUNE_AMBIGUOUS,
                           [commune_label(c) for c in sorted(matches, key=lambda c: c.code)],
                           query=text)
    close = closest_keys(commune_key(folded), {c.code: (commune_key(c.name),)
                                           for c in communes.values()})
    candidates = [commune_label(communes[code]) for code in close]
    raise LookupFailed(checks.COMMUNE_NOT_FOUND, candidates, Msg(N_(
        " (give the 5-digit code or the name, e.g. 02068 or \"Đại Sảo\")")), query=text)


def find_unit(registers: Registers, query: str, day: date) -> Commune:
    """The commune a clerk means, among the units in force on ``day``; a unit
    that existed at another time is named with its dates and what it became."""
    try:
        return find_commune(registers.communes_on(day), query)
    except LookupFailed:
        if not registers.dated:
            raise
        former = _unit_at_another_time(registers, query, day)
        if former is None:
            raise
    successor: Msg | str = ""
    if former.successor and former.until is not None:
        after = registers.unit_of(former.successor, former.until + timedelta(days=1))
        if after is not None:
            successor = Msg(N_("; it became part of {name} ({code}) on {day}"), {
                "name": after.name, "code": after.code,
                "day": former.until + timedelta(days=1)})
    raise TheodoiError(checks.COMMUNE_NOT_IN_FORCE, name=former.name, code=former.code,
                       day=day, span=unit_life(former), successor=successor)


def _unit_at_another_time(registers: Registers, query: str, day: date) -> Commune | None:
    """The unit, not in force on ``day``, that the query names (by code or name)."""
    text = nfc(query).strip()
    code = text.zfill(5) if text.isdigit() and len(text) < 5 else text
    key = commune_key(text.partition(",")[0])
    found = [u for u in registers.units if not u.in_force(day)
             and (u.code == code or commune_key(u.name) == key)]
    if not found:
        return None
    return nearest_unit(registers, found[-1].code, day) if len(
        {u.code for u in found}) == 1 else found[-1]


def nearest_unit(registers: Registers, code: str, day: date) -> Commune:
    """The unit with ``code`` that ended last before ``day``, else the first after it."""
    same = sorted((u for u in registers.units if u.code == code),
                  key=lambda u: u.since or date.min)
    before = [u for u in same if (u.since or date.min) <= day]
    return before[-1] if before else same[0]


def find_cadre(cadres: Mapping[str, Cadre], query: str) -> Cadre:
    """By id (any case: "cb073") or by full name ("ha thi ngan")."""
    text = nfc(query).strip()
    if not text:
        raise LookupFailed(checks.NO_CADRE_GIVEN, [])
    if text in cadres:
        return cadres[text]
    by_id = [c for c in cadres.values() if c.id.casefold() == text.casefold()]
    matches = by_id or [c for c in cadres.values() if fold(c.name) == fold(text)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LookupFailed(checks.CADRE_AMBIGUOUS,
                           [cadre_label(c) for c in sorted(matches, key=lambda c: c.id)],
                           query=text)
    close = closest_keys(fold(text), {c.id: (fold(c.name), fold(c.id))
                                      for c in cadres.values()})
    candidates = [cadre_label(cadres[cadre_id]) for cadre_id in close]
    raise LookupFailed(checks.CADRE_NOT_FOUND, candidates, Msg(N_(
        " (give the id, e.g. CB073, or the full name)")), query=text)


def find_kind(query: str, language: str, kinds: Mapping[str, str] = VISIT_KINDS) -> str:
    """The key of a visit kind: the key itself ("survey"), or the start of its
    label in ``language`` or in English ("khao sat", "field")."""
    _ = gettext_for(language)
    text = fold(query)
    if text in kinds:
        return text
    matches = [key for key, label in kinds.items()
               if text and any(form.startswith(text) for form in (key, fold(_(label)),
                                                                   fold(label)))]
    if len(matches) == 1:
        return matches[0]
    listing = [f"{key}: {_(label)}" for key, label in kinds.items()
               if not matches or key in matches]
    if matches:
        raise LookupFailed(checks.KIND_AMBIGUOUS, listing, query=query.strip())
    raise LookupFailed(checks.KIND_NOT_FOUND, listing, query=query.strip())


def closest_keys(key: str, keys: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Ids whose keys come closest to ``key``: near spellings first (difflib),
    then keys that contain it (part of a name), at most MAX_CANDIDATES."""
    owners: dict[str, list[str]] = {}
    for ident, forms in keys.items():
        for form in forms:
            owners.setdefault(form, []).append(ident)
    import difflib  # only when a name is not found: kept off the start-up path

    near = difflib.get_close_matches(key, list(owners), n=MAX_CANDIDATES, cutoff=0.6)
    containing = sorted(form for form in owners if key and key in form)
    ordered = dict.fromkeys(ident for form in [*near, *containing] for ident in owners[form])
    return list(ordered)[:MAX_CANDIDATES]
