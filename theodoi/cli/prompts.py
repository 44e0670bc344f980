"""Questions asked in a terminal, and asked again until the answer is usable.

A clerk who types ``theodoi visit add`` alone is interviewed: the date (today
by default), the commune, the cadre (the one assigned by default), the kind
from a numbered list, the notes.  A wrong answer is not the end of the
command: the reason is said, with the candidates numbered, and the question
is asked again; a number picks a candidate.  Questions go to stderr, so that
stdout holds only the result.  Ctrl-C (or Ctrl-D) stops everything before a
byte is written: theodoi.cli.app says so, in words, and exits 130.

Nothing here is used without a terminal: a script or cron job never waits
for an answer (the caller checks :func:`can_ask` first).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

from theodoi.base.i18n import _, language
from theodoi.base.problems import TheodoiError

T = TypeVar("T")


def can_ask() -> bool:
    return sys.stdin.isatty()


def _read(shown: str) -> str:
    print(shown, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    if not line:  # Ctrl-D: the clerk has gone; stop as Ctrl-C does
        print(file=sys.stderr)
        raise EOFError
    return line.strip()


def ask(question: str, convert: Callable[[str], T], default: str | None = None,
        shown: str | None = None) -> T:
    """Ask until ``convert`` accepts the answer (an empty answer is the default,
    shown in brackets as ``shown`` if given: a cadre's name for an id);
    ``convert`` refuses with a TheodoiError, whose message is shown before asking again.
    A refusal that lists candidates numbers them, and a number picks one."""
    candidates: list[str] = []
    while True:
        answer = _read(f"{question} [{shown or default}]: " if default else f"{question}: ")
        if not answer and default is not None:
            answer = default
        if answer.isdigit() and candidates and 1 <= int(answer) <= len(candidates):
            answer = candidates[int(answer) - 1].split()[0]  # a label starts with its code
        try:
            return convert(answer)
        except TheodoiError as refusal:
            candidates = list(getattr(refusal, "candidates", []))
            _say_refusal(refusal, candidates)


def _say_refusal(refusal: TheodoiError, candidates: Sequence[str]) -> None:
    message = refusal.message(language())
    if candidates:  # the list is shown numbered below, not as the message has it
        message = message.split("\n", 1)[0].rstrip(":; ")
    print(f"  {message}", file=sys.stderr)
    for number, line in enumerate(candidates, start=1):
        print(f"    {number}. {line.strip()}", file=sys.stderr)
    if candidates:
        print("  " + _("Type a number from the list, or another name or code."),
              file=sys.stderr)


def choose(question: str, options: Sequence[tuple[str, str]], default: str) -> str:
    """One of ``options`` (key, label), by its number, its key or the start of its label."""
    for number, (_key, label) in enumerate(options, start=1):
        print(f"  {number}. {label}", file=sys.stderr)
    keys = [key for key, _label in options]
    default_number = str(keys.index(default) + 1)

    def pick(answer: str) -> str:
        if answer.isdigit() and 1 <= int(answer) <= len(options):
            return keys[int(answer) - 1]
        from theodoi.base.textnorm import fold

        found = [key for key, label in options
                 if answer and (fold(key) == fold(answer) or fold(label).startswith(fold(answer)))]
        if len(found) == 1:
            return found[0]
        from theodoi.base import checks

        raise TheodoiError(checks.CHOICE_NOT_UNDERSTOOD, answer=answer, count=len(options))

    return ask(question, pick, default_number)


def text(question: str) -> str:
    """A free answer, which may be empty."""
    return _read(f"{question}: ")


def lines(question: str) -> list[str]:
    """Several answers, one per line, until an empty line."""
    print(f"{question} " + _("(one per line; an empty line ends)") + ":", file=sys.stderr)
    answers = []
    while answer := _read("  - "):
        answers.append(answer)
    return answers


def echo(text: str) -> None:
    """What an answer was read as (``→ Xã Đại Sảo (02068)``), under the question."""
    print(f"  → {text}", file=sys.stderr)


_YES = ("c", "co", "y", "yes")
_NO = ("k", "khong", "n", "no")


def confirm(question: str) -> bool:
    """Yes or no, Enter for yes (``[C/k]`` in Vietnamese, ``[Y/n]`` in English);
    anything else is asked again."""
    from theodoi.base.textnorm import fold

    while True:
        answer = fold(_read(f"{question} ")).strip()
        if not answer or answer in _YES:
            return True
        if answer in _NO:
            return False
