"""Report documents drawn with Rich for a person at a terminal.

The rules a cron job and a pipe rely on:
- not a terminal, or TERM=dumb: plain text, not a single escape code
  (whatever FORCE_COLOR or TTY_COMPATIBLE say);
- NO_COLOR set (and not empty): no colour, though bold may remain;
- otherwise Rich's colours and boxes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from theodoi.render.tables import Beside, Block, Document, Heading, Paragraph, Table, row_cells

# Wide enough that a piped table is not wrapped at 80 columns: lines of a
# report file should stay whole for grep and diff.
PLAIN_WIDTH = 200
_TONES = {"good": "bold green", "bad": "bold red"}


def plain_output(stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """True when nothing but plain text may be written to ``stream``."""
    env = os.environ if environ is None else environ
    if env.get("TERM", "").strip().lower() == "dumb":
        return True
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real file
        return True


def make_console(stream: IO[str], environ: Mapping[str, str] | None = None,
                 plain: bool | None = None) -> Console:
    env = os.environ if environ is None else environ
    if plain is None:
        plain = plain_output(stream, env)
    common: dict[str, Any] = {"file": stream, "highlight": False, "emoji": False,
                              "markup": False, "soft_wrap": False}
    if plain:
        width = _columns(env) or PLAIN_WIDTH
        return Console(force_terminal=False, force_interactive=False, color_system=None,
                       no_color=True, width=width, legacy_windows=False,
                       _environ={}, **common)
    return Console(force_terminal=True, no_color=env.get("NO_COLOR", "") != "", **common)


def _columns(env: Mapping[str, str]) -> int | None:
    try:
        value = int(env.get("COLUMNS", ""))
    except ValueError:
        return None
    return value if value > 0 else None


def print_document(document: Document, console: Console, language: str) -> None:
    plain = console.color_system is None
    if document.title:
        console.print(Text(document.title, style="bold"))
        console.print()
    for block in document.blocks:
        _print_block(block, console, language, plain)


def _print_block(block: Block, console: Console, language: str, plain: bool) -> None:
    if isinstance(block, Beside):
        for inner in block.blocks:
            _print_block(inner, console, language, plain)
    elif isinstance(block, Heading):
        console.print(Text(block.text, style="bold underline" if block.level <= 2 else "bold"))
    elif isinstance(block, Paragraph):
        console.print(Text(block.text, style=_TONES.get(block.tone, "")))
        console.print()
    elif isinstance(block, Table):
        console.print(rich_table(block, language, plain))
        console.print()
    # Charts are for the HTML page; the table beside them carries the numbers.


def rich_table(table: Table, language: str, plain: bool = False) -> RichTable | Text:
    if not table.rows and table.empty_note:
        title = f"{table.title}: " if table.title else ""
        return Text(f"{title}{table.empty_note}", style="italic")
    rich = RichTable(title=table.title or None, title_justify="left",
                     title_style="bold", header_style="bold" if plain else "bold cyan",
                     box=box.ASCII2 if plain else box.ROUNDED,
                     show_footer=False, show_edge=True, pad_edge=True)
    for column in table.columns:
        rich.add_column(column.header, justify="right" if column.numeric else "left",
                        overflow="fold")
    for row in table.rows:
        rich.add_row(*row_cells(table, row, language))
    if table.footer:
        rich.add_section()
        rich.add_row(*row_cells(table, table.footer, language), style="bold")
    return rich
