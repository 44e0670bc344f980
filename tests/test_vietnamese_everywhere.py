"""Every word the user sees is Vietnamese when the language is Vietnamese.

Measured on the real --help of every command and on a set of usage errors:
no English word of Typer's or theodoi's (beyond the command's own option
names, choices and file names, which are typed as they are), no ``<bool>``
type labels, no ``{placeholders}``.  And in English, no Vietnamese word of
the frame, and plurals that agree with their numbers.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from conftest import REPO, invoke, write_data_folder

_spec = importlib.util.spec_from_file_location("cli_reference",
                                               REPO / "scripts" / "cli_reference.py")
assert _spec is not None and _spec.loader is not None
cli_reference = importlib.util.module_from_spec(_spec)
sys.modules["cli_reference"] = cli_reference
_spec.loader.exec_module(cli_reference)

# Words that only an English sentence has: Typer's own frame, and the small
# words every English help or error sentence is made of.
ENGLISH = {"Usage", "Options", "Commands", "Arguments", "Error", "Aborted", "Try", "Show",
           "Invalid", "Missing", "required", "default", "message", "the", "and", "or", "of",
           "for", "with", "this", "that", "is", "are", "not", "such", "option", "command",
           "argument", "value", "from", "when", "which", "Did", "you", "mean", "exit", "help"}
# What a clerk types as it is: option names, paths, formats, keys, examples.
_TYPED = re.compile(r"\[[\w-]+\]|--?[\w-]+|\$\w+|[\w./-]*\.(?:csv|yaml|yml|xlsx|docx|html|md|txt)\b"
                    r"|'[^']*'|\"[^\"]*\"|`[^`]*`|\b[\w-]+(?:\|[\w-]+)+\b|\b[A-Z_]{2,}\b")


def english_words(text: str, allowed: set[str]) -> set[str]:
    words = set(re.findall(r"[A-Za-z]+", _TYPED.sub(" ", text)))
    return {w for w in words - allowed if w in ENGLISH}


def _allowed_words(path: list[str]) -> set[str]:
    """The choice values of the command's options (table, csv, visited...), typed as is."""
    from theodoi.cli.app import build_command
    from theodoi.cli.typer_internals import choices_of

    command = build_command(path)
    for name in path:
        command = command.commands[name]
    return {choice for param in getattr(command, "params", []) for choice in choices_of(param)}


PATHS = cli_reference.command_paths()


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "theodoi" for p in PATHS])
def test_every_help_page_is_vietnamese(path: list[str]) -> None:
    text = cli_reference.help_text(path)
    assert "<bool>" not in text and "<str>" not in text and "<int>" not in text
    assert not re.search(r"\{\w+\}", text), text
    assert text.lstrip().startswith("Cách dùng: theodoi")
    assert english_words(text, _allowed_words(path)) == set(), text


USAGE_MISTAKES = [
    ["vist"],
    ["visit"],
    ["visit", "add", "--bogus"],
    ["visit", "add", "--date"],
    ["visit", "add", "--date", "31/11/2026", "--commune", "02068"],
    ["visit", "list", "--format", "xml"],
    ["visit", "list", "--limit", "0"],
    ["coverage", "--by", "province"],
    ["coverage", "--period", "2024-Q5"],
    ["overdue", "--days", "ba"],
    ["overdue", "--sort", "ngay"],
    ["validate", "--list-checks=yes"],
    ["validate", "thừa"],
    ["swap", "CB01"],
    ["summary", "--week", "tuần 37"],
    ["review", "--period", "2026-Q5"],
    ["proposal", "update"],
    ["--lang"],
]


@pytest.mark.parametrize("args", USAGE_MISTAKES, ids=[" ".join(a) for a in USAGE_MISTAKES])
def test_every_usage_error_is_vietnamese(tmp_path: Path, args: list[str]) -> None:
    data = write_data_folder(tmp_path / "data")
    result = invoke(*args, env={"THEODOI_DATA": str(data), "THEODOI_TODAY": "2024-09-20"},
                    cwd=tmp_path)
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith("theodoi: lỗi [") for line in lines) or lines[0].startswith(
        " Cách dùng") or lines[1].startswith(" Cách dùng"), result.stderr
    assert english_words(result.stderr, _allowed_words(
        [a for a in args if a in ("visit", "add", "list", "proposal", "update")])) == set(), (
        result.stderr)


def test_the_frame_is_english_in_english() -> None:
    text = cli_reference.help_text(["visit", "add"]).replace("Cách dùng", "")
    result = invoke("--lang", "en", "visit", "add", "--help")
    assert result.stdout.lstrip().startswith("Usage: theodoi visit add [OPTIONS]")
    assert "Show this message and exit." in result.stdout
    assert "[default:" not in text and "Tùy chọn" in text


@pytest.mark.parametrize(("count", "expected"), [
    (1, "1 visit"), (2, "2 visits"),
])
def test_english_plurals_agree(tmp_path: Path, count: int, expected: str) -> None:
    data = write_data_folder(tmp_path / "data")
    env = {"THEODOI_TODAY": "2024-09-20"}
    for day in ("15/09/2024", "16/09/2024")[:count]:
        added = invoke("visit", "add", "--data", str(data), "--commune", "02068", "--date", day,
                       "--issue", "Thiếu vốn", "--proposal", "Hỗ trợ vốn", env=env)
        assert added.returncode == 0, added.stderr
    summary = invoke("summary", "--data", str(data), "--week", "2024-W37", "--lang", "en",
                     env=env)
    text = summary.stdout
    assert "(s)" not in text
    assert not re.search(r"\b1 (visits|difficulties|proposals|communes|records)\b", text), text
    assert not re.search(r"\b([2-9]|\d\d+) (visit|difficulty|proposal|commune|record)\b", text)
