"""Ids as a clerk types them: ``v-20241203-2`` for ``V-20241203-002``.

A typed id is compared with the known ids through a normal form that does
not depend on how today's ids are laid out: the text is cut into runs of
letters and runs of digits (case folded, separators dropped), a leading
``v`` is dropped (the prefix left out), and each run of digits loses its
leading zeros (a missing zero).  So ``V-20241203-002``, ``v20241203-2`` and
``20241203/002`` read alike, and so would an id with another kind of suffix
(letters and digits mixed), with no change here.  Pure: no files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from theodoi.base import checks
from theodoi.base.checks import Check
from theodoi.base.i18n import N_
from theodoi.base.problems import Msg, TheodoiError

_RUNS = re.compile(r"[^\W\d_]+|\d+")
_PREFIX = "v"
MAX_CANDIDATES = 10


def normal_form(text: str) -> tuple[str, ...]:
    """The runs of letters and digits of ``text``, folded (see the module)."""
    runs = [run if not run.isdigit() else str(int(run))
            for run in _RUNS.findall(text.casefold())]
    if runs and runs[0] == _PREFIX:
        runs = runs[1:]
    elif runs and runs[0].startswith(_PREFIX) and runs[0][1:].isdigit():
        runs[0] = runs[0][1:]
    return tuple(runs)


@dataclass(frozen=True)
class Resolved:
    """What a typed id names: ``id`` when one known id fits, else the
    ``candidates`` (several that fit equally, or those that begin like it)."""

    typed: str
    id: str | None
    candidates: tuple[str, ...] = ()
    ambiguous: bool = False  # the candidates all fit: the typed id cannot choose


def resolve_id(typed: str, known: Iterable[str]) -> Resolved:
    """The known id that ``typed`` names: as typed, else the one with the same
    normal form; several with it are the candidates (ambiguous), none with it
    leaves as candidates the ids that begin like it (a day typed alone)."""
    text = typed.strip()
    wanted = normal_form(text)
    same: list[str] = []
    starting: list[str] = []
    for one in dict.fromkeys(known):  # a key listed twice is one id
        if one == text:
            return Resolved(text, one)
        form = normal_form(one)
        if form == wanted:
            same.append(one)
        elif wanted and form[:len(wanted)] == wanted:
            starting.append(one)
    if len(same) == 1:
        return Resolved(text, same[0])
    if same:
        return Resolved(text, None, tuple(sorted(same)), ambiguous=True)
    return Resolved(text, None, tuple(sorted(starting)[:MAX_CANDIDATES]))


def known_id(typed: str, known: Iterable[str], unknown: Check) -> str:
    """The known id ``typed`` names, or the refusal: ``ambiguous-id`` listing
    the ids it could be, or ``unknown`` (whose template ends in ``{closest}``)
    with the ids that begin like it."""
    found = resolve_id(typed, known)
    if found.id is not None:
        return found.id
    listing = "\n".join(f"  {one}" for one in found.candidates)
    if found.ambiguous:
        raise TheodoiError(checks.AMBIGUOUS_ID, id=found.typed, candidates=listing)
    closest = Msg(N_("; the closest are:\n{candidates}"), {"candidates": listing}
                  ) if found.candidates else ""
    raise TheodoiError(unknown, id=found.typed, closest=closest)
