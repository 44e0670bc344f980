"""Write the sample data/cadres.csv and data/assignments.yaml for Decision 1391-QĐ/TU.

Why this exists: the annex of Decision 1391-QĐ/TU (Bắc Kạn, 29/8/2024), which
names the 108 provincial leaders and the commune each one follows, is not
public.  To develop and demonstrate theodoi we need a register of the same
shape, so this script invents one, reproducibly (seeded random): fictional
names, real-sounding titles and agencies, at most four cadres per agency and
one head each.  The one real row is Hà Thị Ngần, Tổng biên tập of Báo Bắc Kạn,
who follows Xã Đại Sảo (02068), as reported in the press.

Cadre ids follow the order of data/communes.csv: CB001 follows its first
commune, CB002 the second, and so on.  A file that is not exactly this sample
(real data typed in by a clerk, say) is never overwritten without --force.

    python scripts/generate_sample_cadres.py            # writes the two files in data/
    python scripts/generate_sample_cadres.py --check    # exit 1 if they differ
    python scripts/generate_sample_cadres.py --force    # overwrite even edited files
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

# The communes script is a sibling file, not an installed module.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_communes  # noqa: E402

SEED = 1391
DECISION = "1391-QĐ/TU"
DECISION_DATE = "2024-08-29"
OVERDUE_DAYS = 90
CADRE_COLUMNS = ("id", "name", "title", "agency", "phone", "email")
CADRES_FILE = "cadres.csv"
ASSIGNMENTS_FILE = "assignments.yaml"

REAL_COMMUNE = "02068"  # Xã Đại Sảo, Huyện Chợ Đồn
REAL_CADRE = {"name": "Hà Thị Ngần", "title": "Tổng biên tập", "agency": "Báo Bắc Kạn"}

# (agency, head's title, deputy's title, cadres assigned, share of women)
AGENCIES: tuple[tuple[str, str, str, int, float], ...] = (
    ("Ban Tổ chức Tỉnh ủy", "Trưởng ban", "Phó Trưởng ban", 4, 0.3),
    ("Ban Tuyên giáo Tỉnh ủy", "Trưởng ban", "Phó Trưởng ban", 4, 0.4),
    ("Ban Dân vận Tỉnh ủy", "Trưởng ban", "Phó Trưởng ban", 4, 0.4),
    ("Ban Nội chính Tỉnh ủy", "Trưởng ban", "Phó Trưởng ban", 3, 0.2),
    ("Ủy ban Kiểm tra Tỉnh ủy", "Chủ nhiệm", "Phó Chủ nhiệm", 4, 0.3),
    ("Văn phòng Tỉnh ủy", "Chánh Văn phòng", "Phó Chánh Văn phòng", 3, 0.3),
    ("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh", "Bí thư", "Phó Bí thư", 2, 0.3),
    ("Trường Chính trị tỉnh", "Hiệu trưởng", "Phó Hiệu trưởng", 2, 0.4),
    ("Báo Bắc Kạn", "Tổng biên tập", "Phó Tổng biên tập", 3, 0.4),
    ("Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Chánh Văn phòng", "Phó Chánh Văn phòng", 2, 0.4),
    ("Văn phòng UBND tỉnh", "Chánh Văn phòng", "Phó Chánh Văn phòng", 3, 0.3),
    ("Sở Nội vụ", "Giám đốc", "Phó Giám đốc", 3, 0.3),
    ("Sở Tài chính", "Giám đốc", "Phó Giám đốc", 3, 0.4),
    ("Sở Kế hoạch và Đầu tư", "Giám đốc", "Phó Giám đốc", 3, 0.3),
    ("Sở Y tế", "Giám đốc", "Phó Giám đốc", 3, 0.4),
    ("Sở Giáo dục và Đào tạo", "Giám đốc", "Phó Giám đốc", 4, 0.5),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Giám đốc", "Phó Giám đốc", 4, 0.2),
    ("Sở Xây dựng", "Giám đốc", "Phó Giám đốc", 3, 0.1),
    ("Sở Giao thông vận tải", "Giám đốc", "Phó Giám đốc", 3, 0.1),
    ("Sở Tư pháp", "Giám đốc", "Phó Giám đốc", 2, 0.4),
    ("Sở Công Thương", "Giám đốc", "Phó Giám đốc", 3, 0.3),
    ("Sở Tài nguyên và Môi trường", "Giám đốc", "Phó Giám đốc", 3, 0.2),
    ("Sở Lao động - Thương binh và Xã hội", "Giám đốc", "Phó Giám đốc", 3, 0.4),
    ("Sở Văn hóa, Thể thao và Du lịch", "Giám đốc", "Phó Giám đốc", 3, 0.4),
    ("Sở Thông tin và Truyền thông", "Giám đốc", "Phó Giám đốc", 2, 0.3),
    ("Sở Khoa học và Công nghệ", "Giám đốc", "Phó Giám đốc", 2, 0.3),
    ("Thanh tra tỉnh", "Chánh Thanh tra", "Phó Chánh Thanh tra", 2, 0.2),
    ("Ban Dân tộc tỉnh", "Trưởng ban", "Phó Trưởng ban", 2, 0.3),
    ("Ban Quản lý các khu công nghiệp tỉnh", "Trưởng ban", "Phó Trưởng ban", 2, 0.2),
    ("Đài Phát thanh và Truyền hình tỉnh", "Giám đốc", "Phó Giám đốc", 2, 0.4),
    ("Ủy ban MTTQ Việt Nam tỉnh", "Chủ tịch", "Phó Chủ tịch", 3, 0.4),
    ("Hội Nông dân tỉnh", "Chủ tịch", "Phó Chủ tịch", 2, 0.2),
    ("Hội Liên hiệp Phụ nữ tỉnh", "Chủ tịch", "Phó Chủ tịch", 2, 1.0),
    ("Tỉnh đoàn", "Bí thư", "Phó Bí thư", 2, 0.4),
    ("Liên đoàn Lao động tỉnh", "Chủ tịch", "Phó Chủ tịch", 2, 0.4),
    ("Hội Cựu chiến binh tỉnh", "Chủ tịch", "Phó Chủ tịch", 2, 0.0),
    ("Công an tỉnh", "Giám đốc", "Phó Giám đốc", 3, 0.0),
    ("Bộ Chỉ huy Quân sự tỉnh", "Chỉ huy trưởng", "Phó Chỉ huy trưởng", 2, 0.0),
    ("Tòa án nhân dân tỉnh", "Chánh án", "Phó Chánh án", 2, 0.3),
    ("Viện Kiểm sát nhân dân tỉnh", "Viện trưởng", "Phó Viện trưởng", 2, 0.3),
)

# Family names weighted towards those common among the Tày, Nùng and Dao of Bắc Kạn.
FAMILY_NAMES = (
    "Nông", "Nông", "Hoàng", "Hoàng", "Hà", "Hà", "Triệu", "Lý", "Ma", "Lục", "Đàm", "Bế",
    "Dương", "Lưu", "Nguyễn", "Nguyễn", "Phạm", "Trần", "Lê", "Đinh", "Vi", "Hứa", "Lương",
    "Chu", "Đặng", "Lăng", "Đồng", "Lâm",
)  # fmt: skip
MIDDLE_NAMES = {
    "m": ("Văn", "Văn", "Văn", "Đức", "Quang", "Minh", "Hữu", "Xuân", "Thanh", "Ngọc",
          "Đình", "Mạnh", "Trọng", "Công", "Tiến", "Việt", "Duy", "Hồng"),
    "f": ("Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Hồng", "Minh", "Bích", "Kim",
          "Thúy", "Phương", "Hải"),
}  # fmt: skip
GIVEN_NAMES = {
    "m": ("Hùng", "Dũng", "Tuấn", "Thắng", "Long", "Cường", "Hải", "Sơn", "Quyết", "Bình",
          "Thành", "Phong", "Khánh", "Nam", "Toàn", "Trường", "Hưng", "Lâm", "Tiến", "Kiên",
          "Chiến", "Đông", "Hoàn", "Thịnh", "Vinh", "Tùng", "Nghĩa", "Hòa", "Quân", "Đạt",
          "Huy", "Khải", "Lợi", "Phúc", "Tân", "Thái", "Triều", "Vượng", "Bảo", "Đức"),
    "f": ("Hà", "Hương", "Lan", "Hạnh", "Thủy", "Huyền", "Nga", "Loan", "Phượng", "Yến",
          "Dung", "Hoa", "Mai", "Thảo", "Trang", "Liên", "Nhung", "Vân", "Oanh", "Hiền",
          "Hằng", "Thơm", "Chinh", "Duyên", "Giang", "Linh", "Ly", "Ngọc", "Quỳnh", "Tuyết"),
}  # fmt: skip

YAML_HEADER = f"""\
# Phân công cán bộ theo dõi địa bàn cấp xã — Quyết định {DECISION} ngày 29/8/2024
# của Ban Thường vụ Tỉnh ủy Bắc Kạn: mỗi cán bộ lãnh đạo sở, ban, ngành, đoàn thể
# cấp tỉnh theo dõi một đơn vị hành chính cấp xã.
#
# settings:
#   overdue_days  số ngày không có chuyến công tác tại xã thì coi là quá hạn;
#   term_start    ngày bắt đầu theo dõi (ngày ban hành Quyết định 1391).
# decisions:   các quyết định phân công, thay thế, điều chỉnh (số hiệu, ngày, cơ quan ban hành).
# assignments: mỗi dòng một xã — commune là mã đơn vị hành chính (GSO) 5 chữ số trong
#   data/communes.csv, đặt trong ngoặc kép để giữ số 0 ở đầu; cadre là mã cán bộ trong
#   data/cadres.csv; since là ngày bắt đầu theo dõi; decision là quyết định phân công.
#   Mỗi dòng một phân công, để mỗi thay đổi là một dòng trong lịch sử git.
#
# LƯU Ý: Phụ lục danh sách kèm Quyết định 1391 không được công bố. Trừ dòng của đồng chí
# Hà Thị Ngần (Tổng biên tập Báo Bắc Kạn, theo dõi Xã Đại Sảo, huyện Chợ Đồn, theo tin
# báo chí), mọi cán bộ và phân công trong tệp này là DỮ LIỆU MẪU, hư cấu, do
# scripts/generate_sample_cadres.py tạo ra; thay bằng danh sách thật khi có.
"""


def ascii_fold(text: str) -> str:
    """'Đàm Thị Thúy' -> 'dam thi thuy' (for sample e-mail addresses)."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _posts() -> list[tuple[str, str]]:
    """(agency, title) for every cadre in AGENCIES, the head of each agency first."""
    posts = []
    for agency, head, deputy, count, _ in AGENCIES:
        posts.append((agency, head))
        posts.extend((agency, deputy) for _ in range(count - 1))
    return posts


def build_cadres(communes: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """One cadre per commune, in the communes' order; deterministic (seeded)."""
    codes = [row["code"] for row in communes]
    if REAL_COMMUNE not in codes:
        raise ValueError(f"commune {REAL_COMMUNE} (Xã Đại Sảo) is not in the communes list")
    posts = _posts()
    posts.remove((REAL_CADRE["agency"], REAL_CADRE["title"]))
    if len(posts) + 1 != len(codes):
        raise ValueError(f"AGENCIES provides {len(posts) + 1} cadres for {len(codes)} communes")
    women_share = {agency: share for agency, *_, share in AGENCIES}

    rng = random.Random(SEED)
    rng.shuffle(posts)
    taken_names = {REAL_CADRE["name"]}
    cadres = []
    for position, code in enumerate(codes, start=1):
        cadre_id = f"CB{position:03d}"
        if code == REAL_COMMUNE:
            cadres.append({"id": cadre_id, **REAL_CADRE, "phone": "", "email": ""})
            continue
        agency, title = posts.pop()
        sex = "f" if rng.random() < women_share[agency] else "m"
        name = ""
        while not name or name in taken_names:
            name = " ".join(
                (
                    rng.choice(FAMILY_NAMES),
                    rng.choice(MIDDLE_NAMES[sex]),
                    rng.choice(GIVEN_NAMES[sex]),
                )
            )
        taken_names.add(name)
        cadres.append(
            {
                "id": cadre_id,
                "name": name,
                "title": title,
                "agency": agency,
                "phone": "",
                "email": "",
            }
        )

    # Fictional contacts for about half of the invented cadres (never for the real one).
    invented = [cadre for cadre in cadres if cadre["name"] != REAL_CADRE["name"]]
    phones: set[str] = set()
    emails: set[str] = set()
    for cadre in sorted(rng.sample(invented, len(cadres) // 2), key=lambda c: c["id"]):
        phone = ""
        while not phone or phone in phones:
            phone = f"0209 3{rng.randrange(1000):03d} {rng.randrange(1000):03d}"
        family, *middle, given = ascii_fold(cadre["name"]).split()
        local = given + family[0] + "".join(word[0] for word in middle)
        email, suffix = f"{local}@backan.gov.vn", 1
        while email in emails:
            suffix += 1
            email = f"{local}{suffix}@backan.gov.vn"
        phones.add(phone)
        emails.add(email)
        cadre.update(phone=phone, email=email)
    return cadres


def render_assignments(
    communes: Sequence[Mapping[str, str]], cadres: Sequence[Mapping[str, str]]
) -> str:
    # Written by hand, not yaml.dump: one flow mapping per line keeps git diffs to one line.
    lines = [
        YAML_HEADER.rstrip("\n"),
        "settings:",
        f"  overdue_days: {OVERDUE_DAYS}          "
        "# số ngày không có chuyến công tác thì coi là quá hạn",
        f"  term_start: {DECISION_DATE}    # ngày bắt đầu theo dõi (ngày ban hành Quyết định 1391)",
        "decisions:",
        f"  - number: {DECISION}",
        f"    date: {DECISION_DATE}",
        "    issued_by: Ban Thường vụ Tỉnh ủy Bắc Kạn",
        "    subject: Phân công cán bộ lãnh đạo sở, ban, ngành, đoàn thể cấp tỉnh"
        " theo dõi địa bàn cấp xã",
        "assignments:",
    ]
    lines += [
        f'  - {{commune: "{commune["code"]}", cadre: {cadre["id"]}, '
        f"since: {DECISION_DATE}, decision: {DECISION}}}"
        for commune, cadre in zip(communes, cadres, strict=True)
    ]
    return "\n".join(lines) + "\n"


def build_files(communes: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """File name -> text of the sample cadres.csv and assignments.yaml (pure)."""
    cadres = build_cadres(communes)
    return {
        CADRES_FILE: unicodedata.normalize(
            "NFC", generate_communes.render_csv(cadres, CADRE_COLUMNS)
        ),
        ASSIGNMENTS_FILE: unicodedata.normalize("NFC", render_assignments(communes, cadres)),
    }


def read_communes(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        if tuple(reader.fieldnames or ()) != generate_communes.COLUMNS:
            raise ValueError(f"{path}: expected the columns {','.join(generate_communes.COLUMNS)}")
        return list(reader)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=generate_communes.REPO_ROOT / "data",
        help="folder with communes.csv",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if the files differ")
    mode.add_argument(
        "--force", action="store_true", help="overwrite files that are not the sample"
    )
    args = parser.parse_args(argv)

    communes_path = args.data_dir / "communes.csv"
    if not communes_path.is_file():
        print(
            f"error: {communes_path} not found; run scripts/generate_communes.py first",
            file=sys.stderr,
        )
        return 1
    try:
        files = build_files(read_communes(communes_path))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    # Only a missing file or the unchanged sample may be replaced: anything else may be real data.
    differing = [
        name
        for name, text in files.items()
        if not generate_communes.file_matches(args.data_dir / name, text)
    ]
    if args.check:
        for name in differing:
            print(f"{args.data_dir / name} is missing or differs from the sample", file=sys.stderr)
        return 1 if differing else 0
    edited = [name for name in differing if (args.data_dir / name).exists()]
    if edited and not args.force:
        for name in edited:
            print(
                f"error: {args.data_dir / name} is not the generated sample "
                "(edited, or real data); not overwritten. Use --force to replace it.",
                file=sys.stderr,
            )
        return 1

    for name in differing:
        generate_communes.write_atomically(args.data_dir / name, files[name])
    cadres = list(csv.DictReader(io.StringIO(files[CADRES_FILE])))
    with_contact = sum(bool(cadre["phone"] or cadre["email"]) for cadre in cadres)
    print(
        f"{len(cadres)} cadres ({with_contact} with contact details); "
        f"wrote {', '.join(differing) or 'nothing (up to date)'} in {args.data_dir}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
