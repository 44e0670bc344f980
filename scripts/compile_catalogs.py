"""Compile the gettext catalogs: every ``theodoi/locale/*/LC_MESSAGES/*.po`` to ``.mo``.

A tiny msgfmt, so that building the catalogs needs neither GNU gettext nor
Babel.  ``--check`` exits 1 if a committed ``.mo`` is out of date (run in CI).
Fuzzy entries and empty translations are left out, as msgfmt does.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

from theodoi.store.atomic import write_atomically

LOCALE_DIR = Path(__file__).resolve().parent.parent / "theodoi" / "locale"


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr (plural forms joined with NUL, as .mo files store them)."""
    catalog: dict[str, str] = {}
    entry: dict[str, list[str]] = {}
    current: str | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal entry, fuzzy
        if "msgid" in entry and not fuzzy:
            msgid = "".join(entry["msgid"])
            if "msgid_plural" in entry:
                msgid += "\0" + "".join(entry["msgid_plural"])
                forms = sorted(k for k in entry if k.startswith("msgstr["))
                msgstr = "\0".join("".join(entry[k]) for k in forms)
            else:
                msgstr = "".join(entry.get("msgstr", []))
            if msgstr.replace("\0", "") or msgid == "":
                catalog[msgid] = msgstr
        entry, fuzzy = {}, False

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"string outside an entry: {raw!r}")
            entry[current].append(ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid" and "msgid" in entry:
            was_fuzzy = fuzzy
            fuzzy = False
            flush_entry = entry
            entry = flush_entry
            fuzzy = was_fuzzy
            flush()
        current = keyword
        entry[current] = [ast.literal_eval(rest)]
    flush()
    return catalog


def mo_bytes(catalog: dict[str, str]) -> bytes:
    keys = sorted(catalog)
    ids = [k.encode("utf-8") for k in keys]
    strs = [catalog[k].encode("utf-8") for k in keys]
    count = len(keys)
    header_size = 7 * 4
    ids_table = header_size
    strs_table = ids_table + count * 8
    data_start = strs_table + count * 8
    offsets: list[tuple[int, int]] = []
    blob = b""
    for item in ids + strs:
        offsets.append((len(item), data_start + len(blob)))
        blob += item + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, count, ids_table, strs_table, 0, data_start)
    for length, offset in offsets:
        out += struct.pack("<2I", length, offset)
    return out + blob


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        data = mo_bytes(parse_po(po.read_text(encoding="utf-8")))
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.read_bytes() == data:
            continue
        if check:
            stale.append(mo)
        else:
            write_atomically(mo, data)  # readable by every user, unlike mkstemp's 0600
            print(f"wrote {mo.relative_to(LOCALE_DIR.parent.parent)}")
    for mo in stale:
        print(f"out of date: {mo} (run python scripts/compile_catalogs.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
