"""``theodoi demo DIR``: a complete data folder to try the reports on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from theodoi.base.i18n import N_, _
from theodoi.cli.common import LangOption, context, write_stdout

# What `theodoi demo` invents unless told: the library (theodoi.workspace.demo) takes
# both as arguments; they are named here, once, so that --help shows them
# without importing the demo's writers at every start.
DEFAULT_VISITS = 600
DEFAULT_SEED = 1391


def demo_command(
    folder: Annotated[Path, typer.Argument(
        metavar=N_("DIR"), help=N_("New (or empty) folder to create."), show_default=False)],
    visits: Annotated[int, typer.Option(
        "--visits", min=0, max=1_000_000, help=N_("How many visits to invent."))] = DEFAULT_VISITS,
    seed: Annotated[int, typer.Option(
        "--seed", help=N_("Seed of the random history: the same seed gives the same "
                         "files."))] = DEFAULT_SEED,
    lang: LangOption = None,
) -> None:
    """Copy the shipped registers into DIR and invent a plausible visit history,
    from the term's start to today: usable as --data DIR."""
    from theodoi.base.periods import format_date
    from theodoi.workspace.demo import create_demo

    ctx = context(needs_data=False)
    result = create_demo(folder, visits, seed, ctx.today)
    code = ctx.language
    lines = [_("Created the demo data folder {folder}: {communes} communes, {cadres} cadres, "
               "{visits} visits from {first} to {last}.").format(
        folder=folder, communes=result.communes, cadres=result.cadres, visits=result.visits,
        first=format_date(result.first_day, code), last=format_date(result.last_day, code))]
    if result.replacement:
        r = result.replacement
        lines.append(_("Commune {commune} changes cadre on {day} ({old} is replaced by {new}, "
                       "decision {decision}).").format(
            commune=r.commune, day=format_date(r.day, code), old=r.old_cadre,
            new=r.new_cadre.id, decision=r.decision))
    lines.append(_("Try: theodoi coverage --data {folder}; theodoi overdue --data {folder}; "
                   "theodoi summary --data {folder}").format(folder=folder))
    write_stdout("\n".join(lines) + "\n")


def register(app: typer.Typer) -> None:
    app.command("demo", help=N_(
        "Create a demo data folder: the shipped registers and a seeded, plausible visit "
        "history."))(demo_command)
