"""Difficulties and proposals followed to resolution: ids, the status journal, the rules.

Real git repositories in temporary folders and real files; the small data
folder of conftest: 02068 Đại Sảo (CB01 Hà Thị Ngần) and 02020 Bằng Lũng
(CB02 Nông Văn Bình) in Huyện Chợ Đồn, 01834 (CB03) and 01837 (CB04) in
Thành phố Bắc Kạn, all from 29/08/2024.  Today is pinned to 20/11/2024;
``proposal_overdue_days`` is 30 unless a test says otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import (
    CLERK,
    REPO,
    committed_office,
    git_environment,
    invoke,
    run_git,
)

TODAY = "2024-11-20"
WHO = f"{CLERK[0]} <{CLERK[1]}>"


def git_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return git_environment(TODAY, extra)


def git(root: Path, *args: str) -> str:
    return run_git(root, *args, env=git_env())


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A data repository with an identity and the registers committed, and three
    visits: Đại Sảo on 15/09 (two difficulties, one proposal), Bằng Lũng on
    01/10 (one proposal), Sông Cầu on 18/11 (one difficulty)."""
    root = committed_office(tmp_path / "office", git_env())
    add(root, "dai sao", "15/09/2024", "--issue", "Đường giao thông xuống cấp",
        "--issue", "Thiếu nước sạch", "--proposal", "Đề nghị hỗ trợ kinh phí sửa đường")
    add(root, "bang lung", "01/10/2024", "--proposal", "Đề nghị bổ sung biên chế y tế")
    add(root, "song cau", "18/11/2024", "--issue", "Thiếu phòng học")
    return root


def run(office: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = invoke(*args, "--data", str(office / "data"), env={**git_env(), **(env or {})},
                    cwd=office)
    return result.returncode, result.stdout, result.stderr


def add(office: Path, commune: str, day: str, *more: str) -> None:
    code, _out, err = run(office, "visit", "add", "--commune", commune, "--date", day, "--commit",
                          *more)
    assert code == 0, err


def listed(office: Path, *args: str) -> list[dict[str, object]]:
    code, out, err = run(office, "proposal", "list", "--format", "json", *args)
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)["rows"]
    return rows


def update(office: Path, item: str, *args: str) -> tuple[int, str, str]:
    return run(office, "proposal", "update", item, *args)


# --- ids ------------------------------------------------------------------------------------


def test_every_difficulty_and_proposal_gets_an_id_from_its_visit(office: Path) -> None:
    day_file = office / "data/visits/2024/2024-09-15.yaml"
    written = day_file.read_bytes()
    rows = listed(office)
    # Oldest first; within a visit the difficulties (K) before the proposals (D).
    assert [(r["id"], r["kind"], r["text"]) for r in rows] == [
        ("V-20240915-001/K1", "difficulty", "Đường giao thông xuống cấp"),
        ("V-20240915-001/K2", "difficulty", "Thiếu nước sạch"),
        ("V-20240915-001/D1", "proposal", "Đề nghị hỗ trợ kinh phí sửa đường"),
        ("V-20241001-001/D1", "proposal", "Đề nghị bổ sung biên chế y tế"),
        ("V-20241118-001/K1", "difficulty", "Thiếu phòng học"),
    ]
    # Hand-computed ages to 20/11/2024: 15/09 -> 66 days, 01/10 -> 50, 18/11 -> 2;
    # more than 30 days is overdue.
    assert [(r["days"], r["overdue"]) for r in rows] == [
        (66, True), (66, True), (66, True), (50, True), (2, False)]
    assert rows[0] == {
        "id": "V-20240915-001/K1", "kind": "difficulty", "visit_id": "V-20240915-001",
        "raised_on": "2024-09-15", "commune_code": "02068", "commune_name": "Xã Đại Sảo",
        "cadre_id": "CB01", "cadre_name": "Hà Thị Ngần", "text": "Đường giao thông xuống cấp",
        "status": "open", "status_date": "2024-09-15", "waiting_at": None, "ref": None,
        "days": 66, "overdue": True, "note": None}
    # The ids are read off the records: the day file is not rewritten.
    assert day_file.read_bytes() == written


# --- the status journal -----------------------------------------------------------------------


def test_a_proposal_through_every_status(office: Path) -> None:
    item = "V-20240915-001/D1"
    code, out, err = update(office, item, "--status", "forwarded", "--to", "so tai chinh",
                            "--date", "20/09/2024", "--note", "Chuyển Sở Tài chính xem xét",
                            "--commit")
    assert code == 0, err
    # The agency is written as the registers write it.
    assert out.splitlines()[:4] == [
        "Recorded status change P-20241120-001 of V-20240915-001/D1 "
        "(data/proposals/2024/2024-11-20.yaml, line 1).",
        "  Content: Đề nghị hỗ trợ kinh phí sửa đường",
        "  Before: open (since 2024-09-15)",
        "  Now: forwarded, waiting at Sở Tài chính (since 2024-09-20)"]
    assert git(office, "log", "-1", "--format=%B").strip().splitlines() == [
        "Status change P-20241120-001: V-20240915-001/D1 forwarded → Sở Tài chính", "",
        "Note: Chuyển Sở Tài chính xem xét", f"By: {WHO}", "",
        "Theodoi-Command: proposal update"]
    assert update(office, item, "--status", "answered", "--ref", "Số 125/STC-NS, 10/10/2024",
                  "--date", "10/10/2024", "--note", "Sở trả lời", "--commit")[0] == 0
    assert listed(office, "--status", "answered") == [
        {**listed(office, "--status", "answered")[0], "status": "answered",
         "status_date": "2024-10-10", "waiting_at": "Sở Tài chính",
         "ref": "Số 125/STC-NS, 10/10/2024", "note": "Sở trả lời"}]
    assert update(office, item, "--status", "resolved", "--date", "05/11/2024", "--note",
                  "Đã bố trí vốn sửa đường", "--commit")[0] == 0
    journal = yaml.safe_load((office / "data/proposals/2024/2024-11-20.yaml").read_text())
    assert [(r["id"], r["item"], r["status"], r["date"]) for r in journal] == [
        ("P-20241120-001", item, "forwarded", date(2024, 9, 20)),
        ("P-20241120-002", item, "answered", date(2024, 10, 10)),
        ("P-20241120-003", item, "resolved", date(2024, 11, 5))]
    assert journal[0] == {"id": "P-20241120-001", "item": item,
                          "text": "Đề nghị hỗ trợ kinh phí sửa đường", "status": "forwarded",
                          "date": date(2024, 9, 20), "to": "Sở Tài chính",
                          "note": "Chuyển Sở Tài chính xem xét", "by": WHO,
                          "recorded_at": journal[0]["recorded_at"]}
    # Resolved: no longer pending; it took 51 days (15/09 -> 05/11).
    assert item not in [r["id"] for r in listed(office)]
    [row] = listed(office, "--status", "resolved")
    assert (row["id"], row["days"], row["overdue"]) == (item, 51, False)
    # As of 30/09 it was forwarded and waited 15 days at Sở Tài chính.
    [row] = [r for r in listed(office, "--as-of", "30/09/2024") if r["id"] == item]
    assert (row["status"], row["waiting_at"], row["days"]) == ("forwarded", "Sở Tài chính", 15)
    # Each change is its own commit: appended, never edited; the audit is clean.
    assert run(office, "audit")[0] == 0
    assert run(office, "validate")[0] == 0


def test_show_tells_the_whole_story(office: Path) -> None:
    item = "V-20241001-001/D1"
    update(office, item, "--status", "forwarded", "--to", "Sở Y tế", "--date", "05/10/2024",
           "--note", "Chuyển Sở Y tế")
    code, out, err = run(office, "proposal", "show", "v-20241001-001/d1")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:6] == [
        "Proposal V-20241001-001/D1, raised at visit V-20241001-001 on 2024-10-01:",
        "  Content: Đề nghị bổ sung biên chế y tế",
        "  Commune: 02020 Thị trấn Bằng Lũng (Huyện Chợ Đồn)",
        "  Cadre: CB02 Nông Văn Bình (Giám đốc, Sở Tài chính)",
        "  Status on 2024-11-20: forwarded, waiting at Sở Y tế (since 2024-10-05); raised 50 "
        "days ago; overdue (more than 30 days).",
        "History:"]
    assert lines[6] == "  2024-10-01  raised at visit V-20241001-001 (open)"
    assert lines[7] == "  2024-10-05  forwarded, to Sở Y tế: Chuyển Sở Y tế"
    assert lines[8].startswith(f"      P-20241120-001, by {WHO}, recorded 2024-11-20T")
    assert lines[8].endswith("(data/proposals/2024/2024-11-20.yaml, line 1)")
    code, out, _err = run(office, "proposal", "show", item, "--format", "json")
    data = json.loads(out)
    assert data["item"]["status"] == "forwarded" and data["item"]["days"] == 50
    assert [(h["id"], h["status"], h["counts"]) for h in data["history"]] == [
        ("P-20241120-001", "forwarded", True)]


def test_refused_changes_name_their_check_and_write_nothing(office: Path) -> None:
    item = "V-20240915-001/D1"
    cases = [
        (("--status", "forwarded", "--note", "x"), "[proposal-agency-missing]"),
        (("--status", "answered", "--to", "Sở Y tế", "--note", "x"),
         "[proposal-agency-not-forwarded]"),
        (("--status", "answered", "--note", "x"), "[proposal-ref-missing]"),
        (("--status", "resolved"), "[proposal-note-missing]"),
        (("--status", "resolved", "--note", "  "), "[proposal-note-missing]"),
        (("--status", "resolved", "--note", "x", "--date", "14/09/2024"),
         "[proposal-date-too-early]"),
        (("--status", "resolved", "--note", "x", "--date", "21/11/2024"),
         "[proposal-date-in-future]"),
        (("--status", "open", "--note", "x"), "[proposal-not-closed]"),
    ]
    for args, check in cases:
        code, _out, err = update(office, item, *args)
        assert (code, check in err) == (2, True), (args, err)
    code, _out, err = update(office, "V-20240915-001/D2", "--status", "resolved", "--note", "x")
    assert code == 2 and "[unknown-proposal]" in err
    code, _out, err = update(office, "V-20240915-001", "--status", "resolved", "--note", "x")
    assert code == 2 and "[unknown-proposal]" in err
    assert not (office / "data/proposals").exists()
    # Closed, it changes only after a reopening, dated no earlier than the last change.
    assert update(office, item, "--status", "declined", "--date", "01/10/2024", "--note",
                  "Không thuộc thẩm quyền của tỉnh")[0] == 0
    code, _out, err = update(office, item, "--status", "forwarded", "--to", "Sở Xây dựng",
                             "--note", "x")
    assert code == 2 and "[proposal-closed]" in err
    assert ("was declined on 2024-10-01 (P-20241120-001); to change it, reopen it first: "
            "theodoi proposal update V-20240915-001/D1 --status open") in err
    code, _out, err = update(office, item, "--status", "open", "--date", "30/09/2024",
                              "--note", "x")
    assert code == 2 and "[proposal-date-too-early]" in err
    assert "before the change before it (P-20241120-001, 2024-10-01)" in err
    assert update(office, item, "--status", "open", "--note", "Tỉnh xem xét lại")[0] == 0
    assert update(office, item, "--status", "resolved", "--note", "Đã giải quyết")[0] == 0
    statuses = [r["status"] for r in yaml.safe_load(
        (office / "data/proposals/2024/2024-11-20.yaml").read_text())]
    assert statuses == ["declined", "open", "resolved"]


def test_a_mistaken_change_is_retracted_latest_first(office: Path) -> None:
    item = "V-20241001-001/D1"
    update(office, item, "--status", "forwarded", "--to", "Sở Y tế", "--date", "05/10/2024",
           "--note", "Chuyển Sở Y tế")
    update(office, item, "--status", "resolved", "--date", "06/10/2024", "--note", "Nhầm")
    code, _out, err = run(office, "proposal", "retract", "P-20241120-001", "--note", "x")
    assert code == 2 and "[retract-not-latest]" in err and "retract P-20241120-002 first" in err
    code, out, err = run(office, "proposal", "retract", "P-20241120-002", "--note",
                         "Ghi nhầm: chưa giải quyết", "--commit")
    assert code == 0, err
    assert "  Now: forwarded, waiting at Sở Y tế (since 2024-10-05)" in out.splitlines()
    assert [r["id"] for r in listed(office)].count(item) == 1
    code, _out, err = run(office, "proposal", "retract", "P-20241120-002", "--note", "x")
    assert code == 2 and "[status-record-retracted]" in err
    code, _out, err = run(office, "proposal", "retract", "P-20241120-003", "--note", "x")
    assert code == 2 and "[unknown-status-record]" in err  # a retraction is not a change
    code, _out, err = run(office, "proposal", "retract", "P-20241120-002")
    assert code == 2 and "[proposal-note-missing]" in err
    code, out, _err = run(office, "proposal", "show", item)
    assert "      (retracted by P-20241120-003: it does not count)" in out.splitlines()
    assert "  Status on 2024-11-20: forwarded, waiting at Sở Y tế (since 2024-10-05); " \
           "raised 50 days ago; overdue (more than 30 days)." in out.splitlines()
    assert run(office, "audit")[0] == 0


# --- the status history through corrections of the visit ----------------------------------------


def test_status_history_through_corrections(office: Path) -> None:
    item = "V-20240915-001/D1"
    update(office, item, "--status", "forwarded", "--to", "Sở Tài chính", "--date",
           "20/09/2024", "--note", "Chuyển Sở Tài chính")
    # A reworded proposal keeps its place, hence its id and its history; validate
    # warns that the wording changed since the status was recorded.
    code, _out, err = run(office, "visit", "amend", "V-20240915-001", "--proposal",
                          "Đề nghị hỗ trợ kinh phí sửa đường liên thôn", "--reason", "Ghi đủ")
    assert code == 0, err
    [row] = [r for r in listed(office) if r["id"] == item]
    assert (row["text"], row["status"], row["waiting_at"]) == (
        "Đề nghị hỗ trợ kinh phí sửa đường liên thôn", "forwarded", "Sở Tài chính")
    code, out, _err = run(office, "validate")
    assert code == 0
    assert ("data/proposals/2024/2024-11-20.yaml:1: warning [proposal-text-changed]: "
            "V-20240915-001/D1 now reads 'Đề nghị hỗ trợ kinh phí sửa đường liên thôn', not "
            "'Đề nghị hỗ trợ kinh phí sửa đường' as when status change P-20241120-001 was "
            "recorded") in out
    # A correction that removes the proposal leaves its history readable, counting nowhere.
    code, _out, err = run(office, "visit", "amend", "V-20240915-001", "--proposal", "",
                          "--reason", "Không phải đề xuất")
    assert code == 0, err
    assert item not in [r["id"] for r in listed(office, "--status", "all")]
    code, out, _err = run(office, "validate")
    assert ("data/proposals/2024/2024-11-20.yaml:1: warning [proposal-item-gone]: status "
            "change P-20241120-001 is about V-20240915-001/D1, which visit V-20240915-001 no "
            "longer holds since correction C-20241120-002") in out
    code, out, _err = run(office, "proposal", "show", item)
    assert code == 0
    assert out.splitlines()[0] == (
        "V-20240915-001/D1: visit V-20240915-001 no longer holds this item since correction "
        "C-20241120-002; its history stays readable and it counts nowhere.")
    assert "  2024-09-20  forwarded, to Sở Tài chính: Chuyển Sở Tài chính" in out.splitlines()
    # A withdrawn visit's items count nowhere; their history stays; no change is taken.
    update(office, "V-20240915-001/K1", "--status", "resolved", "--note", "Đã sửa")
    run(office, "visit", "withdraw", "V-20240915-001", "--reason", "Ghi trùng")
    assert [r["id"] for r in listed(office, "--status", "all")] == [
        "V-20241001-001/D1", "V-20241118-001/K1"]
    code, _out, err = update(office, "V-20240915-001/K2", "--status", "resolved", "--note", "x")
    assert code == 2 and "[proposal-visit-withdrawn]" in err
    assert "which correction C-20241120-003 withdrew (Ghi trùng)" in err
    code, out, _err = run(office, "proposal", "show", "V-20240915-001/K1")
    assert ("  The visit was withdrawn by C-20241120-003 (Ghi trùng): this item counts "
            "nowhere.") in out.splitlines()
    assert "  2024-11-20  resolved: Đã sửa" in out.splitlines()


# --- list: filters and formats ------------------------------------------------------------------


def test_list_filters(office: Path) -> None:
    update(office, "V-20241001-001/D1", "--status", "forwarded", "--to", "Sở Y tế", "--date",
           "05/10/2024", "--note", "Chuyển Sở Y tế")
    ids = lambda *args: [r["id"] for r in listed(office, *args)]  # noqa: E731
    assert ids("--status", "forwarded") == ["V-20241001-001/D1"]
    assert ids("--status", "open", "--kind", "difficulty") == [
        "V-20240915-001/K1", "V-20240915-001/K2", "V-20241118-001/K1"]
    assert ids("--commune", "Dai Sao") == [
        "V-20240915-001/K1", "V-20240915-001/K2", "V-20240915-001/D1"]
    assert ids("--cadre", "nong van binh") == ["V-20241001-001/D1"]
    # Raised more than 50 days before 20/11: only those of 15/09 (66 days); 01/10 is 50.
    assert ids("--older-than", "50") == [
        "V-20240915-001/K1", "V-20240915-001/K2", "V-20240915-001/D1"]
    # --older-than counts from the day raised, whatever the status: K1, resolved the
    # next day, was still raised 66 days before 20/11.
    update(office, "V-20240915-001/K1", "--status", "resolved", "--date", "16/09/2024",
           "--note", "Đã sửa")
    assert ids("--status", "resolved", "--older-than", "60") == ["V-20240915-001/K1"]
    # As of 01/10/2024 the items of 18/11 were not raised yet.
    assert ids("--as-of", "2024-10-01") == [
        "V-20240915-001/K2", "V-20240915-001/D1", "V-20241001-001/D1"]
    code, out, _err = run(office, "proposal", "list", "--format", "csv", "--status",
                          "forwarded")
    assert out.splitlines() == [
        "id,kind,visit_id,raised_on,commune_code,commune_name,cadre_id,cadre_name,text,status,"
        "status_date,waiting_at,ref,days,overdue,note",
        "V-20241001-001/D1,proposal,V-20241001-001,2024-10-01,02020,Thị trấn Bằng Lũng,CB02,"
        "Nông Văn Bình,Đề nghị bổ sung biên chế y tế,forwarded,2024-10-05,Sở Y tế,,50,True,"
        "Chuyển Sở Y tế"]
    code, _out, err = run(office, "proposal", "list", "--commune", "khong co")
    assert code == 2 and "[commune-not-found]" in err


def test_list_table_and_workbook_in_vietnamese(office: Path) -> None:
    env = {"THEODOI_LANG": "vi"}
    code, out, err = run(office, "proposal", "list", "--status", "pending", env=env)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Khó khăn, đề xuất, kiến nghị tính đến ngày 20/11/2024: chưa giải quyết"
    assert "5 nội dung; 4 nội dung chờ quá 30 ngày." in lines
    assert any("| V-20240915-001/D1 | 15/09/2024 | Xã Đại Sảo" in line and "| đề xuất" in line
               and "| chưa chuyển" in line and "| quá hạn" in line for line in lines)
    code, _out, err = run(office, "proposal", "list", "--format", "xlsx", "--output",
                          "out/de-xuat.xlsx", env=env)
    assert code == 0, err
    book = openpyxl.load_workbook(office / "out/de-xuat.xlsx")
    sheet = book[book.sheetnames[0]]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row[0] == "Mã")
    assert values[header][:5] == ["Mã", "Ngày nêu", "Xã", "Cán bộ", "Loại"]
    first = values[header + 1]
    assert first[:3] == ["V-20240915-001/K1", datetime(2024, 9, 15), "Xã Đại Sảo"]
    assert first[-2:] == [66, "quá hạn"]


# --- validate, audit, concurrency -------------------------------------------------------------


def test_a_hand_written_journal_is_checked(office: Path) -> None:
    path = office / "data/proposals/2024/2024-11-20.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "- id: P-20241120-001\n  item: V-20240915-001/D1\n  status: resolved\n"
        "  date: 2024-10-01\n  note: Xong\n  by: Lan <lan@example.vn>\n"
        "  recorded_at: '2024-11-20T08:00:00+07:00'\n"
        "- id: P-20241120-002\n  item: V-20240915-001/D1\n  status: forwarded\n"
        "  date: 2024-10-02\n  to: Sở Xây dựng\n  note: Chuyển\n  by: Lan <lan@example.vn>\n"
        "  recorded_at: '2024-11-20T08:00:00+07:00'\n"
        "- id: P-20241120-003\n  item: V-20240915-009/D1\n  status: answered\n"
        "  date: 2024-10-02\n  note: Trả lời\n  by: Lan <lan@example.vn>\n"
        "  recorded_at: '2024-11-20T08:00:00+07:00'\n", encoding="utf-8")
    code, out, _err = run(office, "validate")
    assert code == 1
    assert ("data/proposals/2024/2024-11-20.yaml:8: error [proposal-bad-transition]: status "
            "change P-20241120-002: V-20240915-001/D1 is resolved (since 2024-10-01), so it "
            "cannot become forwarded; a resolved or declined item is reopened first (status "
            "open)") in out
    assert ("data/proposals/2024/2024-11-20.yaml:16: error [proposal-bad-record]: status "
            "change P-20241120-003: 'answered' needs 'ref', the number and date of the "
            "answer") in out
    # The refused change does not count: the proposal stays resolved (the list
    # says the data has errors on stderr, and exits 1 with --strict).
    code, out, err = run(office, "proposal", "list", "--status", "resolved", "--format", "json",
                         "--strict")
    assert code == 1 and "[proposal-bad-transition]" in err
    [row] = json.loads(out)["rows"]
    assert (row["id"], row["status_date"]) == ("V-20240915-001/D1", "2024-10-01")


def test_a_status_change_edited_behind_the_tool_is_a_finding(office: Path) -> None:
    item = "V-20240915-001/D1"
    update(office, item, "--status", "declined", "--date", "01/10/2024", "--note",
           "Không thuộc thẩm quyền", "--commit")
    assert run(office, "audit")[0] == 0
    path = office / "data/proposals/2024/2024-11-20.yaml"
    path.write_text(path.read_text().replace("status: declined", "status: resolved"))
    git(office, "commit", "-qam", "Sửa lại")
    code, out, _err = run(office, "audit")
    assert code == 1
    assert ("data/proposals/2024/2024-11-20.yaml: P-20241120-001: changed after it was written "
            "(status)") in out
    code, out, _err = run(office, "history")
    assert ("status change P-20241120-001 of V-20240915-001/D1: resolved, 2024-10-01 — Không "
            "thuộc thẩm quyền — changed fields: status") in out


def test_concurrent_updates_lose_nothing(office: Path) -> None:
    """Two clerks record changes at once, in two real processes: both are kept,
    with different ids, and the journal reads back whole."""
    env = {**git_env(), "PYTHONPATH": str(REPO)}
    items = ["V-20240915-001/K1", "V-20240915-001/K2", "V-20240915-001/D1",
             "V-20241001-001/D1", "V-20241118-001/K1"]
    processes = [subprocess.Popen(
        [sys.executable, "-m", "theodoi", "proposal", "update", item, "--status", "resolved",
         "--note", f"Xong {n}", "--by", WHO, "--data", str(office / "data")],
        cwd=office, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n, item in enumerate(items)]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    journal = yaml.safe_load((office / "data/proposals/2024/2024-11-20.yaml").read_text())
    assert sorted(r["id"] for r in journal) == [f"P-20241120-00{n}" for n in range(1, 6)]
    assert sorted(r["item"] for r in journal) == sorted(items)
    assert listed(office) == []
    assert run(office, "validate")[0] == 0


def test_one_rule_says_an_item_is_overdue() -> None:
    """Pending for more than proposal_overdue_days: the lists, the summary, the
    review and proposal show all ask proposals.item_overdue, through
    Followed.on where they see an item on a day."""
    from theodoi.followup.proposals import Followed, Item, State, item_overdue

    assert [item_overdue(status, 31, 30) for status in ("open", "forwarded", "answered",
                                                         "resolved", "declined")] == [
        True, True, True, False, False]
    assert not item_overdue("open", 30, 30)
    item = Item("V-20241003-001/D1", "proposal", "V-20241003-001", 1, "Xin làm đường",
                date(2024, 10, 3), "CB01", "02068")
    waiting = Followed.on(item, State("forwarded", date(2024, 10, 20), "Sở Tài chính", "", None),
                          date(2024, 11, 3), 30)
    assert (waiting.age, waiting.overdue) == (31, True)  # 03/10 to 03/11: still waiting
    closed = Followed.on(item, State("resolved", date(2024, 12, 20), "", "", None),
                         date(2025, 3, 1), 30)
    assert (closed.age, closed.overdue) == (78, False)  # the days it took, never overdue
    # Its visit's date amended after the item was closed: the days it took are 0, not fewer.
    early = Followed.on(item, State("resolved", date(2024, 10, 1), "", "", None),
                        date(2025, 3, 1), 30)
    assert early.age == 0
