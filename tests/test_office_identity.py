"""Issue 20, item 1: the office's identity comes with the workspace.

``init`` writes ``settings.office`` for the province (the Party committee's
name, the issuing body, the place of the date line) and says so; ``reorganise``
offers the new province's identity and writes it when the clerk agrees;
``validate`` warns when the office's place is not the workspace's province.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from conftest import SHIPPED_DATA, invoke

from theodoi.base.office import office_identity, place_is_of
from theodoi.registers.loader import load_registers
from theodoi.registers.office_edit import edit_office_text

IDENTITY = {"GIT_AUTHOR_NAME": "Văn phòng Tỉnh ủy", "GIT_AUTHOR_EMAIL": "vanphong@example.org",
            "GIT_COMMITTER_NAME": "Văn phòng Tỉnh ủy",
            "GIT_COMMITTER_EMAIL": "vanphong@example.org"}
EN = {"THEODOI_LANG": "en", "THEODOI_TODAY": "2026-03-02"}
THAI_NGUYEN = {"superior_body": "ĐẢNG BỘ TỈNH THÁI NGUYÊN", "issuing_body": "TỈNH ỦY",
               "place": "Thái Nguyên"}


@pytest.fixture
def identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("GIT_")]:
        monkeypatch.delenv(name)
    for name, value in {**IDENTITY, "GIT_CONFIG_NOSYSTEM": "1",
                        "GIT_CONFIG_GLOBAL": os.devnull,
                        "GIT_CEILING_DIRECTORIES": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout


def _letterhead(path: Path) -> list[str]:
    word = docx.Document(io.BytesIO(path.read_bytes()))
    left, right = word.tables[0].rows[0].cells
    return [p.text for p in left.paragraphs] + [p.text for p in right.paragraphs if p.text]


def test_identity_of_a_province_and_of_a_city() -> None:
    assert office_identity("Tỉnh Thái Nguyên") == THAI_NGUYEN
    assert office_identity("Thành phố Hà Nội") == {
        "superior_body": "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "issuing_body": "THÀNH ỦY",
        "place": "Hà Nội"}
    assert place_is_of("thai nguyen", "Tỉnh Thái Nguyên")
    assert not place_is_of("Bắc Kạn", "Tỉnh Thái Nguyên")
    assert not place_is_of("", "Tỉnh Thái Nguyên")


def test_init_writes_the_provinces_identity_and_says_so(tmp_path: Path, identity: None
                                                        ) -> None:
    target = tmp_path / "tn"
    result = invoke("init", str(target), "--province", "thai nguyen", env=EN)
    assert result.returncode == 0, result.stderr
    settings = yaml.safe_load((target / "assignments.yaml").read_text(encoding="utf-8"))
    assert settings["settings"]["office"] == THAI_NGUYEN
    assert ('The Word reports are headed "ĐẢNG BỘ TỈNH THÁI NGUYÊN", "TỈNH ỦY" and dated from '
            '"Thái Nguyên" (settings.office in ' in result.stdout)
    assert load_registers(target).problems == []
    assert git(target, "status", "--porcelain") == ""  # written in the first commit
    check = invoke("validate", "--data", str(target), env=EN)
    assert "office-of-another-province" not in check.stdout + check.stderr
    # The Word report made from the new workspace is headed by Thái Nguyên.
    out = tmp_path / "summary.docx"
    made = invoke("summary", "--data", str(target), "--week", "2026-W08", "--format", "docx",
                  "--output", str(out), env=EN)
    assert out.exists(), made.stderr
    head = _letterhead(out)
    assert head[0] == "ĐẢNG BỘ TỈNH THÁI NGUYÊN"
    assert "Thái Nguyên, ngày 02 tháng 3 năm 2026" in head
    assert not any("BẮC KẠN" in line.upper() for line in head)


@pytest.fixture
def office(tmp_path: Path, identity: None) -> Path:
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data)
    git(data, "init", "-q")
    git(data, "add", "-A")
    git(data, "commit", "-q", "-m", "Dữ liệu Bắc Kạn")
    return data


def test_validate_warns_when_the_place_is_another_provinces(office: Path) -> None:
    clean = invoke("validate", "--data", str(office), env=EN)
    assert "office-of-another-province" not in clean.stdout + clean.stderr
    text = (office / "assignments.yaml").read_text(encoding="utf-8")
    (office / "assignments.yaml").write_text(
        edit_office_text(text, THAI_NGUYEN, "assignments.yaml"), encoding="utf-8")
    result = invoke("validate", "--data", str(office), env=EN)
    assert result.returncode == 0  # a warning
    line = next(n for n, t in enumerate(
        (office / "assignments.yaml").read_text(encoding="utf-8").splitlines(), start=1)
        if t.strip().startswith("place:"))
    assert (f"assignments.yaml:{line}: warning [office-of-another-province]: the Word reports "
            "are dated from 'Thái Nguyên', but the communes are those of Tỉnh Bắc Kạn"
            in result.stdout + result.stderr)


def test_reorganise_offers_the_new_identity_and_writes_it_when_asked(office: Path) -> None:
    before = invoke("reorganise", "--data", str(office), "--to", "2025", "--keep-office",
                    env=EN)
    assert before.returncode == 0, before.stderr
    assert "the new units belong to Tỉnh Thái Nguyên" in before.stderr
    assert "    superior_body: ĐẢNG BỘ TỈNH THÁI NGUYÊN" in before.stderr
    assert "settings.office is unchanged" in before.stderr
    assert "office" not in yaml.safe_load(
        (office / "assignments.yaml").read_text(encoding="utf-8"))["settings"]
    check = invoke("validate", "--data", str(office), env=EN)
    assert "[office-of-another-province]" in check.stdout + check.stderr


def test_reorganise_with_office_writes_it_in_the_same_commit(office: Path) -> None:
    text = (office / "assignments.yaml").read_text(encoding="utf-8")
    result = invoke("reorganise", "--data", str(office), "--to", "2025", "--office",
                    "--commit", env=EN)
    assert result.returncode == 0, result.stderr
    after = (office / "assignments.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(after)["settings"]["office"] == THAI_NGUYEN
    # Only the office's lines are new in the settings; the comments stay.
    assert after.splitlines()[:20] == text.splitlines()[:20]
    assert git(office, "status", "--porcelain") == ""
    assert "+    place: Thái Nguyên" in git(office, "show", "HEAD", "--", "assignments.yaml")
    check = invoke("validate", "--data", str(office), env=EN)
    assert "office-of-another-province" not in check.stdout + check.stderr


def test_the_office_editor_keeps_the_offices_other_lines() -> None:
    text = ("settings:\n  overdue_days: 90\n  office:\n    signer_name: Nguyễn Văn A\n"
            "    place: Bắc Kạn   # cũ\n    superior_body:\nassignments:\n")
    assert edit_office_text(text, THAI_NGUYEN, "a.yaml") == (
        "settings:\n  overdue_days: 90\n  office:\n    signer_name: Nguyễn Văn A\n"
        "    place: Thái Nguyên   # cũ\n    superior_body: ĐẢNG BỘ TỈNH THÁI NGUYÊN\n"
        "    issuing_body: TỈNH ỦY\nassignments:\n")
    assert edit_office_text("assignments:\n", THAI_NGUYEN, "a.yaml") == (
        "settings:\n  office:\n    superior_body: ĐẢNG BỘ TỈNH THÁI NGUYÊN\n"
        "    issuing_body: TỈNH ỦY\n    place: Thái Nguyên\nassignments:\n")
