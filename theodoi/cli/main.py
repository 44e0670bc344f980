"""Entry point: choose the language first, then build and run the Typer app.

The language must be known before the command modules are imported,
because their help texts are translated when they are defined.
"""

from __future__ import annotations

import sys

from theodoi import i18n


def _requested_language(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(i18n.resolve_language(_requested_language(args)))
    from theodoi.cli.app import run

    return run(args)
