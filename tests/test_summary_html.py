"""The HTML weekly summary is one self-contained page that a browser shows as
a person computed it.

A real headless Chromium loads it from disk.  The DOM it builds (--dump-dom,
parsed with html.parser) must hold the tables with the rows worked out by
hand for tests/report_data.py and the chart with one bar per district, of the
right length; its screenshot must show those bars painted.  The page makes no
request: it holds no address, no ``src=``, no style or font import, no
script.  In CI (CI=true) a missing Chromium fails the test; elsewhere it is
skipped with the reason.

Week 47 of 2024 (18/11–24/11): one visit, two difficulties and a proposal,
one visit recorded late; coverage of Q4 up to Sunday 24/11: Bắc Kạn 1 of 2
communes (01834 on 10/10), Chợ Đồn 1 of 2 (02068, three visits).

Week 1 of 2025 (30/12/2024–05/01/2025): its quarter is Q1 2025, up to 05/01:
Bắc Kạn 1 of 2 (01834 on 01/01), Chợ Đồn none; Bằng Lũng (02020), never
visited, is 129 days overdue on 05/01/2025 (from the term's start, 29/08/2024).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from conftest import invoke, require_tool
from report_data import quarter_data

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
# The bar chart of theodoi.render.html: bars drawn 240 px long at 100%.
FULL_BAR = 240
AMBER = (0xBF, 0x87, 0x00)  # a bar from 50% to 80%
TRACK = (0xEA, 0xEE, 0xF2)  # the grey track behind each bar


def _chromium() -> str:
    """Chromium under either of its names; missing, CI fails and elsewhere skips."""
    return shutil.which("chromium-browser") or require_tool(
        "chromium", "apt-get install -y chromium")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html")
    data = quarter_data(folder / "data")
    made = {}
    for week in ("2024-W47", "2025-W01"):
        target = folder / "bao-cao" / f"tuan-{week}.html"
        result = invoke("summary", "--data", str(data), "--week", week, "--format", "html",
                        "--output", str(target), env={"THEODOI_TODAY": "2025-03-10"})
        assert (result.returncode, result.stdout, result.stderr) == (0, "", f"Đã ghi: {target}\n")
        made[week] = target
    return made


def test_the_page_asks_for_nothing_outside_itself(pages: dict[str, Path]) -> None:
    for page in pages.values():
        html = page.read_text(encoding="utf-8")
        for forbidden in ("http://", "https://", "//", "src=", "href=", "url(", "@import",
                          "<script", "<link", "<img", "<iframe", "<object"):
            assert forbidden not in html.replace("<!DOCTYPE html>", ""), forbidden
        assert '<meta charset="utf-8">' in html and "<style>" in html


def _browser(page: Path, profile: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *flags,
                           page.as_uri()], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


# --- what the DOM holds ----------------------------------------------------------------------

@dataclass
class Bar:
    label: str = ""
    width: float = -1.0
    fill: str = ""
    value: str = ""


@dataclass
class Page:
    """What a person sees of the page, read from the DOM Chromium built."""

    h1: str = ""
    headings: list[str] = field(default_factory=list)
    tables: list[dict[str, object]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # any attribute naming an address


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._text: list[str] | None = None
        self._row: list[str] | None = None
        self._section = ""
        self._bar_texts: list[str] = []
        self._in_group = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.page.requests += [f"{tag} {name}" for name in ("src", "href") if name in found]
        if tag in ("h1", "h2", "caption", "p", "td", "th", "text"):
            self._text = []
        if tag == "table":
            self.page.tables.append({"caption": "", "head": [], "body": [], "foot": []})
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = {"thead": "head", "tbody": "body", "tfoot": "foot"}[tag]
        elif tag == "tr":
            self._row = []
        elif tag == "g" and not found.get("class"):  # a bar; the map's groups have a class
            self._in_group = True
            self._bar_texts = []
            self.page.bars.append(Bar())
        elif tag == "rect" and found.get("class") == "bar":
            self.page.bars[-1].width = float(found["width"] or "nan")
            self.page.bars[-1].fill = found.get("fill") or ""

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._text or []).split())
        if tag == "h1":
            self.page.h1 = text
        elif tag == "h2":
            self.page.headings.append(text)
        elif tag == "p":
            self.page.paragraphs.append(text)
        elif tag == "caption":
            self.page.tables[-1]["caption"] = text
        elif tag in ("td", "th") and self._row is not None:
            self._row.append(text)
        elif tag == "tr" and self._row is not None:
            rows = self.page.tables[-1][self._section]
            assert isinstance(rows, list)
            rows.append(self._row)
            self._row = None
        elif tag == "text" and self._in_group:
            self._bar_texts.append(text)
        elif tag == "g" and self._in_group:
            self.page.bars[-1].label, self.page.bars[-1].value = self._bar_texts
            self._in_group = False
        if tag in ("h1", "h2", "caption", "p", "td", "th", "text"):
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _shown(page: Path, tmp_path_factory: pytest.TempPathFactory) -> Page:
    result = _browser(page, tmp_path_factory.mktemp("profile"), "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.lstrip().startswith("<!DOCTYPE html>"), result.stdout[:200]
    reader = _Reader()
    reader.feed(result.stdout)
    reader.close()
    return reader.page


@pytest.fixture(scope="module")
def week_47(pages: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Page:
    return _shown(pages["2024-W47"], tmp_path_factory)


@pytest.fixture(scope="module")
def week_1(pages: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Page:
    return _shown(pages["2025-W01"], tmp_path_factory)


def _table(page: Page, head: list[str], caption: str = "") -> dict[str, object]:
    [table] = [t for t in page.tables if t["head"] == [head] and t["caption"] == caption]
    return table


def test_chromium_shows_the_title_and_the_sections(week_47: Page) -> None:
    assert week_47.h1 == ("Báo cáo tuần về công tác theo dõi địa bàn: Tuần 47 "
                          "(18/11–24/11/2024)")
    assert week_47.headings == [
        "Các chuyến công tác trong tuần",
        "Khó khăn, vướng mắc và đề xuất, kiến nghị của cơ sở",
        "Chuyến công tác cập nhật muộn",
        "Thay đổi phân công theo dõi",
        "Mức độ bao phủ địa bàn Quý IV/2024 (tính đến ngày 24/11/2024)",
        "Các xã quá hạn chưa có chuyến công tác",
        "Đề xuất, kiến nghị chưa được giải quyết",
        "Kiểm tra dữ liệu",
        "Dấu vết kiểm tra"]
    assert week_47.paragraphs[0] == (
        "Trong tuần: 1 chuyến công tác tại 1 xã, do 1 cán bộ thực hiện; cơ sở nêu 2 khó khăn, "
        "vướng mắc và 1 đề xuất, kiến nghị.")
    assert "Trong tuần không có thay đổi phân công." in week_47.paragraphs
    assert "Không có xã nào quá hạn." in week_47.paragraphs
    assert week_47.requests == []


def test_chromium_shows_the_tables_of_week_47(week_47: Page) -> None:
    assert len(week_47.tables) == 6
    visits = _table(week_47, ["Ngày", "Xã", "Huyện, thành phố", "Cán bộ", "Hình thức"])
    assert visits["body"] == [["20/11/2024", "Xã Đại Sảo", "Huyện Chợ Đồn", "Lương Văn Khánh",
                               "làm việc với Đảng ủy, UBND xã"]]
    said = ["Ngày", "Xã", "Cán bộ", "Nội dung"]
    assert _table(week_47, said, "Khó khăn, vướng mắc")["body"] == [
        ["20/11/2024", "Xã Đại Sảo", "Lương Văn Khánh", "Đường liên thôn xuống cấp"],
        ["20/11/2024", "Xã Đại Sảo", "Lương Văn Khánh", "Thiếu kinh phí sửa nhà văn hóa thôn"]]
    assert _table(week_47, said, "Đề xuất, kiến nghị")["body"] == [
        ["20/11/2024", "Xã Đại Sảo", "Lương Văn Khánh",
         "Đề nghị tỉnh hỗ trợ cứng hóa đường liên thôn"]]
    # Visited on 03/10, recorded on 19/11: 47 days late, by CB01 who followed Đại Sảo then.
    late = _table(week_47, ["Ngày đi công tác", "Ngày cập nhật", "Số ngày muộn", "Xã", "Cán bộ"])
    assert late["body"] == [["03/10/2024", "19/11/2024", "47", "Xã Đại Sảo", "Hà Thị Ngần"]]
    coverage = _table(week_47, ["Huyện, thành phố", "Số xã", "Số xã đã đến", "Tỷ lệ bao phủ",
                                "Số chuyến công tác"])
    assert coverage["body"] == [["Thành phố Bắc Kạn", "2", "1", "50,0%", "1"],
                                ["Huyện Chợ Đồn", "2", "1", "50,0%", "3"]]
    assert coverage["foot"] == [["Toàn tỉnh", "4", "2", "50,0%", "4"]]
    # Raised on 20/11 and not followed up yet: 4 days on Sunday 24/11, not overdue (30).
    waiting = _table(week_47, PENDING_HEAD, "Đang chờ giải quyết (nêu sớm nhất trước)")
    assert waiting["body"] == [
        [f"V-20241120-001/{n}", "20/11/2024", "Xã Đại Sảo", "Lương Văn Khánh", kind, text,
         "chưa xử lý", "20/11/2024", "chưa chuyển", "4", ""]
        for n, kind, text in (("K1", "khó khăn", "Đường liên thôn xuống cấp"),
                              ("K2", "khó khăn", "Thiếu kinh phí sửa nhà văn hóa thôn"),
                              ("D1", "đề xuất", "Đề nghị tỉnh hỗ trợ cứng hóa đường liên thôn"))]
    assert ("Đã có kết quả trong tuần (giải quyết hoặc không giải quyết): trong tuần không có"
            in week_47.paragraphs)


PENDING_HEAD = ["Mã", "Ngày nêu", "Xã", "Cán bộ", "Loại", "Nội dung", "Trạng thái", "Từ ngày",
                "Nơi đang xử lý", "Số ngày", "Quá hạn"]


def test_chromium_shows_one_bar_per_district(week_47: Page, week_1: Page) -> None:
    half = FULL_BAR * 50 / 100
    assert week_47.bars == [Bar("Thành phố Bắc Kạn", half, "#bf8700", "50,0%"),
                            Bar("Huyện Chợ Đồn", half, "#bf8700", "50,0%")]
    # A district with no visit in the quarter keeps its bar, of no length, in red.
    assert week_1.bars == [Bar("Thành phố Bắc Kạn", half, "#bf8700", "50,0%"),
                           Bar("Huyện Chợ Đồn", 0.0, "#b3261e", "0,0%")]


def test_chromium_shows_the_tables_of_week_1(week_1: Page) -> None:
    assert week_1.h1.endswith("Tuần 1 (30/12/2024–05/01/2025)")
    visits = _table(week_1, ["Ngày", "Xã", "Huyện, thành phố", "Cán bộ", "Hình thức"])
    assert visits["body"] == [
        ["31/12/2024", "Phường Sông Cầu", "Thành phố Bắc Kạn", "Lý Văn Đức",
         "dự hội nghị, sự kiện"],
        ["01/01/2025", "Phường Nguyễn Thị Minh Khai", "Thành phố Bắc Kạn", "Đàm Thị Hoa",
         "làm việc với Đảng ủy, UBND xã"]]
    coverage = _table(week_1, ["Huyện, thành phố", "Số xã", "Số xã đã đến", "Tỷ lệ bao phủ",
                               "Số chuyến công tác"])
    assert coverage["body"] == [["Thành phố Bắc Kạn", "2", "1", "50,0%", "1"],
                                ["Huyện Chợ Đồn", "2", "0", "0,0%", "0"]]
    assert coverage["foot"] == [["Toàn tỉnh", "4", "1", "25,0%", "1"]]
    [overdue] = [t for t in week_1.tables if t["head"] and "Lần đến gần nhất" in t["head"][0]]
    assert [[row[0], row[1], row[-2], row[-1]] for row in overdue["body"]] == [
        ["02020", "Thị trấn Bằng Lũng", "chưa có", "129"]]
    # The items of 20/11/2024 have waited 46 days on 05/01/2025: more than 30, overdue.
    waiting = _table(week_1, PENDING_HEAD, "Đang chờ giải quyết (nêu sớm nhất trước)")
    assert [(row[0], row[-2], row[-1]) for row in waiting["body"]] == [
        ("V-20241120-001/K1", "46", "quá hạn"), ("V-20241120-001/K2", "46", "quá hạn"),
        ("V-20241120-001/D1", "46", "quá hạn")]
    assert ("Tính đến ngày 05/01/2025: 3 khó khăn, đề xuất, kiến nghị đang chờ trả lời hoặc "
            "giải quyết; trong đó 3 nội dung đã chờ quá 30 ngày." in week_1.paragraphs)


# --- what the screen shows --------------------------------------------------------------------

def decode_png(raw: bytes) -> np.ndarray:
    """The pixels of an 8-bit RGB or RGBA PNG, as an array of rows of (r, g, b):
    enough of PNG to read Chromium's screenshots without an imaging library."""
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    position, compressed = 8, b""
    width = height = channels = 0
    while position < len(raw):
        length, kind = struct.unpack(">I4s", raw[position:position + 8])
        body = raw[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and not interlace, (depth, colour)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            compressed += body
        position += 12 + length
    data = np.frombuffer(zlib.decompress(compressed), dtype=np.uint8)
    lines = data.reshape(height, width * channels + 1)
    pixels = np.zeros((height, width, channels), dtype=np.uint8)
    previous = np.zeros((width, channels), dtype=np.int32)
    for y in range(height):
        kind, line = lines[y, 0], lines[y, 1:].reshape(width, channels).astype(np.int32)
        if kind == 1:  # Sub: each byte adds the one of the pixel to its left
            line = np.cumsum(line, axis=0) % 256
        elif kind == 2:  # Up
            line = (line + previous) % 256
        elif kind in (3, 4):  # Average, Paeth: byte by byte, left to right
            out = line.reshape(-1).tolist()
            above = previous.reshape(-1).tolist()
            for i, value in enumerate(out):
                left = out[i - channels] if i >= channels else 0
                up = above[i]
                if kind == 3:
                    out[i] = (value + (left + up) // 2) & 0xFF
                    continue
                corner = above[i - channels] if i >= channels else 0
                guess = left + up - corner
                to_left, to_up, to_corner = abs(guess - left), abs(guess - up), abs(guess - corner)
                out[i] = (value + (left if to_left <= to_up and to_left <= to_corner
                                   else up if to_up <= to_corner else corner)) & 0xFF
            line = np.array(out, dtype=np.int32).reshape(width, channels)
        pixels[y] = line
        previous = line
    return pixels[:, :, :3]


def painted_bands(pixels: np.ndarray, colour: tuple[int, int, int]) -> list[tuple[int, int]]:
    """Each horizontal band of ``colour``, top to bottom: (rows high, widest run)."""
    matches = np.all(pixels == np.array(colour, dtype=np.uint8), axis=2)
    bands: list[tuple[int, int]] = []
    height = widest = 0
    for row in [*matches, np.zeros(0, dtype=bool)]:
        best = run = 0
        for hit in row.tolist() if row.any() else ():
            run = run + 1 if hit else 0
            best = max(best, run)
        if best:
            height, widest = height + 1, max(widest, best)
        elif height:
            bands.append((height, widest))
            height = widest = 0
    return bands


def test_decode_png_reads_each_filter() -> None:
    """Two pixels wide, one row per PNG filter (none, sub, up, average, Paeth)."""
    pixels = [[(10, 20, 30), (40, 50, 60)], [(1, 2, 3), (250, 251, 252)],
              [(0, 0, 0), (255, 255, 255)], [(9, 8, 7), (6, 5, 4)], [(100, 0, 200), (3, 9, 27)]]

    def filtered(kind: int, line: bytes, previous: bytes) -> bytes:
        out = bytearray([kind])
        for i, value in enumerate(line):
            left = line[i - 3] if i >= 3 else 0
            up, corner = previous[i], previous[i - 3] if i >= 3 else 0
            guess = left + up - corner
            paeth = min((abs(guess - left), 0, left), (abs(guess - up), 1, up),
                        (abs(guess - corner), 2, corner))[2]
            out.append((value - (0, left, up, (left + up) // 2, paeth)[kind]) & 0xFF)
        return bytes(out)

    raw, previous = b"", bytes(6)
    for kind, row in enumerate(pixels):
        line = bytes(v for pixel in row for v in pixel)
        raw += filtered(kind, line, previous)
        previous = line

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 5, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    assert decode_png(png).tolist() == [[list(p) for p in row] for row in pixels]


def test_chromium_paints_the_bars_to_scale(pages: dict[str, Path], tmp_path: Path) -> None:
    """Week 1 of 2025: Bắc Kạn's bar half the track (120 of 240 px, one
    column of it may be blended with the track), Chợ Đồn's of no length; the
    bars are 16 px high."""
    shot = tmp_path / "summary.png"
    result = _browser(pages["2025-W01"], tmp_path / "profile", f"--screenshot={shot}",
                      "--window-size=1280,1600", "--force-device-scale-factor=1",
                      "--hide-scrollbars")
    assert result.returncode == 0, result.stderr[-2000:]
    rows = decode_png(shot.read_bytes())
    [(high, long)] = painted_bands(rows, AMBER)
    assert 15 <= high <= 16 and FULL_BAR // 2 - 1 <= long <= FULL_BAR // 2, (high, long)
    tracks = painted_bands(rows, TRACK)
    assert len(tracks) == 2, tracks
    # Behind the half bar, the other half of the track; behind the empty one, all of it.
    assert FULL_BAR // 2 - 1 <= tracks[0][1] <= FULL_BAR // 2, tracks
    assert FULL_BAR - 1 <= tracks[1][1] <= FULL_BAR, tracks
