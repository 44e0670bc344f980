"""``theodoi sync``: one history for several machines, through a git remote.

Step by step, in the data folder's repository:

1. the remote is the current branch's upstream, else ``origin``, else the
   only remote; with none, the error says how to add one;
2. the data folder must have no uncommitted change (what is not committed
   cannot be sent, and a merge must not mix with it); a ``.gitattributes``
   that does not name the merge driver yet gets its lines, committed;
3. ``git fetch``; unreachable, nothing here has changed;
4. ``git merge`` of the remote's branch: the journals merge record by record
   (the driver of :mod:`theodoi.audit.merge_driver`); any conflict, in a journal or
   in ``assignments.yaml``, undoes the merge and says what each side holds;
5. the result is validated and audited; a failure undoes the merge, and
   nothing is sent;
6. ``git push``; refused because the remote moved meanwhile, back to 3 (a
   few times).

What came in and what went out are counted as records added by the commits
of each side (visits, corrections, status changes, acknowledgements, plans,
other files) with their authors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from theodoi.base import checks
from theodoi.base.i18n import N_
from theodoi.base.problems import Msg, Problem, TheodoiError
from theodoi.store.git import Git

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
ATTEMPTS = 3


@dataclass
class Tally:
    """Records added between two commits, by journal, and who added them."""

    visits: int = 0
    corrections: int = 0
    statuses: int = 0
    acknowledgements: int = 0
    plans: int = 0
    files: int = 0  # other files added or changed: reports, registers
    authors: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.visits or self.corrections or self.statuses or self.acknowledgements
                    or self.plans or self.files)


@dataclass
class Synced:
    remote: str
    branch: str
    incoming: Tally
    outgoing: Tally
    attempts: int
    attributes_added: bool = False  # .gitattributes was written and committed first


@dataclass(frozen=True)
class Place:
    """The repository, the data folder in it, and what it syncs with."""

    root: Path
    data: str  # the data folder relative to the root ("" or "data")
    branch: str
    remote: str
    remote_branch: str

    @property
    def tracking(self) -> str:
        return f"refs/remotes/{self.remote}/{self.remote_branch}"


def locate(data_dir: Path, git: Git) -> Place:
    """Where to sync, or the error that says what is missing."""
    root = git.root(data_dir.resolve()) if data_dir.is_dir() else None
    if root is None:
        raise TheodoiError(checks.NOT_IN_GIT, folder=str(data_dir))
    branch = git.run(["symbolic-ref", "--short", "-q", "HEAD"], root, check=False).stdout.strip()
    if not branch:
        raise TheodoiError(checks.SYNC_NO_BRANCH, folder=str(root))
    remotes = git.run(["remote"], root).stdout.split()
    configured = _config(git, root, f"branch.{branch}.remote")
    remote = configured if configured in remotes else (
        "origin" if "origin" in remotes else (remotes[0] if len(remotes) == 1 else ""))
    if not remote:
        raise TheodoiError(checks.SYNC_NO_REMOTE, folder=str(root))
    merge = _config(git, root, f"branch.{branch}.merge") if configured == remote else ""
    data = data_dir.resolve().relative_to(root.resolve()).as_posix()
    return Place(root, "" if data == "." else data, branch, remote,
                 merge.removeprefix("refs/heads/") or branch)


def _config(git: Git, root: Path, key: str) -> str:
    return git.run(["config", "--get", key], root, check=False).stdout.strip()


def require_committed(place: Place, git: Git) -> None:
    """Refuse when the data folder has changes git does not hold yet."""
    status = git.run(["status", "--porcelain", "-z", "--untracked-files=all", "--",
                      place.data or "."], place.root).stdout
    pending = [entry[3:] for entry in status.split("\0") if len(entry) > 3]
    if pending:
        raise TheodoiError(checks.SYNC_UNCOMMITTED, files=", ".join(pending[:5])
                           + (" …" if len(pending) > 5 else ""))


def fetch(place: Place, git: Git) -> str | None:
    """Fetch the remote; its branch's commit, or None when it has none yet."""
    # An explicit refspec: the remote-tracking branch is updated whatever the
    # remote's configured refspecs say (a remote added by hand may have none).
    refspec = f"+refs/heads/{place.remote_branch}:{place.tracking}"
    fetched = git.run(["fetch", "--quiet", place.remote, refspec], place.root, check=False)
    if fetched.returncode != 0 and "couldn't find remote ref" in fetched.stderr:
        return None  # an empty repository on the server: nothing to merge yet
    if fetched.returncode != 0:
        raise TheodoiError(checks.SYNC_UNREACHABLE, remote=place.remote,
                           url=_config(git, place.root, f"remote.{place.remote}.url"),
                           reason=_last_line(fetched.stderr))
    return revision(git, place.root, place.tracking)


def revision(git: Git, root: Path, name: str) -> str | None:
    found = git.run(["rev-parse", "--verify", "-q", f"{name}^{{commit}}"], root, check=False)
    return found.stdout.strip() or None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "?"


def is_ancestor(git: Git, root: Path, older: str, newer: str) -> bool:
    return git.run(["merge-base", "--is-ancestor", older, newer], root,
                   check=False).returncode == 0


def merge(place: Place, git: Git, theirs: str) -> None:
    """Merge the remote's branch into HEAD; on a conflict the merge is undone
    and the error says what each side holds."""
    message = f"Đồng bộ: gộp {place.remote}/{place.remote_branch}"
    merged = git.run(["merge", "--no-edit", "-m", message, theirs], place.root, check=False)
    if merged.returncode == 0:
        return
    conflicted = git.run(["diff", "--name-only", "--diff-filter=U", "-z"], place.root,
                         check=False).stdout.split("\0")
    conflicted = [name for name in conflicted if name]
    error = _conflict(place, git, conflicted, merged.stdout + merged.stderr)
    git.run(["merge", "--abort"], place.root, check=False)
    raise error


def _conflict(place: Place, git: Git, files: list[str], output: str) -> TheodoiError:
    assignments = _in_data(place, "assignments.yaml")
    if assignments in files:
        ours, theirs = (_decisions_added(git, place.root, assignments, stage)
                        for stage in (2, 3))
        return TheodoiError(checks.SYNC_ASSIGNMENTS_CONFLICT, remote=place.remote,
                            ours=ours, theirs=theirs, file=assignments)
    said = [line.strip() for line in output.splitlines() if line.startswith("theodoi:")]
    return TheodoiError(checks.SYNC_CONFLICT, remote=place.remote,
                        files=", ".join(files) or "?",
                        reason="; ".join(said) or _last_line(output))


def _decisions_added(git: Git, root: Path, path: str, stage: int) -> Msg:
    """What one side of a conflicted assignments.yaml adds to the ancestor, in
    words: the numbers of its new decisions, and how many assignment entries."""
    base, side = (_decisions(git, root, path, n) for n in (1, stage))
    numbers = [number for number in side[0] if number not in base[0]]
    entries = len(set(side[1]) - set(base[1]))
    if not numbers:
        return Msg(N_("no new decision ({entries} assignment entries changed)"),
                   {"entries": entries})
    return Msg(N_("decision {numbers} ({entries} assignment entries changed)"),
               {"numbers": ", ".join(numbers), "entries": entries})


def _decisions(git: Git, root: Path, path: str, stage: int) -> tuple[list[str], list[str]]:
    """The decision numbers and assignment entries of one stage of a conflict."""
    from theodoi.store.yamlio import load_text

    shown = git.run(["show", f":{stage}:{path}"], root, check=False)
    try:
        document = load_text(shown.stdout, path) if shown.returncode == 0 else {}
    except TheodoiError:
        document = {}
    if not isinstance(document, dict):
        return [], []
    decisions = document.get("decisions") or []
    entries = document.get("assignments") or []
    numbers = [str(d.get("number")) for d in decisions if isinstance(d, dict)]
    return numbers, [repr(sorted(e.items(), key=str)) for e in entries if isinstance(e, dict)]


def _in_data(place: Place, name: str) -> str:
    return f"{place.data}/{name}" if place.data else name


def undo(place: Place, git: Git, before: str) -> None:
    """Back to ``before`` (the tree was clean before the merge, so nothing of
    the clerk's is lost: the merge alone goes)."""
    git.run(["reset", "--quiet", "--keep", before], place.root)


def push(place: Place, git: Git, theirs: str | None) -> bool:
    """Push HEAD; False when refused because the remote moved since ``theirs``
    (a non-fast-forward, or a ref that changed under the push), else raises."""
    pushed = git.run(["push", "--quiet", "--porcelain", place.remote,
                      f"HEAD:refs/heads/{place.remote_branch}"], place.root, check=False)
    if pushed.returncode == 0:
        return True
    moved = fetch(place, git)
    if moved != theirs:
        return False
    raise TheodoiError(checks.SYNC_PUSH_FAILED, remote=place.remote,
                       reason=_refusal(pushed.stdout + "\n" + pushed.stderr))


def _refusal(output: str) -> str:
    """git's reason for refusing a push: its porcelain line, else its last error."""
    for line in output.splitlines():
        if line.startswith("!\t"):
            return line.split("\t")[-1]
    return _last_line(output)


def set_upstream(place: Place, git: Git) -> None:
    """Remember the remote's branch as this branch's upstream (a first sync)."""
    if not _config(git, place.root, f"branch.{place.branch}.remote"):
        git.run(["branch", "--quiet", f"--set-upstream-to={place.remote}/{place.remote_branch}"],
                place.root, check=False)


def ensure_attributes(place: Place, git: Git) -> bool:
    """A data folder made before the merge driver has no ``.gitattributes``
    naming it, and git would merge its journals line by line: write the lines
    ``theodoi init`` writes and commit them, before any merge (git reads the
    attributes of the work tree).  True when it did."""
    from theodoi.store.atomic import write_atomically
    from theodoi.store.sharing import DRIVER, GITATTRIBUTES

    probe = _in_data(place, "visits/2000/2000-01-01.yaml")
    said = git.run(["check-attr", "merge", "--", probe], place.root).stdout.strip()
    if said.endswith(f": merge: {DRIVER}"):
        return False
    if git.identity(place.root) is None:  # refused before writing, not after
        raise TheodoiError(checks.NO_GIT_IDENTITY, folder=str(place.root))
    path = place.root / _in_data(place, ".gitattributes")
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    separator = "\n" if old and not old.endswith("\n") else ""
    write_atomically(path, (old + separator + GITATTRIBUTES).encode("utf-8"))
    git.commit([path], "Gộp nhật ký theo từng bản ghi (theodoi sync)", place.root)
    return True


# --- counting what moved ------------------------------------------------------------------


def tally(place: Place, git: Git, old: str | None, new: str) -> Tally:
    """Records added from ``old`` (None: nothing) to ``new`` in the data folder."""
    from theodoi.audit.gitaudit import JOURNALS, Area, journal_records

    result = Tally()
    base = old or EMPTY_TREE
    changed = git.run(["diff", "--name-only", "--no-renames", "-z", base, new, "--",
                       place.data or "."], place.root).stdout.split("\0")
    fields = {Area.VISIT: "visits", Area.CORRECTION: "corrections", Area.PROPOSAL: "statuses",
              Area.ACKNOWLEDGEMENT: "acknowledgements", Area.PLAN: "plans"}
    for path in filter(None, changed):
        relative = PurePosixPath(path).relative_to(place.data) if place.data else \
            PurePosixPath(path)
        journal = JOURNALS.get(relative.parts[0]) if len(relative.parts) > 1 else None
        if journal is None:
            result.files += 1
            continue
        area, schema = journal
        before = journal_records(_blob(git, place.root, old, path), path, schema) or {}
        after = journal_records(_blob(git, place.root, new, path), path, schema) or {}
        added = len(set(after) - set(before))
        setattr(result, fields[area], getattr(result, fields[area]) + added)
    range_ = f"{old}..{new}" if old else new
    names = git.run(["log", "--no-merges", "--format=%an", range_, "--", place.data or "."],
                    place.root).stdout.splitlines()
    result.authors = list(dict.fromkeys(reversed(names)))
    return result


def _blob(git: Git, root: Path, commit: str | None, path: str) -> bytes | None:
    if commit is None:
        return None
    shown = git.run(["cat-file", "-e", f"{commit}:{path}"], root, check=False)
    if shown.returncode != 0:
        return None
    return git.run_bytes(["cat-file", "blob", f"{commit}:{path}"], root, b"").stdout


# --- the whole ------------------------------------------------------------------------------


def sync(data_dir: Path, git: Git, check: CheckMerged) -> Synced:
    """Fetch, merge, check, push (see the module's text); raises TheodoiError."""
    place = locate(data_dir, git)
    require_committed(place, git)
    attributes_added = ensure_attributes(place, git)
    incoming = Tally()
    for attempt in range(1, ATTEMPTS + 1):
        theirs = fetch(place, git)
        before = revision(git, place.root, "HEAD")
        if theirs is not None and before is not None and not is_ancestor(
                git, place.root, theirs, before):
            _merge_checked(place, git, check, data_dir, before, theirs)
            _add(incoming, tally(place, git, before, _head(place, git)))
        head = _head(place, git)
        outgoing = tally(place, git, theirs, head) if theirs != head else Tally()
        if theirs == head or push(place, git, theirs):
            set_upstream(place, git)
            return Synced(place.remote, place.remote_branch, incoming, outgoing, attempt,
                          attributes_added)
    raise TheodoiError(checks.SYNC_PUSH_FAILED, remote=place.remote,
                       reason=f"{place.remote} kept moving ({ATTEMPTS} attempts)")


def _merge_checked(place: Place, git: Git, check: CheckMerged, data_dir: Path, before: str,
                   theirs: str) -> None:
    """Merge ``theirs``; undo it if the merged folder has errors or findings that
    neither side had.  What was already wrong here (an annex still being entered,
    a register error after the reform) does not stop the office's sync: it is
    what validate and audit report, with or without a merge."""
    baseline = check.problems(data_dir)
    merge(place, git, theirs)
    failure = check(data_dir, baseline)
    if failure is not None:
        undo(place, git, before)
        raise TheodoiError(checks.SYNC_MERGE_FAILS, remote=place.remote, reason=failure)


def _head(place: Place, git: Git) -> str:
    head = revision(git, place.root, "HEAD")
    if head is None:
        raise TheodoiError(checks.GIT_FAILED, command="rev-parse", reason="HEAD")
    return head


def _add(total: Tally, more: Tally) -> None:
    for name in ("visits", "corrections", "statuses", "acknowledgements", "plans", "files"):
        setattr(total, name, getattr(total, name) + getattr(more, name))
    total.authors = list(dict.fromkeys([*total.authors, *more.authors]))


class CheckMerged:
    """Validate and audit a merged data folder against the folder before the
    merge: None when the merge brought no new error or finding, else what it brought."""

    def __init__(self, git: Git, today: date, cache_dir: Path | None):
        self.git = git
        self.today = today
        self.cache_dir = cache_dir

    def problems(self, data_dir: Path) -> Found:
        """The errors validate finds (named without their lines, which a merge of
        day files moves) and the audit's open findings."""
        from theodoi.audit.gitaudit import audit
        from theodoi.workspace.validation import validate

        result = validate(data_dir, self.today, self.today, self.cache_dir)
        errors = {_signature(p): p for p in result.problems if p.is_error}
        findings = {f.finding for f in audit(data_dir, self.git).open_findings}
        return Found(errors, findings)

    def __call__(self, data_dir: Path, before: Found) -> Msg | None:
        after = self.problems(data_dir)
        new_errors = [p for key, p in after.errors.items() if key not in before.errors]
        if new_errors:
            first = sorted(new_errors, key=lambda p: p.sort_key())[0]
            return Msg(N_("the merge brings {count} new errors (the first: {problem})"),
                       {"count": len(new_errors), "problem": Msg(
                           "{location}: {label} [{code}]: {message}",
                           {"location": first.location, "label": Msg(N_("error")),
                            "code": first.code,
                            "message": Msg(first.check.template, first.params)})})
        new_findings = after.findings - before.findings
        if new_findings:
            return Msg(N_("the merge leaves {count} records changed or removed after they "
                          "were written"), {"count": len(new_findings)})
        return None


@dataclass(frozen=True)
class Found:
    errors: dict[tuple[str, str, str], Problem]
    findings: set[str]


def _signature(problem: Problem) -> tuple[str, str, str]:
    return (problem.code, problem.location.file,
            repr(sorted((k, str(v)) for k, v in problem.params.items())))

