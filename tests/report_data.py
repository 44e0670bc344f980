"""A small data folder for the report tests, with every visit written by hand.

Four communes in two districts (from conftest's small data) and a fifth
cadre, CB05, who replaces CB01 on Xã Đại Sảo (02068) from Friday 15/11/2024,
in the middle of Q4 2024.  Sông Cầu (01837) falls vacant on 01/02/2025.
Thị trấn Bằng Lũng (02020) is never visited.

    day          cadre  commune  recorded_at (late = more than 7 days after)
    2024-09-30   CB04   01837    same day                (before Q4)
    2024-10-03   CB01   02068    2024-11-19, 47 days late (recorded in week 47)
    2024-10-10   CB03   01834    2024-10-18, 8 days late  (recorded in week 42)
    2024-11-05   CB01   02068    same day
    2024-11-20   CB05   02068    same day, with difficulties and a proposal
    2024-12-31   CB04   01837    2025-01-07, exactly 7 days: not late (last day of Q4)
    2025-01-01   CB03   01834    same day                 (week 2025-W01 as well)
    2025-03-05   CB05   02068    same day                 (after the as-of date 01/03/2025)
"""

from __future__ import annotations

from pathlib import Path

from conftest import SMALL_CADRES, write_data_folder

CADRES = [*SMALL_CADRES, "CB05,Lương Văn Khánh,Phó Giám đốc,Sở Nội vụ,,"]
ASSIGNMENTS = [
    '{commune: "02068", cadre: CB01, since: 2024-08-29, until: 2024-11-14, '
    "decision: 1391-QĐ/TU}",
    '{commune: "02068", cadre: CB05, since: 2024-11-15, decision: 1391-QĐ/TU}',
    '{commune: "02020", cadre: CB02, since: 2024-08-29, decision: 1391-QĐ/TU}',
    '{commune: "01834", cadre: CB03, since: 2024-08-29, decision: 1391-QĐ/TU}',
    '{commune: "01837", cadre: CB04, since: 2024-08-29, until: 2025-01-31, '
    "decision: 1391-QĐ/TU}",
    '{commune: "01837", cadre: "", since: 2025-02-01}',
]

VISITS = {
    "2024-09-30": """\
- id: V-20240930-001
  date: 2024-09-30
  cadre: CB04
  commune: "01837"
  kind: working
  recorded_at: '2024-09-30T16:00:00+07:00'
""",
    "2024-10-03": """\
- id: V-20241003-001
  date: 2024-10-03
  cadre: CB01
  commune: "02068"
  kind: executive
  notes: Dự họp Ban Chấp hành Đảng bộ xã
  recorded_at: '2024-11-19T09:00:00+07:00'
""",
    "2024-10-10": """\
- id: V-20241010-001
  date: 2024-10-10
  cadre: CB03
  commune: "01834"
  kind: survey
  recorded_at: '2024-10-18T08:30:00+07:00'
""",
    "2024-11-05": """\
- id: V-20241105-001
  date: 2024-11-05
  cadre: CB01
  commune: "02068"
  kind: working
  recorded_at: '2024-11-05T15:00:00+07:00'
""",
    "2024-11-20": """\
- id: V-20241120-001
  date: 2024-11-20
  cadre: CB05
  commune: "02068"
  kind: working
  notes: Làm việc với Đảng ủy, UBND xã
  difficulties:
    - Đường liên thôn xuống cấp
    - Thiếu kinh phí sửa nhà văn hóa thôn
  proposals:
    - Đề nghị tỉnh hỗ trợ cứng hóa đường liên thôn
  recorded_at: '2024-11-20T17:00:00+07:00'
""",
    "2024-12-31": """\
- id: V-20241231-001
  date: 2024-12-31
  cadre: CB04
  commune: "01837"
  kind: event
  recorded_at: '2025-01-07T10:00:00+07:00'
""",
    "2025-01-01": """\
- id: V-20250101-001
  date: 2025-01-01
  cadre: CB03
  commune: "01834"
  kind: working
  recorded_at: '2025-01-01T11:00:00+07:00'
""",
    "2025-03-05": """\
- id: V-20250305-001
  date: 2025-03-05
  cadre: CB05
  commune: "02068"
  kind: working
  recorded_at: '2025-03-05T11:00:00+07:00'
""",
}


def write_visits(folder: Path, day_files: dict[str, str]) -> None:
    for day, text in day_files.items():
        path = folder / "visits" / day[:4] / f"{day}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def quarter_data(folder: Path) -> Path:
    """The folder described above, written under ``folder``."""
    write_data_folder(folder, cadres=CADRES, assignments=ASSIGNMENTS)
    write_visits(folder, VISITS)
    return folder
