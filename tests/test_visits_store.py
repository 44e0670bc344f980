"""Writing visits safely: append-only, atomic, serialised, crash-proof.

Every test here uses real files and real processes (no mocks): concurrent
writers are separate Python processes, a crash is a real SIGKILL, a full disk
is the kernel's RLIMIT_FSIZE (write() fails with EFBIG), and a read-only data
folder is a real read-only bind mount in a private mount namespace.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import stat
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, in_ci, invoke

from theodoi.base.model import Visit
from theodoi.base.problems import TheodoiError
from theodoi.visits.records import add_visit, visit_id, visits_of
from theodoi.visits.records import visit_day_file as day_file

TODAY = "2024-09-20"
DAY = date(2024, 9, 15)
ENV = {"THEODOI_TODAY": TODAY}

# A day file as a clerk may have left it by hand: a comment, flow mappings,
# a blank line, a multi-line note.  Appending must not change one byte of it.
HAND_WRITTEN = (
    "# Chuyến công tác ngày 15/09/2024 (ghi tay)\n"
    "- {id: V-20240915-001, date: 2024-09-15, cadre: CB03, commune: \"01834\", kind: survey}\n"
    "\n"
    "- id: V-20240915-002\n"
    "  date: 2024-09-15\n"
    "  cadre: CB04\n"
    "  commune: \"01837\"\n"
    "  notes: |-\n"
    "    Làm việc với Đảng ủy phường.\n"
    "    Nắm tình hình giải phóng mặt bằng.\n"
)

# The writer used by the concurrency and crash tests: the library's add
# function called in a loop, printing each id once it is safely written.
WRITER = r"""
import sys
from datetime import date
from pathlib import Path
from theodoi.base.model import Visit
from theodoi.visits.records import add_visit

data, day, commune, cadre, count, tag = sys.argv[1:7]
for n in range(int(count)):
    visit = Visit(id="", date=date.fromisoformat(day), cadre=cadre, commune=commune,
                  notes=f"{tag}-{n}", difficulties=("Thiếu vốn",),
                  recorded_at="2024-09-15T16:00:00+07:00")
    stored = add_visit(Path(data), visit, allow_duplicate=True)
    print(stored.visit.id, flush=True)
"""


def writer(data: Path, count: int, tag: str, commune: str = "02068",
           cadre: str = "CB01") -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(data), DAY.isoformat(), commune,
                             cadre, str(count), tag], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                            cwd=REPO)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: its bytes and its modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def visit(notes: str = "", day: date = DAY) -> Visit:
    return Visit(id="", date=day, cadre="CB01", commune="02068", notes=notes,
                 recorded_at="2024-09-15T16:00:00+07:00")


@pytest.fixture
def history(small_data: Path) -> Path:
    """The small data folder with two day files already on record."""
    (small_data / "visits" / "2024").mkdir(parents=True)
    day_file(small_data, DAY).write_text(HAND_WRITTEN, encoding="utf-8")
    day_file(small_data, date(2024, 9, 14)).write_text(
        "- {id: V-20240914-001, date: 2024-09-14, cadre: CB02, commune: \"02020\"}\n",
        encoding="utf-8")
    return small_data


def ids_in(path: Path) -> list[str]:
    visits, problems = visits_of(path)
    assert problems == []
    return [v.id for v in visits]


# --- Append-only ---------------------------------------------------------------


def test_append_keeps_every_byte_and_touches_no_other_file(history: Path) -> None:
    path = day_file(history, DAY)
    before = snapshot(history)
    result = invoke("visit", "add", "--data", str(history), "--commune", "dai sao", "--date",
                    "15/09/2024", "--note", "Kiểm tra", env=ENV)
    assert result.returncode == 0, result.stderr
    after = snapshot(history)
    key = str(path.relative_to(history))
    assert after[key][0].startswith(HAND_WRITTEN.encode())
    assert after[key][0][len(HAND_WRITTEN.encode()):].startswith(b"- id: V-20240915-003\n")
    assert {k: v for k, v in after.items() if k != key} == {
        k: v for k, v in before.items() if k != key}  # same files, same bytes, same mtimes
    assert ids_in(path) == ["V-20240915-001", "V-20240915-002", "V-20240915-003"]


@pytest.mark.parametrize(("old", "separator"), [
    (b"- {id: V-20240915-001, date: 2024-09-15, cadre: CB03, commune: \"01834\"}", b"\n"),
    (b"- {id: V-20240915-001, date: 2024-09-15, cadre: CB03, commune: \"01834\"}\r\n", b""),
    (b"\xef\xbb\xbf# saved by a Windows editor\r\n", b""),
    (b"", b""),
    (b"# only a comment\n", b""),
])
def test_append_to_files_as_editors_leave_them(small_data: Path, old: bytes,
                                               separator: bytes) -> None:
    path = day_file(small_data, DAY)
    path.parent.mkdir(parents=True)
    path.write_bytes(old)
    stored = add_visit(small_data, visit("Kiểm tra"))
    new = path.read_bytes()
    assert new.startswith(old + separator)
    addition = new[len(old + separator):]
    # The new item follows the file's own line endings (CRLF stays CRLF).
    assert (b"\r\n" in addition) == (b"\r\n" in old)
    assert ids_in(path)[-1] == stored.visit.id
    assert stored.visit.location.line == (old + separator).count(b"\n") + 1


# --- Atomic writes -------------------------------------------------------------


def test_write_goes_through_a_new_file_renamed_over_the_old(history: Path) -> None:
    path = day_file(history, DAY)
    path.chmod(0o640)
    inode = path.stat().st_ino
    add_visit(history, visit())
    assert path.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # the file keeps its permissions
    assert sorted(p.name for p in path.parent.iterdir()) == ["2024-09-14.yaml",
                                                             "2024-09-15.yaml"]


READER = r"""
import sys
from pathlib import Path
from theodoi.visits.records import visits_of

path, expected = Path(sys.argv[1]), int(sys.argv[2])
seen, reads, counts = 0, 0, set()
print("ready", flush=True)
while seen < expected:
    visits, problems = visits_of(path)
    reads += 1
    if problems or len(visits) < seen:
        print("bad", len(visits), seen, [p.message("en") for p in problems], flush=True)
        sys.exit(1)
    seen = len(visits)
    counts.add(seen)
print("ok", reads, len(counts), flush=True)
"""


def test_a_reader_never_sees_a_half_written_file(history: Path) -> None:
    path = day_file(history, DAY)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(path), "102"],
                              stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert reader.stdout is not None and reader.stdout.readline() == "ready\n"
    process = writer(history, 100, "w")
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    verdict = reader.communicate(timeout=120)[0]
    assert reader.returncode == 0, verdict
    word, reads, counts = verdict.split()
    # The reader raced the writer: it read the file while the visits were being
    # added (counts other than the first 2 and the last 102), not only once it
    # was all written, when the test would prove nothing.
    assert word == "ok" and int(reads) >= int(counts) > 2, verdict


# --- Concurrent writers --------------------------------------------------------


def test_four_processes_adding_fifty_each_lose_nothing(history: Path) -> None:
    path = day_file(history, DAY)
    processes = {f"p{i}": writer(history, 50, f"p{i}") for i in range(4)}
    printed: dict[str, list[str]] = {}
    for tag, process in processes.items():
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        printed[tag] = out.split()
    visits, problems = visits_of(path)
    assert problems == []
    assert path.read_text(encoding="utf-8").startswith(HAND_WRITTEN)
    assert [v.id for v in visits] == [visit_id(DAY, n) for n in range(1, 203)]
    by_id = {v.id: v.notes for v in visits}
    for tag, ids in printed.items():
        assert len(ids) == 50
        assert [by_id[i] for i in ids] == [f"{tag}-{n}" for n in range(50)]


def test_racing_visit_add_commands_lose_nothing(small_data: Path) -> None:
    env = {**os.environ, **ENV}
    env.pop("THEODOI_LANG", None)
    processes = [subprocess.Popen(
        [sys.executable, "-m", "theodoi", "visit", "add", "--data", str(small_data),
         "--commune", "dai sao", "--date", "2024-09-15", "--note", f"lần {n}",
         "--allow-duplicate"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, text=True, cwd=REPO, env=env) for n in range(6)]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    visits, problems = visits_of(day_file(small_data, DAY))
    assert problems == []
    assert [v.id for v in visits] == [visit_id(DAY, n) for n in range(1, 7)]
    assert sorted(v.notes for v in visits) == [f"lần {n}" for n in range(6)]


# --- Crashes -------------------------------------------------------------------


def test_sigkill_at_random_moments_never_loses_or_breaks_a_record(history: Path) -> None:
    path = day_file(history, DAY)
    rng = random.Random(1391)
    confirmed: set[str] = set()
    for round_ in range(20):
        before = path.read_bytes()
        process = writer(history, 100_000, f"r{round_}")
        assert process.stdout is not None
        confirmed.update(process.stdout.readline().strip() for _ in range(rng.randint(1, 4)))
        # Not a synchronisation: a random extra moment so that the kill lands
        # anywhere in the next write (reading, writing the temporary file, renaming).
        time.sleep(rng.uniform(0, 0.01))
        process.kill()
        rest, _err = process.communicate(timeout=60)
        confirmed.update(rest.split())
        after = path.read_bytes()
        assert after.startswith(before), f"round {round_}: earlier bytes changed"
        ids = ids_in(path)  # parses, no problems
        assert ids == [visit_id(DAY, n) for n in range(1, len(ids) + 1)]
        assert confirmed <= set(ids), f"round {round_}: a confirmed visit was lost"
        assert [p.name for p in path.parent.glob("*.yaml")] != []
    assert path.read_text(encoding="utf-8").startswith(HAND_WRITTEN)
    # Whatever the kills left behind, the whole folder still validates.
    # At most a hidden temporary file of a killed write is left, and said to be.
    result = invoke("validate", "--data", str(history), "--as-of", TODAY, "--format", "json",
                    env=ENV)
    assert result.returncode == 0, result.stdout
    assert {p["code"] for p in json.loads(result.stdout)} <= {"leftover-temporary-file"}


# --- Failures leave everything as it was -------------------------------------------


def assert_unchanged(data: Path, before: dict[str, tuple[bytes, int]]) -> None:
    assert snapshot(data) == before


def _can_mount_privately() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("mount"):
        return False
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"],
                           capture_output=True)
    return probe.returncode == 0


READ_ONLY_MOUNT = r"""
import os, subprocess, sys
data = sys.argv[1]
# Inside a private mount namespace: the read-only view is seen by this process only.
subprocess.run(["mount", "--bind", data, data], check=True)
subprocess.run(["mount", "-o", "remount,bind,ro", data, data], check=True)
os.execv(sys.executable, [sys.executable, "-m", "theodoi", *sys.argv[2:]])
"""


def require_private_mounts() -> None:
    """CI runs as root with unshare: there the test must run (and fail without
    them), never skip; elsewhere it is skipped with the reason."""
    if _can_mount_privately():
        return
    reason = "needs root, unshare and mount to make a real read-only mount"
    if in_ci():
        pytest.fail(f"{reason}: CI must be able to")
    pytest.skip(reason)


@pytest.mark.parametrize("existing", [True, False])
def test_read_only_data_folder(history: Path, existing: bool) -> None:
    """Root ignores permission bits, so chmod proves nothing here: the data folder
    is bind-mounted read-only (EROFS from the kernel) in a private namespace."""
    require_private_mounts()
    if not existing:
        shutil.rmtree(history / "visits")
    before = snapshot(history)
    result = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", sys.executable, "-c",
         READ_ONLY_MOUNT, str(history), "visit", "add", "--data", str(history), "--commune",
         "dai sao", "--date", "2024-09-15", "--lang", "en"],
        capture_output=True, text=True, cwd=REPO, env={**os.environ, **ENV},
        stdin=subprocess.DEVNULL, timeout=120)
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    if existing:
        assert result.stderr == (
            f"theodoi: error [cannot-write]: {day_file(history, DAY)}: cannot write the file: "
            "the file system is read-only; it was left as it was\n")
    else:
        assert result.stderr == (
            f"theodoi: error [cannot-create-folder]: {history / 'visits'}: cannot create the "
            "folder: the file system is read-only\n")
    assert_unchanged(history, before)
    assert (history / "visits").exists() == existing


def test_write_protected_folder_for_a_normal_user(history: Path) -> None:
    """Permission bits bind a normal user; root ignores them through the
    CAP_DAC_OVERRIDE capability, so as root the command runs with that
    capability (and its read twin) dropped by setpriv: the kernel then applies
    the bits to root as to anyone."""
    folder = history / "visits" / "2024"
    before = snapshot(history)
    command = [sys.executable, "-m", "theodoi", "visit", "add", "--data", str(history),
               "--commune", "dai sao", "--date", "2024-09-15", "--lang", "en"]
    if os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    folder.chmod(0o555)
    try:
        result = subprocess.run(command, capture_output=True, text=True, cwd=REPO,
                                env={**os.environ, **ENV}, stdin=subprocess.DEVNULL,
                                timeout=120)
    finally:
        folder.chmod(0o755)
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    assert result.stderr == (
        f"theodoi: error [cannot-write]: {day_file(history, DAY)}: cannot write the file: "
        "permission denied; it was left as it was\n")
    assert_unchanged(history, before)


def test_year_folder_blocked_by_a_file(small_data: Path) -> None:
    """A failure root cannot override: the year folder's name is taken by a file."""
    (small_data / "visits").mkdir()
    (small_data / "visits" / "2024").write_text("not a folder\n", encoding="utf-8")
    before = snapshot(small_data)
    result = invoke("visit", "add", "--data", str(small_data), "--commune", "dai sao",
                    "--date", "2024-09-15", env=ENV)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"theodoi: lỗi [folder-blocked]: {small_data / 'visits' / '2024'}: không tạo được "
                             "thư mục: đã có một tệp trùng tên\n")
    assert_unchanged(small_data, before)


def test_full_disk_leaves_the_day_file_as_it_was(history: Path) -> None:
    """RLIMIT_FSIZE makes the kernel refuse to write past a size (EFBIG), as a
    full disk refuses with ENOSPC: the temporary file cannot be completed."""
    path = day_file(history, DAY)
    limit = path.stat().st_size + 40  # the old text fits, the new visit does not

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    before = snapshot(history)
    env = {**os.environ, **ENV, "THEODOI_LANG": "en"}
    result = subprocess.run(
        [sys.executable, "-m", "theodoi", "visit", "add", "--data", str(history), "--commune",
         "dai sao", "--date", "2024-09-15", "--note", "Một ghi chép dài " * 5],
        capture_output=True, text=True, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
        preexec_fn=limit_file_size, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (f"theodoi: error [cannot-write]: {path}: cannot write the file: the "
                             "file would be larger than allowed; it was left as it was\n")
    assert_unchanged(history, before)  # and no temporary file is left behind


@pytest.mark.parametrize(("text", "code", "where", "reason"), [
    ("- id: V-20240915-001\n  date: [2024-09-15\n", "yaml-syntax", ":3:1: ",
     "lỗi cú pháp YAML"),
    ("id: V-20240915-001\ndate: 2024-09-15\n", "visit-file-not-list", ":1: ",
     "tệp chuyến công tác phải là một danh sách YAML các chuyến công tác"),
    ("[]\n", "cannot-append", ": ", "không thể ghi thêm chuyến công tác vào tệp này"),
    ("- {id: V-20240915-001, date: 2024-09-15, cadre: CB03, commune: \"01834\"}\n- ]\n",
     "yaml-syntax", ":2:3: ", "lỗi cú pháp YAML"),
])
def test_malformed_day_file_is_named_and_left_alone(small_data: Path, text: str, code: str,
                                                   where: str, reason: str) -> None:
    path = day_file(small_data, DAY)
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    before = snapshot(small_data)
    result = invoke("visit", "add", "--data", str(small_data), "--commune", "dai sao",
                    "--date", "2024-09-15", env=ENV)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"theodoi: lỗi [{code}]: {path}{where}{reason}"), result.stderr
    assert "Traceback" not in result.stderr
    assert_unchanged(small_data, before)


def test_day_file_not_in_utf8_is_refused(small_data: Path) -> None:
    path = day_file(small_data, DAY)
    path.parent.mkdir(parents=True)
    path.write_bytes("- notes: Đại Sảo\n".encode("cp1258", errors="replace"))
    before = snapshot(small_data)
    with pytest.raises(TheodoiError) as caught:
        add_visit(small_data, visit())
    assert caught.value.location is not None and caught.value.location.line == 1
    assert_unchanged(small_data, before)


def test_a_stale_temporary_file_of_the_day_is_cleared_by_the_next_write(history: Path) -> None:
    path = day_file(history, DAY)
    stale = path.with_name(f".{path.name}.999.deadbeef.tmp")
    stale.write_bytes(b"- id: half")
    other_day = path.with_name(".2024-09-14.yaml.999.deadbeef.tmp")
    other_day.write_bytes(b"- id: half")
    add_visit(history, visit())
    assert not stale.exists()
    assert other_day.exists()  # another day's file is not this write's business
