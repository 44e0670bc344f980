"""How much `theodoi validate` and `theodoi --help` cost above any Typer CLI.

The floor is a bare two-command Typer app that imports yaml and runs one
command: every Typer tool pays that much to start.  The ratio of theodoi's
time to the floor, measured in the same run, is printed; the target for
`validate` on the shipped data is at most 1.3.

    python benchmarks/bench_startup.py [--runs 20]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import interleaved_medians  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TARGET = 1.3

FLOOR_APP = '''
import typer
import yaml

app = typer.Typer()


@app.command()
def check(path: str = "data") -> None:
    print(yaml.safe_load("a: 1"), path)


@app.command()
def other() -> None:
    print("other")


app()
'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        floor = Path(tmp) / "floor_app.py"
        floor.write_text(FLOOR_APP, encoding="utf-8")
        py = sys.executable
        medians = interleaved_medians({
            "floor: bare Typer app + yaml, one command": [py, str(floor), "check"],
            "python -c 'import typer, yaml'": [py, "-c", "import typer, yaml"],
            "theodoi --help": [py, "-m", "theodoi", "--help"],
            "theodoi validate (shipped data)": [py, "-m", "theodoi", "validate", "--data",
                                                str(REPO / "data")],
        }, args.runs)
    floor_time = medians["floor: bare Typer app + yaml, one command"]
    print(f"{'command':45} {'median ms':>10} {'× floor':>8}")
    for name, seconds in medians.items():
        print(f"{name:45} {seconds * 1000:10.1f} {seconds / floor_time:8.2f}")
    ratio = medians["theodoi validate (shipped data)"] / floor_time
    verdict = "OK" if ratio <= TARGET else "OVER TARGET"
    print(f"\nvalidate / floor = {ratio:.2f} (target ≤ {TARGET}): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
