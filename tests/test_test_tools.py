"""The one place that says whether this run is CI's, and what a test that
needs a program does without it: fail in CI, skip elsewhere."""

from __future__ import annotations

import pytest
from conftest import in_ci, require_tool


@pytest.mark.parametrize(("value", "expected"), [
    ("true", True), ("True", True), ("1", True), ("yes", True), ("on", True),
    ("false", False), ("0", False), ("", False), ("no", False),
])
def test_in_ci(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_in_ci_without_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert not in_ci()


def test_a_missing_tool_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no-such-tool is missing in CI"):
        require_tool("no-such-tool", "apt-get install no-such-tool")


def test_a_missing_tool_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="apt-get install no-such-tool"):
        require_tool("no-such-tool", "apt-get install no-such-tool")


def test_a_tool_that_is_there() -> None:
    assert require_tool("sh", "apt-get install dash").endswith("sh")
