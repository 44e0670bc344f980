"""The root Typer app: global options, the sub-commands, and the error handler."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer

from theodoi import __version__
from theodoi.base.checks import EXIT_BUG, EXIT_INTERRUPTED, EXIT_USAGE
from theodoi.base.i18n import N_, _
from theodoi.base.problems import TheodoiError
from theodoi.cli.common import ROOT_OPTIONS_WITH_VALUE, LangOption, error_line, typer_app

# Each command's module, in the order a clerk meets them in --help: check,
# record, report, change, audit.  Only the module of the command being run is
# imported and registered (help lists them all), so that `theodoi validate`
# does not pay to build fifteen other commands at every start.
COMMAND_MODULES: dict[str, str] = {
    "validate": "theodoi.cli.validate",
    "visit": "theodoi.cli.visit",
    "import": "theodoi.cli.importing",
    "proposal": "theodoi.cli.proposal",
    "plan": "theodoi.cli.plan",
    "coverage": "theodoi.cli.reports",
    "overdue": "theodoi.cli.reports",
    "summary": "theodoi.cli.reports",
    "review": "theodoi.cli.review",
    "demo": "theodoi.cli.demo",
    "init": "theodoi.cli.init",
    "assign": "theodoi.cli.assignments",
    "swap": "theodoi.cli.assignments",
    "vacate": "theodoi.cli.assignments",
    "reorganise": "theodoi.cli.reorganise",
    "cadre": "theodoi.cli.assignments",
    "commune": "theodoi.cli.registers_list",
    "history": "theodoi.cli.audit",
    "audit": "theodoi.cli.audit",
    "sync": "theodoi.cli.sync",
}


def _show_version(value: bool) -> None:
    if value:
        print(f"theodoi {__version__}")
        raise typer.Exit()


def root(
    lang: LangOption = None,
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help=N_("Show the version and exit.")),
) -> None:
    """The language is chosen before this runs (see theodoi.cli.main)."""


def command_name(args: list[str]) -> str | None:
    """The command the arguments ask for, skipping the root options before it."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ROOT_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def build_app(args: list[str] | None = None) -> typer.Typer:
    """The app with the command that ``args`` names, or with every command."""
    app = typer_app("theodoi", N_(
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


def build_command(args: list[str] | None = None) -> Any:
    """The click command tree of the app, its help in the current language."""
    from theodoi.cli.helptext import localise

    command = typer.main.get_command(build_app(args))
    localise(command)
    return command


def run(args: list[str]) -> int:
    """Run one command line; return its exit code.  Whatever happens, the user
    sees a message, not a traceback: a mistake on the command line is said in
    the run's language (exit 2); a TheodoiError is the registry's message and
    exit code; Ctrl-C says that nothing more was written (exit 130); anything
    else is a bug, reported as one (exit 3)."""
    from theodoi.cli import typer_internals as click_errors

    command = build_command(args)
    try:
        result = command.main(args=args, prog_name="theodoi", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:
        print(exc.ctx.get_help(), file=sys.stderr)
        return EXIT_USAGE
    except click_errors.UsageError as exc:
        from theodoi.cli.usage_errors import usage_error

        usage, error = usage_error(exc, command, args)
        print(usage, file=sys.stderr)
        print(error_line(error), file=sys.stderr)
        return EXIT_USAGE
    except TheodoiError as exc:
        print(error_line(exc), file=sys.stderr)
        return exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        return interrupted()
    except Exception as exc:  # noqa: BLE001 - the one place that catches everything
        from theodoi.cli.crash import report_crash

        report_crash(exc, args)
        return EXIT_BUG
    code = result if isinstance(result, int) else 0
    # Typer turns Ctrl-C into a silent exit 130; theodoi says what it means.
    return interrupted() if code == EXIT_INTERRUPTED else code


def interrupted() -> int:
    print(_("theodoi: interrupted (Ctrl-C); nothing more was written"), file=sys.stderr)
    return EXIT_INTERRUPTED
