"""A report written into the office's own Word template.

An office that has its own document (letterhead, fonts, margins, fixed text,
made in Word or LibreOffice) names it in ``settings.office.template`` or
gives it with ``--template FILE.docx``; theodoi opens it with python-docx and
fills its marks, each written as plain text in the document:

- ``{{number}}``: the number line ("Số    -BC/TU", its gap for the pen);
- ``{{date}}``: the place and date ("Thái Nguyên, ngày 07 tháng 12 năm 2025");
- ``{{subject}}``: the subject of the report;
- ``{{body}}``: a paragraph of its own, replaced by the report's paragraphs,
  headings and tables, in the template's own font and size;
- ``{{fingerprint}}``: the data's fingerprint (else it stays in the
  document's properties only).

Everything else in the template is kept as it is.  A mark split across runs
of different formatting (Word does that after an edit) is still found: the
paragraph then takes its first run's formatting.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date
from typing import Any

from theodoi.base import checks
from theodoi.base.office import OfficeSettings, number_line, vietnamese_date_line
from theodoi.base.problems import Location, TheodoiError
from theodoi.render.tables import Document

MARKS = ("{{number}}", "{{date}}", "{{subject}}", "{{body}}", "{{fingerprint}}")


def open_template(data: bytes, name: str) -> Any:
    """The template as a python-docx document, or a clear refusal."""
    from docx import Document as open_document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return open_document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        reason = "not a .docx file" if isinstance(exc, zipfile.BadZipFile | PackageNotFoundError) \
            else "damaged"
        raise TheodoiError(checks.TEMPLATE_UNREADABLE, Location(name), reason=reason) from None


def template_docx(document: Document, language: str, office: OfficeSettings, template: bytes,
                  name: str, place_date: date | None = None, subject: str = "") -> bytes:
    """The report written into ``template`` (the bytes of a .docx)."""
    from theodoi.render.docx import _blocks, _properties

    word = open_template(template, name)
    office = _template_fonts(word, office)
    section = word.sections[-1]
    width_mm = (section.page_width - section.left_margin - section.right_margin) / 36000
    texts = {"{{number}}": number_line(office.number, None),
             "{{date}}": vietnamese_date_line(office.place, place_date),
             "{{subject}}": subject or document.title,
             "{{fingerprint}}": document.fingerprint}
    body = word.element.body
    before = len(body)  # python-docx adds before the closing sectPr
    _blocks(word, document.flat(), language, office, width_mm)
    added = list(body)[before - 1:len(body) - 1]
    mark = next((p for p in word.paragraphs if "{{body}}" in p.text), None)
    if mark is not None:
        for element in added:
            mark._p.addprevious(element)
        mark._p.getparent().remove(mark._p)
    for paragraph in _every_paragraph(word):
        if any(key in paragraph.text for key in texts):
            _replace(paragraph, texts)
    _properties(word, document, office, place_date)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _template_fonts(word: Any, office: OfficeSettings) -> OfficeSettings:
    """The office settings with the template's own font and size for the body."""
    from docx.oxml.ns import qn

    normal = word.styles["Normal"].font
    font = normal.name
    if font is None:
        defaults = word.styles.element.find(qn("w:docDefaults"))
        fonts = defaults.find(".//" + qn("w:rFonts")) if defaults is not None else None
        font = fonts.get(qn("w:ascii")) if fonts is not None else None
    size = normal.size.pt if normal.size is not None else office.body_size
    return dataclasses.replace(office, font=font or office.font, body_size=size,
                               table_size=max(size - 1, 4))


def _every_paragraph(word: Any) -> list[Any]:
    """The body's paragraphs, those of its tables, and of its headers and footers."""
    found = list(word.paragraphs)
    containers = [*word.tables]
    for section in word.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer):
            if part.is_linked_to_previous:
                continue
            found.extend(part.paragraphs)
            containers.extend(part.tables)
    while containers:
        table = containers.pop()
        for row in table.rows:
            for cell in row.cells:
                found.extend(cell.paragraphs)
                containers.extend(cell.tables)
    return found


def _replace(paragraph: Any, texts: dict[str, str]) -> None:
    text = paragraph.text
    for key, value in texts.items():
        text = text.replace(key, value)
    runs = paragraph.runs
    if not runs:
        return
    runs[0].text = text
    for run in runs[1:]:
        run._r.getparent().remove(run._r)
