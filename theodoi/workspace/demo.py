"""``theodoi demo``: a complete data folder with a plausible visit history.

The registers are copies of the shipped ones in the source tree's ``data/``
folder (``data/`` beside the ``theodoi`` package: a source checkout or an
editable install).  They are not package data, so that the repository keeps
one copy of them; a wheel installed elsewhere has no demo and says so.

The history is seeded and reproducible: the same seed, visit count and
"today" give the same files.  Most communes are visited regularly by their
cadre; a few are neglected (never visited, or only early on) so that the
overdue report has rows; some visits are made by a substitute, some raise
difficulties and proposals, a few are recorded late; one commune changes
cadre half-way (a replacement decision added to the demo's assignments.yaml
and a new cadre to its cadres.csv).
"""

from __future__ import annotations

import dataclasses
import os
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import theodoi
from theodoi.base import checks
from theodoi.base.model import Assignment, Cadre, Registers, Visit
from theodoi.base.problems import Location, TheodoiError, has_errors
from theodoi.registers.assignments_edit import DecisionRef, edit_assignments_text, plan_assign
from theodoi.registers.loader import ASSIGNMENTS_FILE, CADRES_FILE, COMMUNES_FILE, load_registers
from theodoi.store.atomic import fsync_folder, new_folder, os_error
from theodoi.store.textfile import display_path, read_text
from theodoi.visits.records import VISITS_DIR, render_visits, visit_id

SHIPPED_DATA = Path(theodoi.__file__).resolve().parents[1] / "data"
NEGLECTED_SHARE = 0.05  # communes left alone: half never visited, half only early on
SPORADIC_SHARE = 0.12  # communes visited less often than the others
SUBSTITUTE_SHARE = 0.04
LATE_SHARE = 0.04
PROVINCE = "Bắc Kạn"
REAL_ROW = "02068"  # Xã Đại Sảo, the one published assignment: left as it is

KINDS = (("working", 50), ("executive", 14), ("standing", 10), ("survey", 16), ("event", 8),
         ("other", 2))
NOTES = (
    "Làm việc với Thường trực Đảng ủy xã về kết quả thực hiện nghị quyết đại hội đảng bộ xã",
    "Làm việc với UBND xã về cải cách hành chính và chuyển đổi số",
    "Nắm tình hình sản xuất vụ mùa và tiến độ xây dựng nông thôn mới",
    "Kiểm tra tiến độ giải ngân vốn các chương trình mục tiêu quốc gia",
    "Dự họp Ban Chấp hành Đảng bộ xã đánh giá kết quả lãnh đạo 6 tháng",
    "Dự họp Ban Thường vụ Đảng ủy xã bàn công tác chuẩn bị đại hội",
    "Khảo sát thiệt hại do mưa lũ, thăm hỏi các hộ bị ảnh hưởng",
    "Nắm tình hình an ninh trật tự và công tác giảm nghèo bền vững",
    "Trao đổi với cấp ủy về công tác phát triển đảng viên ở thôn",
    "Dự hội nghị sơ kết công tác dân vận và quy chế dân chủ ở cơ sở",
    "Làm việc về công tác quản lý đất đai, giải phóng mặt bằng",
    "Nắm tình hình triển khai sắp xếp đơn vị hành chính cấp xã",
)
DIFFICULTIES = (
    "Đường liên thôn xuống cấp, đi lại khó khăn vào mùa mưa",
    "Thiếu kinh phí sửa chữa nhà văn hóa thôn",
    "Tỷ lệ hộ nghèo còn cao, nguồn lực hỗ trợ hạn chế",
    "Thiếu cán bộ chuyên môn về địa chính - xây dựng",
    "Sạt lở đất đe dọa một số hộ dân, chưa có kinh phí di dời",
    "Giá nông sản xuống thấp, người dân khó tiêu thụ sản phẩm",
    "Nhiều thôn chưa có sóng điện thoại di động ổn định",
    "Tiến độ giải ngân vốn đầu tư công còn chậm",
    "Thiếu nước sinh hoạt vào mùa khô",
    "Điểm trường thôn xuống cấp, thiếu phòng học",
)
PROPOSALS = (
    "Đề nghị tỉnh hỗ trợ kinh phí cứng hóa đường liên thôn",
    "Kiến nghị bố trí vốn sửa chữa công trình thủy lợi",
    "Đề nghị tăng cường cán bộ chuyên môn cho xã",
    "Đề nghị hỗ trợ di dời các hộ dân vùng có nguy cơ sạt lở",
    "Kiến nghị hỗ trợ kết nối tiêu thụ sản phẩm nông nghiệp",
    "Đề nghị đầu tư trạm phát sóng cho các thôn vùng lõm sóng",
    "Kiến nghị sớm phân bổ vốn các chương trình mục tiêu quốc gia",
    "Đề nghị hỗ trợ xây dựng công trình nước sạch tập trung",
)
SUBSTITUTE_REASONS = (
    "Đi thay đồng chí {name} (đồng chí đi học tập trung)",
    "Đi thay đồng chí {name} (đồng chí đi công tác ngoài tỉnh)",
    "Đi thay đồng chí {name} (đồng chí nghỉ ốm)",
    "Đi thay đồng chí {name} (trùng lịch họp của tỉnh)",
)
NEW_CADRE_NAMES = ("Nông Thị Thu Hà", "Hoàng Văn Quyết", "Triệu Thị Mai", "Lộc Văn Tiến")


@dataclass(frozen=True)
class Replacement:
    commune: str
    old_cadre: str
    new_cadre: Cadre
    day: date  # the new cadre's first day
    decision: str
    decided_on: date


@dataclass(frozen=True)
class DemoResult:
    folder: Path
    visits: int
    first_day: date
    last_day: date
    communes: int
    cadres: int
    replacement: Replacement | None
    never_visited: list[str]
    visited_early_only: list[str]


def shipped_data() -> Path:
    """The source tree's data/ folder, or a clear error when it is not there."""
    for name in (COMMUNES_FILE, CADRES_FILE, ASSIGNMENTS_FILE):
        if not (SHIPPED_DATA / name).is_file():
            raise TheodoiError(checks.SHIPPED_DATA_MISSING, folder=str(SHIPPED_DATA))
    return SHIPPED_DATA


def create_demo(target: Path, visits: int, seed: int, today: date,
                source: Path | None = None) -> DemoResult:
    """Write the demo folder at ``target`` (absent or empty), all at once: it is
    built in a hidden folder beside it and renamed into place."""
    check_new_folder(target)
    source = source or shipped_data()
    loaded = load_registers(source)
    if loaded.unreadable or has_errors(loaded.problems):
        raise TheodoiError(checks.SHIPPED_DATA_BROKEN, folder=str(source))
    registers = loaded.registers
    rng = random.Random(seed)
    first = registers.settings.term_start or min(a.since for a in registers.assignments)
    if today < first:
        raise TheodoiError(checks.TODAY_BEFORE_TERM, today=today, start=first)
    texts = {name: read_text(source / name)
             for name in (COMMUNES_FILE, CADRES_FILE, ASSIGNMENTS_FILE)}
    replacement = plan_replacement(registers, first, today, rng)
    if replacement:
        try:
            registers, texts[ASSIGNMENTS_FILE] = _with_replacement(
                registers, texts[ASSIGNMENTS_FILE], replacement)
        except TheodoiError:  # a layout the editor does not know: no replacement then
            replacement = None
    if replacement:
        texts[CADRES_FILE] = (texts[CADRES_FILE].rstrip("\n") + "\n"
                              + _cadre_line(replacement.new_cadre) + "\n")
    history, never, early = demo_history(registers, visits, first, today, rng)

    with new_folder(target) as staging:
        for name, text in texts.items():
            _write(staging / name, text)
        _write_visits(staging, history)
    return DemoResult(target, len(history), first, today, len(registers.communes),
                      len(registers.cadres), replacement, never, early)


def check_new_folder(target: Path) -> None:
    try:
        target.lstat()
    except FileNotFoundError:
        return  # a new folder: made below
    except OSError as exc:  # a name too long, a part of the path that is a file...
        raise os_error(checks.CANNOT_CREATE_FOLDER, target, exc) from exc
    if target.is_symlink() or not target.is_dir():
        raise TheodoiError(checks.PATH_IN_THE_WAY, Location(display_path(target)))
    try:
        occupied = any(target.iterdir())
    except OSError as exc:
        raise os_error(checks.CANNOT_OPEN_FOLDER, target, exc) from exc
    if occupied:
        raise TheodoiError(checks.FOLDER_NOT_EMPTY, Location(display_path(target)))


# --- the story --------------------------------------------------------------------------

def plan_replacement(registers: Registers, first: date, today: date, rng: random.Random
                     ) -> Replacement | None:
    """One commune changes cadre about half-way through the history."""
    span = (today - first).days
    if span < 60:
        return None
    in_force = [a for a in registers.assignments_on(first)
                if a.cadre and a.until is None and a.commune != REAL_ROW]
    if not in_force:
        return None
    chosen = rng.choice(sorted(in_force, key=lambda a: a.commune))
    day = first + timedelta(days=span * 55 // 100)
    day -= timedelta(days=day.weekday())  # decisions take effect on a Monday
    old = registers.cadres[chosen.cadre]
    numbers = [int(i[2:]) for i in registers.cadres if i[:2] == "CB" and i[2:].isdigit()]
    width = max((len(i) - 2 for i in registers.cadres if i[:2] == "CB"), default=3)
    new_id = f"CB{(max(numbers, default=0) + 1):0{width}d}"
    new = Cadre(new_id, rng.choice(NEW_CADRE_NAMES), old.title, old.agency)
    decided_on = day - timedelta(days=3)
    return Replacement(chosen.commune, chosen.cadre, new, day,
                       f"{1391 + span // 2}-QĐ/TU", decided_on)


def _with_replacement(registers: Registers, text: str, replacement: Replacement
                      ) -> tuple[Registers, str]:
    """The registers and the text of assignments.yaml after the replacement,
    made by the same planner and line editor as ``theodoi assign``."""
    new = replacement.new_cadre
    with_cadre = dataclasses.replace(registers, cadres={**registers.cadres, new.id: new})
    decision = DecisionRef(replacement.decision, replacement.decided_on,
                           f"Ban Thường vụ Tỉnh ủy {PROVINCE}",
                           "Điều chỉnh phân công cán bộ theo dõi địa bàn (dữ liệu mẫu của "
                           "theodoi demo)")
    plan = plan_assign(with_cadre, replacement.commune, new.id, replacement.day, decision,
                       ASSIGNMENTS_FILE)
    if plan.refusals or plan.breaches or plan.after is None:
        raise TheodoiError(checks.CANNOT_EDIT_SAFELY, Location(ASSIGNMENTS_FILE))
    return plan.after, edit_assignments_text(text, plan, ASSIGNMENTS_FILE)


def demo_history(registers: Registers, count: int, first: date, today: date,
                 rng: random.Random) -> tuple[list[Visit], list[str], list[str]]:
    """``count`` visits from ``first`` to ``today``, with the commune codes
    never visited and those visited only in the first months."""
    codes = sorted(registers.communes)
    span = (today - first).days + 1
    neglected = [c for c in codes if c != REAL_ROW]
    rng.shuffle(neglected)
    share = max(2, round(len(codes) * NEGLECTED_SHARE))
    never, early = sorted(neglected[: share // 2]), sorted(neglected[share // 2: share])
    sporadic = set(neglected[share: share + round(len(codes) * SPORADIC_SHARE)])
    weights = {c: 0.0 if c in never else 0.1 if c in early else 0.4 if c in sporadic else 1.0
               for c in codes}
    pool = [c for c in codes if weights[c] > 0]
    if not pool or count <= 0:
        return [], never, early
    per_commune: dict[str, int] = defaultdict(int)
    for code in rng.choices(pool, weights=[weights[c] for c in pool], k=count):
        per_commune[code] += 1

    by_commune: dict[str, list[Assignment]] = defaultdict(list)
    for a in registers.assignments:
        by_commune[a.commune].append(a)
    by_agency: dict[str, list[str]] = defaultdict(list)
    for person in registers.cadres.values():
        by_agency[person.agency].append(person.id)

    planned: list[tuple[int, str, str, str]] = []  # (day ordinal, commune, cadre, substitute)
    start = first.toordinal()
    for code in sorted(per_commune):
        visits = per_commune[code]
        # Spread a commune's visits evenly, with jitter: cadres go on a rhythm.
        window = max(1, span * 3 // 10) if code in early else span
        step = window / visits
        for i in range(visits):
            day = start + min(window - 1, int((i + rng.uniform(0.1, 0.9)) * step))
            planned.append((day, code, *_who(registers, by_commune[code], by_agency,
                                              date.fromordinal(day), rng)))
    planned.sort()

    history: list[Visit] = []
    sequence: dict[int, int] = defaultdict(int)
    for day, code, cadre, substitute in planned:
        sequence[day] += 1
        when = date.fromordinal(day)  # a date object of its own: no YAML anchors
        history.append(Visit(
            id=visit_id(when, sequence[day]),
            date=when,
            cadre=cadre,
            commune=code,
            kind=_weighted(rng, KINDS),
            notes=rng.choice(NOTES),
            difficulties=_some(rng, DIFFICULTIES, 0.3),
            proposals=_some(rng, PROPOSALS, 0.2),
            recorded_at=_recorded_at(when, today, rng),
            substitute=substitute,
        ))
    return history, never, early


def _who(registers: Registers, assignments: list[Assignment],
         by_agency: dict[str, list[str]], day: date, rng: random.Random) -> tuple[str, str]:
    """The cadre in force that day; now and then a colleague goes instead."""
    assigned = next((a.cadre for a in assignments if a.in_force(day) and a.cadre), "")
    if assigned and rng.random() >= SUBSTITUTE_SHARE:
        return assigned, ""
    absent = registers.cadres.get(assigned)
    colleagues = [c for c in by_agency.get(absent.agency if absent else "", []) if c != assigned]
    others = colleagues or sorted(c for c in registers.cadres if c != assigned)
    stand_in = rng.choice(others)
    name = absent.name if absent else "phụ trách"
    return stand_in, rng.choice(SUBSTITUTE_REASONS).format(name=name)


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _some(rng: random.Random, phrases: tuple[str, ...], chance: float) -> tuple[str, ...]:
    if rng.random() >= chance:
        return ()
    return tuple(rng.sample(phrases, 2 if rng.random() < 0.2 else 1))


def _recorded_at(day: date, today: date, rng: random.Random) -> str:
    """Mostly the same day or soon after; a few more than a week late."""
    roll = rng.random()
    if roll < LATE_SHARE:
        delay = rng.randint(8, 40)
    elif roll < 0.7:
        delay = 0
    else:
        delay = rng.randint(1, 6)
    when = min(day + timedelta(days=delay), today)
    return f"{when.isoformat()}T{rng.randint(7, 17):02d}:{rng.randrange(60):02d}:00+07:00"


# --- files ------------------------------------------------------------------------------

def _cadre_line(cadre: Cadre) -> str:
    return ",".join((cadre.id, cadre.name, cadre.title, cadre.agency, "", ""))


def _write_visits(folder: Path, history: list[Visit]) -> None:
    by_day: dict[date, list[Visit]] = defaultdict(list)
    for visit in history:
        by_day[visit.date].append(visit)
    years: set[Path] = set()
    for day, visits in sorted(by_day.items()):
        year = folder / VISITS_DIR / f"{day.year:04d}"
        if year not in years:
            year.mkdir(parents=True, exist_ok=True)
            years.add(year)
        _write(year / f"{day.isoformat()}.yaml", render_visits(visits))
    for year in years:
        fsync_folder(year)
    if years:
        fsync_folder(folder / VISITS_DIR)


def _write(path: Path, text: str) -> None:
    """One whole file in one write, flushed to disk (the folder is renamed into
    place only once everything in it is durable)."""
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
