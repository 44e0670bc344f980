"""Find a commune, a cadre or a visit kind from what a clerk types.

"dai sao", "Đại Sảo", "xa dai sao", "X. Đại Sảo", "daisao", "02068" and a
decomposed (NFD) "Đại Sảo" all find Xã Đại Sảo: names are compared as folded
keys (no case, no diacritics, đ = d, so old and new tone placement,
"Hoà"/"Hòa", agree), with the kinds of unit and of district read in words or
abbreviated (TT, P., X., ĐK; H., TP, TX, Q.), then without spaces.  A
district's name stands for its units, its seat first ("Chợ Mới": Thị trấn
Đồng Tâm first), and "thị trấn Chợ Mới" for the district's only town.
Nothing found, or several things found, raises :class:`LookupFailed` with
the closest candidates, best first.  Pure: no files, no clock, no printing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from theodoi.base import checks
from theodoi.base.checks import Check
from theodoi.base.i18n import N_, gettext_for
from theodoi.base.model import VISIT_KINDS, Cadre, Commune, Registers, unit_life
from theodoi.base.problems import Msg, TheodoiError
from theodoi.base.textnorm import (
    DISTRICT_ABBREVIATIONS,
    DISTRICT_PREFIXES,
    UNIT_ABBREVIATIONS,
    UNIT_PREFIXES,
    fold,
    nfc,
    plain,
    split_district_kind,
    split_unit_kind,
    squeeze,
    without_unit_prefix,
)

MAX_CANDIDATES = 5
_NEAR_NAME = 0.6  # difflib's default cutoff
_NEAR_DISTRICT = 0.8
_BRACKETED = re.compile(r"(?P<name>[^(]+?)\s*\((?P<district>[^()]*)\)")


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


def commune_named(communes: Mapping[str, Commune], code: str) -> str:
    """``Xã Đại Sảo (02068)``: a commune in a sentence; the code alone if unknown."""
    found = communes.get(code)
    return f"{found.name} ({code})" if found else code


def cadre_named(cadres: Mapping[str, Cadre], cadre_id: str) -> str:
    """``Hà Thị Ngần (CB01)``: a cadre in a sentence; the id alone if unknown."""
    found = cadres.get(cadre_id)
    return f"{found.name} ({cadre_id})" if found else cadre_id


def commune_key(name: str) -> str:
    """The matching key of a commune name: folded, without xã/phường/thị trấn."""
    return without_unit_prefix(fold(name))


# The seat of a district with more than one town, where "the town" does not
# name it: district code -> commune code (GSO codes of the 2024 map).  Huyện
# Ngân Sơn's seat is Thị trấn Vân Tùng, not Nà Phặc (vi.wikipedia.org, "Ngân
# Sơn", infobox "Huyện lỵ: thị trấn Vân Tùng"; alltours.vn/dia-danh/huyen-ngan-
# son.html: "Nà Phặc không phải là thị trấn huyện lị"); the commune made of it on
# 1/7/2025 kept its code 01954 and took the district's name (Xã Ngân Sơn).
# A test checks each row against data/communes.csv and the national register.
DISTRICT_SEATS = {"062": "01954"}


@dataclass(frozen=True)
class _Unit:
    """A unit with its keys, each folded (:func:`plain`) and computed once."""

    commune: Commune
    name: str           # "xa dai sao"
    bare: str           # "dai sao"
    kind: str           # "xa", from the name's first words, else the kind column
    district: str       # "cho don" ("" after the reform)
    district_kind: str  # "huyen"

    @classmethod
    def of(cls, commune: Commune) -> _Unit:
        # A register spells kinds out: its names are not read for abbreviations.
        name = _plain_name(commune.name)
        kind, bare = _first_word(name, UNIT_PREFIXES)
        district_kind, district = _first_word(_plain_name(commune.district_name),
                                              DISTRICT_PREFIXES)
        return cls(commune, name, bare, kind or fold(commune.kind), district, district_kind)

    @property
    def rank(self) -> int:
        """0 the district's seat by :data:`DISTRICT_SEATS`, 1 a town or a ward
        (the seat of a huyện is its thị trấn, a city's centre its phường), 2 a xã."""
        if DISTRICT_SEATS.get(self.commune.district_code) == self.commune.code:
            return 0
        return 1 if self.kind in ("thi tran", "phuong") else 2


# The registers' names, folded once per process (an import looks up every row).
_plain_name = functools.lru_cache(maxsize=8192)(plain)


def _first_word(folded: str, words: tuple[str, ...]) -> tuple[str, str]:
    """'xa dai sao' -> ('xa', 'dai sao'); ('', 'dai sao') without a kind word."""
    for word in words:
        if folded.startswith(word + " "):
            return word, folded[len(word) + 1:]
    return "", folded


@dataclass(frozen=True)
class _Typed:
    """What a clerk typed, read as a unit name: folded, kind words taken off."""

    text: str                # "tt dong tam": folded, dashes read as spaces
    kind: str                # "thi tran" ("" if no unit kind was written)
    name: str                # "dong tam": after the unit kind
    district_kind: str       # "huyen" for "H. Chợ Mới"
    district: str            # "cho moi": after the district kind

    @classmethod
    def of(cls, text: str) -> _Typed:
        folded = plain(text)
        kind, name = split_unit_kind(folded)
        district_kind, district = split_district_kind(folded)
        return cls(folded, kind, name, district_kind, district)


def _same_key(squeezed: bool) -> Callable[[str], str]:
    """How keys are compared: as they are, or without their spaces."""
    return squeeze if squeezed else str


def _glued(abbreviations: Mapping[str, tuple[str, ...]], kind: str, key: str) -> set[str]:
    """A squeezed name behind its kind's abbreviations: "tt" + "dongtam"."""
    return {short + key for short in abbreviations.get(kind, ())}


def _by_name(units: Sequence[_Unit], typed: _Typed, squeezed: bool) -> list[_Unit]:
    """The units whose name is the one typed: with its kind word first ("thị trấn
    Phủ Thông" is not Xã Phủ Thông), else without (a wrong kind word is forgiven)."""
    key = _same_key(squeezed)
    text = key(typed.text)
    whole = {text, key(f"{typed.kind} {typed.name}" if typed.kind else typed.text)}
    exact = [u for u in units if key(u.name) in whole
             or squeezed and text in _glued(UNIT_ABBREVIATIONS, u.kind, key(u.bare))]
    found = exact or [u for u in units if key(u.bare) in {text, key(typed.name)}]
    return sorted(found, key=lambda u: u.commune.code)


def _by_district(units: Sequence[_Unit], typed: _Typed, squeezed: bool) -> list[_Unit]:
    """A district's units, its seat first, for "Chợ Mới", "H. Chợ Mới" or "TP Bắc
    Kạn"; its towns only for "thị trấn Chợ Mới" (all of them if it has none)."""
    key = _same_key(squeezed)
    names = {key(typed.district), key(typed.text)}
    found = [u for u in units if u.district and (
        key(u.district) in names
        or squeezed and key(typed.text) in _glued(DISTRICT_ABBREVIATIONS, u.district_kind,
                                                  key(u.district)))]
    if typed.district_kind:
        found = [u for u in found if u.district_kind == typed.district_kind] or found
    if not found and typed.kind:  # "TT Chợ Mới": the town of the district
        found = [u for u in units if u.district and key(u.district) == key(typed.name)]
        found = [u for u in found if u.kind == typed.kind] or found
    return sorted(found, key=lambda u: (u.commune.district_code, u.rank, u.commune.code))


def _in_district(units: Sequence[_Unit], text: str) -> list[_Unit]:
    """The units of the district ``text`` names, spaces or not ("Chợ Đồn", "H. Chợ
    Đồn", "chodon"); of the kind of district typed, if one of them is."""
    typed = _Typed.of(text)
    names = {squeeze(typed.district), squeeze(typed.text)}
    found = [u for u in units if u.district and squeeze(u.district) in names]
    if typed.district_kind:
        found = [u for u in found if u.district_kind == typed.district_kind] or found
    return found


def _by_name_and_district(units: Sequence[_Unit], typed: _Typed,
                          squeezed: bool) -> list[_Unit]:
    """A commune's name, then its district's: "Đại Sảo Chợ Đồn", "Đại Sảo - H. Chợ
    Đồn" (the dash is read as a space).  Every way of cutting the words is tried;
    if two give different communes, both are returned."""
    words = typed.text.split()
    found: dict[int, _Unit] = {}
    for cut in range(1, len(words)):
        in_district = _in_district(units, " ".join(words[cut:]))
        if in_district:
            head = _Typed.of(" ".join(words[:cut]))
            found.update((id(u), u) for u in _by_name(in_district, head, squeezed))
    return sorted(found.values(), key=lambda u: u.commune.code)


def _named(units: Sequence[_Unit], text: str) -> list[_Unit]:
    """What ``text`` names, best first; empty if nothing fits exactly.

    A commune's name ("Đại Sảo", "TT Đồng Tâm"), with its district after a
    comma or in brackets; else a district ("Chợ Mới"); else a commune name
    followed by its district ("Đại Sảo Chợ Đồn").  Names are compared as
    typed, then with no spaces at all ("daisao"), where two names may meet:
    then all of them are returned, for the clerk to choose.
    """
    name_part, district_part = _split_district(text)
    typed = _Typed.of(name_part)
    if district_part.strip():
        in_district = _in_district(units, district_part)
        return _by_name(in_district, typed, False) or _by_name(in_district, typed, True)
    for squeezed in (False, True):
        found = _by_name(units, typed, squeezed)
        if found and typed.kind and all(u.kind != typed.kind for u in found):
            # "TT Quan Sơn": the town of Huyện Quan Sơn as typed, or Xã Quan Sơn
            # with its kind forgiven; both are offered.
            found = [*(u for u in _by_district(units, typed, squeezed) if u.kind == typed.kind),
                     *found]
        found = (found or _by_district(units, typed, squeezed)
                 or _by_name_and_district(units, typed, squeezed))
        if found:
            return found
    return []


def _split_district(text: str) -> tuple[str, str]:
    """'Đại Sảo, Chợ Đồn' and 'Đại Sảo (Huyện Chợ Đồn)' -> the name and the district."""
    bracketed = _BRACKETED.fullmatch(text)
    if bracketed:
        return bracketed["name"], bracketed["district"]
    name, _comma, district = text.partition(",")
    return name, district


def communes_named(communes: Iterable[Commune], query: str) -> list[Commune]:
    """The communes ``query`` names, best first: one commune; the communes that
    share its name (by code); or a district's units, its seat first.  Empty
    when nothing fits exactly (:func:`find_commune` then offers the closest)."""
    return [u.commune for u in _named([_Unit.of(c) for c in communes], nfc(query).strip())]


def communes_holding(communes: Iterable[Commune], query: str) -> list[Commune]:
    """The communes whose name holds the text ("dong" for Đồng Tâm, Đồng Lạc...;
    a kind word typed is taken off and its kind comes first), in the district
    after a comma if one is given (a part of its name will do); by code.  The
    text is compared without spaces only if it is held nowhere as typed."""
    name_part, district_part = _split_district(nfc(query).strip())
    typed = _Typed.of(name_part)
    units = [_Unit.of(c) for c in communes]
    if district_part.strip():
        district = squeeze(_Typed.of(district_part).district)
        units = [u for u in units if u.district and district in squeeze(u.district)]
    found: list[_Unit] = []
    for squeezed in (False, True):
        key = _same_key(squeezed)
        found = [u for u in units if key(typed.name) in key(u.bare)
                 or key(typed.text) in key(u.name)]
        if found:
            break
    return [u.commune for u in sorted(found, key=lambda u: (
        typed.kind not in ("", u.kind), u.commune.code))]


def find_commune(communes: Mapping[str, Commune], query: str) -> Commune:
    """By GSO code ("02068", or "2068" without the leading zero) or by name.

    The name in any case, with or without accents, spaces or its kind written
    out or abbreviated ("dai sao", "daisao", "X. Đại Sảo", "TT Đồng Tâm"). A
    district may follow a comma, a dash or a space ("Đại Sảo, Chợ Đồn", "Đại
    Sảo - H. Chợ Đồn") to tell apart two communes of the same name.  A district
    alone ("Chợ Mới", "TP Bắc Kạn") fits all its units, listed with its seat
    first; "thị trấn Chợ Mới" is the district's town when it has one only.
    """
    text = nfc(query).strip()
    if not text:
        raise LookupFailed(checks.NO_COMMUNE_GIVEN, [])
    code = text.zfill(5) if text.isdigit() and len(text) < 5 else text
    if code in communes:
        return communes[code]
    if text.isdigit():
        raise LookupFailed(checks.NO_SUCH_COMMUNE_CODE, [], query=text)
    units = [_Unit.of(c) for c in communes.values()]
    matches = _named(units, text)
    if len(matches) == 1:
        return matches[0].commune
    if matches:
        raise LookupFailed(checks.COMMUNE_AMBIGUOUS,
                           [commune_label(u.commune) for u in matches], query=text)
    raise LookupFailed(checks.COMMUNE_NOT_FOUND, _closest_communes(units, text), Msg(N_(
        " (give the 5-digit code or the name, e.g. 02068 or \"Đại Sảo\")")), query=text)


def _closest_communes(units: Sequence[_Unit], text: str) -> list[str]:
    """Labels of the communes nearest to ``text``: by their own name (difflib's
    ratio, as :func:`closest_keys`), or by their district's when it is nearer
    still ("Cho Moii": Thị trấn Đồng Tâm first, then the communes of Chợ Mới),
    then those whose name holds the text; at most MAX_CANDIDATES."""
    import difflib  # only when a name is not found: kept off the start-up path

    typed = _Typed.of(_split_district(text)[0])
    key = typed.name if typed.kind else typed.district
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(key)

    def ratio(form: str, cutoff: float) -> float:
        matcher.set_seq1(form)
        if (matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff
                and matcher.ratio() >= cutoff):
            return matcher.ratio()
        return 0.0

    # A district's name fits many units: only a close spelling of it counts.
    scores = {id(u): max(ratio(u.bare, _NEAR_NAME),
                         ratio(u.district, _NEAR_DISTRICT) if u.district else 0.0)
              for u in units}
    near = sorted((u for u in units if scores[id(u)]),
                  key=lambda u: (-scores[id(u)], u.rank, u.commune.code))
    containing = sorted((u for u in units if key and key in u.bare),
                        key=lambda u: u.commune.code)
    ordered = {id(u): u for u in [*near, *containing]}
    return [commune_label(u.commune) for u in list(ordered.values())[:MAX_CANDIDATES]]


def find_unit(registers: Registers, query: str, day: date) -> Commune:
    """The commune a clerk means, among the units in force on ``day``; a unit
    that existed at another time is named with its dates and what it became."""
    try:
        return find_commune(registers.communes_on(day), query)
    except LookupFailed as failed:
        if not registers.dated or failed.check is checks.COMMUNE_AMBIGUOUS:
            raise  # several units of that day fit: the clerk chooses among them
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
    former = [u for u in registers.units if not u.in_force(day)]
    named = {id(u) for u in communes_named(former, text)} if not text.isdigit() else set()
    found = [u for u in former if u.code == code or id(u) in named]
    if not found:
        return None
    if len({u.code for u in found}) == 1:  # of the units of that code, one not in force
        return _nearest(found, day)
    # Several units of one name; a district's units are no one unit to speak of.
    return found[-1] if len({commune_key(u.name) for u in found}) == 1 else None


def nearest_unit(registers: Registers, code: str, day: date) -> Commune:
    """The unit with ``code`` that ended last before ``day``, else the first after it."""
    return _nearest([u for u in registers.units if u.code == code], day)


def _nearest(units: Iterable[Commune], day: date) -> Commune:
    same = sorted(units, key=lambda u: u.since or date.min)
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
