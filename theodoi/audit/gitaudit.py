"""The audit trail in the data folder's git history: who changed which record, when.

Three git calls do all the reading, however long the history: one ``git log``
(``--raw -z``: for each commit the blob ids of each changed file, before and
after), one ``git cat-file --batch`` for every blob needed, and for the work
tree a ``git diff HEAD`` and a ``git ls-files``.  Records are then compared by
id, never line by line, so that an append (a new visit, a correction, an
acknowledgement) is told apart from an edit or a removal of a record made
earlier.

The journals are append-only: ``visits/``, ``corrections/`` (amendments and
withdrawals made through the tool, with their reasons), ``audit/`` (the
acknowledgements of findings), ``proposals/`` (the status changes of
difficulties and proposals) and ``plans/`` (the yearly programme, one file a
year).  A record of any of them changed, removed or
moved after it was written is a *finding*; a correction made through the
tool is an addition, listed by ``history`` and never a finding.  A finding
has an id derived from what changed (not from the commit), so that it keeps
its id from the work tree to the commit, and can be acknowledged once
reviewed: ``audit`` then stops failing on it while ``history`` still shows it.

The history followed is the main line (``--first-parent``): a change brought
in by a merge is shown once, under the merge commit, compared with the main
line before it; and every other parent of a merge is compared with the
merge too, so that a record one side wrote and the merge dropped is found.
git is read as stored (no replace refs, no grafts: see :mod:`theodoi.store.git`),
and the work tree file by file, by content.  Renames are not followed
(``--no-renames``): a record that leaves one day file for another within a
commit is reported as *moved*.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from theodoi.base import checks
from theodoi.base.periods import VIETNAM_TZ, DateError, date_key, parse_date
from theodoi.base.problems import Location, Problem, TheodoiError
from theodoi.followup.plans import PLAN_SCHEMA, PLANS_DIR
from theodoi.followup.proposals import PROPOSALS_DIR, STATUS_SCHEMA
from theodoi.registers.loader import (
    ASSIGNMENTS_FILE,
    CADRES_FILE,
    COMMUNES_FILE,
    require_data_folder,
)
from theodoi.store.dayfile import TEXT, Schema, append_record, folder_records, read_records
from theodoi.store.git import TOOL_TRAILER, Git
from theodoi.store.textfile import decode, display_path, read_bytes
from theodoi.store.yamlio import load_text
from theodoi.visits.corrections import CORRECTION_SCHEMA, CORRECTIONS_DIR
from theodoi.visits.records import VISIT_SCHEMA, VISITS_DIR

_NO_BLOB = "0" * 40
# Fields of a commit header, unit-separated; the message comes last because it
# is the only field that may hold line breaks.
_LOG_FORMAT = ("%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%G?%x1f"
               f"%(trailers:key={TOOL_TRAILER},valueonly,separator=%x2c)%x1f%B%x1f")

AUDIT_DIR = "audit"
ACKNOWLEDGEMENT_SCHEMA = Schema(
    noun="acknowledgements",
    fields={"id": TEXT, "finding": TEXT, "reason": TEXT, "by": TEXT, "recorded_at": TEXT},
    required=("id", "finding", "reason", "by", "recorded_at"),
    not_a_list=checks.ACKNOWLEDGEMENT_FILE_NOT_LIST,
)


class Area(StrEnum):
    VISIT = "visit"
    CORRECTION = "correction"
    ACKNOWLEDGEMENT = "acknowledgement"
    PROPOSAL = "proposal"  # a status change of a difficulty or proposal
    PLAN = "plan"  # a planned visit of the yearly programme
    ASSIGNMENT = "assignment"
    FILE = "file"  # assignments.yaml outside the list: decisions, settings, comments
    CADRE = "cadre"  # a line of cadres.csv, by id
    COMMUNE = "commune"  # communes.csv, edited
    REPOSITORY = "repository"  # the repository itself: replace refs, grafts, index flags


# Why a change is a finding beyond the journals' rule (a record changed after
# it was written): the names ``audit`` prints and its json gives as "alarm".
class Alarm(StrEnum):
    REPLACE_REF = "replace-ref"  # refs/replace/*: git would read forged contents
    GRAFTS = "grafts"  # info/grafts: git would read forged parents
    SHALLOW = "shallow"  # a shallow clone: the history before it cannot be checked
    INDEX_FLAG = "index-flag"  # skip-worktree or assume-unchanged on a data file
    LINK = "link"  # a data file that is a symbolic link
    MERGE_DROPPED = "merge-dropped"  # a record of a merged parent missing from the merge
    MERGE_CHANGED = "merge-changed"  # ... or different in it
    ACK_SAME_COMMIT = "acknowledged-in-same-commit"
    ACK_BEFORE_CHANGE = "acknowledged-before-change"
    PAST_ASSIGNMENT = "past-assignment-changed"  # by hand, a day already past
    CADRE_RENAMED = "cadre-renamed"
    CADRE_ID_REUSED = "cadre-id-reused"
    COMMUNES_EDITED = "communes-edited"  # outside theodoi reorganise


# The append-only journals, by folder, and how their records are read.
JOURNALS: dict[str, tuple[Area, Schema]] = {
    VISITS_DIR: (Area.VISIT, VISIT_SCHEMA),
    CORRECTIONS_DIR: (Area.CORRECTION, CORRECTION_SCHEMA),
    AUDIT_DIR: (Area.ACKNOWLEDGEMENT, ACKNOWLEDGEMENT_SCHEMA),
    PROPOSALS_DIR: (Area.PROPOSAL, STATUS_SCHEMA),
    PLANS_DIR: (Area.PLAN, PLAN_SCHEMA),
}


REGISTER_AREAS = {ASSIGNMENTS_FILE: Area.ASSIGNMENT, CADRES_FILE: Area.CADRE,
                  COMMUNES_FILE: Area.COMMUNE}


class ChangeKind(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    REMOVED = "removed"
    MOVED = "moved"
    UNREADABLE = "unreadable"  # one side cannot be read: its records cannot be compared
    FOUND = "found"  # a state of the repository or the work tree, not a change


@dataclass(frozen=True)
class Commit:
    id: str
    parents: tuple[str, ...]
    author: str
    email: str
    authored_at: str  # ISO 8601 as git gives it, with the author's offset
    committed_at: str
    signature: str  # git's %G?: G good, U good but untrusted, N none, B bad, E unverifiable...
    message: str
    tool: str = ""  # the command named by the Theodoi-Command trailer; "" made by hand

    @property
    def made_by(self) -> str:
        """``theodoi visit amend`` for a commit made through theodoi, else ``hand``."""
        return f"theodoi {self.tool}" if self.tool else "hand"

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    @property
    def committed(self) -> datetime:
        return datetime.fromisoformat(self.committed_at).astimezone(VIETNAM_TZ)


@dataclass(frozen=True)
class FileChange:
    """One line of ``git log --raw``: a file's blob before and after a commit."""

    status: str
    path: str  # relative to the repository root, POSIX
    old_blob: str | None
    new_blob: str | None
    link: bool = False  # the new version is a symbolic link (mode 120000)
    old_link: bool = False  # ... the old one


@dataclass(frozen=True)
class RecordChange:
    commit: Commit | None  # None: in the work tree, not committed yet
    area: Area
    kind: ChangeKind
    path: str
    old_path: str = ""
    key: str = ""  # a record's id; for an assignment "commune since"
    fields: tuple[str, ...] = ()  # the fields whose value changed
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    blobs: tuple[str, ...] = ()  # the versions compared: git's blob ids, before and after
    alarm: str = ""  # an Alarm: a finding whatever the kind
    parent: str = ""  # for a merge: the parent whose record the merge dropped or changed
    problem: Problem | None = None  # why a version is unreadable (file, version, line)

    @property
    def flagged(self) -> bool:
        """A journal record changed after it was written (edited, removed,
        moved), or anything the audit raises an alarm about."""
        return bool(self.alarm) or (self.area in (
            Area.VISIT, Area.CORRECTION, Area.ACKNOWLEDGEMENT, Area.PROPOSAL, Area.PLAN)
            and self.kind is not ChangeKind.ADDED)

    @property
    def finding(self) -> str:
        """The finding's id: a digest of what changed and of the versions compared
        (their blob ids), the same in the work tree and once committed, so that
        it can be acknowledged, and so that an acknowledgement covers these
        versions only: a later change of the same file is a new finding."""
        what = json.dumps([self.area.value, self.kind.value, self.path, self.old_path,
                           self.key, self.before, self.after, *self.blobs, self.alarm,
                           self.parent], ensure_ascii=False, sort_keys=True, default=str)
        return "F-" + hashlib.sha1(what.encode("utf-8")).hexdigest()[:10]

    def value(self, name: str) -> str:
        record = self.after if self.after is not None else self.before
        return "" if record is None or record.get(name) is None else str(record[name])

    def involves(self, commune: str | None = None, cadre: str | None = None) -> bool:
        records = [r for r in (self.before, self.after) if r is not None]
        if commune is not None and not any(str(r.get("commune")) == commune for r in records):
            return False
        return cadre is None or any(str(r.get("cadre")) == cadre for r in records)


@dataclass(frozen=True)
class Repository:
    root: Path
    prefix: str  # the data folder, relative to the root ("" when it is the root)
    git: Git

    def path(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    @property
    def pathspecs(self) -> list[str]:
        """The data: the journals and the three registers."""
        return [f":(literal){self.path(name)}" for name in (*JOURNALS, *REGISTER_AREAS)]

    def area_of(self, path: str) -> Area | None:
        for name, area in REGISTER_AREAS.items():
            if path == self.path(name):
                return area
        for folder, (area, _schema) in JOURNALS.items():
            if (path.startswith(self.path(folder) + "/") and path.endswith(".yaml")) or (
                    path == self.path(folder)):  # the folder itself, a link
                return area
        return None

    def run(self, args: list[str], check: bool = True) -> Any:
        return self.git.run(args, self.root, check)


def open_repository(data_dir: Path, git: Git) -> Repository:
    require_data_folder(data_dir)
    root = git.root(data_dir.resolve())
    if root is None:
        raise TheodoiError(checks.NO_HISTORY, Location(display_path(data_dir)))
    prefix = data_dir.resolve().relative_to(root.resolve()).as_posix()
    return Repository(root, "" if prefix == "." else prefix, git)


def has_commits(repo: Repository) -> bool:
    return repo.run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
                    check=False).returncode == 0


def resolve_revision(repo: Repository, revision: str) -> str | None:
    result = repo.run(["rev-parse", "--verify", "--quiet", "--end-of-options",
                       f"{revision}^{{commit}}"], check=False)
    return result.stdout.strip() if result.returncode == 0 else None


@dataclass(frozen=True)
class Since:
    """--since: a date (commits made on or after it, Viet Nam time) or a
    revision (commits after it); both commands take either."""

    text: str
    day: date | None = None
    revision: str | None = None


def parse_since(repo: Repository, text: str | None) -> Since | None:
    if text is None or not text.strip():
        return None
    try:
        return Since(text, day=parse_date(text))
    except DateError:
        pass
    if not has_commits(repo) or (commit := resolve_revision(repo, text)) is None:
        raise TheodoiError(checks.UNKNOWN_REVISION, revision=text)
    return Since(text, revision=commit)


# --- reading git -------------------------------------------------------------------------

def read_log(repo: Repository, since: Since | None = None, *, merges: bool = False,
             folder: str | None = None, every_branch: bool = False
             ) -> list[tuple[Commit, list[FileChange]]]:
    """Commits of the main line that touched the data (or one ``folder`` of
    it), oldest first; with ``merges``, every merge of the main line instead,
    whatever it changed (one that kept the main line's data as it was
    changes nothing there); with ``every_branch``, the commits of every
    branch merged in that touched the data, without their changes (for
    their signatures)."""
    if not has_commits(repo):
        return []
    revisions = [f"{since.revision}..HEAD"] if since and since.revision else ["HEAD"]
    paths = [f":(literal){repo.path(folder)}"] if folder else repo.pathspecs
    limit = ["--merges", "--no-patch"] if merges else ["--", *paths]
    walk = (["--full-history", "--no-patch"] if every_branch
            else ["--first-parent", "--diff-merges=first-parent", "--raw"])
    output = repo.run(["log", "--no-color", "--reverse", *walk, "--root", "--no-abbrev",
                       "--no-renames", "-z", f"--format={_LOG_FORMAT}", *revisions,
                       *limit]).stdout
    log = []
    for chunk in output.split("\x1e")[1:]:
        (commit_id, parents, author, email, authored, committed, signed, tool,
         rest) = chunk.split("\x1f", 8)
        message, _, raw = rest.rpartition("\x1f")
        commit = Commit(commit_id, tuple(parents.split()), author, email, authored, committed,
                        signed.strip(), message.strip(), tool.strip().split(",")[-1].strip())
        if since and since.day and commit.committed.date() < since.day:
            continue
        log.append((commit, _raw_changes(raw)))
    return log


def _raw_changes(raw: str) -> list[FileChange]:
    """``:old_mode new_mode old_blob new_blob status NUL path NUL`` entries."""
    tokens = raw.lstrip("\0\n").split("\0")
    changes = []
    for meta, path in zip(tokens[::2], tokens[1::2], strict=False):
        parts = meta.lstrip(":").split()
        if len(parts) < 5 or "160000" in parts[:2]:  # submodules hold no records
            continue
        old, new, status = parts[2], parts[3], parts[4][:1]
        changes.append(FileChange(status, path, None if old == _NO_BLOB else old,
                                  None if new == _NO_BLOB else new, parts[1] == "120000",
                                  parts[0] == "120000"))
    return changes


def read_blobs(repo: Repository, blob_ids: list[str]) -> dict[str, bytes]:
    """Many blobs in one ``git cat-file --batch`` rather than one process each."""
    wanted = list(dict.fromkeys(blob_ids))
    if not wanted:
        return {}
    out = repo.git.run_bytes(["cat-file", "--batch"], repo.root,
                             ("\n".join(wanted) + "\n").encode("ascii")).stdout
    blobs: dict[str, bytes] = {}
    position = 0
    for blob_id in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) == 3:
            size = int(header[2])
            blobs[blob_id] = out[position:position + size]
            position += size + 1  # the content is followed by a newline
    return blobs


# --- comparing records ---------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _document(content: bytes | None, name: str) -> Any:
    """The YAML of one version of a file: None if absent, raises if unreadable."""
    if content is None:
        return None
    text = decode(content, name)
    if not any(line.strip() and not line.lstrip().startswith("#")
               for line in text.splitlines()):
        return []  # empty, or comments only
    return load_text(text, name)


def journal_records(content: bytes | None, name: str, schema: Schema = VISIT_SCHEMA
                    ) -> dict[str, dict[str, Any]] | None:
    """Records of one version of a journal's day file by id, as the one reader
    sees them (every field as written, unknown ones too); None if unreadable."""
    if content is None:
        return {}
    result = read_records(content, name, schema)
    if not result.readable:
        return None
    records: dict[str, dict[str, Any]] = {}
    for position, record in enumerate(result.records, start=1):
        key = str(record.fields.get("id") or f"#{position}")
        records[key if key not in records else f"{key}#{position}"] = _plain(record.fields)
    return records


def _why_unreadable(content: bytes | None, path: str, blob: str | None, schema: Schema
                    ) -> Problem | None:
    """The problem that makes one version of a day file unreadable, named
    ``path@BLOB`` so that a reader finds that version (``git show BLOB``)."""
    if content is None:
        return None
    version = f"{path}@{blob[:12]}" if blob and not blob.startswith("unreadable:") else path
    result = read_records(content, version, schema)
    return next((p for p in result.problems if p.is_error), None)


def visit_records(content: bytes | None, name: str) -> dict[str, dict[str, Any]] | None:
    return journal_records(content, name, VISIT_SCHEMA)


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    return tuple(k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k))


def _old(contents: dict[str, bytes | None], change: FileChange) -> bytes | None:
    return contents.get(change.old_blob) if change.old_blob else None


def _new(contents: dict[str, bytes | None], change: FileChange) -> bytes | None:
    return contents.get(change.new_blob) if change.new_blob else None


def blob_id(content: bytes) -> str:
    """git's id of a blob holding ``content`` (what ``git hash-object`` gives
    without filters), so that the work tree's version of a file is named as
    its commit will name it."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


Located = dict[str, tuple[str, dict[str, Any], str | None]]  # id: (path, record, blob)


def _side(change: FileChange, contents: dict[str, bytes | None], schema: Schema, old: bool
          ) -> dict[str, dict[str, Any]] | None:
    blob = change.old_blob if old else change.new_blob
    if blob is None or (change.link and not old) or (change.old_link and old):
        return {}
    return journal_records(contents.get(blob), change.path, schema)


def _journal_changes(commit: Commit | None, area: Area, schema: Schema,
                     changes: list[FileChange], contents: dict[str, bytes | None],
                     readable: dict[str, str] | None = None) -> list[RecordChange]:
    """Record changes of one commit in one journal, moves between day files
    paired by id.  A version that cannot be read is compared, once repaired,
    with the last one that could (``readable``: path to blob, kept from
    commit to commit), so that a typo put right is no finding and a file
    "repaired" into other records is."""
    result: list[RecordChange] = []
    removed: Located = {}
    added: Located = {}
    last = {} if readable is None else readable
    for change in changes:
        old, new = _side(change, contents, schema, True), _side(change, contents, schema, False)
        if old is None and new is not None and change.path in last:
            change = replace(change, old_blob=last[change.path])
            old = _side(change, contents, schema, True)
        if new is not None and change.new_blob:
            last[change.path] = change.new_blob
        blobs = (change.old_blob or "", change.new_blob or "")
        if change.link:
            result.append(RecordChange(commit, area, ChangeKind.FOUND, change.path, blobs=blobs,
                                       alarm=Alarm.LINK))
        if old is None or new is None:
            kind = ChangeKind.UNREADABLE if change.old_blob else ChangeKind.ADDED
            side = _old(contents, change) if old is None else _new(contents, change)
            blob = change.old_blob if old is None else change.new_blob
            result.append(RecordChange(commit, area, kind, change.path, blobs=blobs,
                                       problem=_why_unreadable(side, change.path, blob, schema)))
            continue
        for key, record in old.items():
            if key not in new:
                removed[key] = (change.path, record, change.old_blob)
            elif new[key] != record:
                result.append(RecordChange(commit, area, ChangeKind.MODIFIED, change.path, "", key,
                                           _changed_fields(record, new[key]), record,
                                           new[key], blobs))
        for key, record in new.items():
            if key not in old:
                added[key] = (change.path, record, change.new_blob)
    return result + _paired(commit, area, added, removed)


def _paired(commit: Commit | None, area: Area, added: Located, removed: Located
            ) -> list[RecordChange]:
    """Records that left one file and came into another are moved."""
    result = []
    for key, (path, record, blob) in added.items():
        if key in removed:
            old_path, before, old_blob = removed.pop(key)
            result.append(RecordChange(commit, area, ChangeKind.MOVED, path, old_path, key,
                                       _changed_fields(before, record), before, record,
                                       (old_blob or "", blob or "")))
        else:
            result.append(RecordChange(commit, area, ChangeKind.ADDED, path, "", key, (), None,
                                       record, ("", blob or "")))
    for key, (path, record, blob) in removed.items():
        result.append(RecordChange(commit, area, ChangeKind.REMOVED, path, "", key, (), record,
                                   None, (blob or "", "")))
    return result


def _entries(document: Any) -> list[dict[str, Any]]:
    entries = document.get("assignments") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return []
    return [{"commune": str(e.get("commune") or ""), "cadre": str(e.get("cadre") or ""),
             "since": date_key(e.get("since")), "until": date_key(e.get("until")),
             "decision": str(e.get("decision") or "")}
            for e in entries if isinstance(e, dict)]


# The commands that may change a day already past in the registers: they
# record the decision (the assignment's ``decision``, the commit's trailers).
REGISTER_COMMANDS = ("assign", "swap", "vacate", "import assignments", "reorganise")


def _sanctioned(commit: Commit | None) -> bool:
    return commit is not None and any(
        commit.tool == name or commit.tool.endswith(" " + name) or commit.tool.startswith(
            name + " ") for name in REGISTER_COMMANDS)


def _past(value: Any, day: date) -> bool:
    return bool(value) and str(value) < day.isoformat()


def _alters_the_past(change: RecordChange, day: date) -> bool:
    """An entry of assignments.yaml whose change rewrites a day before ``day``
    (the commit's): a past line removed, a ``since`` or ``until`` already past
    moved, another field of a line already begun edited."""
    before, after = change.before or {}, change.after or {}
    if change.kind is ChangeKind.REMOVED:
        return _past(before.get("since"), day)
    if change.kind is not ChangeKind.MODIFIED:
        return False
    if "until" in change.fields and (_past(before.get("until"), day)
                                     or _past(after.get("until"), day)):
        return True
    return _past(before.get("since"), day) and bool(set(change.fields) - {"until"})


def _entry_changes(commit: Commit | None, change: FileChange, old_doc: Any, new_doc: Any,
                   day: date) -> list[RecordChange]:
    names = ("commune", "cadre", "since", "until", "decision")

    def counted(document: Any) -> Counter[tuple[str, ...]]:
        return Counter(tuple(e.values()) for e in _entries(document))

    old, new = counted(old_doc), counted(new_doc)
    gone = list((old - new).elements())
    came = list((new - old).elements())
    blobs = (change.old_blob or "", change.new_blob or "")
    result = []
    for entry in came:
        after = dict(zip(names, entry, strict=True))
        match = next((g for g in gone if g[:3] == entry[:3]), None)
        if match is not None:  # same commune, cadre and start: the entry was edited
            gone.remove(match)
            before = dict(zip(names, match, strict=True))
            result.append(RecordChange(commit, Area.ASSIGNMENT, ChangeKind.MODIFIED,
                                       change.path, "", f"{entry[0]} {entry[2]}",
                                       _changed_fields(before, after), before, after, blobs))
        else:
            result.append(RecordChange(commit, Area.ASSIGNMENT, ChangeKind.ADDED, change.path, "",
                                       f"{entry[0]} {entry[2]}", (), None, after, blobs))
    for entry in gone:
        before = dict(zip(names, entry, strict=True))
        result.append(RecordChange(commit, Area.ASSIGNMENT, ChangeKind.REMOVED, change.path, "",
                                   f"{entry[0]} {entry[2]}", (), before, None, blobs))
    if change.old_blob is None or _sanctioned(commit):
        return result
    return [replace(c, alarm=Alarm.PAST_ASSIGNMENT) if _alters_the_past(c, day) else c
            for c in result]


def _assignment_changes(commit: Commit | None, change: FileChange,
                        old_content: bytes | None, new_content: bytes | None, day: date
                        ) -> list[RecordChange]:
    """Entries of assignments.yaml added, ended or changed, and other edits of the file."""
    blobs = (change.old_blob or "", change.new_blob or "")
    try:
        old_doc = _document(old_content, change.path)
        new_doc = _document(new_content, change.path)
    except TheodoiError as exc:
        kind = ChangeKind.UNREADABLE if change.old_blob else ChangeKind.ADDED
        return [RecordChange(commit, Area.FILE, kind, change.path, blobs=blobs,
                             problem=exc.as_problem(change.path))]
    result = _entry_changes(commit, change, old_doc, new_doc, day)

    def rest(document: Any) -> dict[str, Any]:
        if not isinstance(document, dict):
            return {}
        return {k: _plain(v) for k, v in document.items() if k != "assignments"}

    other = _changed_fields(rest(old_doc), rest(new_doc))
    if other or not result:  # decisions or settings, or only comments and layout
        kind = ChangeKind.ADDED if change.old_blob is None else (
            ChangeKind.REMOVED if change.new_blob is None else ChangeKind.MODIFIED)
        result.append(RecordChange(commit, Area.FILE, kind, change.path, "", "", other,
                                   blobs=blobs))
    return result


def _csv_rows(content: bytes | None, name: str) -> dict[str, dict[str, str]] | None:
    """The rows of a register's CSV by their first column (a cadre's id, a
    commune's code); None if unreadable."""
    if content is None:
        return {}
    import csv
    import io

    try:
        rows = list(csv.DictReader(io.StringIO(decode(content, name))))
    except (TheodoiError, csv.Error):
        return None
    if not rows:
        return {}
    first = next(iter(rows[0]))
    return {str(row.get(first) or "").strip(): {str(k): str(v or "").strip()
                                                 for k, v in row.items()} for row in rows}


def _register_changes(commit: Commit | None, area: Area, change: FileChange,
                      contents: dict[str, bytes | None], names: dict[str, str]
                      ) -> list[RecordChange]:
    """A line of cadres.csv or communes.csv added, changed or removed.  A
    cadre renamed, or an id given to another name than it once had
    (``names``: every id's first name, kept from commit to commit), and
    communes.csv edited outside ``theodoi reorganise``, are findings."""
    blobs = (change.old_blob or "", change.new_blob or "")
    old = _csv_rows(_old(contents, change), change.path)
    new = _csv_rows(_new(contents, change), change.path)
    if old is None or new is None:
        kind = ChangeKind.UNREADABLE if change.old_blob else ChangeKind.ADDED
        return [RecordChange(commit, area, kind, change.path, blobs=blobs)]
    result = []
    for key in dict.fromkeys([*old, *new]):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        kind = (ChangeKind.ADDED if before is None
                else ChangeKind.REMOVED if after is None else ChangeKind.MODIFIED)
        fields = _changed_fields(before or {}, after or {}) if kind is ChangeKind.MODIFIED else ()
        alarm = ""
        if area is Area.CADRE:
            name = (after or {}).get("name", "")
            if kind is ChangeKind.MODIFIED and "name" in fields:
                alarm = Alarm.CADRE_RENAMED
            elif kind is ChangeKind.ADDED and names.get(key, name) != name:
                alarm = Alarm.CADRE_ID_REUSED
            if name:
                names.setdefault(key, name)
        elif change.old_blob is not None and not _sanctioned(commit):
            alarm = Alarm.COMMUNES_EDITED
        result.append(RecordChange(commit, area, kind, change.path, "", key, fields, before,
                                   after, blobs, alarm))
    return result


def _changes_of(repo: Repository, commit: Commit | None, changes: list[FileChange],
                contents: dict[str, bytes | None], day: date,
                names: dict[str, str] | None = None, readable: dict[str, str] | None = None
                ) -> list[RecordChange]:
    result: list[RecordChange] = []
    for area, schema in JOURNALS.values():
        journal = [c for c in changes if repo.area_of(c.path) is area]
        if journal:
            result += _journal_changes(commit, area, schema, journal, contents, readable)
    for change in changes:
        register = repo.area_of(change.path)
        if change.link and register in REGISTER_AREAS.values():
            result.append(RecordChange(commit, Area.FILE, ChangeKind.FOUND, change.path,
                                       blobs=(change.old_blob or "", change.new_blob or ""),
                                       alarm=Alarm.LINK))
        elif register is Area.ASSIGNMENT:
            result += _assignment_changes(commit, change, _old(contents, change),
                                          _new(contents, change), day)
        elif register in (Area.CADRE, Area.COMMUNE):
            result += _register_changes(commit, register, change, contents,
                                        {} if names is None else names)
    return result


def committed_changes(repo: Repository, log: list[tuple[Commit, list[FileChange]]]
                      ) -> list[RecordChange]:
    blob_ids = [b for _, changes in log for c in changes if repo.area_of(c.path)
                for b in (c.old_blob, c.new_blob) if b]
    contents: dict[str, bytes | None] = dict(read_blobs(repo, blob_ids))
    result: list[RecordChange] = []
    names: dict[str, str] = {}
    readable: dict[str, str] = {}
    for commit, changes in log:
        result += _changes_of(repo, commit, changes, contents, commit.committed.date(), names,
                              readable)
    return result


def _tree(repo: Repository, revision: str) -> dict[str, tuple[str, str]]:
    """The data files of a commit: path to (mode, blob id)."""
    listing = repo.run(["ls-tree", "-r", "-z", "--full-tree", revision, "--",
                        *repo.pathspecs]).stdout
    files = {}
    for entry in listing.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and repo.area_of(path):
            files[path] = (parts[0], parts[2])
    return files


def _on_disk(repo: Repository) -> dict[str, Path]:
    """The data files in the work tree, by path from the repository's root,
    links included (never followed), whatever git's index or ignore files say."""
    found: dict[str, Path] = {}
    for name in (*JOURNALS, *REGISTER_AREAS):
        top = repo.root / repo.path(name)
        if top.is_symlink() or top.is_file():
            found[repo.path(name)] = top
            continue
        for current, folders, files in os.walk(top):
            folders.sort()
            for file in files:
                path = Path(current) / file
                relative = path.relative_to(repo.root).as_posix()
                if repo.area_of(relative):
                    found[relative] = path
    return found


def _work_tree_change(path: str, committed: tuple[str, str] | None, disk: Path | None,
                      contents: dict[str, bytes | None]) -> FileChange | None:
    old_blob = committed[1] if committed else None
    old_link = committed is not None and committed[0] == "120000"
    if disk is None:
        return FileChange("D", path, old_blob, None, False, old_link)
    if disk.is_symlink():
        target = os.readlink(disk).encode("utf-8", "surrogateescape")
        new_blob = blob_id(target)
        if old_link and new_blob == old_blob:
            return FileChange("M", path, old_blob, new_blob, True, True)  # still a link
        return FileChange("M" if old_blob else "A", path, old_blob, new_blob, True, old_link)
    try:
        # bounded: never a FIFO, a device or a file over the limit
        content: bytes | None = read_bytes(disk)
    except TheodoiError:
        content = None
    new_blob = blob_id(content) if content is not None else "unreadable:" + path
    if new_blob == old_blob:
        return None
    contents[new_blob] = content
    return FileChange("M" if old_blob else "A", path, old_blob, new_blob, False, old_link)


def uncommitted_changes(repo: Repository, day: date | None = None) -> list[RecordChange]:
    """The work tree against the last commit, file by file by content (not
    through git's status, which a skip-worktree or assume-unchanged flag
    blinds); links are reported, never followed."""
    committed = _tree(repo, "HEAD") if has_commits(repo) else {}
    disk = _on_disk(repo)
    contents: dict[str, bytes | None] = {}
    changes = [change for path in sorted({*committed, *disk})
               if (change := _work_tree_change(path, committed.get(path), disk.get(path),
                                               contents)) is not None]
    contents.update(read_blobs(repo, [c.old_blob for c in changes
                                      if c.old_blob and not c.old_link]))
    today = day or (_head_day(repo) if committed else date.min)
    return _changes_of(repo, None, changes, contents, today)


def _head_day(repo: Repository) -> date:
    shown = repo.run(["show", "-s", "--format=%cI", "HEAD"]).stdout.strip()
    return datetime.fromisoformat(shown).astimezone(VIETNAM_TZ).date()


# --- the repository itself ---------------------------------------------------------------


def repository_findings(repo: Repository) -> list[RecordChange]:
    """What would make git show something other than what is stored, or hide
    the work tree from it: replace refs, a grafts file, a shallow clone, index
    flags on a data file.  theodoi's own git commands ignore replace refs and
    grafts; their presence is still a finding."""
    found = [RecordChange(None, Area.REPOSITORY, ChangeKind.FOUND, ref, key=ref.rsplit("/", 1)[-1],
                          blobs=(target,), alarm=Alarm.REPLACE_REF)
             for line in repo.run(["for-each-ref", "--format=%(refname) %(objectname)",
                                   "refs/replace/"]).stdout.splitlines()
             for ref, _, target in [line.partition(" ")]]
    # (--git-path would name GIT_GRAFT_FILE, which theodoi points at nothing.)
    common = repo.run(["rev-parse", "--git-common-dir"]).stdout.strip()
    grafts = repo.root / common / "info" / "grafts"
    if grafts.exists():
        found.append(RecordChange(None, Area.REPOSITORY, ChangeKind.FOUND, "info/grafts",
                                  blobs=(blob_id(grafts.read_bytes()),), alarm=Alarm.GRAFTS))
    shallow = repo.run(["rev-parse", "--is-shallow-repository"]).stdout.strip()
    if shallow == "true":
        found.append(RecordChange(None, Area.REPOSITORY, ChangeKind.FOUND, "shallow",
                                  alarm=Alarm.SHALLOW))
    listing = repo.run(["ls-files", "-v", "-z", "--", *repo.pathspecs]).stdout
    for entry in listing.split("\0"):
        tag, _, path = entry.partition(" ")
        if path and (tag == "S" or tag.islower()):
            flag = "skip-worktree" if tag.upper() == "S" else "assume-unchanged"
            found.append(RecordChange(None, Area.REPOSITORY, ChangeKind.FOUND, path, key=flag,
                                      alarm=Alarm.INDEX_FLAG))
    return found



# --- acknowledgements ------------------------------------------------------------------


@dataclass(frozen=True)
class Acknowledgement:
    id: str
    finding: str
    reason: str
    by: str
    recorded_at: str
    location: Location

    @property
    def day(self) -> date | None:
        from theodoi.base.periods import recorded_date

        return recorded_date(self.recorded_at)


def load_acknowledgements(data_dir: Path, problems: list[Problem] | None = None
                          ) -> dict[str, Acknowledgement]:
    """The findings reviewed, by finding id (the first acknowledgement counts),
    and into ``problems`` what validate reports of the files.  An
    acknowledgement is a record like any other of the journals: changing one
    is itself a finding."""
    folder = data_dir / AUDIT_DIR
    found: dict[str, Acknowledgement] = {}
    said = problems if problems is not None else []
    for record, name in folder_records(folder, ACKNOWLEDGEMENT_SCHEMA, said):
        if record.valid:
            ack = Acknowledgement(record.text("id"), record.text("finding"),
                                  record.text("reason"), record.text("by"),
                                  record.text("recorded_at"), Location(name, record.line))
            found.setdefault(ack.finding, ack)
    return found


def acknowledge(data_dir: Path, today: date, finding: str, reason: str, by: str,
                recorded_at: str) -> Any:
    """Append an acknowledgement to today's file under audit/ (atomic, locked)."""
    return append_record(data_dir, AUDIT_DIR, today, ACKNOWLEDGEMENT_SCHEMA, "A",
                         lambda new_id: {"id": new_id, "finding": finding, "reason": reason,
                                         "by": by, "recorded_at": recorded_at})


# --- merges: every parent ------------------------------------------------------------------


def merge_findings(repo: Repository, merges: list[tuple[Commit, list[FileChange]]],
                   changes: list[RecordChange]) -> list[RecordChange]:
    """Records of a merged parent (second and later) that the merge dropped or
    changed, when that parent had written or changed them since the merge
    base: a conflict resolved by keeping one side, a ``merge -s ours`` over a
    rewritten history.  The first parent is the main line, compared already."""
    flagged = {(c.commit.id, c.area, c.key) for c in changes if c.commit and c.flagged}
    result: list[RecordChange] = []
    for commit, _ in merges:
        for parent in commit.parents[1:]:
            result += _merged_parent(repo, commit, parent, flagged)
    return result


def _located(changes: list[FileChange], blobs: dict[str, str | None], schema: Schema,
             contents: dict[str, bytes]) -> Located:
    found: Located = {}
    for change in changes:
        blob = blobs.get(change.path)
        records = journal_records(contents.get(blob), change.path, schema) if blob else {}
        for key, record in (records or {}).items():
            found[key] = (change.path, record, blob)
    return found


def _merged_parent(repo: Repository, merge: Commit, parent: str,
                   flagged: set[tuple[str, Area, str]]) -> list[RecordChange]:
    raw = repo.run(["diff-tree", "-r", "-z", "--raw", "--no-abbrev", "--no-renames", parent,
                    merge.id, "--", *repo.pathspecs]).stdout
    changes = [c for c in _raw_changes(raw) if repo.area_of(c.path) in _JOURNAL_AREAS
               and not (c.link or c.old_link)]
    if not changes:
        return []
    bases = repo.run(["merge-base", merge.parents[0], parent], check=False).stdout.split()
    base_tree = _tree(repo, bases[0]) if bases else {}
    base = {c.path: base_tree[c.path][1] for c in changes
            if c.path in base_tree and base_tree[c.path][0] != "120000"}
    contents = read_blobs(repo, [b for c in changes for b in (c.old_blob, c.new_blob) if b]
                          + [b for b in base.values() if b])
    result = []
    for area, schema in JOURNALS.values():
        mine = [c for c in changes if repo.area_of(c.path) is area]
        theirs = _located(mine, {c.path: c.old_blob for c in mine}, schema, contents)
        merged = _located(mine, {c.path: c.new_blob for c in mine}, schema, contents)
        based = _located(mine, dict(base), schema, contents)
        for key, (path, record, blob) in theirs.items():
            now, was = merged.get(key), based.get(key)
            if (now is not None and now[1] == record) or (was is not None and was[1] == record) \
                    or (merge.id, area, key) in flagged:
                continue
            after = now[1] if now else None
            result.append(RecordChange(
                merge, area, ChangeKind.MODIFIED if now else ChangeKind.REMOVED,
                now[0] if now else path,
                "", key, _changed_fields(record, after) if after else (), record, after,
                (blob or "", now[2] or "" if now else ""),
                Alarm.MERGE_CHANGED if now else Alarm.MERGE_DROPPED, parent))
    return result


_JOURNAL_AREAS = tuple(area for area, _ in JOURNALS.values())


# --- acknowledgements bound to what they cover ---------------------------------------------


def bind_acknowledgements(changes: list[RecordChange],
                          acknowledged: dict[str, Acknowledgement]
                          ) -> tuple[dict[str, Acknowledgement], list[RecordChange]]:
    """The acknowledgements that count, and a finding for each that cannot:
    written in the same commit as the change it covers (the change and its
    excuse in one stroke), or before that change entered history."""
    order: dict[str | None, int] = {}
    for position, change in enumerate(changes):
        order.setdefault(change.commit.id if change.commit else None, position)
    entered = {c.key: c for c in changes if c.area is Area.ACKNOWLEDGEMENT
               and c.kind is ChangeKind.ADDED}
    findings = {c.finding: c for c in changes if c.flagged}
    valid: dict[str, Acknowledgement] = {}
    alarms = []
    for finding_id, ack in acknowledged.items():
        finding, added = findings.get(finding_id), entered.get(ack.id)
        if finding is None or added is None:  # outside --since, or nothing to bind
            valid[finding_id] = ack
            continue
        alarm = _ack_alarm(finding, added, order)
        if alarm:
            alarms.append(RecordChange(added.commit, Area.ACKNOWLEDGEMENT, ChangeKind.FOUND,
                                       added.path, "", ack.id, (), None, added.after,
                                       added.blobs, alarm))
        else:
            valid[finding_id] = ack
    return valid, alarms


def _ack_alarm(finding: RecordChange, added: RecordChange, order: dict[str | None, int]
               ) -> str:
    def position(change: RecordChange) -> int:
        return order[change.commit.id if change.commit else None]

    if position(added) == position(finding):
        return Alarm.ACK_SAME_COMMIT
    if position(added) < position(finding):
        return Alarm.ACK_BEFORE_CHANGE
    # The date it claims is not compared: the clock of whoever typed it is
    # no witness; the summary lists it in the week of its commit instead.
    return ""


def entered_history(changes: list[RecordChange]) -> dict[tuple[Area, str], Commit | None]:
    """The commit that brought each correction and acknowledgement into the
    history (None: not committed yet): the week it belongs to in a summary,
    and whether theodoi made it."""
    return {(c.area, c.key): c.commit for c in changes
            if c.area in (Area.CORRECTION, Area.ACKNOWLEDGEMENT) and c.kind is ChangeKind.ADDED}


def how_made(data_dir: Path, git: Git, folder: str = CORRECTIONS_DIR) -> dict[str, str] | None:
    """For each record of a journal, by id, how it entered the history: the
    command its commit names (``theodoi visit amend``), ``hand``, or absent
    when not committed yet.  None outside a git repository."""
    try:
        repo = open_repository(data_dir, git)
        changes = committed_changes(repo, read_log(repo, folder=folder))
    except TheodoiError:
        return None
    area = JOURNALS[folder][0]
    return {c.key: c.commit.made_by for c in changes
            if c.area is area and c.kind is ChangeKind.ADDED and c.commit is not None}


# --- the questions -------------------------------------------------------------------


@dataclass
class History:
    repository: Repository
    changes: list[RecordChange] = field(default_factory=list)
    commits: int = 0
    acknowledged: dict[str, Acknowledgement] = field(default_factory=dict)


def history(data_dir: Path, git: Git, since: str | None = None, today: date | None = None
            ) -> History:
    """Every change to the journals and registers, oldest first, merges' other
    parents, then the uncommitted ones and the state of the repository;
    findings carry their acknowledgements (those that count)."""
    repo = open_repository(data_dir, git)
    log = read_log(repo, parse_since(repo, since))
    changes = _all_changes(repo, log, today, parse_since(repo, since))
    acknowledged, alarms = bind_acknowledgements(changes, load_acknowledgements(data_dir))
    return History(repo, changes + alarms, len(log), acknowledged)


def _all_changes(repo: Repository, log: list[tuple[Commit, list[FileChange]]],
                 today: date | None, since: Since | None) -> list[RecordChange]:
    committed = committed_changes(repo, log)
    merges = read_log(repo, since, merges=True)
    merged = merge_findings(repo, merges, committed)
    if merged:  # under their merge commit, in the main line's order
        order = repo.run(["rev-list", "--first-parent", "--reverse", "HEAD"]).stdout.split()
        position = {commit: i for i, commit in enumerate(order)}
        committed = sorted(committed + merged, key=lambda c: position.get(c.commit.id, 0)
                           if c.commit else len(order))
    return committed + uncommitted_changes(repo, today) + repository_findings(repo)


@dataclass(frozen=True)
class AnchorCheck:
    anchor: str
    commit: str | None  # the full id, None when unknown here
    in_history: bool
    records: int  # visit records in the data at that commit
    expected: int | None = None  # the count quoted with it (--anchor SHA:COUNT)
    lost: tuple[str, ...] = ()  # records it held that today's tree lacks or holds changed

    @property
    def ok(self) -> bool:
        return self.in_history and not self.lost and self.expected in (None, self.records)


@dataclass
class Audit:
    repository: Repository
    since: str | None  # what --since said, None: the whole history
    commits: int
    has_commits: bool
    findings: list[RecordChange] = field(default_factory=list)
    acknowledged: dict[str, Acknowledgement] = field(default_factory=dict)
    anchor: AnchorCheck | None = None
    unsigned: list[Commit] = field(default_factory=list)  # with --require-signed
    pending: list[RecordChange] = field(default_factory=list)  # in the work tree
    changes: list[RecordChange] = field(default_factory=list)  # all, findings or not

    @property
    def open_findings(self) -> list[RecordChange]:
        return [f for f in self.findings if f.finding not in self.acknowledged]

    @property
    def acknowledged_findings(self) -> list[RecordChange]:
        return [f for f in self.findings if f.finding in self.acknowledged]

    @property
    def clean(self) -> bool:
        return (not self.open_findings and (self.anchor is None or self.anchor.ok)
                and not self.unsigned)

    # Kept for the reports that predate acknowledgements.
    @property
    def flagged(self) -> list[RecordChange]:
        return self.open_findings


def audit(data_dir: Path, git: Git, since: str | None = None, anchor: str | None = None,
          require_signed: bool = False, *, today: date | None = None) -> Audit:
    """Journal records changed, removed or moved after they were written,
    records a merge dropped, registers rewritten behind the tool's back, the
    state of the repository (replace refs, grafts, index flags, links), less
    the findings acknowledged; a quoted commit checked against today's
    history and tree; with ``require_signed`` the commits that touch the data
    without a good signature.  ``today`` dates the work tree's changes
    (default: the last commit's day)."""
    repo = open_repository(data_dir, git)
    committed = has_commits(repo)
    after = parse_since(repo, since)
    log = read_log(repo, after)
    changes = _all_changes(repo, log, today, after)
    acknowledged, alarms = bind_acknowledgements(changes, load_acknowledgements(data_dir))
    changes += alarms
    result = Audit(repo, since, len(log), committed, [c for c in changes if c.flagged],
                   acknowledged, pending=[c for c in changes if c.commit is None
                                          and c.area is not Area.REPOSITORY],
                   changes=changes)
    if anchor is not None:
        result.anchor = check_anchor(repo, anchor)
    if require_signed:
        result.unsigned = unsigned_commits(repo)
    return result


def unsigned_commits(repo: Repository) -> list[Commit]:
    """The commits without a good signature that touched the data, on every
    branch merged in (a clerk's clone too), and the main line's merges,
    whatever --since says: a signature covers the whole history."""
    found: dict[str, Commit] = {}
    for commit, _ in [*read_log(repo, every_branch=True), *read_log(repo, merges=True)]:
        found.setdefault(commit.id, commit)
    return [commit for commit in found.values() if commit.signature not in "GU"]


def check_anchor(repo: Repository, anchor: str) -> AnchorCheck:
    """Is the commit quoted in an earlier summary still in today's history,
    does today's tree hold every record it held, unchanged, and (given as
    ``SHA:COUNT``) did it hold the number of visit records quoted with it?
    A history rewritten and merged back with ``-s ours`` keeps the commit as
    an ancestor: its records tell."""
    given, expected = _anchor_parts(anchor)
    commit = resolve_revision(repo, given) if has_commits(repo) else None
    if commit is None:
        return AnchorCheck(anchor, None, False, 0, expected)
    ancestor = repo.run(["merge-base", "--is-ancestor", commit, "HEAD"], check=False)
    return AnchorCheck(anchor, commit, ancestor.returncode == 0, records_at(repo, commit),
                       expected, _lost_since(repo, commit))


def _anchor_parts(anchor: str) -> tuple[str, int | None]:
    revision, colon, count = anchor.strip().rpartition(":")
    if colon and count.isdigit():
        return revision, int(count)
    return anchor.strip(), None


def _lost_since(repo: Repository, commit: str) -> tuple[str, ...]:
    """The journal records held at ``commit`` that HEAD lacks or holds changed."""
    then, now = _tree(repo, commit), _tree(repo, "HEAD")
    differing = [p for p in then if repo.area_of(p) in _JOURNAL_AREAS and then[p] != now.get(p)]
    if not differing:
        return ()
    arrived = [p for p in now if repo.area_of(p) in _JOURNAL_AREAS and now[p] != then.get(p)]
    contents = read_blobs(repo, [then[p][1] for p in differing] + [now[p][1] for p in arrived])
    lost = []
    for area, schema in JOURNALS.values():
        def records(tree: dict[str, tuple[str, str]], paths: list[str],
                    schema: Schema = schema, area: Area = area) -> dict[str, Any]:
            found: dict[str, Any] = {}
            for path in paths:
                if repo.area_of(path) is area and tree[path][0] != "120000":
                    found.update(journal_records(contents.get(tree[path][1]), path, schema)
                                 or {})
            return found

        before, after = records(then, differing), records(now, arrived)
        lost += [key for key, record in before.items() if after.get(key) != record]
    return tuple(lost)


def records_at(repo: Repository, revision: str) -> int:
    """How many visit records the data held at a commit (the summary's fingerprint
    quotes this number with the commit)."""
    listing = repo.run(["ls-tree", "-r", "-z", "--full-tree", revision, "--",
                        repo.path(VISITS_DIR)]).stdout
    blobs = []
    for entry in listing.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and path.endswith(".yaml"):
            blobs.append((parts[2], path))
    contents = read_blobs(repo, [blob for blob, _ in blobs])
    total = 0
    for blob, path in blobs:
        records = journal_records(contents.get(blob), path)
        total += len(records or {})
    return total


def head(repo: Repository) -> str | None:
    return resolve_revision(repo, "HEAD") if has_commits(repo) else None


def data_head(repo: Repository) -> str | None:
    """The last commit that changed the data (the journals and the registers):
    the fingerprint of the data, which a commit of a report does not move."""
    if not has_commits(repo):
        return None
    registers = [f":(literal){repo.path(name)}" for name in ("communes.csv", "cadres.csv")]
    found = repo.run(["rev-list", "-1", "HEAD", "--", *repo.pathspecs, *registers])
    return found.stdout.strip() or resolve_revision(repo, "HEAD")
