"""Every use of Typer's private internals, in one module.

theodoi says its help pages and its usage errors in the run's language
(theodoi.cli.helptext, theodoi.cli.usage_errors).  To do so it reads parts of
Typer that are not its public API: the command classes of ``typer.core``,
the exceptions of the parser Typer vendors (``typer._click``), and the type
descriptor Typer hangs on each parameter.  A minor version of Typer may
change any of them, so they are reached only through this module, written
for Typer WRITTEN_FOR (pyproject.toml pins that series); the test
tests/test_typer_internals.py names the version and tries each internal
used here, so that an upgrade fails there first, not in a clerk's terminal.
"""

from __future__ import annotations

from typing import Any

from typer._click import exceptions as _click_errors
from typer.core import TyperCommand, TyperGroup

WRITTEN_FOR = "0.29"

# The parser's errors, which theodoi words again (usage_errors) or catches (app).
UsageError = _click_errors.UsageError
BadParameter = _click_errors.BadParameter
MissingParameter = _click_errors.MissingParameter
NoSuchOption = _click_errors.NoSuchOption
NoArgsIsHelpError = _click_errors.NoArgsIsHelpError

__all__ = ["WRITTEN_FOR", "BadParameter", "MissingParameter", "NoArgsIsHelpError",
           "NoSuchOption", "TyperCommand", "TyperGroup", "UsageError", "annotation_name",
           "choices_of", "current_command"]


def choices_of(param: Any) -> list[str]:
    """The values a parameter accepts, as typed (an enum's values), or []."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or not descriptor.is_choice:
        return []
    return [str(getattr(choice, "value", choice)) for choice in descriptor.choices or ()]


def annotation_name(param: Any) -> str:
    """The name of a parameter's annotated type (``int``, ``Path``); ``str`` if none."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    return getattr(annotation, "__name__", "str")


def current_command() -> str:
    """The command being run, as typed after ``theodoi`` (``visit amend``), from
    the parser's context ("theodoi" outside one): the commits name it."""
    from typer._click.globals import get_current_context

    current = get_current_context(silent=True)
    if current is None:
        return "theodoi"
    return " ".join(current.command_path.split()[1:]) or "theodoi"
