"""The command line's conventions, in one place, so that every command keeps them.

One name per idea, whichever command it is on:

- ``--data DIR`` and ``--lang vi|en`` come last in every command's options;
- a period is ``--period P`` or ``--from D --to D``; the day a report or a
  list looks at is ``--as-of D``; the day a change takes effect is
  ``--since D``; the day a visit or a status change happened is ``--date D``;
- ``--format`` chooses the output, ``--output FILE`` writes it to a file;
- ``--sort``, ``--limit``, ``--only`` cut a table;
- ``--commit`` commits what was written; ``--dry-run`` writes nothing.

The short forms of the options a clerk types most are given here, not on
each command, and added to every command that has the long form (unless the
command already uses the letter), so that ``-c`` is the commune everywhere.
"""

from __future__ import annotations

from typing import Any

SHORT_OPTIONS = {
    "--commune": "-c",
    "--date": "-d",
    "--format": "-f",
    "--limit": "-n",
    "--output": "-o",
    "--period": "-p",
    "--sort": "-s",
    "--week": "-w",
}


def add_short_options(command: Any) -> None:
    """Give each option of ``command`` (and its sub-commands) its short form."""
    taken = {name for param in command.params for name in param.opts if not name.startswith("--")}
    for param in command.params:
        if param.param_type_name != "option":
            continue
        for long_name, short in SHORT_OPTIONS.items():
            if long_name in param.opts and short not in taken:
                param.opts.append(short)
                taken.add(short)
    for sub in getattr(command, "commands", {}).values():
        add_short_options(sub)
