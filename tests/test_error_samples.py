"""One sample per problem code, hledger style: ``tests/errors/<code>/``.

Every check of the registry (:mod:`theodoi.base.checks`) has a folder named after
its code.  A folder holds either a sample, run here, or a ``covered-by`` file.

A sample is:

- ``command``: one line, the arguments after ``theodoi``, split with shlex;
  ``--data data`` is added unless the command gives ``--data`` itself or
  does not take it (``demo``).  The line is read as a terminal's bytes would
  be (UTF-8, undecodable bytes kept as surrogates, as Python does with argv).
- ``env`` (optional): ``KEY=VALUE`` lines, over ``THEODOI_LANG=en`` and
  ``THEODOI_TODAY=2024-09-20``.
- ``data/`` (optional): the broken files only.  The test writes conftest's
  clean small data folder to ``<tmp>/data``, copies ``data/`` over it, then
  deletes the paths listed in ``remove`` (optional, one per line, relative to
  ``<tmp>``).
- ``setup`` (optional): a short shell script run with bash in ``<tmp>`` after
  that, for what files alone cannot hold (a git repository, a symbolic link).
- ``expected``: ``exit: N``, then ``--- stdout`` and the standard output,
  then ``--- stderr`` and the standard error.  A stream that does not end
  with a newline is followed by the line ``\\ no newline at end``.
- ``README`` (optional): how a file that must be bytes was made.

The command runs in process (:func:`conftest.invoke`) with ``<tmp>`` as the
working folder, so files are named ``data/...``.  The environment is the
sample's, and it is also put in ``os.environ`` for the time of the command,
because :mod:`theodoi.store.git` gives git ``os.environ`` rather than the
invocation's environment.  git never reads the user's or the system's
configuration here, nor looks for a repository above ``<tmp>``.

Normalisation, the only one: the temporary folder's path is written
``<tmp>``.

A ``covered-by`` file names a test elsewhere in ``tests/`` that provokes the
code (``tests/test_x.py::test_name``), for codes a command and files cannot
make in process (permission bits that root ignores, a file system that
refuses locks, a different installation layout) or that the command line
cannot reach.  The test must exist and its source must name the code (or
quote its message).  The tests below the samples are such tests.

To regenerate the expected outputs after changing a message on purpose::

    THEODOI_UPDATE_SAMPLES=1 .venv/bin/python -m pytest -q tests/test_error_samples.py

then read every changed ``expected`` file (``git diff tests/errors``) before
committing it.
"""

from __future__ import annotations

import ast
import ctypes
import errno
import os
import platform
import re
import shlex
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, Result, invoke, write_data_folder

from theodoi.base import checks

ERRORS = Path(__file__).resolve().parent / "errors"
UPDATE = os.environ.get("THEODOI_UPDATE_SAMPLES") == "1"
DEFAULT_ENV = {"THEODOI_LANG": "en", "THEODOI_TODAY": "2024-09-20"}
SAMPLE_ENTRIES = {"command", "env", "data", "remove", "setup", "expected", "README"}
COVERED_ENTRIES = {"covered-by", "README"}
# "theodoi: error [code]: ..." and "data/x.csv:3: warning [code]: ..." (English or Vietnamese).
PROBLEM = re.compile(r"\b(error|warning|lỗi|cảnh báo) \[([a-z0-9-]+)\]")
LABELS = {checks.Severity.ERROR: ("error", "lỗi"), checks.Severity.WARNING: ("warning", "cảnh báo")}


def folders() -> list[Path]:
    return sorted(p for p in ERRORS.iterdir() if p.is_dir()) if ERRORS.is_dir() else []


SAMPLES = [p for p in folders() if not (p / "covered-by").exists()]
COVERED = [p for p in folders() if (p / "covered-by").exists()]


def lines_of(path: Path) -> list[str]:
    """The lines of a sample's file, without blank lines and # comments (a
    command's undecodable bytes kept as surrogates, as in argv)."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def arguments(sample: Path) -> list[str]:
    [line] = lines_of(sample / "command")
    args = shlex.split(line)
    if "--data" not in args and takes_data_option(args):
        args += ["--data", "data"]
    return args


def takes_data_option(args: list[str]) -> bool:
    """Whether the (sub)command the arguments name has a --data option."""
    from theodoi.cli.app import build_command

    command = build_command(args)
    for arg in args:
        command = getattr(command, "commands", {}).get(arg, command)
    return any("--data" in param.opts for param in command.params)


def render(result: Result) -> str:
    def stream(text: str) -> str:
        return text + "\n\\ no newline at end\n" if text and not text.endswith("\n") else text

    return (f"exit: {result.returncode}\n--- stdout\n{stream(result.stdout)}"
            f"--- stderr\n{stream(result.stderr)}")


def normalised(text: str, tmp: Path) -> str:
    for path in sorted({str(tmp), str(tmp.resolve())}, key=len, reverse=True):
        text = text.replace(path, "<tmp>")
    return text


def git_without_configuration(monkeypatch: pytest.MonkeyPatch, tmp: Path) -> None:
    """git reads neither the user's nor the system's configuration, and finds no
    repository above ``tmp`` (undone when the test ends)."""
    for name in [n for n in os.environ if n.startswith("GIT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp.parent))


def run_sample(sample: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    write_data_folder(tmp / "data")
    if (sample / "data").is_dir():
        shutil.copytree(sample / "data", tmp / "data", dirs_exist_ok=True, symlinks=True)
    for relative in lines_of(sample / "remove"):
        target = tmp / relative
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    git_without_configuration(monkeypatch, tmp)
    if (sample / "setup").exists():
        done = subprocess.run(["bash", str(sample / "setup")], cwd=tmp, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=60)
        assert done.returncode == 0, f"setup failed:\n{done.stdout}{done.stderr}"
    env = dict(DEFAULT_ENV)
    for line in lines_of(sample / "env"):
        name, _, value = line.partition("=")
        env[name] = value
    for name, value in env.items():  # for theodoi.store.git, which reads os.environ
        monkeypatch.setenv(name, value)
    return invoke(*arguments(sample), env=env, cwd=tmp)


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample(sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check = checks.REGISTRY.get(sample.name)
    assert check is not None, f"{sample.name} is not a check"
    result = run_sample(sample, tmp_path, monkeypatch)
    actual = normalised(render(result), tmp_path)
    expected_file = sample / "expected"
    if UPDATE:
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")
    # The sample really exercises its check, with the check's severity...
    found = PROBLEM.findall(result.stdout + result.stderr)
    assert any(code == check.code and label in LABELS[check.severity]
               for label, code in found), f"no {check.severity} [{check.code}] in the output"
    # ...and the exit code is the check's when nothing else is wrong.
    errors = {code for label, code in found if label in LABELS[checks.Severity.ERROR]}
    if errors == {check.code}:
        assert result.returncode == check.exit_code
    elif not errors:
        assert check.severity is checks.Severity.WARNING and result.returncode == 0


def test_every_check_has_a_sample() -> None:
    names = {p.name for p in folders()}
    without_sample = sorted(set(checks.REGISTRY) - names)
    not_a_code = sorted(names - set(checks.REGISTRY))
    assert (without_sample, not_a_code) == ([], []), (
        f"codes without a sample: {without_sample}; folders named after no code: {not_a_code}")


@pytest.mark.parametrize("sample", folders(), ids=[p.name for p in folders()])
def test_sample_folder_layout(sample: Path) -> None:
    entries = {p.name for p in sample.iterdir()}
    if "covered-by" in entries:
        assert entries <= COVERED_ENTRIES, "a covered-by folder holds no sample"
    else:
        assert {"command", "expected"} <= entries <= SAMPLE_ENTRIES
        assert len(lines_of(sample / "command")) == 1


@pytest.mark.parametrize("sample", COVERED, ids=[p.name for p in COVERED])
def test_covered_elsewhere(sample: Path) -> None:
    check = checks.REGISTRY[sample.name]
    [target] = lines_of(sample / "covered-by")
    file, *names = target.split("::")
    source = (REPO / file).read_text(encoding="utf-8")
    body: ast.AST = ast.parse(source)
    for name in names:
        found = [node for node in ast.iter_child_nodes(body)
                 if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name]
        assert found, f"{target}: no {name} in {file}"
        body = found[0]
    assert names and names[-1].startswith("test"), f"{target} names no test"
    assert isinstance(body, ast.FunctionDef)
    # The test with its decorators: a parametrized test lists its codes there.
    first = min([body.lineno, *(d.lineno for d in body.decorator_list)])
    text = "\n".join(source.splitlines()[first - 1:body.end_lineno])
    fragments = [f for f in re.split(r"\{[^}]*\}", check.template) if len(f.strip()) >= 12]
    assert check.code in text or any(f in text for f in fragments), (
        f"{target} neither names {check.code} nor quotes its message")


# --- the codes a sample cannot make in process --------------------------------------------
# Each test provokes its code for real, in a real process: the kernel refuses,
# nothing in theodoi is replaced.

def theodoi(*args: str, cwd: Path, env: dict[str, str] | None = None,
            prefix: tuple[str, ...] = (), preexec_fn: Callable[[], None] | None = None
            ) -> subprocess.CompletedProcess[str]:
    """``python -m theodoi`` in its own process, in English, on the samples' day."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("THEODOI_")}
    full_env.update({**DEFAULT_ENV, "THEODOI_CACHE_DIR": os.environ["THEODOI_CACHE_DIR"],
                     **(env or {})})
    return subprocess.run([*prefix, sys.executable, "-m", "theodoi", *args], cwd=cwd,
                          env=full_env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, preexec_fn=preexec_fn)


def as_a_normal_user() -> tuple[str, ...]:
    """Root ignores permission bits through CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH;
    without them (setpriv) the kernel applies the bits to root as to anyone."""
    if os.geteuid() != 0:
        return ()
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: permission bits cannot be tested")
    return ("setpriv", "--bounding-set=-dac_override,-dac_read_search")


def test_a_folder_that_cannot_be_opened(tmp_path: Path) -> None:
    """cannot-open-folder: the data folder can be passed through (x) but not
    opened (r), as a share set up for another group may be: the writers' lock
    opens it, and the visit is refused before anything is written.  (The
    folder is ./data, found from the working folder, which is said first.)"""
    data = write_data_folder(tmp_path / "data")
    data.chmod(0o311)
    try:
        result = theodoi("visit", "add", "--commune", "02068", "--date", "2024-09-15",
                         cwd=tmp_path, prefix=as_a_normal_user())
    finally:
        data.chmod(0o755)
    assert (result.returncode, result.stdout) == (checks.CANNOT_OPEN_FOLDER.exit_code, "")
    assert result.stderr == (f"theodoi: using the data folder {data}\n"
                             "theodoi: error [cannot-open-folder]: data: cannot open the folder: "
                             "permission denied\n")
    assert not (data / "visits").exists()


def test_a_folder_that_cannot_be_created(tmp_path: Path) -> None:
    """cannot-create-folder: cron writes the weekly report into a folder that
    does not exist yet, inside a folder it may not write to."""
    write_data_folder(tmp_path / "data")
    reports = tmp_path / "reports"
    reports.mkdir(mode=0o555)
    reports.chmod(0o555)
    try:
        result = theodoi("summary", "--data", "data", "--output", "reports/2024/w38.txt",
                         cwd=tmp_path, prefix=as_a_normal_user())
    finally:
        reports.chmod(0o755)
    assert (result.returncode, result.stdout) == (checks.CANNOT_CREATE_FOLDER.exit_code, "")
    assert result.stderr == ("theodoi: error [cannot-create-folder]: reports/2024: cannot create "
                             "the folder: permission denied\n")
    assert list(reports.iterdir()) == []


# The syscall filter below is the kernel's own (seccomp): the process asks it
# to answer every flock() with ENOLCK, as an NFS mount without a lock daemon
# answers.  Nothing in Python is replaced.
_AUDIT_ARCH_AND_FLOCK = {"x86_64": (0xC000003E, 73), "aarch64": (0xC00000B7, 32)}
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2


def _refuse_locks() -> None:  # pragma: no cover - runs in the child process
    arch, flock = _AUDIT_ARCH_AND_FLOCK[platform.machine()]

    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    load, jump_eq, ret = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET
    allow, refuse = 0x7FFF0000, 0x00050000 | errno.ENOLCK  # SECCOMP_RET_ALLOW, _ERRNO
    program = b"".join([
        op(load, 4), op(jump_eq, arch, 1, 0), op(ret, allow),  # another ABI: leave it be
        op(load, 0), op(jump_eq, flock, 0, 1), op(ret, refuse), op(ret, allow)])
    buffer = ctypes.create_string_buffer(program)

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = Program(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if (libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
            or libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0)):
        raise OSError(ctypes.get_errno(), "seccomp")


@pytest.mark.skipif(sys.platform != "linux" or platform.machine() not in _AUDIT_ARCH_AND_FLOCK,
                    reason="the lock refusal is made with Linux's seccomp")
def test_a_file_system_that_refuses_locks(tmp_path: Path) -> None:
    """lock-failed: the data folder is on a share whose file system refuses
    locks (ENOLCK): the visit is not written unlocked."""
    data = write_data_folder(tmp_path / "data")
    result = theodoi("visit", "add", "--data", "data", "--commune", "02068", "--date",
                     "2024-09-15", cwd=tmp_path, preexec_fn=_refuse_locks)
    assert (result.returncode, result.stdout) == (checks.LOCK_FAILED.exit_code, "")
    assert result.stderr == (
        "theodoi: error [lock-failed]: data: cannot lock the folder to write safely: no locks "
        "available; on a network share, keep the data folder on a local disk (or a share that "
        "supports file locks)\n")
    assert not (data / "visits").exists()


def installed_elsewhere(tmp_path: Path) -> Path:
    """theodoi as a wheel installs it: the package alone, no source tree's data/ beside it."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "theodoi", site / "theodoi",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return site


def test_the_demo_without_the_shipped_registers(tmp_path: Path) -> None:
    """shipped-data-missing: installed without its source folder, theodoi has no
    registers to copy into a demo."""
    site = installed_elsewhere(tmp_path)
    result = theodoi("demo", "demo", "--visits", "0", cwd=tmp_path,
                     env={"PYTHONPATH": str(site)})
    assert (result.returncode, result.stdout) == (checks.SHIPPED_DATA_MISSING.exit_code, "")
    assert result.stderr == (
        f"theodoi: error [shipped-data-missing]: the shipped registers are not found (expected "
        f"{site / 'data'}); the demo needs theodoi installed from its source folder (pip install "
        "-e .)\n")
    assert not (tmp_path / "demo").exists()


def test_the_demo_with_broken_shipped_registers(tmp_path: Path) -> None:
    """shipped-data-broken: the registers beside the package do not validate (a
    commune listed twice), so the demo copies nothing."""
    site = installed_elsewhere(tmp_path)
    write_data_folder(site / "data", communes=["02068,Xã Đại Sảo,xã,064,Huyện Chợ Đồn",
                                               "02068,Xã Đại Sảo,xã,064,Huyện Chợ Đồn"])
    result = theodoi("demo", "demo", "--visits", "0", cwd=tmp_path,
                     env={"PYTHONPATH": str(site)})
    assert (result.returncode, result.stdout) == (checks.SHIPPED_DATA_BROKEN.exit_code, "")
    assert result.stderr == (
        f"theodoi: error [shipped-data-broken]: the shipped registers have errors; run 'theodoi "
        f"validate --data {site / 'data'}'\n")
    assert not (tmp_path / "demo").exists()
