"""`theodoi visit list`: newest first, filtered, as a table, csv or json."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, Result, invoke

ENV = {"THEODOI_TODAY": "2024-09-30"}


@pytest.fixture
def visits(small_data: Path) -> Path:
    """Four visits on three days, written by hand; two on 15/09 in recording order."""
    folder = small_data / "visits" / "2024"
    folder.mkdir(parents=True)
    (folder / "2024-09-10.yaml").write_text(
        "- id: V-20240910-001\n  date: 2024-09-10\n  cadre: CB01\n  commune: \"02068\"\n"
        "  kind: working\n  notes: Họp giao ban\n  difficulties:\n  - Thiếu vốn\n"
        "  - Đường sạt lở\n  proposals:\n  - Hỗ trợ kinh phí\n"
        "  recorded_at: '2024-09-10T17:00:00+07:00'\n", encoding="utf-8")
    (folder / "2024-09-15.yaml").write_text(
        "- id: V-20240915-001\n  date: 2024-09-15\n  cadre: CB03\n  commune: \"01834\"\n"
        "  kind: survey\n  difficulties: []\n  proposals: []\n"
        "  recorded_at: '2024-09-15T09:00:00+07:00'\n"
        "- id: V-20240915-002\n  date: 2024-09-15\n  cadre: CB02\n  commune: \"02068\"\n"
        "  kind: event\n  substitute: Đồng chí Ngần ốm\n  notes: 'Dự lễ [bold]khánh thành[/bold]'\n"
        "  difficulties: []\n  proposals: []\n  recorded_at: '2024-09-15T18:30:00+07:00'\n",
        encoding="utf-8")
    (folder / "2024-09-20.yaml").write_text(
        "- id: V-20240920-001\n  date: 2024-09-20\n  cadre: CB04\n  commune: \"01837\"\n"
        "  kind: other\n  difficulties: []\n  proposals: []\n"
        "  recorded_at: '2024-09-21T08:00:00+07:00'\n", encoding="utf-8")
    return small_data


def listing(data: Path, *args: str) -> Result:
    return invoke("visit", "list", "--data", str(data), *args, env=ENV)


def test_csv_newest_first_with_english_keys_and_iso_dates(visits: Path) -> None:
    result = listing(visits, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["id", "date", "cadre_id", "cadre_name", "commune_code",
                             "commune_name", "kind", "notes", "difficulties", "proposals",
                             "substitute", "recorded_at"]
    assert [r["id"] for r in rows] == ["V-20240920-001", "V-20240915-002", "V-20240915-001",
                                       "V-20240910-001"]
    assert rows[3] == {
        "id": "V-20240910-001", "date": "2024-09-10", "cadre_id": "CB01",
        "cadre_name": "Hà Thị Ngần", "commune_code": "02068", "commune_name": "Xã Đại Sảo",
        "kind": "working", "notes": "Họp giao ban", "difficulties": "Thiếu vốn\nĐường sạt lở",
        "proposals": "Hỗ trợ kinh phí", "substitute": "",
        "recorded_at": "2024-09-10T17:00:00+07:00"}
    assert rows[1]["substitute"] == "Đồng chí Ngần ốm"


def test_json_keeps_lists_as_lists(visits: Path) -> None:
    result = listing(visits, "--format", "json", "--commune", "dai sao")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["V-20240915-002", "V-20240910-001"]
    assert rows[1]["difficulties"] == ["Thiếu vốn", "Đường sạt lở"]
    assert rows[1]["proposals"] == ["Hỗ trợ kinh phí"]
    assert rows[0]["kind"] == "event" and rows[0]["date"] == "2024-09-15"


@pytest.mark.parametrize(("args", "ids"), [
    (("--cadre", "ha thi ngan"), ["V-20240910-001"]),
    (("--cadre", "CB02"), ["V-20240915-002"]),
    (("--from", "15/09/2024"), ["V-20240920-001", "V-20240915-002", "V-20240915-001"]),
    (("--to", "2024-09-15"), ["V-20240915-002", "V-20240915-001", "V-20240910-001"]),
    (("--from", "2024-09-15", "--to", "15/09/2024"), ["V-20240915-002", "V-20240915-001"]),
    (("--commune", "Phường Sông Cầu"), ["V-20240920-001"]),
    (("--commune", "dai sao", "--from", "2024-09-11"), ["V-20240915-002"]),
    (("--from", "2024-10-01"), []),
])
def test_filters(visits: Path, args: tuple[str, ...], ids: list[str]) -> None:
    result = listing(visits, "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    assert [r["id"] for r in json.loads(result.stdout)] == ids


def test_bad_filters_are_usage_errors(visits: Path) -> None:
    unknown = listing(visits, "--commune", "dai sa")
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert unknown.stderr == ("theodoi: lỗi [commune-not-found]: không tìm thấy xã nào khớp "
                              "với 'dai sa'; các kết quả gần giống nhất:\n"
                              "  02068 Xã Đại Sảo (Huyện Chợ Đồn)\n")
    reversed_dates = listing(visits, "--from", "2024-09-20", "--to", "2024-09-01")
    assert (reversed_dates.returncode, reversed_dates.stdout) == (2, "")
    assert reversed_dates.stderr == "theodoi: lỗi [dates-reversed]: ngày --from sau ngày --to\n"
    impossible = listing(visits, "--from", "31/02/2024")
    assert (impossible.returncode, impossible.stdout) == (2, "")
    assert impossible.stderr.endswith(
        "\ntheodoi: lỗi [command-line]: --from: '31/02/2024' không phải ngày hợp lệ: tháng "
        "2/2024 có 29 ngày; ngày hợp lệ gần nhất là 29/02/2024 (viết 2024-09-15 hoặc "
        "15/09/2024)\n")
    xml = listing(visits, "--format", "xml")
    assert (xml.returncode, xml.stdout) == (2, "")
    assert xml.stderr.endswith(
        "\ntheodoi: lỗi [command-line]: --format: 'xml' không phải một trong các giá trị "
        "table, csv, json, xlsx\n")


def test_piped_table_is_plain_text(visits: Path) -> None:
    result = listing(visits)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "Ngày" in line)
    assert header.split() == ["Ngày", "Xã", "Cán", "bộ", "Hình", "thức", "Nội", "dung", "Mã"]
    dates = [line.split()[0] for line in lines if line.strip()[:2].isdigit()]
    assert dates == ["20/09/2024", "15/09/2024", "15/09/2024", "10/09/2024"]
    assert "Dự lễ [bold]khánh thành[/bold]" in result.stdout  # not taken for markup
    assert "(đi thay: Đồng chí Ngần ốm)" in result.stdout
    assert "Khó khăn: Đường sạt lở" in result.stdout
    assert "4 chuyến công tác" in result.stdout


def test_table_in_a_terminal_is_drawn_by_rich(visits: Path) -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, **ENV, "TERM": "xterm-256color", "COLUMNS": "160"}
    for name in ("NO_COLOR", "THEODOI_LANG", "THEODOI_DATA"):
        env.pop(name, None)
    process = subprocess.Popen([sys.executable, "-m", "theodoi", "visit", "list", "--data",
                                str(visits)], stdin=subprocess.DEVNULL, stdout=follower,
                               stderr=subprocess.PIPE, cwd=REPO, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the program has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    screen = b"".join(chunks).decode("utf-8")
    assert process.returncode == 0
    assert "\x1b[" in screen  # styled for the terminal
    assert "Đại Sảo" in screen


def test_english_labels_with_lang(visits: Path) -> None:
    result = listing(visits, "--lang", "en")
    assert result.returncode == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    assert lines[0].split() == ["Date", "Commune", "Cadre", "Kind", "Content", "Id"]
    assert [line.split()[0] for line in lines if line[:4] == "2024"] == [
        "2024-09-20", "2024-09-15", "2024-09-15", "2024-09-10"]
    assert "(standing in: Đồng chí Ngần ốm)" in result.stdout
    assert lines[-1] == "4 visits"


def test_no_visits_at_all(small_data: Path) -> None:
    result = listing(small_data)
    assert (result.returncode, result.stdout) == (0, "Không có chuyến công tác nào.\n")
    assert json.loads(listing(small_data, "--format", "json").stdout) == []


def test_a_broken_day_file_is_reported_and_the_rest_listed(visits: Path) -> None:
    (visits / "visits" / "2024" / "2024-09-12.yaml").write_text("- id: [\n", encoding="utf-8")
    result = listing(visits, "--format", "json")
    assert result.returncode == 0  # a list that was printed exits 0 (README, Exit codes)
    assert "2024-09-12.yaml:2:1: lỗi [yaml-syntax]: lỗi cú pháp YAML" in result.stderr
    assert len(json.loads(result.stdout)) == 4
    strict = listing(visits, "--format", "json", "--strict")
    assert (strict.returncode, strict.stdout) == (1, result.stdout)
