"""Issue 20, items 2 and 3 and "done when": the documents the Standing Committee signs.

Two workspaces, made as an office would make them:

- Bắc Kạn 2024: ``theodoi demo`` up to 07/12/2024 (the shipped registers, 300
  visits with difficulties and proposals), put under git;
- Thái Nguyên 2025: the same demo up to 30/06/2025, under git, carried across
  the reform with ``reorganise --office --commit``, then 24 visits to the new
  units from July to November 2025, committed.

From each, the weekly summary, the six-month review and one cadre's
scorecard are written as docx by the commands themselves and printed to PDF
by LibreOffice in one start; the pages are read with pdftotext (text, and
word boxes for the alignment of numbers) and pdfinfo.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from conftest import invoke, require_tool

IDENTITY = {"GIT_AUTHOR_NAME": "Văn phòng Tỉnh ủy", "GIT_AUTHOR_EMAIL": "vanphong@example.org",
            "GIT_COMMITTER_NAME": "Văn phòng Tỉnh ủy",
            "GIT_COMMITTER_EMAIL": "vanphong@example.org", "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull}
DOCUMENTS = ("summary", "review", "card")
# What a Party document for the Committee never says: the tool's commands,
# git's words and hashes, a question mark for a missing value.
TOOL_WORDS = re.compile(r"theodoi|validate|\baudit\b|--[a-z]|\bcommit\b|\bgit\b|"
                        r"\b[0-9a-f]{12,40}\b|\?|\.csv|\.yaml|settings|'group'|"
                        r"\bV-\d{8}-\d{3}\b")  # a visit's id: the office's, to find a record


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True, encoding="utf-8", timeout=120).stdout


def run(today: str, *args: str) -> Any:
    result = invoke(*args, env={"THEODOI_TODAY": today, "THEODOI_LANG": "vi"})
    assert result.returncode in (0, 1), result.stderr
    return result


def demo(folder: Path, today: str) -> None:
    run(today, "demo", str(folder), "--visits", "300")
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "Dữ liệu")


def visits_after_the_reform(data: Path) -> None:
    """24 visits, one every 6 days from 03/07/2025, to the new units in turn, each
    by its cadre as the reorganisation proposed."""
    entries = yaml.safe_load((data / "assignments.yaml").read_text(encoding="utf-8"))
    new = [(a["commune"], a["cadre"]) for a in entries["assignments"]
           if a["since"] == date(2025, 7, 1) and a.get("cadre")]
    for n in range(24):
        day = date(2025, 7, 3) + timedelta(days=6 * n)
        commune, cadre = new[(n * 5) % len(new)]
        folder = data / "visits" / "2025"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{day}.yaml").write_text(
            f"- id: V-{day:%Y%m%d}-001\n  date: {day}\n  cadre: {cadre}\n"
            f'  commune: "{commune}"\n  kind: working\n'
            f"  recorded_at: '{day}T16:00:00+07:00'\n", encoding="utf-8")
    git(data, "add", "-A")
    git(data, "commit", "-q", "-m", "Chuyến công tác sau sắp xếp")


def write_documents(data: Path, today: str, week: str, half: str, year: str, cadre: str,
                    out: Path, name: str, *extra: str) -> dict[str, Path]:
    files = {f"{name}-{kind}": out / f"{name}-{kind}.docx" for kind in DOCUMENTS}
    run(today, "summary", "--data", str(data), "--week", week, "--format", "docx",
        "--output", str(files[f"{name}-summary"]), *extra)
    run(today, "review", "--data", str(data), "--period", half, "--format", "docx",
        "--output", str(files[f"{name}-review"]))
    run(today, "cadre", "show", cadre, "--data", str(data), "--period", year, "--format",
        "docx", "--output", str(files[f"{name}-card"]))
    return files


def soffice(folder: Path, files: list[Path]) -> None:
    tool = require_tool("soffice", "apt-get install -y --no-install-recommends "
                                   "libreoffice-writer-nogui fonts-liberation2")
    result = subprocess.run([tool, f"-env:UserInstallation={(folder / 'lo').as_uri()}",
                             "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                             *map(str, files)], capture_output=True, text=True, timeout=600,
                            stdin=subprocess.DEVNULL)
    missing = [f for f in files if not f.with_suffix(".pdf").exists()]
    assert not missing, f"{missing}: {result.stdout}{result.stderr}"


@contextlib.contextmanager
def git_identity() -> Iterator[None]:
    """git with the office's identity and without the machine's configuration."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("GIT_")}
    for name in saved:
        del os.environ[name]
    os.environ.update(IDENTITY)
    try:
        yield
    finally:
        for name in [n for n in os.environ if n.startswith("GIT_")]:
            del os.environ[name]
        os.environ.update(saved)


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Bắc Kạn 2024 and Thái Nguyên 2025, as the module docstring says."""
    root = tmp_path_factory.mktemp("committee")
    bac_kan, thai_nguyen = root / "bac-kan", root / "thai-nguyen"
    with git_identity():
        demo(bac_kan, "2024-12-07")
        demo(thai_nguyen, "2025-06-30")
        run("2025-07-01", "reorganise", "--data", str(thai_nguyen), "--to", "2025",
            "--office", "--commit")
        visits_after_the_reform(thai_nguyen)
    return bac_kan, thai_nguyen


@pytest.fixture(scope="module")
def rendered(workspaces: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, Path]:
    """The six documents as docx (and as PDF beside them), by name."""
    bac_kan, thai_nguyen = workspaces
    out = tmp_path_factory.mktemp("documents")
    with git_identity():
        files = {**write_documents(bac_kan, "2024-12-07", "2024-W48", "2024-H2", "2024",
                                   "CB001", out, "bk"),
                 **write_documents(thai_nguyen, "2025-12-07", "2025-W48", "2025-H2", "2025",
                                   "CB102", out, "tn")}
    soffice(out, list(files.values()))
    return files


@pytest.fixture(scope="module")
def annexed(workspaces: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Bắc Kạn's weekly summary with the office's annex."""
    out = tmp_path_factory.mktemp("annex")
    path = out / "bk-annex.docx"
    with git_identity():
        run("2024-12-07", "summary", "--data", str(workspaces[0]), "--week", "2024-W48",
            "--format", "docx", "--output", str(path), "--annex")
    soffice(out, [path])
    return path


def pages(docx_path: Path) -> list[str]:
    tool = require_tool("pdftotext", "apt-get install -y poppler-utils")
    text = subprocess.run([tool, "-layout", str(docx_path.with_suffix(".pdf")), "-"],
                          capture_output=True, text=True, check=True, timeout=120).stdout
    return text.split("\f")[:-1]


def page_count(docx_path: Path) -> int:
    tool = require_tool("pdfinfo", "apt-get install -y poppler-utils")
    info = subprocess.run([tool, str(docx_path.with_suffix(".pdf"))], capture_output=True,
                          text=True, check=True, timeout=120).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def words(text: str) -> list[str]:
    return text.split()


COMMITTEE = [f"{w}-{k}" for w in ("bk", "tn") for k in DOCUMENTS]


@pytest.mark.parametrize("name", COMMITTEE)
def test_the_right_province(rendered: dict[str, Path], name: str) -> None:
    first = " ".join(pages(rendered[name])[0].split())
    if name.startswith("tn"):
        assert "ĐẢNG BỘ TỈNH THÁI NGUYÊN" in first
        assert "Thái Nguyên, ngày 07 tháng 12 năm 2025" in first
        assert "BẮC KẠN" not in first and "Bắc Kạn, ngày" not in first
    else:
        assert "ĐẢNG BỘ TỈNH BẮC KẠN" in first
        assert "Bắc Kạn, ngày 07 tháng 12 năm 2024" in first


@pytest.mark.parametrize("name", COMMITTEE)
def test_no_tool_word(rendered: dict[str, Path], name: str) -> None:
    text = "\n".join(pages(rendered[name]))
    lines = [line for line in text.splitlines() if line.strip()]
    # The fingerprint, in the Committee's words, is the one place of a code.
    body = [line for line in lines if "Mã đối chiếu dữ liệu:" not in line]
    found = [line.strip() for line in body if TOOL_WORDS.search(line)]
    assert found == []


def test_the_fingerprint_is_the_last_line_small_and_in_the_properties(
        rendered: dict[str, Path]) -> None:
    for name in ("bk-summary", "tn-summary"):
        word = docx.Document(io.BytesIO(rendered[name].read_bytes()))
        last = word.paragraphs[-1]
        assert re.fullmatch(r"Mã đối chiếu dữ liệu: [0-9a-f]{12}/\d+", last.text), last.text
        assert last.runs[0].font.size.pt == 8
        assert word.core_properties.comments == last.text
        lines = [line.strip() for line in pages(rendered[name])[-1].splitlines() if line.strip()]
        assert lines[-1] == last.text


@pytest.mark.parametrize("name", COMMITTEE)
def test_no_empty_page(rendered: dict[str, Path], name: str) -> None:
    texts = pages(rendered[name])
    assert len(texts) == page_count(rendered[name])
    for number, text in enumerate(texts, start=1):
        shown = [w for w in words(text) if w != str(number)]
        assert len(shown) >= 20, (number, text)


@pytest.mark.parametrize("name", COMMITTEE)
def test_the_signature_shares_its_page_with_body_text(rendered: dict[str, Path],
                                                     name: str) -> None:
    text = next(t for t in pages(rendered[name]) if "T/M BAN THƯỜNG VỤ" in t)
    before = text.split("Nơi nhận:")[0]
    body = [line for line in before.splitlines()
            if line.strip() and not line.strip().isdigit()]
    # The closing sentence and at least one line of the report above it.
    assert any("Trên đây là" in line for line in body)
    assert len([line for line in body if "Trên đây là" not in line]) >= 1, before


def _number_boxes(pdf: Path) -> list[tuple[float, float, float]]:
    """(y, xMin, xMax) of the last word of each table row's first line on the
    first two pages: lines that begin with an ordinal and end with a number."""
    tool = require_tool("pdftotext", "apt-get install -y poppler-utils")
    html = subprocess.run([tool, "-bbox", "-f", "1", "-l", "2", str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=120).stdout
    lines: dict[tuple[str, int], list[tuple[float, float, str]]] = {}
    page = ""
    for part in re.split(r"(<page )", html):
        if part == "<page ":
            page += "p"
            continue
        for x0, y0, x1, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                                           r'xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                                           part):
            lines.setdefault((page, round(float(y0))), []).append(
                (float(x0), float(x1), word))
    boxes = []
    for (_page, y), found in lines.items():
        found.sort()
        first, last = found[0], found[-1]
        if first[2].isdigit() and first[0] < 130 and last[2].isdigit() and len(found) > 3:
            boxes.append((float(y), last[0], last[1]))
    return boxes


@pytest.mark.parametrize("name", ["bk-review", "tn-review"])
def test_numbers_are_right_aligned(rendered: dict[str, Path], name: str) -> None:
    """The review's last column (the longest gap, in days): 2- and 3-digit numbers
    end at the same place and begin at different ones."""
    boxes = _number_boxes(rendered[name].with_suffix(".pdf"))
    assert len(boxes) >= 10
    ends = [round(x1) for _y, _x0, x1 in boxes]
    starts = {round(x0) for _y, x0, _x1 in boxes}
    assert max(ends) - min(ends) <= 1, ends
    assert len(starts) > 1


def test_the_header_row_on_every_page_and_rows_kept_whole(rendered: dict[str, Path]) -> None:
    texts = pages(rendered["bk-review"])
    assert len(texts) > 2
    for text in texts[1:]:
        assert re.search(r"^\s*TT\s+Cán bộ", text, re.M), text[:400]
    word = docx.Document(io.BytesIO(rendered["bk-review"].read_bytes()))
    for table in word.tables[1:]:  # after the letterhead
        for row in table.rows:
            assert row._tr.trPr is not None and row._tr.trPr.find(
                docx.oxml.ns.qn("w:cantSplit")) is not None


def test_a_full_name_takes_two_lines_at_most(rendered: dict[str, Path]) -> None:
    """In the review's table every cadre's full name is on the row's first two
    lines: the line of its ordinal and the next one hold all its words."""
    word = docx.Document(io.BytesIO(rendered["tn-review"].read_bytes()))
    table = word.tables[1]
    rows = [(row.cells[0].text, row.cells[1].text.split()) for row in table.rows[1:]
            if row.cells[0].text.isdigit()]
    assert len(rows) == 37
    lines = "\n".join(pages(rendered["tn-review"])).splitlines()
    for ordinal, parts in rows:
        i = next(i for i, line in enumerate(lines)
                 if re.match(rf"\s*{ordinal}\s+{re.escape(parts[0])}\b", line))
        two = set(lines[i].split()) | set(lines[i + 1].split())
        assert set(parts) <= two, (ordinal, parts, lines[i:i + 3])


def test_the_annex_is_asked_for_and_stands_after_the_signature(
        rendered: dict[str, Path], annexed: Path) -> None:
    plain, annex_pages = pages(rendered["bk-summary"]), pages(annexed)
    assert not any("PHỤ LỤC" in t for t in plain)
    assert not any("Kiểm tra dữ liệu" in t for t in plain)
    signed = next(i for i, t in enumerate(annex_pages) if "T/M BAN THƯỜNG VỤ" in t)
    annex = next(i for i, t in enumerate(annex_pages) if "PHỤ LỤC DÙNG TRONG VĂN PHÒNG" in t)
    assert annex == signed + 1
    rest = "\n".join(annex_pages[annex:])
    assert "Kiểm tra dữ liệu" in rest and "Dấu vết kiểm tra" in rest


def test_widths_keep_names_on_two_lines_and_give_long_text_its_share() -> None:
    """The summary's waiting proposals at 13 pt on 165 mm: the full names and the
    communes keep two lines, what the proposal says a fifth of the width at least,
    the numbers whole."""
    from theodoi.render.docx import _column_widths, _two_lines_mm

    headers = ["TT", "Ngày nêu", "Xã", "Cán bộ", "Nội dung", "Trạng thái", "Số ngày"]
    rows = [["1", "06/09/2024", "Thị trấn Đồng Tâm", "Nguyễn Thị Minh Khai",
             "Đề nghị hỗ trợ xây dựng công trình nước sạch tập trung cho các thôn vùng cao",
             "chưa xử lý", "450 (quá hạn)"],
            ["100", "01/02/2025", "Xã Văn Minh", "Hà Phương Hạnh",
             "Sạt lở đất đe dọa một số hộ dân, chưa có kinh phí di dời", "chưa xử lý",
             "302 (quá hạn)"]]
    unbreakable = [True, True, False, False, False, False, False]
    widths = _column_widths(headers, rows, unbreakable, 13, 165)
    assert abs(sum(widths) - 165) < 0.01
    assert widths[2] >= _two_lines_mm("Thị trấn Đồng Tâm", 13) + 3.8
    assert widths[3] >= _two_lines_mm("Nguyễn Thị Minh Khai", 13) + 3.8
    assert widths[4] >= 165 * 0.2
