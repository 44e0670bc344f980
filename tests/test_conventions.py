"""The command line keeps its conventions (theodoi.cli.conventions) on every command."""

from __future__ import annotations

from typing import Any

from theodoi.cli.app import build_command
from theodoi.cli.conventions import SHORT_OPTIONS


def leaves(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    subs = getattr(command, "commands", {})
    found = [] if subs else [(path, command)]
    for name, sub in subs.items():
        found += leaves(sub, (*path, name))
    return found


COMMANDS = leaves(build_command([]))


def test_data_and_lang_come_last() -> None:
    for path, command in COMMANDS:
        names = [p.opts[0] for p in command.params if p.param_type_name == "option"]
        if "--data" in names:
            assert names[-2:] == ["--data", "--lang"], (path, names)
        else:
            assert names[-1:] == ["--lang"], (path, names)


def test_a_letter_means_one_option_everywhere() -> None:
    meaning: dict[str, set[str]] = {}
    for _path, command in COMMANDS:
        for param in command.params:
            longs = [o for o in param.opts if o.startswith("--")]
            for short in (o for o in param.opts if not o.startswith("--")):
                meaning.setdefault(short, set()).update(longs)
    assert {short: longs for short, longs in meaning.items() if len(longs) > 1} == {}
    for long_name, short in SHORT_OPTIONS.items():
        assert meaning.get(short) == {long_name}, short
    # and every command with --commune takes -c for it
    with_commune = [path for path, c in COMMANDS
                    if any("--commune" in p.opts for p in c.params)]
    assert len(with_commune) >= 6
    for path, command in COMMANDS:
        for param in command.params:
            if "--commune" in param.opts:
                assert "-c" in param.opts, path


def test_one_name_per_idea() -> None:
    """No command says --on or --until for a day a change takes effect, or --day for a
    date: --since, --date, --as-of, --from/--to are the words."""
    for path, command in COMMANDS:
        names = {o for p in command.params for o in p.opts}
        assert not names & {"--on", "--day", "--at", "--until", "--start", "--end"}, path


def test_every_command_that_prints_a_table_or_document_can_write_a_file() -> None:
    for path, command in COMMANDS:
        names = {o for p in command.params for o in p.opts}
        if "--format" in names:
            assert {"--output", "-o"} <= names, path
