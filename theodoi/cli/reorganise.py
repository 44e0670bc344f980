"""``theodoi reorganise --to 2025 --since 2025-07-01``: a workspace across the reform.

Parse the options, plan and write through :mod:`theodoi.registers.reorganise` under the
data folder's lock, print the proposal and the check of the data, commit
both files when asked, exit: 0 written (or shown); 1 refused because of the
data or the disk; 2 a mistake on the command line (a split unit without a
choice, an unreadable --split).
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from theodoi.base.i18n import N_, _
from theodoi.cli.common import DataOption, LangOption, context, date_option, write_stdout

if TYPE_CHECKING:
    from theodoi.base.context import Context
    from theodoi.base.model import Registers
    from theodoi.registers.assignments_edit import Change
    from theodoi.registers.reorganise import Reorganisation


class ToMap(StrEnum):
    after = "2025"


ReorganiseToMapOption = Annotated[ToMap, typer.Option(
    "--to", help=N_("The map to carry the workspace to: 2025 (the units from "
                    "01/07/2025)."), show_default=False)]
ReorganiseOnOption = Annotated[date | None, date_option(N_(
    "First day of the new units (default: 01/07/2025); the old ones end the day before."),
    flag="--since")]
ReorganiseSplitOption = Annotated[list[str] | None, typer.Option(
    "--split", metavar=N_("OLD=NEW"), show_default=False, help=N_(
        "For an old unit divided among several new ones, the new unit that carries its "
        "history and cadre (repeat for each)."))]
ReorganiseDecisionOption = Annotated[str | None, typer.Option(
    "--decision", metavar=N_("\"NUMBER, DATE\""), show_default=False, help=N_(
        "The standing committee's decision on the new assignments, recorded on them."))
]
ReorganiseForceOption = Annotated[bool, typer.Option(
    "--force", help=N_("Write the change even if the proposal breaks the assignment "
                      "rule."))]
ReorganiseDryRunOption = Annotated[bool, typer.Option(
    "--dry-run", help=N_("Show the proposal and the changes to both files (as diffs) "
                        "without writing them."))]
ReorganiseCommitOption = Annotated[bool, typer.Option(
    "--commit", help=N_("Commit communes.csv and assignments.yaml to git in one "
                       "commit."))]


ReorganiseOfficeOption = Annotated[bool | None, typer.Option(
    "--office/--keep-office", show_default=False, help=N_(
        "Write the new province's letterhead into settings.office (the Word reports' "
        "Party committee and place), or keep the office's; asked in a terminal."))]


def reorganise_command(
    to_map: ReorganiseToMapOption,
    on: ReorganiseOnOption = None,
    split: ReorganiseSplitOption = None,
    decision: ReorganiseDecisionOption = None,
    force: ReorganiseForceOption = False,
    dry_run: ReorganiseDryRunOption = False,
    commit: ReorganiseCommitOption = False,
    office: ReorganiseOfficeOption = None,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    """Carry the workspace across the reform: old units end, new units begin,
    the old assignments end and the new ones are proposed from the crosswalk."""
    from theodoi.base.problems import Msg
    from theodoi.cli.assignments import _decision, _refuse
    from theodoi.cli.common import writing
    from theodoi.registers.reorganise import REFORM_DAY, parse_splits, write_reorganisation
    from theodoi.render.problems import problem_line, validation_text
    from theodoi.render.reorganise import reorganisation_commit_message, reorganisation_text
    from theodoi.workspace.validation import validate

    ctx = context(data)
    language = ctx.language
    day = on or REFORM_DAY
    choices, unreadable = parse_splits(split or [])
    if unreadable:
        _refuse(unreadable, 2, ctx)
    ref = _decision(decision)
    # Both files and their commit are one transaction.
    with writing(ctx, commit=commit, dry_run=dry_run) as change_made:
        result, registers, changes = write_reorganisation(ctx.data, day, choices, ref, force,
                                                          dry_run)
        if result.refusals:
            from theodoi.base.problems import exit_code_for

            _refuse(result.refusals, exit_code_for(result.refusals), ctx)
        if not changes:
            _refuse(result.breaches, 1, ctx, hint=True)
        written = all(change.written for change in changes)
        write_stdout(reorganisation_text(result, registers, written, language))
        for unit in result.without_cadre:
            print(_("theodoi: note: no cadre to propose for {code} {name}; assign one with "
                    "theodoi assign").format(code=unit.code, name=unit.name), file=sys.stderr)
        if not written:
            _show_dry_run(changes, result, language)
            raise typer.Exit(1 if result.breaches and not force else 0)
        for problem in result.breaches:
            print(_("written although: {problem}").format(problem=problem_line(problem, language)),
                  file=sys.stderr)
        offer_office(ctx, result, registers, office)  # in the same transaction and commit
        change_made.commit_as(reorganisation_commit_message(result, language),
                              Msg(N_("the reorganisation")))
    check = validate(ctx.data, day, ctx.today, ctx.cache_dir)
    write_stdout(validation_text(check, language, every=False))
    change_made.announce()


def _show_dry_run(changes: list[Change], result: Reorganisation, language: str) -> None:
    """--dry-run: the changes to both files as diffs, and the rules they would break."""
    from theodoi.render.assignments import unified_diff
    from theodoi.render.problems import problem_line
    from theodoi.store.textfile import display_path

    for change in changes:
        write_stdout(unified_diff(change.old_text, change.new_text, display_path(change.path)))
    for problem in result.breaches:
        print(_("would break: {problem}").format(problem=problem_line(problem, language)),
              file=sys.stderr)


def offer_office(ctx: Context, result: Reorganisation, registers: Registers,
                 answer: bool | None) -> None:
    """Offer the new province's letterhead and write it when the clerk agrees
    (``--office``, or yes in a terminal); else say how to set it by hand."""
    from theodoi.cli.prompts import can_ask
    from theodoi.registers.office_edit import office_lines, write_office_identity
    from theodoi.registers.reorganise import new_office_identity

    offer = new_office_identity(result, registers.settings.office)
    if offer is None:
        return
    province, identity = offer
    lines = "\n".join(office_lines(identity, 4))
    print(_("theodoi: the new units belong to {province}; the Word reports are headed by "
            "settings.office in assignments.yaml, which would read:\n{lines}").format(
        province=province, lines=lines), file=sys.stderr)
    if answer is None and can_ask():
        answer = typer.confirm(_("Write this letterhead into settings.office?"), default=True,
                               err=True)
    if answer:
        write_office_identity(ctx.data, identity)
        print(_("theodoi: settings.office now names {province}.").format(province=province),
              file=sys.stderr)
    else:
        print(_("theodoi: note: settings.office is unchanged; the Word reports keep the "
                "office's letterhead ({place}).").format(place=registers.settings.office.place),
              file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command("reorganise", help=N_(
        "Carry the workspace across the reform of 01/07/2025: old units end, new units begin, "
        "assignments are proposed from the crosswalk; past visits keep their codes."))(
        reorganise_command)
