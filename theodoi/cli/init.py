"""``theodoi init DIR --province NAME [--map 2024|2025]``: a workspace for any province."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from theodoi.base.i18n import N_, _
from theodoi.cli.common import LangOption, context, fail, write_stdout
from theodoi.store.git import Identity


class MapYear(StrEnum):
    before = "2024"
    after = "2025"


def init_command(
    folder: Annotated[Path, typer.Argument(
        metavar=N_("DIR"), help=N_("New (or empty) folder to create."), show_default=False)],
    province: Annotated[str, typer.Option(
        "--province", metavar=N_("NAME"), show_default=False, help=N_(
            "The province: its name, with or without accents or \"Tỉnh\" (\"Thái Nguyên\", "
            "\"thai nguyen\"), or its 2-digit code."))],
    map_year: Annotated[MapYear | None, typer.Option(
        "--map", show_default=False, help=N_(
            "The map of administrative units: 2024 (as they stood until 30/06/2025, with "
            "districts) or 2025 (from 01/07/2025); default: the map in force today."))] = None,
    lang: LangOption = None,
) -> None:
    """Create a workspace: communes.csv from the national registers, an empty
    cadres.csv, an assignments.yaml with its settings explained, a git
    repository with a first commit."""
    from theodoi.base import checks
    from theodoi.base.problems import TheodoiError
    from theodoi.store.git import Git
    from theodoi.workspace.folder import create_workspace, current_map, province_of

    ctx = context(needs_data=False)
    year = int(map_year.value) if map_year else current_map(ctx.today)
    found = province_of(province, year)
    from theodoi.workspace.demo import check_new_folder

    check_new_folder(folder)  # before asking anything
    identity = None
    git = Git(ctx.environ)
    if not git.has_identity():
        if not sys.stdin.isatty():
            fail(TheodoiError(checks.GIT_IDENTITY_MISSING))
        identity = _ask_identity()
    made = create_workspace(folder, found, year, ctx.today, git, identity)
    write_stdout(_next_steps(made.folder, made.province.name, year, made.communes,
                             made.commit))


def _ask_identity() -> Identity:
    """The name and e-mail git will commit under, asked of the clerk."""
    print(_("git does not know who makes the commits of this workspace yet; they are kept "
            "in its own settings."), file=sys.stderr)
    name = ""
    while not name:
        name = str(typer.prompt(_("Your full name"), err=True)).strip()
    email = ""
    while "@" not in email:
        email = str(typer.prompt(_("Your e-mail address"), err=True)).strip()
    return Identity(name, email)


def _next_steps(folder: Path, province: str, year: int, communes: int, commit: str) -> str:
    from theodoi.base.office import office_identity

    identity = office_identity(province)
    lines = [
        _("Created the workspace {folder} for {province} (the {year} map): {communes} "
          "commune-level units, no cadre and no assignment yet; first commit {commit}.").format(
            folder=folder, province=province, year=year, communes=communes,
            commit=commit[:12]),
        _("Next steps:"),
        _("  1. Add the cadres: theodoi cadre add --data {folder} --id CB001 --name \"...\" "
          "--title \"...\" --agency \"...\" (or paste the list into {folder}/cadres.csv, same "
          "header).").format(folder=folder),
        _("  2. Enter the annex of the assignment decision: from its table in Excel or CSV, "
          "theodoi import assignments ANNEX.xlsx --data {folder} --since DATE --decision "
          "\"NUMBER, DATE\" (the cadres are added too); or one line at a time, theodoi assign "
          "--data {folder} --commune \"...\" --cadre CB001 --since DATE. Set "
          "communes_per_cadre in {folder}/assignments.yaml first if a cadre follows several "
          "communes.").format(folder=folder),
        _("  3. Check: theodoi validate --data {folder}").format(folder=folder),
        _("The Word reports are headed \"{superior}\", \"{issuing}\" and dated from "
          "\"{place}\" (settings.office in {folder}/assignments.yaml); add the signer's name "
          "and the recipients there.").format(
            folder=folder, superior=identity["superior_body"],
            issuing=identity["issuing_body"], place=identity["place"]),
    ]
    return "\n".join(lines) + "\n"


def register(app: typer.Typer) -> None:
    app.command("init", help=N_(
        "Create a workspace for any province, on the map before or after 01/07/2025, with its "
        "git history."))(init_command)
