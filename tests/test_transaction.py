"""The transaction: all of its files or none, after an exception, Ctrl-C,
SIGTERM or SIGKILL at any point; the next command rolls a decided change forward."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from theodoi.base import checks
from theodoi.base.problems import TheodoiError
from theodoi.store.transaction import INTENT_FILE, prepare, recover, transaction

NAMES = ["communes.csv", "cadres.csv", "assignments.yaml", "visits/2024/2024-09-15.yaml",
         "visits/2024/2024-09-16.yaml"]


def _contents(folder: Path) -> dict[str, bytes | None]:
    return {name: (folder / name).read_bytes() if (folder / name).exists() else None
            for name in NAMES}


def _leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".*.tmp"))


def _seed(folder: Path) -> None:
    (folder / "visits" / "2024").mkdir(parents=True)
    for name in NAMES[:3]:
        (folder / name).write_bytes(b"generation 0\n")


def test_a_clean_exit_writes_every_file_and_leaves_nothing_behind(tmp_path: Path) -> None:
    _seed(tmp_path)
    with transaction(tmp_path) as tx:
        for name in NAMES:
            tx.write(tmp_path / name, b"new " + name.encode())
        assert _contents(tmp_path)["cadres.csv"] == b"generation 0\n"  # nothing yet
        assert tx.read(tmp_path / "cadres.csv") == b"new cadres.csv"  # but staged
    assert _contents(tmp_path) == {name: b"new " + name.encode() for name in NAMES}
    assert _leftovers(tmp_path) == []
    assert not (tmp_path / INTENT_FILE).exists()


@pytest.mark.parametrize("raised", [RuntimeError("a bug"), KeyboardInterrupt(),
                                    TheodoiError(checks.CANNOT_APPEND)])
def test_an_exception_inside_writes_nothing(tmp_path: Path, raised: BaseException) -> None:
    _seed(tmp_path)
    before = _contents(tmp_path)
    with pytest.raises(type(raised)), transaction(tmp_path) as tx:
        tx.write(tmp_path / "cadres.csv", b"changed")
        tx.write(tmp_path / "visits/2024/2024-09-15.yaml", b"- id: x\n")
        raise raised
    assert _contents(tmp_path) == before
    assert _leftovers(tmp_path) == []


def test_a_nested_transaction_joins_the_outer_one(tmp_path: Path) -> None:
    _seed(tmp_path)
    with pytest.raises(RuntimeError), transaction(tmp_path) as outer:
        with transaction(tmp_path) as inner:
            assert inner is outer
            inner.write(tmp_path / "cadres.csv", b"inner")
        assert _contents(tmp_path)["cadres.csv"] == b"generation 0\n"  # not applied alone
        raise RuntimeError("the outer change fails after the inner one")
    assert _contents(tmp_path)["cadres.csv"] == b"generation 0\n"


def test_a_decided_change_is_rolled_forward_by_the_next_command(tmp_path: Path) -> None:
    """Killed between the intent record and the renames: the next reader finishes it."""
    _seed(tmp_path)
    prepare(tmp_path, [(tmp_path / "cadres.csv", b"after\n"),
                       (tmp_path / "communes.csv", b"after too\n")])
    assert (tmp_path / INTENT_FILE).exists()
    assert _contents(tmp_path)["cadres.csv"] == b"generation 0\n"
    assert recover(tmp_path) is True
    assert _contents(tmp_path)["cadres.csv"] == b"after\n"
    assert _contents(tmp_path)["communes.csv"] == b"after too\n"
    assert _leftovers(tmp_path) == [] and not (tmp_path / INTENT_FILE).exists()


def test_a_file_altered_after_the_intent_is_named_not_overwritten(tmp_path: Path) -> None:
    _seed(tmp_path)
    entries = prepare(tmp_path, [(tmp_path / "cadres.csv", b"after\n")])
    (tmp_path / entries[0]["temporary"]).unlink()  # renamed, then edited by hand
    (tmp_path / "cadres.csv").write_bytes(b"edited by hand\n")
    with pytest.raises(TheodoiError) as raised:
        recover(tmp_path)
    assert raised.value.check is checks.INTERRUPTED_CHANGE
    assert (tmp_path / "cadres.csv").read_bytes() == b"edited by hand\n"


def test_an_intent_naming_a_path_outside_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (tmp_path / "outside").write_bytes(b"keep")
    (folder / INTENT_FILE).write_text(
        '{"format": 1, "files": [{"target": "../outside", "temporary": "x", "sha256": "0"}]}')
    with pytest.raises(TheodoiError):
        recover(folder)
    assert (tmp_path / "outside").read_bytes() == b"keep"


# --- real processes, killed ---------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from theodoi.store.transaction import transaction
    folder = Path(sys.argv[1])
    names = sys.argv[2].split(",")
    generation = 0
    print("ready", flush=True)
    while True:
        generation += 1
        with transaction(folder) as tx:
            for name in names:
                # large enough that writing and fsyncing take a while
                tx.write(folder / name, (f"generation {generation}\\n" * 20000).encode())
""")


def _generations(folder: Path) -> set[str]:
    found = set()
    for name in NAMES:
        data = (folder / name).read_bytes() if (folder / name).exists() else b""
        found.add(data.split(b"\n", 1)[0].decode())
    return found


def test_sigkill_at_random_points_leaves_all_or_nothing(tmp_path: Path) -> None:
    """Twenty writers killed at random moments: after recovery, every file holds
    the same generation, and no temporary file or intent record is left."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    randomiser = random.Random(20241207)
    seen = set()
    for attempt in range(20):
        folder = tmp_path / f"data{attempt}"
        folder.mkdir()
        _seed(folder)
        for name in NAMES[3:]:
            (folder / name).write_bytes(b"generation 0\n")
        writer = subprocess.Popen([sys.executable, str(script), str(folder), ",".join(NAMES)],
                                  stdout=subprocess.PIPE)
        assert writer.stdout is not None
        assert writer.stdout.readline() == b"ready\n"  # however slow the start
        time.sleep(randomiser.uniform(0.0, 0.4))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=60)
        decided = (folder / INTENT_FILE).exists()
        recover(folder)
        generations = _generations(folder)
        assert len(generations) == 1, (attempt, generations, decided)
        assert _leftovers(folder) == [] or not decided
        seen.add(decided)
    # Not a proof that every point was hit, but the folder was left in more than one way.
    assert seen


def test_sigterm_while_preparing_writes_nothing(tmp_path: Path) -> None:
    _seed(tmp_path)
    before = _contents(tmp_path)
    script = tmp_path / "slow.py"
    script.write_text(textwrap.dedent("""
        import sys, time
        from pathlib import Path
        from theodoi.store.transaction import transaction
        folder = Path(sys.argv[1])
        with transaction(folder) as tx:
            tx.write(folder / "cadres.csv", b"never")
            print("staged", flush=True)
            time.sleep(120)
    """))
    writer = subprocess.Popen([sys.executable, str(script), str(tmp_path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert writer.stdout is not None
    assert writer.stdout.readline() == b"staged\n"
    writer.send_signal(signal.SIGTERM)
    assert writer.wait(timeout=60) != 0
    assert _contents(tmp_path) == before
    assert _leftovers(tmp_path) == []


def test_sigkill_of_import_visits_leaves_none_or_all_rows(small_data: Path, tmp_path: Path
                                                          ) -> None:
    """``import visits`` of 60 rows over 15 day files, killed at random moments:
    the next command (here ``visit list``) finds no row of it or every row."""
    sheet = tmp_path / "log.csv"
    lines = ["Ngày,Xã,Cán bộ,Nội dung"]
    pairs = [("02068", "CB01"), ("02020", "CB02"), ("01834", "CB03"), ("01837", "CB04")]
    for day in range(1, 16):
        for commune, cadre in pairs:
            lines.append(f"{day:02d}/09/2024,{commune},{cadre},Ngày {day}")
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    randomiser = random.Random(7)
    env = {**os.environ, "THEODOI_TODAY": "2024-09-20", "THEODOI_LANG": "en"}
    counts = set()
    for attempt in range(7):
        folder = tmp_path / f"data{attempt}"
        subprocess.run(["cp", "-r", str(small_data), str(folder)], check=True)
        importer = subprocess.Popen(
            [sys.executable, "-m", "theodoi", "import", "visits", str(sheet), "--data",
             str(folder)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if attempt == 0:  # the control: left alone, the import writes every row
            assert importer.wait(timeout=120) == 0, importer.communicate()
        else:
            time.sleep(randomiser.uniform(0.3, 2.5))
            importer.send_signal(signal.SIGKILL)
            importer.wait(timeout=60)
        listed = subprocess.run(
            [sys.executable, "-m", "theodoi", "visit", "list", "--format", "csv", "--data",
             str(folder), "--no-cache"], env=env, capture_output=True, text=True, timeout=120)
        assert listed.returncode == 0, listed.stderr
        rows = [line for line in listed.stdout.splitlines()[1:] if line]
        assert len(rows) in (0, 60), (attempt, len(rows))
        assert attempt > 0 or len(rows) == 60
        counts.add(len(rows))
        assert not (folder / INTENT_FILE).exists()
    assert counts <= {0, 60}


# --- the library records and commits a visit without the command line -----------------


def test_the_library_commits_exactly_its_own_change(tmp_path: Path) -> None:
    """A visit recorded and committed through the transaction alone: one commit
    holding the day file; a register with a change pending is refused, with
    nothing written."""
    from datetime import date as day

    from conftest import committed_office, git_environment, run_git

    from theodoi.base.model import Visit
    from theodoi.base.problems import Msg
    from theodoi.store.git import Git
    from theodoi.visits.records import add_visit

    env = git_environment("2024-09-20")
    root = committed_office(tmp_path / "office", env)
    data = root / "data"
    git = Git(env)
    visit = Visit("", day(2024, 9, 15), "CB01", "02068", recorded_at="2024-09-20T08:00:00+07:00")
    with transaction(data) as tx:
        stored = add_visit(data, visit)
        tx.commit_as(git, "Chuyến công tác", Msg("the visit"))
    assert tx.applied.commit is not None
    shown = run_git(root, "show", "--name-only", "--format=%s", tx.applied.commit, env=env)
    assert shown.split() == ["Chuyến", "công", "tác", "data/visits/2024/2024-09-15.yaml"]
    assert stored.visit.id == "V-20240915-001"

    (data / "cadres.csv").write_text((data / "cadres.csv").read_text() + "CB09,X,Y,Z,,\n")
    before = _tree(data)
    with pytest.raises(TheodoiError) as refused, transaction(data) as tx:
        tx.write(data / "cadres.csv", b"id,name,title,agency\n")
        tx.commit_as(git, "Sửa danh sách", Msg("the change"))
    assert refused.value.check is checks.UNCOMMITTED_CHANGES
    assert _tree(data) == before


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_two_register_edits_in_one_transaction_both_stay(small_data: Path) -> None:
    """A second edit of cadres.csv in the same transaction reads what the first
    staged, not the file on disk (else the second would drop the first)."""
    from theodoi.registers.assignments_edit import add_cadre, new_cadre

    with transaction(small_data):
        add_cadre(small_data, new_cadre("CB05", "Hoàng Thị Mai", "Phó Chánh Văn phòng",
                                        "Văn phòng Tỉnh ủy"))
        add_cadre(small_data, new_cadre("CB06", "Triệu Văn Sơn", "Phó Giám đốc",
                                        "Sở Nội vụ"))
        assert "CB05" not in (small_data / "cadres.csv").read_text(encoding="utf-8")
    ids = [line.split(",")[0] for line in
           (small_data / "cadres.csv").read_text(encoding="utf-8").splitlines()[1:]]
    assert ids == ["CB01", "CB02", "CB03", "CB04", "CB05", "CB06"]
