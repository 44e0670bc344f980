"""Entry point: read the invocation (environment, clock, language), then run.

The language is chosen from ``--lang`` or ``THEODOI_LANG`` before anything
else, so that even a mistake in the options is reported in it; a language
theodoi does not speak is a usage error (exit 2).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from theodoi.base import i18n


def _requested_language(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run ``theodoi`` with ``argv`` in ``environ`` (default: this process's);
    return the exit code.  Tests call this in process with their own environ."""
    from theodoi.base.checks import EXIT_USAGE
    from theodoi.base.context import language_of
    from theodoi.base.periods import VIETNAM_TZ
    from theodoi.base.problems import TheodoiError
    from theodoi.cli.common import begin_invocation, error_line

    args = list(sys.argv[1:] if argv is None else argv)
    env = dict(os.environ if environ is None else environ)
    begin_invocation(env, datetime.now(VIETNAM_TZ))
    try:
        language = language_of(_requested_language(args), env)
    except TheodoiError as exc:
        fallback = i18n.normalise_language(env.get("THEODOI_LANG", ""))
        i18n.set_language(fallback or i18n.DEFAULT_LANGUAGE)
        print(error_line(exc), file=sys.stderr)
        return EXIT_USAGE
    i18n.set_language(language)
    from theodoi.cli.app import run

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = Visible(sys.stdout), Visible(sys.stderr)
    try:
        return run(args)
    finally:
        sys.stdout, sys.stderr = saved


class Visible:
    """A text stream that shows control characters (``\\x1b``) rather than
    sending them: text read from the data, refused at every writer, could still
    come from a file edited by hand, and must not clear a screen, set a title
    or fill a clipboard.  On a terminal the colour sequences of the renderer
    pass; in a pipe nothing does (no escape code in a pipe, as promised)."""

    def __init__(self, stream: Any):
        self._stream = stream
        try:
            self._colours = bool(stream.isatty())
        except (AttributeError, ValueError, OSError):
            self._colours = False

    def write(self, text: str) -> int:
        from theodoi.base.textnorm import visible

        return int(self._stream.write(visible(text, self._colours)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
