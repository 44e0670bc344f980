"""``theodoi proposal list|show|update|retract``: difficulties and proposals followed to resolution.

Parse the options, call :mod:`theodoi.followup.proposals`, render, exit: 0 done; 1
a problem with the data, the disk or the git commit; 2 a mistake on the
command line (an unknown id, a change the rules refuse).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from theodoi.base.i18n import N_, _
from theodoi.base.problems import Msg, TheodoiError
from theodoi.cli.common import (
    DataOption,
    LangOption,
    NoCacheOption,
    OutputOption,
    StrictOption,
    context,
    date_option,
    fail,
    print_problems,
    report_exit,
    typer_app,
    who_acts,
    write_output,
    write_stdout,
    writing,
)

if TYPE_CHECKING:
    from theodoi.base.context import Context
    from theodoi.base.model import Cadre, Commune, Registers
    from theodoi.base.problems import Problem
    from theodoi.followup.proposals import FollowUp, Item, State
    from theodoi.store.dayfile import Appended

proposal_app = typer_app("proposal", N_(
    "Follow the difficulties and proposals raised at visits until they are resolved: list "
    "them, show one's history, record a change of status."))


class StatusChoice(StrEnum):
    open = "open"
    forwarded = "forwarded"
    answered = "answered"
    resolved = "resolved"
    declined = "declined"


class StatusFilter(StrEnum):
    open = "open"
    forwarded = "forwarded"
    answered = "answered"
    resolved = "resolved"
    declined = "declined"
    pending = "pending"
    all = "all"


class KindFilter(StrEnum):
    difficulty = "difficulty"
    proposal = "proposal"


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


ItemArgument = Annotated[str, typer.Argument(
    metavar=N_("ITEM_ID"), show_default=False, help=N_(
        "The item's id: its visit's id, then /K and its number for a difficulty or /D for a "
        "proposal, e.g. V-20240915-003/D1."))]
NoteOption = Annotated[str, typer.Option(
    "--note", metavar=N_("TEXT"), show_default=False, help=N_(
        "What happened (for a declined item, why); kept with the change."))]
ByOption = Annotated[str | None, typer.Option(
    "--by", metavar=N_("\"NAME <EMAIL>\""), show_default=False, help=N_(
        "Who records it (default: the git identity of the data repository)."))]
CommitOption = Annotated[bool, typer.Option(
    "--commit", help=N_("Commit the journal file to git, with a message saying what changed "
                        "and why."))]


def load_follow_up(ctx: Context) -> tuple[Registers, FollowUp, list[Problem]]:
    """The registers, every item with its history, and the problems met on the way."""
    from theodoi.cli.common import load

    workspace = load(ctx)
    follow = workspace.follow_up()
    return workspace.registers, follow, [p for p in workspace.problems
                                         if p not in workspace.loaded.problems]


def _note_given(text: str | None) -> str:
    from theodoi.base import checks
    from theodoi.base.textnorm import nfc

    note = nfc(text or "").strip()
    if not note:
        fail(TheodoiError(checks.PROPOSAL_NOTE_MISSING))
    return note


ListStatusOption = Annotated[list[StatusFilter] | None, typer.Option(
    "--status", metavar=N_("STATUS"), show_default=False, help=N_(
        "Only this status (repeat for several): open, forwarded, answered, resolved, "
        "declined; pending for the first three (the default); all for every item."))
]
ListKindOption = Annotated[KindFilter | None, typer.Option(
    "--kind", show_default=False, help=N_("Only difficulties, or only proposals."))]
ListCommuneOption = Annotated[str | None, typer.Option(
    "--commune", metavar=N_("COMMUNE"), show_default=False,
    help=N_("Only this commune (code or name)."))]
ListCadreOption = Annotated[str | None, typer.Option(
    "--cadre", metavar=N_("CADRE"), show_default=False,
    help=N_("Only those raised at visits of this cadre (id or name)."))]
ListOlderThanOption = Annotated[int | None, typer.Option(
    "--older-than", metavar=N_("DAYS"), min=0, max=36_600, show_default=False, help=N_(
        "Only those raised more than N days before the as-of date."))]
ListAsOfOption = Annotated[date | None, date_option(N_(
    "The status on this date (default: today); items raised later are left out."))]
ListOutputFormatOption = Annotated[ListFormat, typer.Option(
    "--format", metavar=N_("FORMAT"),
        help=N_("table for people (plain text when piped), csv or json for "
                       "scripts, xlsx for Excel (with --output FILE)."))]


@proposal_app.command("list", help=N_(
    "List difficulties and proposals with their status, oldest first: by default those "
    "still waiting (open, forwarded or answered)."))
def list_command(
    status: ListStatusOption = None,
    kind: ListKindOption = None,
    commune: ListCommuneOption = None,
    cadre: ListCadreOption = None,
    older_than: ListOlderThanOption = None,
    as_of: ListAsOfOption = None,
    output_format: ListOutputFormatOption = ListFormat.table,
    output: OutputOption = None,
    no_cache: NoCacheOption = False,
    strict: StrictOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.base.problems import has_errors
    from theodoi.cli.office_output import output_file, show_document, write_xlsx
    from theodoi.followup.proposals import PENDING, STATUSES, CommuneNames, as_of_day, item_row
    from theodoi.registers.lookup import find_cadre, find_commune
    from theodoi.render import proposals as render

    output_file(output_format, output)
    ctx = context(data, use_cache=not no_cache)
    registers, follow, problems = load_follow_up(ctx)
    found_commune = find_commune(registers.communes, commune) if commune else None
    found_cadre = find_cadre(registers.cadres, cadre) if cadre else None
    wanted: set[str] = set()
    for choice in status or [StatusFilter.pending]:
        wanted.update(STATUSES if choice is StatusFilter.all else
                      PENDING if choice is StatusFilter.pending else (choice.value,))
    day = as_of or ctx.today
    threshold = registers.settings.proposal_overdue_days
    print_problems(problems, ctx.verbose)
    names = CommuneNames(registers)
    rows = [item_row(f, registers, names) for f in as_of_day(follow, day, threshold)
            if f.state.status in wanted
            and (kind is None or f.item.kind == kind.value)
            and (found_commune is None or f.item.commune == found_commune.code)
            and (found_cadre is None or f.item.cadre == found_cadre.id)
            and (older_than is None or (day - f.item.raised).days > older_than)]
    if output_format is ListFormat.json:
        write_output(output, render.list_json(rows, day, threshold))
    elif output_format is ListFormat.csv:
        write_output(output, render.list_csv(rows))
    else:
        filters = _filters(ctx.language, status, kind, found_commune, found_cadre, older_than)
        document = render.list_document(rows, ctx.language, day, threshold, filters)
        if output_format is ListFormat.xlsx:
            write_xlsx(document, ctx, output, as_of=day, sheet=_("Difficulties and proposals"))
        else:
            show_document(document, ctx, output)
    raise typer.Exit(report_exit(has_errors(problems), strict))


def _filters(language: str, status: list[StatusFilter] | None, kind: KindFilter | None,
             commune: Commune | None, cadre: Cadre | None, older_than: int | None
             ) -> list[str]:
    """The filters as a title says them."""
    from theodoi.render.proposals import kind_label, status_label

    said = []
    if status:
        said.append(", ".join(_("all") if s is StatusFilter.all else _("pending")
                              if s is StatusFilter.pending else status_label(s.value, language)
                              for s in status))
    if kind is not None:
        said.append(kind_label(kind.value, language))
    if commune is not None:
        said.append(commune.name)
    if cadre is not None:
        said.append(cadre.name)
    if older_than is not None:
        said.append(_("raised more than {days} days before").format(days=older_than))
    return said


def find_item(follow: FollowUp, text: str) -> Item:
    """The item with this id, typed in any case, a zero or the V- left out; or a
    usage error naming the id (with the ids it could be)."""
    from theodoi.base import checks
    from theodoi.visits.ids import known_id

    return follow.items.by_id[known_id(text, follow.items.by_id, checks.UNKNOWN_PROPOSAL)]


@proposal_app.command("show", help=N_(
    "Show a difficulty or proposal: what, where, who raised it, its status today and every "
    "change of status with who recorded it and when (retracted ones too)."))
def show_command(
    item_id: ItemArgument,
    output_format: Annotated[ShowFormat, typer.Option(
        "--format", metavar=N_("FORMAT"),
            help=N_("text for people, json for scripts."))] = ShowFormat.text,
    output: OutputOption = None,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.base import checks
    from theodoi.followup.proposals import (
        LETTER_OF,
        Followed,
        item_row,
        parse_item_id,
    )
    from theodoi.render.proposals import history_text, show_json
    from theodoi.visits.ids import known_id

    ctx = context(data)
    registers, follow, _problems = load_follow_up(ctx)
    key = known_id(item_id, [*follow.items.by_id, *follow.histories], checks.UNKNOWN_PROPOSAL)
    item = follow.items.by_id.get(key)
    history = follow.history(key)
    gone = ""
    if item is None:  # removed from its visit by a correction: its history stays readable
        parsed = parse_item_id(key)
        if parsed is not None:
            gone = follow.items.amended_by.get(parsed[0], {}).get(LETTER_OF[parsed[1]], "")
        if not gone or not history.records:
            fail(TheodoiError(checks.UNKNOWN_PROPOSAL, id=item_id.strip()))
    threshold = registers.settings.proposal_overdue_days
    followed = None
    if item is not None:
        followed = Followed.on(item, follow.state_on(item), ctx.today, threshold)
    if output_format is ShowFormat.json:
        row = item_row(followed, registers) if followed is not None and item is not None \
            and item.counts else None
        write_output(output, show_json(key, row, history, gone, item))
        return
    write_output(output, history_text(item, key, history, followed.state if followed else None,
                                      followed.age if followed else None, threshold,
                                      ctx.today, ctx.language, registers, gone))


UpdateStatusOption = Annotated[StatusChoice, typer.Option(
    "--status", metavar=N_("STATUS"), show_default=False, help=N_(
        "The new status: forwarded, answered, resolved, declined, or open to reopen a "
        "resolved or declined item."))]
UpdateToOption = Annotated[str | None, typer.Option(
    "--to", metavar=N_("AGENCY"), show_default=False, help=N_(
        "With --status forwarded: the agency or body it goes to."))]
UpdateRefOption = Annotated[str | None, typer.Option(
    "--ref", metavar=N_("\"NUMBER, DATE\""), show_default=False, help=N_(
        "The number and date of the document: needed with --status answered."))]
UpdateDayOption = Annotated[date | None, date_option(N_(
    "When it happened, 15/09/2024 or 2024-09-15 (default: today)."), flag="--date")
]


@proposal_app.command("update", help=N_(
    "Record a change of status of a difficulty or proposal: forwarded to an agency, "
    "answered (with the answer's reference), resolved, declined, or reopened. The change is "
    "appended to proposals/YYYY/YYYY-MM-DD.yaml with who and when; nothing is edited."))
def update_command(
    item_id: ItemArgument,
    status: UpdateStatusOption,
    note: NoteOption = "",
    to: UpdateToOption = None,
    ref: UpdateRefOption = None,
    day: UpdateDayOption = None,
    by: ByOption = None,
    commit: CommitOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.base.textnorm import nfc
    from theodoi.followup.proposals import (
        append_status_change,
        check_status_change,
        check_status_request,
    )

    ctx = context(data)
    new = status.value
    agency = nfc(to or "").strip()
    reference = nfc(ref or "").strip()
    when = day or ctx.today
    check_status_request(new, agency, reference, when, ctx.today)
    why = _note_given(note)
    with writing(ctx, commit=commit) as change:
        registers, follow, _problems = load_follow_up(ctx)
        item = _changeable(follow, item_id)
        before = check_status_change(follow, item, new, when)
        if agency:
            agency = _known_spelling(agency, registers, follow)
        who = who_acts(ctx, by)
        appended = append_status_change(ctx.data, ctx.today, item, new, when, agency,
                                         reference, why, who, ctx.recorded_at)
        change.commit_as(_status_message(appended.id, item, new, agency, why, who, "",
                                         ctx.language), Msg(N_("the status change")))
    _report(ctx, item, before, appended)
    change.announce()


def _changeable(follow: FollowUp, text: str) -> Item:
    """The item, which must count (its visit not withdrawn)."""
    from theodoi.base import checks

    item = find_item(follow, text)
    if not item.counts:
        fail(TheodoiError(checks.PROPOSAL_VISIT_WITHDRAWN, item=item.id, visit=item.visit,
                          withdrawal=item.withdrawn_by, reason=item.withdrawn_reason))
    return item


def _known_spelling(agency: str, registers: Registers, follow: FollowUp) -> str:
    """An agency typed without accents or in another case, written as the
    registers or an earlier forwarding write it ("so tai chinh" -> "Sở Tài chính")."""
    from theodoi.base.textnorm import fold

    known = [c.agency for c in registers.cadres.values()]
    known += [r.to for r in follow.journal.records if r.to]
    for name in known:
        if fold(name) == fold(agency):
            return name
    return agency


def _report(ctx: Context, item: Item, before: State, appended: Appended) -> None:
    """Read the new record back (as the journal now holds it) and say what was done."""
    from theodoi.followup.proposals import history_of, load_journal
    from theodoi.render.proposals import change_text
    from theodoi.store.textfile import display_path

    journal = load_journal(ctx.data)
    record = journal.record(appended.id)
    if record is None:
        raise RuntimeError(f"{appended.id} was written but does not read back")
    history = history_of(item.id, journal.of_item(item.id), item.raised,
                         {r.id: r for r in journal.records}, journal.broken)
    after = history.state_on(item.raised)
    write_stdout(change_text(item, before, after, record, display_path(appended.path),
                             appended.line, ctx.language))


def _status_message(record_id: str, item: Item, status: str, to: str, note: str, who: str,
                    retracts: str, language: str) -> str:
    """The commit message of a status change or a retraction."""
    from theodoi.render.proposals import status_label

    if retracts:
        subject = _("Status change {id}: {item}, {retracts} retracted").format(
            id=record_id, item=item.id, retracts=retracts)
    else:
        what = status_label(status, language)
        if to:
            what += " → " + to
        subject = _("Status change {id}: {item} {status}").format(
            id=record_id, item=item.id, status=what)
    return f"{subject}\n\n{_('Note')}: {note}\n{_('By')}: {who}"


@proposal_app.command("retract", help=N_(
    "Retract a status change recorded by mistake (the latest of its item): a retraction "
    "with the note is appended; the change then counts nowhere, and its record stays."))
def retract_command(
    record_id: Annotated[str, typer.Argument(
        metavar=N_("CHANGE_ID"), show_default=False,
        help=N_("The status change's id, e.g. P-20261129-001."))],
    note: NoteOption = "",
    by: ByOption = None,
    commit: CommitOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    from theodoi.base import checks
    from theodoi.followup.proposals import append_status_change

    ctx = context(data)
    why = _note_given(note)
    wanted = record_id.strip()
    with writing(ctx, commit=commit) as change:
        _unused, follow, _problems = load_follow_up(ctx)
        record = follow.journal.record(wanted)
        if record is None or record.is_retraction:
            fail(TheodoiError(checks.UNKNOWN_STATUS_RECORD, id=wanted))
        history = follow.history(record.item)
        if wanted in history.retracted:
            retraction = history.retracted[wanted]
            fail(TheodoiError(checks.STATUS_RECORD_RETRACTED, id=wanted, retraction=retraction.id,
                              note=retraction.note))
        item = _changeable(follow, record.item)
        if not history.changes or history.changes[-1].id != wanted:
            latest = history.changes[-1].id if history.changes else "—"
            fail(TheodoiError(checks.RETRACT_NOT_LATEST, id=wanted, item=item.id, latest=latest))
        before = follow.state_on(item)
        who = who_acts(ctx, by)
        appended = append_status_change(ctx.data, ctx.today, item, "", None, "", "", why, who,
                                        ctx.recorded_at, retracts=wanted)
        change.commit_as(_status_message(appended.id, item, "", "", why, who, wanted,
                                         ctx.language), Msg(N_("the status change")))
    _report(ctx, item, before, appended)
    change.announce()


def register(app: typer.Typer) -> None:
    app.add_typer(proposal_app, name="proposal")
