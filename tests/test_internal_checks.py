"""Checks on theodoi's own consistency are real checks, not ``assert``s.

An ``assert`` vanishes under ``python -O``; a fault in theodoi must still be
caught there, and reported as one (InternalError: the command line's bug
report, exit 3).  An ``assert`` stays only to narrow a type for mypy (``x is
not None``, ``isinstance``), where it checks nothing a reader could doubt.
"""

from __future__ import annotations

import ast
from datetime import date

import pytest
from conftest import REPO

from theodoi.base import checks
from theodoi.base.checks import InternalError
from theodoi.registers.reorganise import Reorganisation
from theodoi.store.dayfile import TEXT, Schema


def _narrows_a_type(test: ast.expr) -> bool:
    """``x is not None`` or ``isinstance(x, T)``, alone or joined by ``and``."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return all(_narrows_a_type(value) for value in test.values)
    if isinstance(test, ast.Compare):
        return (len(test.ops) == 1 and isinstance(test.ops[0], ast.IsNot)
                and isinstance(test.comparators[0], ast.Constant)
                and test.comparators[0].value is None)
    return (isinstance(test, ast.Call) and isinstance(test.func, ast.Name)
            and test.func.id == "isinstance")


def test_no_assert_checks_anything_at_run_time() -> None:
    found = []
    for path in sorted((REPO / "theodoi").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assert) and not _narrows_a_type(node.test):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == []


def test_the_narrowing_test_tells_a_check_from_a_type_hint() -> None:
    def test_of(source: str) -> ast.expr:
        statement = ast.parse(source).body[0]
        assert isinstance(statement, ast.Assert)
        return statement.test

    assert _narrows_a_type(test_of("assert a is not None and isinstance(b, int)"))
    assert not _narrows_a_type(test_of("assert a is not None and b.valid"))
    assert not _narrows_a_type(test_of("assert code not in REGISTRY"))
    assert not _narrows_a_type(test_of("assert a is not 3"))


def test_a_record_schema_that_names_an_unknown_kind_is_a_fault_in_theodoi() -> None:
    with pytest.raises(InternalError, match=r"unknown field kinds \['number'\]"):
        Schema("visits", {"id": TEXT, "count": "number"}, ("id",), checks.VISIT_FILE_NOT_LIST)
    with pytest.raises(InternalError, match=r"required fields not declared \['date'\]"):
        Schema("visits", {"id": TEXT}, ("id", "date"), checks.VISIT_FILE_NOT_LIST)


def test_a_check_registered_twice_is_a_fault_in_theodoi() -> None:
    before = dict(checks.REGISTRY)
    with pytest.raises(InternalError, match="duplicate-commune"):
        checks._check("duplicate-commune", checks.E, checks.DATA, "registers", "x", "y")
    with pytest.raises(InternalError, match="'nowhere'"):
        checks._check("a-new-code", checks.E, checks.DATA, "nowhere", "x", "y")
    assert dict(checks.REGISTRY) == before


def test_a_reorganisation_without_its_edit_of_the_assignments_is_a_fault() -> None:
    refused = Reorganisation(date(2025, 7, 1))
    with pytest.raises(InternalError, match="no edit of the assignments"):
        refused.edit()
    with pytest.raises(InternalError):
        refused.registers_after()

