"""A report document as one self-contained HTML page.

Everything is inline: the style sheet, the bar chart (inline SVG, without
even an ``xmlns`` address), no scripts, no fonts, no images, no links; the
page makes no request when opened, so it can be mailed or kept in git and
read years later.
"""

from __future__ import annotations

import math
from html import escape

from theodoi.render.tables import (
    Beside,
    Block,
    Chart,
    Document,
    Dot,
    DotMap,
    Heading,
    Paragraph,
    Table,
    row_cells,
)

_STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
       margin: 2rem auto; max-width: 80rem; padding: 0 1rem; color: #1f2328;
       line-height: 1.45; }
h1 { font-size: 1.5rem; border-bottom: 3px solid #b3261e; padding-bottom: .4rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; color: #6b1c16; }
p.good { color: #1a7f37; font-weight: 600; }
p.bad { color: #b3261e; font-weight: 600; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; vertical-align: top; }
th { background: #f6f8fa; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 700; background: #f6f8fa; }
p.empty { font-style: italic; color: #57606a; }
.beside { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
figure { margin: .5rem 0; }
figcaption { font-weight: 600; padding: .3rem 0; }
svg text { font-family: inherit; font-size: 12px; fill: #1f2328; }
svg text.label { font-size: 10px; }
figure.map p { font-size: .85rem; color: #57606a; max-width: 36rem; }
@media print { body { margin: 0; max-width: none; } figure.map { break-inside: avoid; } }
"""

_BAR_HEIGHT = 22
_LABEL_WIDTH = 160
_BAR_WIDTH = 240


def document_html(document: Document, language: str) -> str:
    body = "\n".join(_block(b, language) for b in document.blocks)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(document.title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<h1>{escape(document.title)}</h1>\n{body}\n</body>\n</html>\n"
    )


def _block(block: Block, language: str) -> str:
    if isinstance(block, Beside):
        inner = "\n".join(f"<div>{_block(b, language)}</div>" for b in block.blocks)
        return f'<div class="beside">\n{inner}\n</div>'
    if isinstance(block, Heading):
        level = min(max(block.level, 2), 6)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        tone = f' class="{escape(block.tone)}"' if block.tone else ""
        return f"<p{tone}>{escape(block.text)}</p>"
    if isinstance(block, Table):
        return table_html(block, language)
    if isinstance(block, DotMap):
        return map_svg(block)
    return chart_svg(block)


def table_html(table: Table, language: str) -> str:
    if not table.rows and table.empty_note:
        title = f"{escape(table.title)}: " if table.title else ""
        return f'<p class="empty">{title}{escape(table.empty_note)}</p>'
    numeric = [c.numeric for c in table.columns]
    head = "".join(f'<th{_num(n)} scope="col">{escape(c.header)}</th>'
                   for c, n in zip(table.columns, numeric, strict=True))
    lines = [f"<table>\n<caption>{escape(table.title)}</caption>" if table.title
             else "<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row in table.rows:
        lines.append(_row(row_cells(table, row, language), numeric))
    lines.append("</tbody>")
    if table.footer:
        lines.append("<tfoot>" + _row(row_cells(table, table.footer, language), numeric,
                                      ' class="total"') + "</tfoot>")
    lines.append("</table>")
    return "\n".join(lines)


def _num(numeric: bool) -> str:
    return ' class="num"' if numeric else ""


def _row(cells: list[str], numeric: list[bool], attributes: str = "") -> str:
    tds = "".join(f"<td{_num(n)}>{escape(text)}</td>"
                  for text, n in zip(cells, numeric, strict=True))
    return f"<tr{attributes}>{tds}</tr>"


def chart_svg(chart: Chart) -> str:
    """Horizontal bars, one per district, 0-100%, labelled with their value."""
    height = _BAR_HEIGHT * len(chart.bars) + 24
    width = _LABEL_WIDTH + _BAR_WIDTH + 70
    parts = [
        f'<figure class="chart">\n<figcaption>{escape(chart.title)}</figcaption>',
        f'<svg role="img" aria-label="{escape(chart.title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
    ]
    for i, bar in enumerate(chart.bars):
        y = 4 + i * _BAR_HEIGHT
        length = round(_BAR_WIDTH * max(0.0, min(bar.value, 100.0)) / 100, 1)
        colour = "#1a7f37" if bar.value >= 80 else "#bf8700" if bar.value >= 50 else "#b3261e"
        parts.append(
            f'<g><title>{escape(bar.label)}: {escape(bar.text)}</title>'
            f'<text x="{_LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{_LABEL_WIDTH}" y="{y + 3}" width="{_BAR_WIDTH}" height="16" '
            f'fill="#eaeef2"></rect>'
            f'<rect class="bar" x="{_LABEL_WIDTH}" y="{y + 3}" width="{length}" height="16" '
            f'fill="{colour}"></rect>'
            f'<text x="{_LABEL_WIDTH + _BAR_WIDTH + 6}" y="{y + 15}">{escape(bar.text)}</text>'
            "</g>")
    axis_y = 4 + len(chart.bars) * _BAR_HEIGHT + 2
    parts.append(f'<line x1="{_LABEL_WIDTH}" y1="2" x2="{_LABEL_WIDTH}" y2="{axis_y}" '
                 'stroke="#57606a"></line>')
    parts.append("</svg>\n</figure>")
    return "\n".join(parts)


# The map: one dot per commune at its point, an equirectangular projection
# scaled to the province's bounding box (a province is small enough that the
# cosine of its middle latitude keeps the shapes true).  Colour and shape both
# carry the class, so that it reads in grey too; every colour has at least
# 4.5:1 contrast on white.
_MAP_WIDTH, _MAP_HEIGHT, _MARGIN = 520, 600, 18
TONES = {"ok": "#1a7f37", "due": "#9a6700", "overdue": "#b3261e"}
_LEGEND_LINE = 20


def _shape(tone: str, x: float, y: float, never: bool, size: float = 6.0) -> str:
    colour = TONES[tone]
    paint = (f'fill="#ffffff" stroke="{colour}" stroke-width="2"' if never
             else f'fill="{colour}" stroke="#ffffff" stroke-width="1"')
    if tone == "ok":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size - 0.5:.1f}" {paint}></circle>'
    if tone == "due":  # a diamond
        s = size + 0.5
        points = f"{x:.1f},{y - s:.1f} {x + s:.1f},{y:.1f} {x:.1f},{y + s:.1f} {x - s:.1f},{y:.1f}"
    else:  # a triangle, point up: a warning
        s = size + 1.5
        points = (f"{x:.1f},{y - s:.1f} {x + s * 0.95:.1f},{y + s * 0.65:.1f} "
                  f"{x - s * 0.95:.1f},{y + s * 0.65:.1f}")
    return f'<polygon points="{points}" {paint}></polygon>'


_LABEL_SIZE = 10  # px: legible on paper at A4 width, where the map is about 13 cm wide
_Box = tuple[float, float, float, float]


def _text_px(text: str) -> float:
    """About how wide ``text`` is at the labels' size (a sans-serif font)."""
    return sum(0.72 if c.isupper() else 0.3 if c in " .,-ijlítì" else 0.56
               for c in text) * _LABEL_SIZE


def _free(box: _Box, taken: list[_Box], width: float, height: float) -> bool:
    x0, y0, x1, y1 = box
    if x0 < 2 or y0 < 2 or x1 > width - 2 or y1 > height - 2:
        return False
    return all(x1 <= a0 or x0 >= a1 or y1 <= b0 or y0 >= b1 for a0, b0, a1, b1 in taken)


def _labels(placed: list[tuple[Dot, float, float]], width: float, height: float
            ) -> tuple[list[str], list[tuple[int, str]]]:
    """The names of the communes that need attention (overdue, or never
    visited) beside their dots, where a place is free of dots and other names
    (right, left, above, below); else a number there, and the number and name
    in the key under the map.  The most overdue are placed first."""
    taken: list[_Box] = [(x - 7, y - 8, x + 7, y + 7) for _dot, x, y in placed]
    wanted = sorted(((d, x, y) for d, x, y in placed if d.tone == "overdue" or d.never),
                    key=lambda item: (item[0].never, item[0].label))
    parts: list[str] = ['<g class="labels" font-size="10">']
    key: list[tuple[int, str]] = []
    for dot, x, y in wanted:
        text, box = _spot(dot.label, x, y, taken, width, height)
        if box is None:
            number = str(len(key) + 1)
            text, box = _spot(number, x, y, taken, width, height)
            key.append((len(key) + 1, dot.label))
            if box is None:  # no free place at all: the number on the right, all the same
                text, box = number, (x + 8, y - 4, x + 8 + _text_px(number), y + 6)
        taken.append(box)
        # A pale ground under the name (not a stroke: a printer would draw the
        # text twice, and a reader of the PDF find every word doubled).
        parts.append(f'<rect x="{box[0] - 1:.1f}" y="{box[1]:.1f}" '
                     f'width="{box[2] - box[0] + 2:.1f}" height="{box[3] - box[1]:.1f}" '
                     'fill="#ffffff" fill-opacity="0.75"></rect>'
                     f'<text class="label" x="{box[0]:.1f}" y="{box[3] - 2:.1f}">'
                     f"{escape(text)}</text>")
    parts.append("</g>")
    return (parts if wanted else []), key


def _spot(text: str, x: float, y: float, taken: list[_Box], width: float, height: float
          ) -> tuple[str, _Box | None]:
    w, h = _text_px(text), _LABEL_SIZE + 1
    for box in ((x + 8, y - h / 2, x + 8 + w, y + h / 2),
                (x - 8 - w, y - h / 2, x - 8, y + h / 2),
                (x - w / 2, y - 9 - h, x + w / 2, y - 9),
                (x - w / 2, y + 8, x + w / 2, y + 8 + h)):
        if _free(box, taken, width, height):
            return text, box
    return text, None


def map_svg(dot_map: DotMap) -> str:
    dots = dot_map.dots
    south, north = min(d.latitude for d in dots), max(d.latitude for d in dots)
    west, east = min(d.longitude for d in dots), max(d.longitude for d in dots)
    squeeze = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * squeeze, 0.01)
    span_y = max(north - south, 0.01)
    scale = min((_MAP_WIDTH - 2 * _MARGIN) / span_x, (_MAP_HEIGHT - 2 * _MARGIN) / span_y)
    width = round(span_x * scale + 2 * _MARGIN)
    height = round(span_y * scale + 2 * _MARGIN)
    legend_top = height + 10
    total_height = legend_top + _LEGEND_LINE * len(dot_map.legend) + 30
    total_width = max(width, 320)

    def place(dot: Dot) -> tuple[float, float]:
        return (_MARGIN + (dot.longitude - west) * squeeze * scale,
                _MARGIN + (north - dot.latitude) * scale)

    parts = [
        f'<figure class="map">\n<figcaption>{escape(dot_map.title)}</figcaption>',
        f'<svg role="img" aria-label="{escape(dot_map.label or dot_map.title)}" '
        f'width="{total_width}" height="{total_height}" '
        f'viewBox="0 0 {total_width} {total_height}">',
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#f6f8fa" '
        'stroke="#d0d7de"></rect>',
    ]
    # Overdue last, so that the dots that matter most are drawn on top.
    order = {"ok": 0, "due": 1, "overdue": 2}
    for dot in sorted(dots, key=lambda d: (order[d.tone], -d.latitude)):
        x, y = place(dot)
        never = " never" if dot.never else ""
        parts.append(f'<g class="dot {dot.tone}{never}"><title>{escape(dot.hover)}</title>'
                     f"{_shape(dot.tone, x, y, dot.never)}</g>")
    labels, key = _labels([(dot, *place(dot)) for dot in dots], width, height)
    parts.extend(labels)
    # A scale bar of 10 km (111.32 km to a degree of latitude).
    bar = 10 * scale / 111.32
    parts.append(f'<g class="scale"><line x1="{_MARGIN}" y1="{height - 10}" '
                 f'x2="{_MARGIN + bar:.1f}" y2="{height - 10}" stroke="#1f2328" '
                 f'stroke-width="2"></line><text x="{_MARGIN + bar + 6:.1f}" '
                 f'y="{height - 6}">10 km</text></g>')
    parts.append(f'<text x="{width - _MARGIN}" y="{_MARGIN + 4}" text-anchor="end" '
                 f'font-weight="600">{escape(dot_map.north)} ↑</text>')
    for index, (tone, text, count) in enumerate(dot_map.legend):
        y = legend_top + index * _LEGEND_LINE + 8
        sample = (_shape("overdue", 10, y, True) if tone == "never"
                  else _shape(tone, 10, y, False))
        parts.append(f'<g class="legend {tone}">{sample}<text x="24" y="{y + 4}">'
                     f"{escape(text)} ({count})</text></g>")
    parts.append("</svg>")
    if key:
        listed = "; ".join(f"{number} {name}" for number, name in key)
        parts.append(f'<p class="key">{escape(dot_map.key_intro.format(communes=listed))}</p>')
    parts.extend(f"<p>{escape(note)}</p>" for note in dot_map.notes)
    parts.append("</figure>")
    return "\n".join(parts)
