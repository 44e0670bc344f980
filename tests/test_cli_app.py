"""The root app: only the command being run is built; root options may come first."""

from __future__ import annotations

import pytest
from conftest import SHIPPED_DATA, invoke

from theodoi.cli.app import COMMAND_MODULES, build_app, command_name


@pytest.mark.parametrize(("args", "expected"), [
    (["validate", "--data", "x"], "validate"),
    (["--lang", "en", "visit", "add"], "visit"),
    (["--lang=en", "coverage"], "coverage"),
    (["--help"], None),
    ([], None),
])
def test_command_name_skips_root_options(args: list[str], expected: str | None) -> None:
    assert command_name(args) == expected


def _names(app) -> set[str]:  # type: ignore[no-untyped-def]
    import typer.main

    return set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_only_the_named_command_is_built_but_help_has_them_all() -> None:
    assert _names(build_app(["validate"])) == {"validate"}
    assert _names(build_app(["summary"])) == {"coverage", "overdue", "summary"}
    assert _names(build_app([])) == set(COMMAND_MODULES)
    assert _names(build_app(["no-such-command"])) == set(COMMAND_MODULES)


def test_root_language_option_before_the_command() -> None:
    result = invoke("--lang", "en", "validate", "--data", str(SHIPPED_DATA),
                    "--as-of", "2024-09-01")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == ("108 communes, 108 cadres following them, 108 assignments in "
                             "force on 2024-09-01.\nNo problems found.\n")


def test_an_unknown_command_is_a_usage_error_that_lists_the_commands() -> None:
    result = invoke("valdate")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "Cách dùng: theodoi [TÙY_CHỌN] LỆNH [ĐỐI_SỐ]...\nGõ 'theodoi -h' để xem hướng dẫn.\n"
        "theodoi: lỗi [command-line]: không có lệnh nào tên là 'valdate' (có phải ý bạn là "
        "validate, vacate?)\n")
