"""What the reports and the visit list write to a pipe, a dumb terminal and a
real one (a pty), and that pandas stays out of the commands that do not need it.

A pipe is tested in process: the output goes to a file that is not a terminal,
and the variables are set in the process environment as well as in theodoi's,
since Rich reads FORCE_COLOR and TTY_COMPATIBLE from the process.  A terminal
needs a real process with a pseudo-terminal as its output; one real pipe
checks the console script end to end.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, invoke, run_cli
from report_data import quarter_data

from theodoi.cli.app import COMMAND_MODULES

REPORTS = [
    ["coverage", "--period", "2024-Q4"],
    ["coverage", "--period", "2024-Q4", "--by", "commune"],
    ["overdue", "--as-of", "2025-03-01", "--days", "20"],
    ["summary", "--week", "2024-W47"],
]
# SGR parameters that set a colour: 30-37, 38 (extended), 39, 40-49, 90-97, 100-107.
_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def _colours(text: str) -> list[str]:
    found = []
    for params in _SGR.findall(text):
        for value in filter(None, params.split(";")):
            number = int(value)
            if 30 <= number <= 49 or 90 <= number <= 107:
                found.append(params)
    return found


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return quarter_data(tmp_path_factory.mktemp("terminal") / "data")


PIPES = [
    {"TERM": "xterm-256color", "FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"},
    {"TERM": "dumb"},
    {"TERM": "xterm-256color", "NO_COLOR": "1"},
]
# What each command shows of the data, whatever the output: a line of its table.
SHOWN = {"coverage": "Thành phố Bắc Kạn", "overdue": "Thị trấn Bằng Lũng",
         "summary": "Đường liên thôn xuống cấp", "visit": "V-20241120-001"}


@pytest.mark.parametrize("args", [*REPORTS, ["visit", "list"]], ids=lambda a: "-".join(a[:3]))
@pytest.mark.parametrize("env", PIPES, ids=["pipe", "dumb", "no-color"])
def test_no_escape_codes_in_a_pipe(monkeypatch: pytest.MonkeyPatch, data: Path,
                                   args: list[str], env: dict[str, str]) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = invoke(*args, "--data", str(data), env={"THEODOI_TODAY": "2025-03-10", **env})
    assert result.returncode == 0, result.stderr
    assert SHOWN[args[0]] in result.stdout
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr


def test_visit_list_in_a_real_pipe_with_force_color(data: Path) -> None:
    """The reported case, end to end: ``theodoi visit list | less`` with
    FORCE_COLOR=1 in the environment wrote colour codes into the pipe."""
    result = run_cli("visit", "list", "--data", str(data),
                     env={"THEODOI_TODAY": "2025-03-10", "TERM": "xterm-256color",
                          "FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"})
    assert result.returncode == 0, result.stderr
    assert "V-20250305-001" in result.stdout and "\x1b" not in result.stdout


def _in_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the command with its output on a pseudo-terminal, as a person sees it."""
    leader, follower = pty.openpty()
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS")}
    full_env.update({"THEODOI_TODAY": "2025-03-10", "COLUMNS": "160", **env})
    proc = subprocess.Popen([sys.executable, "-m", "theodoi", *args], cwd=REPO, env=full_env,
                            stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    return b"".join(chunks).decode("utf-8")


def test_a_terminal_gets_colour_and_boxes(data: Path) -> None:
    screen = _in_a_terminal(["coverage", "--data", str(data), "--period", "2024-Q4"],
                            {"TERM": "xterm-256color"})
    assert _colours(screen), repr(screen[:300])
    assert "╭" in screen and "Toàn tỉnh" in screen


def test_no_color_keeps_the_terminal_without_colour(data: Path) -> None:
    screen = _in_a_terminal(["coverage", "--data", str(data), "--period", "2024-Q4"],
                            {"TERM": "xterm-256color", "NO_COLOR": "1"})
    assert not _colours(screen)
    assert "Toàn tỉnh" in screen


def test_a_dumb_terminal_gets_plain_text(data: Path) -> None:
    screen = _in_a_terminal(["overdue", "--data", str(data), "--as-of", "2025-03-01"],
                            {"TERM": "dumb"})
    assert "\x1b" not in screen and "Bằng Lũng" in screen


def test_visit_list_in_a_terminal_may_have_colour(data: Path) -> None:
    screen = _in_a_terminal(["visit", "list", "--data", str(data)],
                            {"TERM": "xterm-256color", "FORCE_COLOR": "1"})
    assert "\x1b[" in screen  # drawn by Rich for the terminal
    assert "V-20241120-001" in screen and "Xã Đại Sảo" in screen


def test_visit_list_in_a_dumb_terminal_is_plain(data: Path) -> None:
    screen = _in_a_terminal(["visit", "list", "--data", str(data)],
                            {"TERM": "dumb", "FORCE_COLOR": "1"})
    assert "\x1b" not in screen and "V-20241120-001" in screen


def _modules_after(*args: str) -> set[str]:
    """The modules loaded once ``theodoi ARGS`` has run (with success), in a fresh
    interpreter: the point is what a new process imports, so it must be one."""
    code = ("import io, sys\nfrom contextlib import redirect_stdout\n"
            "from theodoi.cli.main import main\n"
            f"with redirect_stdout(io.StringIO()):\n    code = main({list(args)!r})\n"
            "print(code, ' '.join(sorted(sys.modules)))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, timeout=120, env={**os.environ,
                                                         "THEODOI_TODAY": "2025-03-10"})
    code, *modules = result.stdout.split()
    assert code == "0", result.stderr
    return set(modules)


def test_help_and_validate_do_not_import_pandas(data: Path) -> None:
    assert "pandas" not in _modules_after("--help")
    assert "pandas" not in _modules_after("validate", "--data", str(data))
    assert "theodoi.workspace.validation" in _modules_after("validate", "--data", str(data))
    # The check can see pandas when it is there:
    assert "pandas" in _modules_after("coverage", "--data", str(data))


def test_help_lists_the_report_commands() -> None:
    result = invoke("--help", "--lang", "en")
    assert result.returncode == 0, result.stderr
    panel = result.stdout.split("─ Commands ─", 1)[1]
    names = [line[2:].split()[0] for line in panel.splitlines()
             if line.startswith("│ ") and line[2] != " "]
    # Every command theodoi.cli.app knows, each once (Typer lists the groups last).
    assert sorted(names) == sorted(COMMAND_MODULES)
    assert names[:4] == ["validate", "coverage", "overdue", "summary"]
