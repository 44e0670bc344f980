"""Issue 20, item 4: the office's own template, filled at its marks.

The template is written as LibreOffice writes its own documents: the test
builds a flat ODF text (.fodt) with a letterhead line of fixed text, the
font Liberation Sans 12 pt, a left margin of 40 mm, the marks {{number}},
{{date}}, {{subject}} and {{body}}, and a fixed closing line, then has
LibreOffice convert it to .docx.  ``summary --format docx --template`` (and
``settings.office.template``) fills it; LibreOffice prints the result to PDF,
where pdftotext, pdffonts and the words' boxes are read.

The data: conftest's four communes and cadres, two visits in the week
16–22/09/2024 (Đại Sảo on 16/09, Sông Cầu on 18/09).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import invoke, require_tool, write_data_folder

ENV = {"THEODOI_TODAY": "2024-09-25", "THEODOI_LANG": "vi"}
FIXED = "VĂN PHÒNG TỈNH ỦY — MẪU BÁO CÁO RIÊNG CỦA VĂN PHÒNG"
CLOSING = "Văn bản này lập theo mẫu riêng của Văn phòng."
FODT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:font-face-decls>
  <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="12pt"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph">
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="12pt"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm"
    fo:margin-top="25mm" fo:margin-bottom="20mm" fo:margin-left="40mm" fo:margin-right="20mm"/>
  </style:page-layout>
  <style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-weight="bold" fo:font-size="13pt"/>
  </style:style>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1"/>
 </office:master-styles>
 <office:body>
  <office:text>
   <text:p text:style-name="P1">{FIXED}</text:p>
   <text:p text:style-name="Standard">{{{{number}}}}</text:p>
   <text:p text:style-name="Standard">{{{{date}}}}</text:p>
   <text:p text:style-name="P1">BÁO CÁO {{{{subject}}}}</text:p>
   <text:p text:style-name="Standard">{{{{body}}}}</text:p>
   <text:p text:style-name="Standard">{CLOSING}</text:p>
  </office:text>
 </office:body>
</office:document>
"""
VISITS = [["--commune", "dai sao", "--date", "16/09/2024"],
          ["--commune", "song cau", "--date", "18/09/2024"]]


def soffice(folder: Path, target: str, *files: Path) -> None:
    tool = require_tool("soffice", "apt-get install -y --no-install-recommends "
                                   "libreoffice-writer-nogui fonts-liberation2")
    result = subprocess.run([tool, f"-env:UserInstallation={(folder / 'lo').as_uri()}",
                             "--headless", "--convert-to", target, "--outdir", str(folder),
                             *map(str, files)], capture_output=True, text=True, timeout=600,
                            stdin=subprocess.DEVNULL)
    extension = target.split(":")[0]
    missing = [f for f in files if not f.with_suffix(f".{extension}").exists()]
    assert not missing, f"{missing}: {result.stdout}{result.stderr}"


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The template as LibreOffice wrote it, and the report filled into it by
    --template and by settings.office.template, each printed to PDF."""
    root = tmp_path_factory.mktemp("template")
    data = write_data_folder(root / "data", settings=(
        "settings:\n  overdue_days: 90\n  term_start: 2024-08-29\n  office:\n"
        "    place: Bắc Kạn\n    template: mau/bao-cao.docx\n"))
    for args in VISITS:
        assert invoke("visit", "add", "--data", str(data), *args, env=ENV).returncode == 0
    (root / "bao-cao.fodt").write_text(FODT, encoding="utf-8")
    soffice(root, "docx:MS Word 2007 XML", root / "bao-cao.fodt")
    (data / "mau").mkdir()
    (data / "mau" / "bao-cao.docx").write_bytes((root / "bao-cao.docx").read_bytes())
    given, setting = root / "given.docx", root / "setting.docx"
    result = invoke("summary", "--data", str(data), "--week", "2024-W38", "--format", "docx",
                    "--output", str(given), "--template", str(root / "bao-cao.docx"), env=ENV)
    assert result.returncode == 0, result.stderr
    result = invoke("summary", "--data", str(data), "--week", "2024-W38", "--format", "docx",
                    "--output", str(setting), env=ENV)
    assert result.returncode == 0, result.stderr
    soffice(root, "pdf", given, setting)
    return {"given": given, "setting": setting, "data": data}


def text_of(pdf: Path, *flags: str) -> str:
    tool = require_tool("pdftotext", "apt-get install -y poppler-utils")
    return subprocess.run([tool, *flags, str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=120).stdout


@pytest.mark.parametrize("kind", ["given", "setting"])
def test_the_template_keeps_its_text_and_gets_the_marks_filled(filled: dict[str, Path],
                                                               kind: str) -> None:
    text = " ".join(text_of(filled[kind].with_suffix(".pdf")).split())
    assert text.startswith(FIXED)
    assert "Số -BC/TU Bắc Kạn, ngày 25 tháng 9 năm 2024 BÁO CÁO kết quả theo dõi địa bàn" in text
    assert CLOSING in text and text.index(CLOSING) > text.index("Xã Đại Sảo")
    assert "{{" not in text and "}}" not in text
    # The report's own letterhead and frame are not drawn over the office's.
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text and "Nơi nhận:" not in text


def test_the_tables_are_filled_in_at_the_body_mark(filled: dict[str, Path]) -> None:
    lines = [" ".join(line.split()) for line in
             text_of(filled["given"].with_suffix(".pdf"), "-layout").splitlines()]
    assert any(line.startswith("1 16/09/2024 Xã Đại Sảo") for line in lines), lines
    assert any(line.startswith("2 18/09/2024 Phường") for line in lines), lines


def test_the_templates_font_and_margins_are_kept(filled: dict[str, Path]) -> None:
    tool = require_tool("pdffonts", "apt-get install -y poppler-utils")
    fonts = subprocess.run([tool, str(filled["given"].with_suffix(".pdf"))],
                           capture_output=True, text=True, check=True, timeout=60).stdout
    names = {row.split()[0].split("+")[-1] for row in fonts.splitlines()[2:]}
    assert names and all(name.startswith("LiberationSans") for name in names), names
    boxes = text_of(filled["given"].with_suffix(".pdf"), "-bbox")
    import re

    lefts = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"', boxes)]
    # 40 mm is 113.4 pt: no word starts left of the template's margin.
    assert min(lefts) >= 113.4 - 0.5


def test_a_template_that_is_not_a_docx_is_refused(filled: dict[str, Path],
                                                  tmp_path: Path) -> None:
    broken = tmp_path / "mau.docx"
    broken.write_text("không phải tệp Word", encoding="utf-8")
    result = invoke("summary", "--data", str(filled["data"]), "--week", "2024-W38", "--format",
                    "docx", "--output", str(tmp_path / "out.docx"), "--template", str(broken),
                    env={**ENV, "THEODOI_LANG": "en"})
    assert result.returncode == 1
    assert "[template-unreadable]" in result.stderr and "not a .docx file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.docx").exists()
