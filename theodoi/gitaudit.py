"""The audit trail in the data folder's git history: who changed which record, when.

Three git calls do all the reading, however long the history: one ``git log``
(``--raw -z``: for each commit the blob ids of each changed file, before and
after), one ``git cat-file --batch`` for every blob needed, and for the work
tree a ``git diff HEAD`` and a ``git ls-files``.  Records are then compared by
id, never line by line, so that an append (a new visit) is told apart from an
edit or a removal of a visit recorded earlier.

The history followed is the main line (``--first-parent``): a change brought
in by a merge is shown once, under the merge commit, compared with the main
line before it.  Renames are not followed (``--no-renames``): a visit that
leaves one day file for another within a commit is reported as *moved*, and a
move counts as a change after the fact, since the record's place (its day)
changed.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from theodoi import checks
from theodoi.dayfile import read_records
from theodoi.git import git_environment, repository_root, run_git
from theodoi.periods import VIETNAM_TZ, date_key
from theodoi.problems import Location, TheodoiError
from theodoi.registers import ASSIGNMENTS_FILE, require_data_folder
from theodoi.textfile import decode, display_path
from theodoi.visits_store import VISIT_SCHEMA, VISITS_DIR
from theodoi.yamlio import load_text

_NO_BLOB = "0" * 40
WORK_TREE = "work-tree"  # the "blob" of a file as it is on disk, not committed
# Fields of a commit header, unit-separated; the message comes last because it
# is the only field that may hold line breaks.
_LOG_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%B%x1f"


class Area(StrEnum):
    VISIT = "visit"
    ASSIGNMENT = "assignment"
    FILE = "file"  # assignments.yaml outside the list: decisions, settings, comments


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
    key: str = ""  # a visit's id; for an assignment "commune since"
    fields: tuple[str, ...] = ()  # the fields whose value changed
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None

    @property
    def flagged(self) -> bool:
        """A visit changed after it was first recorded: edited, removed, moved."""
        return self.area is Area.VISIT and self.kind is not Kind.ADDED

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

    def path(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    @property
    def pathspecs(self) -> list[str]:
        return [f":(literal){self.path(VISITS_DIR)}", f":(literal){self.path(ASSIGNMENTS_FILE)}"]

    def area_of(self, path: str) -> Area | None:
        if path == self.path(ASSIGNMENTS_FILE):
            return Area.ASSIGNMENT
        if path.startswith(self.path(VISITS_DIR) + "/") and path.endswith(".yaml"):
            return Area.VISIT
        return None


def open_repository(data_dir: Path) -> Repository:
    require_data_folder(data_dir)
    root = repository_root(data_dir.resolve())
    if root is None:
        raise TheodoiError(checks.NO_HISTORY, Location(display_path(data_dir)))
    prefix = data_dir.resolve().relative_to(root.resolve()).as_posix()
    return Repository(root, "" if prefix == "." else prefix)


def has_commits(repo: Repository) -> bool:
    return run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], repo.root,
                   check=False).returncode == 0


def resolve_revision(repo: Repository, revision: str) -> str:
    result = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options",
                      f"{revision}^{{commit}}"], repo.root, check=False)
    if result.returncode != 0:
        raise TheodoiError(checks.UNKNOWN_REVISION, revision=revision)
    return result.stdout.strip()


# --- reading git -------------------------------------------------------------------------

def read_log(repo: Repository, revisions: list[str] | None = None
             ) -> list[tuple[Commit, list[FileChange]]]:
    """Commits that touched the visits or assignments.yaml, oldest first."""
    if not has_commits(repo):
        return []
    output = run_git(["log", "--no-show-signature", "--no-color", "--reverse", "--first-parent",
                      "--diff-merges=first-parent", "--root", "--raw", "--no-abbrev",
                      "--no-renames", "-z", f"--format={_LOG_FORMAT}", *(revisions or ["HEAD"]),
                      "--", *repo.pathspecs], repo.root).stdout
    log = []
    for chunk in output.split("\x1e")[1:]:
        commit_id, parents, author, email, authored, committed, rest = chunk.split("\x1f", 6)
        message, _, raw = rest.rpartition("\x1f")
        commit = Commit(commit_id, tuple(parents.split()), author, email, authored, committed,
                        message.strip())
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
    try:
        result = subprocess.run(["git", "cat-file", "--batch"], cwd=repo.root,
                                env=git_environment(), capture_output=True,
                                input=("\n".join(wanted) + "\n").encode("ascii"))
    except FileNotFoundError as exc:
        raise TheodoiError(checks.GIT_MISSING) from exc
    if result.returncode != 0:
        raise TheodoiError(checks.GIT_FAILED, command="cat-file",
                           reason=result.stderr.decode("utf-8", "replace").strip())
    blobs: dict[str, bytes] = {}
    out, position = result.stdout, 0
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


def visit_records(content: bytes | None, name: str) -> dict[str, dict[str, Any]] | None:
    """Records of one version of a day file by id, as the one reader sees them
    (every field as written, unknown ones too); None if it cannot be read."""
    if content is None:
        return {}
    result = read_records(content, name, VISIT_SCHEMA)
    if not result.readable:
        return None
    records: dict[str, dict[str, Any]] = {}
    for position, record in enumerate(result.records, start=1):
        key = str(record.fields.get("id") or f"#{position}")
        records[key if key not in records else f"{key}#{position}"] = record.fields
    return records


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    return tuple(k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k))


def _old(contents: dict[str, bytes | None], change: FileChange) -> bytes | None:
    return contents.get(change.old_blob) if change.old_blob else None


def _new(contents: dict[str, bytes | None], change: FileChange) -> bytes | None:
    if change.new_blob is None:
        return None
    return contents.get(f"file:{change.path}" if change.new_blob == WORK_TREE
                        else change.new_blob)


def _visit_changes(commit: Commit | None, changes: list[FileChange],
                   contents: dict[str, bytes | None]) -> list[RecordChange]:
    """Visit changes of one commit, moves between day files paired by id."""
    result: list[RecordChange] = []
    removed: dict[str, tuple[str, dict[str, Any]]] = {}
    added: dict[str, tuple[str, dict[str, Any]]] = {}
    for change in changes:
        old = visit_records(_old(contents, change), change.path) if change.old_blob else {}
        new = visit_records(_new(contents, change), change.path) if change.new_blob else {}
        if old is None or new is None:
            kind = Kind.UNREADABLE if change.old_blob else Kind.ADDED
            result.append(RecordChange(commit, Area.VISIT, kind, change.path))
            continue
        for key, record in old.items():
            if key not in new:
                removed[key] = (change.path, record)
            elif new[key] != record:
                result.append(RecordChange(commit, Area.VISIT, Kind.MODIFIED, change.path, "",
                                           key, _changed_fields(record, new[key]), record,
                                           new[key]))
        for key, record in new.items():
            if key not in old:
                added[key] = (change.path, record)
    for key, (path, record) in added.items():
        if key in removed:
            old_path, before = removed.pop(key)
            result.append(RecordChange(commit, Area.VISIT, Kind.MOVED, path, old_path, key,
                                       _changed_fields(before, record), before, record))
        else:
            result.append(RecordChange(commit, Area.VISIT, Kind.ADDED, path, "", key, (),
                                       None, record))
    for key, (path, record) in removed.items():
        result.append(RecordChange(commit, Area.VISIT, Kind.REMOVED, path, "", key, (),
                                   record, None))
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
    except TheodoiError:
        kind = Kind.UNREADABLE if change.old_blob else Kind.ADDED
        return [RecordChange(commit, Area.FILE, kind, change.path)]

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
    visits = [c for c in changes if repo.area_of(c.path) is Area.VISIT]
    result = _visit_changes(commit, visits, contents)
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
        raw = run_git(["diff", "HEAD", "--raw", "--no-abbrev", "--no-renames", "-z", "--no-color",
                       "--no-ext-diff", "--", *repo.pathspecs], repo.root).stdout
        for change in _raw_changes(raw):
            # The work-tree side is read from disk (git does not hash it).
            changes.append(FileChange(change.status, change.path, change.old_blob,
                                      None if change.status == "D" else WORK_TREE))
        listing = ["ls-files", "--others", "--exclude-standard", "-z"]
    else:
        listing = ["ls-files", "--cached", "--others", "--exclude-standard", "-z"]
    for path in run_git([*listing, "--", *repo.pathspecs], repo.root).stdout.split("\0"):
        if path:
            changes.append(FileChange("A", path, None, WORK_TREE))
    changes = [c for c in changes if repo.area_of(c.path)]
    contents: dict[str, bytes | None] = dict(
        read_blobs(repo, [c.old_blob for c in changes if c.old_blob]))
    for change in changes:
        if change.new_blob == WORK_TREE:
            try:
                contents[f"file:{change.path}"] = (repo.root / change.path).read_bytes()
            except OSError:
                contents[f"file:{change.path}"] = None
    return _changes_of(repo, None, changes, contents)


# --- the two questions -------------------------------------------------------------------

@dataclass
class History:
    repository: Repository
    changes: list[RecordChange] = field(default_factory=list)
    commits: int = 0


def history(data_dir: Path, since: date | None = None) -> History:
    """Every change to visits and assignments, oldest first, then the uncommitted ones."""
    repo = open_repository(data_dir)
    log = read_log(repo)
    if since is not None:
        log = [(commit, changes) for commit, changes in log
               if commit.committed.date() >= since]
    return History(repo, committed_changes(repo, log) + uncommitted_changes(repo), len(log))


@dataclass
class Audit:
    repository: Repository
    since: str | None  # the revision checked from, None: the whole history
    commits: int
    has_commits: bool
    flagged: list[RecordChange] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.flagged


def audit(data_dir: Path, since_revision: str | None = None) -> Audit:
    """Visit records edited, removed or moved after they were recorded."""
    repo = open_repository(data_dir)
    committed = has_commits(repo)
    revisions = None
    if since_revision is not None:
        if not committed:
            raise TheodoiError(checks.UNKNOWN_REVISION, revision=since_revision)
        revisions = [f"{resolve_revision(repo, since_revision)}..HEAD"]
    log = read_log(repo, revisions)
    changes = committed_changes(repo, log) + uncommitted_changes(repo)
    return Audit(repo, since_revision, len(log), committed, [c for c in changes if c.flagged])
