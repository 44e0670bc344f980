"""Prompts that help: in a real (pseudo-)terminal, every missing value is asked,
a wrong answer is asked again with the candidates, and Ctrl-C writes nothing."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import invoke, write_data_folder
from terminal import Terminal

TODAY = {"THEODOI_TODAY": "2024-09-20"}


def test_visit_add_alone_is_an_interview(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    clerk = Terminal("visit", "add", "--data", str(data), env=TODAY)
    clerk.expect("Ngày đi công tác [20/09/2024]: ")
    clerk.answer("31/02/2024")
    clerk.expect("'31/02/2024' không phải là ngày")  # answer-not-a-date: asked again
    clerk.expect("Ngày đi công tác [20/09/2024]: ")
    clerk.answer("")  # today
    clerk.expect("Xã (mã hoặc tên): ")
    clerk.answer("Dai Sa")
    refused = clerk.expect("Xã (mã hoặc tên): ")
    assert "không tìm thấy xã nào khớp với 'Dai Sa'" in refused
    assert "1. 02068 Xã Đại Sảo (Huyện Chợ Đồn)" in refused
    clerk.answer("1")
    clerk.expect("Cán bộ đi công tác (mã hoặc họ tên) [Hà Thị Ngần (CB01)]: ")
    clerk.answer("")  # the assigned cadre
    kinds = clerk.expect("Hình thức [1]: ")
    assert "1. làm việc với Đảng ủy, UBND xã" in kinds and "4. khảo sát" in kinds
    clerk.answer("9")
    clerk.expect("'9' không phải là một lựa chọn: hãy gõ một số từ 1 đến 6")  # choice-not-understood
    clerk.expect("Hình thức [1]: ")
    clerk.answer("khao")
    clerk.expect("Tình hình, nội dung làm việc (Enter để bỏ trống): ")
    clerk.answer("Kiểm tra tiến độ xây dựng nông thôn mới")
    clerk.expect("Khó khăn, vướng mắc của xã (mỗi ý một dòng; bấm Enter ở dòng trống để kết "
                 "thúc):")
    clerk.answer("Thiếu vốn đối ứng")
    clerk.answer("")
    clerk.expect("Đề xuất, kiến nghị với Ban Thường vụ")
    clerk.answer("")
    clerk.expect("Ghi chuyến công tác này? [C/k] ")
    clerk.answer("")  # Enter: yes
    code, out = clerk.finish()
    assert code == 0, clerk.seen
    assert out.startswith("Đã ghi chuyến công tác V-20240920-001 vào tệp ")
    [visit] = yaml.safe_load((data / "visits" / "2024" / "2024-09-20.yaml").read_text("utf-8"))
    assert {k: visit[k] for k in ("cadre", "commune", "kind", "notes", "difficulties")} == {
        "cadre": "CB01", "commune": "02068", "kind": "survey",
        "notes": "Kiểm tra tiến độ xây dựng nông thôn mới",
        "difficulties": ["Thiếu vốn đối ứng"]}
    assert not visit.get("proposals") and "substitute" not in visit, visit


def test_another_cadre_is_asked_why(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    clerk = Terminal("visit", "add", "--data", str(data), "--date", "15/09/2024",
                     "--lang", "en", env=TODAY)
    clerk.expect("Commune (code or name): ")
    clerk.answer("02068")
    clerk.expect("Cadre who went (id or name) [Hà Thị Ngần (CB01)]: ")
    clerk.answer("nong van binh")
    clerk.expect("Why Nông Văn Bình (CB02) went instead of the assigned cadre: ")
    clerk.answer("")  # a reason is required: asked again
    clerk.expect("Why Nông Văn Bình (CB02) went instead of the assigned cadre: ")
    clerk.answer("Đồng chí Ngần đi học")
    for question in ("Kind of visit [1]: ", "What was done and found", "Difficulties",
                     "Proposals", "Record this visit? [Y/n] "):
        clerk.expect(question)
        clerk.answer("")
    code, _out = clerk.finish()
    assert code == 0, clerk.seen
    [visit] = yaml.safe_load((data / "visits" / "2024" / "2024-09-15.yaml").read_text("utf-8"))
    assert (visit["cadre"], visit["substitute"], visit["kind"]) == (
        "CB02", "Đồng chí Ngần đi học", "working")


def test_ctrl_c_writes_nothing_and_says_so(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    clerk = Terminal("visit", "add", "--data", str(data), env=TODAY)
    clerk.expect("Ngày đi công tác [20/09/2024]: ")
    clerk.answer("")
    clerk.expect("Xã (mã hoặc tên): ")
    clerk.interrupt()
    code, out = clerk.finish()
    assert (code, out) == (130, "")
    assert "theodoi: đã dừng (Ctrl-C); không ghi thêm gì" in clerk.seen
    assert "Traceback" not in clerk.seen and "Aborted" not in clerk.seen
    assert not (data / "visits").exists()


def test_ctrl_d_is_the_same(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    clerk = Terminal("visit", "add", "--data", str(data), env=TODAY)
    clerk.expect("Ngày đi công tác [20/09/2024]: ")
    clerk.answer("\x04")  # Ctrl-D at the start of a line: end of input
    code, _out = clerk.finish()
    assert code == 130
    assert "theodoi: đã dừng (Ctrl-C); không ghi thêm gì" in clerk.seen
    assert not (data / "visits").exists()


def test_a_missing_reason_is_asked_for(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    added = invoke("visit", "add", "--data", str(data), "--commune", "02068", "--date",
                   "15/09/2024", env=TODAY)
    assert added.returncode == 0, added.stderr
    clerk = Terminal("visit", "withdraw", "V-20240915-001", "--data", str(data), "--by",
                     "Văn thư <vanthu@example.vn>", env=TODAY)
    clerk.expect("Lý do (được lưu cùng bản ghi): ")
    clerk.answer(" ")
    clerk.expect("Lý do (được lưu cùng bản ghi): ")
    clerk.answer("Ghi nhầm xã")
    code, _out = clerk.finish()
    assert code == 0, clerk.seen
    journal = next((data / "corrections").rglob("*.yaml")).read_text("utf-8")
    assert "reason: Ghi nhầm xã" in journal


def test_without_a_terminal_nothing_is_asked(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    added = invoke("visit", "add", "--data", str(data), env=TODAY)
    assert (added.returncode, added.stdout) == (2, "")
    assert added.stderr.startswith("theodoi: lỗi [commune-missing-no-terminal]: ")
    invoke("visit", "add", "--data", str(data), "--commune", "02068", "--date", "15/09/2024",
           env=TODAY)
    withdrawn = invoke("visit", "withdraw", "V-20240915-001", "--data", str(data), "--by",
                       "Văn thư <vanthu@example.vn>", env=TODAY)
    assert withdrawn.returncode == 2
    assert withdrawn.stderr.startswith("theodoi: lỗi [reason-missing]: ")
