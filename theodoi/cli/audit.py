"""``theodoi history`` and ``theodoi audit``: the data folder's git history as an audit trail.

history lists every change to visits and assignments (exit 0); audit exits 1
when a visit record was changed, removed or moved after it was recorded, so
that the office can run it before each weekly summary.  Not a git
repository, or git missing: a clear message and exit 1.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from theodoi import checks
from theodoi.cli.common import DataOption, LangOption, context, date_option, fail, write_stdout
from theodoi.i18n import N_, _
from theodoi.problems import TheodoiError

if TYPE_CHECKING:
    from theodoi.gitaudit import RecordChange


class HistoryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class AuditFormat(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("history", help=N_(
        "List the changes to visits and assignments recorded in the data folder's git "
        "history: when, who, the commit message; visits changed after they were recorded "
        "are marked."))(history_command)
    app.command("audit", help=N_(
        "Report every visit record changed, removed or moved after it was recorded (also "
        "uncommitted changes). Exit 0 when there is none, 1 otherwise."))(audit_command)


def history_command(
    commune: Annotated[str | None, typer.Option(
        "--commune", help=N_("Only this commune (code or name)."), show_default=False)] = None,
    cadre: Annotated[str | None, typer.Option(
        "--cadre", help=N_("Only this cadre (id or name)."), show_default=False)] = None,
    since: Annotated[date | None, date_option(N_(
        "Only commits made on or after this date (Viet Nam time)."), flag="--since")] = None,
    output_format: Annotated[HistoryFormat, typer.Option(
        "--format", help=N_("table for people, csv or json for scripts."))
    ] = HistoryFormat.table,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.gitaudit import history
    from theodoi.render.audit import history_csv, history_json, history_text

    ctx = context(data)
    if commune and cadre:
        fail(TheodoiError(checks.COMMUNE_AND_CADRE))
    code, cadre_id = _filters(ctx.data, commune, cadre)
    result = history(ctx.data, since)
    result.changes = [c for c in result.changes if _wanted(c, code, cadre_id)]
    if output_format is HistoryFormat.json:
        write_stdout(history_json(result))
    elif output_format is HistoryFormat.csv:
        write_stdout(history_csv(result))
    else:
        write_stdout(history_text(result, ctx.language))


def _wanted(change: RecordChange, code: str | None, cadre_id: str | None) -> bool:
    if code is None and cadre_id is None:
        return True
    return change.involves(code, cadre_id)


def _filters(data: Path, commune: str | None, cadre: str | None) -> tuple[str | None,
                                                                         str | None]:
    """Names are looked up in today's registers; a code or id that is not there any
    more (a commune merged away, a cadre removed) is still searched for as typed."""
    from theodoi.lookup import LookupFailed, find_cadre, find_commune
    from theodoi.registers import load_registers

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


def audit_command(
    since: Annotated[str | None, typer.Option(
        "--since", metavar="REV", show_default=False, help=N_(
            "Check only the commits after this revision (a commit id, tag or branch); "
            "default: the whole history."))] = None,
    output_format: Annotated[AuditFormat, typer.Option(
        "--format", help=N_("text for people, json for scripts."))] = AuditFormat.text,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.gitaudit import audit
    from theodoi.render.audit import audit_json, audit_text

    ctx = context(data)
    result = audit(ctx.data, since)
    if output_format is AuditFormat.json:
        write_stdout(audit_json(result))
    else:
        write_stdout(audit_text(result, ctx.language))
    raise typer.Exit(0 if result.clean else 1)
