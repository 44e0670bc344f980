"""The data folder finds itself, as git finds .git, and the shipped sample is not written into.

A clerk works from anywhere inside the office's folder; run from the folder
theodoi was installed from, a command must not record a real visit into the
shipped sample (it would be lost at the next update).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SHIPPED_DATA, invoke, write_data_folder

from theodoi.base.context import SAMPLE_MARKER, choose_data_folder, find_data_folder

VISIT = ("visit", "add", "--commune", "02068", "--date", "15/09/2024")
TODAY = {"THEODOI_TODAY": "2024-09-20"}


def test_found_from_a_subfolder_or_as_the_data_subfolder(tmp_path: Path) -> None:
    office = tmp_path / "office"
    data = write_data_folder(office / "data")
    deep = data / "visits" / "2024"
    deep.mkdir(parents=True)
    assert find_data_folder(deep) == data  # the folder itself, from below
    assert find_data_folder(office) == data  # its data/ subfolder, from beside it
    assert find_data_folder(tmp_path) is None  # nothing above the office holds one
    assert choose_data_folder(None, {}, office) == (Path("data"), "found")
    assert choose_data_folder(None, {"THEODOI_DATA": "x"}, office) == (Path("x"), "environment")
    assert choose_data_folder(Path("y"), {"THEODOI_DATA": "x"}, office) == (Path("y"), "option")
    assert choose_data_folder(None, {}, tmp_path) == (Path("data"), "none")

    listed = invoke("commune", "list", "--search", "dai sao", "--format", "csv", cwd=deep)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[1:] == ["02068,Xã Đại Sảo,xã,064,Huyện Chợ Đồn,CB01,"
                                              "Hà Thị Ngần"]


def test_a_write_says_which_folder_it_found(tmp_path: Path) -> None:
    data = write_data_folder(tmp_path / "office" / "data")
    result = invoke(*VISIT, cwd=tmp_path / "office", env=TODAY)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"theodoi: dùng thư mục dữ liệu {data}\n"
    assert (data / "visits" / "2024" / "2024-09-15.yaml").is_file()
    # Given explicitly, the folder is not announced: the clerk named it.
    again = invoke(*VISIT, "--allow-duplicate", "--data", str(data), env=TODAY)
    assert (again.returncode, again.stderr) == (0, "")


def test_no_data_folder_says_how_to_give_or_make_one(tmp_path: Path) -> None:
    assert find_data_folder(tmp_path) is None  # precondition: nothing above the test folder
    result = invoke("validate", "--lang", "en", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"theodoi: error [no-data-folder]: no data folder in {tmp_path} or the folders above "
        "it; give one with --data DIR or THEODOI_DATA, or go to it (cd), or make one: "
        "'theodoi init DIR --province NAME' for a province, 'theodoi demo DIR' to try "
        "theodoi\n")
    # demo and init make a folder: they need none to start from.
    made = invoke("demo", "practice", "--visits", "5", cwd=tmp_path, env=TODAY)
    assert made.returncode == 0, made.stderr


def test_the_shipped_sample_is_read_but_not_written(tmp_path: Path) -> None:
    checkout = tmp_path / "theodoi-source"
    shutil.copytree(SHIPPED_DATA, checkout / "data")
    sample = checkout / "data"
    assert (sample / SAMPLE_MARKER).is_file()
    before = sorted(p.relative_to(sample) for p in sample.rglob("*"))

    read = invoke("validate", cwd=checkout, env=TODAY)
    assert read.returncode == 0, read.stderr

    refused = f"theodoi: lỗi [sample-data]: {sample} là dữ liệu mẫu kèm theo theodoi"
    for how in ({"cwd": checkout, "env": TODAY},
                {"cwd": tmp_path, "env": {**TODAY, "THEODOI_DATA": str(sample)}}):
        result = invoke(*VISIT, **how)  # type: ignore[arg-type]
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr.startswith(refused), result.stderr
        assert "'theodoi init THƯ_MỤC --province TÊN_TỈNH'" in result.stderr
    assigned = invoke("vacate", "--commune", "02068", "--since", "16/09/2024", cwd=checkout,
                      env=TODAY)
    assert assigned.returncode == 2 and assigned.stderr.startswith(refused)
    # A dry run writes nothing, so it may be tried on the sample.
    dry = invoke("vacate", "--commune", "02068", "--since", "16/09/2024", "--dry-run",
                 cwd=checkout, env=TODAY)
    assert dry.returncode == 0, dry.stderr
    assert sorted(p.relative_to(sample) for p in sample.rglob("*")) == before

    # --data naming it is the one way in.
    written = invoke(*VISIT, "--data", "data", cwd=checkout, env=TODAY)
    assert written.returncode == 0, written.stderr
    assert (sample / "visits" / "2024" / "2024-09-15.yaml").is_file()


def test_a_demo_is_not_a_sample(tmp_path: Path) -> None:
    made = invoke("demo", str(tmp_path / "practice"), "--visits", "5", env=TODAY)
    assert made.returncode == 0, made.stderr
    assert not (tmp_path / "practice" / SAMPLE_MARKER).exists()
    result = invoke(*VISIT, "--allow-duplicate", cwd=tmp_path / "practice", env=TODAY)
    assert result.returncode == 0, result.stderr
