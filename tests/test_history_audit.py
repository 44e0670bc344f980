"""`theodoi history` and `theodoi audit` on real git repositories.

Every repository is made with `git init` in a temporary folder and real
commits whose authors and dates are set through GIT_AUTHOR_* and
GIT_COMMITTER_*; the user's own git configuration is kept out.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import REPO, invoke, write_data_folder

from theodoi.audit.gitaudit import Area, ChangeKind, open_repository, read_log
from theodoi.audit.gitaudit import audit as audit_of
from theodoi.audit.gitaudit import history as history_of
from theodoi.base.periods import VIETNAM_TZ
from theodoi.cli.main import main
from theodoi.store.git import Git

CLERK = ("Nông Thị Văn Thư", "vanthu@backan.gov.vn")


def audit(data: Path, since: str | None = None):  # noqa: ANN201 - the library's Audit
    return audit_of(data, Git(git_environment()), since)


def history(data: Path, since: str | None = None):  # noqa: ANN201 - the library's History
    return history_of(data, Git(git_environment()), since)
OTHER = ("Lò Văn Sửa", "lovansua@example.com")


def git_environment(author: tuple[str, str] = CLERK, when: datetime | None = None
                    ) -> dict[str, str]:
    """Who commits and when; no system or global git configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
                "GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1],
                "GIT_COMMITTER_NAME": author[0], "GIT_COMMITTER_EMAIL": author[1]})
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    return env


class GitRepo:
    """A real repository in a temporary folder, with a clock for commit dates."""

    def __init__(self, root: Path):
        self.root = root
        self.clock = datetime(2025, 3, 1, 9, 0, tzinfo=VIETNAM_TZ)
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, author: tuple[str, str] = CLERK) -> str:
        result = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True,
                                env=git_environment(author, self.clock), check=True)
        return result.stdout

    def commit(self, message: str, author: tuple[str, str] = CLERK) -> str:
        """Commit everything in the work tree, one hour after the previous commit."""
        self.clock += timedelta(hours=1)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, author=author)
        return self.git("rev-parse", "HEAD").strip()


def visit(visit_id: str, commune: str = "02068", cadre: str = "CB01",
          notes: str = "Làm việc với Đảng ủy xã") -> str:
    day = f"{visit_id[2:6]}-{visit_id[6:8]}-{visit_id[8:10]}"
    return (f"- id: {visit_id}\n  date: {day}\n  cadre: {cadre}\n  commune: \"{commune}\"\n"
            f"  kind: working\n  notes: {notes}\n")


def day_path(data: Path, day: str) -> Path:
    path = data / "visits" / day[:4] / f"{day}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """Data in a subfolder ``data/`` of the repository, as in a shared office repo."""
    repository = GitRepo(tmp_path / "office")
    write_data_folder(repository.root / "data")
    repository.commit("Khởi tạo dữ liệu theo Quyết định 1391-QĐ/TU")
    return repository


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in git_environment().items():
        monkeypatch.setenv(name, value)
    for name in [n for n in os.environ if n.startswith("GIT_") and n not in git_environment()]:
        monkeypatch.delenv(name)
    monkeypatch.delenv("THEODOI_DATA", raising=False)
    monkeypatch.delenv("THEODOI_LANG", raising=False)


def cli(capsys: pytest.CaptureFixture[str], *args: str, lang: str = "en"
        ) -> tuple[int, str, str]:
    code = main([*args, "--lang", lang])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_appended_visits_are_not_tampering(capsys, repo: GitRepo) -> None:
    data = repo.root / "data"
    path = day_path(data, "2025-03-10")
    append(path, visit("V-20250310-001"))
    repo.commit("Ghi chuyến công tác V-20250310-001")
    append(path, visit("V-20250310-002", "02020", "CB02"))
    repo.commit("Ghi chuyến công tác V-20250310-002", author=OTHER)
    code, out, err = cli(capsys, "audit", "--data", str(data))
    assert (code, err) == (0, "")
    assert out == ("No record was changed, removed or moved after it was written without "
                   "being acknowledged (the whole history; 3 commits checked).\n")
    result = history(data)
    visits = [(c.kind, c.key, c.commit.author, c.commit.subject) for c in result.changes
              if c.area is Area.VISIT]
    assert visits == [
        (ChangeKind.ADDED, "V-20250310-001", CLERK[0], "Ghi chuyến công tác V-20250310-001"),
        (ChangeKind.ADDED, "V-20250310-002", OTHER[0], "Ghi chuyến công tác V-20250310-002")]


def test_an_edited_visit_is_reported_with_who_and_when(capsys, repo: GitRepo) -> None:
    data = repo.root / "data"
    path = day_path(data, "2025-03-10")
    append(path, visit("V-20250310-001") + visit("V-20250310-002", "02020", "CB02"))
    repo.commit("Ghi hai chuyến công tác ngày 10/03/2025")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "cadre: CB02\n  commune: \"02020\"\n  kind: working\n  notes: Làm việc với Đảng ủy xã",
        "cadre: CB02\n  commune: \"02020\"\n  kind: survey\n  notes: Khảo sát thực tế"),
        encoding="utf-8")
    edit = repo.commit("Sửa nội dung chuyến công tác", author=OTHER)
    code, out, _ = cli(capsys, "audit", "--data", str(data))
    assert code == 1
    [finding] = audit(data).findings
    assert finding.finding.startswith("F-") and len(finding.finding) == 12
    assert out.splitlines() == [
        f"{finding.finding}  data/visits/2025/2025-03-10.yaml: V-20250310-002: changed after it "
        f"was written (kind, notes) — commit {edit[:12]}, 2025-03-01 12:00, Lò Văn Sửa "
        f"<lovansua@example.com>: Sửa nội dung chuyến công tác",
        'To accept a finding once reviewed: theodoi audit acknowledge FINDING --reason "..."',
        "1 record changed, removed or moved after it was written "
        "(the whole history; 3 commits checked)."]
    code, out, _ = cli(capsys, "audit", "--data", str(data), lang="vi")
    assert code == 1
    assert f"V-20250310-002: bị sửa sau khi đã ghi (kind, notes) — commit {edit[:12]}, " \
           f"01/03/2025 12:00, Lò Văn Sửa" in out
    code, out, _ = cli(capsys, "audit", "--data", str(data), "--format", "json")
    report = json.loads(out)
    assert (code, report["clean"], report["commits_checked"], report["since"]) == (
        1, False, 3, None)
    [row] = report["findings"]
    assert row["open"] is True and row["finding"] == audit(data).findings[0].finding
    assert {k: row[k] for k in ("commit", "author", "change", "record", "fields", "flagged")} \
        == {"commit": edit, "author": OTHER[0], "change": "modified",
            "record": "V-20250310-002", "fields": ["kind", "notes"], "flagged": True}
    assert (row["before"]["kind"], row["after"]["kind"]) == ("working", "survey")
    code, out, _ = cli(capsys, "history", "--data", str(data), "--cadre", "CB02", lang="vi")
    finding = audit(data).findings[0].finding
    assert out.splitlines()[-2:] == [
        "  ! sửa        chuyến công tác V-20250310-002 (02020, CB02, 10/03/2025) — trường bị "
        "sửa: kind, notes   [data/visits/2025/2025-03-10.yaml]  <- bị thay đổi sau khi đã ghi "
        f"({finding})",
        "1 bản ghi bị sửa, xóa hay chuyển chỗ sau khi đã ghi (đánh dấu !)."]


def test_a_removed_visit_is_reported(repo: GitRepo) -> None:
    data = repo.root / "data"
    path = day_path(data, "2025-03-10")
    append(path, visit("V-20250310-001") + visit("V-20250310-002", "02020", "CB02"))
    repo.commit("Ghi hai chuyến công tác")
    path.write_text(visit("V-20250310-001"), encoding="utf-8")
    removal = repo.commit("Xóa một chuyến công tác")
    day_path(data, "2025-03-10").unlink()
    whole_file = repo.commit("Xóa cả tệp ngày 10/03/2025")
    result = audit(data)
    assert [(c.kind, c.key, c.commit.id) for c in result.flagged] == [
        (ChangeKind.REMOVED, "V-20250310-002", removal), (ChangeKind.REMOVED, "V-20250310-001", whole_file)]
    assert result.flagged[0].before["cadre"] == "CB02"


def test_moves_between_day_files_are_reported_as_moved(repo: GitRepo) -> None:
    data = repo.root / "data"
    first, second = day_path(data, "2025-03-10"), day_path(data, "2025-03-11")
    append(first, visit("V-20250310-001") + visit("V-20250310-002", "02020", "CB02"))
    repo.commit("Ghi hai chuyến công tác")
    # The second visit moves to another day file, unchanged; then a whole file is renamed.
    first.write_text(visit("V-20250310-001"), encoding="utf-8")
    second.write_text(visit("V-20250310-002", "02020", "CB02"), encoding="utf-8")
    moved = repo.commit("Chuyển chuyến công tác sang ngày 11/03")
    repo.git("mv", str(first.relative_to(repo.root)),
             str(first.with_name("2025-03-09.yaml").relative_to(repo.root)))
    renamed = repo.commit("Đổi tên tệp")
    result = audit(data)
    assert [(c.kind, c.key, c.old_path, c.path, c.fields, c.commit.id) for c in result.flagged] == [
        (ChangeKind.MOVED, "V-20250310-002", "data/visits/2025/2025-03-10.yaml",
         "data/visits/2025/2025-03-11.yaml", (), moved),
        (ChangeKind.MOVED, "V-20250310-001", "data/visits/2025/2025-03-10.yaml",
         "data/visits/2025/2025-03-09.yaml", (), renamed)]


def test_since_a_revision(repo: GitRepo, capsys) -> None:
    data = repo.root / "data"
    path = day_path(data, "2025-03-10")
    append(path, visit("V-20250310-001"))
    repo.commit("Ghi chuyến công tác")
    path.write_text(visit("V-20250310-001", notes="Sửa lần một"), encoding="utf-8")
    first_edit = repo.commit("Sửa lần một")
    repo.git("tag", "tuan-10")
    append(path, visit("V-20250310-002", "02020", "CB02"))
    repo.commit("Ghi chuyến công tác thứ hai")
    assert audit(data, "tuan-10").clean
    assert [c.commit.id for c in audit(data).flagged] == [first_edit]
    path.write_text(visit("V-20250310-001", notes="Sửa lần hai") + visit(
        "V-20250310-002", "02020", "CB02"), encoding="utf-8")
    second_edit = repo.commit("Sửa lần hai")
    assert [c.commit.id for c in audit(data, "tuan-10").flagged] == [second_edit]
    assert audit(data, "tuan-10").commits == 2
    code, _, err = cli(capsys, "audit", "--data", str(data), "--since", "no-such-tag")
    assert code == 2 and "'no-such-tag' is not a commit of this repository" in err


def test_uncommitted_changes_are_reported_too(capsys, repo: GitRepo) -> None:
    data = repo.root / "data"
    path = day_path(data, "2025-03-10")
    append(path, visit("V-20250310-001"))
    repo.commit("Ghi chuyến công tác")
    path.write_text(visit("V-20250310-001", notes="Sửa mà chưa commit"), encoding="utf-8")
    append(day_path(data, "2025-03-12"), visit("V-20250312-001"))  # new, untracked: fine
    code, out, _ = cli(capsys, "audit", "--data", str(data), lang="vi")
    assert code == 1
    finding = audit(data).findings[0].finding
    assert out.splitlines()[0] == (f"{finding}  data/visits/2025/2025-03-10.yaml: V-20250310-001: "
                                   "bị sửa sau khi đã ghi (notes) — chưa commit")
    changes = history(data).changes
    assert [(c.commit, c.kind, c.key) for c in changes if c.commit is None] == [
        (None, ChangeKind.MODIFIED, "V-20250310-001"), (None, ChangeKind.ADDED, "V-20250312-001")]
    # Staged or not, a removal in the work tree counts as well.
    repo.git("rm", "-q", "--cached", str(path.relative_to(repo.root)))
    path.unlink()
    assert [(c.kind, c.key) for c in audit(data).flagged] == [
        (ChangeKind.REMOVED, "V-20250310-001")]


def test_repository_without_commits(capsys, tmp_path: Path) -> None:
    repository = GitRepo(tmp_path / "new")
    data = write_data_folder(repository.root)
    append(day_path(data, "2025-03-10"), visit("V-20250310-001"))
    code, out, _ = cli(capsys, "audit", "--data", str(data))
    assert code == 0
    assert "the repository has no commits yet; 0 commits checked" in out
    result = history(data)
    assert [(c.commit, c.area, c.kind, c.key) for c in result.changes if c.area is Area.VISIT] \
        == [(None, Area.VISIT, ChangeKind.ADDED, "V-20250310-001")]


def test_not_a_git_repository(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "plain")
    for command in ("audit", "history"):
        # Given to the command only: git must run in the command's environment.
        result = invoke(command, "--data", str(data),
                        env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
        assert (result.returncode, result.stdout) == (1, ""), result.stderr
        assert result.stderr == (
            f"theodoi: lỗi [no-history]: {data}: thư mục dữ liệu không nằm trong kho git nên "
            "không có lịch sử để đọc (chạy 'git init' trong thư mục rồi commit các tệp)\n")


def test_data_folder_at_the_repository_root(tmp_path: Path) -> None:
    repository = GitRepo(tmp_path / "root")
    data = write_data_folder(repository.root)
    (repository.root / "README.md").write_text("Kho dữ liệu theo dõi địa bàn\n")
    repository.commit("Khởi tạo")
    append(day_path(data, "2025-03-10"), visit("V-20250310-001"))
    repository.commit("Ghi chuyến công tác")
    assert open_repository(data, Git(git_environment())).prefix == ""
    assert [(c.path, c.key) for c in history(data).changes if c.area is Area.VISIT] == [
        ("visits/2025/2025-03-10.yaml", "V-20250310-001")]
    # Files outside visits/ and assignments.yaml are not part of the trail.
    assert all(c.path != "README.md" for c in history(data).changes)


def test_a_merged_edit_is_reported_under_the_merge(repo: GitRepo) -> None:
    data = repo.root / "data"
    path = day_path(data, "2025-03-10")
    append(path, visit("V-20250310-001"))
    repo.commit("Ghi chuyến công tác")
    repo.git("checkout", "-q", "-b", "may-van-thu")
    path.write_text(visit("V-20250310-001", notes="Sửa trên nhánh"), encoding="utf-8")
    repo.commit("Sửa trên nhánh", author=OTHER)
    repo.git("checkout", "-q", "main")
    append(day_path(data, "2025-03-11"), visit("V-20250311-001"))
    repo.commit("Ghi chuyến công tác ngày 11/03")
    repo.clock += timedelta(hours=1)
    repo.git("merge", "-q", "--no-edit", "may-van-thu")
    merge = repo.git("rev-parse", "HEAD").strip()
    result = audit(data)
    assert [(c.kind, c.key, c.commit.id, len(c.commit.parents)) for c in result.flagged] == [
        (ChangeKind.MODIFIED, "V-20250310-001", merge, 2)]


def test_an_unreadable_version_is_flagged(repo: GitRepo) -> None:
    data = repo.root / "data"
    path = day_path(data, "2025-03-10")
    append(path, visit("V-20250310-001"))
    repo.commit("Ghi chuyến công tác")
    path.write_text("- id: [unclosed\n", encoding="utf-8")
    broken = repo.commit("Hỏng tệp")
    assert [(c.kind, c.key, c.commit.id) for c in audit(data).flagged] == [
        (ChangeKind.UNREADABLE, "", broken)]


def test_history_of_a_replacement(capsys, repo: GitRepo) -> None:
    data = repo.root / "data"
    text = (data / "assignments.yaml").read_text(encoding="utf-8")
    (data / "assignments.yaml").write_text(text.replace(
        '{commune: "02068", cadre: CB01, since: 2024-08-29, decision: 1391-QĐ/TU}',
        '{commune: "02068", cadre: CB01, since: 2024-08-29, until: 2025-03-14, '
        'decision: 1391-QĐ/TU}\n  - {commune: "02068", cadre: CB02, since: 2025-03-15}'),
        encoding="utf-8")
    replacement = repo.commit("Thay thế cán bộ theo dõi Xã Đại Sảo")
    rows = [(c.area, c.kind, c.key, c.fields) for c in history(data).changes
            if c.commit is not None and c.commit.id == replacement]
    assert rows == [(Area.ASSIGNMENT, ChangeKind.MODIFIED, "02068 2024-08-29", ("until",)),
                    (Area.ASSIGNMENT, ChangeKind.ADDED, "02068 2025-03-15", ())]
    code, out, _ = cli(capsys, "history", "--data", str(data), "--commune", "Đại Sảo")
    assert code == 0
    assert out.splitlines() == [
        "2025-03-01 10:00  " + repo.git("rev-parse", "HEAD~1").strip()[:12]
        + "  Nông Thị Văn Thư <vanthu@backan.gov.vn>  Khởi tạo dữ liệu theo Quyết định "
        "1391-QĐ/TU",
        "    added      assignment 02068: CB01, 2024-08-29   [data/assignments.yaml]",
        f"2025-03-01 11:00  {replacement[:12]}  Nông Thị Văn Thư <vanthu@backan.gov.vn>  "
        "Thay thế cán bộ theo dõi Xã Đại Sảo",
        "    changed    assignment 02068: CB01, 2024-08-29–2025-03-14 "
        "(until: ∅ → 2025-03-14)   [data/assignments.yaml]",
        "    added      assignment 02068: CB02, 2025-03-15   [data/assignments.yaml]"]


def test_history_filters_and_machine_formats(capsys, repo: GitRepo) -> None:
    data = repo.root / "data"
    path = day_path(data, "2025-03-10")
    append(path, visit("V-20250310-001") + visit("V-20250310-002", "02020", "CB02"))
    first = repo.commit("Ghi hai chuyến công tác")
    path.write_text(visit("V-20250310-001") + visit("V-20250310-002", "02020", "CB02",
                                                    notes="Đã sửa"), encoding="utf-8")
    edit = repo.commit("Sửa", author=OTHER)

    code, out, _ = cli(capsys, "history", "--data", str(data), "--cadre", "CB02",
                       "--since", "2025-03-01", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert [(r["commit"], r["area"], r["change"], r["record"], r["flagged"]) for r in rows] == [
        (repo.git("rev-parse", "HEAD~2").strip(), "assignment", "added", "02020 2024-08-29",
         False),
        (first, "visit", "added", "V-20250310-002", False),
        (edit, "visit", "modified", "V-20250310-002", True)]
    assert rows[2]["author"] == OTHER[0] and rows[2]["author_email"] == OTHER[1]
    assert rows[2]["committed_at"] == "2025-03-01T12:00:00+07:00"
    assert rows[2]["fields"] == ["notes"]
    assert (rows[2]["before"]["notes"], rows[2]["after"]["notes"]) == (
        "Làm việc với Đảng ủy xã", "Đã sửa")

    code, out, _ = cli(capsys, "history", "--data", str(data), "--commune", "02068",
                       "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert [(r["change"], r["record"], r["flagged"]) for r in table] == [
        ("added", "02068 2024-08-29", "false"), ("added", "V-20250310-001", "false")]
    assert list(table[0]) == ["commit", "authored_at", "committed_at", "author", "author_email",
                              "subject", "area", "change", "path", "old_path", "record",
                              "commune", "cadre", "fields", "flagged", "finding",
                              "acknowledged_by", "acknowledged_at", "acknowledgement_reason",
                              "alarm", "made_by"]

    # --since is a date: the first commit (09:00+1h on 01/03) is before 02/03.
    repo.clock = datetime(2025, 3, 5, 8, 0, tzinfo=VIETNAM_TZ)
    append(day_path(data, "2025-03-05"), visit("V-20250305-001"))
    repo.commit("Ghi chuyến công tác ngày 05/03")
    code, out, _ = cli(capsys, "history", "--data", str(data), "--since", "02/03/2025",
                       "--format", "json")
    assert [r["record"] for r in json.loads(out)] == ["V-20250305-001"]
    code, _, err = cli(capsys, "history", "--data", str(data), "--commune", "x",
                       "--cadre", "y")
    assert code == 2 and "not both" in err


def test_one_log_call_reads_the_whole_history(repo: GitRepo) -> None:
    """Many commits, many files: one git log, one cat-file (checked by the result)."""
    data = repo.root / "data"
    for day in range(1, 21):
        append(day_path(data, f"2025-04-{day:02d}"), visit(f"V-202504{day:02d}-001"))
        repo.commit(f"Ghi chuyến công tác ngày {day:02d}/04/2025")
    log = read_log(open_repository(data, Git(git_environment())))
    assert len(log) == 21
    assert all(len(changes) == 1 for _, changes in log[1:])
    assert audit(data).clean


def test_pre_commit_hook_definition() -> None:
    """The hook runs when a register or a visit file changes (``files:``), and
    then validates the whole folder (no file names passed); ``always_run``
    would make pre-commit ignore ``files:``, so it must not be there."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert len(hooks) == 1
    hook = hooks[0]
    assert set(hook) == {"id", "name", "description", "entry", "language", "pass_filenames",
                         "files"}
    assert {k: hook[k] for k in ("id", "entry", "language", "pass_filenames")} == {
        "id": "theodoi-validate", "entry": "theodoi validate", "language": "python",
        "pass_filenames": False}
    pattern = re.compile(hook["files"])  # pre-commit searches it in each staged path
    for path in ("data/assignments.yaml", "communes.csv", "cadres.csv",
                 "data/visits/2025/2025-03-10.yaml", "visits/2024/2024-09-15.yaml"):
        assert pattern.search(path), path
    for path in ("README.md", "data/notes.yaml", "scripts/x.py", "old-communes.csv",
                 "data/visits/2025/.2025-03-10.yaml.99.ab.tmp", "docs/cadres.csv.md"):
        assert not pattern.search(path), path
