"""Two clerks and a server, one history (issue 22): ids that never collide,
the journals' merge driver, ``theodoi sync`` over real remotes.

Every remote is a real bare repository: served by ``git daemon`` on
127.0.0.1 (started and stopped here, on a free port), or reached over
``file://``.  git reads neither the machine's nor the user's settings
(conftest's git_environment).  The small data folder of conftest; today is
pinned to 20/11/2024, so the last complete week is 2024-W46 (11/11–17/11).
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import committed_office, git_environment, invoke, run_git

from theodoi.audit.merge_driver import merge_bytes
from theodoi.store.sharing import GITATTRIBUTES
from theodoi.store.visit_ids import ALPHABET

TODAY = "2024-11-20"
RECORDED = re.compile(r"Recorded visit (V-\d{8}-\S+) in ")
CLERKS = {"a": ("Nông Thị Văn Thư", "vanthu@backan.gov.vn"),
          "b": ("Hoàng Văn Phó", "pho@backan.gov.vn"),
          "cron": ("Văn phòng Tỉnh ủy", "vanphong@backan.gov.vn")}


def env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return git_environment(TODAY, extra)


def git(root: Path, *args: str) -> str:
    return run_git(root, *args, env=env())


def theodoi(clone: Path, *args: str) -> tuple[int, str, str]:
    result = invoke(*args, "--data", str(clone / "data"), env=env(), cwd=clone)
    return result.returncode, result.stdout, result.stderr


def seed_server(tmp_path: Path) -> Path:
    """A bare repository holding the office's data folder and its .gitattributes."""
    office = committed_office(tmp_path / "seed", env())
    (office / "data" / ".gitattributes").write_text(GITATTRIBUTES, encoding="utf-8")
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "Gộp nhật ký theo bản ghi")
    server = tmp_path / "srv" / "theodoi-data.git"
    server.parent.mkdir()
    git(tmp_path, "clone", "-q", "--bare", str(office), str(server))
    return server


def clone(url: str, folder: Path, who: str) -> Path:
    git(folder.parent, "clone", "-q", url, folder.name)
    git(folder, "config", "user.name", CLERKS[who][0])
    git(folder, "config", "user.email", CLERKS[who][1])
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Daemon:
    """``git daemon`` serving ``base`` on 127.0.0.1, pushes allowed."""

    def __init__(self, base: Path):
        self.base = base
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["git", "daemon", "--reuseaddr", "--listen=127.0.0.1", f"--port={self.port}",
             f"--base-path={self.base}", "--export-all", "--enable=receive-pack",
             "--informative-errors", str(self.base)],
            env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60  # a busy machine starts slowly
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                assert self.process.poll() is None, "git daemon stopped at start"
                time.sleep(0.1)
        raise AssertionError("git daemon did not listen within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def url(self, name: str) -> str:
        return f"git://127.0.0.1:{self.port}/{name}"


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[Daemon]:
    seed_server(tmp_path)
    served = Daemon(tmp_path / "srv")
    served.start()
    try:
        yield served
    finally:
        served.stop()


def add_visit(clone: Path, commune: str, day: str, *more: str) -> str:
    code, out, err = theodoi(clone, "visit", "add", "--commune", commune, "--date", day,
                             "--commit", *more)
    assert code == 0, err
    match = RECORDED.search(out)
    assert match, out
    return match.group(1)


def sync(clone: Path) -> str:
    code, out, err = theodoi(clone, "sync")
    assert code == 0, err
    return out


def journal_ids(clone: Path, folder: str) -> list[str]:
    ids: list[str] = []
    for path in sorted((clone / "data" / folder).rglob("*.yaml")):
        ids.extend(record["id"] for record in yaml.safe_load(path.read_text(encoding="utf-8")))
    return ids


def assert_clean(clone: Path) -> None:
    for command in (("validate",), ("audit",)):
        code, out, err = theodoi(clone, *command)
        assert code == 0, (command, out, err)


# --- ids ------------------------------------------------------------------------------------


def test_two_clones_adding_on_the_same_new_day_get_different_ids_and_both_visits(
        tmp_path: Path) -> None:
    """The issue's own trial, over file://: same new day in two clones."""
    server = seed_server(tmp_path)
    first = clone(f"file://{server}", tmp_path / "a", "a")
    second = clone(f"file://{server}", tmp_path / "b", "b")
    mine = add_visit(first, "dai sao", "09/11/2024")
    theirs = add_visit(second, "bang lung", "09/11/2024")
    # The day and five characters of Crockford's base 32: read aloud, typed in any case.
    for visit_id in (mine, theirs):
        assert re.fullmatch(rf"V-20241109-[{ALPHABET}]{{5}}", visit_id), visit_id
    assert mine != theirs

    first_out = sync(first)
    assert "Came in: nothing" in first_out and "Went out: 1 visits" in first_out
    second_out = sync(second)
    assert f"Came in: 1 visits (from {CLERKS['a'][0]})" in second_out
    assert f"Went out: 1 visits (from {CLERKS['b'][0]})" in second_out
    sync(first)
    for side in (first, second):
        assert sorted(journal_ids(side, "visits")) == sorted([mine, theirs])
        assert_clean(side)
    assert git(first, "rev-parse", "HEAD") == git(second, "rev-parse", "HEAD")


def test_a_history_alone_keeps_numbered_ids(tmp_path: Path) -> None:
    """No remote, no second writer: ids stay V-YYYYMMDD-001, and no driver is set."""
    office = committed_office(tmp_path / "office", env())
    assert add_visit(office, "dai sao", "09/11/2024") == "V-20241109-001"
    assert add_visit(office, "bang lung", "09/11/2024") == "V-20241109-002"
    assert subprocess.run(["git", "config", "merge.theodoi.driver"], cwd=office, env=env(),
                          capture_output=True).returncode == 1


def test_a_clone_sets_the_driver_up_once_and_says_so(tmp_path: Path) -> None:
    server = seed_server(tmp_path)
    first = clone(f"file://{server}", tmp_path / "a", "a")
    code, _out, err = theodoi(first, "visit", "add", "--commune", "dai sao", "--date",
                              "09/11/2024")
    assert code == 0
    assert "set up git's merge driver for the journals" in err
    assert git(first, "config", "merge.theodoi.driver").rstrip().endswith(
        "-m theodoi.cli.merge_driver %O %A %B %P")
    code, _out, err = theodoi(first, "visit", "add", "--commune", "bang lung", "--date",
                              "09/11/2024")
    assert code == 0 and "merge driver" not in err


# --- the merge driver -----------------------------------------------------------------------

# Two records whose last lines are the same (the same second, empty lists):
# git's merge=union would keep those lines once and one record would lose them.
RECORD = """- id: {id}
  date: 2024-11-09
  cadre: {cadre}
  commune: '{commune}'
  kind: working
  difficulties: []
  proposals: []
  recorded_at: '2024-11-20T09:00:00+07:00'
"""


def test_the_driver_keeps_every_record_whole_where_union_would_not() -> None:
    mine = RECORD.format(id="V-20241109-7KQ3M", cadre="CB01", commune="02068")
    theirs = RECORD.format(id="V-20241109-P2X9A", cadre="CB02", commune="02020")
    merged = merge_bytes(b"", mine.encode(), theirs.encode(),
                         "data/visits/2024/2024-11-09.yaml").decode()
    records = yaml.safe_load(merged)
    assert [(r["id"], r["cadre"], r["commune"], r["recorded_at"]) for r in records] == [
        ("V-20241109-7KQ3M", "CB01", "02068", "2024-11-20T09:00:00+07:00"),
        ("V-20241109-P2X9A", "CB02", "02020", "2024-11-20T09:00:00+07:00")]
    assert all(r["difficulties"] == [] and r["proposals"] == [] for r in records)
    # Either side merging writes the same bytes.
    assert merge_bytes(b"", theirs.encode(), mine.encode(),
                       "data/visits/2024/2024-11-09.yaml").decode() == merged


def test_the_driver_keeps_an_identical_record_once_and_the_ancestor_in_place() -> None:
    old = RECORD.format(id="V-20241109-001", cadre="CB03", commune="01834")
    same = RECORD.format(id="V-20241109-7KQ3M", cadre="CB01", commune="02068")
    mine = "# Sổ ghi tay\n" + old + same
    theirs = old + same + RECORD.format(id="V-20241109-P2X9A", cadre="CB02", commune="02020")
    merged = merge_bytes(old.encode(), mine.encode(), theirs.encode(),
                         "visits/2024/2024-11-09.yaml").decode()
    assert merged.startswith("# Sổ ghi tay\n- id: V-20241109-001\n")
    assert [r["id"] for r in yaml.safe_load(merged)] == [
        "V-20241109-001", "V-20241109-7KQ3M", "V-20241109-P2X9A"]


def test_the_driver_refuses_two_records_under_one_id() -> None:
    """Two histories without a remote numbered the same day: git gets a conflict."""
    from theodoi.audit.merge_driver import Refused

    mine = RECORD.format(id="V-20241109-001", cadre="CB01", commune="02068")
    theirs = RECORD.format(id="V-20241109-001", cadre="CB02", commune="02020")
    with pytest.raises(Refused) as refused:
        merge_bytes(b"", mine.encode(), theirs.encode(), "visits/2024/2024-11-09.yaml")
    assert refused.value.message.text("en") == (
        "the id V-20241109-001 names two different records, one on each side")


def test_git_merge_runs_the_driver_and_refuses_a_clash(tmp_path: Path) -> None:
    """Through git itself: a clash is a conflict that names the id; the file
    is left as git gave it."""
    office = committed_office(tmp_path / "office", env())
    (office / "data" / ".gitattributes").write_text(GITATTRIBUTES, encoding="utf-8")
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "attributes")
    from theodoi.store.git import Git
    from theodoi.store.sharing import set_driver

    set_driver(office, Git(env()))
    day = office / "data/visits/2024/2024-11-09.yaml"
    day.parent.mkdir(parents=True)
    git(office, "switch", "-q", "-c", "other")
    day.write_text(RECORD.format(id="V-20241109-001", cadre="CB02", commune="02020"),
                   encoding="utf-8")
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "other")
    git(office, "switch", "-q", "main")
    day.parent.mkdir(parents=True, exist_ok=True)
    day.write_text(RECORD.format(id="V-20241109-001", cadre="CB01", commune="02068"),
                   encoding="utf-8")
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "main")
    merged = subprocess.run(["git", "merge", "other"], cwd=office, env=env(),
                            capture_output=True, text=True)
    assert merged.returncode == 1
    assert ("cannot merge data/visits/2024/2024-11-09.yaml: the id V-20241109-001 names two "
            "different records, one on each side") in merged.stdout + merged.stderr


# --- sync -----------------------------------------------------------------------------------


def test_no_remote_says_how_to_add_one(tmp_path: Path) -> None:
    office = committed_office(tmp_path / "office", env())
    code, out, err = theodoi(office, "sync")
    assert code == 1 and out == ""
    assert "error [sync-no-remote]" in err and "git remote add origin ADDRESS" in err


def test_sync_refuses_uncommitted_records(tmp_path: Path) -> None:
    server = seed_server(tmp_path)
    first = clone(f"file://{server}", tmp_path / "a", "a")
    code, _out, err = theodoi(first, "visit", "add", "--commune", "dai sao", "--date",
                              "09/11/2024")
    assert code == 0
    code, out, err = theodoi(first, "sync")
    assert code == 1 and "error [sync-uncommitted]" in err
    assert "visits/2024/2024-11-09.yaml" in err
    assert git(tmp_path / "srv" / "theodoi-data.git", "log", "--oneline").count("\n") == 2


def test_three_rounds_two_clerks_and_cron_over_git_daemon(tmp_path: Path,
                                                          daemon: Daemon) -> None:
    url = daemon.url("theodoi-data.git")
    a = clone(url, tmp_path / "a", "a")
    b = clone(url, tmp_path / "b", "b")
    cron = clone(url, tmp_path / "cron", "cron")
    added: list[str] = []
    withdrawn: list[str] = []
    days = ["13/11/2024", "14/11/2024", "15/11/2024"]
    for round_, day in enumerate(days):
        added.append(add_visit(a, "dai sao", day, "--proposal", f"Đề xuất {round_}"))
        added.append(add_visit(b, "bang lung", day))
        added.append(add_visit(b, "song cau", day))
        if round_ > 0:
            # Amend in one clone what the other recorded; withdraw in the other.
            code, _out, err = theodoi(a, "visit", "amend", added[-6], "--note", f"Vòng {round_}",
                                      "--reason", "Bổ sung", "--commit")
            assert code == 0, err
            code, _out, err = theodoi(b, "visit", "withdraw", added[-4], "--reason",
                                      "Nhập trùng", "--commit")
            assert code == 0, err
            withdrawn.append(added[-4])
        sync(a)
        sync(b)
        code, out, err = theodoi(cron, "sync")
        assert code == 0, err
        code, _out, err = theodoi(cron, "summary", "--format", "html", "--output",
                                  str(cron / "data/bao-cao/{week}.html"), "--commit")
        assert code == 0, err
        assert "Came in" in sync(cron)
        sync(a)
    sync(b)
    heads = {git(side, "rev-parse", "HEAD") for side in (a, b, cron)}
    assert len(heads) == 1
    for side in (a, b, cron):
        ids = journal_ids(side, "visits")
        assert sorted(ids) == sorted(added) and len(set(ids)) == 9
        assert len(journal_ids(side, "corrections")) == 4  # two amends, two withdrawals
        assert (side / "data/bao-cao/2024-W46.html").is_file()
        assert_clean(side)
        code, out, err = theodoi(side, "visit", "list", "--format", "json")
        assert code == 0, err
        listed = {v["id"] for v in json.loads(out)}
        assert listed == set(added) - set(withdrawn)


def test_a_push_refused_because_the_remote_moved_is_retried(tmp_path: Path,
                                                            daemon: Daemon) -> None:
    """Between b's fetch and b's push, a pushes (b's pre-push hook makes it
    so, once): the push is refused, b fetches and merges again, then sends."""
    url = daemon.url("theodoi-data.git")
    a = clone(url, tmp_path / "a", "a")
    b = clone(url, tmp_path / "b", "b")
    first = add_visit(a, "dai sao", "13/11/2024")
    second = add_visit(b, "bang lung", "13/11/2024")
    hook = b / ".git/hooks/pre-push"
    hook.write_text(f"#!/bin/sh\nif [ ! -e {tmp_path}/raced ]; then\n  touch {tmp_path}/raced\n"
                    f"  git -C {a} push -q origin main >/dev/null 2>&1\nfi\nexit 0\n",
                    encoding="utf-8")
    hook.chmod(0o755)
    out = sync(b)
    assert (tmp_path / "raced").exists()
    assert f"Came in: 1 visits (from {CLERKS['a'][0]})" in out
    sync(a)
    for side in (a, b):
        assert sorted(journal_ids(side, "visits")) == sorted([first, second])
        assert_clean(side)


def test_sync_with_the_daemon_stopped_fails_clearly_and_loses_nothing(
        tmp_path: Path, daemon: Daemon) -> None:
    url = daemon.url("theodoi-data.git")
    a = clone(url, tmp_path / "a", "a")
    visit = add_visit(a, "dai sao", "13/11/2024")
    head = git(a, "rev-parse", "HEAD")
    day = (a / "data/visits/2024/2024-11-13.yaml").read_bytes()
    daemon.stop()
    code, out, err = theodoi(a, "sync")
    assert code == 1 and out == ""
    assert f"error [sync-unreachable]: cannot reach origin ({url})" in err
    assert "nothing was changed here and no record was lost" in err
    assert git(a, "rev-parse", "HEAD") == head
    assert (a / "data/visits/2024/2024-11-13.yaml").read_bytes() == day
    assert git(a, "status", "--porcelain") == ""
    # Back on line, it goes out.
    daemon.start()
    assert "Went out: 1 visits" in sync(a)
    assert visit in git(tmp_path / "srv/theodoi-data.git", "show",
                        "HEAD:data/visits/2024/2024-11-13.yaml")


def test_assignments_changed_on_both_sides_name_each_sides_decision(tmp_path: Path) -> None:
    server = seed_server(tmp_path)
    a = clone(f"file://{server}", tmp_path / "a", "a")
    b = clone(f"file://{server}", tmp_path / "b", "b")
    # Each side swaps two cadres by a decision of its own, as the office does it
    # (a hand edit of a past assignment would be an audit finding of its own).
    for side, number, (first, second) in ((a, "1402-QĐ/TU", ("CB01", "CB02")),
                                          (b, "1410-QĐ/TU", ("CB03", "CB04"))):
        code, _out, err = theodoi(side, "swap", first, second, "--since", "18/11/2024",
                                  "--decision", f"{number}, 18/11/2024", "--commit")
        assert code == 0, err
    sync(a)
    head = git(b, "rev-parse", "HEAD")
    code, out, err = theodoi(b, "sync")
    assert code == 1, err
    assert "error [sync-assignments-conflict]" in err
    # A swap ends two entries and adds two.
    assert ("here, decision 1410-QĐ/TU (4 assignment entries changed); there, decision "
            "1402-QĐ/TU (4 assignment entries changed)") in err
    assert "theodoi assign, swap, vacate or import assignments" in err
    assert git(b, "rev-parse", "HEAD") == head and git(b, "status", "--porcelain") == ""


def test_a_hand_resolution_with_checkout_ours_is_a_finding(tmp_path: Path) -> None:
    server = seed_server(tmp_path)
    a = clone(f"file://{server}", tmp_path / "a", "a")
    b = clone(f"file://{server}", tmp_path / "b", "b")
    add_visit(a, "dai sao", "09/11/2024")
    dropped = add_visit(b, "bang lung", "09/11/2024")
    sync(b)
    git(a, "fetch", "-q", "origin")
    # git without the driver (as on a machine that never ran theodoi): a
    # conflict, resolved by keeping "mine".
    merged = subprocess.run(["git", "-c", "merge.theodoi.driver=false", "merge", "origin/main"],
                            cwd=a, env=env(), capture_output=True, text=True)
    assert merged.returncode == 1
    git(a, "checkout", "--ours", "data/visits/2024/2024-11-09.yaml")
    git(a, "add", "data/visits/2024/2024-11-09.yaml")
    git(a, "commit", "-q", "--no-edit")
    assert dropped not in (a / "data/visits/2024/2024-11-09.yaml").read_text(encoding="utf-8")
    code, out, err = theodoi(a, "audit")
    assert code == 1
    assert dropped in out + err


def test_sync_on_no_branch_says_to_check_one_out(tmp_path: Path) -> None:
    server = seed_server(tmp_path)
    a = clone(f"file://{server}", tmp_path / "a", "a")
    git(a, "checkout", "-q", "--detach")
    code, out, err = theodoi(a, "sync")
    assert code == 1 and out == ""
    assert "error [sync-no-branch]" in err and "git switch main" in err


def test_two_records_under_one_id_stop_sync_and_lose_nothing(tmp_path: Path) -> None:
    """Two histories that numbered the same day by hand (V-…-001 on each
    side, different visits): the driver refuses, sync undoes the merge."""
    server = seed_server(tmp_path)
    a = clone(f"file://{server}", tmp_path / "a", "a")
    b = clone(f"file://{server}", tmp_path / "b", "b")
    for side, cadre, commune in ((a, "CB01", "02068"), (b, "CB02", "02020")):
        day = side / "data/visits/2024/2024-11-09.yaml"
        day.parent.mkdir(parents=True)
        day.write_text(RECORD.format(id="V-20241109-001", cadre=cadre, commune=commune),
                       encoding="utf-8")
        git(side, "add", "-A")
        git(side, "commit", "-q", "-m", "Ghi tay")
    sync(a)
    head = git(b, "rev-parse", "HEAD")
    code, out, err = theodoi(b, "sync")
    assert code == 1 and out == ""
    assert ("error [sync-conflict]: the records from origin cannot be merged with yours in "
            "data/visits/2024/2024-11-09.yaml: theodoi: cannot merge "
            "data/visits/2024/2024-11-09.yaml: the id V-20241109-001 names two different "
            "records, one on each side; the merge was undone") in err
    assert git(b, "rev-parse", "HEAD") == head and git(b, "status", "--porcelain") == ""
    assert "CB02" in (b / "data/visits/2024/2024-11-09.yaml").read_text(encoding="utf-8")


def test_a_merge_that_fails_validate_is_undone_and_not_sent(tmp_path: Path) -> None:
    """Someone pushed, with git alone, a visit to a commune the registers do
    not hold: b's sync merges it, validate fails, the merge is undone."""
    server = seed_server(tmp_path)
    plain = clone(f"file://{server}", tmp_path / "plain", "cron")
    day = plain / "data/visits/2024/2024-11-09.yaml"
    day.parent.mkdir(parents=True)
    day.write_text(RECORD.format(id="V-20241109-001", cadre="CB01", commune="99999"),
                   encoding="utf-8")
    git(plain, "add", "-A")
    git(plain, "commit", "-q", "-m", "Ghi tay")
    git(plain, "push", "-q", "origin", "main")
    b = clone(f"file://{server}", tmp_path / "b", "b")
    git(b, "reset", "-q", "--hard", "HEAD~1")
    add_visit(b, "bang lung", "09/11/2024")
    head = git(b, "rev-parse", "HEAD")
    server_head = git(server, "rev-parse", "main")
    code, out, err = theodoi(b, "sync")
    assert code == 1 and out == ""
    assert "error [sync-merge-fails]: nothing was sent to origin (any merge made now was " \
           "undone): the merge brings 1 new errors (the first: data/visits/2024/2024-11-09.yaml:" \
           in err
    assert "error [unknown-commune]: unknown commune code 99999" in err
    assert git(b, "rev-parse", "HEAD") == head and git(b, "status", "--porcelain") == ""
    assert git(server, "rev-parse", "main") == server_head


def test_a_push_the_server_refuses_keeps_the_records_here(tmp_path: Path) -> None:
    server = seed_server(tmp_path)
    hook = server / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho 'Kho đang bảo trì' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    a = clone(f"file://{server}", tmp_path / "a", "a")
    add_visit(a, "dai sao", "09/11/2024")
    head = git(a, "rev-parse", "HEAD")
    code, out, err = theodoi(a, "sync")
    assert code == 1 and out == ""
    assert ("error [sync-push-failed]: cannot send to origin: [remote rejected] (pre-receive "
            "hook declined); your records are kept here") in err
    assert git(a, "rev-parse", "HEAD") == head


def test_a_folder_made_before_the_driver_gets_its_attributes_committed_first(
        tmp_path: Path) -> None:
    """No .gitattributes (a data folder older than sync): sync commits it
    before merging, so that the journals merge record by record even on the
    first sync, and says so."""
    office = committed_office(tmp_path / "seed", env())
    server = tmp_path / "srv" / "theodoi-data.git"
    server.parent.mkdir()
    git(tmp_path, "clone", "-q", "--bare", str(office), str(server))
    a = clone(f"file://{server}", tmp_path / "a", "a")
    b = clone(f"file://{server}", tmp_path / "b", "b")
    mine = add_visit(a, "dai sao", "09/11/2024")
    theirs = add_visit(b, "bang lung", "09/11/2024")
    out = sync(a)
    assert "Committed .gitattributes first" in out
    out = sync(b)  # b commits the same file: the same lines, merged cleanly
    assert "Committed .gitattributes first" in out and "Came in: 1 visits" in out
    sync(a)
    for side in (a, b):
        assert sorted(journal_ids(side, "visits")) == sorted([mine, theirs])
        assert (side / "data/.gitattributes").read_text(encoding="utf-8") == GITATTRIBUTES
        assert_clean(side)


def test_the_first_sync_fills_an_empty_server(tmp_path: Path) -> None:
    """A new bare repository (git init --bare) added as the remote of a folder
    kept alone so far: the first sync sends the whole history."""
    office = committed_office(tmp_path / "office", env())
    numbered = add_visit(office, "dai sao", "09/11/2024")
    server = tmp_path / "srv" / "theodoi-data.git"
    server.parent.mkdir()
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(server))
    git(office, "remote", "add", "origin", f"file://{server}")
    out = sync(office)
    # The registers, .gitattributes (committed by this sync) and the visit.
    assert out.splitlines()[1:] == [
        "  Committed .gitattributes first: the journals are now merged record by record.",
        "  Came in: nothing",
        f"  Went out: 1 visits, 4 other files (reports, registers) (from {CLERKS['a'][0]})"]
    assert git(server, "rev-parse", "main") == git(office, "rev-parse", "HEAD")
    assert git(office, "config", "branch.main.remote") == "origin\n"
    # From now on the history is shared: new ids are drawn, the old one stays.
    shared = add_visit(office, "bang lung", "09/11/2024")
    assert numbered == "V-20241109-001" and re.fullmatch(r"V-20241109-[0-9A-Z]{5}", shared)


def test_without_an_identity_sync_writes_no_attributes(tmp_path: Path) -> None:
    """The commit of .gitattributes is refused before the file is written."""
    office = committed_office(tmp_path / "seed", env())
    server = tmp_path / "srv" / "theodoi-data.git"
    server.parent.mkdir()
    git(tmp_path, "clone", "-q", "--bare", str(office), str(server))
    git(tmp_path, "clone", "-q", f"file://{server}", "nobody")
    nobody = tmp_path / "nobody"
    code, out, err = theodoi(nobody, "sync")
    assert code == 1 and out == ""
    assert "error [no-git-identity]" in err
    assert git(nobody, "status", "--porcelain") == ""
