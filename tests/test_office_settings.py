"""The ``office:`` section under ``settings`` in assignments.yaml: read into
the registers, its mistakes reported by ``theodoi validate`` with their lines
(a wrong value is an error and keeps its default; an unknown key a warning)."""

from __future__ import annotations

from pathlib import Path

from conftest import invoke, write_data_folder

from theodoi.base.office import Margins, OfficeSettings
from theodoi.registers.loader import load_registers

SETTINGS = """settings:
  overdue_days: 90
  term_start: 2024-08-29
  office:
    superior_body: ĐẢNG BỘ TỈNH THÁI NGUYÊN
    place: Thái Nguyên
    signer_name: Nguyễn Văn A
    recipients:
      - Ban Thường vụ Tỉnh ủy (b/c)
      - Lưu VT
    margins_mm: {left: 35}
"""


def test_the_office_section_is_read(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data", settings=SETTINGS)
    loaded = load_registers(data)
    assert loaded.problems == []
    office = loaded.registers.settings.office
    assert (office.superior_body, office.place, office.signer_name) == (
        "ĐẢNG BỘ TỈNH THÁI NGUYÊN", "Thái Nguyên", "Nguyễn Văn A")
    assert office.recipients == ("Ban Thường vụ Tỉnh ủy (b/c)", "Lưu VT")
    assert office.margins_mm == Margins(top=20, bottom=20, left=35, right=15)
    assert office.issuing_body == "TỈNH ỦY"  # not given: the default


def test_without_the_section_the_defaults(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    assert load_registers(data).registers.settings.office == OfficeSettings()


def test_mistakes_are_reported_on_their_lines(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data", settings="""settings:
  overdue_days: 90
  office:
    place: Bắc Kạn
    body_size: lớn
    signer: Nguyễn Văn A
    margins_mm:
      top: 2cm
      inner: 30
""")
    result = invoke("validate", "--data", str(data), "--as-of", "2024-09-01",
                    env={"THEODOI_LANG": "en"}, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:4] == [
        "data/assignments.yaml:5: error [bad-setting]: setting 'office.body_size': must be a "
        "font size in points, from 4 to 72",
        "data/assignments.yaml:6: warning [unknown-key]: unknown key 'office.signer' is ignored",
        "data/assignments.yaml:8: error [bad-setting]: setting 'office.margins_mm.top': must be "
        "a number of millimetres, from 0 to 100",
        "data/assignments.yaml:9: warning [unknown-key]: unknown key 'office.margins_mm.inner' "
        "is ignored",
    ]
    office = load_registers(data).registers.settings.office
    assert office.place == "Bắc Kạn" and office.body_size == 14
    assert office.margins_mm.top == 20


def test_mistakes_in_vietnamese(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data", settings="""settings:
  office: [place]
""")
    result = invoke("validate", "--data", str(data), "--as-of", "2024-09-01", cwd=tmp_path)
    assert result.stdout.splitlines()[0] == (
        "data/assignments.yaml:2: lỗi [bad-setting]: thiết lập 'office': phải là một nhóm "
        "thiết lập (khóa: giá trị)")
