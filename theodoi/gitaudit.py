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
line before it.  Renames are not followed (``--no-renames``): a record that
leaves one day file for another within a commit is reported as *moved*.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from theodoi import checks
from theodoi.corrections import CORRECTION_SCHEMA, CORRECTIONS_DIR
from theodoi.dayfile import TEXT, Schema, append_record, folder_records, read_records
from theodoi.git import Git
from theodoi.periods import VIETNAM_TZ, DateError, date_key, parse_date
from theodoi.plans import PLAN_SCHEMA, PLANS_DIR
from theodoi.problems import Location, Problem, TheodoiError
from theodoi.proposals import PROPOSALS_DIR, STATUS_SCHEMA
from theodoi.registers import ASSIGNMENTS_FILE, require_data_folder
from theodoi.textfile import decode, display_path, read_bytes
from theodoi.visits_store import VISIT_SCHEMA, VISITS_DIR
from theodoi.yamlio import load_text

_NO_BLOB = "0" * 40
WORK_TREE = "work-tree"  # the "blob" of a file as it is on disk, not committed
# Fields of a commit header, unit-separated; the message comes last because it
# is the only field that may hold line breaks.
_LOG_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%G?%x1f%B%x1f"

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


# The append-only journals, by folder, and how their records are read.
JOURNALS: dict[str, tuple[Area, Schema]] = {
    VISITS_DIR: (Area.VISIT, VISIT_SCHEMA),
    CORRECTIONS_DIR: (Area.CORRECTION, CORRECTION_SCHEMA),
    AUDIT_DIR: (Area.ACKNOWLEDGEMENT, ACKNOWLEDGEMENT_SCHEMA),
    PROPOSALS_DIR: (Area.PROPOSAL, STATUS_SCHEMA),
    PLANS_DIR: (Area.PLAN, PLAN_SCHEMA),
}


class Kind(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    REMOVED = "removed"
    MOVED = "moved"
    UNREADABLE = "unreadable"  # one side cannot be read: its records cannot be compared


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


@dataclass(frozen=True)
class RecordChange:
    commit: Commit | None  # None: in the work tree, not committed yet
    area: Area
    kind: Kind
    path: str
    old_path: str = ""
    key: str = ""  # a record's id; for an assignment "commune since"
    fields: tuple[str, ...] = ()  # the fields whose value changed
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    problem: Problem | None = None  # why a version is unreadable (file, version, line)

    @property
    def flagged(self) -> bool:
        """A journal record changed after it was written: edited, removed, moved."""
        return self.area in (Area.VISIT, Area.CORRECTION, Area.ACKNOWLEDGEMENT,
                             Area.PROPOSAL, Area.PLAN) and (
            self.kind is not Kind.ADDED)

    @property
    def finding(self) -> str:
        """The finding's id: a digest of what changed, the same in the work tree
        and once committed, so that it can be acknowledged."""
        what = json.dumps([self.area.value, self.kind.value, self.path, self.old_path,
                           self.key, self.before, self.after], ensure_ascii=False,
                          sort_keys=True, default=str)
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
        return [f":(literal){self.path(name)}" for name in (*JOURNALS, ASSIGNMENTS_FILE)]

    def area_of(self, path: str) -> Area | None:
        if path == self.path(ASSIGNMENTS_FILE):
            return Area.ASSIGNMENT
        for folder, (area, _schema) in JOURNALS.items():
            if path.startswith(self.path(folder) + "/") and path.endswith(".yaml"):
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

def read_log(repo: Repository, since: Since | None = None
             ) -> list[tuple[Commit, list[FileChange]]]:
    """Commits that touched the journals or assignments.yaml, oldest first."""
    if not has_commits(repo):
        return []
    revisions = [f"{since.revision}..HEAD"] if since and since.revision else ["HEAD"]
    output = repo.run(["log", "--no-color", "--reverse", "--first-parent",
                       "--diff-merges=first-parent", "--root", "--raw", "--no-abbrev",
                       "--no-renames", "-z", f"--format={_LOG_FORMAT}", *revisions,
                       "--", *repo.pathspecs]).stdout
    log = []
    for chunk in output.split("\x1e")[1:]:
        commit_id, parents, author, email, authored, committed, signed, rest = chunk.split(
            "\x1f", 7)
        message, _, raw = rest.rpartition("\x1f")
        commit = Commit(commit_id, tuple(parents.split()), author, email, authored, committed,
                        signed.strip(), message.strip())
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
                                  None if new == _NO_BLOB else new))
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
    version = f"{path}@{blob[:12]}" if blob and blob != WORK_TREE else path
    result = read_records(content, version, schema)
    return next((p for p in result.problems if p.is_error), None)


def visit_records(content: bytes | None, name: str) -> dict[str, dict[str, Any]] | None:
    return journal_records(content, name, VISIT_SCHEMA)


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    return tuple(k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k))


def _old(contents: dict[str, bytes | None], change: FileChange) -> bytes | None:
    return contents.get(change.old_blob) if change.old_blob else None


def _new(contents: dict[str, bytes | None], change: FileChange) -> bytes | None:
    if change.new_blob is None:
        return None
    return contents.get(f"file:{change.path}" if change.new_blob == WORK_TREE
                        else change.new_blob)


def _journal_changes(commit: Commit | None, area: Area, schema: Schema,
                     changes: list[FileChange], contents: dict[str, bytes | None]
                     ) -> list[RecordChange]:
    """Record changes of one commit in one journal, moves between day files
    paired by id."""
    result: list[RecordChange] = []
    removed: dict[str, tuple[str, dict[str, Any]]] = {}
    added: dict[str, tuple[str, dict[str, Any]]] = {}
    for change in changes:
        old = (journal_records(_old(contents, change), change.path, schema)
               if change.old_blob else {})
        new = (journal_records(_new(contents, change), change.path, schema)
               if change.new_blob else {})
        if old is None or new is None:
            kind = Kind.UNREADABLE if change.old_blob else Kind.ADDED
            side = _old(contents, change) if old is None else _new(contents, change)
            blob = change.old_blob if old is None else change.new_blob
            result.append(RecordChange(commit, area, kind, change.path,
                                       problem=_why_unreadable(side, change.path, blob, schema)))
            continue
        for key, record in old.items():
            if key not in new:
                removed[key] = (change.path, record)
            elif new[key] != record:
                result.append(RecordChange(commit, area, Kind.MODIFIED, change.path, "", key,
                                           _changed_fields(record, new[key]), record,
                                           new[key]))
        for key, record in new.items():
            if key not in old:
                added[key] = (change.path, record)
    for key, (path, record) in added.items():
        if key in removed:
            old_path, before = removed.pop(key)
            result.append(RecordChange(commit, area, Kind.MOVED, path, old_path, key,
                                       _changed_fields(before, record), before, record))
        else:
            result.append(RecordChange(commit, area, Kind.ADDED, path, "", key, (), None,
                                       record))
    for key, (path, record) in removed.items():
        result.append(RecordChange(commit, area, Kind.REMOVED, path, "", key, (), record,
                                   None))
    return result


def _entries(document: Any) -> list[dict[str, Any]]:
    entries = document.get("assignments") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return []
    return [{"commune": str(e.get("commune") or ""), "cadre": str(e.get("cadre") or ""),
             "since": date_key(e.get("since")), "until": date_key(e.get("until")),
             "decision": str(e.get("decision") or "")}
            for e in entries if isinstance(e, dict)]


def _assignment_changes(commit: Commit | None, change: FileChange,
                        old_content: bytes | None, new_content: bytes | None
                        ) -> list[RecordChange]:
    """Entries of assignments.yaml added, ended or changed, and other edits of the file."""
    try:
        old_doc = _document(old_content, change.path)
        new_doc = _document(new_content, change.path)
    except TheodoiError as exc:
        kind = Kind.UNREADABLE if change.old_blob else Kind.ADDED
        return [RecordChange(commit, Area.FILE, kind, change.path,
                             problem=exc.as_problem(change.path))]

    def counted(document: Any) -> Counter[tuple[str, ...]]:
        return Counter(tuple(e.values()) for e in _entries(document))

    names = ("commune", "cadre", "since", "until", "decision")
    old, new = counted(old_doc), counted(new_doc)
    gone = list((old - new).elements())
    came = list((new - old).elements())
    result = []
    for entry in came:
        after = dict(zip(names, entry, strict=True))
        match = next((g for g in gone if g[:3] == entry[:3]), None)
        if match is not None:  # same commune, cadre and start: the entry was edited
            gone.remove(match)
            before = dict(zip(names, match, strict=True))
            result.append(RecordChange(commit, Area.ASSIGNMENT, Kind.MODIFIED, change.path, "",
                                       f"{entry[0]} {entry[2]}", _changed_fields(before, after),
                                       before, after))
        else:
            result.append(RecordChange(commit, Area.ASSIGNMENT, Kind.ADDED, change.path, "",
                                       f"{entry[0]} {entry[2]}", (), None, after))
    for entry in gone:
        before = dict(zip(names, entry, strict=True))
        result.append(RecordChange(commit, Area.ASSIGNMENT, Kind.REMOVED, change.path, "",
                                   f"{entry[0]} {entry[2]}", (), before, None))

    def rest(document: Any) -> dict[str, Any]:
        if not isinstance(document, dict):
            return {}
        return {k: _plain(v) for k, v in document.items() if k != "assignments"}

    other = _changed_fields(rest(old_doc), rest(new_doc))
    if other or not result:  # decisions or settings, or only comments and layout
        kind = Kind.ADDED if change.old_blob is None else (
            Kind.REMOVED if change.new_blob is None else Kind.MODIFIED)
        result.append(RecordChange(commit, Area.FILE, kind, change.path, "", "", other))
    return result


def _changes_of(repo: Repository, commit: Commit | None, changes: list[FileChange],
                contents: dict[str, bytes | None]) -> list[RecordChange]:
    result: list[RecordChange] = []
    for area, schema in JOURNALS.values():
        journal = [c for c in changes if repo.area_of(c.path) is area]
        if journal:
            result += _journal_changes(commit, area, schema, journal, contents)
    for change in changes:
        if repo.area_of(change.path) is Area.ASSIGNMENT:
            result += _assignment_changes(commit, change, _old(contents, change),
                                          _new(contents, change))
    return result


def committed_changes(repo: Repository, log: list[tuple[Commit, list[FileChange]]]
                      ) -> list[RecordChange]:
    blob_ids = [b for _, changes in log for c in changes if repo.area_of(c.path)
                for b in (c.old_blob, c.new_blob) if b]
    contents: dict[str, bytes | None] = dict(read_blobs(repo, blob_ids))
    result: list[RecordChange] = []
    for commit, changes in log:
        result += _changes_of(repo, commit, changes, contents)
    return result


def uncommitted_changes(repo: Repository) -> list[RecordChange]:
    """Changes in the work tree (staged or not) against the last commit."""
    changes: list[FileChange] = []
    if has_commits(repo):
        raw = repo.run(["diff", "HEAD", "--raw", "--no-abbrev", "--no-renames", "-z",
                        "--no-color", "--no-ext-diff", "--", *repo.pathspecs]).stdout
        for change in _raw_changes(raw):
            # The work-tree side is read from disk (git does not hash it).
            changes.append(FileChange(change.status, change.path, change.old_blob,
                                      None if change.status == "D" else WORK_TREE))
        listing = ["ls-files", "--others", "--exclude-standard", "-z"]
    else:
        listing = ["ls-files", "--cached", "--others", "--exclude-standard", "-z"]
    for path in repo.run([*listing, "--", *repo.pathspecs]).stdout.split("\0"):
        if path:
            changes.append(FileChange("A", path, None, WORK_TREE))
    changes = [c for c in changes if repo.area_of(c.path)]
    contents: dict[str, bytes | None] = dict(
        read_blobs(repo, [c.old_blob for c in changes if c.old_blob]))
    for change in changes:
        if change.new_blob == WORK_TREE:
            try:  # bounded: never a FIFO, a device or a file over the limit
                contents[f"file:{change.path}"] = read_bytes(repo.root / change.path)
            except TheodoiError:
                contents[f"file:{change.path}"] = None
    return _changes_of(repo, None, changes, contents)


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
        from theodoi.periods import recorded_date

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


# --- the questions -------------------------------------------------------------------


@dataclass
class History:
    repository: Repository
    changes: list[RecordChange] = field(default_factory=list)
    commits: int = 0
    acknowledged: dict[str, Acknowledgement] = field(default_factory=dict)


def history(data_dir: Path, git: Git, since: str | None = None) -> History:
    """Every change to the journals and assignments, oldest first, then the
    uncommitted ones; findings carry their acknowledgements."""
    repo = open_repository(data_dir, git)
    log = read_log(repo, parse_since(repo, since))
    return History(repo, committed_changes(repo, log) + uncommitted_changes(repo), len(log),
                   load_acknowledgements(data_dir))


@dataclass(frozen=True)
class AnchorCheck:
    anchor: str
    commit: str | None  # the full id, None when unknown here
    in_history: bool
    records: int  # visit records in the data at that commit

    @property
    def ok(self) -> bool:
        return self.in_history


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
          require_signed: bool = False) -> Audit:
    """Journal records changed, removed or moved after they were written (less
    those acknowledged), a quoted commit checked against today's history, and
    with ``require_signed`` the commits that touch the data without a good
    signature."""
    repo = open_repository(data_dir, git)
    committed = has_commits(repo)
    log = read_log(repo, parse_since(repo, since))
    pending = uncommitted_changes(repo)
    changes = committed_changes(repo, log) + pending
    result = Audit(repo, since, len(log), committed, [c for c in changes if c.flagged],
                   load_acknowledgements(data_dir), pending=pending)
    if anchor is not None:
        result.anchor = check_anchor(repo, anchor)
    if require_signed:
        everything = log if since is None else read_log(repo)
        result.unsigned = [commit for commit, _ in everything if commit.signature not in "GU"]
    return result


def check_anchor(repo: Repository, anchor: str) -> AnchorCheck:
    """Is the commit quoted in an earlier summary still an ancestor of HEAD?
    A history rewritten and force-pushed loses it (or leaves it aside)."""
    commit = resolve_revision(repo, anchor) if has_commits(repo) else None
    if commit is None:
        return AnchorCheck(anchor, None, False, 0)
    ancestor = repo.run(["merge-base", "--is-ancestor", commit, "HEAD"], check=False)
    return AnchorCheck(anchor, commit, ancestor.returncode == 0, records_at(repo, commit))


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
