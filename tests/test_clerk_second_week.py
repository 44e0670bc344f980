"""Issue 21, the clerk's second week: each item as a clerk meets it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import committed_office, git_environment, invoke, write_data_folder

from theodoi.ids import Resolved, resolve_id


def test_audit_alone_runs_the_audit(tmp_path: Path) -> None:
    env = git_environment("2025-03-20")
    root = committed_office(tmp_path / "office", env)
    done = invoke("audit", env=env, cwd=root / "data")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("No record was changed, removed or moved after it was written")
    assert "Usage" not in done.stdout + done.stderr
    # Its subcommand is still there.
    helped = invoke("audit", "acknowledge", "--help", env=env, cwd=root / "data")
    assert helped.returncode == 0 and "FINDING" in helped.stdout


# --- 2. ids read forgivingly -------------------------------------------------------------

def test_a_typed_id_is_read_in_any_case_without_zeros_or_prefix() -> None:
    known = ["V-20241203-001", "V-20241203-002", "V-20241204-002"]
    for typed in ("V-20241203-002", "v-20241203-002", "V-20241203-2", "20241203-002",
                  " v20241203-02 ", "20241203/2"):
        assert resolve_id(typed, known) == Resolved(typed.strip(), "V-20241203-002"), typed
    # Proposal ids: the visit's id and the item's letter and number.
    items = ["V-20240915-003/D1", "V-20240915-003/K1"]
    assert resolve_id("v-20240915-3/d1", items).id == "V-20240915-003/D1"
    # An id of another layout (a day and a short suffix) is read the same way.
    assert resolve_id("v-20241203-k3f", ["V-20241203-K3F"]).id == "V-20241203-K3F"


def test_an_id_that_fits_several_or_none_lists_the_candidates() -> None:
    several = resolve_id("v-20241203-a1", ["V-20241203-a1", "V-20241203-A1"])
    assert several == Resolved("v-20241203-a1", None, ("V-20241203-A1", "V-20241203-a1"),
                               ambiguous=True)
    day = resolve_id("20241203", ["V-20241203-001", "V-20241203-002", "V-20241204-001"])
    assert day == Resolved("20241203", None, ("V-20241203-001", "V-20241203-002"))
    assert resolve_id("V-20241203-009", ["V-20241203-001"]) == Resolved("V-20241203-009", None)


def _two_visits(tmp_path: Path) -> Path:
    data = write_data_folder(tmp_path / "data")
    for commune in ("02068", "02020"):
        added = invoke("visit", "add", "--data", str(data), "--commune", commune, "--date",
                       "03/12/2024",
                       env={"THEODOI_TODAY": "2024-12-05", "THEODOI_LANG": "en"})
        assert added.returncode == 0, added.stderr
    return data


def test_visit_commands_take_the_id_as_typed(tmp_path: Path) -> None:
    data = _two_visits(tmp_path)
    env = {"THEODOI_TODAY": "2024-12-05", "THEODOI_LANG": "en"}
    shown = invoke("visit", "show", "v-20241203-2", "--data", str(data), env=env)
    assert shown.returncode == 0, shown.stderr
    assert "V-20241203-002" in shown.stdout
    withdrawn = invoke("visit", "withdraw", "v-20241203-002", "--reason", "Ghi nhầm",
                       "--by", "Lan <lan@example.vn>", "--data", str(data), env=env)
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert "V-20241203-002" in withdrawn.stdout
    unknown = invoke("visit", "show", "20241203", "--data", str(data), env=env)
    assert unknown.returncode == 2
    assert unknown.stderr == (
        "theodoi: error [unknown-visit-id]: no visit has the id 20241203 ('theodoi visit list' "
        "shows the ids); the closest are:\n  V-20241203-001\n  V-20241203-002\n")


# --- 3. dates explained --------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "said"), [
    ("31/11/2026", "'31/11/2026' không phải ngày hợp lệ: tháng 11/2026 có 30 ngày; ngày hợp lệ "
                   "gần nhất là 30/11/2026"),
    ("29/02/2023", "'29/02/2023' không phải ngày hợp lệ: tháng 2/2023 có 28 ngày; ngày hợp lệ "
                   "gần nhất là 28/02/2023"),
    ("12/31/2026", "'12/31/2026' không phải ngày hợp lệ: không có tháng 31; ngày hợp lệ gần "
                   "nhất là 31/12/2026"),
    ("0/12/2026", "'0/12/2026' không phải ngày hợp lệ: không có ngày 0; ngày hợp lệ gần nhất "
                  "là 01/12/2026"),
])
def test_a_day_that_does_not_exist_is_refused_saying_why(tmp_path: Path, typed: str,
                                                          said: str) -> None:
    data = write_data_folder(tmp_path / "data")
    refused = invoke("visit", "list", "--data", str(data), "--from", typed,
                     env={"THEODOI_TODAY": "2026-12-05"})
    assert refused.returncode == 2
    assert f"theodoi: lỗi [command-line]: --from: {said} (viết 2024-09-15" in refused.stderr


@pytest.mark.parametrize(("typed", "echo"), [
    ("3/12/26", "theodoi: 3/12/26 được hiểu là ngày 03/12/2026\n"),
    ("03.12.2026", ""), ("03-12-2026", ""), ("2026-12-03", ""), ("3/12/2026", "")])
def test_short_years_and_other_separators_are_read(tmp_path: Path, typed: str,
                                                   echo: str) -> None:
    data = write_data_folder(tmp_path / "data")
    added = invoke("visit", "add", "--data", str(data), "--commune", "02068", "--date", typed,
                   env={"THEODOI_TODAY": "2026-12-05"})
    assert added.returncode == 0, added.stderr
    assert added.stderr.startswith(echo)
    assert (data / "visits" / "2026" / "2026-12-03.yaml").is_file()
