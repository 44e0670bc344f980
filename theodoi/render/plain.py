"""Report documents as plain text: for a pipe, a file, a cron mail.

When the output is not a terminal, nothing but text may be written, and
Rich's layout engine (which measures every cell of every table for colour
and terminals) costs seconds on a week of a thousand visits.  This module
draws the same ASCII tables Rich draws in plain mode (``box.ASCII2``:
``+---+`` rules, ``| cell |`` rows, the header and a total row apart) with
plain string work, and never imports Rich.  Long cells are wrapped at word
boundaries when a table would be wider than the page.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from theodoi.render.tables import Beside, Block, Document, Heading, Paragraph, Table, row_cells

# Wide enough that a report file's table lines stay whole for grep and diff.
PLAIN_WIDTH = 200
_NARROWEST = 6  # a column is never squeezed below this many cells


def document_text(document: Document, language: str, width: int = PLAIN_WIDTH) -> str:
    lines: list[str] = []
    if document.title:
        lines += [document.title, ""]
    for block in document.blocks:
        lines += _block(block, language, width)
    return "\n".join(lines) + "\n"


def _block(block: Block, language: str, width: int) -> list[str]:
    if isinstance(block, Beside):
        return [line for inner in block.blocks for line in _block(inner, language, width)]
    if isinstance(block, Heading):
        return [block.text]
    if isinstance(block, Paragraph):
        return [*_wrap(block.text, width), ""]
    if isinstance(block, Table):
        return [*table_lines(block, language, width), ""]
    return []  # charts are for the HTML page; the table beside them carries the numbers


def table_lines(table: Table, language: str, width: int = PLAIN_WIDTH) -> list[str]:
    if not table.rows and table.empty_note:
        title = f"{table.title}: " if table.title else ""
        return [f"{title}{table.empty_note}"]
    header = [column.header for column in table.columns]
    body = [row_cells(table, row, language) for row in table.rows]
    footer = [row_cells(table, table.footer, language)] if table.footer else []
    right = [column.numeric for column in table.columns]
    widths = _widths([header, *body, *footer], width)
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    lines = [table.title] if table.title else []
    lines += [rule, *_row(header, widths, [False] * len(widths)), rule]
    for cells in body:
        lines += _row(cells, widths, right)
    if footer:
        lines.append(rule)
        lines += _row(footer[0], widths, right)
    lines.append(rule)
    return lines


# Latin letters with every Vietnamese vowel and tone (NFC), punctuation:
# one cell each, the common case, decided by one regular expression.
_ONE_CELL_EACH = re.compile("[\x20-\x7e\u00a0-\u02ff\u1e00-\u1eff\u2010-\u205f]*")


@functools.lru_cache(maxsize=65536)  # a table repeats its names, dates and kinds
def cell_width(text: str) -> int:
    """Columns a text takes on a terminal: accents take none, wide letters two."""
    if _ONE_CELL_EACH.fullmatch(text):
        return len(text)
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total


def _widths(rows: list[list[str]], width: int) -> list[int]:
    """Each column as wide as its widest line; if the table is wider than the
    page, the widest columns give way first, never below their longest word."""
    count = len(rows[0])
    natural = [max((cell_width(line) for row in rows for line in row[i].split("\n")),
                   default=0) for i in range(count)]
    widths = list(natural)
    room = width - (3 * count + 1)
    if sum(widths) <= room:
        return widths  # it fits: no column gives way
    floor = [min(natural[i], max(_NARROWEST, max(
        (_longest_word(row[i]) for row in rows), default=0))) for i in range(count)]
    while sum(widths) > room:
        widest = max(range(count), key=lambda i: widths[i] - floor[i])
        if widths[widest] <= floor[widest]:
            break  # nothing can give way: the table is wider than the page
        widths[widest] -= 1
    return widths


def _longest_word(cell: str) -> int:
    """The cells of a cell's longest word (one regular expression for the cell,
    not one per word, in the usual case)."""
    if _ONE_CELL_EACH.fullmatch(cell):
        return max(map(len, cell.split()), default=0)
    return max(map(cell_width, cell.split()), default=0)


def _row(cells: list[str], widths: list[int], right: list[bool]) -> list[str]:
    wrapped = [_wrap(cell, w) for cell, w in zip(cells, widths, strict=True)]
    height = max((len(lines) for lines in wrapped), default=1)
    out = []
    for n in range(height):
        parts = []
        for lines, w, is_right in zip(wrapped, widths, right, strict=True):
            text = lines[n] if n < len(lines) else ""
            pad = " " * (w - cell_width(text))
            parts.append(pad + text if is_right else text + pad)
        out.append("| " + " | ".join(parts) + " |")
    return out


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` cells, broken between words; a word longer
    than the line is folded."""
    if "\n" not in text and cell_width(text) <= width:
        return [text]  # the usual cell
    lines: list[str] = []
    for paragraph in text.split("\n") or [""]:
        line = ""
        for word in paragraph.split(" "):
            for piece in _fold(word, width):
                candidate = f"{line} {piece}" if line else piece
                if cell_width(candidate) <= width or not line:
                    line = candidate
                else:
                    lines.append(line)
                    line = piece
        lines.append(line)
    return lines


def _fold(word: str, width: int) -> Iterable[str]:
    if cell_width(word) <= width or width <= 0:
        yield word
        return
    piece = ""
    for char in word:
        if piece and cell_width(piece + char) > width:
            yield piece
            piece = ""
        piece += char
    if piece:
        yield piece
