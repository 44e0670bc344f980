"""`theodoi validate`: one test per check, each with good and broken data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import (
    SHIPPED_DATA,
    SMALL_ASSIGNMENTS,
    SMALL_CADRES,
    SMALL_COMMUNES,
    invoke,
    write_data_folder,
)

from theodoi.cli.main import main

AS_OF = "2024-09-01"


def validate(
    capsys: pytest.CaptureFixture[str], folder: Path, *extra: str, as_of: str = AS_OF
) -> tuple[int, list[dict[str, object]]]:
    """Run validate in-process (English) and return (exit code, problems)."""
    code = main(
        [
            "validate",
            "--data",
            str(folder),
            "--as-of",
            as_of,
            "--format",
            "json",
            "--lang",
            "en",
            *extra,
        ]
    )
    out = capsys.readouterr().out
    return code, json.loads(out)


def codes(problems: list[dict[str, object]]) -> list[tuple[object, object, object]]:
    return [(Path(str(p["file"])).name, p["line"], p["code"]) for p in problems]


def test_shipped_data_is_a_clean_one_to_one_match() -> None:
    result = invoke("validate", "--data", str(SHIPPED_DATA), "--as-of", "2024-09-01")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "108 xã, phường, thị trấn; 108 cán bộ theo dõi; 108 phân công" in result.stdout
    assert "Không phát hiện lỗi." in result.stdout


def test_small_clean_folder_counts_without_hard_coding(capsys, tmp_path: Path) -> None:
    folder = write_data_folder(tmp_path / "data")
    code, problems = validate(capsys, folder)
    assert (code, problems) == (0, [])
    main(["validate", "--data", str(folder), "--as-of", AS_OF, "--lang", "en"])
    assert "4 communes, 4 cadres following them, 4 assignments in force on 2024-09-01." in (
        capsys.readouterr().out
    )


def test_before_the_decision_no_commune_has_a_cadre(capsys, tmp_path: Path) -> None:
    code, problems = validate(capsys, write_data_folder(tmp_path / "d"), as_of="2024-08-28")
    assert code == 1
    assert codes(problems) == [
        ("communes.csv", line, "commune-without-cadre") for line in (2, 3, 4, 5)
    ]


def test_duplicate_commune_code(capsys, tmp_path: Path) -> None:
    communes = [*SMALL_COMMUNES, "02068,Xã Đại Sảo,xã,064,Huyện Chợ Đồn"]
    code, problems = validate(capsys, write_data_folder(tmp_path / "d", communes=communes))
    assert code == 1
    assert codes(problems) == [("communes.csv", 6, "duplicate-commune")]
    assert problems[0]["message"] == "commune code 02068 is listed twice (first on line 2)"


def test_duplicate_cadre_id(capsys, tmp_path: Path) -> None:
    cadres = [*SMALL_CADRES, "CB02,Trần Văn Nam,Phó Giám đốc,Sở Y tế,,"]
    code, problems = validate(capsys, write_data_folder(tmp_path / "d", cadres=cadres))
    assert code == 1
    assert codes(problems) == [("cadres.csv", 6, "duplicate-cadre")]


def test_unknown_commune_and_cadre_references(capsys, tmp_path: Path) -> None:
    assignments = [
        *SMALL_ASSIGNMENTS[:3],
        '{commune: "09999", cadre: CB04, since: 2024-08-29}',
        '{commune: "01837", cadre: CB99, since: 2024-08-29}',
    ]
    code, problems = validate(capsys, write_data_folder(tmp_path / "d", assignments=assignments))
    assert code == 1
    # assignments start on line 9 of the file written by write_data_folder
    assert ("assignments.yaml", 12, "unknown-commune") in codes(problems)
    assert ("assignments.yaml", 13, "unknown-cadre") in codes(problems)


def test_commune_without_cadre_and_unassigned_cadre(capsys, tmp_path: Path) -> None:
    code, problems = validate(
        capsys, write_data_folder(tmp_path / "d", assignments=SMALL_ASSIGNMENTS[:3])
    )
    assert code == 1
    assert codes(problems) == [
        ("cadres.csv", 5, "cadre-unassigned"),
        ("communes.csv", 5, "commune-without-cadre"),
    ]
    assert [p["severity"] for p in problems] == ["warning", "error"]


def test_one_cadre_on_two_communes(capsys, tmp_path: Path) -> None:
    assignments = [*SMALL_ASSIGNMENTS[:3], '{commune: "01837", cadre: CB01, since: 2024-08-29}']
    code, problems = validate(capsys, write_data_folder(tmp_path / "d", assignments=assignments))
    assert code == 1
    assert ("assignments.yaml", 12, "cadre-two-communes") in codes(problems)


def test_overlapping_assignments_on_one_commune(capsys, tmp_path: Path) -> None:
    assignments = [
        *SMALL_ASSIGNMENTS[:3],
        '{commune: "01837", cadre: CB04, since: 2024-08-29, until: 2025-03-31}',
        '{commune: "01837", cadre: CB03, since: 2025-03-01}',
    ]
    code, problems = validate(capsys, write_data_folder(tmp_path / "d", assignments=assignments))
    assert code == 1
    assert ("assignments.yaml", 13, "overlapping-assignments") in codes(problems)


def test_a_proper_replacement_is_clean_on_every_date(capsys, tmp_path: Path) -> None:
    cadres = [*SMALL_CADRES, "CB05,Triệu Văn Sơn,Phó Trưởng ban,Ban Tổ chức Tỉnh ủy,,"]
    assignments = [
        *SMALL_ASSIGNMENTS[:3],
        '{commune: "01837", cadre: CB04, since: 2024-08-29, until: 2025-03-14}',
        '{commune: "01837", cadre: CB05, since: 2025-03-15}',
    ]
    folder = write_data_folder(tmp_path / "d", cadres=cadres, assignments=assignments)
    for day in ("2024-09-01", "2025-03-14", "2025-03-15", "2026-01-01"):
        assert validate(capsys, folder, as_of=day) == (0, []), day


def test_inverted_range(capsys, tmp_path: Path) -> None:
    assignments = [
        *SMALL_ASSIGNMENTS[:3],
        '{commune: "01837", cadre: CB04, since: 2024-08-29, until: 2024-08-01}',
    ]
    code, problems = validate(capsys, write_data_folder(tmp_path / "d", assignments=assignments))
    assert ("assignments.yaml", 12, "inverted-range") in codes(problems)
    assert code == 1


@pytest.mark.parametrize("bad", ["2024-02-31", "31/02/2024", "2024-13-01", "hôm qua"])
def test_impossible_dates(capsys, tmp_path: Path, bad: str) -> None:
    assignments = [*SMALL_ASSIGNMENTS[:3], f'{{commune: "01837", cadre: CB04, since: "{bad}"}}']
    code, problems = validate(capsys, write_data_folder(tmp_path / "d", assignments=assignments))
    assert code == 1
    assert ("assignments.yaml", 12, "bad-date") in codes(problems)


def test_dd_mm_yyyy_dates_are_accepted_in_assignments(capsys, tmp_path: Path) -> None:
    assignments = [*SMALL_ASSIGNMENTS[:3], '{commune: "01837", cadre: CB04, since: 29/08/2024}']
    assert validate(capsys, write_data_folder(tmp_path / "d", assignments=assignments)) == (0, [])


def test_unquoted_code_is_refused_with_a_hint(capsys, tmp_path: Path) -> None:
    # 02020 unquoted is an octal number to YAML 1.1 (1040): it must be refused, not guessed.
    assignments = [
        SMALL_ASSIGNMENTS[0],
        "{commune: 02020, cadre: CB02, since: 2024-08-29}",
        *SMALL_ASSIGNMENTS[2:],
    ]
    code, problems = validate(capsys, write_data_folder(tmp_path / "d", assignments=assignments))
    assert code == 1
    assert ("assignments.yaml", 10, "unquoted-code") in codes(problems)


def test_text_not_nfc_and_surrounding_spaces(capsys, tmp_path: Path) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Hà Thị Ngần")
    cadres = [
        f"CB01,{decomposed},Tổng biên tập,Báo Bắc Kạn,,",
        *SMALL_CADRES[1:3],
        "CB04, Lý Văn Đức,Trưởng ban,Ban Dân vận Tỉnh ủy,,",
    ]
    code, problems = validate(capsys, write_data_folder(tmp_path / "d", cadres=cadres))
    assert code == 1
    assert codes(problems) == [
        ("cadres.csv", 2, "not-nfc"),
        ("cadres.csv", 5, "surrounding-spaces"),
    ]


def test_bad_code_formats_and_kind(capsys, tmp_path: Path) -> None:
    communes = [
        "2068,Xã Đại Sảo,xã,64,Huyện Chợ Đồn",
        *SMALL_COMMUNES[1:3],
        "01837,Phường Sông Cầu,quận,058,Thành phố Bắc Kạn",
    ]
    code, problems = validate(capsys, write_data_folder(tmp_path / "d", communes=communes))
    assert code == 1
    found = codes(problems)
    for expected in [
        ("communes.csv", 2, "bad-commune-code"),
        ("communes.csv", 2, "bad-district-code"),
        ("communes.csv", 5, "bad-commune-kind"),
    ]:
        assert expected in found


def test_missing_required_field_and_short_row(capsys, tmp_path: Path) -> None:
    cadres = [*SMALL_CADRES[:3], "CB04,,Trưởng ban,Ban Dân vận Tỉnh ủy,,", "CB05,Ma Văn A"]
    code, problems = validate(capsys, write_data_folder(tmp_path / "d", cadres=cadres))
    assert code == 1
    found = codes(problems)
    assert ("cadres.csv", 5, "missing-field") in found
    assert ("cadres.csv", 6, "csv-field-count") in found


def test_missing_column_names_the_header(capsys, tmp_path: Path) -> None:
    folder = write_data_folder(tmp_path / "d")
    (folder / "communes.csv").write_text(
        "code,name,district_code\n02068,Xã Đại Sảo,064\n", encoding="utf-8"
    )
    code, problems = validate(capsys, folder)
    assert code == 1
    assert codes(problems) == [("communes.csv", 1, "csv-missing-columns")]
    assert "the header lacks kind, district_name" in str(problems[0]["message"])


def test_excel_bom_and_crlf_are_accepted(capsys, tmp_path: Path) -> None:
    folder = write_data_folder(tmp_path / "d")
    for name in ("communes.csv", "cadres.csv", "assignments.yaml"):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert validate(capsys, folder) == (0, [])


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "cadres.csv",
            "id,name\nCB01,Hà Thị Ngần\n".encode("latin-1", "replace").replace(b"?", b"\xe0"),
            "not UTF-8",
        ),
        ("cadres.csv", "id,name,title,agency\n".encode("utf-16"), "UTF-16"),
        ("communes.csv", b"", "empty"),
        ("assignments.yaml", b"", "empty"),
        (
            "assignments.yaml",
            b"settings:\n  overdue_days: 90\n assignments: [\n",
            "YAML syntax error",
        ),
        (
            "assignments.yaml",
            b"assignments:\n  - !!python/object/apply:os.system ['touch MARKER']\n",
            "not allowed",
        ),
        ("assignments.yaml", b"- just a list\n", "expected a mapping"),
        ("assignments.yaml", b"assignments: []\nassignments: []\n", "duplicate key"),
    ],
)
def test_broken_files_are_named_never_a_traceback(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    folder = write_data_folder(tmp_path / "d")
    marker = tmp_path / "executed"  # what the YAML would create if it were run
    (folder / name).write_bytes(content.replace(b"MARKER", str(marker).encode()))
    result = invoke("validate", "--data", str(folder), "--as-of", AS_OF, "--lang", "en")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{folder / name}:") or first.startswith(f"{folder.name}/{name}")
    assert expected in first
    assert not marker.exists()


def test_yaml_syntax_error_gives_line_and_column(capsys, tmp_path: Path) -> None:
    folder = write_data_folder(tmp_path / "d")
    (folder / "assignments.yaml").write_text(
        'assignments:\n  - {commune: "02068", cadre: CB01, since: 2024-08-29\n', encoding="utf-8"
    )
    code, problems = validate(capsys, folder)
    assert code == 1
    assert problems[0]["code"] == "yaml-syntax"
    assert (problems[0]["line"], problems[0]["column"]) == (3, 1)


def test_python_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    folder = write_data_folder(tmp_path / "d")
    (folder / "assignments.yaml").write_text(
        f"assignments: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    result = invoke("validate", "--data", str(folder), "--as-of", AS_OF)
    assert result.returncode == 1
    assert "không chấp nhận thẻ YAML !!python/object/apply:os.system" in result.stdout
    assert not marker.exists()


def test_a_folder_where_a_file_should_be(tmp_path: Path) -> None:
    folder = write_data_folder(tmp_path / "d")
    (folder / "cadres.csv").unlink()
    (folder / "cadres.csv").mkdir()
    (folder / "communes.csv").unlink()
    result = invoke("validate", "--data", str(folder), "--as-of", AS_OF, "--lang", "en")
    assert result.returncode == 1
    assert "cadres.csv: error [not-a-file]: is a folder, expected a file" in result.stdout
    assert "communes.csv: error [file-missing]: file not found" in result.stdout


def test_missing_data_folder(tmp_path: Path) -> None:
    result = invoke("validate", "--data", str(tmp_path / "nope"))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"theodoi: lỗi [data-folder-missing]: {tmp_path / 'nope'}: không "
                             "tìm thấy thư mục dữ liệu (chỉ định --data THƯ_MỤC hoặc đặt biến "
                             "THEODOI_DATA)\n")


def test_data_folder_from_environment_then_default(tmp_path: Path) -> None:
    folder = write_data_folder(tmp_path / "data")
    by_env = invoke("validate", "--as-of", AS_OF, env={"THEODOI_DATA": str(folder)})
    by_default = invoke("validate", "--as-of", AS_OF, cwd=tmp_path)
    assert by_env.returncode == by_default.returncode == 0
    assert "4 xã, phường, thị trấn" in by_env.stdout
    assert "4 xã, phường, thị trấn" in by_default.stdout


def test_bad_as_of_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("validate", "--data", str(SHIPPED_DATA), "--as-of", "31/02/2024")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "Cách dùng: theodoi validate [TÙY_CHỌN]\nGõ 'theodoi validate -h' để xem hướng dẫn.\n"
        "theodoi: lỗi [command-line]: --as-of: '31/02/2024' không phải ngày hợp lệ: tháng "
        "2/2024 có 29 ngày; ngày hợp lệ gần nhất là 29/02/2024 (viết 2024-09-15 hoặc "
        "15/09/2024)\n")


def test_text_output_lists_file_line_then_summary(tmp_path: Path) -> None:
    folder = write_data_folder(tmp_path / "d", assignments=SMALL_ASSIGNMENTS[:3])
    result = invoke("validate", "--data", str(folder), "--as-of", AS_OF, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "d/cadres.csv:5: cảnh báo [cadre-unassigned]: cán bộ CB04 (Lý Văn Đức) chưa được phân công theo dõi xã nào",
        "d/communes.csv:5: lỗi [commune-without-cadre]: Phường Sông Cầu (01837) không có cán bộ theo dõi vào ngày 01/09/2024",
        "4 xã, phường, thị trấn; 3 cán bộ theo dõi; 3 phân công có hiệu lực ngày 01/09/2024.",
        "1 lỗi, 1 cảnh báo.",
    ]
