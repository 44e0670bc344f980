"""A report document as a Word file laid out as a Party document.

The layout follows Hướng dẫn 36-HD/VPTW (2018) as the research note
summarises it: a borderless two-column header (the superior body, the
issuing body in bold, "*" and the number on the left; "ĐẢNG CỘNG SẢN VIỆT
NAM" in bold with a rule under it and the place and date in italics on the
right), the document type and the subject in bold and centred, the body in
Times New Roman 14, justified, with a first-line indent, then the
recipients on the left and the signature on the right.  A4 paper, page
numbers centred at the top from page 2 on.  Every line of that frame comes
from :class:`theodoi.base.office.OfficeSettings`.

In English (``language="en"``) the layout is the same: the words the Party
layout fixes ("ĐẢNG CỘNG SẢN VIỆT NAM", "Số", "BÁO CÁO", "Nơi nhận:",
"ngày … tháng … năm …", "T/M") and the bodies as set stay Vietnamese; the
document's own headings, paragraphs and tables are in the language they
were made in, and the one word this renderer adds, the ordinal column's
header ("TT"), becomes "No.".

python-docx is imported only when a file is written, so that
``theodoi --help`` never loads it.  LibreOffice honours a table's column
widths only when the grid's widths are set as well as the cells': both are.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from theodoi.base.i18n import N_, gettext_for
from theodoi.base.office import OfficeSettings, number_line, vietnamese_date_line
from theodoi.base.textnorm import visible
from theodoi.render.tables import Document, Heading, Paragraph, Table, row_cells

NATIONAL_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
RECIPIENTS_LABEL = "Nơi nhận:"
SUBJECT_RULE = "-----"  # under the subject, as Party documents have it
# The office's annex is never sent: it says so in the Party document's words.
ANNEX_TITLE = "PHỤ LỤC DÙNG TRONG VĂN PHÒNG"
ANNEX_NOTE = "(kiểm tra dữ liệu và dấu vết kiểm tra; không gửi kèm báo cáo)"
_ORDINAL_HEADER = N_("No.")  # "TT" in Vietnamese

_CELL_PADDING_MM = 4.6  # the cell margins, 1.9 mm each side, and some air for the estimate
_SHORT_TABLE_ROWS = 12
_LONG_TEXT_SHARE = 0.22  # of the text width, for a column of long text in a crowded table
_SIGNATURE_SPACE_LINES = 4  # room for the signature and the seal
FINGERPRINT_SIZE = 8  # points: the fingerprint is for an auditor, not the reader


def subject_of(title: str, document_type: str) -> str:
    """The subject under the document type: the title, without a first word
    that would repeat the type ("Báo cáo tuần về …" under "BÁO CÁO" becomes
    "tuần về …")."""
    head = document_type.strip()
    if head and title[:len(head)].casefold() == head.casefold() and \
            title[len(head):len(head) + 1] == " ":
        return title[len(head) + 1:].lstrip()
    return title


def closing_sentence(document_type: str, subject: str) -> str:
    """"Trên đây là báo cáo kết quả theo dõi … tuần 48 năm 2026./.": the last
    sentence of the body, which the signature follows on the same page."""
    kind = document_type.strip().lower()
    return f"Trên đây là {kind} {subject.strip()}./." if kind else f"{subject.strip()}./."


def _nfc(text: str) -> str:
    """Text as Word holds it: NFC, and a control character (which XML cannot
    hold: a vertical tab pasted from Word) shown rather than a crash."""
    return visible(unicodedata.normalize("NFC", text))


def document_docx(document: Document, language: str, office: OfficeSettings | None = None, *,
                  number: str | None = None, place_date: date | str | None = None,
                  subject: str | None = None) -> bytes:
    """The Word file of ``document`` as the bytes of a .docx file.

    ``number`` fills the gap of ``office.number`` ("123" gives "Số 123-BC/TU");
    without it the gap stays for the number written by hand.  ``place_date``
    is the day of the document (written "Bắc Kạn, ngày 29 tháng 11 năm 2026")
    or a line written as given; without it, gaps for a date written by hand.
    ``subject`` defaults to the document's title.
    """
    from docx import Document as new_document
    from docx.shared import Mm

    office = office or OfficeSettings()
    word = new_document()
    _set_defaults(word, office, language)

    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    margins = office.margins_mm
    section.top_margin, section.bottom_margin = Mm(margins.top), Mm(margins.bottom)
    section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
    section.header_distance = Mm(min(10.0, margins.top / 2))
    section.footer_distance = Mm(min(10.0, margins.bottom / 2))
    text_width_mm = 210 - margins.left - margins.right
    _page_numbers(section, office)

    if isinstance(place_date, date):
        date_line = vietnamese_date_line(office.place, place_date)
    elif place_date:
        date_line = place_date
    else:
        date_line = vietnamese_date_line(office.place, None)
    _letterhead(word, office, number_line(office.number, number), date_line, text_width_mm)

    _paragraph(word, office.document_type, office, size=office.title_size, bold=True,
               align="center", before=18)
    _paragraph(word, subject if subject is not None
               else subject_of(document.title, office.document_type),
               office, bold=True, align="center")
    _paragraph(word, SUBJECT_RULE, office, align="center", after=6)

    _blocks(word, document.flat(), language, office, text_width_mm)
    _keep_end_together(word)
    # The closing sentence of a Party report, kept with the signature below it.
    _paragraph(word, closing_sentence(office.document_type, subject if subject is not None
                                      else subject_of(document.title, office.document_type)),
               office, align="justify", indent=True, before=6, keep_with_next=True)
    _closing(word, office, text_width_mm, document.fingerprint)
    if document.annex:
        _annex(word, document, language, office, text_width_mm)
    _properties(word, document, office, place_date)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _blocks(word: Any, blocks: Sequence[Any], language: str, office: OfficeSettings,
            text_width_mm: float) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            _paragraph(word, block.text, office, bold=True, italic=block.level > 2,
                       align="justify", indent=True, before=6, keep_with_next=True)
        elif isinstance(block, Paragraph):
            _paragraph(word, block.text, office, align="justify", indent=True, before=6)
        elif isinstance(block, Table):
            _table(word, block, language, office, text_width_mm)
        # A chart draws the percentages of the table beside it: nothing to add.


def _keep_end_together(word: Any) -> None:
    """The body's last paragraph (and the last row of a table just before it)
    kept with the closing sentence, so that the signature never stands alone."""
    from docx.oxml.ns import qn

    blocks = [e for e in word.element.body if not e.tag.endswith("}sectPr")]
    if not blocks or not blocks[-1].tag.endswith("}p"):
        return
    targets = [blocks[-1]]
    if len(blocks) > 1 and blocks[-2].tag.endswith("}tbl"):
        rows = blocks[-2].findall(qn("w:tr"))
        targets += list(rows[-1].iter(qn("w:p"))) if rows else []
    for element in targets:
        element.get_or_add_pPr().keepNext_val = True


def _annex(word: Any, document: Document, language: str, office: OfficeSettings,
           text_width_mm: float) -> None:
    """The office's own pages after the signature: the data check, the audit
    trail; headed so that nobody files them with the report."""
    from docx.enum.text import WD_BREAK

    _paragraph(word, "", office).add_run().add_break(WD_BREAK.PAGE)
    _paragraph(word, ANNEX_TITLE, office, size=office.title_size, bold=True, align="center")
    _paragraph(word, ANNEX_NOTE, office, italic=True, align="center", after=6)
    _blocks(word, document.annex, language, office, text_width_mm)


# --- the document's defaults ------------------------------------------------------------

def _set_defaults(word: Any, office: OfficeSettings, language: str) -> None:
    """Every run in the office's font: the template's defaults name theme fonts
    (Calibri, Cambria) that would come back wherever a run sets none."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(run_defaults, office.font)
    for tag in ("w:sz", "w:szCs"):
        element = run_defaults.find(qn(tag))
        if element is not None:
            element.set(qn("w:val"), str(round(office.body_size * 2)))
    lang = run_defaults.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN" if language == "vi" else "en-GB")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")

    normal = word.styles["Normal"]
    normal.font.name = office.font
    normal.font.size = Pt(office.body_size)
    _fonts(normal.element.get_or_add_rPr(), office.font)
    for name in ("Table Grid", "Normal Table", "Header"):
        try:
            style = word.styles[name]
        except KeyError:
            continue
        _fonts(style.element.get_or_add_rPr(), office.font)


def _fonts(run_properties: Any, font: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), font)


def _properties(word: Any, document: Document, office: OfficeSettings,
                place_date: date | str | None) -> None:
    properties = word.core_properties
    properties.title = _nfc(document.title)
    properties.author = _nfc(office.issuing_body)
    properties.last_modified_by = "theodoi"
    properties.subject = properties.keywords = ""
    # The data's fingerprint, where an auditor finds it without reading the pages.
    properties.comments = _nfc(document.fingerprint)
    properties.identifier = _nfc(document.fingerprint.rpartition(" ")[2])
    properties.category = _nfc(office.document_type)
    if isinstance(place_date, date):
        # The template's own date is 2013: the document's day says more.
        day = datetime(place_date.year, place_date.month, place_date.day)
        properties.created = properties.modified = day
    properties.revision = 1


# --- paragraphs and runs ----------------------------------------------------------------

def _paragraph(container: Any, text: str, office: OfficeSettings, *, size: float | None = None,
               bold: bool = False, italic: bool = False, underline: bool = False,
               align: str = "left", indent: bool = False, before: float = 0,
               after: float = 0, keep_with_next: bool = False, first: bool = False) -> Any:
    """A paragraph of one run; ``first`` writes into the container's empty
    first paragraph (a new table cell has one) instead of adding another."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT,
                           "center": WD_ALIGN_PARAGRAPH.CENTER,
                           "right": WD_ALIGN_PARAGRAPH.RIGHT,
                           "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    layout = paragraph.paragraph_format
    layout.space_before, layout.space_after = Pt(before), Pt(after)
    if indent:
        layout.first_line_indent = Cm(1.27)
    if keep_with_next:
        layout.keep_with_next = True
    if text:
        _run(paragraph, text, office, size=size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _run(paragraph: Any, text: str, office: OfficeSettings, *, size: float | None = None,
         bold: bool = False, italic: bool = False, underline: bool = False) -> Any:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run(_nfc(text))
    for element in run._element.iter(qn("w:t")):
        # Keep runs of spaces: the gap left for a number or a date written by hand.
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.font.name = office.font
    run.font.size = Pt(size or office.body_size)
    run.bold, run.italic = bold or None, italic or None
    if underline:
        run.underline = True
    _fonts(run._element.get_or_add_rPr(), office.font)
    return run


# --- tables ---------------------------------------------------------------------------------

def _borderless_table(word: Any, widths_mm: Sequence[float]) -> Any:
    table = word.add_table(rows=1, cols=len(widths_mm))
    _table_layout(table, widths_mm)
    _borders(table, "nil")
    return table


def _table_layout(table: Any, widths_mm: Sequence[float]) -> None:
    """Fixed widths, written on the grid and on every cell (LibreOffice reads
    the grid, Word the cells)."""
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/>
    total = table._tbl.tblPr.find(qn("w:tblW"))
    if total is not None:
        total.set(qn("w:type"), "dxa")
        total.set(qn("w:w"), str(round(sum(widths_mm) / 25.4 * 1440)))
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _borders(table: Any, value: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), value)
        if value != "nil":
            edge.set(qn("w:sz"), "4")
            edge.set(qn("w:color"), "auto")
        borders.append(edge)
    # The schema fixes the order of a table's properties; Word refuses others.
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar",
                                           "w:tblLook", "w:tblCaption", "w:tblDescription",
                                           "w:tblPrChange")


def _letterhead(word: Any, office: OfficeSettings, number: str, date_line: str,
                text_width_mm: float) -> None:
    lines = [(office.superior_body.upper(), False), (office.issuing_body.upper(), True),
             ("*", False), (number, False)]
    # The left column as wide as its longest line (a superior body such as
    # "ĐẢNG BỘ TỈNH THÁI NGUYÊN" stays on one line), from 45% of the width
    # up to 52%, leaving the right column room for the national title.
    longest = max(_text_mm(text, office.body_size, bold=bold) for text, bold in lines)
    left_width = min(max(text_width_mm * 0.45, longest + _CELL_PADDING_MM),
                     text_width_mm * 0.52)
    table = _borderless_table(word, (left_width, text_width_mm - left_width))
    left, right = table.rows[0].cells
    first = True
    for text, bold in lines:
        if text or bold:  # an empty superior body is left out, not a blank line
            _paragraph(left, text, office, bold=bold, align="center", first=first)
            first = False
    _paragraph(right, NATIONAL_TITLE, office, size=office.title_size, bold=True,
               underline=True, align="center", first=True)
    _paragraph(right, "", office, align="center")
    _paragraph(right, date_line, office, italic=True, align="center")


def _table(word: Any, table: Table, language: str, office: OfficeSettings,
           text_width_mm: float) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    if table.title and (table.rows or not table.empty_note):
        _paragraph(word, table.title, office, bold=True, italic=True, align="left",
                   indent=True, before=6, keep_with_next=True)
    if not table.rows and table.empty_note:
        text = f"{table.title}: {table.empty_note}" if table.title else table.empty_note
        _paragraph(word, text, office, italic=True, align="justify", indent=True, before=6)
        return
    headers = [gettext_for(language)(_ORDINAL_HEADER), *(c.header for c in table.columns)]
    body = [[str(n), *row_cells(table, row, language)]
            for n, row in enumerate(table.rows, start=1)]
    footer = ["", *_total_cells(table, language)] if table.footer else None
    numeric = [False, *(c.numeric for c in table.columns)]
    unbreakable = [True, *(c.kind in ("date", "number", "percent", "ratio")
                           for c in table.columns)]
    widths = _column_widths(headers, [*body, *([footer] if footer else [])], unbreakable,
                            office.table_size * _width_scale(office.font), text_width_mm)

    grid = word.add_table(rows=1 + len(body) + (1 if footer else 0), cols=len(headers))
    try:
        grid.style = word.styles["Table Grid"]
    except KeyError:  # an office's template made elsewhere may not have the style
        _borders(grid, "single")
    _table_layout(grid, widths)
    _paragraph(word, "", office)  # a table is followed by a paragraph, not glued to the next
    rows = grid.rows
    _repeat_as_header(rows[0])
    for i, header in enumerate(headers):
        cell = rows[0].cells[i]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _paragraph(cell, header, office, size=office.table_size, bold=True, align="center",
                   first=True, keep_with_next=True)
    lines = [(cells, False) for cells in body] + ([(footer, True)] if footer else [])
    # A short table is kept on one page (each row kept with the next); a long
    # one breaks between rows, never inside one, its header repeated.
    short = len(lines) <= _SHORT_TABLE_ROWS
    for n, (row, (cells, bold)) in enumerate(zip(rows[1:], lines, strict=True), start=1):
        _keep_row_whole(row)
        for i, text in enumerate(cells):
            align = "center" if i == 0 else "right" if numeric[i] else "left"
            _paragraph(row.cells[i], text, office, size=office.table_size, bold=bold,
                       align=align, first=True, keep_with_next=short and n < len(lines))


def _total_cells(table: Table, language: str) -> list[str]:
    """The total row's cells: what it does not total is blank, not "chưa có"."""
    footer = table.footer or {}
    texts = row_cells(table, footer, language)
    return [text if column.key in footer else ""
            for text, column in zip(texts, table.columns, strict=True)]


def _column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]],
                   unbreakable: Sequence[bool], size_pt: float,
                   text_width_mm: float) -> list[float]:
    """Column widths in millimetres that fill the text width.

    Each column needs at least its longest word (a header may wrap on its
    words), or all of a date or a number; a column of text then wants its
    longest cell on two lines at most (a Vietnamese full name, a commune's
    name) and on one line at best.  The needs come first, then the two-line
    wants, then what is left goes to the columns of long text, the narrowest
    first, up to a common cap found so that the table fills the width."""
    needs, twos, wants, headers_mm = [], [], [], []
    for i, header in enumerate(headers):
        cells = [r[i] for r in rows]
        words = [_text_mm(w, size_pt, bold=True) for w in header.split()]
        words += [_text_mm(w, size_pt) for c in cells for w in c.split()]
        longest_cell = max((_text_mm(c, size_pt) for c in cells), default=0.0)
        need = max([*words, longest_cell if unbreakable[i] else 0.0, 0.0])
        two = max([need, *(_two_lines_mm(c, size_pt) for c in cells)])
        needs.append(need + _CELL_PADDING_MM)
        twos.append(two + _CELL_PADDING_MM)
        wants.append(max(two, longest_cell) + _CELL_PADDING_MM)
        headers_mm.append(_text_mm(header, size_pt, bold=True) + _CELL_PADDING_MM)
    room = text_width_mm
    if sum(needs) >= room:
        return [n * room / sum(needs) for n in needs]
    if sum(twos) > room:
        # Not every cell on two lines: the widest columns give way, so that the
        # short ones (a name, a commune) keep their two lines; a column of long
        # text (what a proposal says) keeps a quarter of the width all the same.
        lows = [max(n, min(t, room * _LONG_TEXT_SHARE)) if w > room * 0.5 else n
                for n, t, w in zip(needs, twos, wants, strict=True)]
        return _capped(lows if sum(lows) < room else needs, twos, room)
    if sum(wants) <= room:
        # Room to spare: first to the headers, up to one line each, then to
        # the columns of text, which then wrap least.
        spare = room - sum(wants)
        short = [max(0.0, h - w) for h, w in zip(headers_mm, wants, strict=True)]
        given = min(spare, sum(short))
        widths = [w + given * s / sum(short) if given else w
                  for w, s in zip(wants, short, strict=True)]
        spare -= given
        stretch = [0.0 if unbreakable[i] else w for i, w in enumerate(widths)]
        if not any(stretch):
            stretch = widths
        return [w + spare * s / sum(stretch) for w, s in zip(widths, stretch, strict=True)]
    return _capped(twos, wants, room)


def _capped(lows: Sequence[float], highs: Sequence[float], room: float) -> list[float]:
    """Each column its high width up to a common cap, never below its low one,
    the cap found so that the columns fill ``room``."""
    low, high = 0.0, max(highs)
    for _ in range(60):  # bisect the cap
        cap = (low + high) / 2
        if sum(max(a, min(b, cap)) for a, b in zip(lows, highs, strict=True)) > room:
            high = cap
        else:
            low = cap
    widths = [max(a, min(b, low)) for a, b in zip(lows, highs, strict=True)]
    widest = max(range(len(widths)), key=lambda i: highs[i] - widths[i])
    widths[widest] += room - sum(widths)  # what the bisection left over
    return widths


def _two_lines_mm(text: str, size_pt: float) -> float:
    """The narrowest width that holds ``text`` on two lines, broken between words."""
    words = text.split()
    if len(words) < 2:
        return _text_mm(text, size_pt)
    return min(max(_text_mm(" ".join(words[:k]), size_pt),
                   _text_mm(" ".join(words[k:]), size_pt)) for k in range(1, len(words)))


def _text_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """About how wide ``text`` is in Times New Roman: letter widths in ems by
    class, accents ignored (they sit above or below their letter)."""
    ems = 0.0
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            continue
        if char in _NARROW:
            ems += 0.3
        elif char in _WIDE:
            ems += 0.85
        elif char.isupper():
            ems += 0.7
        elif char.isdigit():
            ems += 0.5
        else:
            ems += 0.46
    return ems * (1.1 if bold else 1.0) * size_pt * 25.4 / 72


def _width_scale(font: str) -> float:
    """How much wider than Times New Roman a font sets the same text: the
    estimate of :func:`_text_mm` is Times's; a sans-serif (Arial, Liberation
    Sans, Calibri, an office's template) is about a seventh wider."""
    serif = any(name in font.casefold() for name in ("times", "serif", "roman", "cambria"))
    return 1.0 if serif and "sans" not in font.casefold() else 1.16


_NARROW = set(" ijlftrI.,:;'!|()[]-/")
_WIDE = set("mwMW%@")


def _repeat_as_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)


def _keep_row_whole(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


# --- the end and the page numbers ------------------------------------------------------------

def _closing(word: Any, office: OfficeSettings, text_width_mm: float,
             fingerprint: str = "") -> None:
    """Recipients on the left, the signature on the right, side by side; the
    data's fingerprint, if any, as one small line under them."""
    from docx.shared import Mm, Pt

    left_width = text_width_mm * 0.5
    table = _borderless_table(word, (left_width, text_width_mm - left_width))
    _keep_row_whole(table.rows[0])  # the signature is never cut from its title
    left, right = table.rows[0].cells
    _paragraph(left, RECIPIENTS_LABEL, office, underline=True, align="left", before=12,
               first=True)
    recipients = list(office.recipients)
    for i, recipient in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ","
        text = recipient if recipient[-1:] in ".,;:" else recipient + end
        line = _paragraph(left, f"- {text}", office, size=office.recipients_size,
                          align="left")
        # A long recipient wraps under its own words, not under the dash.
        line.paragraph_format.left_indent = Mm(2.5)
        line.paragraph_format.first_line_indent = Mm(-2.5)
    _paragraph(right, office.signer_authority.upper(), office, bold=True, align="center",
               before=12, first=True)
    _paragraph(right, office.signer_title.upper(), office, bold=True, align="center")
    for _ in range(_SIGNATURE_SPACE_LINES):
        _paragraph(right, "", office, align="center")
    _paragraph(right, office.signer_name, office, bold=True, align="center")
    if fingerprint:
        _paragraph(word, fingerprint, office, size=FINGERPRINT_SIZE, align="left", before=6)
        return
    # Word wants a paragraph after a table that ends the body; a tiny one, so
    # that it never pushes onto a page of its own.
    _paragraph(word, "", office).paragraph_format.line_spacing = Pt(1)


def _page_numbers(section: Any, office: OfficeSettings) -> None:
    """The page number centred at the top of every page but the first."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].text = ""
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pieces: list[tuple[str, str]] = [("begin", ""), ("instr", " PAGE "), ("separate", ""),
                                     ("text", "2"), ("end", "")]
    for kind, text in pieces:
        run = paragraph.add_run()
        run.font.name, run.font.size = office.font, Pt(office.body_size)
        _fonts(run._element.get_or_add_rPr(), office.font)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._element.append(element)
