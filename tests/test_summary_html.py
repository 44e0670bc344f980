"""The HTML weekly summary is one self-contained page that a browser opens cleanly.

A real headless Chromium loads it from disk: the DOM it builds must hold the
tables and the inline SVG chart.  The page makes no request: it holds no
address, no ``src=``, no style or font import, no script.  In CI (CI=true)
a missing Chromium fails the test; elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import require_tool, run_cli
from report_data import quarter_data

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def _chromium() -> str:
    return (shutil.which("chromium") or shutil.which("chromium-browser")
            or require_tool("chromium", "apt-get install -y chromium"))


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    data = quarter_data(folder / "data")
    target = folder / "bao-cao" / "tuan-2024-W47.html"
    result = run_cli("summary", "--data", str(data), "--week", "2024-W47", "--format", "html",
                     "--output", str(target), env={"THEODOI_TODAY": "2025-03-10"})
    assert result.returncode == 0, result.stderr
    return target


def test_the_page_asks_for_nothing_outside_itself(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    for forbidden in ("http://", "https://", "//", "src=", "href=", "url(", "@import",
                      "<script", "<link", "<img", "<iframe", "<object"):
        assert forbidden not in html.replace("<!DOCTYPE html>", ""), forbidden
    assert '<meta charset="utf-8">' in html and "<style>" in html


def _browser(page: Path, tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                           *flags, page.as_uri()], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def test_chromium_builds_the_tables_and_the_chart(page: Path, tmp_path: Path) -> None:
    result = _browser(page, tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "<h1>Báo cáo tuần về công tác theo dõi địa bàn: Tuần 47 (18/11–24/11/2024)</h1>" in dom
    assert len(re.findall(r"<table[ >]", dom)) >= 5
    assert "<svg" in dom and len(re.findall(r'<rect class="bar"', dom)) == 2  # two districts
    assert "50,0%" in dom and "Toàn tỉnh" in dom
    assert "Đường liên thôn xuống cấp" in dom
    assert "http" not in dom


def test_chromium_draws_it(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "summary.png"
    result = _browser(page, tmp_path, f"--screenshot={shot}", "--window-size=1280,1600")
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000  # a page with text, not a blank
