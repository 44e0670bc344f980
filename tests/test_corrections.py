"""Corrections without tampering: amend and withdraw visits, acknowledge audit
findings, commit inside the lock, fingerprint the trail.

Real git repositories in temporary folders, real processes where the point is
concurrency or a crash; the figures are worked out by hand from the small
data folder of conftest: 02068 Đại Sảo (CB01) and 02020 Bằng Lũng (CB02) in
Huyện Chợ Đồn, 01834 (CB03) and 01837 (CB04) in Thành phố Bắc Kạn, all from
29/08/2024; today is pinned to 20/11/2024 (Q4 2024).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import (
    CLERK,
    REPO,
    committed_office,
    git_environment,
    invoke,
    run_git,
    write_data_folder,
)

TODAY = "2024-11-20"


def git_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return git_environment(TODAY, extra)


def git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return run_git(root, *args, env=env or git_env())


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A data repository with an identity and the registers committed."""
    root = committed_office(tmp_path / "office", git_env())
    return root


def run(office: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = invoke(*args, "--data", str(office / "data"), env={**git_env(), **(env or {})},
                    cwd=office)
    return result.returncode, result.stdout, result.stderr


def add(office: Path, commune: str, day: str, *more: str) -> None:
    code, out, err = run(office, "visit", "add", "--commune", commune, "--date", day, *more)
    assert code == 0, err


def coverage_row(office: Path, period: str, commune: str) -> dict[str, object]:
    code, out, err = run(office, "coverage", "--by", "commune", "--period", period,
                         "--format", "json")
    assert code == 0, err
    return next(r for r in json.loads(out)["rows"] if r["commune_code"] == commune)


# --- amend and withdraw ---------------------------------------------------------------


def test_a_date_moved_into_another_quarter_moves_its_credit(office: Path) -> None:
    add(office, "dai sao", "30/09/2024")  # Q3
    day_file = office / "data/visits/2024/2024-09-30.yaml"
    written = day_file.read_bytes()
    assert coverage_row(office, "2024-Q3", "02068")["visits"] == 1
    assert coverage_row(office, "2024-Q4", "02068")["visits"] == 0
    code, out, err = run(office, "visit", "amend", "V-20240930-001", "--date", "01/10/2024",
                         "--reason", "Typed the wrong day: the meeting was on 1 October")
    assert code == 0, err
    assert "2024-09-30 → 2024-10-01" in out and "correction C-20241120-001" in out
    # Hand-computed: the one visit now counts in Q4, none in Q3.
    assert coverage_row(office, "2024-Q3", "02068")["visits"] == 0
    assert coverage_row(office, "2024-Q4", "02068") == {
        "commune_code": "02068", "commune_name": "Xã Đại Sảo", "district_code": "064",
        "district_name": "Huyện Chợ Đồn", "cadre_id": "CB01", "cadre_name": "Hà Thị Ngần",
        "visits": 1, "last_visit": "2024-10-01"}
    # The original record is not touched; the correction is a record of its own.
    assert day_file.read_bytes() == written
    stored = yaml.safe_load((office / "data/corrections/2024/2024-11-20.yaml").read_text())
    assert stored == [{"id": "C-20241120-001", "visit": "V-20240930-001", "action": "amend",
                       "reason": "Typed the wrong day: the meeting was on 1 October",
                       "by": f"{CLERK[0]} <{CLERK[1]}>",
                       "recorded_at": stored[0]["recorded_at"], "date": date(2024, 10, 1)}]
    assert stored[0]["recorded_at"].startswith("2024-11-20T")  # the pinned clock
    # The data stays valid: a correction is not a visit in the wrong file.
    assert run(office, "validate")[0] == 0


def test_a_withdrawn_visit_counts_nowhere(office: Path) -> None:
    add(office, "dai sao", "15/11/2024")
    add(office, "bang lung", "15/11/2024")
    code, out, _err = run(office, "overdue", "--days", "10", "--format", "json")
    assert {r["commune_code"] for r in json.loads(out)["rows"]} == {"01834", "01837"}
    code, out, err = run(office, "visit", "withdraw", "V-20241115-001",
                         "--reason", "Entered twice: the visit did not take place")
    assert code == 0, err
    # Hand-computed: Đại Sảo falls back to its assignment's start (29/08/2024): 83 days.
    code, out, _err = run(office, "overdue", "--days", "10", "--format", "json")
    rows = {r["commune_code"]: r for r in json.loads(out)["rows"]}
    assert set(rows) == {"02068", "01834", "01837"}
    assert rows["02068"]["last_visit"] is None and rows["02068"]["days"] == 83
    code, out, _err = run(office, "visit", "list", "--format", "json")
    assert [v["id"] for v in json.loads(out)] == ["V-20241115-002"]
    assert coverage_row(office, "2024-Q4", "02068")["visits"] == 0


def test_refusals_of_amend_and_withdraw(office: Path) -> None:
    add(office, "dai sao", "15/11/2024")
    # Each refusal writes nothing and names its check.
    cases = [
        (("visit", "amend", "V-20240101-001", "--note", "x", "--reason", "r"), 2,
         "[unknown-visit-id]"),
        (("visit", "amend", "V-20241115-001", "--reason", "r"), 2, "[amend-changes-nothing]"),
        (("visit", "amend", "V-20241115-001", "--date", "15/11/2024", "--reason", "r"), 2,
         "[amend-changes-nothing]"),
        (("visit", "amend", "V-20241115-001", "--date", "21/11/2024", "--reason", "r"), 2,
         "[visit-in-future]"),
        # Another commune: CB01 does not follow Bằng Lũng, and no reason is given.
        (("visit", "amend", "V-20241115-001", "--commune", "bang lung", "--reason", "r"), 2,
         "[cadre-not-assigned-there]"),
        (("visit", "withdraw", "V-20241115-001", "--reason", " "), 2, "[reason-missing]"),
    ]
    for args, exit_code, check in cases:
        code, _out, err = run(office, *args)
        assert (code, check in err) == (exit_code, True), (args, err)
    assert not (office / "data/corrections").exists()
    assert run(office, "visit", "withdraw", "V-20241115-001", "--reason", "twice")[0] == 0
    code, _out, err = run(office, "visit", "amend", "V-20241115-001", "--note", "x",
                          "--reason", "r")
    assert code == 2 and "[visit-withdrawn]" in err and "C-20241120-001" in err
    code, _out, err = run(office, "visit", "withdraw", "V-20241115-001", "--reason", "again")
    assert code == 2 and "[visit-withdrawn]" in err


def test_who_corrects_is_the_git_author_or_by(tmp_path: Path, office: Path) -> None:
    add(office, "dai sao", "15/11/2024")
    run(office, "visit", "amend", "V-20241115-001", "--note", "Họp chi bộ",
        "--reason", "Bổ sung nội dung", "--by", "Trần Văn Kiểm <kiem@example.vn>")
    stored = yaml.safe_load((office / "data/corrections/2024/2024-11-20.yaml").read_text())
    assert stored[0]["by"] == "Trần Văn Kiểm <kiem@example.vn>"
    # Outside git, without --by, nobody is known: refused.
    data = write_data_folder(tmp_path / "plain")
    invoke("visit", "add", "--data", str(data), "--commune", "dai sao", "--date",
           "15/11/2024", env=git_env())
    result = invoke("visit", "withdraw", "V-20241115-001", "--reason", "r", "--data",
                    str(data), env=git_env())
    assert result.returncode == 2 and "[who-unknown]" in result.stderr


def test_visit_show_tells_the_whole_story(office: Path) -> None:
    add(office, "dai sao", "30/09/2024", "--note", "Làm việc")
    run(office, "visit", "amend", "V-20240930-001", "--date", "01/10/2024", "--reason",
        "Wrong day")
    run(office, "visit", "amend", "V-20240930-001", "--kind", "survey", "--reason",
        "It was a field survey")
    code, out, err = run(office, "visit", "show", "V-20240930-001")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ("Visit V-20240930-001 as recorded in data/visits/2024/2024-09-30.yaml "
                        "(line 1):")
    assert "  Date:         2024-09-30" in lines
    assert any(line.startswith("Amendment C-20241120-001, ") and "by Nông Thị Văn Thư" in line
               for line in lines)
    assert "  Reason: It was a field survey" in lines
    now = lines[lines.index("As it counts now:"):]
    assert "  Date:         2024-10-01" in now and "  Kind:         field survey" in now


def test_a_hand_written_correction_is_checked_like_a_visit(office: Path) -> None:
    add(office, "dai sao", "15/11/2024")
    path = office / "data/corrections/2024/2024-11-20.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("- id: C-20241120-001\n  visit: V-20241115-001\n  action: amend\n"
                    "  reason: Người khác đi\n  by: Lan <lan@example.vn>\n"
                    "  recorded_at: '2024-11-20T08:00:00+07:00'\n  cadre: CB02\n",
                    encoding="utf-8")
    code, out, _err = run(office, "validate")
    # The amended visit is CB02 at Đại Sảo without a reason: reported at the correction.
    assert code == 1
    assert ("data/corrections/2024/2024-11-20.yaml:1: error [visit-by-unassigned-cadre]: "
            "cadre CB02 did not follow commune 02068 on 2024-11-15") in out


# --- the audit tells the two apart ----------------------------------------------------


def test_a_correction_is_history_not_a_finding(office: Path) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    code, _out, err = run(office, "visit", "amend", "V-20241115-001", "--date", "14/11/2024",
                          "--reason", "Wrong day", "--commit")
    assert code == 0, err
    assert git(office, "log", "-1", "--format=%s").strip() == (
        "Correction C-20241120-001: visit V-20241115-001 amended (date)")
    assert run(office, "audit")[0] == 0
    code, out, _err = run(office, "history")
    assert "correction C-20241120-001: amends visit V-20241115-001 (date) — reason: Wrong day" \
        in out
    assert "!" not in out


def test_a_hand_edit_after_an_amendment_is_a_finding_until_acknowledged(office: Path) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    run(office, "visit", "amend", "V-20241115-001", "--note", "x", "--reason", "r", "--commit")
    day_file = office / "data/visits/2024/2024-11-15.yaml"
    day_file.write_text(day_file.read_text().replace("cadre: CB01", "cadre: CB02"))
    git(office, "commit", "-q", "-am", "Sửa tay")
    code, out, _err = run(office, "audit", "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["open_findings"] == 1
    finding = report["findings"][0]["finding"]
    assert report["findings"][0]["record"] == "V-20241115-001"
    assert report["findings"][0]["fields"] == ["cadre"]
    code, out, err = run(office, "audit", "acknowledge", finding, "--reason",
                         "CB02 went; confirmed with the commune", "--commit")
    assert code == 0, err
    assert run(office, "audit")[0] == 0
    code, out, _err = run(office, "audit", "acknowledge", finding, "--reason", "again")
    assert code == 2 and "[finding-acknowledged]" in _err
    # history still shows the edit, now with its acknowledgement.
    code, out, _err = run(office, "history")
    line = next(x for x in out.splitlines() if "V-20241115-001" in x and "!" in x)
    assert finding in line and "acknowledged by Nông Thị Văn Thư" in line
    assert "CB02 went; confirmed with the commune" in line


def test_since_takes_a_date_or_a_revision_in_both_commands(office: Path) -> None:
    add(office, "dai sao", "15/11/2024", "--commit")
    first = git(office, "rev-parse", "HEAD").strip()
    add(office, "bang lung", "15/11/2024", "--commit")
    for command in ("history", "audit"):
        code, out, err = run(office, command, "--since", first, "--format", "json")
        assert code == 0, err
        code, out, err = run(office, command, "--since", "01/01/2030")
        assert code == 0, err
        code, _out, err = run(office, command, "--since", "no-such-revision")
        assert code == 2 and "[unknown-revision]" in err
    code, out, _err = run(office, "history", "--since", first, "--format", "json")
    assert [r["record"] for r in json.loads(out)] == ["V-20241115-002"]


# --- commit inside the lock --------------------------------------------------------------


def test_twenty_concurrent_adds_with_commit_make_twenty_commits(office: Path) -> None:
    env = {**git_env(), "THEODOI_CACHE_DIR": str(office.parent / "cache")}
    communes = ["02068", "02020", "01834", "01837"]
    processes = [subprocess.Popen(
        [sys.executable, "-m", "theodoi", "visit", "add", "--data", str(office / "data"),
         "--commune", communes[n % 4], "--date", f"{1 + n // 4:02d}/11/2024", "--commit"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(20)]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in processes]
    assert [code for code, _err in results] == [0] * 20, results
    log = git(office, "log", "--format=%H", "--", "data/visits").split()
    assert len(log) == 20
    for commit in log:  # each commit holds exactly one new visit, its own
        diff = git(office, "show", "--format=", "--unified=0", commit)
        added = [line for line in diff.splitlines() if line.startswith("+- id: ")]
        subject = git(office, "show", "-s", "--format=%s", commit)
        assert len(added) == 1 and added[0][len("+- id: "):] in subject


def test_commit_without_a_git_identity_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "office"
    write_data_folder(root / "data")
    git(root, "init", "-q", "-b", "main")
    result = invoke("visit", "add", "--data", str(root / "data"), "--commune", "dai sao",
                    "--date", "15/11/2024", "--commit", env=git_env())
    assert result.returncode == 1
    assert "[no-git-identity]" in result.stderr and "git config user.name" in result.stderr
    assert not (root / "data/visits").exists()


AMEND_LOOP = r"""
import sys
from theodoi.cli.main import main
import os
data, count = sys.argv[1], int(sys.argv[2])
env = dict(os.environ)
tag = sys.argv[3]
for n in range(count):
    code = main(["visit", "amend", "V-20241115-001", "--note", f"ghi chú {tag}-{n}",
                 "--reason", f"lần {n}", "--by", "Lan <lan@example.vn>", "--data", data], env)
    if code == 0:
        sys.stderr.write(f"DONE {n}\n")
        sys.stderr.flush()
"""


def test_sigkill_during_amend_loses_nothing(office: Path) -> None:
    """Killed at random moments while appending corrections: every file parses,
    every correction that was reported written is there, the visit is intact."""
    add(office, "dai sao", "15/11/2024")
    data = office / "data"
    visit_file = data / "visits/2024/2024-11-15.yaml"
    original = visit_file.read_bytes()
    rng = random.Random(1390)
    reported: list[int] = []
    env = {**git_env(), "THEODOI_CACHE_DIR": str(office.parent / "cache")}
    for round_ in range(12):
        process = subprocess.Popen([sys.executable, "-c", AMEND_LOOP, str(data), "1000",
                                    str(round_)], cwd=REPO, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # However slow the start on a busy machine, kill only once it is writing.
        assert process.stderr is not None
        first = process.stderr.readline()
        time.sleep(rng.uniform(0.0, 0.8))
        process.send_signal(signal.SIGKILL)
        said = first + process.communicate()[1]
        reported.append(sum(line.startswith("DONE ") for line in said.splitlines()))
    path = data / "corrections/2024/2024-11-20.yaml"
    stored = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(stored) >= sum(reported)  # nothing reported written was lost
    assert [c["id"] for c in stored] == [f"C-20241120-{n:03d}" for n in
                                         range(1, len(stored) + 1)]
    assert visit_file.read_bytes() == original
    code, out, err = run(office, "validate")
    assert code == 0, out + err  # leftover temporary files are only warnings


# --- the trail's fingerprint --------------------------------------------------------------


def test_summary_shows_corrections_findings_and_the_fingerprint(office: Path) -> None:
    add(office, "dai sao", "12/11/2024", "--commit")
    add(office, "bang lung", "13/11/2024", "--commit")
    env = {"THEODOI_TODAY": "2024-11-20"}
    # Committed on 20/11 (week 47): a correction is in the week its commit entered history.
    run(office, "visit", "amend", "V-20241112-001", "--date", "11/11/2024", "--reason",
        "Wrong day", "--commit", env={"GIT_COMMITTER_DATE": "2024-11-20T10:00:00+07:00"})
    code, out, err = run(office, "summary", "--week", "2024-W47", "--format", "json", env=env)
    assert code == 0, err
    trail = json.loads(out)["audit"]
    head = git(office, "rev-parse", "HEAD").strip()
    assert trail["fingerprint"] == {"commit": head, "visit_records": 2,
                                    "uncommitted_visits": False}
    assert trail["open_findings"] == []
    # The correction was made on 20/11 (week 47): listed with its reason.
    assert [(c["id"], c["visit"], c["reason"]) for c in trail["corrections_this_week"]] == [
        ("C-20241120-001", "V-20241112-001", "Wrong day")]
    for fmt in ("text", "markdown", "html"):
        code, out, err = run(office, "summary", "--week", "2024-W47", "--format", fmt, env=env)
        assert head in out and "--anchor" in out, fmt
    # A hand edit: the summary says so first.
    day_file = office / "data/visits/2024/2024-11-13.yaml"
    day_file.write_text(day_file.read_text().replace("kind: working", "kind: survey"))
    code, out, _err = run(office, "summary", "--week", "2024-W47", env=env)
    first = next(line for line in out.splitlines()[1:] if line.strip())
    assert first.startswith("Warning: 1 record of the data was changed after it was written")


def test_anchor_survives_appends_and_catches_a_rewritten_history(office: Path) -> None:
    add(office, "dai sao", "12/11/2024", "--commit")
    anchor = git(office, "rev-parse", "HEAD").strip()
    add(office, "bang lung", "13/11/2024", "--commit")
    code, out, err = run(office, "audit", "--anchor", anchor[:12], "--format", "json")
    assert code == 0, err
    assert json.loads(out)["anchor"] == {"given": anchor[:12], "commit": anchor,
                                         "in_history": True, "visit_records": 1,
                                         "quoted_records": None,
                                         "records_lost_or_changed": [], "ok": True}
    # The history is rewritten: the first visit's commit is replaced by another.
    git(office, "reset", "-q", "--hard", "HEAD~2")
    add(office, "dai sao", "12/11/2024", "--note", "khác", "--commit")
    code, out, _err = run(office, "audit", "--anchor", anchor)
    assert code == 1 and "[anchor-not-in-history]" in out


def test_signed_commits_and_require_signed(tmp_path: Path, office: Path) -> None:
    key = tmp_path / "signing"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", CLERK[1], "-f",
                    str(key)], check=True)
    allowed = tmp_path / "allowed"
    allowed.write_text(f"{CLERK[1]} namespaces=\"git\" {key.with_suffix('.pub').read_text()}")
    assert run(office, "audit", "--require-signed")[0] == 1  # the first commit is unsigned
    for name, value in (("gpg.format", "ssh"), ("user.signingkey", str(key)),
                        ("commit.gpgsign", "true"), ("gpg.ssh.allowedSignersFile", str(allowed))):
        git(office, "config", name, value)
    add(office, "dai sao", "12/11/2024", "--commit")
    assert git(office, "log", "-1", "--format=%G?").strip() == "G"  # signed by the tool's commit
    code, out, _err = run(office, "audit", "--require-signed", "--format", "json")
    unsigned = json.loads(out)["unsigned_commits"]
    assert code == 1 and [c["subject"] for c in unsigned] == ["Dữ liệu ban đầu"]
    first = git(office, "rev-list", "--max-parents=0", "HEAD").strip()
    code, out, _err = run(office, "audit", "--require-signed", "--since", first)
    assert code == 1  # --since narrows the findings, never the signatures
    # Once the history is all signed, the check passes.
    git(office, "commit", "-q", "--amend", "--no-edit", "-S")
    git(office, "rebase", "-q", "--exec", "git commit -q --amend --no-edit -S", "--root")
    assert run(office, "audit", "--require-signed")[0] == 0


# --- reports refuse to hide broken registers ------------------------------------------------


def test_reports_over_broken_registers_say_so_and_exit_1_if_strict(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data", assignments=[
        '{commune: "02068", cadre: CB01, since: 2024-08-29}',
        '{commune: "02068", cadre: CB02, since: 2024-09-01}',  # twice assigned
        '{commune: "02020", cadre: CB02, since: 2024-08-29}',
        '{commune: "01834", cadre: CB03, since: 2024-08-29}',
        '{commune: "01837", cadre: CB04, since: 2024-08-29}'])
    for command in (("coverage",), ("overdue",), ("summary",)):
        result = invoke(*command, "--data", str(data), env=git_env())
        assert result.returncode == 0, command  # printed: cron mails it (README, Exit codes)
        assert "[overlapping-assignments]" in result.stderr
        assert "The registers have errors" in result.stdout
        strict = invoke(*command, "--strict", "--data", str(data), env=git_env())
        assert (strict.returncode, strict.stdout) == (1, result.stdout), command
    # A vacancy is a warning: shown, and the exit code stays 0.
    vacant = write_data_folder(tmp_path / "vacant", assignments=[
        '{commune: "02068", cadre: "", since: 2024-08-29}',
        '{commune: "02020", cadre: CB02, since: 2024-08-29}',
        '{commune: "01834", cadre: CB03, since: 2024-08-29}',
        '{commune: "01837", cadre: CB04, since: 2024-08-29}'])
    result = invoke("coverage", "--data", str(vacant), env=git_env())
    assert result.returncode == 0 and "[vacancy]" in result.stderr
    assert "The registers have errors" not in result.stdout


def test_an_amendment_records_the_fields_given_that_change_in_one_order() -> None:
    """visit amend writes the fields the clerk gave whose values change, in the
    order of corrections.CORRECTABLE (the order the audit names them in too)."""
    from theodoi.base.model import Visit
    from theodoi.visits.corrections import CORRECTABLE, changes_given

    before = Visit("V-20241115-001", date(2024, 11, 15), "CB01", "02068", notes="Họp")
    after = Visit("V-20241115-001", date(2024, 11, 16), "CB05", "02068", kind="survey",
                  notes="Họp", proposals=("Xin làm đường",))
    given = ["proposals", "notes", "commune", "cadre", "date"]  # as typed; kind not given
    assert changes_given(before, after, given) == {
        "date": date(2024, 11, 16), "cadre": "CB05", "proposals": ("Xin làm đường",)}
    assert list(changes_given(before, after, CORRECTABLE)) == [
        "date", "cadre", "kind", "proposals"]
