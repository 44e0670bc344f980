"""Shared timing helpers for the benchmark scripts (not a test module)."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence


def time_command(argv: Sequence[str], env: dict[str, str] | None = None,
                 cwd: str | None = None) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in KiB of one run of a command."""
    # Installed code runs from its compiled .pyc files; a developer's
    # PYTHONDONTWRITEBYTECODE would have every run compile theodoi again.
    inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), env={**inherited, **(env or {})}, cwd=cwd,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=errors)
        # wait4 gives this child's own resource usage, peak memory included.
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            errors.seek(0)
            tail = errors.read().decode(errors="replace")[-800:]
            raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {tail}")
    return elapsed, usage.ru_maxrss


def interleaved_medians(commands: dict[str, Sequence[str]], runs: int,
                        env: dict[str, str] | None = None) -> dict[str, float]:
    """Run every command ``runs`` times, interleaved so that machine noise hits
    all of them alike, after one warm-up each; return the median wall time."""
    for argv in commands.values():
        time_command(argv, env)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name].append(time_command(argv, env)[0])
    return {name: statistics.median(values) for name, values in samples.items()}
