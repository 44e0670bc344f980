"""``theodoi validate``: is the data a complete one-to-one match, and where not."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from theodoi.cli.common import DataOption, LangOption, date_option, today, write_stdout
from theodoi.i18n import _, language


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"


def validate_command(
    data: DataOption = Path("data"),
    as_of: Annotated[date | None, date_option(_("Check the assignments in force on this "
                                                "date (default: today, Asia/Ho_Chi_Minh)."))
                     ] = None,
    output_format: Annotated[ValidateFormat, typer.Option(
        "--format", help=_("text for people, json for scripts."))] = ValidateFormat.text,
    lang: LangOption = None,
) -> None:
    """Check the registers (and visits): every file readable, every commune with
    exactly one cadre. Exit 0 when clean, 1 when any error is found."""
    from theodoi.render.problems import validation_json, validation_text
    from theodoi.validation import validate

    result = validate(data, as_of or today(), today())
    if output_format is ValidateFormat.json:
        write_stdout(validation_json(result))
        summary = validation_text(result, language()).splitlines()[-2:]
        print("\n".join(summary), file=sys.stderr)
    else:
        write_stdout(validation_text(result, language()))
    raise typer.Exit(0 if result.ok else 1)


def register(app: typer.Typer) -> None:
    app.command("validate", help=_(
        "Check the data folder: every file readable, every commune with exactly one cadre. "
        "Exit 0 when clean, 1 on errors."))(validate_command)
