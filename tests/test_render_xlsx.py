"""The Excel workbook of a report, read back with openpyxl as Excel would
open it: one sheet per table, the title on top, the header bold and frozen,
codes as text, dates as dates, percentages as numbers, no formula anywhere,
columns wide enough, the total row bold, and every note of the document kept.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import REPO
from summary_document import week_47_document

from theodoi.render.tables import Column, Document, Heading, Paragraph, Table
from theodoi.render.xlsx import document_xlsx, sheet_name

TITLE = "Mức độ bao phủ địa bàn theo xã, Quý IV/2024 (01/10/2024–31/12/2024)"
CODES = Table("", (
    Column("commune_code", "Mã"), Column("commune_name", "Xã"),
    Column("visits", "Số chuyến công tác", "number"),
    Column("percent", "Tỷ lệ", "percent"),
    Column("last_visit", "Lần đến gần nhất", "date", "chưa có"),
    Column("cadres", "Cán bộ", "list", "—"),
    Column("note", "Ghi chú"),
), [
    {"commune_code": "01834", "commune_name": "Phường Nguyễn Thị Minh Khai", "visits": 3,
     "percent": 85.2, "last_visit": date(2024, 11, 5), "cadres": ["Đàm Thị Hoa", "Hà Thị Ngần"],
     "note": "=1+1"},
    {"commune_code": "02068", "commune_name": "Xã Đại Sảo", "visits": 0, "percent": 0.0,
     "last_visit": None, "cadres": [], "note": "=HYPERLINK(\"http://example.invalid\")"},
    {"commune_code": "00001", "commune_name": "+84 209 3870 123", "visits": 12,
     "percent": 100.0, "last_visit": date(2025, 2, 3), "cadres": ["Lý Văn Đức"],
     "note": "http://example.invalid/x"},
], footer={"commune_name": "Toàn tỉnh", "visits": 15, "percent": 61.7})
SMALL = Document(TITLE, [
    Paragraph("Số liệu tính đến ngày 31/12/2024."),
    CODES,
    Heading("Kiểm tra dữ liệu"),
    Paragraph("Đạt, không có lỗi.", "good"),
])


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(sheet: Any, first: int) -> list[list[Any]]:
    """Cell values from row ``first`` (1-based) to the last."""
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=first)]


def _header_row(sheet: Any) -> int:
    """The header row: the one frozen panes start under."""
    frozen = sheet.freeze_panes
    assert frozen is not None and frozen.startswith("A"), frozen
    return int(frozen[1:]) - 1


def _width(sheet: Any, index: int) -> float:
    """The width of column ``index`` (1-based), whose <col> may cover several."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min is not None and dimension.min <= index <= dimension.max:
            return float(dimension.width)
    raise AssertionError(f"column {index} of {sheet.title} has no width")


def _shown(value: Any) -> int:
    if isinstance(value, datetime):
        return len("05/11/2024")
    if isinstance(value, float):
        return len(f"{value * 100:.1f}%")
    return len(str(value))


def test_small_document() -> None:
    book = _book(document_xlsx(SMALL, "vi", title_lines=["Văn phòng Tỉnh ủy Bắc Kạn"]))
    assert book.sheetnames == ["Mức độ bao phủ địa bàn theo xã", "Ghi chú"]
    sheet = book.worksheets[0]
    assert sheet["A1"].value == TITLE and sheet["A1"].font.b
    assert sheet["A2"].value == "Văn phòng Tỉnh ủy Bắc Kạn"
    assert sheet["A3"].value == "Số liệu tính đến ngày 31/12/2024."
    header = _header_row(sheet)
    assert header == 5 and sheet.freeze_panes == "A6"
    assert [c.value for c in sheet[header]] == [c.header for c in CODES.columns]
    assert all(c.font.b for c in sheet[header])
    rows = _rows(sheet, header + 1)
    assert rows == [
        ["01834", "Phường Nguyễn Thị Minh Khai", 3, 0.852, datetime(2024, 11, 5),
         "Đàm Thị Hoa; Hà Thị Ngần", "=1+1"],
        ["02068", "Xã Đại Sảo", 0, 0, None, None, "=HYPERLINK(\"http://example.invalid\")"],
        ["00001", "+84 209 3870 123", 12, 1, datetime(2025, 2, 3), "Lý Văn Đức",
         "http://example.invalid/x"],
        [None, "Toàn tỉnh", 15, 0.617, None, None, None],
    ]
    body = list(sheet.iter_rows(min_row=header + 1))
    for row in body:
        code, name, visits, percent, last_visit, _, note = row
        assert code.value is None or code.data_type == "s"
        assert name.data_type == "s"
        assert note.value is None or note.data_type == "s"
        assert visits.data_type == "n" and visits.number_format == "#,##0"
        assert percent.data_type == "n" and percent.number_format.endswith("%")
        if last_visit.value is not None:
            assert last_visit.is_date and last_visit.number_format == "dd/mm/yyyy"
        assert note.hyperlink is None
    assert [c.font.b for c in body[-1]] == [True] * 7  # the total row
    assert not any(c.font.b for row in body[:-1] for c in row)
    notes = book["Ghi chú"]
    assert _rows(notes, 1) == [[TITLE], ["Văn phòng Tỉnh ủy Bắc Kạn"], ["Kiểm tra dữ liệu"],
                               ["Đạt, không có lỗi."]]


def test_no_cell_is_a_formula() -> None:
    data = document_xlsx(SMALL, "vi")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            xml = archive.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, name
            assert "<hyperlink" not in xml, name
    book = _book(data)
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows()
               for cell in row)


def test_columns_fit_their_content() -> None:
    sheet = _book(document_xlsx(SMALL, "vi")).worksheets[0]
    header = _header_row(sheet)
    for index, column in enumerate(CODES.columns, start=1):
        values = [sheet.cell(row, index).value for row in range(header + 1, sheet.max_row + 1)]
        longest = max([len(column.header), *(_shown(v) for v in values if v is not None)])
        assert _width(sheet, index) > longest, column.key


def test_english_dates_and_labels() -> None:
    document = Document("Coverage", [CODES, Paragraph("Made by theodoi.")])
    book = _book(document_xlsx(document, "en"))
    assert book.sheetnames == ["Coverage", "Remarks"]
    sheet = book["Coverage"]
    cell = sheet.cell(_header_row(sheet) + 1, 5)
    assert cell.value == datetime(2024, 11, 5) and cell.number_format == "yyyy-mm-dd"


def test_a_document_without_tables_keeps_its_words() -> None:
    document = Document("Tuần 47", [Paragraph("Không có chuyến công tác nào trong tuần.")])
    book = _book(document_xlsx(document, "vi"))
    assert book.sheetnames == ["Ghi chú"]
    assert _rows(book["Ghi chú"], 1) == [["Tuần 47"], ["Không có chuyến công tác nào trong tuần."]]


@pytest.mark.parametrize(("texts", "expected"), [
    (["Khó khăn, vướng mắc"], ["Khó khăn, vướng mắc"]),
    (["Quý IV/2024: [tạm] *?"], ["Quý IV-2024 tạm"]),
    (["Thành phố\\Bắc Kạn"], ["Thành phố-Bắc Kạn"]),
    (["Mức độ bao phủ địa bàn Quý IV/2024 (tính đến ngày 24/11/2024)"],
     ["Mức độ bao phủ địa bàn Quý"]),
    (["Bảng", "bảng", "BẢNG"], ["Bảng", "bảng (2)", "BẢNG (3)"]),
    (["History"], ["History (2)"]),
    (["'Ghi chú'"], ["Ghi chú"]),
    (["?*:"], ["Bảng 1"]),
    (["x" * 40, "x" * 40], ["x" * 31, "x" * 27 + " (2)"]),
])
def test_sheet_names(texts: list[str], expected: list[str]) -> None:
    taken: set[str] = set()
    names = [sheet_name(text, taken, "Bảng 1") for text in texts]
    assert names == expected
    for name in names:
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
        assert not name.startswith("'") and not name.endswith("'")


# --- the weekly summary -------------------------------------------------------------------

@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, openpyxl.Workbook]:
    document = week_47_document(tmp_path_factory.mktemp("xlsx"), "vi")
    return document, _book(document_xlsx(document, "vi"))


def test_summary_sheets(summary: tuple[Document, openpyxl.Workbook]) -> None:
    document, book = summary
    assert book.sheetnames == [
        "Các chuyến công tác trong tuần", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị",
        "Chuyến công tác cập nhật muộn", "Thay đổi phân công theo dõi",
        "Mức độ bao phủ địa bàn Quý", "Các xã quá hạn chưa có chuyến", "Ghi chú"]
    title = "Báo cáo tuần về công tác theo dõi địa bàn: Tuần 47 (18/11–24/11/2024)"
    assert document.title == title
    for sheet in book:
        assert sheet["A1"].value == title and sheet["A1"].font.b
        if sheet.title != "Ghi chú":
            header = _header_row(sheet)
            assert all(c.font.b for c in sheet[header]), sheet.title


def test_summary_values(summary: tuple[Document, openpyxl.Workbook]) -> None:
    _, book = summary
    visits = book["Các chuyến công tác trong tuần"]
    assert visits["A2"].value.startswith("Trong tuần: 1 chuyến công tác tại 1 xã")
    assert _rows(visits, _header_row(visits)) == [
        ["Ngày", "Xã", "Huyện, thành phố", "Cán bộ", "Hình thức"],
        [datetime(2024, 11, 20), "Xã Đại Sảo", "Huyện Chợ Đồn", "Lương Văn Khánh",
         "làm việc với Đảng ủy, UBND xã"]]
    assert visits.cell(_header_row(visits) + 1, 1).number_format == "dd/mm/yyyy"
    difficulties = book["Khó khăn, vướng mắc"]
    assert [row[3] for row in _rows(difficulties, _header_row(difficulties) + 1)] == [
        "Đường liên thôn xuống cấp", "Thiếu kinh phí sửa nhà văn hóa thôn"]
    late = book["Chuyến công tác cập nhật muộn"]
    assert _rows(late, _header_row(late) + 1) == [
        [datetime(2024, 10, 3), datetime(2024, 11, 19), 47, "Xã Đại Sảo", "Hà Thị Ngần"]]
    coverage = book["Mức độ bao phủ địa bàn Quý"]
    assert coverage["A2"].value == "Mức độ bao phủ địa bàn Quý IV/2024 (tính đến ngày 24/11/2024)"
    header = _header_row(coverage)
    assert _rows(coverage, header + 1) == [["Thành phố Bắc Kạn", 2, 1, 0.5, 1],
                                           ["Huyện Chợ Đồn", 2, 1, 0.5, 3],
                                           ["Toàn tỉnh", 4, 2, 0.5, 4]]
    assert coverage.cell(header + 1, 4).number_format == "0.0%"
    assert all(c.font.b for c in coverage[header + 3])
    changes = book["Thay đổi phân công theo dõi"]
    assert _rows(changes, _header_row(changes) + 1) == []
    assert "Trong tuần không có thay đổi phân công." in [r[0] for r in _rows(changes, 1)]


def test_summary_loses_no_words(summary: tuple[Document, openpyxl.Workbook]) -> None:
    """Every heading, note, table title and empty-table note is on a sheet."""
    document, book = summary
    said = {str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
            if cell.value is not None}
    expected = []
    for block in document.flat():
        if isinstance(block, Heading | Paragraph):
            expected.append(block.text)
        elif isinstance(block, Table):
            expected.extend(t for t in (block.title, block.empty_note if not block.rows else "")
                            if t)
    assert expected and [text for text in expected if text not in said] == []
    assert "Lập bằng theodoi ngày 10/03/2025." in said


def test_summary_in_english(tmp_path: Path) -> None:
    document = week_47_document(tmp_path, "en")
    book = _book(document_xlsx(document, "en"))
    assert book.sheetnames == [
        "Visits of the week", "Difficulties", "Proposals", "Visits recorded late",
        "Assignment changes", "Coverage of Q4 2024 so far", "Overdue communes", "Remarks"]
    coverage = book["Coverage of Q4 2024 so far"]
    assert [c.value for c in coverage[_header_row(coverage)]] == [
        "District", "Communes", "Visited", "Covered", "Visits"]


def test_importing_the_renderers_loads_no_office_library() -> None:
    """``theodoi --help`` must stay fast: these modules import their libraries
    only when a file is written."""
    code = ("import sys, theodoi.base.office, theodoi.render.xlsx, theodoi.render.docx\n"
            "print(sorted(m for m in ('pandas', 'xlsxwriter', 'openpyxl', 'docx', 'lxml')"
            " if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_values_straight_from_pandas() -> None:
    """Rows made from a DataFrame hold numpy numbers, NaN and Timestamps."""
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"code": ["02020", "01837"], "visits": [np.int64(4), np.nan],
                          "day": [pd.Timestamp("2024-12-31"), pd.NaT]})
    table = Table("", (Column("code", "Mã"), Column("visits", "Số chuyến", "number"),
                       Column("day", "Ngày", "date")), frame.to_dict("records"))
    sheet = _book(document_xlsx(Document("Thử", [table]), "vi")).worksheets[0]
    assert _rows(sheet, _header_row(sheet) + 1) == [["02020", 4, datetime(2024, 12, 31)],
                                                   ["01837", None, None]]
