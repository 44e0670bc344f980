"""The ids of new journal records: numbered while a history is alone, never
colliding once it is shared.

A data folder whose git repository has no remote is written by one machine:
its records are numbered within their day file (``V-20240915-001``, the
highest of the day + 1), short and in order.  Once the repository has a
remote (a clone, or a folder given a server with ``git remote add``), two
machines append to the same day files without seeing each other, and two
numbers would collide.  There a new record's id is its day and five
characters drawn from a hash of its content and its author
(``V-20240915-7KQ3M``): no coordination, no counter, and the same record
written twice by the same person is the same record (the merge driver keeps
it once).  The characters are Crockford's base 32 (digits and capitals
without I, L, O, U), so the id reads aloud over the phone without
ambiguity; lookups take it in any case and without its prefix.

Ids already written are never changed.  Which scheme applies is decided by
the command that writes (it knows the repository and who commits) and set
for the time of its write with :func:`shared_ids`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
SUFFIX_LENGTH = 5  # 32**5 = 33 554 432 suffixes a day
# The last part of an id a day file's journal writes: a number, or a suffix.
ID_TAIL = rf"(?:\d+|[{ALPHABET}]{{{SUFFIX_LENGTH}}})"


@dataclass(frozen=True)
class Scheme:
    """How new ids are made: ``shared`` (a repository with a remote) and the
    author whose identity goes into the hash."""

    shared: bool = False
    author: str = ""


_scheme: ContextVar[Scheme | None] = ContextVar("theodoi_id_scheme", default=None)


@contextmanager
def shared_ids(scheme: Scheme) -> Iterator[None]:
    """New ids follow ``scheme`` inside the block (a command's write)."""
    token = _scheme.set(scheme)
    try:
        yield
    finally:
        _scheme.reset(token)


def current_scheme() -> Scheme:
    return _scheme.get() or Scheme()


def new_id(stem: str, taken: Iterable[str], content: Mapping[str, object]) -> str:
    """The id of a new record whose id starts with ``stem`` (``V-20240915-``,
    ``PL-2026-``), given the ids already in its file and the record's content
    (without its id)."""
    ids = {text.strip().upper() for text in taken}
    scheme = current_scheme()
    if not scheme.shared:
        return f"{stem}{next_number(stem, ids):03d}"
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    attempt = 0
    while True:
        candidate = stem + suffix(f"{stem}\0{scheme.author}\0{canonical}\0{attempt}")
        if candidate.upper() not in ids:
            return candidate
        attempt += 1  # the same record again in this file (--allow-duplicate)


def next_number(stem: str, ids: Iterable[str]) -> int:
    """The highest n among ids ``STEM n`` + 1 (1 for the first)."""
    stem = stem.upper()
    numbers = [0]
    for text in ids:
        tail = text[len(stem):] if text.upper().startswith(stem) else ""
        if tail.isdigit() and tail.isascii():
            numbers.append(int(tail))
    return max(numbers) + 1


def suffix(text: str) -> str:
    """Five characters of base 32 from the SHA-256 of ``text``."""
    value = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big")
    value >>= 32 - 5 * SUFFIX_LENGTH
    chars = []
    for _ in range(SUFFIX_LENGTH):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))
