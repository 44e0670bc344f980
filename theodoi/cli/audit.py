"""``theodoi history`` and ``theodoi audit``: the data folder's git history as an audit trail.

history lists every change to the journals (visits, corrections,
acknowledgements) and to assignments.yaml (exit 0); audit exits 1 when a
record was changed, removed or moved after it was written and nobody has
acknowledged it, when a quoted commit is no longer in the history, or (with
--require-signed) when a commit touching the data is unsigned, so that the
office can run it before each weekly summary.  ``audit acknowledge`` records
that a finding was reviewed.  Not a git repository, or git missing: a clear
message and exit 1.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from theodoi.base import checks
from theodoi.base.i18n import N_, _
from theodoi.base.problems import Msg, TheodoiError
from theodoi.cli.common import (
    DataOption,
    LangOption,
    OutputOption,
    context,
    fail,
    reason_given,
    typer_app,
    who_acts,
    write_output,
    writing,
)

if TYPE_CHECKING:
    from theodoi.audit.gitaudit import RecordChange


class HistoryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class AuditFormat(StrEnum):
    text = "text"
    json = "json"


SinceOption = Annotated[str | None, typer.Option(
    "--since", metavar=N_("DATE|REV"), show_default=False, help=N_(
        "Only the commits made on or after this date (15/09/2024, Viet Nam time), or after "
        "this revision (a commit id, tag or branch)."))]

audit_app = typer_app("audit", N_(
    "Report every record of the journals (visits, corrections, acknowledgements) changed, "
    "removed or moved after it was written, uncommitted edits too, less the findings "
    "acknowledged. Exit 0 when there is none, 1 otherwise."), help_without_arguments=False)


def register(app: typer.Typer) -> None:
    app.command("history", help=N_(
        "List the changes to visits, corrections and assignments recorded in the data "
        "folder's git history: when, who, the commit message; records changed after they "
        "were written are marked, with their acknowledgement if any."))(history_command)
    app.add_typer(audit_app, name="audit")


def history_command(
    commune: Annotated[str | None, typer.Option(
        "--commune", metavar=N_("COMMUNE"), show_default=False,
        help=N_("Only this commune (code or name)."))] = None,
    cadre: Annotated[str | None, typer.Option(
        "--cadre", metavar=N_("CADRE"), show_default=False,
        help=N_("Only this cadre (id or name)."))] = None,
    since: SinceOption = None,
    output_format: Annotated[HistoryFormat, typer.Option(
        "--format", metavar=N_("FORMAT"), help=N_("table for people, csv or json for scripts."))
    ] = HistoryFormat.table,
    output: OutputOption = None,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.audit.gitaudit import history
    from theodoi.render.audit import history_csv, history_json, history_text
    from theodoi.store.git import Git

    ctx = context(data)
    if commune and cadre:
        fail(TheodoiError(checks.COMMUNE_AND_CADRE))
    code, cadre_id = _filters(ctx.data, commune, cadre)
    result = history(ctx.data, Git(ctx.environ), since)
    result.changes = [c for c in result.changes if _wanted(c, code, cadre_id)]
    if output_format is HistoryFormat.json:
        write_output(output, history_json(result))
    elif output_format is HistoryFormat.csv:
        write_output(output, history_csv(result))
    else:
        write_output(output, history_text(result, ctx.language))


def _wanted(change: RecordChange, code: str | None, cadre_id: str | None) -> bool:
    if code is None and cadre_id is None:
        return True
    return change.involves(code, cadre_id)


def _filters(data: Path, commune: str | None, cadre: str | None) -> tuple[str | None,
                                                                         str | None]:
    """Names are looked up in today's registers; a code or id that is not there any
    more (a commune merged away, a cadre removed) is still searched for as typed."""
    from theodoi.registers.loader import load_registers
    from theodoi.registers.lookup import LookupFailed, find_cadre, find_commune

    if commune is None and cadre is None:
        return None, None
    registers = load_registers(data).registers
    try:
        if commune is not None:
            return find_commune(registers.communes, commune).code, None
        assert cadre is not None
        return None, find_cadre(registers.cadres, cadre).id
    except LookupFailed as exc:
        query = (commune or cadre or "").strip()
        looks_like_code = query.isdigit() if commune is not None else " " not in query
        if not looks_like_code:
            fail(exc)
        print(_("note: {query} is not in the registers today; searching the history for it "
                "as typed").format(query=query), file=sys.stderr)
        if commune is not None:
            return query.zfill(5), None
        return None, query


@audit_app.callback(invoke_without_command=True)
def audit_command(
    ctx_typer: typer.Context,
    since: SinceOption = None,
    anchor: Annotated[str | None, typer.Option(
        "--anchor", metavar=N_("SHA"), show_default=False, help=N_(
            "A commit quoted in an earlier summary (SHA, or SHA:COUNT with the number of visit "
            "records quoted beside it): check that it is still in today's history, that "
            "today's data holds every record it held, unchanged, and the count."))
    ] = None,
    require_signed: Annotated[bool, typer.Option(
        "--require-signed", help=N_(
            "Fail on any commit touching the data that has no good signature."))] = False,
    output_format: Annotated[AuditFormat, typer.Option(
        "--format", metavar=N_("FORMAT"),
            help=N_("text for people, json for scripts."))] = AuditFormat.text,
    output: OutputOption = None,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    if ctx_typer.invoked_subcommand is not None:
        return
    from theodoi.audit.gitaudit import audit
    from theodoi.render.audit import audit_json, audit_text
    from theodoi.store.git import Git

    ctx = context(data)
    result = audit(ctx.data, Git(ctx.environ), since, anchor, require_signed, today=ctx.today)
    if output_format is AuditFormat.json:
        write_output(output, audit_json(result))
    else:
        write_output(output, audit_text(result, ctx.language))
    raise typer.Exit(0 if result.clean else 1)


@audit_app.command("acknowledge", help=N_(
    "Record that an audit finding was reviewed, and why (appended to audit/, committed like "
    "a visit with --commit): audit stops failing on it, history keeps showing it."))
def acknowledge_command(
    finding: Annotated[str, typer.Argument(metavar=N_("FINDING"), show_default=False, help=N_(
        "The finding's id as audit shows it, e.g. F-3a9c1b2e7d."))],
    reason: Annotated[str | None, typer.Option(
        "--reason", metavar=N_("REASON"), show_default=False, help=N_(
            "Why the change is accepted (who made it, what was checked; asked for in a "
            "terminal if missing)."))] = None,
    by: Annotated[str | None, typer.Option(
        "--by", metavar=N_("\"NAME <EMAIL>\""), show_default=False, help=N_(
            "Who reviewed it (default: the git identity of the data repository)."))] = None,
    commit: Annotated[bool, typer.Option(
        "--commit", help=N_("Commit the acknowledgement to git."))] = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.audit.gitaudit import Area, acknowledge, audit
    from theodoi.store.git import Git

    ctx = context(data)
    git = Git(ctx.environ)
    who = who_acts(ctx, by)
    reason = reason_given(reason)
    with writing(ctx, commit=commit) as change:
        result = audit(ctx.data, git, today=ctx.today)
        known = {f.finding: f for f in result.findings}
        wanted = finding.strip()
        if wanted in result.acknowledged:
            ack = result.acknowledged[wanted]
            fail(TheodoiError(checks.FINDING_ACKNOWLEDGED, id=wanted, by=ack.by,
                              day=ack.day or ack.recorded_at, reason=ack.reason))
        if wanted not in known:
            fail(TheodoiError(checks.UNKNOWN_FINDING, id=wanted))
        if known[wanted].area is Area.REPOSITORY:
            fail(TheodoiError(checks.FINDING_OF_THE_REPOSITORY, id=wanted,
                              alarm=known[wanted].alarm))
        if known[wanted].commit is None:
            fail(TheodoiError(checks.FINDING_NOT_COMMITTED, id=wanted))
        appended = acknowledge(ctx.data, ctx.today, wanted, reason, who, ctx.recorded_at)
        change.commit_as(_("Audit: finding {finding} acknowledged by {by}").format(
            finding=wanted, by=who) + "\n\n" + reason, Msg(N_("the acknowledgement")))
    print(_("Acknowledged finding {finding} ({id}), by {by}.").format(
        finding=wanted, id=appended.id, by=who))
    change.announce()
