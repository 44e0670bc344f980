"""Report documents drawn with Rich for a person at a terminal (the one
console factory); when to draw plain text instead is theodoi.render.terminal's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from theodoi.render.tables import Beside, Block, Document, Heading, Paragraph, Table, row_cells
from theodoi.render.terminal import plain_output, plain_width

_TONES = {"good": "bold green", "bad": "bold red"}


def make_console(stream: IO[str], environ: Mapping[str, str],
                 plain: bool | None = None) -> Console:
    if plain is None:
        plain = plain_output(stream, environ)
    common: dict[str, Any] = {"file": stream, "highlight": False, "emoji": False,
                              "markup": False, "soft_wrap": False}
    if plain:
        width = plain_width(environ)
        return Console(force_terminal=False, force_interactive=False, color_system=None,
                       no_color=True, width=width, legacy_windows=False,
                       _environ={}, **common)
    return Console(force_terminal=True, no_color=environ.get("NO_COLOR", "") != "", **common)


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
