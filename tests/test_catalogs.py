"""Every message the code can show has a Vietnamese translation, every
translation is of a message the code still shows, and the compiled catalogs
match their sources."""

from __future__ import annotations

import ast
import importlib.util
import string
from pathlib import Path

import pytest
from conftest import REPO, invoke

LOCALE = REPO / "theodoi" / "locale" / "vi" / "LC_MESSAGES"


def _script(name: str):  # the scripts are not a package: load them by path
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _catalog() -> dict[str, str]:
    compiler = _script("compile_catalogs")
    merged: dict[str, str] = {}
    for po in sorted(LOCALE.glob("*.po")):
        merged.update(compiler.parse_po(po.read_text(encoding="utf-8")))
    return merged


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_a_vietnamese_translation() -> None:
    catalog = _catalog()
    missing = {
        msgid: places
        for msgid, places in _script("extract_messages").all_messages().items()
        if not catalog.get(msgid)
    }
    assert not missing, "untranslated messages:\n" + "\n".join(
        f"{places[0]}: {msgid!r}" for msgid, places in missing.items()
    )


def test_translations_keep_the_same_fields() -> None:
    for msgid, msgstr in _catalog().items():
        if msgid:
            assert _fields(msgstr) == _fields(msgid), msgid


def po_msgids(text: str) -> list[str]:
    """Every msgid of a .po text, as the code's extraction keys them (a plural
    message as "singular\0plural"), translated or not, fuzzy or not."""
    found: list[str] = []
    entry: dict[str, list[str]] = {}
    keyword = ""

    def flush() -> None:
        if "msgid" in entry:
            found.append("\0".join("".join(entry[k]) for k in ("msgid", "msgid_plural")
                                   if k in entry))

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):  # a continuation of the keyword above
            if keyword in entry:
                entry[keyword].append(ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid":
            flush()
            entry = {}
        if keyword in ("msgid", "msgid_plural"):
            entry[keyword] = [ast.literal_eval(rest)]
    flush()
    return [msgid for msgid in found if msgid]  # "" is the catalog's header


def test_po_msgids_reads_continued_and_plural_entries() -> None:
    po = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          '#, fuzzy\nmsgid "one "\n"line"\nmsgstr ""\n\n'
          'msgid "{n} error"\nmsgid_plural "{n} errors"\nmsgstr[0] "{n} lỗi"\n')
    assert po_msgids(po) == ["one line", "{n} error\0{n} errors"]


@pytest.mark.parametrize("po", sorted(LOCALE.glob("*.po")), ids=lambda p: p.name)
def test_every_translation_is_of_a_message_the_code_shows(po: Path) -> None:
    used = _script("extract_messages").all_messages()
    unused = [msgid for msgid in po_msgids(po.read_text(encoding="utf-8")) if msgid not in used]
    assert unused == [], f"{po.name}: msgids no code uses (remove them, or fix the code)"


def test_compiled_catalogs_are_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert _script("compile_catalogs").main(["--check"]) == 0, capsys.readouterr().err


def test_compiled_catalog_reads_back_with_gettext(tmp_path: Path) -> None:
    import gettext

    compiler = _script("compile_catalogs")
    po = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "error"\nmsgstr "lỗi"\n'
    mo = tmp_path / "x.mo"
    mo.write_bytes(compiler.mo_bytes(compiler.parse_po(po)))
    with mo.open("rb") as fh:
        assert gettext.GNUTranslations(fh).gettext("error") == "lỗi"


def test_vietnamese_by_default_english_on_request(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    vi = invoke("validate", "--data", str(missing))
    en_flag = invoke("validate", "--data", str(missing), "--lang", "en")
    en_env = invoke("validate", "--data", str(missing), env={"THEODOI_LANG": "en"})
    assert vi.stderr == (f"theodoi: lỗi [data-folder-missing]: {missing}: không tìm thấy thư "
                         "mục dữ liệu (chỉ định --data THƯ_MỤC hoặc đặt biến THEODOI_DATA)\n")
    assert en_flag.stderr == en_env.stderr == (
        f"theodoi: error [data-folder-missing]: {missing}: data folder not found (give --data "
        "DIR or set THEODOI_DATA)\n")
    assert vi.returncode == en_flag.returncode == en_env.returncode == 1


def test_no_message_is_translated_two_ways() -> None:
    """The catalogs are chained into one: a msgid in two of them would take the
    translation of whichever comes first, whatever the other says."""
    compiler = _script("compile_catalogs")
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for po in sorted(LOCALE.glob("*.po")):
        for msgid, msgstr in compiler.parse_po(po.read_text(encoding="utf-8")).items():
            if msgid and msgid in seen and seen[msgid][1] != msgstr:
                clashes.append(f"{msgid!r}: {seen[msgid][0]} and {po.name}")
            seen.setdefault(msgid, (po.name, msgstr))
    assert not clashes, "\n".join(clashes)


def test_every_translation_is_used() -> None:
    """A msgid the code no longer has is dead weight that hides a changed message."""
    used = set(_script("extract_messages").all_messages())
    unused = sorted(msgid for msgid in _catalog() if msgid and msgid not in used)
    assert not unused, "translations of messages the code no longer has:\n" + "\n".join(
        repr(m) for m in unused)
