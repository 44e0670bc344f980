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

from theodoi.gitaudit import Area, Audit, Commit, History, Kind, RecordChange
from theodoi.i18n import N_, gettext_for
from theodoi.periods import format_date, parse_date

MACHINE_KEYS = ("commit", "authored_at", "committed_at", "author", "author_email", "subject",
                "area", "change", "path", "old_path", "record", "commune", "cadre", "fields",
                "flagged")

_KINDS = {  # msgids, translated where shown
    Kind.ADDED: N_("added"),
    Kind.MODIFIED: N_("changed"),
    Kind.REMOVED: N_("removed"),
    Kind.MOVED: N_("moved"),
    Kind.UNREADABLE: N_("unreadable"),
}


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
    if change.area is Area.FILE:
        text = _("other parts of the file (decisions, settings, comments)")
        return text + (f": {', '.join(change.fields)}" if change.fields else "")
    if change.area is Area.ASSIGNMENT:
        cadre = change.value("cadre") or _("vacant")
        span = _day(change.value("since"), language)
        if change.value("until"):
            span += "–" + _day(change.value("until"), language)
        text = f"{_('assignment')} {change.value('commune')}: {cadre}, {span}"
        if change.kind is Kind.MODIFIED and change.before and change.after:
            before, after = change.before, change.after
            text += " (" + "; ".join(
                f"{name}: {_day(str(before.get(name) or ''), language) or '∅'} → "
                f"{_day(str(after.get(name) or ''), language) or '∅'}"
                for name in change.fields) + ")"
        return text
    if not change.key:
        return _("the whole file")
    details = ", ".join(part for part in (change.value("commune"), change.value("cadre"),
                                          _day(change.value("date"), language)) if part)
    text = f"{_('visit')} {change.key}" + (f" ({details})" if details else "")
    if change.kind is Kind.MOVED:
        text += " " + _("from {path}").format(path=change.old_path)
    if change.fields and change.kind is not Kind.ADDED:
        text += " — " + _("changed fields: {fields}").format(fields=", ".join(change.fields))
    return text


def _row_text(change: RecordChange, language: str) -> str:
    _ = gettext_for(language)
    mark = "!" if change.flagged else " "
    text = f"  {mark} {_(_KINDS[change.kind]):<10} {_what(change, language)}   [{change.path}]"
    if change.flagged:
        text += "  " + _("<- changed after it was recorded")
    return text


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


def _commit_rows(changes: list[RecordChange], language: str) -> list[str]:
    _ = gettext_for(language)
    added: dict[tuple[Area, str], int] = {}
    for change in changes:
        if change.kind is Kind.ADDED and change.key:
            added[change.area, change.path] = added.get((change.area, change.path), 0) + 1
    rows, summed = [], set()
    for change in changes:
        group = (change.area, change.path)
        if change.kind is Kind.ADDED and change.key and added[group] > COLLAPSE_ADDED:
            if group not in summed:
                summed.add(group)
                label = _("{count} assignments") if change.area is Area.ASSIGNMENT else _(
                    "{count} visits")
                rows.append(f"    {_(_KINDS[Kind.ADDED]):<10} "
                            f"{label.format(count=added[group])}   [{change.path}]")
            continue
        rows.append(_row_text(change, language))
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
        lines += _commit_rows(group, language)
    flagged = sum(c.flagged for c in result.changes)
    if flagged:
        lines.append(_("{count} visit record(s) changed, removed or moved after they were "
                       "recorded (marked !).").format(count=flagged))
    return "\n".join(lines) + "\n"


def _row(change: RecordChange) -> dict[str, Any]:
    commit = change.commit
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
    }


def _json_default(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def history_json(result: History) -> str:
    rows = []
    for change in result.changes:
        row = _row(change)
        row["message"] = change.commit.message if change.commit else None
        row["before"], row["after"] = change.before, change.after
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def history_csv(result: History) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MACHINE_KEYS, lineterminator="\n")
    writer.writeheader()
    for change in result.changes:
        row = _row(change)
        row["fields"] = ";".join(change.fields)
        row["flagged"] = "true" if change.flagged else "false"
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def _finding(change: RecordChange, language: str) -> str:
    _ = gettext_for(language)
    fields = f" ({', '.join(change.fields)})" if change.fields else ""
    if change.kind is Kind.REMOVED:
        what = _("removed after it was recorded")
    elif change.kind is Kind.MOVED:
        what = _("moved from {path}").format(path=change.old_path) + fields
    elif change.kind is Kind.UNREADABLE:
        what = _("the file can no longer be read: its records cannot be compared")
    else:
        what = _("changed after it was recorded") + fields
    commit = change.commit
    if commit is None:
        who = _("not committed")
    else:
        who = _("commit {id}, {when}, {author} <{email}>: {subject}").format(
            id=commit.id[:12], when=_when(commit, language), author=commit.author,
            email=commit.email, subject=commit.subject)
    record = f"{change.key}: " if change.key else ""
    return f"{change.path}: {record}{what} — {who}"


def audit_text(result: Audit, language: str) -> str:
    _ = gettext_for(language)
    lines = [_finding(change, language) for change in result.flagged]
    if result.since is not None:
        scope = _("since {revision}").format(revision=result.since)
    elif result.has_commits:
        scope = _("the whole history")
    else:
        scope = _("the repository has no commits yet")
    if result.clean:
        lines.append(_("No visit record was changed, removed or moved after it was recorded "
                       "({scope}; {commits} commit(s) checked).").format(
            scope=scope, commits=result.commits))
    else:
        lines.append(_("{count} visit record(s) changed, removed or moved after they were "
                       "recorded ({scope}; {commits} commit(s) checked).").format(
            count=len(result.flagged), scope=scope, commits=result.commits))
    return "\n".join(lines) + "\n"


def audit_json(result: Audit) -> str:
    rows = []
    for change in result.flagged:
        row = _row(change)
        row["before"], row["after"] = change.before, change.after
        rows.append(row)
    document = {"since": result.since, "commits_checked": result.commits,
                "clean": result.clean, "changes": rows}
    return json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n"
