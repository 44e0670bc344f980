"""Issue 18: ten ways an insider with write access bent the audit trail, each
tried for real on a git repository in the test's own folder.  Each must end
with ``audit`` exiting 1 and naming the finding (or the command refusing),
each audit within 10 seconds.

The office is conftest's small data folder (02068 Đại Sảo CB01, 02020 Bằng
Lũng CB02, 01834 CB03, 01837 CB04, all from 29/08/2024); theodoi's clock
and git's commit dates are pinned to 20/11/2024.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from conftest import CLERK, committed_office, git_environment, invoke, run_git

TODAY = "2024-11-20"
WHEN = "2024-11-20T10:00:00+07:00"
DAY_FILE = "data/visits/2024/2024-11-15.yaml"


def env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return git_environment(TODAY, {"GIT_AUTHOR_DATE": WHEN, "GIT_COMMITTER_DATE": WHEN,
                                   **(extra or {})})


def git(root: Path, *args: str) -> str:
    return run_git(root, *args, env=env())


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = invoke(*args, "--data", str(root / "data"), env=env(), cwd=root)
    return result.returncode, result.stdout, result.stderr


def audit(root: Path, *args: str) -> tuple[int, dict]:
    """``audit --format json``, which must answer within 10 seconds (the set-up
    of each attack is not counted: the machine running the tests is shared)."""
    start = time.monotonic()
    code, out, err = run(root, "audit", "--format", "json", *args)
    assert time.monotonic() - start < 10
    assert code in (0, 1), err
    return code, json.loads(out)


def alarms(report: dict) -> list[tuple[str, str | None]]:
    """(alarm, record) of each open finding that raises one."""
    return [(row["alarm"], row["record"]) for row in report["findings"]
            if row["open"] and row["alarm"]]


def add(root: Path, commune: str, day: str, *more: str) -> None:
    code, _out, err = run(root, "visit", "add", "--commune", commune, "--date", day, *more)
    assert code == 0, err


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return committed_office(tmp_path / "office", env())


# 1 ----------------------------------------------------------------------------------------

def test_a_replace_ref_does_not_forge_what_the_audit_reads(office: Path) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    stored = git(office, "rev-parse", f"HEAD:{DAY_FILE}").strip()
    forged = (office / DAY_FILE).read_text(encoding="utf-8").replace("CB01", "CB02")
    new = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=office, input=forged,
                         capture_output=True, text=True, check=True, env=env()).stdout.strip()
    git(office, "replace", "-f", stored, new)
    (office / DAY_FILE).write_text(forged, encoding="utf-8")
    head = git(office, "rev-parse", "HEAD").strip()
    for extra in ((), ("--anchor", head)):
        code, report = audit(office, *extra)
        assert code == 1
        assert ("replace-ref", stored) in [(a, r) for a, r in alarms(report)]
        [edit] = [row for row in report["findings"] if row["area"] == "visit"]
        assert (edit["change"], edit["record"], edit["fields"], edit["commit"]) == (
            "modified", "V-20241115-001", ["cadre"], None)
    code, out, _ = run(office, "audit")
    assert code == 1 and "[replace-ref]" in out


def test_a_grafts_file_and_a_shallow_clone_are_findings(office: Path, tmp_path: Path) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    add(office, "bang lung", "16/11/2024", "--commit")
    head, first = git(office, "rev-parse", "HEAD", "HEAD~2").split()
    (office / ".git/info").mkdir(exist_ok=True)
    (office / ".git/info/grafts").write_text(f"{head} {first}\n", encoding="utf-8")
    code, report = audit(office)
    assert code == 1 and ("grafts", None) in alarms(report)
    assert report["commits_checked"] == 3  # the graft is ignored: every commit is read
    [grafts] = [row["finding"] for row in report["findings"] if row["alarm"] == "grafts"]
    code, _, err = run(office, "audit", "acknowledge", grafts, "--reason", "ok")
    assert code == 2 and "[finding-of-the-repository]" in err
    (office / ".git/info/grafts").unlink()
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{office}", str(shallow)],
                   check=True, env=env(), capture_output=True)
    code, report = audit(shallow)
    assert code == 1 and ("shallow", None) in alarms(report)


# 2 ----------------------------------------------------------------------------------------

def test_a_rewritten_history_merged_back_with_ours_is_found(office: Path) -> None:
    add(office, "dai sao", "12/11/2024", "--commit")
    add(office, "bang lung", "13/11/2024", "--commit")
    anchor = git(office, "rev-parse", "HEAD").strip()
    assert audit(office, "--anchor", f"{anchor[:12]}:2")[0] == 0
    # The visit of 12/11 is rewritten where it was first committed, the next
    # commit replayed, and the old head merged back so that it stays an ancestor.
    first = office / "data/visits/2024/2024-11-12.yaml"
    git(office, "reset", "-q", "--hard", "HEAD~2")
    git(office, "checkout", "-q", anchor, "--", "data/visits")
    first.write_text(first.read_text(encoding="utf-8").replace("CB01", "CB03"),
                     encoding="utf-8")
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "Ghi hai chuyến công tác")
    git(office, "merge", "-q", "-s", "ours", "-m", "Hợp nhất", anchor)
    assert git(office, "merge-base", "--is-ancestor", anchor, "HEAD") == ""
    code, report = audit(office)
    assert code == 1
    assert alarms(report) == [("merge-changed", "V-20241112-001")]
    [row] = report["findings"]
    assert (row["before"]["cadre"], row["after"]["cadre"], row["fields"]) == (
        "CB01", "CB03", ["cadre"])
    code, report = audit(office, "--anchor", f"{anchor[:12]}:2")
    assert code == 1 and report["anchor"]["in_history"] is True
    assert report["anchor"]["records_lost_or_changed"] == ["V-20241112-001"]
    code, out, _ = run(office, "audit", "--anchor", f"{anchor[:12]}:2")
    assert code == 1 and "[anchor-records-changed]" in out and "[merge-changed]" in out


def test_an_anchor_with_another_count_than_quoted_is_found(office: Path) -> None:
    add(office, "dai sao", "12/11/2024", "--commit")
    anchor = git(office, "rev-parse", "HEAD").strip()
    code, out, _ = run(office, "audit", "--anchor", f"{anchor}:3")
    assert code == 1
    assert f"error [anchor-count-differs]: commit {anchor[:12]} holds 1 visit records, not " \
           "the 3 quoted with it" in out


# 3 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("flag", ["--skip-worktree", "--assume-unchanged"])
def test_an_index_flag_does_not_hide_an_edited_day_file(office: Path, flag: str) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    day_file = office / DAY_FILE
    day_file.write_text(day_file.read_text(encoding="utf-8").replace("CB01", "CB02"),
                        encoding="utf-8")
    git(office, "update-index", flag, DAY_FILE)
    assert git(office, "status", "--porcelain").strip() == ""  # git status is blind
    code, report = audit(office)
    assert code == 1
    assert ("index-flag", flag.strip("-")) in [
        (row["alarm"], row["record"]) for row in report["findings"]]
    [edit] = [row for row in report["findings"] if row["area"] == "visit"]
    assert (edit["record"], edit["fields"], edit["commit"]) == (
        "V-20241115-001", ["cadre"], None)
    code, out, _ = run(office, "summary", "--week", "2024-W47")
    assert "2 records of the data were changed after they were written" in out


# 4 ----------------------------------------------------------------------------------------

def _hand_edit(office: Path) -> None:
    day_file = office / DAY_FILE
    day_file.write_text(day_file.read_text(encoding="utf-8").replace("CB01", "CB02"),
                        encoding="utf-8")


def _hand_acknowledgement(office: Path, finding: str, ack_id: str = "A-20241120-001") -> None:
    path = office / "data/audit/2024/2024-11-20.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"- id: {ack_id}\n  finding: {finding}\n  reason: Đã kiểm tra\n"
                    "  by: Trưởng phòng Tổng hợp <tph@backan.gov.vn>\n"
                    "  recorded_at: 2024-11-01T08:00:00+07:00\n", encoding="utf-8")


def test_an_acknowledgement_in_the_same_commit_as_its_change_does_not_count(
        office: Path) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    _hand_edit(office)
    code, report = audit(office)
    [finding] = [row["finding"] for row in report["findings"]]
    # The tool refuses to acknowledge a change that is not committed yet.
    code, _, err = run(office, "audit", "acknowledge", finding, "--reason", "ok")
    assert code == 2 and "[finding-not-committed]" in err
    _hand_acknowledgement(office, finding)
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "Sửa và xác nhận")
    code, report = audit(office)
    assert code == 1 and report["open_findings"] == 2
    assert alarms(report) == [("acknowledged-in-same-commit", "A-20241120-001")]
    assert [row["record"] for row in report["findings"] if not row["alarm"]] == [
        "V-20241115-001"]
    code, out, _ = run(office, "summary", "--week", "2024-W47")
    assert "Trưởng phòng Tổng hợp" not in out  # the false approver is shown nowhere


def test_an_acknowledgement_written_before_its_change_does_not_count(office: Path) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    _hand_edit(office)
    [finding] = [row["finding"] for row in audit(office)[1]["findings"]]
    git(office, "stash", "-q")
    _hand_acknowledgement(office, finding)
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "Xác nhận trước")
    git(office, "stash", "pop", "-q")
    git(office, "commit", "-q", "-am", "Sửa")
    code, report = audit(office)
    assert code == 1
    assert alarms(report) == [("acknowledged-before-change", "A-20241120-001")]


def test_corrections_and_acknowledgements_are_in_the_week_they_were_committed(
        office: Path) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    code, _, err = run(office, "visit", "amend", "V-20241115-001", "--note", "Bổ sung",
                       "--reason", "Thiếu nội dung", "--commit")
    assert code == 0, err
    # The correction claims a day of September: it entered history on 20/11.
    path = next((office / "data/corrections").rglob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    start = text.index("recorded_at: ") + len("recorded_at: ")
    path.write_text(text[:start] + "'2024-09-02T08:00:00+07:00'" + text[text.index("\n", start):],
                    encoding="utf-8")
    git(office, "commit", "-q", "-am", "Sửa ngày ghi")
    code, out, _ = run(office, "summary", "--week", "2024-W47", "--format", "json")
    made = json.loads(out)["audit"]["corrections_this_week"]
    assert [(c["visit"], c["made_by"]) for c in made] == [
        ("V-20241115-001", "theodoi visit amend")]
    code, out, _ = run(office, "summary", "--week", "2024-W36", "--format", "json")
    assert json.loads(out)["audit"]["corrections_this_week"] == []


# 5 ----------------------------------------------------------------------------------------

def test_an_acknowledged_unreadable_file_does_not_cover_its_next_version(
        office: Path) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    day_file = office / DAY_FILE
    good = day_file.read_text(encoding="utf-8")
    day_file.write_text(good + "- id: [unclosed\n", encoding="utf-8")
    git(office, "commit", "-q", "-am", "Gõ nhầm")
    [typo] = audit(office)[1]["findings"]
    assert typo["change"] == "unreadable"
    code, _, err = run(office, "audit", "acknowledge", typo["finding"], "--reason",
                       "Gõ nhầm, đã sửa", "--commit")
    assert code == 0, err
    code, out, _ = run(office, "summary", "--week", "2024-W47", "--format", "json")
    assert [(a["finding"], a["made_by"]) for a in json.loads(out)["audit"][
        "acknowledged_this_week"]] == [(typo["finding"], "theodoi audit acknowledge")]
    day_file.write_text(good, encoding="utf-8")
    git(office, "commit", "-q", "-am", "Sửa lỗi gõ")
    assert audit(office)[0] == 0  # the file came back as it was: nothing to review
    day_file.write_text(good + "- id: [unclosed again\n", encoding="utf-8")
    git(office, "commit", "-q", "-am", "Gõ nhầm lần nữa")
    day_file.write_text(good.replace("02068", "02020").replace("CB01", "CB02"),
                        encoding="utf-8")
    git(office, "commit", "-q", "-am", "Khôi phục")
    code, report = audit(office)
    assert code == 1
    # The second typo, and the file "restored" with another commune and cadre.
    opened = [(row["change"], row["record"], tuple(row["fields"]))
              for row in report["findings"] if row["open"]]
    assert opened == [("unreadable", None, ()),
                      ("modified", "V-20241115-001", ("cadre", "commune"))]
    assert typo["finding"] not in [row["finding"] for row in report["findings"] if row["open"]]


# 6 and 8 (tool-made or hand-made) -----------------------------------------------------------

def test_a_hand_written_correction_is_told_from_the_tools(office: Path) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    code, _, err = run(office, "visit", "amend", "V-20241115-001", "--note", "Bổ sung",
                       "--reason", "Thiếu nội dung", "--commit")
    assert code == 0, err
    path = next((office / "data/corrections").rglob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text + text.replace("C-20241120-001", "C-20241120-002")
                    .replace("Bổ sung", "Sửa tay"),
                    encoding="utf-8")
    git(office, "commit", "-q", "-am", "Bổ sung chỉnh sửa")
    log = git(office, "log", "-1", "--format=%B", "HEAD~1")
    assert "Theodoi-Command: visit amend" in log
    code, out, _ = run(office, "history", "--format", "json")
    rows = [(r["record"], r["made_by"]) for r in json.loads(out) if r["area"] == "correction"]
    assert rows == [("C-20241120-001", "theodoi visit amend"), ("C-20241120-002", "hand")]
    code, out, _ = run(office, "history")
    assert "made with theodoi visit amend" in out and "written by hand" in out
    code, out, _ = run(office, "visit", "show", "V-20241115-001")
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("  How:")] == [
        "  How: made with theodoi visit amend", "  How: written by hand"]
    code, out, _ = run(office, "summary", "--week", "2024-W47", "--format", "json")
    made = json.loads(out)["audit"]["corrections_this_week"]
    assert [(c["id"], c["made_by"]) for c in made] == [
        ("C-20241120-001", "theodoi visit amend"), ("C-20241120-002", "hand")]


# 7 ----------------------------------------------------------------------------------------

def test_an_assignment_moved_by_hand_over_a_past_day_is_found(office: Path) -> None:
    assignments = office / "data/assignments.yaml"
    text = assignments.read_text(encoding="utf-8")
    assignments.write_text(text.replace('"02068", cadre: CB01, since: 2024-08-29',
                                        '"02068", cadre: CB01, since: 2024-10-01'),
                           encoding="utf-8")
    git(office, "commit", "-q", "-am", "Cập nhật phân công")
    code, report = audit(office)
    assert code == 1
    assert alarms(report) == [("past-assignment-changed", "02068 2024-08-29")]
    code, out, _ = run(office, "summary", "--week", "2024-W47", "--format", "json")
    changes = json.loads(out)["audit"]["register_changes_this_week"]
    assert [(c["area"], c["change"], c["record"], c["made_by"], c["alarm"])
            for c in changes[-2:]] == [
        ("assignment", "added", "02068 2024-10-01", "hand", None),
        ("assignment", "removed", "02068 2024-08-29", "hand", "past-assignment-changed")]


def test_an_assignment_ended_from_today_on_is_not_a_finding(office: Path) -> None:
    assignments = office / "data/assignments.yaml"
    text = assignments.read_text(encoding="utf-8")
    assignments.write_text(text.replace(
        '"02068", cadre: CB01, since: 2024-08-29,',
        '"02068", cadre: CB01, since: 2024-08-29, until: 2024-11-30,'), encoding="utf-8")
    git(office, "commit", "-q", "-am", "Kết thúc phân công")
    assert audit(office) == (0, audit(office)[1])


# 8 ----------------------------------------------------------------------------------------

def test_cadre_names_swapped_are_found_and_require_signed_covers_the_registers(
        office: Path) -> None:
    cadres = office / "data/cadres.csv"
    text = cadres.read_text(encoding="utf-8")
    cadres.write_text(text.replace("Hà Thị Ngần", "@").replace("Nông Văn Bình", "Hà Thị Ngần")
                      .replace("@", "Nông Văn Bình"), encoding="utf-8")
    git(office, "commit", "-q", "-am", "Sửa danh sách cán bộ")
    first, swap = git(office, "rev-list", "--reverse", "HEAD").split()
    code, report = audit(office)
    assert code == 1
    assert alarms(report) == [("cadre-renamed", "CB01"), ("cadre-renamed", "CB02")]
    # The commit touches cadres.csv alone: --require-signed covers it.
    code, report = audit(office, "--require-signed")
    assert [c["commit"] for c in report["unsigned_commits"]] == [first, swap]


def test_a_cadre_id_given_to_someone_else_and_communes_edited_are_found(office: Path) -> None:
    cadres = office / "data/cadres.csv"
    text = cadres.read_text(encoding="utf-8")
    cadres.write_text("".join(line for line in text.splitlines(keepends=True)
                              if not line.startswith("CB04")), encoding="utf-8")
    git(office, "commit", "-q", "-am", "Cán bộ nghỉ hưu")
    cadres.write_text(text.replace("Lý Văn Đức", "Lý Thị Mai"), encoding="utf-8")
    git(office, "commit", "-q", "-am", "Cán bộ mới")
    communes = office / "data/communes.csv"
    communes.write_text(communes.read_text(encoding="utf-8").replace("Xã Đại Sảo", "Xã Đại Sao"),
                        encoding="utf-8")
    git(office, "commit", "-q", "-am", "Sửa tên xã")
    code, report = audit(office)
    assert code == 1
    assert alarms(report) == [("cadre-id-reused", "CB04"), ("communes-edited", "02068")]


# 9 ----------------------------------------------------------------------------------------

def test_a_day_file_replaced_by_a_link_is_refused_and_stays_found(office: Path) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    outside = office / "notes.yaml"
    outside.write_text((office / DAY_FILE).read_text(encoding="utf-8"), encoding="utf-8")
    (office / DAY_FILE).unlink()
    (office / DAY_FILE).symlink_to("../../../notes.yaml")
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "Chuyển tệp")
    code, report = audit(office)
    assert code == 1 and ("link", None) in alarms(report)
    code, out, _ = run(office, "validate")
    assert code == 1 and f"{DAY_FILE}: error [data-file-link]" in out
    # Later edits of the target: the link is still found, every run.
    outside.write_text(outside.read_text(encoding="utf-8").replace("CB01", "CB02"),
                       encoding="utf-8")
    git(office, "commit", "-q", "-am", "Sửa ghi chú")
    code, report = audit(office)
    assert code == 1 and [a for a, _ in alarms(report)].count("link") == 2  # commit, work tree
    code, out, _ = run(office, "coverage", "--by", "commune", "--period", "2024-Q4",
                       "--format", "json")
    row = next(r for r in json.loads(out)["rows"] if r["commune_code"] == "02068")
    assert row["visits"] == 0  # the linked file is never read


def test_a_journal_folder_replaced_by_a_link_is_refused(office: Path) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    (office / "data/visits").rename(office / "elsewhere")
    (office / "data/visits").symlink_to("../elsewhere")
    code, out, _ = run(office, "validate")
    assert code == 1 and "data/visits: error [data-file-link]" in out
    code, report = audit(office)
    assert code == 1 and ("link", None) in alarms(report)


def test_a_register_replaced_by_a_link_is_refused(office: Path) -> None:
    cadres = office / "data/cadres.csv"
    (office / "elsewhere.csv").write_text(cadres.read_text(encoding="utf-8"), encoding="utf-8")
    cadres.unlink()
    cadres.symlink_to("../elsewhere.csv")
    code, out, _ = run(office, "validate")
    assert code == 1 and "cadres.csv: error [data-file-link]" in out
    code, report = audit(office)
    assert code == 1 and ("link", None) in alarms(report)


# 10 ---------------------------------------------------------------------------------------

def test_two_clones_a_conflict_resolved_with_keep_mine_is_found(office: Path,
                                                               tmp_path: Path) -> None:
    shared = tmp_path / "shared.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(office), str(shared)], check=True,
                   env=env(), capture_output=True)
    clones = []
    for name in ("may-1", "may-2"):
        subprocess.run(["git", "clone", "-q", str(shared), str(tmp_path / name)], check=True,
                       env=env(), capture_output=True)
        git(tmp_path / name, "config", "user.name", CLERK[0])
        git(tmp_path / name, "config", "user.email", CLERK[1])
        clones.append(tmp_path / name)
    mine, theirs = clones
    add(theirs, "bang lung", "15/11/2024", "--commit")
    add(theirs, "01834", "15/11/2024", "--commit")
    git(theirs, "push", "-q", "origin", "main")
    add(mine, "dai sao", "15/11/2024", "--commit")
    pulled = subprocess.run(["git", "pull", "-q", "--no-rebase", "origin", "main"], cwd=mine,
                            env=env(), capture_output=True, text=True)
    assert pulled.returncode != 0  # a conflict on the day file
    git(mine, "checkout", "--ours", "--", DAY_FILE)
    git(mine, "add", DAY_FILE)
    git(mine, "commit", "-q", "--no-edit")
    assert run(mine, "validate")[0] == 0  # the data itself looks fine
    code, report = audit(mine)
    assert code == 1
    # Clones draw ids that never collide (issue 22): keeping mine dropped both
    # of the other clerk's visits, each a finding of its own.
    dropped = sorted(report["findings"], key=lambda f: f["before"]["commune"])
    assert [(f["alarm"], f["before"]["commune"], f["after"]) for f in dropped] == [
        ("merge-dropped", "01834", None), ("merge-dropped", "02020", None)]
    assert {f["record"] for f in dropped}.isdisjoint({"V-20241115-001", "V-20241115-002"})
    code, out, _ = run(mine, "audit")
    assert "[merge-dropped]" in out and "dropped by the merge" in out


def test_a_plain_merge_of_two_clerks_is_not_a_finding(office: Path) -> None:
    git(office, "checkout", "-q", "-b", "may-2")
    add(office, "bang lung", "16/11/2024", "--commit")
    git(office, "checkout", "-q", "main")
    add(office, "dai sao", "15/11/2024", "--commit")
    git(office, "merge", "-q", "--no-edit", "may-2")
    assert audit(office)[0] == 0
    # --require-signed: the other clerk's commit, on the branch merged in, too.
    branch = git(office, "rev-parse", "may-2").strip()
    code, report = audit(office, "--require-signed")
    unsigned = [c["commit"] for c in report["unsigned_commits"]]
    assert code == 1 and branch in unsigned and len(unsigned) == 4  # first, two visits, merge


def test_a_past_day_changed_through_theodoi_vacate_is_not_a_finding(office: Path) -> None:
    code, _, err = run(office, "vacate", "--commune", "02068", "--since", "01/10/2024",
                       "--decision", "1520-QĐ/TU, 30/09/2024", "--commit")
    assert code == 0, err
    message = git(office, "log", "-1", "--format=%B")
    assert message.endswith("\n\nTheodoi-Command: vacate\nTheodoi-Decision: 1520-QĐ/TU\n\n")
    code, report = audit(office)
    assert code == 0, report["findings"]
    code, out, _ = run(office, "history", "--format", "json")
    [ended] = [r for r in json.loads(out) if r["change"] == "modified"
               and r["area"] == "assignment"]
    assert (ended["record"], ended["fields"], ended["made_by"], ended["alarm"]) == (
        "02068 2024-08-29", ["until"], "theodoi vacate", None)


def test_git_reads_what_is_stored_whatever_the_environment_says() -> None:
    from theodoi.store.git import Git

    forged = {"GIT_NO_REPLACE_OBJECTS": "", "GIT_GRAFT_FILE": "forged-grafts"}
    environment = Git(forged).environment()
    assert environment["GIT_NO_REPLACE_OBJECTS"] == "1"
    assert environment["GIT_GRAFT_FILE"] not in ("forged-grafts", "")
