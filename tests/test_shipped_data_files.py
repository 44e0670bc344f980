"""The data files shipped in data/ are what the scripts in scripts/ generate.

communes.csv comes from the GSO list in vietnam-provinces 0.6.0; cadres.csv and
assignments.yaml are the seeded sample for Decision 1391-QĐ/TU, with one real
row (Hà Thị Ngần, Báo Bắc Kạn, Xã Đại Sảo).
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHIPPED_FILES = ("communes.csv", "cadres.csv", "assignments.yaml")


def load_script(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


communes_script = load_script("generate_communes")
cadres_script = load_script("generate_sample_cadres")


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


@pytest.fixture(scope="module")
def communes() -> list[dict[str, str]]:
    return read_csv("communes.csv")


@pytest.fixture(scope="module")
def cadres() -> list[dict[str, str]]:
    return read_csv("cadres.csv")


@pytest.fixture(scope="module")
def assignments_file() -> dict:
    return yaml.safe_load((DATA / "assignments.yaml").read_text(encoding="utf-8"))


# communes.csv


def test_communes_csv_is_what_the_script_writes(communes):
    rows = communes_script.build_rows()
    assert communes == rows
    assert (DATA / "communes.csv").read_bytes() == communes_script.render_csv(rows).encode()
    assert (DATA / "communes.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "code,name,kind,district_code,district_name"
    )


def test_communes_are_sorted_unique_and_padded(communes):
    codes = [row["code"] for row in communes]
    assert len(codes) == communes_script.EXPECTED_COMMUNES == 108
    assert codes == sorted(set(codes))
    assert all(len(code) == 5 and code.isdigit() for code in codes)
    assert all(len(r["district_code"]) == 3 and r["district_code"].isdigit() for r in communes)


def test_eight_districts(communes):
    districts = {row["district_code"]: row["district_name"] for row in communes}
    assert districts == {
        "058": "Thành phố Bắc Kạn",
        "060": "Huyện Pác Nặm",
        "061": "Huyện Ba Bể",
        "062": "Huyện Ngân Sơn",
        "063": "Huyện Bạch Thông",
        "064": "Huyện Chợ Đồn",
        "065": "Huyện Chợ Mới",
        "066": "Huyện Na Rì",
    }
    per_district = Counter(row["district_name"] for row in communes)
    assert per_district == {
        "Thành phố Bắc Kạn": 8,
        "Huyện Pác Nặm": 10,
        "Huyện Ba Bể": 15,
        "Huyện Ngân Sơn": 10,
        "Huyện Bạch Thông": 14,
        "Huyện Chợ Đồn": 20,
        "Huyện Chợ Mới": 14,
        "Huyện Na Rì": 17,
    }


def test_kinds_match_name_prefixes(communes):
    assert Counter(row["kind"] for row in communes) == {"xã": 95, "thị trấn": 7, "phường": 6}
    prefixes = {"xã": "Xã ", "phường": "Phường ", "thị trấn": "Thị trấn "}
    for row in communes:
        assert row["name"].startswith(prefixes[row["kind"]]), row
    # All six wards are in the provincial city.
    wards = {row["district_name"] for row in communes if row["kind"] == "phường"}
    assert wards == {"Thành phố Bắc Kạn"}


def test_dai_sao(communes):
    row = next(row for row in communes if row["code"] == "02068")
    assert row == {
        "code": "02068",
        "name": "Xã Đại Sảo",
        "kind": "xã",
        "district_code": "064",
        "district_name": "Huyện Chợ Đồn",
    }


@pytest.mark.parametrize(
    ("raw", "kinds", "expected"),
    [
        ("Thành Phố Bắc Kạn", "district", ("thành phố", "Thành phố Bắc Kạn")),
        ("Huyện Chợ Đồn", "district", ("huyện", "Huyện Chợ Đồn")),
        ("Thị Xã Sơn Tây", "district", ("thị xã", "Thị xã Sơn Tây")),
        ("Xã Đại Sảo", "commune", ("xã", "Xã Đại Sảo")),
        ("  Phường Sông Cầu ", "commune", ("phường", "Phường Sông Cầu")),
        ("Thị trấn Chợ Rã", "commune", ("thị trấn", "Thị trấn Chợ Rã")),
        ("THỊ TRẤN Chợ Rã", "commune", ("thị trấn", "Thị trấn Chợ Rã")),
        ("Phường Nguyễn Thị Minh Khai", "commune", ("phường", "Phường Nguyễn Thị Minh Khai")),
        (unicodedata.normalize("NFD", "Xã Đại Sảo"), "commune", ("xã", "Xã Đại Sảo")),
    ],
)
def test_split_type_prefix(raw, kinds, expected):
    allowed = {
        "district": communes_script.DISTRICT_KINDS,
        "commune": communes_script.COMMUNE_KINDS,
    }[kinds]
    kind, name = communes_script.split_type_prefix(raw, allowed)
    assert (kind, name) == expected
    assert unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize(
    "raw", ["Bản Thi", "Xã", "Xã ", "Xãhội", "Huyện Chợ Đồn", "Thị xã Sơn Tây"]
)
def test_split_type_prefix_refuses_unknown_prefixes(raw):
    with pytest.raises(communes_script.SourceDataError, match="unknown type prefix"):
        communes_script.split_type_prefix(raw, communes_script.COMMUNE_KINDS)


def test_communes_check_option(tmp_path, capsys):
    target = tmp_path / "communes.csv"
    assert communes_script.main([str(target), "--check"]) == 1
    assert communes_script.main([str(target)]) == 0
    assert target.read_bytes() == (DATA / "communes.csv").read_bytes()
    assert communes_script.main([str(target), "--check"]) == 0
    target.write_text(target.read_text(encoding="utf-8").replace("Đại Sảo", "Dai Sao"))
    assert communes_script.main([str(target), "--check"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"{target} is missing or differs from the vietnam-provinces 0.6.0 list; "
        "run: python scripts/generate_communes.py")


def test_communes_script_refuses_another_package_version(monkeypatch, capsys):
    monkeypatch.setattr(communes_script, "PACKAGE_VERSION", "0.5.0")
    with pytest.raises(communes_script.SourceDataError, match="0.6.0 is installed"):
        communes_script.build_rows()
    assert communes_script.main(["--check"]) == 1
    assert "pip install 'vietnam-provinces==0.5.0'" in capsys.readouterr().err


# cadres.csv and assignments.yaml


def test_sample_files_are_what_the_script_writes(communes):
    files = cadres_script.build_files(communes)
    assert set(files) == {"cadres.csv", "assignments.yaml"}
    for name, text in files.items():
        assert (DATA / name).read_bytes() == text.encode("utf-8"), name


def test_cadres_have_unique_ids_and_names(cadres):
    assert list(cadres[0]) == ["id", "name", "title", "agency", "phone", "email"]
    assert [c["id"] for c in cadres] == [f"CB{n:03d}" for n in range(1, 109)]
    names = [c["name"] for c in cadres]
    assert len(set(names)) == len(names)
    assert all(len(name.split()) >= 3 for name in names)


def test_agencies_have_one_head_and_at_most_four_cadres(cadres):
    by_agency = Counter(c["agency"] for c in cadres)
    assert max(by_agency.values()) <= 4
    heads = Counter(c["agency"] for c in cadres if not c["title"].startswith("Phó "))
    assert heads == dict.fromkeys(by_agency, 1)


def test_contacts_are_fictional_and_paired(cadres):
    with_contact = [c for c in cadres if c["phone"]]
    assert len(with_contact) == len(cadres) // 2
    for cadre in cadres:
        assert bool(cadre["phone"]) == bool(cadre["email"]), cadre
    for cadre in with_contact:
        assert cadre["phone"].startswith("0209 3") and len(cadre["phone"]) == 13
        assert cadre["email"].endswith("@backan.gov.vn") and cadre["email"].isascii()
    assert len({c["email"] for c in with_contact}) == len(with_contact)


def test_ha_thi_ngan_follows_dai_sao(cadres, assignments_file):
    ngan = [c for c in cadres if c["name"] == "Hà Thị Ngần"]
    assert len(ngan) == 1
    assert (ngan[0]["title"], ngan[0]["agency"]) == ("Tổng biên tập", "Báo Bắc Kạn")
    assert (ngan[0]["phone"], ngan[0]["email"]) == ("", "")  # a real person: no invented contact
    followed = [
        a["commune"] for a in assignments_file["assignments"] if a["cadre"] == ngan[0]["id"]
    ]
    assert followed == ["02068"]


def test_assignments_yaml_shape(communes, cadres, assignments_file):
    assert assignments_file["settings"] == {
        "overdue_days": 90,
        "term_start": dt.date(2024, 8, 29),
    }
    assert assignments_file["decisions"] == [
        {
            "number": "1391-QĐ/TU",
            "date": dt.date(2024, 8, 29),
            "issued_by": "Ban Thường vụ Tỉnh ủy Bắc Kạn",
            "subject": "Phân công cán bộ lãnh đạo sở, ban, ngành, đoàn thể cấp tỉnh "
            "theo dõi địa bàn cấp xã",
        }
    ]
    assert assignments_file["assignments"] == [
        {
            "commune": commune["code"],
            "cadre": cadre["id"],
            "since": dt.date(2024, 8, 29),
            "decision": "1391-QĐ/TU",
        }
        for commune, cadre in zip(communes, cadres, strict=True)
    ]


def test_assignments_are_one_line_each():
    text = (DATA / "assignments.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Phân công cán bộ theo dõi địa bàn cấp xã — Quyết định 1391-QĐ/TU")
    assert "DỮ LIỆU MẪU" in text
    lines = text.split("assignments:\n", 1)[1].splitlines()
    assert len(lines) == 108
    assert all(line.startswith('  - {commune: "0') and line.endswith("}") for line in lines)


def test_sample_script_never_overwrites_edited_files(tmp_path, capsys):
    (tmp_path / "communes.csv").write_bytes((DATA / "communes.csv").read_bytes())
    assert cadres_script.main(["--data-dir", str(tmp_path)]) == 0
    for name in ("cadres.csv", "assignments.yaml"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes()
    assert cadres_script.main(["--data-dir", str(tmp_path), "--check"]) == 0

    cadres_path = tmp_path / "cadres.csv"
    edited = cadres_path.read_text(encoding="utf-8").replace("Hà Thị Ngần", "Hà Thị Ngần (sửa)")
    cadres_path.write_text(edited, encoding="utf-8")
    assert cadres_script.main(["--data-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"error: {cadres_path} is not the generated sample (edited, or real data); not "
        "overwritten. Use --force to replace it.")
    assert cadres_path.read_text(encoding="utf-8") == edited
    assert cadres_script.main(["--data-dir", str(tmp_path), "--check"]) == 1

    assert cadres_script.main(["--data-dir", str(tmp_path), "--force"]) == 0
    assert cadres_path.read_bytes() == (DATA / "cadres.csv").read_bytes()


# All three files


@pytest.mark.parametrize("name", SHIPPED_FILES)
def test_text_is_nfc_utf8_without_bom_and_lf(name):
    raw = (DATA / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")
    text = raw.decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("name", ["communes.csv", "cadres.csv"])
def test_csv_fields_are_stripped_and_non_empty_where_required(name):
    text = (DATA / name).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    optional = {"phone", "email"}
    header = rows[0]
    for row in rows[1:]:
        assert len(row) == len(header)
        for column, value in zip(header, row, strict=True):
            assert value == value.strip(), (column, value)
            assert value or column in optional, (column, row)
