"""The incremental cache: a result computed with it is the result computed without it.

Every test has its own cache folder (``THEODOI_CACHE_DIR`` in the environment
it passes to the command).  A file changed less than ``RACY_SECONDS`` before
it is read is not cached, and a test's files were all written a moment ago:
where a test needs warm entries it fills the cache through the library with
``racy_seconds=0`` (the cache file is the one the commands use), and it checks
with ``files_read`` that the next load, or the command's own loads, really
parsed only the files that changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, invoke, require_tool, write_data_folder
from report_data import quarter_data

import theodoi.store.cache as cache_module
import theodoi.visits.columns as visit_columns_module
from theodoi.base.checks import InternalError
from theodoi.store.cache import FORMAT, RACY_SECONDS, Cache, open_cache
from theodoi.visits.columns import VisitColumns, load_visit_columns
from theodoi.visits.records import visits_of
from theodoi.workspace.demo import create_demo

TODAY = "2026-01-20"
TERM_START = "2024-08-29"


def env_for(cache: Path) -> dict[str, str]:
    return {"THEODOI_CACHE_DIR": str(cache), "THEODOI_TODAY": TODAY}


def reading_commands(week: str) -> list[tuple[str, ...]]:
    """Every command that reads the visit history, in its machine format."""
    coverage = [("coverage", "--by", by, "--from", TERM_START, "--to", "2025-01-31", "--format", "json")
                for by in ("district", "commune", "cadre", "agency")]
    return [*coverage, ("overdue", "--format", "json"),
            ("summary", "--format", "json", "--week", week),
            ("validate", "--format", "json"), ("visit", "list", "--format", "json")]


def contents(columns: VisitColumns) -> dict[str, object]:
    """What a load yields, vocabulary codes spelled out: a cache's
    vocabulary also keeps texts no file uses any more, so codes may differ
    between a cached and an uncached load, the texts may not."""
    vocab = columns.vocab
    texts = {c: [vocab[code] for code in columns.ints(c)] for c in ("cadre", "commune", "kind")}
    rows = list(zip(columns.ints("day"), texts["cadre"], texts["commune"], texts["kind"],
                    columns.ints("recorded"), columns.ints("line"), columns.flags, strict=True))
    return {"files": columns.files,
            "ids": [columns.ids_of(i) for i in range(len(columns.files))],
            "items": columns.items, "rows": rows, "odd_ids": columns.odd_ids,
            "problems": columns.problems}


def cadres(columns: VisitColumns) -> list[str]:
    return [columns.vocab[code] for code in columns.ints("cadre")]


def day_files(data: Path) -> list[Path]:
    return sorted((data / "visits").glob("*/*.yaml"))


def visit_text(visit_id: str, day: date, cadre: str, commune: str, kind: str = "survey") -> str:
    return (f"- id: {visit_id}\n  date: {day}\n  cadre: {cadre}\n  commune: \"{commune}\"\n"
            f"  kind: {kind}\n  recorded_at: '{day}T16:00:00+07:00'\n")


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bool, int]]:
    """Every load of the columns the commands make from now on: (with a cache,
    day files parsed).  A spy: the load itself is the real one."""
    calls: list[tuple[bool, int]] = []
    real = visit_columns_module.load_visit_columns

    def spy(*args: Any, **kwargs: Any) -> VisitColumns:
        columns = real(*args, **kwargs)
        cache_dir = args[1] if len(args) > 1 else kwargs.get("cache_dir")
        calls.append((cache_dir is not None, columns.files_read))
        return columns

    monkeypatch.setattr(visit_columns_module, "load_visit_columns", spy)
    return calls


# --- 1. cached == uncached, through a history of changes ------------------------------------


def history_changes(data: Path) -> list[tuple[str, Callable[[], None], int]]:
    """The changes a data folder goes through, each with the number of day
    files it changes: (name, change, files to read again)."""
    files = day_files(data)
    appended_to, edited, deleted, renamed, broken, moved_to = (
        files[int(len(files) * share)] for share in (0.55, 0.3, 0.15, 0.45, 0.7, 0.85))
    assert len({appended_to, edited, deleted, renamed, broken, moved_to}) == 6
    model = visits_of(appended_to)[0][0]
    day = date.fromisoformat(appended_to.stem)
    added = visit_text(f"V-{day:%Y%m%d}-901", day, model.cadre, model.commune)
    before_append = appended_to.read_bytes()
    old_commune = visits_of(edited)[0][0].commune
    new_commune = next(v.commune for f in files for v in visits_of(f)[0]
                       if v.commune != old_commune)
    broken_bytes, broken_stat = broken.read_bytes(), broken.stat()

    def append() -> None:
        with open(appended_to, "a", encoding="utf-8") as handle:
            handle.write(added)

    def edit_in_place() -> None:
        """By hand, the same size, and the old modification time put back."""
        stat = edited.stat()
        old = edited.read_bytes()
        new = old.replace(f'commune: "{old_commune}"'.encode(),
                          f'commune: "{new_commune}"'.encode(), 1)
        assert new != old and len(new) == len(old)
        edited.write_bytes(new)
        os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    def rename() -> None:
        day = date.fromisoformat(renamed.stem)
        target = next(p for p in (renamed.with_name(f"{day + timedelta(days=n)}.yaml")
                                  for n in (*range(1, 30), *range(-1, -30, -1)))
                      if not p.exists() and p.stem[:4] == renamed.stem[:4])
        renamed.rename(target)

    def new_year() -> None:
        folder = data / "visits" / "2026"
        folder.mkdir()
        (folder / "2026-01-05.yaml").write_text(
            visit_text("V-20260105-001", date(2026, 1, 5), model.cadre, model.commune),
            encoding="utf-8")

    def break_yaml() -> None:
        broken.write_bytes(broken_bytes + b"- id: 'a quotation mark never closed\n")

    def fix_yaml() -> None:
        broken.write_bytes(broken_bytes)
        os.utime(broken, ns=(broken_stat.st_atime_ns, broken_stat.st_mtime_ns))

    def move_to_wrong_day() -> None:
        appended_to.write_bytes(before_append)
        with open(moved_to, "a", encoding="utf-8") as handle:
            handle.write(added)

    return [("a visit appended to a day file", append, 1),
            ("a record edited in place by hand", edit_in_place, 1),
            ("a day file deleted", deleted.unlink, 0),
            ("a day file renamed to another day", rename, 1),
            ("a new year folder", new_year, 1),
            ("a day file made invalid YAML", break_yaml, 1),
            ("the invalid day file fixed", fix_yaml, 1),
            ("a visit moved to the wrong day file", move_to_wrong_day, 2)]


def assert_cache_changes_nothing(data: Path, cache: Path, week: str, changed: int,
                                 loads: list[tuple[bool, int]]) -> None:
    """Every reading command gives the same stdout, stderr and exit code with
    the cache and without; the cached commands parse only the ``changed``
    files; then the cache is brought up to date (and nothing is read twice)."""
    env = env_for(cache)
    files = len(day_files(data))
    cached_loads: list[int] = []
    for command in reading_commands(week):
        loads.clear()
        cached = invoke(*command, "--data", str(data), env=env)
        assert loads and all(with_cache for with_cache, _read in loads), command
        cached_loads.extend(read for _with_cache, read in loads)
        loads.clear()
        uncached = invoke(*command, "--data", str(data), "--no-cache", env=env)
        assert loads == [(False, files)] * len(loads), command
        assert cached == uncached, command
        assert cached.stdout.strip(), command
    # The first load parses the changed files, and only them.  They changed a
    # moment ago, so they are racy and each later load parses them again (or
    # fewer of them, on a machine so slow that they were no longer racy).
    assert cached_loads[0] == changed
    assert all(read <= changed for read in cached_loads)

    warm = load_visit_columns(data, cache, racy_seconds=0)
    # At most what the last load found racy: on a busy machine the last of the
    # commands above may already have come after the racy window and cached them.
    assert warm.files_read <= cached_loads[-1]
    assert contents(warm) == contents(load_visit_columns(data, None))
    assert warm.notes == []
    assert load_visit_columns(data, cache, racy_seconds=0).files_read == 0


def run_history(data: Path, cache: Path, week: str, loads: list[tuple[bool, int]]) -> None:
    changes = history_changes(data)
    assert_cache_changes_nothing(data, cache, week, len(day_files(data)), loads)  # cold
    for name, change, changed in changes:
        change()
        try:
            assert_cache_changes_nothing(data, cache, week, changed, loads)
        except AssertionError as exc:
            raise AssertionError(f"after {name}: {exc}") from exc


def test_cached_reports_equal_uncached_ones_through_every_change(
        tmp_path: Path, loads: list[tuple[bool, int]]) -> None:
    data = quarter_data(tmp_path / "data")
    run_history(data, tmp_path / "cache", "2024-11-20", loads)


def test_the_same_on_a_demo_history(tmp_path: Path, loads: list[tuple[bool, int]]) -> None:
    data = tmp_path / "demo"
    create_demo(data, 50, 11, date(2025, 11, 26))
    week = day_files(data)[int(len(day_files(data)) * 0.55)].stem
    run_history(data, tmp_path / "cache", week, loads)


# --- 2. an edit that keeps the size and the modification time --------------------------------

ONE_VISIT = visit_text("V-20240915-001", date(2024, 9, 15), "CB01", "02068")


def test_an_edit_giving_back_size_and_mtime_is_still_seen(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    path = data / "visits" / "2024" / "2024-09-15.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(ONE_VISIT, encoding="utf-8")
    cache = tmp_path / "cache"
    assert load_visit_columns(data, cache, racy_seconds=0).files_read == 1
    assert load_visit_columns(data, cache, racy_seconds=0).files_read == 0  # warm
    before = path.stat()
    time.sleep(0.05)  # past the clock tick of the first write: a new ctime

    # The clerk corrects the cadre and the commune by hand; an editor keeps the mtime.
    edited = ONE_VISIT.replace("CB01", "CB02").replace('"02068"', '"02020"')
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino, after.st_dev) == (
        before.st_size, before.st_mtime_ns, before.st_ino, before.st_dev)
    assert after.st_ctime_ns != before.st_ctime_ns

    columns = load_visit_columns(data, cache, racy_seconds=0)
    assert columns.files_read == 1
    assert cadres(columns) == ["CB02"]
    assert [columns.vocab[c] for c in columns.ints("commune")] == ["02020"]
    assert contents(columns) == contents(load_visit_columns(data, None))
    env = env_for(cache)
    listing = invoke("visit", "list", "--format", "json", "--data", str(data), env=env)
    assert listing == invoke("visit", "list", "--format", "json", "--data", str(data),
                             "--no-cache", env=env)
    assert '"CB02"' in listing.stdout and '"CB01"' not in listing.stdout


# --- 3. the racy rule -------------------------------------------------------------------------


def test_a_file_changed_just_before_it_is_read_is_read_again(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    path = data / "visits" / "2024" / "2024-09-15.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(ONE_VISIT, encoding="utf-8")
    cache = tmp_path / "cache"
    assert load_visit_columns(data, cache).files_read == 1
    # Nothing changed since, but the file was changed less than RACY_SECONDS
    # before it was read: it was not kept.
    assert "2024/2024-09-15.yaml" not in open_cache(cache, data).entries
    assert load_visit_columns(data, cache).files_read == 1
    # An old mtime does not make it old: the ctime, just now, counts as well.
    os.utime(path, (time.time() - 3600, time.time() - 3600))
    assert load_visit_columns(data, cache).files_read == 1
    assert "2024/2024-09-15.yaml" not in open_cache(cache, data).entries
    # The control: with no racy window the same file is kept.
    assert load_visit_columns(data, cache, racy_seconds=0).files_read == 1
    assert "2024/2024-09-15.yaml" in open_cache(cache, data).entries
    assert load_visit_columns(data, cache, racy_seconds=0).files_read == 0


def test_two_writes_in_one_clock_tick_are_both_seen(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """On a file system with coarse timestamps (FAT: 2 s; a network share) two
    writes of the same size close together leave the same stamps: only the
    racy rule stops the first version from being served for the second.  Here
    the tick is made longer than the test: every stat says "changed at start"."""
    start = time.time_ns()

    def coarse_stat_key(stat: os.stat_result) -> tuple[int, int, int, int, int]:
        return (stat.st_size, start, start, stat.st_ino, stat.st_dev)

    monkeypatch.setattr(visit_columns_module, "stat_key", coarse_stat_key)
    data = write_data_folder(tmp_path / "data")
    path = data / "visits" / "2024" / "2024-09-15.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(ONE_VISIT, encoding="utf-8")
    cache = tmp_path / "cache"
    assert cadres(load_visit_columns(data, cache)) == ["CB01"]
    path.write_text(ONE_VISIT.replace("CB01", "CB02"), encoding="utf-8")  # same size
    columns = load_visit_columns(data, cache)
    assert columns.files_read == 1
    assert cadres(columns) == ["CB02"]


@pytest.mark.parametrize(("mtime_age", "ctime_age", "age_at_read", "kept"), [
    (0.0, 0.0, RACY_SECONDS - 0.01, False),
    (0.0, 0.0, RACY_SECONDS + 0.01, True),
    (3600.0, 0.0, 1.0, False),  # an old mtime, a fresh ctime: changed just now
    (0.0, 3600.0, 1.0, False),
    (3600.0, 3600.0, 1.0, True),
])
def test_the_racy_window(mtime_age: float, ctime_age: float, age_at_read: float,
                         kept: bool) -> None:
    changed = 1_700_000_000.0
    key = (120, int((changed - mtime_age) * 1e9), int((changed - ctime_age) * 1e9), 7, 1)
    cache = Cache(None)
    cache.entries["2024/2024-09-15.yaml"] = ((1, 2, 3, 4, 5), "an older version")
    cache.put("2024/2024-09-15.yaml", key, ("this version",), changed + age_at_read)
    assert (cache.get("2024/2024-09-15.yaml", key) is not None) is kept
    # A racy read also forgets what was kept of an older version.
    assert ("2024/2024-09-15.yaml" in cache.entries) is kept


# --- 4. a cache in a bad state is ignored, silently, and rebuilt ------------------------------


def _flip(raw: bytes, at: int) -> bytes:
    return raw[:at] + bytes([raw[at] ^ 0x20]) + raw[at + 1:]


def _header(raw: bytes) -> bytes:
    return raw.split(b"\n", 1)[0]


def _another_reader(raw: bytes) -> bytes:
    """The header names the reader's version right after the format: another digit."""
    at = len(FORMAT) + 1
    return raw[:at] + (b"1" if raw[at:at + 1] == b"0" else b"0") + raw[at + 1:]


def _foreign_layout(raw: bytes, path: Path) -> bytes:
    """A cache well written (by theodoi's own writer) whose payload is not laid
    out as this version expects."""
    foreign = Cache(path, vocab=["CB01"])
    foreign.entries = [1, 2, 3]  # type: ignore[assignment]
    foreign.dirty = True
    foreign.save()
    assert foreign.notes == []
    written = path.read_bytes()
    path.write_bytes(raw)
    return written


DAMAGES: dict[str, Callable[[bytes, Path], bytes | None]] = {
    "missing": lambda raw, path: None,
    "empty": lambda raw, path: b"",
    "truncated": lambda raw, path: raw[: len(raw) // 2],
    "short-of-its-last-byte": lambda raw, path: raw[:-1],
    "with-a-byte-more": lambda raw, path: raw + b"\0",
    "cut-in-its-header": lambda raw, path: raw[:10],
    "a-flipped-byte": lambda raw, path: _flip(raw, len(raw) * 2 // 3),
    "a-flipped-byte-at-the-end-of-its-header": lambda raw, path: _flip(
        raw, len(_header(raw)) - 1),
    "of-another-reader-version": lambda raw, path: _another_reader(raw),
    "of-another-format": lambda raw, path: b"theodoi-cache 0" + raw[len(FORMAT):],
    "of-a-foreign-layout": _foreign_layout,
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_bad_cache_is_ignored_and_rebuilt(tmp_path: Path, damage: str) -> None:
    data = quarter_data(tmp_path / "data")
    cache = tmp_path / "cache"
    env = env_for(cache)
    command = ("coverage", "--by", "commune", "--from", TERM_START, "--to", "2025-01-31", "--format", "json",
               "--data", str(data))
    expected = invoke(*command, "--no-cache", env=env)
    assert expected.returncode == 0 and expected.stderr == "" and expected.stdout
    assert load_visit_columns(data, cache, racy_seconds=0).files_read == 8
    path = open_cache(cache, data).path
    assert path is not None and path.parent == cache
    good = path.read_bytes()
    bad = DAMAGES[damage](good, path)
    assert bad != good

    def spoil() -> None:
        if bad is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(bad)

    spoil()
    assert invoke(*command, "--no-cache", "--verbose", env=env) == expected
    assert (path.read_bytes() if path.exists() else None) == bad  # --no-cache leaves it
    assert invoke(*command, env=env) == expected  # nothing said without --verbose
    assert open_cache(cache, data).notes == []  # and a good cache in its place

    spoil()
    verbose = invoke(*command, "--verbose", env=env)
    assert (verbose.returncode, verbose.stdout) == (expected.returncode, expected.stdout)
    said = verbose.stderr.splitlines()
    if damage == "missing":
        assert said == []  # nothing was wrong: a first run
    else:
        assert len(said) == 1 and said[0].startswith("theodoi: ") and str(path) in said[0], said

    spoil()
    rebuilt = load_visit_columns(data, cache, racy_seconds=0)
    assert rebuilt.files_read == 8 and len(rebuilt.notes) == (damage != "missing")
    warm = load_visit_columns(data, cache, racy_seconds=0)
    assert warm.files_read == 0 and warm.notes == []
    assert contents(warm) == contents(load_visit_columns(data, None))
    # No temporary file left behind: the entries, and the ids and text apart.
    assert sorted(cache.iterdir()) == [path.with_suffix(".text"), path]


def test_a_file_where_the_cache_folder_should_be(tmp_path: Path) -> None:
    """Root ignores permission bits, not a file in the way: nothing can be
    kept, and the commands still answer the same, silently."""
    data = quarter_data(tmp_path / "data")
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder\n", encoding="utf-8")
    env = env_for(blocker)
    for command in reading_commands("2024-11-20"):
        assert invoke(*command, "--data", str(data), env=env) == invoke(
            *command, "--data", str(data), "--no-cache", env=env), command
    command = ("coverage", "--period", "2024-Q4", "--format", "json", "--data", str(data))
    verbose = invoke(*command, "--verbose", env=env)
    assert verbose.stdout == invoke(*command, "--no-cache", env=env).stdout
    said = verbose.stderr.splitlines()
    assert said and all(line.startswith("theodoi: ") and str(blocker) in line
                        for line in said), said
    columns = load_visit_columns(data, blocker, racy_seconds=0)
    assert columns.files_read == 8 and contents(columns) == contents(
        load_visit_columns(data, None))
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_a_file_where_the_cache_folder_should_be_is_said_in_one_line(tmp_path: Path) -> None:
    data = quarter_data(tmp_path / "data")
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder\n", encoding="utf-8")
    verbose = invoke("coverage", "--period", "2024-Q4", "--format", "json", "--verbose",
                     "--data", str(data), env=env_for(blocker))
    assert len(verbose.stderr.splitlines()) == 1, verbose.stderr


# Two runs of one command in one process (pandas is imported once), without
# and with --verbose, and the day files each load parsed; printed as JSON.
TWICE = r"""
import contextlib, io, json, sys
import theodoi.visits.columns as visit_columns_module
from theodoi.cli.main import main

real, reads = visit_columns_module.load_visit_columns, []

def spy(*args, **kwargs):
    columns = real(*args, **kwargs)
    reads.append(columns.files_read)
    return columns

visit_columns_module.load_visit_columns = spy
runs = []
for extra in ([], ["--verbose"]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*sys.argv[1:], *extra])
    runs.append([code, out.getvalue(), err.getvalue()])
print(json.dumps({"runs": runs, "reads": reads}))
"""


def test_a_read_only_cache_folder(tmp_path: Path) -> None:
    """Permission bits bind root only without CAP_DAC_OVERRIDE (dropped by
    setpriv, as in test_visits_store): the stale cache is read and used, the
    new one cannot be written, and that is said with --verbose only."""
    data = quarter_data(tmp_path / "data")
    cache = tmp_path / "cache"
    load_visit_columns(data, cache, racy_seconds=0)
    path = open_cache(cache, data).path
    assert path is not None
    with open(day_files(data)[3], "a", encoding="utf-8") as handle:  # the cache is stale
        handle.write(visit_text("V-20241105-002", date(2024, 11, 5), "CB02", "02020"))
    command = ["coverage", "--by", "cadre", "--from", TERM_START, "--to", "2025-01-31", "--format", "json",
               "--data", str(data)]
    expected = invoke(*command, "--no-cache", env=env_for(cache))
    before = path.read_bytes()
    script = [sys.executable, "-c", TWICE, *command]
    if os.geteuid() == 0:
        setpriv = require_tool("setpriv", "apt-get install util-linux")
        script = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *script]
    cache.chmod(0o555)
    try:
        done = subprocess.run(script, capture_output=True, text=True, cwd=REPO, timeout=60,
                              env={**os.environ, **env_for(cache)}, stdin=subprocess.DEVNULL)
    finally:
        cache.chmod(0o755)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    report = json.loads(done.stdout)
    (code, stdout, stderr), (verbose_code, verbose_stdout, verbose_stderr) = report["runs"]
    assert report["reads"] == [1, 1]  # the cache is used: only the changed file is parsed
    assert (code, stdout, stderr) == (expected.returncode, expected.stdout, expected.stderr)
    assert (verbose_code, verbose_stdout) == (expected.returncode, expected.stdout)
    said = verbose_stderr.splitlines()
    assert len(said) == 1 and said[0].startswith(f"theodoi: không ghi được bộ nhớ đệm {path}"), said
    assert path.read_bytes() == before
    assert sorted(cache.iterdir()) == [path.with_suffix(".text"), path]


def test_validate_verbose_says_the_cache_was_damaged(tmp_path: Path) -> None:
    data = quarter_data(tmp_path / "data")
    cache = tmp_path / "cache"
    load_visit_columns(data, cache, racy_seconds=0)
    path = open_cache(cache, data).path
    assert path is not None
    raw = path.read_bytes()
    path.write_bytes(_flip(raw, len(raw) * 2 // 3))
    result = invoke("validate", "--format", "json", "--verbose", "--data", str(data),
                    env=env_for(cache))
    assert any(line.startswith("theodoi: ") and str(path) in line
               for line in result.stderr.splitlines()), result.stderr


def test_the_ids_and_text_apart_are_read_only_when_asked_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """validate, coverage and overdue never open the .text file; a command that
    needs the ids or the difficulties gets them from it; missing, damaged or
    from an older version of a day file, they are read again from that file
    (and kept), and the result is the same."""
    data = quarter_data(tmp_path / "data")
    cache = tmp_path / "cache"
    load_visit_columns(data, cache, racy_seconds=0)
    path = open_cache(cache, data).path
    assert path is not None
    text = path.with_suffix(".text")
    expected = contents(load_visit_columns(data, None))

    opened: list[str] = []
    original = Cache._text_places

    def spy(self: Cache) -> dict[str, tuple[Any, ...]]:
        opened.append("texts")
        return original(self)

    monkeypatch.setattr(Cache, "_text_places", spy)
    for command in (("validate",), ("coverage", "--by", "commune"), ("overdue",)):
        result = invoke(*command, "--data", str(data), env=env_for(cache))
        assert result.returncode in (0, 1) and result.stdout, (command, result.stderr)
    assert opened == []
    result = invoke("proposal", "list", "--data", str(data), env=env_for(cache))
    assert result.returncode == 0 and opened, result.stderr  # it needs the text
    monkeypatch.undo()

    warm = load_visit_columns(data, cache, racy_seconds=0)
    assert contents(warm) == expected and (warm.files_read, warm.texts_read) == (0, 0)

    # One file's text damaged (each has its own CRC): that file is read again.
    text.write_bytes(_flip(text.read_bytes(), len(text.read_bytes()) - 5))
    damaged = load_visit_columns(data, cache, racy_seconds=0)
    assert contents(damaged) == expected
    assert (damaged.files_read, damaged.texts_read) == (0, 1)
    again = load_visit_columns(data, cache, racy_seconds=0)
    assert contents(again) == expected and again.texts_read == 0  # kept again
    # The index damaged: every file is read again for its text.
    first_line = text.read_bytes().index(b"\n")
    text.write_bytes(_flip(text.read_bytes(), first_line + 3))
    damaged = load_visit_columns(data, cache, racy_seconds=0)
    assert contents(damaged) == expected
    assert (damaged.files_read, damaged.texts_read) == (0, 8)
    assert contents(load_visit_columns(data, cache, racy_seconds=0)) == expected

    # A day file changed since: its new version is read whole, text included,
    # and the text kept for the old version is never used for it.
    changed = day_files(data)[3]
    with open(changed, "a", encoding="utf-8") as handle:
        handle.write(visit_text("V-20241105-002", date(2024, 11, 5), "CB02", "02020"))
    after = load_visit_columns(data, cache, racy_seconds=0)
    assert (after.files_read, after.texts_read) == (1, 0)
    assert contents(after) == contents(load_visit_columns(data, None))
    assert "V-20241105-002" in after.ids()

    text.unlink()  # missing: read again, kept again
    missing = load_visit_columns(data, cache, racy_seconds=0)
    assert contents(missing) == contents(load_visit_columns(data, None))
    assert missing.texts_read == 8 and text.exists()


def test_visits_listed_from_the_cache_are_the_visits_read(tmp_path: Path) -> None:
    """visit list and the summary take a week's visits from the columns and the
    text apart: every field, and the place, as the one reader gives them;
    a file holding a corrected visit is read again."""
    from theodoi.visits.columns import recorded_visits

    data = tmp_path / "data"
    create_demo(data, visits=400, seed=7, today=date(2024, 12, 20))
    cache = tmp_path / "cache"
    load_visit_columns(data, cache, racy_seconds=0)
    for columns in (load_visit_columns(data, cache, racy_seconds=0),
                    load_visit_columns(data, None)):
        indices = range(len(columns.files))
        got = recorded_visits(columns, indices)
        read = [v for info in columns.files for v in visits_of(Path(info.path))[0]]
        assert got == read and len(read) == 400
        assert [v.location for v in got] == [v.location for v in read]
        assert any(v.notes for v in got) and any(v.substitute for v in got)
        assert any(v.difficulties for v in got) and any(v.proposals for v in got)


# --- 5. concurrent commands never see a half-written cache ------------------------------------

# Each process says "ready" once imported and waits for the word to start, so
# that all three begin together even on a busy machine.
START = r"""
import sys
from pathlib import Path
from theodoi.visits.columns import load_visit_columns

data, cache, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
start = len(load_visit_columns(data, None))
print("ready", flush=True)
sys.stdin.readline()
"""

# Appends one visit to a new day file, then loads (and so rewrites the cache), COUNT times.
WRITER = START + r"""
from datetime import date, timedelta
from theodoi.base.model import Visit
from theodoi.visits.records import add_visit

for n in range(count):
    day = date(2025, 4, 1) + timedelta(days=n)
    add_visit(data, Visit(id="", date=day, cadre="CB02", commune="02020",
                          recorded_at=f"{day}T16:00:00+07:00"))
    columns = load_visit_columns(data, cache, racy_seconds=0)
    assert columns.notes == [], columns.notes
    assert len(columns) == start + n + 1, (len(columns), start, n)
"""

# Loads with the cache (rewriting it too when it is stale) and checks each load
# against the files: the cache opens clean, and what every day file gave is the
# start of what a fresh uncached load, just after, gives for it (day files are
# only appended to).  COUNT loads once the writer has begun (so that the two
# overlap however the processes are scheduled); prints every visit id it saw.
READER = START + r"""
from theodoi.store.cache import open_cache

def by_file(columns):
    vocab = columns.vocab
    day, cadre, commune, kind, line = (columns.ints(c)
                                       for c in ("day", "cadre", "commune", "kind", "line"))
    return {info.name: [(visit_id, day[row], vocab[cadre[row]], vocab[commune[row]],
                         vocab[kind[row]], line[row])
                        for visit_id, row in zip(columns.ids_of(index),
                                                 range(info.start, info.start + info.count),
                                                 strict=True)]
            for index, info in enumerate(columns.files)}

seen, largest, counted, loads = set(), 0, 0, 0
while counted < count:
    loads += 1
    assert loads < 100 * count, "the writer never wrote"
    opened = open_cache(cache, data)
    assert opened.notes == [], opened.notes
    columns = load_visit_columns(data, cache, racy_seconds=0)
    assert columns.notes == [] and columns.problems == [], (columns.notes, columns.problems)
    assert len(columns) >= largest, (len(columns), largest)
    largest = len(columns)
    fresh = by_file(load_visit_columns(data, None))
    for name, rows in by_file(columns).items():
        assert fresh[name][:len(rows)] == rows, (name, rows, fresh[name])
    seen.update(columns.ids())
    counted += len(columns) > start
print("\n".join(sorted(seen)))
"""


def test_concurrent_loads_never_see_a_half_written_cache(tmp_path: Path) -> None:
    data = quarter_data(tmp_path / "data")
    cache = tmp_path / "cache"
    processes = [subprocess.Popen([sys.executable, "-c", script, str(data), str(cache),
                                   str(count)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  stdin=subprocess.PIPE, text=True, cwd=REPO)
                 for script, count in ((WRITER, 40), (READER, 50), (READER, 50))]
    try:
        for process in processes:
            assert process.stdout is not None and process.stdout.readline() == "ready\n"
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        outputs = []
        for process in processes:
            stdout, stderr = process.communicate(timeout=60)
            assert process.returncode == 0 and stderr == "", stderr
            outputs.append(stdout)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()

    final = load_visit_columns(data, None)
    assert len(final) == 8 + 40
    for seen in outputs[1:]:
        assert set(seen.split()) <= set(final.ids())
    path = open_cache(cache, data).path
    # No temporary file left behind: the entries, and the ids and text apart.
    assert sorted(cache.iterdir()) == [path.with_suffix(".text"), path]
    cached = load_visit_columns(data, cache, racy_seconds=0)
    assert cached.notes == [] and contents(cached) == contents(final)
    assert load_visit_columns(data, cache, racy_seconds=0).files_read == 0


# --- 6. the cache lives outside the data ------------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL).stdout


def _listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_the_cache_is_kept_outside_the_data_and_its_repository(tmp_path: Path) -> None:
    office = tmp_path / "office"
    data = quarter_data(office / "data")
    _git(office, "init", "-q")
    _git(office, "add", "-A")
    _git(office, "commit", "-q", "-m", "data")
    before = _listing(office)
    cache = tmp_path / "cache"
    for command in reading_commands("2024-11-20"):
        # From inside the data folder too, as a clerk would: the same cache.
        for folder, cwd in ((".", data), (str(data), office)):
            result = invoke(*command, "--data", folder, env=env_for(cache), cwd=cwd)
            assert result.returncode in (0, 1) and result.stdout, (command, result.stderr)
    assert _git(office, "status", "--porcelain", "--untracked-files=all", "--ignored") == ""
    assert _listing(office) == before
    kept = open_cache(cache, data).path
    assert {p.name for p in cache.iterdir()} <= {kept.name, kept.with_suffix(".text").name}
    assert kept.exists()


def test_each_data_folder_has_its_own_cache_file(tmp_path: Path) -> None:
    first = quarter_data(tmp_path / "first")
    second = write_data_folder(tmp_path / "second")
    (second / "visits" / "2024").mkdir(parents=True)
    (second / "visits" / "2024" / "2024-09-15.yaml").write_text(ONE_VISIT, encoding="utf-8")
    cache = tmp_path / "cache"
    for data in (first, second):
        assert invoke("coverage", "--data", str(data), env=env_for(cache)).returncode == 0
    assert len(list(cache.glob("*.visits"))) == 2
    assert open_cache(cache, first).path != open_cache(cache, second).path
    # The same folder through a symbolic link is the same folder.
    (tmp_path / "link").symlink_to(first)
    assert open_cache(cache, tmp_path / "link").path == open_cache(cache, first).path
    # Filled one after the other, neither overwrites the other.
    for data, files in ((first, 8), (second, 1)):
        assert load_visit_columns(data, cache, racy_seconds=0).files_read == files
    for data in (first, second):
        warm = load_visit_columns(data, cache, racy_seconds=0)
        assert warm.files_read == 0
        assert contents(warm) == contents(load_visit_columns(data, None))


@pytest.mark.parametrize("variable", ["XDG_CACHE_HOME", "HOME"])
def test_the_user_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               variable: str) -> None:
    data = quarter_data(tmp_path / "data")
    for name in ("THEODOI_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, str(tmp_path / "user"))
    invoke("coverage", "--data", str(data), env={"THEODOI_TODAY": TODAY})
    folder = tmp_path / "user" / ("theodoi" if variable == "XDG_CACHE_HOME"
                                  else ".cache/theodoi")
    kept = open_cache(folder, data).path
    assert {p.name for p in folder.iterdir()} <= {kept.name, kept.with_suffix(".text").name}
    assert kept.exists()


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    data = quarter_data(tmp_path / "data")
    monkeypatch.delenv("THEODOI_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", ".cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    before = _listing(data)
    result = invoke("coverage", "--data", ".", env={"THEODOI_TODAY": TODAY}, cwd=data)
    assert result.returncode == 0
    assert _listing(data) == before
    assert (tmp_path / "home" / ".cache" / "theodoi").is_dir()


def test_without_a_home_the_commands_work_without_a_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loads: list[tuple[bool, int]]) -> None:
    data = quarter_data(tmp_path / "data")
    for name in ("THEODOI_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    work = tmp_path / "work"
    work.mkdir()
    before = _listing(tmp_path)
    env = {"THEODOI_TODAY": TODAY}
    for command in reading_commands("2024-11-20"):
        cached = invoke(*command, "--data", str(data), env=env, cwd=work)
        assert cached == invoke(*command, "--data", str(data), "--no-cache", env=env,
                                cwd=work), command
        assert "cache" not in cached.stderr, command
    assert loads and all(not with_cache for with_cache, _read in loads)
    assert _listing(tmp_path) == before


# --- problems kept in the cache are the problems found -----------------------------------------

# One sample of every problem a day file can have, read once and then kept.
PROBLEM_FILES = {
    "2024/2024-09-01.yaml": b"- id: V-20240901-001\n\tdate: 2024-09-01\n",
    "2024/2024-09-02.yaml": (
        '- {id: V-20240902-001, date: 2024-09-02, cadre: CB99, commune: "02068", kind: picnic}\n'
        "- {id: V-20240902-002, date: 2024-09-02, cadre: CB02, commune: 02020}\n"
        '- {id: V-20240902-003, date: 31/02/2024, cadre: CB02, commune: "02020"}\n'
        '- {id: V-20240902-004, date: 2024-09-02, cadre: CB02, commune: "02020", weather: rain}\n'
        '- {id: V-20240902-005, date: 2024-09-02, commune: "02020"}\n'
        "- {id: V-20240902-006, date: 2024-09-02, cadre: ' CB01', commune: \"02068\"}\n"
        '- {id: V-20240902-007, date: 2024-09-02, cadre: CB01, commune: "02068", '
        'notes: "Đa\u0323i Sa\u0309o"}\n'
        '- {id: X-1, date: 2024-09-02, cadre: CB01, commune: "02068"}\n'
        "- just text\n").encode(),
    "2024/2024-09-03.yaml":
        b'- {id: V-20240904-001, date: 2024-09-04, cadre: CB01, commune: "02068"}\n',
    "2024/2024-09-05.yaml": b"",
    "2024/2024-09-06.yaml": "- {id: V-20240906-001, notes: Đại}\n".encode("utf-16"),
    "2024/2024-09-07.yaml": "- {id: V-20240907-001, notes: caf\xe9}\n".encode("latin-1"),
    "2024/2024-09-08.yaml": b"id: V-20240908-001\n",
    "2024/2024-09-09.yaml": (
        b"- !!python/object {id: V-20240909-001}\n"
        b'- {id: V-20240909-002, id: V-20240909-003, date: 2024-09-09, cadre: CB01, '
        b'commune: "02068"}\n'),
    "2024/2024-09-10.yaml": b'- {id: V-20240902-001, date: 2024-09-10, cadre: CB03, '
                            b'commune: "01834", kind: standing, substitute: thay}\n',
    "2024/2024-09-12.yaml": b"- {id: 'never closed\n",
    "2024/notes.txt": b"ghi chu\n",
    "2023/2024-09-11.yaml":
        b'- {id: V-20240911-001, date: 2024-09-11, cadre: CB01, commune: "02068"}\n',
    "2026/2026-02-01.yaml":
        b'- {id: V-20260201-001, date: 2026-02-01, cadre: CB01, commune: "02068"}\n',
}


def test_kept_problems_are_shown_as_found_in_either_language(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    for relative, raw in PROBLEM_FILES.items():
        path = data / "visits" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    cache = tmp_path / "cache"
    assert load_visit_columns(data, cache, racy_seconds=0).files_read == 11
    warm = load_visit_columns(data, cache, racy_seconds=0)
    assert warm.files_read == 0
    assert contents(warm) == contents(load_visit_columns(data, None))
    env = env_for(cache)
    found = invoke("validate", "--format", "json", "--lang", "en", "--no-cache", "--data",
                   str(data), env=env)
    assert {p["code"] for p in json.loads(found.stdout)} >= {
        "yaml-syntax", "unknown-cadre", "unknown-kind", "unquoted-code", "bad-date",
        "unknown-key", "missing-field", "surrounding-spaces", "not-nfc", "bad-item",
        "visit-in-wrong-file", "empty-day-file", "file-utf16", "file-not-utf8",
        "visit-file-not-list", "yaml-tag", "yaml-duplicate-key", "duplicate-visit-id",
        "day-file-in-wrong-year", "stray-file", "future-visit"}
    for language in ("vi", "en"):
        for command in (("validate",), ("validate", "--format", "json"),
                        ("visit", "list", "--format", "json"),
                        ("coverage", "--from", TERM_START, "--to", "2025-01-31", "--format", "json")):
            args = (*command, "--lang", language, "--data", str(data))
            assert invoke(*args, env=env) == invoke(*args, "--no-cache", env=env), args


# --- what the cache keeps must not depend on where a command ran ------------------------------

TWICE_IN_ONE_FILE = (visit_text("V-20240915-001", date(2024, 9, 15), "CB01", "02068")
                     + visit_text("V-20240915-001", date(2024, 9, 15), "CB02", "02020"))


def test_a_cached_problem_names_its_file_as_seen_from_where_the_command_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = write_data_folder(tmp_path / "office" / "data")
    path = data / "visits" / "2024" / "2024-09-15.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(TWICE_IN_ONE_FILE, encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.chdir(tmp_path / "office")  # the clerk works in the office folder
    assert load_visit_columns(Path("data"), cache, racy_seconds=0).files_read == 1
    elsewhere = tmp_path / "cron"  # the cron job runs from another one
    elsewhere.mkdir()
    command = ("validate", "--format", "json", "--lang", "en", "--data", str(data))
    uncached = invoke(*command, "--no-cache", env=env_for(cache), cwd=elsewhere)
    assert f"first at {path}:1" in uncached.stdout
    assert invoke(*command, env=env_for(cache), cwd=elsewhere) == uncached


def test_every_reader_module_of_the_cache_key_is_found() -> None:
    """The key holds the source of each module that decides what a day file
    yields: each listed module must be there (its name in the key with its
    size and time), else a change to it would not empty the cache."""
    names = cache_module._READER_MODULES
    assert "theodoi.visits.file_rules" in names and "theodoi.store.dayfile" in names
    stamps = cache_module._reader_stamps()
    assert [stamp.split(":")[0] for stamp in stamps] == list(names)
    assert all(int(stamp.split(":")[1]) > 0 for stamp in stamps)


def test_a_reader_module_that_cannot_be_found_is_a_bug_not_a_silent_drop(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader module moved or renamed without updating the cache's list
    used to drop out of the key in silence; now theodoi says it is broken."""
    monkeypatch.setattr(cache_module, "_READER_MODULES",
                        (*cache_module._READER_MODULES, "theodoi.no_such_reader"))
    with pytest.raises(InternalError, match="theodoi.no_such_reader"):
        cache_module._reader_version()
    monkeypatch.setattr(cache_module, "_READER_MODULES", ("theodoi.no_package.reader",))
    with pytest.raises(InternalError, match="theodoi.no_package.reader"):
        cache_module._reader_version()
