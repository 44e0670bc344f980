"""The context a command runs in (today, now, the language), built at the edge,
and the one handler for what nobody expected.

A mistake in the context is the user's: a usage error (exit 2), one line that
names the variable or option and the value.  A fault in theodoi is not: one
message naming the command, the version and a log file that holds the
traceback (exit 3).  A broken path or file in the data is neither: its own
problem code in brackets, exit 1 (or 2 for a command line that cannot be
followed).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from conftest import invoke, write_data_folder

from theodoi import __version__

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "theodoi"


# --- mistakes in the context are usage errors -------------------------------------------

@pytest.mark.parametrize(("variable", "value"), [
    ("THEODOI_TODAY", "yesterday"),
    ("THEODOI_TODAY", "31/02/2024"),
    ("THEODOI_NOW", "2024-09-20 10h30"),
])
def test_a_bad_pinned_clock_is_a_usage_error(small_data: Path, variable: str,
                                             value: str) -> None:
    result = invoke("validate", "--data", str(small_data), "--lang", "en",
                    env={variable: value})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"theodoi: error [bad-today]: {variable}={value!r} is not a date "
                             "(use 2024-09-15 or 15/09/2024); unset it to use today\n")


@pytest.mark.parametrize(("args", "env", "source"), [
    (["--lang", "xx", "validate"], {}, "--lang"),
    (["validate", "--lang=xx"], {}, "--lang"),
    (["validate"], {"THEODOI_LANG": "xx"}, "THEODOI_LANG"),
])
def test_a_language_theodoi_does_not_speak_is_a_usage_error(
        small_data: Path, args: list[str], env: dict[str, str], source: str) -> None:
    result = invoke(*args, "--data", str(small_data), env=env)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("theodoi: lỗi [bad-language]: theodoi không có ngôn ngữ 'xx' "
                             f"(chỉ định qua {source}); hãy dùng vi hoặc en\n")


def test_the_option_wins_over_the_environment(small_data: Path) -> None:
    result = invoke("validate", "--data", str(small_data), "--as-of", "2024-09-01",
                    "--lang", "en", env={"THEODOI_LANG": "vi"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("4 communes, 4 cadres following them, 4 assignments in force on "
                             "2024-09-01.\nNo problems found.\n")


# --- the pinned clock reaches the defaults --------------------------------------------------

def test_the_pinned_day_is_the_default_date_of_a_visit(small_data: Path) -> None:
    result = invoke("visit", "add", "--data", str(small_data), "--commune", "02068",
                    env={"THEODOI_TODAY": "2024-09-20"})
    assert result.returncode == 0, result.stderr
    text = (small_data / "visits" / "2024" / "2024-09-20.yaml").read_text(encoding="utf-8")
    assert text.startswith("- id: V-20240920-001\n  date: 2024-09-20\n")
    assert [p.name for p in (small_data / "visits" / "2024").iterdir()] == ["2024-09-20.yaml"]


def test_the_pinned_day_is_the_default_of_the_reports(small_data: Path) -> None:
    # Pinned on Wednesday 20/11/2024: the last complete week is 11/11–17/11 (W46),
    # the quarter is Q4, and overdue counts up to 20/11 (83 days since 29/08: none
    # is more than 90 days without a visit, all four are more than 80).
    env = {"THEODOI_TODAY": "2024-11-20"}
    summary = json.loads(invoke("summary", "--data", str(small_data), "--format", "json",
                                env=env).stdout)
    assert summary["week"]["code"] == "2024-W46"
    coverage = json.loads(invoke("coverage", "--data", str(small_data), "--format", "json",
                                 env=env).stdout)
    assert coverage["period"]["code"] == "2024-Q4"
    overdue = json.loads(invoke("overdue", "--data", str(small_data), "--format", "json",
                                env=env).stdout)
    assert (overdue["as_of"], overdue["rows"]) == ("2024-11-20", [])
    overdue = json.loads(invoke("overdue", "--data", str(small_data), "--format", "json",
                                "--days", "80", env=env).stdout)
    assert [(r["commune_code"], r["days"]) for r in overdue["rows"]] == [
        ("01834", 83), ("01837", 83), ("02020", 83), ("02068", 83)]


# --- nothing below the command line reads the environment or the clock -----------------

# The edges, where reading the process environment or the real clock is the point:
EDGES = {
    # The command line reads the invocation (environment, clock) once and builds the
    # context; the crash handler stamps its log with the real time.
    "theodoi/cli/",
    # Builds the context from the environment it is given.
    "theodoi/base/context.py",
    # The cache compares files' modification times with the clock, to tell a file
    # changed within the same second (a timestamp that cannot be trusted yet).
    "theodoi/store/cache.py",
}
# Beyond the edges, each exception with its reason; one no longer needed must go.
EXCEPTIONS: dict[str, str] = {}
_FORBIDDEN = {("os", "environ"), ("os", "environb"), ("os", "getenv"), ("os", "putenv"),
              ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
              ("date", "today"), ("time", "time"), ("time", "time_ns")}
_FORBIDDEN_IMPORTS = {("os", "environ"), ("os", "environb"), ("os", "getenv"),
                      ("time", "time"), ("time", "time_ns")}


def clock_and_environment_reads(source: str) -> list[tuple[int, str]]:
    """(line, what) for each read of the environment or the clock in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in _FORBIDDEN):
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module in ("os", "time"):
            found.extend((node.lineno, f"from {node.module} import {alias.name}")
                         for alias in node.names if (node.module, alias.name)
                         in _FORBIDDEN_IMPORTS)
    return sorted(found)


def test_the_scan_sees_each_way_of_reading() -> None:
    source = ("import os, time\nfrom datetime import date, datetime\nfrom os import getenv\n"
              "a = os.environ.get('X')\nb = datetime.now()\nc = date.today()\nd = time.time()\n"
              "e = os.getenv('Y')\nf = datetime.fromisoformat('2024-09-20')\n")
    assert clock_and_environment_reads(source) == [
        (3, "from os import getenv"), (4, "os.environ"), (5, "datetime.now"),
        (6, "date.today"), (7, "time.time"), (8, "os.getenv")]


def _allowed(name: str) -> bool:
    return name in EXCEPTIONS or any(name == edge or (edge.endswith("/") and
                                                      name.startswith(edge)) for edge in EDGES)


def test_only_the_edges_read_the_environment_or_the_clock() -> None:
    offending = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(REPO).as_posix()
        if not _allowed(name):
            offending += [f"{name}:{line}: {what}" for line, what in
                          clock_and_environment_reads(path.read_text(encoding="utf-8"))]
    assert offending == []


def test_the_allowed_places_exist_and_each_exception_is_needed() -> None:
    """An edge that moved away, or an exception for a file that no longer
    reads anything, would let the next read through unseen."""
    for name in EDGES | set(EXCEPTIONS):
        assert (REPO / name).exists(), name
    for name in EXCEPTIONS:
        assert clock_and_environment_reads((REPO / name).read_text(encoding="utf-8")), name


# --- the one handler for the unexpected -------------------------------------------------------

def test_a_fault_in_theodoi_is_one_message_a_log_and_exit_3(
        monkeypatch: pytest.MonkeyPatch, small_data: Path, tmp_path: Path) -> None:
    import theodoi.workspace.validation

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    # Fault injection: the library function the command calls fails as a bug would.
    monkeypatch.setattr(theodoi.workspace.validation, "validate", boom)
    state = tmp_path / "state"
    result = invoke("--lang", "en", "validate", "--data", str(small_data),
                    env={"XDG_STATE_HOME": str(state)})
    log = state / "theodoi" / "theodoi-errors.log"
    assert (result.returncode, result.stdout) == (3, "")
    assert result.stderr == (
        f"theodoi: unexpected error while running 'theodoi validate' (theodoi {__version__}): "
        "RuntimeError: boom. This is a fault in theodoi, not in what you typed or in your "
        f"data. The details are in {log}; please send that file to whoever looks after "
        "theodoi.\n")
    text = log.read_text(encoding="utf-8")
    assert f"command: theodoi --lang en validate --data {small_data}\n" in text
    assert "Traceback (most recent call last):" in text
    assert 'raise RuntimeError("boom")' in text and text.rstrip().endswith(
        "RuntimeError: boom")


def test_the_crash_message_names_a_sub_command(monkeypatch: pytest.MonkeyPatch,
                                               small_data: Path, tmp_path: Path) -> None:
    import theodoi.visits.records

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(theodoi.visits.records, "add_visit", boom)
    result = invoke("visit", "add", "--data", str(small_data), "--commune", "02068",
                    env={"XDG_STATE_HOME": str(tmp_path / "state"),
                         "THEODOI_TODAY": "2024-09-20"})
    assert result.returncode == 3
    assert result.stderr.startswith("theodoi: lỗi ngoài dự kiến khi chạy 'theodoi visit "
                                    f"add' (theodoi {__version__}): RuntimeError: boom.")
    assert result.stderr.count("\n") == 1
    assert not (small_data / "visits" / "2024" / "2024-09-20.yaml").exists()


# --- paths that used to end in a traceback ------------------------------------------------------

def _validate(data: Path | str) -> tuple[int, str, str]:
    result = invoke("validate", "--data", str(data), "--as-of", "2024-09-01", "--lang", "en")
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, result.stdout, result.stderr


def test_a_demo_folder_that_cannot_be_made(tmp_path: Path) -> None:
    result = invoke("demo", "/proc/x", "--visits", "5", "--lang", "en",
                    env={"THEODOI_TODAY": "2025-11-26"})
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("theodoi: error [cannot-create-folder]: /proc/x: cannot create "
                             "the folder: no such file or folder\n")


def test_a_report_file_that_cannot_be_written(small_data: Path) -> None:
    result = invoke("summary", "--data", str(small_data), "--week", "2024-W38", "--format",
                    "html", "--output", "/proc/x/y.html", "--lang", "en",
                    env={"THEODOI_TODAY": "2024-09-30"})
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("theodoi: error [cannot-create-folder]: /proc/x: cannot create "
                             "the folder: no such file or folder\n")


def test_a_data_folder_that_is_a_device() -> None:
    assert _validate("/dev/null") == (1, "", "theodoi: error [data-not-folder]: /dev/null: "
                                             "the data folder is not a folder\n")


def test_a_data_folder_that_is_a_symbolic_link_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    assert _validate(loop) == (1, "", f"theodoi: error [cannot-open-folder]: {loop}: cannot "
                                      "open the folder: a loop of symbolic links\n")


def test_a_register_that_is_a_symbolic_link_loop(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data")
    (data / "cadres.csv").unlink()
    (data / "cadres.csv").symlink_to("cadres.csv")
    code, out, _err = _validate(data)
    assert code == 1
    # A link, even to nowhere, is refused as a link before anything is read.
    assert out.splitlines()[0].startswith(f"{data / 'cadres.csv'}: error [data-file-link]: ")


def test_a_visits_path_that_is_a_file(small_data: Path) -> None:
    (small_data / "visits").write_text("not a folder\n", encoding="utf-8")
    code, out, _err = _validate(small_data)
    assert code == 1
    assert out.splitlines() == [
        f"{small_data / 'visits'}: error [visits-not-folder]: 'visits' must be a folder of day "
        "files, but it is a file",
        "4 communes, 4 cadres following them, 4 assignments in force on 2024-09-01.",
        "1 error, 0 warnings."]


def test_a_visits_path_that_is_a_file_is_not_listed_as_no_visits(small_data: Path) -> None:
    (small_data / "visits").write_text("not a folder\n", encoding="utf-8")
    result = invoke("visit", "list", "--data", str(small_data), "--lang", "en", "--strict")
    assert result.returncode == 1  # printed, and failing with --strict (README, Exit codes)
    assert result.stderr.splitlines()[0] == (
        f"{small_data / 'visits'}: error [visits-not-folder]: 'visits' must be a folder of "
        "day files, but it is a file")


def test_an_empty_day_file(small_data: Path) -> None:
    day = small_data / "visits" / "2024" / "2024-08-30.yaml"
    day.parent.mkdir(parents=True)
    day.write_bytes(b"")
    code, out, _err = _validate(small_data)
    assert code == 1
    assert out.splitlines()[0].startswith(f"{day}: error [empty-day-file]: ")
    listed = invoke("visit", "list", "--data", str(small_data), "--lang", "en")
    assert listed.returncode == 0  # a list that was printed (README, Exit codes)
    assert listed.stderr.startswith(f"{day}: error [empty-day-file]: ")
    strict = invoke("visit", "list", "--data", str(small_data), "--lang", "en", "--strict")
    assert (strict.returncode, strict.stderr) == (1, listed.stderr)



def test_a_report_on_a_visits_path_that_is_a_file_says_the_data_has_an_error(
        small_data: Path) -> None:
    (small_data / "visits").write_text("not a folder\n", encoding="utf-8")
    result = invoke("coverage", "--data", str(small_data), "--period", "2024-Q4", "--format",
                    "csv", "--lang", "en", env={"THEODOI_TODAY": "2025-03-10"})
    assert result.returncode == 0  # the report counts what could be read, and says so
    assert result.stderr == ("theodoi: note: the data has 1 error; the report counts what "
                             "could be read. Run 'theodoi validate' to see it.\n")
