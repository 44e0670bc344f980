"""theodoi's use of Typer's private internals: one module, one Typer version.

theodoi.cli.typer_internals was written for Typer 0.29.  These tests name
that version and try each internal the module hands on (the command
classes, the parser's exceptions, the type descriptor of a parameter), so
that a new Typer is refused here, with a clear message, before a clerk
meets a help page in English or a crash.
"""

from __future__ import annotations

import ast
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pytest
import typer
import typer.main
from conftest import REPO, invoke

from theodoi.cli import typer_internals

TYPER_VERSION_WRITTEN_FOR = "0.29"
PRIVATE_PARTS = ("typer._click", "typer.core")


def test_the_module_names_the_typer_version_it_was_written_for() -> None:
    assert typer_internals.WRITTEN_FOR == TYPER_VERSION_WRITTEN_FOR
    series = ".".join(typer.__version__.split(".")[:2])
    assert series == TYPER_VERSION_WRITTEN_FOR, (
        f"Typer {typer.__version__} is installed; theodoi.cli.typer_internals was written "
        f"for Typer {TYPER_VERSION_WRITTEN_FOR}: check each internal it uses, then update it")
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "typer>=0.29,<0.30" in pyproject["project"]["dependencies"]


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                 else [alias.name for alias in node.names] if isinstance(node, ast.Import)
                 else [])
        found += [name for name in names if name.startswith(PRIVATE_PARTS)]
        if isinstance(node, ast.Attribute) and node.attr == "type_descriptor":
            found.append("type_descriptor")
    return found


def test_only_one_module_reaches_into_typer() -> None:
    users = {str(path.relative_to(REPO)): _private_imports(path)
             for path in sorted((REPO / "theodoi").rglob("*.py")) if _private_imports(path)}
    assert users == {"theodoi/cli/typer_internals.py": ["typer._click", "typer.core",
                                                         "typer._click.globals"]}
    assert "type_descriptor" in (REPO / "theodoi/cli/typer_internals.py").read_text("utf-8")


class Colour(StrEnum):
    RED = "red"
    GREEN = "green"


def _tiny_command():  # type: ignore[no-untyped-def]
    app = typer.Typer()

    @app.command()
    def paint(colour: Annotated[Colour, typer.Option("--colour")] = Colour.RED,
              times: Annotated[int, typer.Option("--times", min=1)] = 1,
              where: Annotated[Path, typer.Argument()] = Path(".")) -> None:
        """Paint."""

    @app.command()
    def wash() -> None:
        """Wash."""

    return typer.main.get_command(app)


def test_each_internal_still_means_what_theodoi_reads_in_it() -> None:
    group = _tiny_command()
    assert isinstance(group, typer_internals.TyperGroup)
    paint = group.commands["paint"]
    assert isinstance(paint, typer_internals.TyperCommand)
    params = {param.name: param for param in paint.params}
    assert typer_internals.choices_of(params["colour"]) == ["red", "green"]
    assert typer_internals.choices_of(params["times"]) == []
    assert [typer_internals.annotation_name(params[n]) for n in ("colour", "times", "where")] \
        == ["Colour", "int", "Path"]
    for error in (typer_internals.BadParameter, typer_internals.MissingParameter,
                  typer_internals.NoSuchOption):
        assert issubclass(error, typer_internals.UsageError)
    assert typer.BadParameter is typer_internals.BadParameter  # the one public alias


@pytest.mark.parametrize(("args", "raised"), [
    (["paint", "--colour", "blue"], "BadParameter"),
    (["paint", "--times", "0"], "BadParameter"),
    (["paint", "--shade"], "NoSuchOption"),
    (["mix"], "UsageError"),
    ([], "NoArgsIsHelpError"),
])
def test_the_parser_raises_the_errors_theodoi_words_again(args: list[str], raised: str) -> None:
    group = _tiny_command()
    group.no_args_is_help = True
    with pytest.raises(typer_internals.UsageError) as caught:
        group.main(args=args, prog_name="tiny", standalone_mode=False)
    assert type(caught.value) is getattr(typer_internals, raised)


def test_theodoi_words_a_parser_error_in_vietnamese(tmp_path: Path) -> None:
    result = invoke("visit", "list", "--no-such-option", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("Cách dùng: theodoi visit list [TÙY_CHỌN]\n"
                             "Gõ 'theodoi visit list -h' để xem hướng dẫn.\n"
                             "theodoi: lỗi [command-line]: không có tùy chọn --no-such-option\n")
