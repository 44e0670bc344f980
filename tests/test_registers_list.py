"""``theodoi commune list`` and ``theodoi cadre list``: the registers searched
as ``visit add`` folds names, each row with who follows what on the day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHIPPED_DATA, SMALL_CADRES, invoke, write_data_folder

from theodoi.registers.loader import load_registers
from theodoi.registers.search import search_cadres, search_communes

ASSIGNMENTS = [
    '{commune: "02068", cadre: CB01, since: 2024-08-29, until: 2024-10-31}',
    '{commune: "02068", cadre: "", since: 2024-11-01}',
    '{commune: "02020", cadre: CB02, since: 2024-08-29}',
    '{commune: "01834", cadre: CB03, since: 2024-08-29}',
    '{commune: "01837", cadre: CB04, since: 2024-08-29}',
]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_data_folder(tmp_path / "data", assignments=ASSIGNMENTS)


@pytest.mark.parametrize(("query", "codes"), [
    (None, ["01834", "01837", "02020", "02068"]),
    ("", ["01834", "01837", "02020", "02068"]),
    ("0183", ["01834", "01837"]),
    ("2068", ["02068"]),
    ("dai sao", ["02068"]),
    ("XÃ ĐẠI SẢO", ["02068"]),
    ("phuong", ["01834", "01837"]),
    ("song cau, bac kan", ["01837"]),
    ("song cau, cho don", []),
    ("minh khai", ["01834"]),
    ("hà nội", []),
    # what clerks type (issue 10): a district for its units, the town first
    ("cho don", ["02020", "02068"]),
    ("H. Chợ Đồn", ["02020", "02068"]),
    ("TP Bac Kan", ["01834", "01837"]),
    ("thi tran cho don", ["02020"]),
    ("TT Bang Lung", ["02020"]),
    ("P. Song Cau", ["01837"]),
    ("X. Song Cau", ["01837"]),        # the wrong kind is forgiven
    ("daisao", ["02068"]),
    ("songcau", ["01837"]),
    ("song cau, TP Bac Kan", ["01837"]),
    ("dai sao cho don", ["02068"]),
    ("Đại Sảo (Huyện Chợ Đồn)", ["02068"]),
])
def test_search_communes(data: Path, query: str | None, codes: list[str]) -> None:
    communes = load_registers(data).registers.communes
    assert [c.code for c in search_communes(communes, query)] == codes


SHIPPED = load_registers(SHIPPED_DATA).registers.communes


@pytest.mark.parametrize(("query", "codes"), [
    ("Cho Moi", ["02086", "02089", "02092", "02095", "02098", "02101", "02104", "02107",
                 "02110", "02113", "02116", "02122", "02125", "02131"]),
    ("TT Dong Tam", ["02086"]),
    ("thi tran Cho Moi", ["02086"]),
    ("TT Ngan Son", ["01954", "01936"]),          # the seat, Vân Tùng, first
    ("P. Duc Xuan", ["01840"]),
    ("TP Bac Kan", ["01834", "01837", "01840", "01843", "01846", "01855", "01849", "01852"]),
    # the exact name first, then the names holding it; a kind typed first among those
    ("TT Dong", ["02086", "01933", "02029", "02059", "02194"]),
    ("dong", ["01933", "02029", "02059", "02086", "02194"]),
    ("dongtam", ["02086"]),
])
def test_search_communes_on_the_shipped_registers(query: str, codes: list[str]) -> None:
    assert [c.code for c in search_communes(SHIPPED, query)] == codes


@pytest.mark.parametrize(("query", "ids"), [
    ("cb0", ["CB01", "CB02", "CB03", "CB04"]),
    ("cb03", ["CB03"]),
    ("tai chinh", ["CB02", "CB03"]),
    ("ha thi ngan", ["CB01"]),
    ("Hoa", ["CB03"]),
    ("van", ["CB02", "CB04"]),
])
def test_search_cadres(data: Path, query: str, ids: list[str]) -> None:
    cadres = load_registers(data).registers.cadres
    assert [c.id for c in search_cadres(cadres, query)] == ids


def test_commune_list_table(data: Path) -> None:
    result = invoke("commune", "list", "--data", str(data), "--search", "cho don",
                    env={"THEODOI_TODAY": "2024-12-01", "THEODOI_LANG": "en"})
    assert result.returncode == 0
    # "cho don" is a district: its units, the town first.
    lines = result.stdout.splitlines()
    assert lines[0] == ("Communes, wards and towns matching 'cho don', with the cadres "
                        "following them on 2024-12-01")
    assert [line.split("|")[1:3] for line in lines if line.startswith("| 0")] == [
        [" 02020 ", " Thị trấn Bằng Lũng "], [" 02068 ", " Xã Đại Sảo         "]]
    result = invoke("commune", "list", "--data", str(data), "--search", "ha noi",
                    env={"THEODOI_TODAY": "2024-12-01", "THEODOI_LANG": "en"})
    assert result.stdout == ("Communes, wards and towns matching 'ha noi', with the cadres "
                             "following them on 2024-12-01\n\nNo commune matches.\n\n")
    result = invoke("commune", "list", "--data", str(data), "--search", "a",
                    env={"THEODOI_TODAY": "2024-12-01", "THEODOI_LANG": "en"})
    lines = result.stdout.splitlines()
    assert lines[0] == ("Communes, wards and towns matching 'a', with the cadres following "
                        "them on 2024-12-01")
    assert "| 02068 | Xã Đại Sảo" in result.stdout and "(vacant)" in result.stdout


def test_commune_list_csv_on_a_day(data: Path) -> None:
    result = invoke("commune", "list", "--data", str(data), "--search", "dai sao", "--as-of",
                    "15/10/2024", "--format", "csv", env={"THEODOI_TODAY": "2024-12-01"})
    assert result.stdout == ("code,name,kind,district_code,district_name,cadre_id,cadre_name\n"
                             "02068,Xã Đại Sảo,xã,064,Huyện Chợ Đồn,CB01,Hà Thị Ngần\n")
    result = invoke("commune", "list", "--data", str(data), "--search", "dai sao", "--format",
                    "csv", env={"THEODOI_TODAY": "2024-12-01"})
    assert result.stdout.splitlines()[1] == "02068,Xã Đại Sảo,xã,064,Huyện Chợ Đồn,,"


def test_cadre_list_json(data: Path) -> None:
    result = invoke("cadre", "list", "--data", str(data), "--search", "CB01", "--format",
                    "json", env={"THEODOI_TODAY": "2024-12-01"})
    assert json.loads(result.stdout) == [{
        "id": "CB01", "name": "Hà Thị Ngần", "title": "Tổng biên tập", "agency": "Báo Bắc Kạn",
        "phone": None, "email": None, "commune_code": None, "commune_name": None}]
    result = invoke("cadre", "list", "--data", str(data), "--search", "CB01", "--as-of",
                    "2024-09-01", "--format", "json", env={"THEODOI_TODAY": "2024-12-01"})
    assert json.loads(result.stdout)[0]["commune_name"] == "Xã Đại Sảo"


def test_cadre_list_sits_beside_cadre_add(data: Path) -> None:
    result = invoke("cadre", "--help", env={"THEODOI_LANG": "en", "COLUMNS": "100"})
    assert "add " in result.stdout and "list " in result.stdout


# --- issue 20, item 6: a cadre who follows several communes --------------------------------

SEVERAL = "settings:\n  overdue_days: 90\n  term_start: 2024-08-29\n  communes_per_cadre: 3\n"
FOLLOWS = [
    '{commune: "02068", cadre: CB01, since: 2024-08-29, decision: 1391-QĐ/TU}',
    '{commune: "02020", cadre: CB01, since: 2024-08-29, decision: 1391-QĐ/TU}',
    '{commune: "01834", cadre: CB01, since: 2024-08-29, decision: 1391-QĐ/TU}',
    '{commune: "01837", cadre: CB02, since: 2024-08-29, decision: 1391-QĐ/TU}',
]
EN = {"THEODOI_LANG": "en", "THEODOI_TODAY": "2024-09-20"}


def _pairs(data: Path) -> set[tuple[str, str]]:
    registers = load_registers(data).registers
    from datetime import date

    return {(a.commune, a.cadre) for a in registers.assignments_on(date(2024, 9, 20))}


def test_cadre_list_names_every_commune_a_cadre_follows(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "data", assignments=FOLLOWS, settings=SEVERAL)
    rows = [line.split(",") for line in invoke(
        "cadre", "list", "--data", str(data), "--format", "csv", env=EN).stdout.splitlines()]
    assert [(r[0], r[6], r[7]) for r in rows[1:]] == [
        ("CB01", "01834", "Phường Nguyễn Thị Minh Khai"), ("CB01", "02020", "Thị trấn Bằng Lũng"),
        ("CB01", "02068", "Xã Đại Sảo"), ("CB02", "01837", "Phường Sông Cầu"),
        ("CB03", "", ""), ("CB04", "", "")]
    table = invoke("cadre", "list", "--data", str(data), env={**EN, "COLUMNS": "400"}).stdout
    line = next(line for line in table.splitlines() if "CB01" in line)
    assert "Phường Nguyễn Thị Minh Khai; Thị trấn Bằng Lũng; Xã Đại Sảo" in line
    assert sum("CB01" in line for line in table.splitlines()) == 1


def test_cadre_list_xlsx_round_trip_keeps_every_assignment(tmp_path: Path) -> None:
    """communes_per_cadre: 3: the list written as a workbook is imported into a
    workspace without assignments, which then holds the same four."""
    two = SMALL_CADRES[:2]  # every cadre follows a commune: the annex lists no one idle
    source = write_data_folder(tmp_path / "source", cadres=two, assignments=FOLLOWS,
                               settings=SEVERAL)
    book = tmp_path / "can-bo.xlsx"
    written = invoke("cadre", "list", "--data", str(source), "--format", "xlsx", "--output",
                     str(book), env=EN)
    assert written.returncode == 0, written.stderr
    target = write_data_folder(tmp_path / "target", cadres=two, assignments=[],
                               settings=SEVERAL)
    result = invoke("import", "assignments", str(book), "--data", str(target), "--since",
                    "29/08/2024", "--decision", "1391-QĐ/TU, 29/08/2024", "--yes", env=EN)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _pairs(target) == _pairs(source) == {
        ("02068", "CB01"), ("02020", "CB01"), ("01834", "CB01"), ("01837", "CB02")}
