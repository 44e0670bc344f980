"""Difficulties and proposals with their status, for people and for scripts.

People get translated statuses ("đã chuyển", "đã giải quyết"), dd/mm/yyyy
dates and the agency an item waits at; csv and json keep the keys of
:data:`theodoi.followup.proposals.ITEM_KEYS`, status keys and ISO dates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from theodoi.base.i18n import gettext_for, ngettext_for
from theodoi.base.model import Registers
from theodoi.base.periods import format_date
from theodoi.followup.proposals import (
    ANSWERED,
    CLOSED,
    ITEM_KEYS,
    KIND_LABELS,
    OPEN,
    PENDING,
    STATUS_LABELS,
    Item,
    ItemHistory,
    OpenItems,
    State,
    StatusChange,
    item_overdue,
)
from theodoi.registers.lookup import cadre_label, commune_label
from theodoi.render.tables import (
    Block,
    Column,
    Document,
    Heading,
    Paragraph,
    Table,
    csv_text,
    json_text,
    records,
)
from theodoi.render.visits import format_timestamp


def status_label(status: str, language: str) -> str:
    _ = gettext_for(language)
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def kind_label(kind: str, language: str) -> str:
    _ = gettext_for(language)
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def _people_rows(rows: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """The rows with the cells people read: labels, where it waits, the overdue mark."""
    _ = gettext_for(language)
    shown = []
    for row in rows:
        status = status_label(str(row["status"]), language)
        if row["status"] == ANSWERED and row.get("ref"):
            status = f"{status} ({row['ref']})"
        waiting = row.get("waiting_at")
        if row["status"] == OPEN and not waiting:
            waiting = _("not forwarded yet")
        # The compact table's cells: the status with where it waits; the days with
        # the overdue mark.
        where = row.get("waiting_at") if row["status"] != OPEN else None
        days = str(row["days"]) + (f" ({_('overdue')})" if row.get("overdue") else "")
        shown.append({**row, "kind_label": kind_label(str(row["kind"]), language),
                      "status_label": status, "waiting_label": waiting,
                      "commune": row.get("commune_name") or row.get("commune_code"),
                      "cadre": row.get("cadre_name") or row.get("cadre_id"),
                      "overdue_label": _("overdue") if row.get("overdue") else "",
                      "status_where": f"{status}: {where}" if where else status,
                      "days_label": days})
    return shown


def items_table(rows: list[dict[str, Any]], language: str, title: str = "",
                empty_note: str = "", with_waiting: bool = True, compact: bool = False
                ) -> Table:
    """The items for people; ``compact``: the few columns an A4 page holds (the
    Word report): date, commune, cadre, content, status and where, days."""
    _ = gettext_for(language)
    if compact:
        return Table(title, (
            Column("raised_on", _("Raised on"), "date"), Column("commune", _("Commune")),
            Column("cadre", _("Cadre")), Column("text", _("Content")),
            Column("status_where", _("Status")), Column("days_label", _("Days"))),
            _people_rows(rows, language), empty_note=empty_note)
    columns = [Column("id", _("Item")), Column("raised_on", _("Raised on"), "date"),
               Column("commune", _("Commune")), Column("cadre", _("Cadre")),
               Column("kind_label", _("Kind of item")), Column("text", _("Content")),
               Column("status_label", _("Status")), Column("status_date", _("Since"), "date")]
    if with_waiting:
        columns.append(Column("waiting_label", _("Waiting at")))
    columns += [Column("days", _("Days"), "number")]
    if with_waiting:
        columns.append(Column("overdue_label", _("Waiting too long")))
    return Table(title, tuple(columns), _people_rows(rows, language), empty_note=empty_note)


def list_document(rows: list[dict[str, Any]], language: str, as_of: date, threshold: int,
                  filters: list[str]) -> Document:
    """``proposal list`` for people: one table, oldest first."""
    _ = gettext_for(language)
    title = _("Difficulties and proposals as of {day}").format(day=format_date(as_of, language))
    if filters:
        title = _("{title}: {filters}").format(title=title, filters=", ".join(filters))
    ngettext = ngettext_for(language)
    overdue = sum(1 for row in rows if row["overdue"])
    blocks: list[Block] = []
    if rows:
        blocks.append(Paragraph(ngettext(
            "{count} item listed; {overdue} waiting more than {days} days.",
            "{count} items listed; {overdue} waiting more than {days} days.", len(rows)).format(
            count=len(rows), overdue=overdue, days=threshold)))
    blocks.append(items_table(rows, language,
                              empty_note=_("No difficulty or proposal matches.")))
    return Document(title, blocks)


def list_data(rows: list[dict[str, Any]], as_of: date, threshold: int) -> dict[str, Any]:
    return {"report": "proposals", "as_of": as_of.isoformat(),
            "proposal_overdue_days": threshold, "rows": records(rows, ITEM_KEYS)}


def list_json(rows: list[dict[str, Any]], as_of: date, threshold: int) -> str:
    return json_text(list_data(rows, as_of, threshold))


def list_csv(rows: list[dict[str, Any]]) -> str:
    return csv_text(rows, ITEM_KEYS)


# --- the weekly summary's section ---------------------------------------------------------


# A weekly report for people lists at most this many waiting items, the oldest
# (json lists them all): a backlog of thousands is read in proposal list.
SUMMARY_LISTED = 100


def open_items_blocks(section: OpenItems | None, language: str, compact: bool = False
                      ) -> list[Block]:
    """"Đề xuất, kiến nghị chưa được giải quyết": what still waits, oldest first,
    with its age and where it waits; then what was resolved or declined this week
    (``compact``: the tables of the Word report)."""
    if section is None:
        return []
    _ = gettext_for(language)
    overdue, pending = section.overdue_count, section.pending_count
    blocks: list[Block] = [
        Heading(_("Proposals not yet resolved")),
        Paragraph(_("As of {day}: {pending} difficulties and proposals wait for an answer or a "
                    "solution; {overdue} of them for more than {days} days.").format(
            day=format_date(section.as_of, language), pending=pending,
            overdue=overdue, days=section.threshold), "bad" if overdue else ""),
    ]
    if pending > SUMMARY_LISTED and compact:  # the Word report: no command
        blocks.append(Paragraph(_("The {listed} of the {pending} that have waited longest are "
                                  "listed.").format(listed=SUMMARY_LISTED, pending=pending)))
    elif pending > SUMMARY_LISTED:
        blocks.append(Paragraph(_("The {listed} that have waited longest are listed; 'theodoi "
                                  "proposal list' lists all {pending}.").format(
            listed=SUMMARY_LISTED, pending=pending)))
    blocks += [
        items_table(section.rows(section.oldest(SUMMARY_LISTED)), language,
                    _("Waiting, oldest first"),
                    _("Nothing waits: every difficulty and proposal raised is resolved or "
                      "declined."), compact=compact),
        items_table(section.rows(section.closed), language,
                    _("Closed this week (resolved or declined)"),
                    _("none this week"), with_waiting=False, compact=compact),
    ]
    return blocks


def open_items_data(section: OpenItems) -> dict[str, Any]:
    return {"as_of": section.as_of.isoformat(), "proposal_overdue_days": section.threshold,
            "pending": records(section.rows(section.oldest()), ITEM_KEYS),
            "overdue": section.overdue_count,
            "closed_this_week": records(section.rows(section.closed), ITEM_KEYS)}


# --- one item: proposal show and update ------------------------------------------------------


def _change_line(change: StatusChange, language: str) -> str:
    _ = gettext_for(language)
    parts = [status_label(change.status, language)]
    if change.to:
        parts.append(_("to {agency}").format(agency=change.to))
    if change.ref:
        parts.append(_("ref. {ref}").format(ref=change.ref))
    return ", ".join(parts)


def state_text(state: State, language: str) -> str:
    _ = gettext_for(language)
    text = status_label(state.status, language)
    if state.agency and state.status not in (OPEN, *CLOSED):
        text += ", " + _("waiting at {agency}").format(agency=state.agency)
    if state.ref:
        text += ", " + _("ref. {ref}").format(ref=state.ref)
    return text + " " + _("(since {day})").format(day=format_date(state.since, language))


def item_text(item: Item, registers: Registers, language: str) -> list[str]:
    """The item as the clerk reads it: what, where, who, when."""
    _ = gettext_for(language)
    commune = registers.unit_named(item.commune, item.raised)
    cadre = registers.cadres.get(item.cadre)
    return [
        _("{kind} {id}, raised at visit {visit} on {day}:").format(
            kind=kind_label(item.kind, language).capitalize(), id=item.id, visit=item.visit,
            day=format_date(item.raised, language)),
        f"  {_('Content')}: {item.text}",
        f"  {_('Commune')}: {commune_label(commune) if commune else item.commune}",
        f"  {_('Cadre')}: {cadre_label(cadre) if cadre else item.cadre}",
    ]


def history_text(item: Item | None, item_key: str, history: ItemHistory, state: State | None,
                 age: int | None, threshold: int, today: date, language: str,
                 registers: Registers, gone: str = "") -> str:
    """``proposal show``: the item, its status today, every record about it."""
    _ = gettext_for(language)
    lines: list[str] = []
    if item is not None:
        lines += item_text(item, registers, language)
        if not item.counts:
            lines.append("  " + _("The visit was withdrawn by {correction} ({reason}): this "
                                  "item counts nowhere.").format(
                correction=item.withdrawn_by, reason=item.withdrawn_reason))
        elif state is not None and age is not None:
            ngettext = ngettext_for(language)
            said = (ngettext("raised {days} day ago", "raised {days} days ago", age)
                    if state.status in PENDING
                    else ngettext("closed {days} day after it was raised",
                                  "closed {days} days after it was raised", age)).format(days=age)
            status = _("Status on {day}: {state}; {age}").format(
                day=format_date(today, language), state=state_text(state, language), age=said)
            if item_overdue(state.status, age, threshold):
                status += "; " + _("overdue (more than {days} days)").format(days=threshold)
            lines.append(f"  {status}.")
    else:
        lines.append(_("{id}: visit {visit} no longer holds this item since correction "
                       "{correction}; its history stays readable and it counts nowhere.")
                     .format(id=item_key, visit=item_key.rsplit("/", 1)[0], correction=gone))
    lines.append(_("History:"))
    if item is not None:
        lines.append(f"  {format_date(item.raised, language)}  "
                     + _("raised at visit {visit} ({status})").format(
                         visit=item.visit, status=status_label(OPEN, language)))
    counted = {c.id for c in history.changes}
    for record in history.records:
        when = format_timestamp(record.recorded_at, language)
        where = _("{file}, line {line}").format(file=record.location.file,
                                                line=record.location.line)
        if record.is_retraction:
            head = _("retraction {id} of {retracts}").format(id=record.id,
                                                            retracts=record.retracts)
            lines.append(f"  {' ' * 10}  {head}: {record.note}")
        else:
            day = format_date(record.day, language) if record.day else "?"
            lines.append(f"  {day}  {_change_line(record, language)}: {record.note}")
        lines.append("      " + _("{id}, by {by}, recorded {when} ({where})").format(
            id=record.id, by=record.by, when=when, where=where))
        if record.id in history.retracted:
            lines.append("      " + _("(retracted by {id}: it does not count)").format(
                id=history.retracted[record.id].id))
        elif not record.is_retraction and record.id not in counted:
            lines.append("      " + _("(does not count: the rules refuse it; theodoi "
                                      "validate says why)"))
    if not history.records:
        lines.append("  " + _("No status change recorded."))
    return "\n".join(lines) + "\n"


def change_text(item: Item, before: State, after: State, record: StatusChange, file: str,
                line: int, language: str) -> str:
    """What ``proposal update`` or ``retract`` did, as the clerk reads it back."""
    _ = gettext_for(language)
    if record.is_retraction:
        head = _("Retracted status change {retracts} of {item} ({file}, line {line}, record "
                 "{id}).").format(retracts=record.retracts, item=item.id, file=file, line=line,
                                  id=record.id)
    else:
        head = _("Recorded status change {id} of {item} ({file}, line {line}).").format(
            id=record.id, item=item.id, file=file, line=line)
    return "\n".join([head, f"  {_('Content')}: {item.text}",
                      f"  {_('Before')}: {state_text(before, language)}",
                      f"  {_('Now')}: {state_text(after, language)}",
                      f"  {_('Note')}: {record.note}"]) + "\n"


def show_json(key: str, row: dict[str, Any] | None, history: ItemHistory, gone: str,
              item: Item | None) -> str:
    """``proposal show --format json``: the item with its status today (null when
    it counts nowhere), and every record about it."""
    counted = {c.id for c in history.changes}
    return json_text({
        "id": key,
        "item": records([row], ITEM_KEYS)[0] if row is not None else None,
        "withdrawn_by": item.withdrawn_by or None if item is not None else None,
        "removed_by": gone or None,
        "history": [{"id": r.id, "status": r.status or None, "date": r.day.isoformat()
                     if r.day else None, "to": r.to or None, "ref": r.ref or None,
                     "retracts": r.retracts or None, "note": r.note, "text": r.text or None,
                     "by": r.by, "recorded_at": r.recorded_at,
                     "file": r.location.file, "line": r.location.line,
                     "counts": r.id in counted,
                     "retracted_by": history.retracted[r.id].id
                     if r.id in history.retracted else None}
                    for r in history.records],
    })
