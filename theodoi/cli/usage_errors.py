"""Mistakes on the command line, said in the language of the run.

Typer's parser words its errors in English ("No such option", "Missing
option", "Invalid value for", pydantic's "Input should be…").  Each kind of
mistake is recognised here from the exception's fields (which option, which
parameter, which choices) and said again in theodoi's words, as one error
line under the usage line, so that a clerk never meets a sentence half in
English.
"""

from __future__ import annotations

import re
from typing import Any

from theodoi.base import checks
from theodoi.base.i18n import _
from theodoi.base.problems import TheodoiError
from theodoi.cli import typer_internals as click_errors

# A choice refused by Typer's coercion: "Value error, 'xx' is not one of 'a', 'b'."
_NOT_ONE_OF = re.compile(r"(?:Value error, )?(?P<value>'.*?'|\".*?\") is not one of ")
_NOT_AN_INTEGER = re.compile(r"valid integer")
_EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)")
_NO_SUCH_COMMAND = re.compile(r"No such command '(?P<name>.*)'\.")
_REQUIRES_VALUE = re.compile(r"Option '(?P<name>.*)' requires")
_TAKES_NO_VALUE = re.compile(r"Option '(?P<name>.*)' does not take a value")


class OptionValueError(click_errors.BadParameter):
    """A value an option's own parser refused, already worded by theodoi."""


def param_name(param: Any) -> str:
    """How the message names a parameter: its long option, or its metavar."""
    if param is None:
        return ""
    if param.param_type_name == "argument":
        return _(param.metavar) if param.metavar else param.name.upper()
    longs = [o for o in param.opts if o.startswith("--")]
    return (longs or param.opts)[0]


def _bad_value(error: click_errors.BadParameter) -> str:
    param = error.param
    name = param_name(param)
    if isinstance(error, OptionValueError) or param is None:
        return _("{option}: {reason}").format(option=name, reason=error.message) if name \
            else error.message
    choices = click_errors.choices_of(param)
    refused = _NOT_ONE_OF.match(error.message)
    if choices:
        if refused is None:
            return _("{option}: use one of {choices}").format(option=name,
                                                            choices=", ".join(choices))
        return _("{option}: {value} is not one of {choices}").format(
            option=name, value=refused.group("value"), choices=", ".join(choices))
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if _NOT_AN_INTEGER.search(error.message) or low is not None or high is not None:
        if low is not None and high is None:
            return _("{option}: give a whole number, {low} or more").format(option=name,
                                                                            low=low)
        if low is not None and high is not None:
            return _("{option}: give a whole number from {low} to {high}").format(
                option=name, low=low, high=high)
        return _("{option}: give a whole number").format(option=name)
    return _("{option}: invalid value ({reason})").format(option=name, reason=error.message)


def message_of(error: click_errors.UsageError) -> str:
    """The mistake in one sentence, in the run's language."""
    if isinstance(error, click_errors.MissingParameter):
        param = error.param
        if param is not None and param.param_type_name == "argument":
            return _("missing the argument {name}").format(name=param_name(param))
        return _("missing the option {name}").format(name=param_name(param))
    if isinstance(error, click_errors.BadParameter):
        return _bad_value(error)
    if isinstance(error, click_errors.NoSuchOption):
        text = _("no such option: {name}").format(name=error.option_name)
        if error.possibilities:
            text += _(" (did you mean {names}?)").format(
                names=", ".join(sorted(error.possibilities)))
        return text
    message = error.message
    if match := _REQUIRES_VALUE.match(message):
        return _("the option {name} needs a value").format(name=match.group("name"))
    if match := _TAKES_NO_VALUE.match(message):
        return _("the option {name} takes no value").format(name=match.group("name"))
    if match := _EXTRA_ARGUMENTS.match(message):
        return _("unexpected arguments: {args}").format(args=match.group("args"))
    if match := _NO_SUCH_COMMAND.match(message):
        return _no_such_command(error, match.group("name"))
    if message.startswith("Missing command"):
        return _("a command is missing")
    return message


def _no_such_command(error: click_errors.UsageError, name: str) -> str:
    import difflib

    group = error.ctx.command if error.ctx is not None else None
    known = list(getattr(group, "commands", {}))
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    text = _("no command is named {name!r}").format(name=name)
    if close:
        text += _(" (did you mean {names}?)").format(names=", ".join(close))
    return text


def usage_error(error: click_errors.UsageError, root: Any,
                args: list[str]) -> tuple[str, TheodoiError]:
    """The usage line and hint to show, and the error itself as a registered check.
    (The parser raises some errors without the command's context: the command
    is then found again from the arguments.)"""
    from theodoi.cli.helptext import usage_line

    if error.ctx is not None:
        command, path = error.ctx.command, error.ctx.command_path
        usage = usage_line(command, error.ctx)
    else:
        command, names = root, ["theodoi"]
        for arg in args:
            sub = getattr(command, "commands", {}).get(arg)
            if sub is None:
                if not arg.startswith("-") and names != ["theodoi"]:
                    break
                continue
            command, names = sub, [*names, arg]
        path = " ".join(names)
        usage = usage_line(command, _PathOnly(path))
    hint = _("Run '{command} -h' for help.").format(command=path)
    return f"{usage}\n{hint}", TheodoiError(checks.COMMAND_LINE, message=message_of(error))


class _PathOnly:
    """The part of a click context a usage line reads."""

    def __init__(self, command_path: str) -> None:
        self.command_path = command_path
