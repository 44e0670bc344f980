"""List the translatable messages in the code: arguments of ``_()``, ``N_()``, ``ngettext()``.

``python scripts/extract_messages.py [FILE ...]`` prints a .pot-style list of
msgids with their locations, to start or extend a catalog; the test suite
uses :func:`messages` to check that every message has a Vietnamese translation.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "theodoi"
_MARKERS = {"_", "N_", "ngettext"}  # and the local "_ = gettext_for(language)"


def messages(path: Path) -> list[tuple[str, int]]:
    """(msgid, line) for each marked string literal in one Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else None
        # gettext_for(language)("...") and ngettext_for(language)("...", "...", n)
        if (isinstance(node.func, ast.Call) and isinstance(node.func.func, ast.Name)
                and node.func.func.id in ("gettext_for", "ngettext_for")):
            name = "_" if node.func.func.id == "gettext_for" else "ngettext"
        if name not in _MARKERS:
            continue
        texts = [arg.value for arg in node.args[:2 if name == "ngettext" else 1]
                 if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        if texts:
            # A plural message is keyed as .mo files store it: "singular\0plural".
            found.append(("\0".join(texts), node.args[0].lineno))
    return found


def all_messages(files: list[Path] | None = None) -> dict[str, list[str]]:
    """msgid -> ["file:line", ...] over the whole package (or the given files)."""
    result: dict[str, list[str]] = {}
    for path in files or sorted(PACKAGE.rglob("*.py")):
        for msgid, line in messages(path):
            result.setdefault(msgid, []).append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    return result


def _po_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def main(argv: list[str]) -> int:
    files = [Path(a).resolve() for a in argv] or None
    for msgid, places in all_messages(files).items():
        print(f"#: {' '.join(places)}")
        singular, _, plural = msgid.partition("\0")
        print(f"msgid {_po_string(singular)}")
        if plural:
            print(f"msgid_plural {_po_string(plural)}")
            print('msgstr[0] ""\n')
        else:
            print('msgstr ""\n')
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
