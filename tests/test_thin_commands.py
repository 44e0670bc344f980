"""A command parses its options, calls the library, renders and exits: no
function in theodoi/cli/ is longer than 60 lines, its signature included."""

from __future__ import annotations

import ast
from pathlib import Path

CLI = Path(__file__).resolve().parent.parent / "theodoi" / "cli"
MOST_LINES = 60


def test_no_cli_function_is_longer_than_sixty_lines() -> None:
    long = []
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                # From ``def`` to the end: the signature counts, the decorator's help not.
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MOST_LINES:
                    long.append(f"{path.name}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []


def test_the_check_counts_what_it_claims(tmp_path: Path) -> None:
    """The walk sees a function of 61 lines (so that the test above could fail)."""
    body = "\n".join(f"    x{n} = {n}" for n in range(60))
    tree = ast.parse(f"def f():\n{body}\n")
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef)
    assert (node.end_lineno or 0) - node.lineno + 1 == 61
