"""``theodoi import visits``: a hand-kept log, in Excel or CSV, recorded as
``visit add`` would record it, all or nothing.

The workbooks are made here with openpyxl as a clerk makes them in Excel: a
title over a two-row header with merged cells, a date typed as a date, one
as a serial number, one as text; the CSV files as Excel saves them (a
byte-order mark, CRLF, semicolons).  Every expectation is computed by hand
on conftest's four communes and four cadres.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import invoke, write_data_folder

from theodoi.store.importing import cell_date, cell_items, header_key
from theodoi.store.sheets import EXCEL_EPOCH, column_letter, csv_grid

TODAY = {"THEODOI_TODAY": "2024-09-20", "THEODOI_NOW": "2024-09-20T17:00:00+07:00"}


def run(root: Path, *args: str, lang: str = "vi") -> object:
    return invoke("import", "visits", *args, "--data", "data",
                  env={**TODAY, "THEODOI_LANG": lang}, cwd=root)


def day_file(root: Path, day: str) -> list[dict[str, object]]:
    path = root / "data" / "visits" / day[:4] / f"{day}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def hand_kept_log(path: Path) -> Path:
    """The log of a clerk: a title, a header on two rows with merged cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Nhật ký 2024"
    sheet["A1"] = "NHẬT KÝ ĐI CƠ SỞ CỦA CÁC ĐỒNG CHÍ ỦY VIÊN BAN THƯỜNG VỤ"
    sheet.merge_cells("A1:I1")
    sheet["A2"] = "(Văn phòng Tỉnh ủy theo dõi)"
    sheet.merge_cells("A2:I2")
    for column, header in zip("ABCDEI", ["STT", "Ngày", "Xã/phường", "Cán bộ", "Hình thức",
                                        "Đi thay (lý do)"], strict=True):
        sheet[f"{column}3"] = header
        sheet.merge_cells(f"{column}3:{column}4")
    sheet["F3"] = "Nội dung làm việc"
    sheet.merge_cells("F3:H3")
    sheet["F4"], sheet["G4"], sheet["H4"] = "Ghi chú", "Khó khăn", "Kiến nghị"
    rows = [
        [1, datetime(2024, 9, 15), "Đại Sảo", "Hà Thị Ngần", "Làm việc",
         "Làm việc với Đảng ủy xã", "- Thiếu giáo viên\n- Đường vào xã hỏng", None, None],
        [2, 45551, "01834", "Đàm Thị Hoa", "khảo sát", None, None, "Hỗ trợ kinh phí", None],
        [3, "17/09/2024", "Xã Đại Sảo", "Nông Văn Bình", None, None, None, None,
         "Đồng chí Ngần đi học"],
    ]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(5 + offset, column, value)
    sheet["B5"].number_format = "dd/mm/yyyy"
    book.save(path)
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_data_folder(tmp_path / "data")
    return tmp_path


def test_a_hand_kept_workbook(root: Path) -> None:
    hand_kept_log(root / "nhat-ky.xlsx")
    result = run(root, "nhat-ky.xlsx")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Đã ghi 3 chuyến công tác từ nhat-ky.xlsx:\n"
        "  nhat-ky.xlsx[Nhật ký 2024]:5: V-20240915-001 15/09/2024, Xã Đại Sảo: Hà Thị Ngần "
        "(CB01), làm việc với Đảng ủy, UBND xã\n"
        "  nhat-ky.xlsx[Nhật ký 2024]:6: V-20240916-001 16/09/2024, Phường Nguyễn Thị Minh "
        "Khai: Đàm Thị Hoa (CB03), khảo sát, nắm tình hình thực tế\n"
        "  nhat-ky.xlsx[Nhật ký 2024]:7: V-20240917-001 17/09/2024, Xã Đại Sảo: Nông Văn Bình "
        "(CB02), làm việc với Đảng ủy, UBND xã, đi thay: Đồng chí Ngần đi học\n")
    assert day_file(root, "2024-09-15") == [{
        "id": "V-20240915-001", "date": date(2024, 9, 15), "cadre": "CB01", "commune": "02068",
        "kind": "working", "notes": "Làm việc với Đảng ủy xã",
        "difficulties": ["Thiếu giáo viên", "Đường vào xã hỏng"], "proposals": [],
        "recorded_at": "2024-09-20T17:00:00+07:00"}]
    assert day_file(root, "2024-09-16")[0]["proposals"] == ["Hỗ trợ kinh phí"]
    assert day_file(root, "2024-09-17")[0]["substitute"] == "Đồng chí Ngần đi học"
    # The STT column is a row number: read, not reported as unknown.
    assert "không đọc" not in result.stderr


def test_importing_twice_records_nothing_more(root: Path) -> None:
    hand_kept_log(root / "nhat-ky.xlsx")
    assert run(root, "nhat-ky.xlsx").returncode == 0
    before = (root / "data" / "visits" / "2024" / "2024-09-15.yaml").read_bytes()
    again = run(root, "nhat-ky.xlsx", lang="en")
    assert again.returncode == 0
    assert again.stdout.splitlines()[:3] == [
        "No new visit in nhat-ky.xlsx.",
        "3 rows are already on record (imported before), skipped:",
        "  nhat-ky.xlsx[Nhật ký 2024]:5: V-20240915-001 2024-09-15, Xã Đại Sảo: Hà Thị Ngần "
        "(CB01), working session with the commune party committee or people's committee",
    ]
    assert (root / "data" / "visits" / "2024" / "2024-09-15.yaml").read_bytes() == before


def test_a_row_changed_since_is_a_duplicate(root: Path) -> None:
    hand_kept_log(root / "nhat-ky.xlsx")
    assert run(root, "nhat-ky.xlsx").returncode == 0
    book = openpyxl.load_workbook(root / "nhat-ky.xlsx")
    book.active["F5"] = "Làm việc với UBND xã"  # the note of row 5 edited after the import
    book.save(root / "nhat-ky.xlsx")
    result = run(root, "nhat-ky.xlsx", lang="en")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "nhat-ky.xlsx[Nhật ký 2024]:5:2 (B5): error [duplicate-visit]: cadre CB01 already has a "
        "visit to commune 02068 on 2024-09-15 on record (V-20240915-001); to record another "
        "one on the same day, allow duplicates (--allow-duplicate)",
        "theodoi: 1 error; nothing was written.",
    ]


CSV_WITH_ERRORS = (
    "\ufeffNgày;Xã/phường;Cán bộ;Hình thức;Ghi chú\r\n"
    "15/09/2024;Đại Sảo;;;Họp chi bộ\r\n"
    "31/02/2024;Đại Sảo;;;\r\n"
    "16/09/2024;Xã Không Có;;;\r\n"
    "16/09/2024;Sông Cầu;Nông Văn Bình;;\r\n"
    "25/09/2024;Bằng Lũng;;;\r\n"
    "17/09/2024;Bằng Lũng;;họp dân;\r\n"
    ";Bằng Lũng;;;\r\n"
)


def test_every_error_is_listed_and_nothing_written(root: Path) -> None:
    (root / "nhat-ky.csv").write_text(CSV_WITH_ERRORS, encoding="utf-8", newline="")
    result = run(root, "nhat-ky.csv", lang="en")
    assert (result.returncode, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert lines[0] == ("nhat-ky.csv:3:1 (A3): error [import-bad-date]: cell A3 (Ngày): "
                        "'31/02/2024' is not a date: month 2/2024 has 29 days; the nearest "
                        "valid date is 2024-02-29 (write 15/09/2024, or use an Excel date)")
    assert lines[1].startswith("nhat-ky.csv:4:2 (B4): error [commune-not-found]: no commune matches "
                               "'Xã Không Có'")
    rest = [line for line in lines if line.startswith("nhat-ky.csv:")][2:]
    assert rest == [
        "nhat-ky.csv:5:3 (C5): error [cadre-not-assigned-there]: Nông Văn Bình (CB02) does not "
        "follow Phường Sông Cầu on 2024-09-16 (assigned: Lý Văn Đức (CB04)); if Nông Văn Bình "
        "(CB02) went in their place, give the reason with --substitute \"...\"",
        "nhat-ky.csv:6:1 (A6): error [visit-in-future]: 2024-09-25 is in the future (today is "
        "2024-09-20); a visit is recorded after it took place",
        "nhat-ky.csv:7:4 (D7): error [kind-not-found]: unknown kind of visit 'họp dân'; use one of:",
        "nhat-ky.csv:8:1 (A8): error [import-empty-value]: cell A8 (Ngày) is empty; the date is "
        "needed",
    ]
    assert "theodoi: 6 errors; nothing was written." in lines
    assert lines[-1].startswith("In a file, --cadre is the cadre's column")
    assert not (root / "data" / "visits").exists()  # not even row 2, which was fine


def test_csv_with_commas_and_no_bom(root: Path) -> None:
    (root / "log.csv").write_text(
        "Date,Commune,Cadre,Kind,Notes,Difficulties\n"
        "2024-09-18,song cau,,field survey,\"Kiểm tra, đôn đốc\",\"Thiếu vốn\nThiếu đất\"\n",
        encoding="utf-8")
    result = run(root, "log.csv", lang="en")
    assert result.returncode == 0, result.stderr
    [visit] = day_file(root, "2024-09-18")
    assert (visit["commune"], visit["cadre"], visit["kind"], visit["notes"],
            visit["difficulties"]) == ("01837", "CB04", "survey", "Kiểm tra, đôn đốc",
                                       ["Thiếu vốn", "Thiếu đất"])


def test_dry_run_writes_nothing(root: Path) -> None:
    hand_kept_log(root / "nhat-ky.xlsx")
    result = run(root, "nhat-ky.xlsx", "--dry-run", lang="en")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "Would record 3 visits from nhat-ky.xlsx:"
    assert result.stdout.splitlines()[1] == (
        "  nhat-ky.xlsx[Nhật ký 2024]:5: 2024-09-15, Xã Đại Sảo: Hà Thị Ngần (CB01), working "
        "session with the commune party committee or people's committee")
    assert not (root / "data" / "visits").exists()


def test_column_option_for_an_unknown_header(root: Path) -> None:
    (root / "log.csv").write_text("Hôm đi,Xã\n18/09/2024,Sông Cầu\n", encoding="utf-8")
    refused = run(root, "log.csv", lang="en")
    assert refused.returncode == 1
    assert refused.stderr.startswith(
        "theodoi: error [import-no-header]: log.csv: no header row naming the columns 'Ngày' "
        "+ 'Xã/phường' / 'Mã xã' was found in the first 30 rows; columns are recognised by "
        "their header ('Ngày', 'Mã xã', 'Xã/phường', 'Mã cán bộ', 'Cán bộ', ")
    result = run(root, "log.csv", "--column", "date=Hôm đi", lang="en")
    assert result.returncode == 0, result.stderr
    assert day_file(root, "2024-09-18")[0]["commune"] == "01837"
    wrong = run(root, "log.csv", "--column", "day=Hôm đi", lang="en")
    assert wrong.returncode == 2 and "[import-bad-column-option]" in wrong.stderr


def test_visits_of_one_day_keep_the_order_of_their_former_ids(root: Path) -> None:
    (root / "list.csv").write_text(
        "Ngày,Mã xã,Mã cán bộ,Mã chuyến công tác,Đi thay (lý do)\n"
        "15/09/2024,02068,CB02,V-20240915-002,Đi thay đồng chí Ngần\n"
        "15/09/2024,02068,CB01,V-20240915-001,\n", encoding="utf-8")
    assert run(root, "list.csv").returncode == 0
    assert [(v["id"], v["cadre"]) for v in day_file(root, "2024-09-15")] == [
        ("V-20240915-001", "CB01"), ("V-20240915-002", "CB02")]


def test_the_same_visit_twice_in_the_file(root: Path) -> None:
    (root / "log.csv").write_text("Ngày,Xã\n15/09/2024,Đại Sảo\n15/09/2024,Đại Sảo\n",
                                  encoding="utf-8")
    refused = run(root, "log.csv", lang="en")
    assert refused.stderr.splitlines()[0] == (
        "log.csv:3:1 (A3): error [duplicate-visit]: cadre CB01 already has a visit to commune 02068 "
        "on 2024-09-15 on record (row 2 of the file); to record another one on the same day, "
        "allow duplicates (--allow-duplicate)")
    assert run(root, "log.csv", "--allow-duplicate").returncode == 0
    assert [v["id"] for v in day_file(root, "2024-09-15")] == ["V-20240915-001",
                                                              "V-20240915-002"]
    again = run(root, "log.csv", lang="en")  # both recognised, one each
    assert again.returncode == 0 and again.stdout.startswith("No new visit in log.csv.")


def test_round_trip_through_a_workbook(root: Path, tmp_path_factory: pytest.TempPathFactory
                                       ) -> None:
    """visit list --format xlsx of a workspace, imported into a fresh one with the
    same registers, gives the same visits (the same ids, days, cadres, communes,
    kinds, notes, difficulties, proposals and stand-in reasons)."""
    hand_kept_log(root / "nhat-ky.xlsx")
    assert run(root, "nhat-ky.xlsx").returncode == 0
    for args in (["--commune", "song cau", "--date", "18/09/2024", "--kind", "event",
                  "--note", "Dự lễ khánh thành; cắt băng", "--issue", "Thiếu kinh phí",
                  "--proposal", "Đề nghị hỗ trợ", "--proposal", "Đề nghị kiểm tra"],
                 ["--commune", "song cau", "--date", "18/09/2024", "--cadre", "CB01",
                  "--substitute", "Đồng chí Đức ốm"]):
        assert invoke("visit", "add", "--data", "data", *args, env=TODAY,
                      cwd=root).returncode == 0
    for lang in ("vi", "en"):
        listed = invoke("visit", "list", "--data", "data", "--format", "xlsx", "--output",
                        f"list-{lang}.xlsx", env={**TODAY, "THEODOI_LANG": lang}, cwd=root)
        assert listed.returncode == 0
        fresh = tmp_path_factory.mktemp(f"fresh-{lang}")
        write_data_folder(fresh / "data")
        (fresh / "list.xlsx").write_bytes((root / f"list-{lang}.xlsx").read_bytes())
        result = invoke("import", "visits", "list.xlsx", "--data", "data",
                        env={**TODAY, "THEODOI_LANG": lang}, cwd=fresh)
        assert result.returncode == 0, result.stderr
        assert "columns not read" not in result.stderr

        def listing(folder: Path) -> str:
            out = invoke("visit", "list", "--data", "data", "--format", "json", env=TODAY,
                         cwd=folder).stdout
            return out

        assert listing(fresh) == listing(root)


# --- the pieces -----------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (datetime(2024, 9, 15, 8, 30), date(2024, 9, 15)),
    (45550, date(2024, 9, 15)),
    (45550.75, date(2024, 9, 15)),
    ("45550", date(2024, 9, 15)),
    ("15/09/2024", date(2024, 9, 15)),
    ("5/9/2024", date(2024, 9, 5)),
    ("15-09-2024", date(2024, 9, 15)),
    ("15.09.2024", date(2024, 9, 15)),
    ("2024-09-15", date(2024, 9, 15)),
    ("15/09/2024 08:30", date(2024, 9, 15)),
    ("ngày 15 tháng 9 năm 2024", date(2024, 9, 15)),
    ("31/02/2024", None),
    ("9/15/2024", None),  # day first: there is no month 15
    ("tuần 37", None),
    (True, None),
])
def test_cell_dates(value: object, expected: date | None) -> None:
    assert cell_date(value, EXCEL_EPOCH) == expected


def test_the_1904_date_system() -> None:
    assert cell_date(44088, datetime(1904, 1, 1)) == date(2024, 9, 15)


def test_cell_items() -> None:
    assert cell_items("- Thiếu giáo viên\n+ Đường hỏng\n\n1. Thiếu nước") == (
        "Thiếu giáo viên", "Đường hỏng", "Thiếu nước")
    assert cell_items(None) == ()


@pytest.mark.parametrize(("text", "key"), [
    ("Xã/phường", "xa phuong"), ("  NGÀY  ", "ngay"), ("Đi thay (lý do)", "di thay ly do"),
    ("Cơ quan, đơn vị", "co quan don vi")])
def test_header_keys(text: str, key: str) -> None:
    assert header_key(text) == key


def test_csv_delimiters_and_lines() -> None:
    grid = csv_grid('Ngày;Ghi chú\n15/09/2024;"hai\ndòng"\n16/09/2024;x, y\n', "a.csv")
    assert grid.rows == [["Ngày", "Ghi chú"], ["15/09/2024", "hai\ndòng"],
                         ["16/09/2024", "x, y"]]
    assert grid.numbers == [1, 2, 4]  # the third record starts on line 4


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA"]


def two_sheets(path: Path) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Quý III"
    first.append(["Ngày", "Xã"])
    first.append([datetime(2024, 9, 15), "Đại Sảo"])
    notes = book.create_sheet("Hướng dẫn")
    notes.append(["Ghi ngày theo dạng dd/mm/yyyy"])
    second = book.create_sheet("Quý IV")
    second.append(["Ngày", "Xã"])
    second.append([datetime(2024, 10, 2), "Sông Cầu"])
    book.save(path)
    return path


def test_the_first_sheet_with_visits_and_a_note_for_the_others(root: Path) -> None:
    two_sheets(root / "so.xlsx")
    result = invoke("import", "visits", "so.xlsx", "--data", "data", cwd=root,
                    env={"THEODOI_TODAY": "2024-10-05", "THEODOI_LANG": "en"})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ("theodoi: note: other sheets have these columns too and were not "
                             "read: 'Quý IV' (give --sheet for each sheet to read)\n")
    assert not (root / "data" / "visits" / "2024" / "2024-10-02.yaml").exists()
    both = invoke("import", "visits", "so.xlsx", "--sheet", "quý iii", "--sheet", "Quý IV",
                  "--data", "data", cwd=root,
                  env={"THEODOI_TODAY": "2024-10-05", "THEODOI_LANG": "en"})
    assert both.returncode == 0, both.stderr
    assert both.stdout.splitlines()[:2] == [
        "Recorded 1 visit from so.xlsx:",
        "  so.xlsx[Quý IV]:2: V-20241002-001 2024-10-02, Phường Sông Cầu: Lý Văn Đức (CB04), "
        "working session with the commune party committee or people's committee"]
    assert "1 row is already on record (imported before), skipped:" in both.stdout


def test_a_sheet_without_the_columns(root: Path) -> None:
    two_sheets(root / "so.xlsx")
    result = run(root, "so.xlsx", "--sheet", "Hướng dẫn", lang="en")
    assert result.returncode == 1
    assert result.stderr.startswith("theodoi: error [import-no-header]: so.xlsx[Hướng dẫn]: ")


def test_a_csv_in_another_encoding(root: Path) -> None:
    (root / "log.csv").write_bytes("Ngày,Xã\n15/09/2024,Bắc\n".encode("cp1252", "replace"))
    result = run(root, "log.csv", lang="en")
    assert result.returncode == 1
    assert result.stderr == ("theodoi: error [file-not-utf8]: log.csv:1:3: the file is not "
                             "UTF-8 text (byte 0xe0; Latin-1 or Windows-1258?); save it as UTF-8\n")
    (root / "log.csv").write_bytes("Ngày,Xã\n15/09/2024,Đại Sảo\n".encode("utf-16"))
    assert "[file-utf16]" in run(root, "log.csv", lang="en").stderr


def test_a_failed_write_puts_back_what_was_written(root: Path) -> None:
    """All or nothing even when the disk refuses halfway: here the 2025 folder
    is blocked by a file, after the 2024 visit has been appended."""
    assert invoke("visit", "add", "--data", "data", "--commune", "dai sao", "--date",
                  "15/12/2024", env={"THEODOI_TODAY": "2025-01-10"}, cwd=root).returncode == 0
    before = (root / "data" / "visits" / "2024" / "2024-12-15.yaml").read_bytes()
    (root / "data" / "visits" / "2025").write_text("not a folder\n", encoding="utf-8")
    (root / "log.csv").write_text("Ngày,Xã\n15/12/2024,Sông Cầu\n02/01/2025,Sông Cầu\n"
                                  "20/12/2024,Bằng Lũng\n", encoding="utf-8")
    result = invoke("import", "visits", "log.csv", "--data", "data", cwd=root,
                    env={"THEODOI_TODAY": "2025-01-10", "THEODOI_LANG": "en"})
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("theodoi: error [folder-blocked]: data/visits/2025: cannot create "
                             "the folder: a file of that name is in the way\n")
    assert (root / "data" / "visits" / "2024" / "2024-12-15.yaml").read_bytes() == before
    assert not (root / "data" / "visits" / "2024" / "2024-12-20.yaml").exists()


def git(root: Path, *args: str) -> str:
    """git with the test's environment (no user or system configuration)."""
    import os
    import subprocess

    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True,
                          env=dict(os.environ)).stdout


def test_commit_makes_one_commit_of_the_day_files(root: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    hand_kept_log(root / "nhat-ky.xlsx")
    refused = run(root, "nhat-ky.xlsx", "--commit", lang="en")
    assert refused.returncode == 1 and "[not-in-git]" in refused.stderr
    assert not (root / "data" / "visits").exists()  # refused before anything was written
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Văn thư")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "vanthu@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Văn thư")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "vanthu@example.org")
    git(root / "data", "init", "-q")
    git(root / "data", "add", ".")
    git(root / "data", "commit", "-qm", "Dữ liệu ban đầu")
    result = run(root, "nhat-ky.xlsx", "--commit", lang="en")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("Committed to git: ")
    assert git(root / "data", "log", "--format=%s").splitlines() == [
        "Import 3 visits from nhat-ky.xlsx", "Dữ liệu ban đầu"]
    assert git(root / "data", "show", "--name-only", "--format=").split() == [
        "visits/2024/2024-09-15.yaml", "visits/2024/2024-09-16.yaml",
        "visits/2024/2024-09-17.yaml"]


def test_round_trip_of_a_demo_history(tmp_path: Path) -> None:
    """A plausible history (stand-ins, a replacement half-way, late records, several
    visits a day): every visit comes back with its id and its content; only the
    time of recording is the import's."""
    import json
    import shutil

    env = {"THEODOI_TODAY": "2025-03-31", "THEODOI_LANG": "vi"}
    assert invoke("demo", str(tmp_path / "src"), "--visits", "400", "--seed", "5",
                  env=env).returncode == 0
    (tmp_path / "fresh").mkdir()
    for name in ("communes.csv", "cadres.csv", "assignments.yaml"):
        shutil.copy(tmp_path / "src" / name, tmp_path / "fresh" / name)
    assert invoke("visit", "list", "--data", "src", "--format", "xlsx", "--output",
                  "list.xlsx", env=env, cwd=tmp_path).returncode == 0
    result = invoke("import", "visits", "list.xlsx", "--data", "fresh", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr

    def visits(folder: str) -> dict[str, dict[str, object]]:
        listed = invoke("visit", "list", "--data", folder, "--format", "json", env=env,
                        cwd=tmp_path)
        rows = json.loads(listed.stdout)
        return {row["id"]: {k: v for k, v in row.items() if k != "recorded_at"} for row in rows}

    source = visits("src")
    assert len(source) == 400
    assert any(v["substitute"] for v in source.values())
    assert visits("fresh") == source
