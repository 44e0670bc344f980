"""``theodoi validate``: is the data a complete one-to-one match, and where not."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from theodoi.base.i18n import N_, language
from theodoi.cli.common import (
    DataOption,
    LangOption,
    NoCacheOption,
    OutputOption,
    VerboseOption,
    cache_notes,
    context,
    date_option,
    fail,
    write_output,
    write_stdout,
)


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    xlsx = "xlsx"


def validate_command(
    as_of: Annotated[date | None, date_option(N_(
        "Check the assignments in force on this date (default: today, Asia/Ho_Chi_Minh)."))
    ] = None,
    output_format: Annotated[ValidateFormat, typer.Option(
        "--format", metavar=N_("FORMAT"),
            help=N_("text for people, json for scripts, xlsx for Excel (with --output "
                            "FILE)."))] = ValidateFormat.text,
    output: OutputOption = None,
    only: Annotated[list[str] | None, typer.Option(
        "--check", metavar=N_("CODE"), show_default=False, help=N_(
            "Run only this check (repeat for several); see --list-checks."))] = None,
    skip: Annotated[list[str] | None, typer.Option(
        "--skip", metavar=N_("CODE"), show_default=False, help=N_(
            "Leave out this check (repeat for several)."))] = None,
    list_checks: Annotated[bool, typer.Option(
        "--list-checks", help=N_("List every check with its code and meaning, and exit."))
    ] = False,
    no_cache: NoCacheOption = False,
    verbose: VerboseOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.render.problems import (
        checks_json,
        checks_text,
        validation_json,
        validation_text,
    )
    from theodoi.workspace.validation import selection_of, validate

    if list_checks:
        write_stdout(checks_json(language()) if output_format is ValidateFormat.json
                     else checks_text(language()))
        return
    from theodoi.cli.office_output import output_file

    output_file(output_format, output)
    selection = selection_of(_known(only or []), _known(skip or []))
    ctx = context(data, verbose=verbose, use_cache=not no_cache)
    result = validate(ctx.data, as_of or ctx.today, ctx.today, ctx.cache_dir, selection)
    cache_notes(ctx, result.cache_notes)
    summary = validation_text(result, ctx.language).splitlines()[-2:]
    if output_format is ValidateFormat.json:
        write_output(output, validation_json(result, ctx.language))
        print("\n".join(summary), file=sys.stderr)
    elif output_format is ValidateFormat.xlsx:
        from theodoi.cli.office_output import write_xlsx
        from theodoi.render.lists import sheet_name, validation_document
        from theodoi.render.problems import problems_json

        write_xlsx(validation_document(problems_json(result.problems, ctx.language), summary,
                                       result.as_of, ctx.language), ctx, output,
                   sheet=sheet_name("validate", ctx.language))
        print("\n".join(summary), file=sys.stderr)
    else:
        write_output(output, validation_text(result, ctx.language))
    raise typer.Exit(0 if result.ok else 1)


def _known(codes: list[str]) -> list[str]:
    """The codes as given, each a check of the registry (else a usage error)."""
    from theodoi.base import checks
    from theodoi.registers.lookup import LookupFailed, closest_keys

    for code in codes:
        if code not in checks.REGISTRY:
            candidates = closest_keys(code, {c: (c,) for c in checks.REGISTRY})
            fail(LookupFailed(checks.UNKNOWN_CHECK, candidates, query=code))
    return codes


def register(app: typer.Typer) -> None:
    app.command("validate", help=N_(
        "Check the data folder: every file readable, every commune with exactly one cadre. "
        "Exit 0 when clean, 1 on errors."))(validate_command)
