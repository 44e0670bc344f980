"""`theodoi visit add`: what it stores, what it prints, and what it refuses.

The small data folder (conftest): Xã Đại Sảo 02068 is followed by CB01 Hà Thị
Ngần, Thị trấn Bằng Lũng 02020 by CB02, Phường Nguyễn Thị Minh Khai 01834 by
CB03, Phường Sông Cầu 01837 by CB04, all since 29/08/2024.  The clock is
pinned to 20/09/2024 10:30 in Viet Nam with THEODOI_NOW (and THEODOI_TODAY),
so that every record's ``recorded_at`` is known to the second.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SMALL_ASSIGNMENTS, invoke, write_data_folder

from theodoi.cli.main import main

TODAY = "2024-09-20"
NOW = "2024-09-20T10:30:00+07:00"
STAMP = re.compile(r"^  recorded_at: '(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00)'$", re.M)


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEODOI_TODAY", TODAY)
    monkeypatch.setenv("THEODOI_NOW", NOW)
    monkeypatch.delenv("THEODOI_DATA", raising=False)
    monkeypatch.delenv("THEODOI_LANG", raising=False)


def add(capsys: pytest.CaptureFixture[str], data: Path, *args: str,
        lang: str = "vi") -> tuple[int, str, str]:
    """Run `visit add` in-process; return (exit code, stdout, stderr)."""
    code = main(["visit", "add", "--data", str(data), "--lang", lang, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def day_text(data: Path, day: str) -> str:
    return (data / "visits" / day[:4] / f"{day}.yaml").read_text(encoding="utf-8")


def test_a_visit_is_stored_as_readable_yaml_and_printed_back(capsys, small_data: Path) -> None:
    code, out, err = add(capsys, small_data, "--commune", "dai sao", "--date", "15/09/2024",
                         "--note", "Làm việc với Đảng ủy xã về chuyển đổi số",
                         "--issue", "Thiếu cán bộ chuyên trách", "--issue", "Sóng điện thoại yếu",
                         "--proposal", "Hỗ trợ kinh phí lắp trạm phát sóng")
    assert (code, err) == (0, "")
    text = day_text(small_data, "2024-09-15")
    assert text == (
        "- id: V-20240915-001\n"
        "  date: 2024-09-15\n"
        "  cadre: CB01\n"
        '  commune: "02068"\n'
        "  kind: working\n"
        "  notes: Làm việc với Đảng ủy xã về chuyển đổi số\n"
        "  difficulties:\n"
        "  - Thiếu cán bộ chuyên trách\n"
        "  - Sóng điện thoại yếu\n"
        "  proposals:\n"
        "  - Hỗ trợ kinh phí lắp trạm phát sóng\n"
        "  recorded_at: '2024-09-20T10:30:00+07:00'\n")
    assert out.splitlines() == [
        f"Đã ghi chuyến công tác V-20240915-001 vào tệp "
        f"{small_data / 'visits' / '2024' / '2024-09-15.yaml'} (dòng 1).",
        "  Ngày:                15/09/2024",
        "  Cán bộ:              CB01 Hà Thị Ngần (Tổng biên tập, Báo Bắc Kạn)",
        "  Xã:                  02068 Xã Đại Sảo (Huyện Chợ Đồn)",
        "  Hình thức:           làm việc với Đảng ủy, UBND xã",
        "  Nội dung làm việc:   Làm việc với Đảng ủy xã về chuyển đổi số",
        "  Khó khăn, vướng mắc:",
        "    - Thiếu cán bộ chuyên trách",
        "    - Sóng điện thoại yếu",
        "  Đề xuất, kiến nghị:",
        "    - Hỗ trợ kinh phí lắp trạm phát sóng",
        # when it was written down (not the visit's date), in Viet Nam time
        "  Thời điểm ghi:       20/09/2024 10:30",
    ]


def test_the_pinned_clock_is_the_stamp_of_the_record(capsys, small_data: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THEODOI_TODAY")
    assert add(capsys, small_data, "--commune", "02068")[0] == 0
    text = day_text(small_data, TODAY)  # the default date is the pinned clock's day
    assert STAMP.findall(text) == [NOW]


def test_a_pinned_day_alone_stamps_the_record_on_that_day(
        capsys, small_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A visit recorded on a pinned day (a replay, a test) is stamped on that
    day, at the real time of day: never on the real date."""
    monkeypatch.delenv("THEODOI_NOW")
    assert add(capsys, small_data, "--commune", "02068", "--date", "2024-09-15")[0] == 0
    [stamp] = STAMP.findall(day_text(small_data, "2024-09-15"))
    assert stamp.startswith("2024-09-20T") and stamp.endswith("+07:00"), stamp


def test_english_output_uses_iso_dates(capsys, small_data: Path) -> None:
    code, out, _err = add(capsys, small_data, "--commune", "02068", "--date", "2024-09-15",
                          lang="en")
    assert code == 0
    assert out.splitlines()[1:5] == [
        "  Date:         2024-09-15",
        "  Cadre:        CB01 Hà Thị Ngần (Tổng biên tập, Báo Bắc Kạn)",
        "  Commune:      02068 Xã Đại Sảo (Huyện Chợ Đồn)",
        "  Kind:         working session with the commune party committee or people's "
        "committee",
    ]
    assert "  Difficulties: none" in out


def test_a_second_visit_is_appended_with_the_next_number(capsys, small_data: Path) -> None:
    assert add(capsys, small_data, "--commune", "dai sao", "--date", "2024-09-15")[0] == 0
    first = day_text(small_data, "2024-09-15")
    code, out, _err = add(capsys, small_data, "--commune", "Bằng Lũng", "--date", "15/09/2024",
                          "--kind", "khao sat")
    assert code == 0
    text = day_text(small_data, "2024-09-15")
    assert text.startswith(first)
    assert text[len(first):] == (
        "- id: V-20240915-002\n"
        "  date: 2024-09-15\n"
        "  cadre: CB02\n"
        '  commune: "02020"\n'
        "  kind: survey\n"
        "  difficulties: []\n"
        "  proposals: []\n"
        "  recorded_at: '2024-09-20T10:30:00+07:00'\n")
    assert out.splitlines()[0] == (
        f"Đã ghi chuyến công tác V-20240915-002 vào tệp {small_data / 'visits/2024/2024-09-15.yaml'}"
        " (dòng 9).")


def test_numbering_continues_from_the_highest_id_of_the_day(capsys, small_data: Path) -> None:
    # A hand-edited file: ids out of order, one missing, an item broken elsewhere.
    folder = small_data / "visits" / "2024"
    folder.mkdir(parents=True)
    (folder / "2024-09-15.yaml").write_text(
        "- {id: V-20240915-007, date: 2024-09-15, cadre: CB03, commune: \"01834\"}\n"
        "- {id: V-20240915-002, date: 2024-09-15, cadre: CB04, commune: \"01837\"}\n"
        "- {id: V-20240915-009, date: 15/13/2024, cadre: CB04, commune: \"01837\"}\n",
        encoding="utf-8")
    code, out, _err = add(capsys, small_data, "--commune", "dai sao", "--date", "2024-09-15")
    assert code == 0
    assert "V-20240915-010" in out


def test_different_cadre_needs_a_substitute_reason(capsys, small_data: Path) -> None:
    code, _out, err = add(capsys, small_data, "--commune", "dai sao", "--date", "2024-09-15",
                          "--cadre", "Nông Văn Bình")
    assert code == 2
    assert err == ("theodoi: lỗi [cadre-not-assigned-there]: Nông Văn Bình (CB02) không được "
                   "phân công theo dõi Xã Đại Sảo vào ngày 15/09/2024 (cán bộ được phân công: Hà "
                   "Thị Ngần (CB01)); nếu Nông Văn Bình (CB02) đi thay, hãy ghi lý do bằng "
                   "--substitute \"...\"\n")
    assert not (small_data / "visits" / "2024").exists()
    code, out, _err = add(capsys, small_data, "--commune", "dai sao", "--date", "2024-09-15",
                          "--cadre", "nong van binh", "--substitute",
                          "Đồng chí Ngần đi học tập trung")
    assert code == 0
    assert "  Đi thay, lý do:      Đồng chí Ngần đi học tập trung" in out
    text = day_text(small_data, "2024-09-15")
    assert "  cadre: CB02\n" in text
    assert "  substitute: Đồng chí Ngần đi học tập trung\n" in text


def test_substitute_reason_for_the_assigned_cadre_is_refused(capsys, small_data: Path) -> None:
    code, _out, err = add(capsys, small_data, "--commune", "dai sao", "--date", "2024-09-15",
                          "--cadre", "CB01", "--substitute", "không cần")
    assert code == 2
    assert "lý do đi thay chỉ ghi khi người khác đi thay" in err


def test_vacant_commune_needs_the_cadre_who_went(capsys, tmp_path: Path) -> None:
    assignments = [*SMALL_ASSIGNMENTS[:1],
                   '{commune: "02020", cadre: CB02, since: 2024-08-29, until: 2024-09-10}',
                   '{commune: "02020", cadre: "", since: 2024-09-11}',
                   *SMALL_ASSIGNMENTS[2:]]
    data = write_data_folder(tmp_path / "data", assignments=assignments)
    code, _out, err = add(capsys, data, "--commune", "bang lung", "--date", "2024-09-15")
    assert code == 2
    assert err == ("theodoi: lỗi [commune-vacant-on-day]: Thị trấn Bằng Lũng khuyết cán bộ theo dõi vào ngày 15/09/2024 "
                   "(từ ngày 11/09/2024); hãy ghi người đi bằng --cadre và lý do bằng "
                   "--substitute \"...\"\n")
    # Before the vacancy, CB02 was still the cadre of Bằng Lũng.
    assert add(capsys, data, "--commune", "bang lung", "--date", "2024-09-10")[0] == 0
    code, _out, _err = add(capsys, data, "--commune", "bang lung", "--date", "2024-09-15",
                           "--cadre", "CB02", "--substitute", "Xã chưa có cán bộ theo dõi")
    assert code == 0


@pytest.mark.parametrize(("typed", "stored"), [("2024-09-15", "2024-09-15"),
                                                ("15/09/2024", "2024-09-15"),
                                                ("1/9/2024", "2024-09-01")])
def test_both_date_forms(capsys, small_data: Path, typed: str, stored: str) -> None:
    assert add(capsys, small_data, "--commune", "02068", "--date", typed)[0] == 0
    assert f"  date: {stored}\n" in day_text(small_data, stored)


def test_date_defaults_to_today_in_viet_nam(capsys, small_data: Path) -> None:
    assert add(capsys, small_data, "--commune", "02068")[0] == 0
    assert "  date: 2024-09-20\n" in day_text(small_data, TODAY)


@pytest.mark.parametrize(("typed", "message"), [
    ("21/09/2024", "theodoi: lỗi [visit-in-future]: ngày 21/09/2024 chưa đến (hôm nay là 20/09/2024); chỉ ghi "
                   "chuyến công tác sau khi đã đi\n"),
    ("28/08/2024", "theodoi: lỗi [before-assignment]: ngày 28/08/2024 là trước khi CB01 bắt đầu theo dõi Xã Đại Sảo "
                   "(29/08/2024); hãy kiểm tra lại ngày, hoặc ghi người đi bằng --cadre và "
                   "--substitute \"...\"\n"),
])
def test_future_date_and_date_before_the_assignment_are_refused(
        capsys, small_data: Path, typed: str, message: str) -> None:
    code, _out, err = add(capsys, small_data, "--commune", "dai sao", "--date", typed)
    assert (code, err) == (2, message)
    assert not (small_data / "visits").exists() or not any((small_data / "visits").rglob("*.yaml"))


@pytest.mark.parametrize("typed", ["31/02/2024", "2024-13-01", "hôm qua", "15_09_2024"])
def test_impossible_date_is_a_usage_error(small_data: Path, typed: str) -> None:
    result = invoke("visit", "add", "--data", str(small_data), "--commune", "dai sao",
                    "--date", typed, env={"THEODOI_TODAY": TODAY})
    assert (result.returncode, result.stdout) == (2, "")
    assert f"'{typed}' không phải ngày hợp lệ" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (small_data / "visits").exists()


def test_same_cadre_commune_and_day_is_refused_unless_allowed(capsys, small_data: Path) -> None:
    assert add(capsys, small_data, "--commune", "dai sao", "--date", "2024-09-15")[0] == 0
    before = day_text(small_data, "2024-09-15")
    code, out, err = add(capsys, small_data, "--commune", "Đại Sảo", "--date", "15/09/2024")
    assert (code, out) == (1, "")
    assert err == (f"theodoi: lỗi [duplicate-visit]: {small_data / 'visits/2024/2024-09-15.yaml'}:1: đã có chuyến "
                   "công tác của cán bộ CB01 tại xã 02068 ngày 15/09/2024 (V-20240915-001); nếu "
                   "cần ghi thêm một chuyến nữa trong cùng ngày, hãy dùng --allow-duplicate\n")
    assert day_text(small_data, "2024-09-15") == before
    code, out, _err = add(capsys, small_data, "--commune", "Đại Sảo", "--date", "15/09/2024",
                          "--allow-duplicate")
    assert code == 0 and "V-20240915-002" in out


def test_unknown_commune_lists_candidates_and_exits_2(capsys, small_data: Path) -> None:
    code, out, err = add(capsys, small_data, "--commune", "dai sa", "--date", "2024-09-15")
    assert (code, out) == (2, "")
    assert err == ("theodoi: lỗi [commune-not-found]: không tìm thấy xã nào khớp với 'dai sa'; các kết quả gần giống "
                   "nhất:\n  02068 Xã Đại Sảo (Huyện Chợ Đồn)\n")


def test_unknown_cadre_and_kind_exit_2(capsys, small_data: Path) -> None:
    code, _out, err = add(capsys, small_data, "--commune", "dai sao", "--cadre", "CB99",
                          "--substitute", "x")
    assert code == 2 and "không tìm thấy cán bộ nào khớp với 'CB99'" in err
    code, _out, err = add(capsys, small_data, "--commune", "dai sao", "--kind", "picnic")
    assert code == 2 and "không có hình thức công tác 'picnic'" in err


def test_typed_text_is_stored_in_nfc_without_surrounding_spaces(capsys, small_data: Path) -> None:
    import unicodedata

    note = unicodedata.normalize("NFD", "  Đường vào bản bị sạt lở  ")
    assert add(capsys, small_data, "--commune", "dai sao", "--date", "2024-09-15", "--note", note,
               "--issue", " ", "--issue", "Thiếu vốn ")[0] == 0
    text = day_text(small_data, "2024-09-15")
    assert "  notes: Đường vào bản bị sạt lở\n  difficulties:\n  - Thiếu vốn\n" in text
    assert unicodedata.is_normalized("NFC", text)


def test_without_a_terminal_a_missing_commune_is_an_error_not_a_prompt(small_data: Path) -> None:
    result = invoke("visit", "add", "--data", str(small_data), env={"THEODOI_TODAY": TODAY})
    assert result.returncode == 2
    assert result.stderr == ("theodoi: lỗi [commune-missing-no-terminal]: thiếu --commune và không có cửa sổ dòng lệnh để "
                             "hỏi: hãy ghi mã hoặc tên xã\n")


def test_unreadable_registers_stop_with_their_problem_lines(capsys, small_data: Path) -> None:
    (small_data / "communes.csv").unlink()
    (small_data / "assignments.yaml").write_text("assignments: [\n", encoding="utf-8")
    code, out, err = add(capsys, small_data, "--commune", "dai sao", "--date", "2024-09-15")
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0].startswith(f"{small_data / 'assignments.yaml'}:2:1: lỗi [yaml-syntax]: lỗi cú pháp YAML")
    assert lines[1] == f"{small_data / 'communes.csv'}: lỗi [file-missing]: không tìm thấy tệp"
    assert lines[2] == ("theodoi: lỗi [registers-unreadable]: không đọc được danh mục (assignments.yaml, communes.csv); "
                        "hãy sửa các lỗi nêu trên (lệnh theodoi validate liệt kê đầy đủ)")
    assert not (small_data / "visits").exists()


def test_missing_data_folder(capsys, tmp_path: Path) -> None:
    code, out, err = add(capsys, tmp_path / "nowhere", "--commune", "dai sao")
    assert (code, out) == (1, "")
    assert err == (f"theodoi: lỗi [data-folder-missing]: {tmp_path / 'nowhere'}: không tìm thấy "
                   "thư mục dữ liệu (chỉ định --data THƯ_MỤC hoặc đặt biến THEODOI_DATA)\n")


def test_visit_add_does_not_import_pandas(small_data: Path) -> None:
    probe = ("import sys, runpy; sys.argv = ['theodoi', 'visit', 'add', '--data', sys.argv[1], "
             "'--commune', 'dai sao']\n"
             "try:\n    runpy.run_module('theodoi', run_name='__main__')\n"
             "except SystemExit as exc:\n    print('exit', exc.code)\n"
             "print('pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe, str(small_data)], capture_output=True,
                            text=True, cwd=REPO, env={**os.environ, "THEODOI_TODAY": TODAY},
                            stdin=subprocess.DEVNULL, timeout=60)
    # The visit was recorded (the command went all the way), without pandas.
    assert result.stdout.strip().splitlines()[-2:] == ["exit 0", "False"], result.stderr
