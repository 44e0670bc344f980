"""Does `theodoi visit add` stay as fast with 100,000 visits on record?

`visit add` reads only the registers and the one day file it appends to, so
its time should not grow with the history.  This script copies the shipped
data/ twice into a temporary folder, fills one copy with a history written
directly as day files (``render_visits``, spread over about two years, all
108 communes), then times N runs of ``python -m theodoi visit add`` on the
empty copy (the floor) and on the full one, interleaved, and prints the
ratio of the medians.  Target: at most 1.2.

    python benchmarks/bench_visit_add.py [--runs 15] [--visits 100000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import interleaved_medians, time_command  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from theodoi.base.model import VISIT_KINDS, Visit  # noqa: E402
from theodoi.registers.loader import load_registers  # noqa: E402
from theodoi.visits.records import day_file, render_visits, visit_id  # noqa: E402

TARGET = 1.2
FIRST_DAY = date(2024, 9, 1)
DAYS = 730  # about two years
ADD_DAY = FIRST_DAY + timedelta(days=DAYS // 2)  # a day in the middle of the full history


def build_history(data_dir: Path, count: int, seed: int = 1391) -> int:
    """Write ``count`` visits as day files under ``data_dir``; return the files written.

    Every commune gets visits from its assigned cadre, with notes, difficulties
    and proposals of realistic length, so that a day file is as big as a real one.
    """
    registers = load_registers(data_dir).registers
    rng = random.Random(seed)
    communes = sorted(registers.communes)
    kinds = list(VISIT_KINDS)
    by_day: dict[date, list[Visit]] = {}
    for _ in range(count):
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        commune = rng.choice(communes)
        assignment = registers.cadre_of(commune, day)
        visits = by_day.setdefault(day, [])
        visits.append(Visit(
            id=visit_id(day, len(visits) + 1),
            date=day,
            cadre=assignment.cadre if assignment else "CB001",
            commune=commune,
            kind=rng.choice(kinds),
            notes="Làm việc với Ban Thường vụ Đảng ủy xã về tình hình thực hiện nhiệm vụ "
                  f"chính trị quý {rng.randint(1, 4)}, công tác xây dựng Đảng.",
            difficulties=tuple(f"Khó khăn số {i + 1}: thiếu kinh phí duy tu đường giao thông "
                               "nông thôn" for i in range(rng.randint(0, 3))),
            proposals=tuple(f"Đề nghị tỉnh hỗ trợ nguồn vốn, mục {i + 1}"
                            for i in range(rng.randint(0, 2))),
            recorded_at=f"{day.isoformat()}T16:{rng.randrange(60):02d}:00+07:00",
        ))
    for day, visits in by_day.items():
        path = day_file(data_dir, day)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_visits(visits), encoding="utf-8")
    return len(by_day)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--visits", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        empty, full = Path(tmp) / "empty", Path(tmp) / "full"
        shutil.copytree(REPO / "data", empty)
        shutil.copytree(REPO / "data", full)
        start = time.perf_counter()
        files = build_history(full, args.visits)
        print(f"history: {args.visits} visits in {files} day files, written in "
              f"{time.perf_counter() - start:.1f} s")
        size = day_file(full, ADD_DAY).stat().st_size
        print(f"the day file appended to holds {size / 1024:.0f} KiB before the runs")

        def add(data: Path) -> list[str]:
            # --allow-duplicate: every run records the same visit again.
            return [sys.executable, "-m", "theodoi", "visit", "add", "--data", str(data),
                    "--commune", "Đại Sảo", "--date", ADD_DAY.isoformat(), "--note",
                    "Kiểm tra tốc độ", "--issue", "Không có", "--allow-duplicate"]

        env = {"THEODOI_TODAY": (FIRST_DAY + timedelta(days=DAYS)).isoformat()}
        medians = interleaved_medians({"empty history": add(empty),
                                       f"{args.visits} visits": add(full)}, args.runs, env)
        # For information: validate reads the whole history, so it does grow with it.
        validate = [sys.executable, "-m", "theodoi", "validate", "--data", str(full)]
        validate_seconds = time_command(validate, env)[0]
    floor = medians["empty history"]
    print(f"{'visit add on':25} {'median ms':>10} {'× empty':>8}")
    for name, seconds in medians.items():
        print(f"{name:25} {seconds * 1000:10.1f} {seconds / floor:8.2f}")
    ratio = medians[f"{args.visits} visits"] / floor
    verdict = "OK" if ratio <= TARGET else "OVER TARGET"
    print(f"\nfull / empty = {ratio:.2f} (target ≤ {TARGET}): {verdict}")
    print(f"(theodoi validate on the full history: {validate_seconds:.1f} s, one run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
