"""A report document as one self-contained HTML page.

Everything is inline: the style sheet, the bar chart (inline SVG, without
even an ``xmlns`` address), no scripts, no fonts, no images, no links; the
page makes no request when opened, so it can be mailed or kept in git and
read years later.
"""

from __future__ import annotations

from html import escape

from theodoi.render.tables import (
    Beside,
    Block,
    Chart,
    Document,
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
@media print { body { margin: 0; max-width: none; } }
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
