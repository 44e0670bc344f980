"""The root Typer app: global options, the sub-commands, and the error handler."""

from __future__ import annotations

import sys

import typer

from theodoi import __version__
from theodoi.cli import assignments as assignments_cli
from theodoi.cli import audit as audit_cli
from theodoi.cli import demo as demo_cli
from theodoi.cli import reports as reports_cli
from theodoi.cli.common import LangOption, fail
from theodoi.cli.validate import validate_command
from theodoi.cli.visit import visit_app
from theodoi.i18n import _
from theodoi.problems import TheodoiError

app = typer.Typer(
    name="theodoi",
    help=_("Follow-up of communes by provincial cadres: check the assignments, record "
           "visits, report coverage and overdue communes."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        print(f"theodoi {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    lang: LangOption = None,
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help=_("Show the version and exit.")),
) -> None:
    """The language is applied before this runs (see theodoi.cli.main)."""


app.command("validate", help=_("Check the data folder: every file readable, every commune "
                               "with exactly one cadre. Exit 0 when clean, 1 on errors."))(
    validate_command)

# In the order a clerk meets them in --help: check, record, report, change, audit.
app.add_typer(visit_app, name="visit")
reports_cli.register(app)  # coverage, overdue, summary
demo_cli.register(app)  # demo
assignments_cli.register(app)  # assign, swap, vacate, cadre add
audit_cli.register(app)  # history, audit


def run(args: list[str]) -> int:
    try:
        app(args=args, prog_name="theodoi", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except TheodoiError as exc:
        try:
            fail(exc)
        except typer.Exit as exit_:
            return exit_.exit_code
    except KeyboardInterrupt:
        print(_("theodoi: interrupted"), file=sys.stderr)
        return 130
    return 0
