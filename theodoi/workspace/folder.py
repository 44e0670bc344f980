"""``theodoi init``: a new workspace (data folder) for any province, on either map.

The workspace holds what an office needs to start: ``communes.csv`` from the
national registers (:mod:`theodoi.registers.national`), an empty ``cadres.csv`` with
its header, an ``assignments.yaml`` whose settings are written out and
explained and which has no assignment yet, a ``.gitignore``, a
``.gitattributes`` naming theodoi's merge driver for the journals (and the
driver set up in the repository's configuration: :mod:`theodoi.store.sharing`), and
a git repository with a first commit made by a named person.

It is built in a hidden folder beside the target and renamed into place, so
that a failure leaves nothing half made; a target that exists must be an
empty folder.  git runs with argument lists (:mod:`theodoi.store.git`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from theodoi.base import checks
from theodoi.base.i18n import N_
from theodoi.base.office import office_identity
from theodoi.base.periods import format_date
from theodoi.base.problems import Msg
from theodoi.registers.loader import (
    ASSIGNMENTS_FILE,
    CADRE_COLUMNS,
    CADRE_OPTIONAL,
    CADRES_FILE,
    COMMUNES_FILE,
)
from theodoi.registers.lookup import LookupFailed
from theodoi.registers.national import (
    COMMUNES_CSV_COLUMNS,
    Province,
    ProvinceNotFound,
    communes_csv_rows,
    find_province,
)
from theodoi.registers.office_edit import office_lines
from theodoi.store.atomic import new_folder, write_atomically
from theodoi.store.csvfile import csv_text
from theodoi.store.git import Git, Identity
from theodoi.store.sharing import GITATTRIBUTES, set_driver

REFORM_DAY = date(2025, 7, 1)


def current_map(today: date) -> int:
    """The map in force on ``today``: 2025 from the reform of 1/7/2025 on."""
    return 2025 if today >= REFORM_DAY else 2024


def province_of(query: str, map_year: int) -> Province:
    """The province a person means, or a usage error with the closest ones
    (on the 2025 map a province that merged names the one it joined first)."""
    try:
        return find_province(query, map_year)
    except ProvinceNotFound as missing:
        lines = [f"{p.code} {p.name}" for p in missing.candidates]
        failed = LookupFailed(checks.PROVINCE_NOT_FOUND, lines, query=query.strip(),
                              map=map_year)
        old = missing.before_reform
        if old is not None:  # what a clerk of a merged province may well want
            failed.params["closest"] = Msg(N_(
                "{closest}\n  or, with --map 2024, {code} {name} as it stood until 30/06/2025"),
                {"closest": failed.params["closest"], "code": old.code, "name": old.name})
        raise failed from None


def communes_text(province: Province, map_year: int) -> str:
    """communes.csv as ``scripts/generate_communes.py`` writes it: for Bắc Kạn on
    the 2024 map, the shipped data/communes.csv byte for byte."""
    return csv_text(COMMUNES_CSV_COLUMNS, communes_csv_rows(province, map_year))


def assignments_text(province: Province, map_year: int, made_on: date) -> str:
    """An assignments.yaml with every setting written out and explained, and no
    decision or assignment yet (the lists stay open for the line editor)."""
    office = "".join(line + "\n" for line in office_lines(office_identity(province.name), 4))
    map_words = ("danh mục đơn vị hành chính đến 30/06/2025" if map_year == 2024
                 else "danh mục đơn vị hành chính từ 01/07/2025")
    return f"""\
# Phân công cán bộ theo dõi địa bàn cấp xã — {province.name} ({map_words}).
# Tạo bằng theodoi init ngày {format_date(made_on, "vi")}.
#
# settings (thiết lập):
#   overdue_days        số ngày không có chuyến công tác tại xã thì coi là quá hạn (mặc định 90);
#   term_start          ngày bắt đầu theo dõi của nhiệm kỳ (ngày ban hành quyết định phân công):
#                       bỏ dấu # ở dòng dưới và ghi ngày;
#   communes_per_cadre  mỗi cán bộ theo dõi tối đa bao nhiêu xã cùng một lúc: một số, hoặc any
#                       (không giới hạn); ví dụ 8 nếu mỗi đồng chí theo dõi từ 2 đến 8 xã;
#   cadres_per_commune  mỗi xã có tối đa bao nhiêu cán bộ theo dõi cùng một lúc: một số, hoặc any;
#   office              khung của văn bản Word gửi Ban Thường vụ: superior_body (dòng đầu bên trái),
#                       issuing_body (cơ quan ban hành), place (địa danh ở dòng ngày tháng);
#                       người ký, nơi nhận, số hiệu cũng ghi ở đây (xem README).
# decisions: các quyết định phân công, thay thế, điều chỉnh: number (số hiệu, ví dụ 1391-QĐ/TU),
#   date (ngày ban hành), issued_by (cơ quan ban hành), subject (trích yếu).
# assignments: mỗi dòng một phân công: commune (mã đơn vị trong communes.csv, đặt trong ngoặc
#   kép để giữ số 0 ở đầu), cadre (mã cán bộ trong cadres.csv), since (ngày bắt đầu), until
#   (ngày cuối cùng, nếu có), decision (số hiệu quyết định). Thêm bằng theodoi assign, kiểm tra
#   bằng theodoi validate.
settings:
  overdue_days: 90
  # term_start: 2025-10-24
  communes_per_cadre: 1
  cadres_per_commune: 1
  office:
{office}decisions:
assignments:
"""


CADRES_TEXT = ",".join(CADRE_COLUMNS + CADRE_OPTIONAL) + "\n"
GITIGNORE_TEXT = """\
# theodoi giữ bộ nhớ đệm trong ~/.cache/theodoi, không bao giờ trong thư mục này.
# Tệp tạm do một lần ghi bị gián đoạn để lại (theodoi validate cảnh báo khi thấy):
.*.tmp
# Bộ nhớ đệm, nếu THEODOI_CACHE_DIR được đặt vào trong thư mục này:
/.cache/
"""


@dataclass(frozen=True)
class Workspace:
    folder: Path
    province: Province
    map_year: int
    communes: int
    commit: str


def create_workspace(target: Path, province: Province, map_year: int, made_on: date,
                     git: Git, identity: Identity | None = None) -> Workspace:
    """Write the workspace at ``target`` (absent or an empty folder) and make its
    first commit; ``identity`` (asked of the clerk) is set in the new
    repository's own configuration when git has none."""
    from theodoi.workspace.demo import check_new_folder

    check_new_folder(target)
    files = {COMMUNES_FILE: communes_text(province, map_year), CADRES_FILE: CADRES_TEXT,
             ASSIGNMENTS_FILE: assignments_text(province, map_year, made_on),
             ".gitignore": GITIGNORE_TEXT, ".gitattributes": GITATTRIBUTES}
    with new_folder(target) as staging:
        for name, text in files.items():
            write_atomically(staging / name, text.encode("utf-8"))
        git.run(["init", "--quiet"], staging)
        if identity is not None:
            git.run(["config", "user.name", identity.name], staging)
            git.run(["config", "user.email", identity.email], staging)
        set_driver(staging, git)
        git.run(["add", "--", *files], staging)
        communes = files[COMMUNES_FILE].count("\n") - 1
        message = (f"Khởi tạo thư mục dữ liệu theodoi: {province.name}, {communes} đơn vị "
                   f"hành chính cấp xã (danh mục {map_year})")
        git.run(["commit", "--quiet", "-m", message], staging)
        commit = git.run(["rev-parse", "HEAD"], staging).stdout.strip()
    return Workspace(target, province, map_year, communes, commit)
