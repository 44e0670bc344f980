"""How `coverage`, `overdue`, `summary` and `validate` scale with the visit history.

For 10,000 and 100,000 visits, a workspace is made with `theodoi demo`.  The
floor is a fresh Python process that merely loads every visit file with
libyaml's C loader (`yaml.load(text, Loader=yaml.CSafeLoader)`); each command
runs in a fresh process too, on the same files, interleaved with the floor so
that machine noise hits all alike.  Printed: median wall time, the ratio to
the floor (target ≤ 1.3 on 100,000 visits) and the peak memory of the process
(target < 500 MB), from wait4's ru_maxrss.

    python benchmarks/bench_reports.py [--runs 3] [--sizes 10000,100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import time_command  # noqa: E402

TARGET_RATIO = 1.3
TARGET_MB = 500
TODAY = "2025-11-26"  # pinned, so that every run sees the same history and periods

FLOOR = '''
import sys
from pathlib import Path

import yaml

for path in sorted(Path(sys.argv[1], "visits").glob("*/*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--keep", type=Path, help="make the workspaces here and keep them")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="theodoi-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    env = {"THEODOI_TODAY": TODAY, "THEODOI_LANG": "vi", "TERM": "dumb"}
    py = sys.executable
    floor = root / "floor.py"
    floor.write_text(FLOOR, encoding="utf-8")
    over = []
    try:
        print(f"{'visits':>7}  {'command':10} {'median s':>9} {'× floor':>8} {'peak MB':>8}")
        for size in (int(s) for s in args.sizes.split(",")):
            data = root / f"demo-{size}"
            if not data.exists():
                start = time.perf_counter()
                time_command([py, "-m", "theodoi", "demo", str(data), "--visits", str(size)],
                             env)
                print(f"{size:7d}  {'demo':10} {time.perf_counter() - start:9.2f}")
            commands = {
                "floor": [py, str(floor), str(data)],
                "coverage": [py, "-m", "theodoi", "coverage", "--data", str(data)],
                "overdue": [py, "-m", "theodoi", "overdue", "--data", str(data)],
                "summary": [py, "-m", "theodoi", "summary", "--data", str(data)],
                "validate": [py, "-m", "theodoi", "validate", "--data", str(data)],
            }
            times: dict[str, list[float]] = {name: [] for name in commands}
            peaks: dict[str, int] = dict.fromkeys(commands, 0)
            for run in range(args.runs + 1):  # the first round warms the file cache
                for name, argv in commands.items():
                    seconds, peak_kib = time_command(argv, env)
                    if run:
                        times[name].append(seconds)
                    peaks[name] = max(peaks[name], peak_kib)
            floor_time = statistics.median(times["floor"])
            for name in commands:
                median = statistics.median(times[name])
                ratio = median / floor_time
                megabytes = peaks[name] / 1024
                flag = ""
                if name != "floor" and (ratio > TARGET_RATIO or megabytes >= TARGET_MB):
                    flag = "  over target"
                    if size >= 100_000:
                        over.append(name)
                print(f"{size:7d}  {name:10} {median:9.2f} {ratio:8.2f} {megabytes:8.0f}{flag}")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\ntargets on 100,000 visits: ≤ {TARGET_RATIO} × floor, < {TARGET_MB} MB; "
          + (f"over: {', '.join(over)}" if over else "all met"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
