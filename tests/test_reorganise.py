"""A Bắc Kạn workspace carried across 1/7/2025, and every report on both sides.

The workspace is the shipped data (108 units, 108 cadres, one to one) with six
visits written by hand, on both sides of the reform:

    #  day          cadre  code   unit on that day        unit it is on 1/7/2025
    1  2025-02-01   CB077  02083  Xã Yên Phong (old)      02083 Xã Yên Phong
    2  2025-03-10   CB073  02068  Xã Đại Sảo              02083 Xã Yên Phong
    3  2025-05-20   CB075  02077  Xã Yên Mỹ               02083 Xã Yên Phong
    4  2025-06-30   CB056  02014  Xã Dương Phong          02014 Xã Bạch Thông
    5  2025-07-15   CB077  02083  Xã Yên Phong (new)
    6  2025-08-05   CB056  02014  Xã Bạch Thông

Resolution 1683/NQ-UBTVQH15: Xã Yên Phong (02083) is Đại Sảo + Yên Mỹ + Yên Phong;
Xã Bạch Thông (02014) is Dương Phong + Quang Thuận + Đồng Thắng; 02014 names
Dương Phong before the reform and Bạch Thông after it.  In the shipped data
Yên Phong's cadre is CB077, Đại Sảo's CB073 (Hà Thị Ngần), Yên Mỹ's CB075,
Dương Phong's CB056.  With one cadre per commune each new unit is proposed the
cadre of the old unit whose code it kept: CB077 for Yên Phong, CB056 for Bạch
Thông.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SHIPPED_DATA, invoke

from theodoi.registers.loader import load_registers

EN = {"THEODOI_LANG": "en", "THEODOI_TODAY": "2026-03-02"}
IDENTITY = {"GIT_AUTHOR_NAME": "Văn phòng Tỉnh ủy", "GIT_AUTHOR_EMAIL": "vanphong@example.org",
            "GIT_COMMITTER_NAME": "Văn phòng Tỉnh ủy",
            "GIT_COMMITTER_EMAIL": "vanphong@example.org"}
VISITS = [("2025-02-01", "CB077", "02083"), ("2025-03-10", "CB073", "02068"),
          ("2025-05-20", "CB075", "02077"), ("2025-06-30", "CB056", "02014"),
          ("2025-07-15", "CB077", "02083"), ("2025-08-05", "CB056", "02014")]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout


def write_visits(data: Path) -> None:
    for day, cadre, commune in VISITS:
        folder = data / "visits" / day[:4]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{day}.yaml").write_text(
            f"- id: V-{day.replace('-', '')}-001\n  date: {day}\n  cadre: {cadre}\n"
            f'  commune: "{commune}"\n  kind: working\n'
            f"  recorded_at: '{day}T16:00:00+07:00'\n", encoding="utf-8")


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped Bắc Kạn data with the six visits, committed in a git repository,
    reorganised with --commit.  (Visits 5 and 6 are recorded after the reform
    under the new codes, as theodoi records them once the workspace is carried.)"""
    for name in [n for n in os.environ if n.startswith("GIT_")]:
        monkeypatch.delenv(name)
    for name, value in {**IDENTITY, "GIT_CONFIG_NOSYSTEM": "1",
                        "GIT_CONFIG_GLOBAL": os.devnull}.items():
        monkeypatch.setenv(name, value)
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data)
    write_visits(data)
    git(data, "init", "-q")
    git(data, "add", "-A")
    git(data, "commit", "-q", "-m", "Dữ liệu Bắc Kạn")
    return data


@pytest.fixture
def carried(office: Path) -> Path:
    result = invoke("reorganise", "--data", str(office), "--to", "2025", "--commit", "--office",
                    env=EN)
    assert result.returncode == 0, result.stderr
    return office


def run(data: Path, *args: str) -> str:
    result = invoke(*args, "--data", str(data), env=EN)
    assert result.returncode == 0, result.stderr
    return result.stdout


# --- the change itself ------------------------------------------------------------------

def test_dry_run_shows_the_proposal_and_the_diff_and_writes_nothing(office: Path) -> None:
    before = {p: p.read_bytes() for p in [*office.glob("*.csv"), *office.glob("*.yaml")]}
    result = invoke("reorganise", "--data", str(office), "--to", "2025", "--since", "2025-07-01",
                    "--dry-run", env=EN)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ("Would reorganise from 2025-07-01: 108 units end on 2025-06-30, 37 "
                        "units begin (the 2025 map).")
    assert ("  02083 Xã Yên Phong ← Xã Yên Phong (CB077); Xã Đại Sảo (CB073); Xã Yên Mỹ "
            "(CB075): CB077 Triệu Minh Sơn (not proposed, beyond cadres_per_commune: CB073, "
            "CB075)") in lines
    assert sum(line.startswith("  0") for line in lines) == 37
    # The diff of assignments.yaml: 108 ends (one changed line each) and 37 new lines.
    diff = result.stdout[result.stdout.index("--- a/" + str(office / "assignments.yaml")):]
    changed = [line for line in diff.splitlines() if line[:1] in "+-"
               and not line.startswith(("+++", "---"))]
    assert sum(line.startswith("-  - {commune") for line in changed) == 108
    assert sum(line.startswith("+  - {commune") and "until: 2025-06-30" in line
               for line in changed) == 108
    assert sum(line.startswith("+  - {commune") and "since: 2025-07-01" in line
               for line in changed) == 37
    assert {p: p.read_bytes() for p in [*office.glob("*.csv"), *office.glob("*.yaml")]} == before


def test_the_files_after_reorganising(carried: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((carried / "communes.csv").read_text("utf-8"))))
    assert len(rows) == 108 + 37
    assert list(rows[0]) == ["code", "name", "kind", "district_code", "district_name", "since",
                             "until", "successor"]
    by_name = {row["name"]: row for row in rows}
    assert by_name["Xã Đại Sảo"] == {
        "code": "02068", "name": "Xã Đại Sảo", "kind": "xã", "district_code": "064",
        "district_name": "Huyện Chợ Đồn", "since": "", "until": "2025-06-30",
        "successor": "02083"}
    assert by_name["Xã Bạch Thông"] == {
        "code": "02014", "name": "Xã Bạch Thông", "kind": "xã", "district_code": "",
        "district_name": "", "since": "2025-07-01", "until": "", "successor": ""}
    text = (carried / "assignments.yaml").read_text(encoding="utf-8")
    assert ('  - {commune: "02068", cadre: CB073, since: 2024-08-29, until: 2025-06-30, '
            "decision: 1391-QĐ/TU}") in text
    assert '  - {commune: "02083", cadre: CB077, since: 2025-07-01}' in text
    assert '  - {commune: "02014", cadre: CB056, since: 2025-07-01}' in text
    # One commit holding both files, saying what was done.
    assert git(carried, "log", "-1", "--format=%s") == (
        "Reorganise the communes from 2025-07-01: 108 units become 37 (the 2025 map); 37 "
        "assignments proposed\n")
    assert sorted(git(carried, "show", "--name-only", "--format=", "HEAD").split()) == [
        "assignments.yaml", "communes.csv"]
    assert git(carried, "status", "--porcelain") == ""


def test_validate_is_clean_on_both_sides_after_reorganising(carried: Path) -> None:
    for day, communes in (("2025-06-30", 108), ("2025-07-01", 37), ("2026-03-02", 37)):
        result = invoke("validate", "--data", str(carried), "--as-of", day, env=EN)
        assert result.returncode == 0, result.stdout
        assert result.stdout.splitlines()[-2:] == [
            f"{communes} communes, {communes} cadres following them, {communes} assignments in "
            f"force on {day}.", "No problems found."]


def test_it_is_done_once(carried: Path) -> None:
    again = invoke("reorganise", "--data", str(carried), "--to", "2025", env=EN)
    assert again.returncode == 1
    assert "[already-reorganised]" in again.stderr


def test_a_visit_recorded_after_the_date_takes_the_new_unit(carried: Path) -> None:
    refused = invoke("visit", "add", "--data", str(carried), "--commune", "dai sao", "--date",
                     "2025-09-01", env=EN)
    assert refused.returncode == 2
    assert refused.stderr == (
        "theodoi: error [commune-not-in-force]: Xã Đại Sảo (02068) does not exist on "
        "2025-09-01: it exists until 2025-06-30; it became part of Xã Yên Phong (02083) on "
        "2025-07-01\n")
    # Before the date the old unit is still there, with its cadre of then.
    done = invoke("visit", "add", "--data", str(carried), "--commune", "dai sao", "--date",
                  "2025-06-10", env=EN)
    assert done.returncode == 0, done.stderr
    assert "cadre: CB073" in (carried / "visits/2025/2025-06-10.yaml").read_text("utf-8")
    # 02014 is Bạch Thông after the date: its cadre is the one proposed, CB056.
    after = invoke("visit", "add", "--data", str(carried), "--commune", "02014", "--date",
                   "2025-09-01", env=EN)
    assert after.returncode == 0, after.stderr
    assert "Xã Bạch Thông" in after.stdout


# --- reports on both sides, figures counted by hand -------------------------------------

def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_coverage_before_the_date_shows_the_old_units_by_district(carried: Path) -> None:
    rows = _csv(run(carried, "coverage", "--period", "2025-Q2", "--format", "csv"))
    assert len(rows) == 8 + 1  # the 8 districts of Bắc Kạn and the total
    assert rows[-1] == {"district_code": "", "district_name": "total", "communes": "108",
                        "communes_visited": "2", "percent_covered": "1.9", "visits": "2"}
    by_district = {r["district_name"]: r for r in rows}
    assert by_district["Huyện Chợ Đồn"]["communes_visited"] == "1"  # Yên Mỹ, 20/05
    assert by_district["Huyện Bạch Thông"]["visits"] == "1"  # Dương Phong, 30/06
    communes = {r["commune_code"]: r for r in _csv(run(
        carried, "coverage", "--period", "2025-Q2", "--by", "commune", "--format", "csv"))}
    assert len(communes) == 108
    assert (communes["02068"]["commune_name"], communes["02068"]["visits"],
            communes["02068"]["last_visit"]) == ("Xã Đại Sảo", "0", "2025-03-10")
    assert (communes["02014"]["commune_name"], communes["02014"]["visits"],
            communes["02014"]["cadre_id"]) == ("Xã Dương Phong", "1", "CB056")


def test_coverage_after_the_date_counts_dai_sao_for_yen_phong(carried: Path) -> None:
    result = invoke("coverage", "--data", str(carried), "--period", "2025", "--by", "commune",
                    "--format", "csv", env=EN)
    assert result.returncode == 0
    communes = {r["commune_code"]: r for r in _csv(result.stdout)}
    assert len(communes) == 37
    # Yên Phong: visits 1 (old Yên Phong), 2 (Đại Sảo), 3 (Yên Mỹ) and 5.
    assert (communes["02083"]["commune_name"], communes["02083"]["visits"],
            communes["02083"]["last_visit"], communes["02083"]["cadre_id"]) == (
        "Xã Yên Phong", "4", "2025-07-15", "CB077")
    # Bạch Thông: visit 4 (to Dương Phong, under the same code) and 6.
    assert (communes["02014"]["commune_name"], communes["02014"]["visits"]) == (
        "Xã Bạch Thông", "2")
    assert sum(int(r["visits"]) for r in communes.values()) == 6
    assert result.stderr == (
        "theodoi: note: 4 visits to 4 former communes, merged into the communes of "
        "2025-07-01, are counted for the communes they became.\n")


def test_coverage_by_district_after_the_date_counts_the_province_as_one(carried: Path
                                                                        ) -> None:
    data = json.loads(run(carried, "coverage", "--period", "2025", "--format", "json"))
    assert data["by"] == "group"
    # Listed together under a neutral heading: never the province's name (Bắc Kạn's
    # 37 units are not Thái Nguyên's 92).
    assert data["rows"] == [{"group": None, "communes": 37,
                             "communes_visited": 2, "percent_covered": 5.4, "visits": 6}]
    assert data["notes"] == [
        "The communes have no district (districts were abolished on 01/07/2025) and "
        "communes.csv has no 'group' column: they are counted together.",
        "4 visits to 4 former communes, merged into the communes of 2025-07-01, are counted "
        "for the communes they became."]
    table = run(carried, "coverage", "--period", "2025")
    assert "Coverage by group, 2025" in table and "All communes and wards" in table
    assert "Tỉnh Thái Nguyên" not in table
    assert "they are counted together" in table


def test_coverage_by_cadre_qualifies_a_reused_code(carried: Path) -> None:
    rows = {r["cadre_id"]: r for r in _csv(run(carried, "coverage", "--period", "2025",
                                                "--by", "cadre", "--format", "csv"))}
    # CB056 followed Dương Phong, then Bạch Thông: two units, one code.
    assert (rows["CB056"]["communes_followed"], rows["CB056"]["communes_followed_count"],
            rows["CB056"]["visits"], rows["CB056"]["communes_visited"]) == (
        "02014;02014@2025-07-01", "2", "2", "1")
    assert (rows["CB073"]["communes_followed"], rows["CB073"]["visits"],
            rows["CB073"]["last_visit"]) == ("02068", "1", "2025-03-10")
    table = run(carried, "coverage", "--period", "2025", "--by", "cadre")
    assert "Xã Dương Phong; Xã Bạch Thông" in table


def test_overdue_before_the_date(carried: Path) -> None:
    data = json.loads(run(carried, "overdue", "--as-of", "2025-06-30", "--format", "json"))
    rows = {r["commune_code"]: r for r in data["rows"]}
    assert len(rows) == 106  # all but Yên Mỹ (41 days) and Dương Phong (0 days)
    assert (rows["02068"]["commune_name"], rows["02068"]["last_visit"],
            rows["02068"]["days"]) == ("Xã Đại Sảo", "2025-03-10", 112)
    assert (rows["02083"]["last_visit"], rows["02083"]["days"]) == ("2025-02-01", 149)
    assert rows["01834"]["days"] == 305  # no visit since the term began on 29/08/2024
    assert data["notes"] == []


def test_overdue_after_the_date_carries_the_last_visits(carried: Path) -> None:
    on_the_day = json.loads(run(carried, "overdue", "--as-of", "2025-07-01", "--format",
                                "json"))
    assert on_the_day["rows"] == []  # every assignment began that day
    data = json.loads(run(carried, "overdue", "--as-of", "2025-10-15", "--format", "json"))
    rows = {r["commune_code"]: r for r in data["rows"]}
    assert len(rows) == 36  # all but Bạch Thông (visited 05/08: 71 days)
    # Yên Phong, last visited 15/07: 92 days; its cadre is the one proposed.
    assert (rows["02083"]["last_visit"], rows["02083"]["days"], rows["02083"]["cadre_id"]) == (
        "2025-07-15", 92, "CB077")
    # A new unit none of whose parts was visited counts from its first day.
    assert (rows["01840"]["last_visit"], rows["01840"]["days"]) == (None, 106)
    assert data["notes"] == [
        "4 visits to 4 former communes, merged into the communes of 2025-07-01, are counted "
        "for the communes they became."]
    # On 30/06, one day before, Yên Phong's last visit is Yên Mỹ's of 20/05:
    # after the date, the list shows it for the new unit rather than "never".
    july = json.loads(run(carried, "overdue", "--as-of", "2025-07-10", "--days", "5",
                          "--format", "json"))
    last = {r["commune_code"]: r["last_visit"] for r in july["rows"]}
    assert last["02083"] == "2025-05-20" and last["02014"] == "2025-06-30"


def test_the_weekly_summary_across_the_date(carried: Path) -> None:
    data = json.loads(run(carried, "summary", "--week", "2025-W27", "--format", "json"))
    # Monday 30/06 is the old map's last day: the visit keeps its unit of that day.
    assert [(v["date"], v["commune_code"], v["commune_name"]) for v in data["visits"]] == [
        ("2025-06-30", "02014", "Xã Dương Phong")]
    changes = data["assignment_changes"]
    assert sum(c["change"] == "ends" for c in changes) == 108
    assert sum(c["change"] == "begins" for c in changes) == 37
    assert {c["commune_name"] for c in changes if c["commune_code"] == "02014"} == {
        "Xã Dương Phong", "Xã Bạch Thông"}
    assert data["coverage"]["by"] == "group"
    assert data["coverage"]["rows"] == [{"group": None, "communes": 37,
                                         "communes_visited": 0, "percent_covered": 0.0,
                                         "visits": 0}]
    assert data["overdue"]["rows"] == []
    assert data["validation"]["ok"] is True
    before = json.loads(run(carried, "summary", "--week", "2025-W26", "--format", "json"))
    assert len(before["coverage"]["rows"]) == 8  # Q2 up to 29/06: by district
    assert before["coverage"]["total"]["communes_visited"] == 1  # Yên Mỹ


# --- a divided unit -----------------------------------------------------------------------

def test_a_divided_unit_waits_for_the_offices_choice(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in IDENTITY.items():
        monkeypatch.setenv(name, value)
    data = tmp_path / "da-nang"
    assert invoke("init", str(data), "--province", "Đà Nẵng", "--map", "2024",
                  env=EN).returncode == 0
    refused = invoke("reorganise", "--data", str(data), "--to", "2025", env=EN)
    assert refused.returncode == 2
    assert "20296 Xã Hòa Liên was divided among 20194 Phường Hải Vân, 20197 Phường Liên " \
           "Chiểu" in refused.stderr
    assert git(data, "status", "--porcelain") == ""
    done = invoke("reorganise", "--data", str(data), "--to", "2025", "--split", "20296=20194",
                  env=EN)
    assert done.returncode == 0, done.stderr
    units = load_registers(data).registers.units
    hoa_lien = next(u for u in units if u.code == "20296")
    assert (hoa_lien.successor, str(hoa_lien.until)) == ("20194", "2025-06-30")
    # Every new unit the old ones went into is added, the source's default included.
    assert {"20194", "20197"} <= {u.code for u in units if u.since}


def test_tables_of_units_without_districts_have_no_district_column(carried: Path) -> None:
    after = run(carried, "overdue", "--as-of", "2025-10-15")
    header = next(line for line in after.splitlines() if line.startswith("| Code"))
    assert [cell.strip() for cell in header.strip("|").split("|")] == [
        "Code", "Commune", "Cadre", "Agency", "Last visit", "Days"]
    before = run(carried, "overdue", "--as-of", "2025-06-30")
    assert "| District" in before and "Huyện Chợ Đồn" in before


def test_a_visit_under_an_old_code_after_the_date_is_reported(carried: Path) -> None:
    day_file = carried / "visits" / "2025" / "2025-09-02.yaml"
    day_file.write_text('- id: V-20250902-001\n  date: 2025-09-02\n  cadre: CB073\n'
                        '  commune: "02068"\n  substitute: đi thay\n', encoding="utf-8")
    result = invoke("validate", "--data", str(carried), env=EN)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f"{day_file}:1: error [visit-outside-unit]: commune code 02068 names no unit on "
        "2025-09-02: Xã Đại Sảo exists until 2025-06-30; a visit is recorded under the unit "
        "in force on its day")
    assert result.stdout.splitlines()[-1] == "1 error, 0 warnings."
