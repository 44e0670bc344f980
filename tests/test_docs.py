"""The documentation says what the code does: the CLI reference is generated
from --help, and the README's two set-up commands are the ones CI runs."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_cli_reference_is_up_to_date() -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "cli_reference.py"),
                             "--check"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for marker in ("<!-- main-command -->", "<!-- test-command -->"):
        block = readme.split(marker, 1)[1].split("```", 2)[1]
        assert block.startswith("sh\n") and len(block.strip().splitlines()) == 2, marker
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci and 'bash -c "$test_command"' in ci
