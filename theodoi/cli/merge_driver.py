"""``python -m theodoi.cli.merge_driver BASE OURS THEIRS PATH``: what git runs
to merge a journal file (:mod:`theodoi.audit.merge_driver` does the merge)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from theodoi.audit.merge_driver import Refused, merge_bytes
from theodoi.base.problems import TheodoiError


def main(argv: list[str] | None = None) -> int:
    """Merge into OURS (git's %A) and exit 0, or leave it and exit 1 saying why."""
    from theodoi.base.i18n import gettext_for, normalise_language
    from theodoi.store.atomic import write_atomically

    args = sys.argv[1:] if argv is None else argv
    language = normalise_language(os.environ.get("THEODOI_LANG", "")) or "vi"
    _ = gettext_for(language)
    if len(args) != 4:
        print("usage: python -m theodoi.cli.merge_driver BASE OURS THEIRS PATH", file=sys.stderr)
        return 2
    base, ours, theirs, path = args
    try:
        merged = merge_bytes(Path(base).read_bytes(), Path(ours).read_bytes(),
                             Path(theirs).read_bytes(), path)
        write_atomically(Path(ours), merged)
    except Refused as refused:
        print(_("theodoi: cannot merge {file}: {reason}").format(
            file=path, reason=refused.message.text(language)), file=sys.stderr)
        return 1
    except TheodoiError as exc:
        print(_("theodoi: cannot merge {file}: {reason}").format(
            file=path, reason=exc.message(language)), file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        print(_("theodoi: cannot merge {file}: {reason}").format(file=path, reason=exc),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
