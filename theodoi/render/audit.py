"""The audit trail for people (grouped by commit) and for scripts (csv, json).

People read translated labels and dd/mm/yyyy dates in Viet Nam time; csv and
json keep stable English snake_case keys and git's ISO 8601 timestamps.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from theodoi.audit.gitaudit import (
    Acknowledgement,
    Alarm,
    Area,
    Audit,
    ChangeKind,
    Commit,
    History,
    RecordChange,
)
from theodoi.base import checks
from theodoi.base.i18n import N_, gettext_for, ngettext_for
from theodoi.base.periods import format_date, parse_date
from theodoi.base.problems import Location, Msg, problem
from theodoi.base.textnorm import spreadsheet_text
from theodoi.render.problems import problem_line
from theodoi.visits.corrections import CORRECTABLE

MACHINE_KEYS = ("commit", "authored_at", "committed_at", "author", "author_email", "subject",
                "area", "change", "path", "old_path", "record", "commune", "cadre", "fields",
                "flagged", "finding", "acknowledged_by", "acknowledged_at",
                "acknowledgement_reason", "alarm", "made_by")

_KINDS = {  # msgids, translated where shown
    ChangeKind.ADDED: N_("added"),
    ChangeKind.MODIFIED: N_("changed"),
    ChangeKind.REMOVED: N_("removed"),
    ChangeKind.MOVED: N_("moved"),
    ChangeKind.UNREADABLE: N_("unreadable"),
    ChangeKind.FOUND: N_("found"),
}

# What each alarm means (msgids): {parent}, {flag}, {finding}, {before}, {after}.
_ALARMS = {
    Alarm.REPLACE_REF: N_("a replace ref: git would show other contents for {record}; theodoi "
                          "reads what is stored"),
    Alarm.GRAFTS: N_("a grafts file gives commits other parents; theodoi ignores it"),
    Alarm.SHALLOW: N_("a shallow clone: the history before its cut cannot be checked"),
    Alarm.INDEX_FLAG: N_("{flag} is set on this data file: git status hides its changes"),
    Alarm.LINK: N_("a symbolic link where a data file should be: never followed"),
    Alarm.MERGE_DROPPED: N_("dropped by the merge: its parent {parent} held it"),
    Alarm.MERGE_CHANGED: N_("changed by the merge from what its parent {parent} held"),
    Alarm.ACK_SAME_COMMIT: N_("acknowledgement of {finding} written in the same commit as the "
                              "change it covers: it does not count"),
    Alarm.ACK_BEFORE_CHANGE: N_("acknowledgement of {finding} written before the change it "
                                "covers: it does not count"),
    Alarm.PAST_ASSIGNMENT: N_("a day already past rewritten by hand (not through assign, swap, "
                              "vacate, import assignments or reorganise)"),
    Alarm.CADRE_RENAMED: N_("the cadre's name changed: {before} → {after}"),
    Alarm.CADRE_ID_REUSED: N_("the id once named {before} now names {after}"),
    Alarm.COMMUNES_EDITED: N_("communes.csv edited outside theodoi reorganise"),
}


def alarm_text(change: RecordChange, language: str) -> str:
    _ = gettext_for(language)
    before, after = change.before or {}, change.after or {}
    return _(_ALARMS[Alarm(change.alarm)]).format(
        record=change.key[:12], parent=change.parent[:12], flag=change.key,
        finding=change.value("finding"), before=before.get("name", "") or "",
        after=after.get("name", "") or "")


def made_by_text(commit: Commit | None, language: str) -> str:
    return made_by_label(commit.made_by if commit else None, language)


def made_by_label(made_by: str | None, language: str) -> str:
    """How a record came into the history (``Commit.made_by``: ``theodoi
    visit amend`` or ``hand``; None not committed yet); a commit's trailer is
    a statement, not a proof."""
    _ = gettext_for(language)
    if not made_by:
        return _("not committed yet")
    if made_by == "hand":
        return _("written by hand")
    return _("made with theodoi {command}").format(command=made_by.removeprefix("theodoi "))


def _when(commit: Commit, language: str) -> str:
    moment = commit.committed
    if language == "vi":
        return f"{format_date(moment.date(), language)} {moment:%H:%M}"
    return f"{moment.date().isoformat()} {moment:%H:%M}"


def _day(text: str, language: str) -> str:
    try:
        return format_date(parse_date(text), language)
    except ValueError:
        return text


def _what(change: RecordChange, language: str) -> str:
    _ = gettext_for(language)
    if change.alarm and change.area in (Area.REPOSITORY, Area.FILE):
        return alarm_text(change, language)
    special = _WHAT_OF_AREA.get(change.area)
    if special is not None:
        return special(change, language)
    if not change.key:  # unreadable: why, with the version and the line
        problem_text = f" ({problem_line(change.problem, language)})" if change.problem else ""
        return _("the whole file") + problem_text
    text = _record_what(change, language)
    if change.kind is ChangeKind.MOVED:
        text += " " + _("from {path}").format(path=change.old_path)
    if change.fields and change.kind is not ChangeKind.ADDED:
        text += " — " + _("changed fields: {fields}").format(fields=", ".join(change.fields))
    if change.alarm:
        text += " — " + alarm_text(change, language)
    return text


def _file_what(change: RecordChange, language: str) -> str:
    _ = gettext_for(language)
    text = _("other parts of the file (decisions, settings, comments)")
    return text + (f": {', '.join(change.fields)}" if change.fields else "")


def _register_what(change: RecordChange, language: str) -> str:
    _ = gettext_for(language)
    label = _("cadre") if change.area is Area.CADRE else _("commune")
    text = f"{label} {change.key}: {change.value('name')}"
    if change.fields:
        text += " — " + _("changed fields: {fields}").format(fields=", ".join(change.fields))
    if change.alarm:
        text += " — " + alarm_text(change, language)
    return text


def _assignment_what(change: RecordChange, language: str) -> str:
    _ = gettext_for(language)
    cadre = change.value("cadre") or _("vacant")
    span = _day(change.value("since"), language)
    if change.value("until"):
        span += "–" + _day(change.value("until"), language)
    text = f"{_('assignment')} {change.value('commune')}: {cadre}, {span}"
    if change.kind is ChangeKind.MODIFIED and change.before and change.after:
        before, after = change.before, change.after
        text += " (" + "; ".join(
            f"{name}: {_day(str(before.get(name) or ''), language) or '∅'} → "
            f"{_day(str(after.get(name) or ''), language) or '∅'}"
            for name in change.fields) + ")"
    if change.alarm:
        text += " — " + alarm_text(change, language)
    return text


def register_change_text(change: RecordChange, language: str) -> str:
    """One change of a register, for the weekly summary."""
    _ = gettext_for(language)
    return f"{_(_KINDS[change.kind])} {_what(change, language)}"


def _record_what(change: RecordChange, language: str) -> str:
    """A record of a journal: a visit, a correction, an acknowledgement..."""
    _ = gettext_for(language)
    if change.area is Area.CORRECTION:
        action = (_("withdraws visit {visit}") if change.value("action") == "withdraw"
                  else _("amends visit {visit}")).format(visit=change.value("visit"))
        given = [k for k in CORRECTABLE if change.value(k) != ""
                 or (change.after or change.before or {}).get(k) is not None]
        text = f"{_('correction')} {change.key}: {action}"
        if given:
            text += " (" + ", ".join(given) + ")"
        text += " — " + _("reason: {reason}").format(reason=change.value("reason"))
    elif change.area is Area.ACKNOWLEDGEMENT:
        text = _("acknowledgement {id} of finding {finding}: {reason}").format(
            id=change.key, finding=change.value("finding"), reason=change.value("reason"))
    elif change.area is Area.PROPOSAL:
        text = _proposal_change(change, language)
    elif change.area is Area.PLAN:
        when = change.value("month") or change.value("quarter") or _day(change.value("date"),
                                                                        language)
        text = _("planned visit {id}: {cadre} to {commune}, {when}").format(
            id=change.key, cadre=change.value("cadre"), commune=change.value("commune"),
            when=when)
    else:
        details = ", ".join(part for part in (change.value("commune"), change.value("cadre"),
                                              _day(change.value("date"), language)) if part)
        text = f"{_('visit')} {change.key}" + (f" ({details})" if details else "")
    if change.area in (Area.CORRECTION, Area.ACKNOWLEDGEMENT) and change.kind is ChangeKind.ADDED:
        text += " — " + made_by_text(change.commit, language)
    return text


_WHAT_OF_AREA = {Area.FILE: _file_what, Area.ASSIGNMENT: _assignment_what,
                 Area.CADRE: _register_what, Area.COMMUNE: _register_what}


def _proposal_change(change: RecordChange, language: str) -> str:
    """A record of the proposals journal: a status change, or a retraction."""
    _ = gettext_for(language)
    if change.value("retracts"):
        return _("status change {id} of {item}: retracts {retracts} — {note}").format(
            id=change.key, item=change.value("item"), retracts=change.value("retracts"),
            note=change.value("note"))
    details = ", ".join(part for part in (change.value("status"), change.value("to"),
                                          change.value("ref"),
                                          _day(change.value("date"), language)) if part)
    return _("status change {id} of {item}: {details} — {note}").format(
        id=change.key, item=change.value("item"), details=details, note=change.value("note"))


def _row_text(change: RecordChange, language: str,
              acknowledged: dict[str, Acknowledgement]) -> str:
    _ = gettext_for(language)
    mark = "!" if change.flagged else " "
    text = f"  {mark} {_(_KINDS[change.kind]):<10} {_what(change, language)}   [{change.path}]"
    if change.alarm:
        text += f"  <- [{change.alarm}] ({change.finding})"
    elif change.flagged:
        text += "  " + _("<- changed after it was written ({finding})").format(
            finding=change.finding)
        ack = acknowledged.get(change.finding)
        if ack is not None:
            text += "; " + _acknowledged_text(ack, language)
    return text


def _acknowledged_text(ack: Acknowledgement, language: str) -> str:
    _ = gettext_for(language)
    return _("acknowledged by {by} on {day}: {reason}").format(
        by=ack.by, day=format_date(ack.day, language) if ack.day else ack.recorded_at,
        reason=ack.reason)


# More records than this added by one commit to one file (a first import, a
# whole day file) are summed up in one line of the table; csv and json list all.
COLLAPSE_ADDED = 5


def _groups(changes: list[RecordChange]) -> list[list[RecordChange]]:
    """Changes by commit, in order (a commit's changes are contiguous)."""
    groups: list[list[RecordChange]] = []
    for change in changes:
        if groups and groups[-1][0].commit is change.commit:
            groups[-1].append(change)
        else:
            groups.append([change])
    return groups


def _commit_rows(changes: list[RecordChange], language: str,
                 acknowledged: dict[str, Acknowledgement]) -> list[str]:
    _ = gettext_for(language)
    added: dict[tuple[Area, str], int] = {}
    for change in changes:
        if change.kind is ChangeKind.ADDED and change.key:
            added[change.area, change.path] = added.get((change.area, change.path), 0) + 1
    rows, summed = [], set()
    for change in changes:
        group = (change.area, change.path)
        if change.kind is ChangeKind.ADDED and change.key and added[group] > COLLAPSE_ADDED:
            if group not in summed:
                summed.add(group)
                # Collapsed only above COLLAPSE_ADDED records, so always plural.
                label = {Area.ASSIGNMENT: _("{count} assignments"),
                         Area.CORRECTION: _("{count} corrections"),
                         Area.ACKNOWLEDGEMENT: _("{count} acknowledgements"),
                         Area.PROPOSAL: _("{count} status changes"),
                         Area.PLAN: _("{count} planned visits"),
                         Area.CADRE: _("{count} cadres"),
                         Area.COMMUNE: _("{count} communes")}.get(
                    change.area, _("{count} visits"))
                rows.append(f"    {_(_KINDS[ChangeKind.ADDED]):<10} "
                            f"{label.format(count=added[group])}   [{change.path}]")
            continue
        rows.append(_row_text(change, language, acknowledged))
    return rows


def history_text(result: History, language: str) -> str:
    _ = gettext_for(language)
    if not result.changes:
        return _("No changes found.") + "\n"
    lines: list[str] = []
    for group in _groups(result.changes):
        commit = group[0].commit
        if commit is None:
            lines.append(_("Not committed (changes in the work tree)"))
        else:
            lines.append(f"{_when(commit, language)}  {commit.id[:12]}  {commit.author} "
                         f"<{commit.email}>  {commit.subject}")
        lines += _commit_rows(group, language, result.acknowledged)
    flagged = [c for c in result.changes if c.flagged]
    if flagged:
        ngettext = ngettext_for(language)
        lines.append(ngettext(
            "{count} record changed, removed or moved after it was written (marked !).",
            "{count} records changed, removed or moved after they were written (marked !).",
            len(flagged)).format(count=len(flagged)))
    return "\n".join(lines) + "\n"


def _row(change: RecordChange, acknowledged: dict[str, Acknowledgement]) -> dict[str, Any]:
    commit = change.commit
    ack = acknowledged.get(change.finding) if change.flagged else None
    return {
        "commit": commit.id if commit else None,
        "authored_at": commit.authored_at if commit else None,
        "committed_at": commit.committed_at if commit else None,
        "author": commit.author if commit else None,
        "author_email": commit.email if commit else None,
        "subject": commit.subject if commit else None,
        "area": change.area.value,
        "change": change.kind.value,
        "path": change.path,
        "old_path": change.old_path or None,
        "record": change.key or None,
        "commune": change.value("commune") or None,
        "cadre": change.value("cadre") or None,
        "fields": list(change.fields),
        "flagged": change.flagged,
        "finding": change.finding if change.flagged else None,
        "acknowledged_by": ack.by if ack else None,
        "acknowledged_at": ack.recorded_at if ack else None,
        "acknowledgement_reason": ack.reason if ack else None,
        "alarm": change.alarm or None,
        "made_by": commit.made_by if commit else None,
    }


def _json_default(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def history_json(result: History) -> str:
    rows = []
    for change in result.changes:
        row = _row(change, result.acknowledged)
        row["message"] = change.commit.message if change.commit else None
        row["before"], row["after"] = change.before, change.after
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def history_csv(result: History) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MACHINE_KEYS, lineterminator="\n")
    writer.writeheader()
    for change in result.changes:
        row = _row(change, result.acknowledged)
        row["fields"] = ";".join(change.fields)
        row["flagged"] = "true" if change.flagged else "false"
        writer.writerow({k: "" if v is None else spreadsheet_text(v) if isinstance(v, str)
                         else v for k, v in row.items()})
    return out.getvalue()


def _finding(change: RecordChange, language: str) -> str:
    _ = gettext_for(language)
    fields = f" ({', '.join(change.fields)})" if change.fields else ""
    if change.alarm:
        what = alarm_text(change, language) + fields
    elif change.kind is ChangeKind.REMOVED:
        what = _("removed after it was written")
    elif change.kind is ChangeKind.MOVED:
        what = _("moved from {path}").format(path=change.old_path) + fields
    elif change.kind is ChangeKind.UNREADABLE:
        what = _("the file can no longer be read: its records cannot be compared")
        if change.problem is not None:
            what += f" ({problem_line(change.problem, language)})"
    else:
        what = _("changed after it was written") + fields
    commit = change.commit
    if change.area is Area.REPOSITORY:
        return f"{change.finding}  [{change.alarm}] {change.path}: {what}"
    if commit is None:
        who = _("not committed")
    else:
        who = _("commit {id}, {when}, {author} <{email}>: {subject}").format(
            id=commit.id[:12], when=_when(commit, language), author=commit.author,
            email=commit.email, subject=commit.subject)
    record = f"{change.key}: " if change.key and change.area is not Area.REPOSITORY else ""
    alarm = f"[{change.alarm}] " if change.alarm else ""
    return f"{change.finding}  {alarm}{change.path}: {record}{what} — {who}"


def audit_text(result: Audit, language: str) -> str:
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    lines = [_finding(change, language) for change in result.open_findings]
    if result.open_findings:
        lines.append(_("To accept a finding once reviewed: theodoi audit acknowledge FINDING "
                       "--reason \"...\""))
    for change in result.acknowledged_findings:
        lines.append(f"({change.finding}  {change.path}: {change.key} — "
                     + _acknowledged_text(result.acknowledged[change.finding], language) + ")")
    if result.anchor is not None:
        lines.append(_anchor_text(result, language))
    for commit in result.unsigned:
        state = Msg(_SIGNATURES.get(commit.signature, _SIGNATURES["N"]))
        lines.append(problem_line(problem(checks.UNSIGNED_COMMIT, Location(""),
                                          commit=commit.id[:12], subject=commit.subject,
                                          state=state), language))
    if result.since is not None:
        scope = _("since {since}").format(since=result.since)
    elif result.has_commits:
        scope = _("the whole history")
    else:
        scope = _("the repository has no commits yet")
    commits = ngettext("{count} commit checked", "{count} commits checked",
                       result.commits).format(count=result.commits)
    if not result.open_findings:
        lines.append(_("No record was changed, removed or moved after it was written without "
                       "being acknowledged ({scope}; {commits}).").format(
            scope=scope, commits=commits))
    else:
        lines.append(ngettext(
            "{count} record changed, removed or moved after it was written ({scope}; "
            "{commits}).",
            "{count} records changed, removed or moved after they were written ({scope}; "
            "{commits}).", len(result.open_findings)).format(
            count=len(result.open_findings), scope=scope, commits=commits))
    return "\n".join(lines) + "\n"


_SIGNATURES = {  # git's %G? letters, msgids
    "N": N_("is not signed"),
    "B": N_("carries a bad signature"),
    "E": N_("has a signature that cannot be checked here (no allowed signers or keys)"),
    "X": N_("has an expired signature"),
    "Y": N_("was signed by an expired key"),
    "R": N_("was signed by a revoked key"),
}


def _anchor_text(result: Audit, language: str) -> str:
    _ = gettext_for(language)
    anchor = result.anchor
    assert anchor is not None
    if anchor.commit is None or not anchor.in_history:
        return problem_line(problem(checks.ANCHOR_NOT_IN_HISTORY, Location(""),
                                    anchor=anchor.anchor), language)
    lines = []
    if anchor.lost:
        lines.append(problem_line(problem(
            checks.ANCHOR_RECORDS_CHANGED, Location(""), anchor=anchor.commit[:12],
            records=", ".join(anchor.lost)), language))
    if anchor.expected not in (None, anchor.records):
        lines.append(problem_line(problem(
            checks.ANCHOR_COUNT_DIFFERS, Location(""), anchor=anchor.commit[:12],
            records=anchor.records, quoted=anchor.expected), language))
    lines.append(_("anchor {anchor}: in today's history; it held {records} visit "
                   "records").format(anchor=anchor.commit[:12], records=anchor.records))
    return "\n".join(lines)


def audit_json(result: Audit) -> str:
    rows = []
    for change in result.findings:
        row = _row(change, result.acknowledged)
        row["before"], row["after"] = change.before, change.after
        row["open"] = change.finding not in result.acknowledged
        rows.append(row)
    anchor = result.anchor
    document = {
        "since": result.since, "commits_checked": result.commits, "clean": result.clean,
        "open_findings": len(result.open_findings),
        "acknowledged_findings": len(result.acknowledged_findings),
        "findings": rows,
        "anchor": None if anchor is None else {
            "given": anchor.anchor, "commit": anchor.commit, "in_history": anchor.in_history,
            "visit_records": anchor.records, "quoted_records": anchor.expected,
            "records_lost_or_changed": list(anchor.lost), "ok": anchor.ok},
        "unsigned_commits": [{"commit": c.id, "subject": c.subject, "signature": c.signature}
                             for c in result.unsigned],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n"
