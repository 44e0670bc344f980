"""Issue 21, the clerk's second week: each item as a clerk meets it."""

from __future__ import annotations

from pathlib import Path

from conftest import committed_office, git_environment, invoke


def test_audit_alone_runs_the_audit(tmp_path: Path) -> None:
    env = git_environment("2025-03-20")
    root = committed_office(tmp_path / "office", env)
    done = invoke("audit", env=env, cwd=root / "data")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("No record was changed, removed or moved after it was written")
    assert "Usage" not in done.stdout + done.stderr
    # Its subcommand is still there.
    helped = invoke("audit", "acknowledge", "--help", env=env, cwd=root / "data")
    assert helped.returncode == 0 and "FINDING" in helped.stdout
