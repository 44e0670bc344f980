"""The root Typer app: global options, the sub-commands, and the error handler."""

from __future__ import annotations

import importlib
import sys

import typer

from theodoi import __version__
from theodoi.cli.common import LangOption, fail, typer_app
from theodoi.i18n import _
from theodoi.problems import TheodoiError

# Each command's module, in the order a clerk meets them in --help: check,
# record, report, change, audit.  Only the module of the command being run is
# imported and registered (help lists them all), so that `theodoi validate`
# does not pay to build fifteen other commands at every start.
COMMAND_MODULES: dict[str, str] = {
    "validate": "theodoi.cli.validate",
    "visit": "theodoi.cli.visit",
    "coverage": "theodoi.cli.reports",
    "overdue": "theodoi.cli.reports",
    "summary": "theodoi.cli.reports",
    "demo": "theodoi.cli.demo",
    "assign": "theodoi.cli.assignments",
    "swap": "theodoi.cli.assignments",
    "vacate": "theodoi.cli.assignments",
    "cadre": "theodoi.cli.assignments",
    "history": "theodoi.cli.audit",
    "audit": "theodoi.cli.audit",
}
_ROOT_OPTIONS_WITH_VALUE = ("--lang",)


def _show_version(value: bool) -> None:
    if value:
        print(f"theodoi {__version__}")
        raise typer.Exit()


def root(
    lang: LangOption = None,
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help=_("Show the version and exit.")),
) -> None:
    """The language is applied before this runs (see theodoi.cli.main)."""


def command_name(args: list[str]) -> str | None:
    """The command the arguments ask for, skipping the root options before it."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _ROOT_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def build_app(args: list[str] | None = None) -> typer.Typer:
    """The app with the command that ``args`` names, or with every command."""
    app = typer_app("theodoi", _(
        "Follow-up of communes by provincial cadres: check the assignments, record visits, "
        "report coverage and overdue communes."))
    app.callback()(root)
    wanted = command_name(args or [])
    if wanted in COMMAND_MODULES:
        modules = [COMMAND_MODULES[wanted]]
    else:  # help, or an unknown command: Typer lists them all and suggests one
        modules = list(dict.fromkeys(COMMAND_MODULES.values()))
    for module in modules:
        importlib.import_module(module).register(app)
    return app


def run(args: list[str]) -> int:
    try:
        build_app(args)(args=args, prog_name="theodoi", standalone_mode=True)
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
