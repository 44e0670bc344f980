"""``theodoi commune list`` and ``theodoi cadre list``: the registers searched
as ``visit add`` folds names, each row with who follows what on the day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import invoke, write_data_folder

from theodoi.registers import load_registers
from theodoi.search import search_cadres, search_communes

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
])
def test_search_communes(data: Path, query: str | None, codes: list[str]) -> None:
    communes = load_registers(data).registers.communes
    assert [c.code for c in search_communes(communes, query)] == codes


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
    # "cho don" is a district: no commune's name holds it.
    assert result.stdout == ("Communes, wards and towns matching 'cho don', with the cadres "
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
