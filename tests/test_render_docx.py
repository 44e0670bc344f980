"""The Word file of a report, laid out as a Party document (Hướng dẫn
36-HD/VPTW).  Read back with python-docx: the letterhead's words and their
bold, italics and underline, the font and sizes, the tables equal to the
document's rows, A4 and the margins of the settings, the page number from
page 2 on.  Then LibreOffice turns it into a PDF, as the office's printer
would see it: pdftotext finds the letterhead, the title and every row, and
pdffonts finds only Times New Roman or its metric twin Liberation Serif,
embedded.  In CI (CI=true) a missing LibreOffice or poppler fails the test;
elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import require_tool
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from summary_document import week_47_document

from theodoi.base.office import Margins, OfficeSettings
from theodoi.render.docx import document_docx, subject_of
from theodoi.render.tables import (
    Column,
    Document,
    Heading,
    Paragraph,
    Table,
    cell_text,
    row_cells,
)

OFFICE = OfficeSettings(signer_name="Nguyễn Văn A",
                        margins_mm=Margins(top=25, bottom=20, left=35, right=20))
DAY = date(2026, 11, 29)
TABLE = Table("Số chuyến công tác theo huyện", (
    Column("district_name", "Huyện, thành phố"), Column("communes", "Số xã", "number"),
    Column("percent", "Tỷ lệ bao phủ", "percent"),
    Column("last_visit", "Lần đến gần nhất", "date", "chưa có"),
    Column("cadres", "Cán bộ", "list", "—"),
), [
    {"district_name": "Thành phố Bắc Kạn", "communes": 8, "percent": 85.2,
     "last_visit": date(2026, 11, 24), "cadres": ["Đàm Thị Hoa", "Hà Thị Ngần"]},
    {"district_name": "Huyện Chợ Đồn", "communes": 20, "percent": 0.0, "last_visit": None,
     "cadres": []},
], footer={"district_name": "Toàn tỉnh", "communes": 28, "percent": 24.3})
SMALL = Document("Báo cáo kết quả theo dõi địa bàn tuần 48 năm 2026", [
    Paragraph("Thực hiện Quy chế làm việc, Văn phòng Tỉnh ủy báo cáo như sau:"),
    Heading("Mức độ bao phủ"),
    TABLE,
    Table("Khó khăn, vướng mắc", (Column("text", "Nội dung"),), [], empty_note="không có"),
])


def _word(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def _texts(cell: Any) -> list[str]:
    return [p.text for p in cell.paragraphs]


def _only_run(paragraph: Any) -> Any:
    assert len(paragraph.runs) == 1, paragraph.text
    return paragraph.runs[0]


def _table_texts(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _expected_rows(table: Table, language: str, ordinal: str = "TT") -> list[list[str]]:
    rows = [[ordinal, *(c.header for c in table.columns)]]
    rows += [[str(n), *row_cells(table, row, language)]
             for n, row in enumerate(table.rows, start=1)]
    if table.footer:
        # A total row leaves blank what it does not total (no "chưa có" there).
        rows.append(["", *(cell_text(table.footer[c.key], c, language)
                           if c.key in table.footer else "" for c in table.columns)])
    return rows


@pytest.fixture(scope="module")
def small() -> Any:
    return _word(document_docx(SMALL, "vi", OFFICE, number="123", place_date=DAY))


def test_letterhead(small: Any) -> None:
    letterhead = small.tables[0]
    left, right = letterhead.rows[0].cells
    assert _texts(left) == ["ĐẢNG BỘ TỈNH BẮC KẠN", "TỈNH ỦY", "*", "Số 123-BC/TU"]
    assert [bool(_only_run(p).bold) for p in left.paragraphs] == [False, True, False, False]
    assert _texts(right) == ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Bắc Kạn, ngày 29 tháng 11 năm 2026"]
    title = _only_run(right.paragraphs[0])
    assert title.bold and title.underline and title.font.size == Pt(15)
    place = _only_run(right.paragraphs[2])
    assert place.italic and not place.bold and place.font.size == Pt(14)
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER
               for p in [*left.paragraphs, *right.paragraphs])
    # Borderless, and the widths on the grid as well as on the cells.
    borders = letterhead._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    grid = [int(c.get(qn("w:w"))) for c in letterhead._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 2 and all(grid)
    assert [c.width for c in letterhead.rows[0].cells] == [letterhead.columns[0].width,
                                                          letterhead.columns[1].width]


def test_the_number_is_left_for_the_pen_by_default() -> None:
    word = _word(document_docx(SMALL, "vi"))
    left, right = word.tables[0].rows[0].cells
    assert left.paragraphs[3].text == "Số    -BC/TU"
    assert right.paragraphs[2].text == "Bắc Kạn, ngày      tháng      năm      "


def test_type_and_subject(small: Any) -> None:
    body = [p for p in small.paragraphs if p.text]
    kind, subject, rule = body[0], body[1], body[2]
    assert (kind.text, subject.text, rule.text) == (
        "BÁO CÁO", "kết quả theo dõi địa bàn tuần 48 năm 2026", "-----")
    assert _only_run(kind).bold and _only_run(kind).font.size == Pt(15)
    assert _only_run(subject).bold and _only_run(subject).font.size == Pt(14)
    assert {kind.alignment, subject.alignment, rule.alignment} == {WD_ALIGN_PARAGRAPH.CENTER}


def test_subject_of() -> None:
    assert subject_of("Báo cáo tuần về công tác theo dõi địa bàn: Tuần 47", "BÁO CÁO") == \
        "tuần về công tác theo dõi địa bàn: Tuần 47"
    assert subject_of("Báo cáo", "BÁO CÁO") == "Báo cáo"
    assert subject_of("Báo cáo viên", "BÁO CÁO VIÊN CHỨC") == "Báo cáo viên"
    assert subject_of("Weekly summary", "BÁO CÁO") == "Weekly summary"


def test_body_text(small: Any) -> None:
    body = {p.text: p for p in small.paragraphs}
    paragraph = body["Thực hiện Quy chế làm việc, Văn phòng Tỉnh ủy báo cáo như sau:"]
    heading = body["Mức độ bao phủ"]
    for block in (paragraph, heading):
        assert block.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert block.paragraph_format.first_line_indent > 0
        assert _only_run(block).font.size == Pt(14)
    assert _only_run(heading).bold and not _only_run(paragraph).bold
    assert _only_run(body["Khó khăn, vướng mắc: không có"]).italic  # an empty table


def test_fonts_everywhere(small: Any) -> None:
    """Every run names the office's font for every script, and the defaults
    name no theme font (Calibri) that could come back."""
    defaults = small.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert {k.split("}")[1]: v for k, v in fonts.attrib.items()} == {
        "ascii": "Times New Roman", "hAnsi": "Times New Roman", "eastAsia": "Times New Roman",
        "cs": "Times New Roman"}
    header = small.sections[0].header._element
    for run in [*small.element.body.iter(qn("w:r")), *header.iter(qn("w:r"))]:
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:eastAsia")) == "Times New Roman"
    # Only Normal paragraphs, whose font is set without a theme.
    cells = [p for t in small.tables for c in t._cells for p in c.paragraphs]
    assert {p.style.name for p in [*small.paragraphs, *cells]} == {"Normal"}
    normal = small.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert not [k for k in normal.attrib if "Theme" in k or "theme" in k]
    assert small.styles["Normal"].font.name == "Times New Roman"
    assert small.styles["Normal"].font.size == Pt(14)


def test_tables_hold_the_documents_rows(small: Any) -> None:
    table = small.tables[1]
    assert _table_texts(table) == _expected_rows(TABLE, "vi")
    assert _table_texts(table)[1:] == [
        ["1", "Thành phố Bắc Kạn", "8", "85,2%", "24/11/2026", "Đàm Thị Hoa; Hà Thị Ngần"],
        ["2", "Huyện Chợ Đồn", "20", "0,0%", "chưa có", "—"],
        ["", "Toàn tỉnh", "28", "24,3%", "", ""]]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert all(_only_run(c.paragraphs[0]).bold for c in header.cells)
    first = table.rows[1].cells
    assert [c.paragraphs[0].alignment for c in first] == [
        WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
        WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.LEFT]
    assert _only_run(first[1].paragraphs[0]).font.size == Pt(OFFICE.table_size)
    footer = table.rows[-1].cells
    assert all(_only_run(c.paragraphs[0]).bold for c in footer[1:4])
    assert not any(r.bold for c in first for r in c.paragraphs[0].runs)
    assert table.style.name == "Table Grid"  # borders
    # The widths fill the text width (210 - 35 - 20 = 155 mm), grid and cells alike.
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(grid) / 1440 * 25.4 == pytest.approx(155, abs=0.5)
    assert [c.width for c in table.rows[1].cells] == [col.width for col in table.columns]


def test_page(small: Any) -> None:
    section = small.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == (
        pytest.approx(210, abs=0.1), pytest.approx(297, abs=0.1))
    assert [round(m.mm, 1) for m in (section.top_margin, section.bottom_margin,
                                     section.left_margin, section.right_margin)] == [
        25, 20, 35, 20]


def test_page_numbers_from_page_two(small: Any) -> None:
    section = small.sections[0]
    assert section.different_first_page_header_footer
    header = section.header
    assert not header.is_linked_to_previous
    fields = [t.text.strip() for t in header._element.iter(qn("w:instrText"))]
    assert fields == ["PAGE"]
    assert header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert list(first._element.iter(qn("w:instrText"))) == [] and first.paragraphs[0].text == ""


def test_recipients_and_signature(small: Any) -> None:
    left, right = small.tables[-1].rows[0].cells
    assert _texts(left) == ["Nơi nhận:", "- Thường trực Tỉnh ủy (b/c),",
                            "- Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy,",
                            "- Lưu Văn phòng Tỉnh ủy."]
    label = _only_run(left.paragraphs[0])
    assert label.underline and label.font.size == Pt(14)
    assert {_only_run(p).font.size for p in left.paragraphs[1:]} == {Pt(12)}
    signature = [p for p in right.paragraphs if p.text]
    assert [p.text for p in signature] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC",
                                           "Nguyễn Văn A"]
    assert all(_only_run(p).bold and p.alignment == WD_ALIGN_PARAGRAPH.CENTER
               for p in signature)
    assert len(right.paragraphs) - len(signature) >= 3  # room for the signature and seal


def test_every_line_comes_from_the_settings() -> None:
    office = OfficeSettings(superior_body="", issuing_body="Văn phòng Tỉnh ủy",
                            number="Số  -BC/VPTU", place="Thái Nguyên",
                            signer_authority="T/L Ban Thường vụ", signer_title="Chánh Văn phòng",
                            recipients=("Lưu VT.",), font="Liberation Serif",
                            body_size=13, title_size=16)
    word = _word(document_docx(SMALL, "vi", office, number="7", place_date=date(2026, 2, 5)))
    left, right = word.tables[0].rows[0].cells
    assert _texts(left) == ["VĂN PHÒNG TỈNH ỦY", "*", "Số 7-BC/VPTU"]
    assert right.paragraphs[2].text == "Thái Nguyên, ngày 05 tháng 02 năm 2026"
    assert _only_run(right.paragraphs[0]).font.size == Pt(16)
    assert _only_run(left.paragraphs[0]).font.name == "Liberation Serif"
    left, right = word.tables[-1].rows[0].cells
    assert _texts(left) == ["Nơi nhận:", "- Lưu VT."]
    assert [p.text for p in right.paragraphs if p.text] == ["T/L BAN THƯỜNG VỤ",
                                                            "CHÁNH VĂN PHÒNG"]


def test_english_keeps_the_party_frame() -> None:
    document = Document("Coverage by district", [TABLE])
    word = _word(document_docx(document, "en", place_date=DAY))
    left, right = word.tables[0].rows[0].cells
    assert _texts(left)[:2] == ["ĐẢNG BỘ TỈNH BẮC KẠN", "TỈNH ỦY"]
    assert _texts(right)[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert [p.text for p in word.paragraphs if p.text][:2] == ["BÁO CÁO", "Coverage by district"]
    table = _table_texts(word.tables[1])
    assert table == _expected_rows(TABLE, "en", ordinal="No.")
    assert table[1][3:5] == ["85.2%", "2026-11-24"]
    assert _texts(word.tables[-1].rows[0].cells[0])[0] == "Nơi nhận:"


def test_text_is_nfc() -> None:
    import unicodedata

    decomposed = Document(unicodedata.normalize("NFD", "Báo cáo tuần"),
                          [Paragraph(unicodedata.normalize("NFD", "Xã Đại Sảo"))])
    word = _word(document_docx(decomposed, "vi"))
    texts = [t.text for t in word.element.body.iter(qn("w:t")) if t.text]
    assert "Xã Đại Sảo" in texts
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)


# --- the weekly summary, in Word and through LibreOffice -----------------------------------

@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return week_47_document(tmp_path_factory.mktemp("docx"), "vi")


def _tables_with_rows(document: Document) -> list[Table]:
    return [b for b in document.flat() if isinstance(b, Table) and b.rows]


def test_summary_tables(summary: Document) -> None:
    word = _word(document_docx(summary, "vi", OFFICE, place_date=date(2024, 11, 25)))
    tables = _tables_with_rows(summary)
    assert len(tables) == 5  # visits, difficulties, proposals, late, coverage
    assert [_table_texts(t) for t in word.tables[1:-1]] == [
        _expected_rows(t, "vi") for t in tables]
    assert _table_texts(word.tables[1])[1] == [
        "1", "20/11/2024", "Xã Đại Sảo", "Huyện Chợ Đồn", "Lương Văn Khánh",
        "làm việc với Đảng ủy, UBND xã"]
    texts = [p.text for p in word.paragraphs]
    assert "tuần về công tác theo dõi địa bàn: Tuần 47 (18/11–24/11/2024)" in texts
    assert "Khó khăn, vướng mắc và đề xuất, kiến nghị của cơ sở" in texts
    assert "Trong tuần không có thay đổi phân công." in texts


def _soffice_pdfs(folder: Path, files: dict[str, bytes]) -> dict[str, Path]:
    """Write the files and convert them all with one LibreOffice start, in a
    profile of its own so that parallel runs do not share one."""
    soffice = require_tool("soffice", "apt-get install -y --no-install-recommends "
                                      "libreoffice-writer-nogui fonts-liberation2")
    paths = []
    for name, data in files.items():
        path = folder / f"{name}.docx"
        path.write_bytes(data)
        paths.append(str(path))
    profile = (folder / "profile").as_uri()
    result = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless",
                             "--convert-to", "pdf", "--outdir", str(folder), *paths],
                            capture_output=True, text=True, timeout=300,
                            stdin=subprocess.DEVNULL)
    pdfs = {name: folder / f"{name}.pdf" for name in files}
    missing = [str(p) for p in pdfs.values() if not p.exists()]
    assert not missing, f"{missing}: {result.stdout}{result.stderr}"
    return pdfs


def _pdftotext(pdf: Path) -> str:
    tool = require_tool("pdftotext", "apt-get install -y poppler-utils")
    result = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True,
                            text=True, check=True, timeout=60)
    return result.stdout


@pytest.fixture(scope="module")
def pdfs(summary: Document, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    return _soffice_pdfs(folder, {
        "summary": document_docx(summary, "vi", number="123",
                                 place_date=date(2024, 11, 25)),
        # Small enough type for every row to stay on one line, to find it whole.
        "summary-rows": document_docx(summary, "vi", OfficeSettings(table_size=10),
                                      place_date=date(2024, 11, 25)),
        "small-rows": document_docx(SMALL, "vi", dataclasses.replace(OFFICE, table_size=10),
                                    number="123", place_date=DAY),
    })


def test_libreoffice_prints_the_letterhead_and_title(pdfs: dict[str, Path]) -> None:
    text = _pdftotext(pdfs["summary"])
    pages = text.split("\f")
    lines = [" ".join(line.split()) for line in pages[0].splitlines() if line.strip()]
    assert lines[0] == "ĐẢNG BỘ TỈNH BẮC KẠN ĐẢNG CỘNG SẢN VIỆT NAM"
    assert lines[1:4] == ["TỈNH ỦY", "* Bắc Kạn, ngày 25 tháng 11 năm 2024", "Số 123-BC/TU"]
    assert lines[4:7] == ["BÁO CÁO",
                          "tuần về công tác theo dõi địa bàn: Tuần 47 (18/11–24/11/2024)",
                          "-----"]
    # No number on the first page; "2" centred at the top of the second.
    assert pages[1].strip().splitlines()[0].strip() == "2"
    assert "Nơi nhận:" in text and "T/M BAN THƯỜNG VỤ" in text
    assert "PHÓ BÍ THƯ THƯỜNG TRỰC" in text and "- Lưu Văn phòng Tỉnh ủy." in text


def test_libreoffice_prints_every_row(pdfs: dict[str, Path], summary: Document) -> None:
    """Each row whole on one line, its cells in order; a header may wrap on
    two lines, so its words are looked for one by one."""
    for name, document in (("summary-rows", summary), ("small-rows", SMALL)):
        text = _pdftotext(pdfs[name])
        lines = text.splitlines()
        words = set(text.split())
        for table in _tables_with_rows(document):
            header, *rows = _expected_rows(table, "vi")
            assert {w for h in header for w in h.split()} <= words, (name, header)
            for cells in rows:
                shown = [c for c in cells if c]
                pattern = re.compile(r"\s+".join(re.escape(c) for c in shown))
                assert any(pattern.search(line) for line in lines), (name, shown)


def test_libreoffice_embeds_times_or_its_twin(pdfs: dict[str, Path]) -> None:
    tool = require_tool("pdffonts", "apt-get install -y poppler-utils")
    for pdf in pdfs.values():
        result = subprocess.run([tool, str(pdf)], capture_output=True, text=True, check=True,
                                timeout=60)
        rows = result.stdout.splitlines()[2:]
        assert rows, result.stdout
        for row in rows:
            fields = row.split()
            name = fields[0].split("+")[-1]
            embedded = fields[-5]
            assert name.startswith(("LiberationSerif", "TimesNewRoman")), row
            assert embedded == "yes", row
