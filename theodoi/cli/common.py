"""Options and helpers shared by every command."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from theodoi.i18n import _
from theodoi.periods import DateError, parse_date, today_in_vietnam
from theodoi.problems import TheodoiError


def _parse_date_option(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except DateError as exc:
        raise typer.BadParameter(
            _("{value!r} is not a valid date (use 2024-09-15 or 15/09/2024)").format(value=value)
        ) from exc


DataOption = Annotated[
    Path,
    typer.Option("--data", envvar="THEODOI_DATA", show_envvar=True,
                 help=_("Data folder (default: ./data)."), show_default=False),
]
LangOption = Annotated[
    str | None,
    typer.Option("--lang", envvar="THEODOI_LANG", show_envvar=True,
                 help=_("Language of messages and reports: vi (default) or en.")),
]


def typer_app(name: str, help_text: str) -> typer.Typer:
    """A Typer app (the root or a sub-app such as ``visit``) with the house settings:
    help on no arguments, -h as well as --help, and no Rich tracebacks for users."""
    return typer.Typer(name=name, help=help_text, no_args_is_help=True, add_completion=False,
                       pretty_exceptions_enable=False,
                       context_settings={"help_option_names": ["-h", "--help"]})


def date_option(help_text: str, flag: str = "--as-of") -> object:
    return typer.Option(flag, help=help_text, parser=_parse_date_option, metavar="DATE")


def today() -> date:
    return today_in_vietnam()


def fail(error: TheodoiError, exit_code: int = 1) -> NoReturn:
    """Print a fatal error as one clear line on stderr and exit."""
    print(_("theodoi: error: {message}").format(message=error.message()), file=sys.stderr)
    raise typer.Exit(exit_code)


def write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
