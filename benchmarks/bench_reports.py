"""How `coverage`, `overdue`, `summary` and `validate` scale with the visit history,
cold (no cache) and warm (the incremental cache of unchanged day files).

For each size a workspace is made with `theodoi demo`, and a twin with the
same registers and no visit at all.  Every command runs in a fresh process,
interleaved with two floors measured in the same run, so that machine noise
hits all alike:

- the *libyaml floor*: a fresh Python process that merely loads every visit
  file with libyaml's C loader (`yaml.load(text, Loader=yaml.CSafeLoader)`);
- the *empty floor*: the same command on the twin with no visits.

Printed per command: median wall time cold (`--no-cache`), its ratio to the
libyaml floor (target ≤ 1.0), median wall time warm, its ratio to the same
command on the empty history (target ≤ 1.2 at 100,000 visits, ≤ 2 at
1,000,000), and the peak memory of the process from wait4's ru_maxrss
(target ≤ 1 GB).

    python benchmarks/bench_reports.py [--runs 3] [--sizes 100000,1000000] [--keep DIR]
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

TODAY = "2026-11-26"  # pinned, so that every run sees the same history and periods
COMMANDS = ("coverage", "overdue", "summary", "validate")
COLD_TARGET = 1.0
WARM_TARGETS = {100_000: 1.2, 1_000_000: 2.0}
MEMORY_TARGET_MB = 1024
RACY_SECONDS = 3.0  # theodoi.store.cache.RACY_SECONDS: files younger than this are not cached

FLOOR = '''
import sys
from pathlib import Path

import yaml

for path in sorted(Path(sys.argv[1], "visits").glob("*/*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
'''


def make_workspaces(root: Path, size: int, env: dict[str, str]) -> tuple[Path, Path]:
    py = sys.executable
    data, empty = root / f"demo-{size}", root / f"empty-{size}"
    if not data.exists():
        start = time.perf_counter()
        time_command([py, "-m", "theodoi", "demo", str(data), "--visits", str(size)], env)
        print(f"{size:9,d}  demo made in {time.perf_counter() - start:.1f} s", flush=True)
    if not empty.exists():
        time_command([py, "-m", "theodoi", "demo", str(empty), "--visits", "0"], env)
    return data, empty


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--keep", type=Path, help="make the workspaces here and keep them")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="theodoi-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    cache = root / "cache"
    env = {"THEODOI_TODAY": TODAY, "THEODOI_LANG": "vi", "TERM": "dumb",
           "THEODOI_CACHE_DIR": str(cache)}
    py = sys.executable
    floor = root / "floor.py"
    floor.write_text(FLOOR, encoding="utf-8")
    misses: list[str] = []
    try:
        header = (f"{'visits':>9}  {'command':9} {'cold s':>7} {'÷ yaml':>7} {'warm s':>7} "
                  f"{'empty s':>8} {'÷ empty':>8} {'peak MB':>8}")
        print(header)
        for size in (int(s) for s in args.sizes.split(",")):
            data, empty = make_workspaces(root, size, env)
            time.sleep(RACY_SECONDS)  # so that the warm-up may cache every day file
            theodoi = [py, "-m", "theodoi"]
            runs: dict[str, list[str]] = {"yaml": [py, str(floor), str(data)]}
            for name in COMMANDS:
                runs[f"{name} cold"] = [*theodoi, name, "--data", str(data), "--no-cache"]
                runs[f"{name} warm"] = [*theodoi, name, "--data", str(data)]
                runs[f"{name} empty"] = [*theodoi, name, "--data", str(empty)]
            times: dict[str, list[float]] = {name: [] for name in runs}
            peaks: dict[str, int] = dict.fromkeys(runs, 0)
            for run in range(args.runs + 1):  # the first round warms the caches
                for name, argv in runs.items():
                    seconds, peak_kib = time_command(argv, env)
                    if run:
                        times[name].append(seconds)
                    peaks[name] = max(peaks[name], peak_kib)
            median = {name: statistics.median(values) for name, values in times.items()}
            warm_target = WARM_TARGETS.get(size, 2.0)
            print(f"{size:9,d}  {'yaml':9} {median['yaml']:7.2f}")
            for name in COMMANDS:
                cold, warm, none = (median[f"{name} {k}"] for k in ("cold", "warm", "empty"))
                cold_ratio, warm_ratio = cold / median["yaml"], warm / none
                peak = max(peaks[f"{name} cold"], peaks[f"{name} warm"]) / 1024
                flags = []
                if cold_ratio > COLD_TARGET:
                    flags.append("cold")
                if warm_ratio > warm_target:
                    flags.append("warm")
                if peak > MEMORY_TARGET_MB:
                    flags.append("memory")
                misses += [f"{name} {flag} at {size:,}" for flag in flags]
                print(f"{size:9,d}  {name:9} {cold:7.2f} {cold_ratio:7.2f} {warm:7.2f} "
                      f"{none:8.2f} {warm_ratio:8.2f} {peak:8.0f}"
                      + (f"  over target: {', '.join(flags)}" if flags else ""), flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\ntargets: cold ≤ {COLD_TARGET} × libyaml; warm ≤ "
          + ", ".join(f"{t} × empty at {s:,}" for s, t in WARM_TARGETS.items())
          + f"; peak ≤ {MEMORY_TARGET_MB} MB; "
          + (f"missed: {'; '.join(misses)}" if misses else "all met"))
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
