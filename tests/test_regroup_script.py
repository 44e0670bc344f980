"""scripts/regroup_packages.py on a small repository of its own.

The regroup is run once, on the merged main, by a script (issue 17): these
tests run that script, as a real process, on a real git repository made in
the test's folder, with a few flat modules that reference one another in each
way theodoi does (``from theodoi import x as y``, dotted names in imports and
in strings, a data folder read through importlib.resources, paths and file
names in the docs), then import the result and check it runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

FILES = {
    "theodoi/__init__.py": '"""theodoi.\n\nThe package is layered: old words.\n"""\n\n'
                           '__version__ = "0.1.0"\n',
    "theodoi/checks.py": "EXIT_BUG = 3\n",
    "theodoi/registers.py": "from theodoi import checks\n\n\ndef load_registers():\n"
                            "    return checks.EXIT_BUG\n",
    "theodoi/national.py": 'from importlib import resources\n\n\ndef units():\n'
                           '    folder = resources.files("theodoi").joinpath("national")\n'
                           '    return folder.joinpath("units.csv").read_text(encoding="utf-8")\n',
    "theodoi/national/units.csv": "code\n02068\n",
    "theodoi/reports.py": "from theodoi import checks, registers as regs\n"
                          "from theodoi.national import units\n\n\ndef coverage():\n"
                          "    return units(), regs.load_registers(), checks.EXIT_BUG\n",
    "theodoi/cli/__init__.py": "",
    "theodoi/render/__init__.py": "",
    "theodoi/cli/app.py": "def run():\n    from theodoi.reports import coverage\n\n"
                          "    return coverage()\n",
    "tests/test_reports.py": 'SCRIPT = "from theodoi import checks\\nprint(checks.EXIT_BUG)"\n'
                             'TARGET = "theodoi.reports.coverage"\n'
                             'DATA = ROOT / "theodoi" / "national"\n',
    "README.md": "# t\n\nThe figures are in `reports.py`; the units in theodoi/national/.\n\n"
                 "## Command-line reference and development\n\nText.\n",
    "pyproject.toml": '[project]\nname = "t"\n\n[project.optional-dependencies]\ntest = [\n'
                      '    "pytest>=8",\n]\n\n[tool.setuptools.package-data]\ntheodoi = [\n'
                      '    "national/*.csv",\n]\n',
    ".ci/run": "#!/usr/bin/env bash\n.venv/bin/mypy\n.venv/bin/python -m pytest\n",
}


def _small_repository(root: Path) -> Path:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for name in ("regroup_packages.py", "regroup_architecture.md"):
        (root / "scripts").mkdir(exist_ok=True)
        shutil.copyfile(REPO / "scripts" / name, root / "scripts" / name)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "flat")
    return root


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                          text=True, timeout=120).stdout


def _regroup(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The test's own Python and ruff; no .venv in the small repository.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([sys.executable, "scripts/regroup_packages.py", *args], cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)


def _read(root: Path, name: str) -> str:
    return (root / name).read_text(encoding="utf-8")


def test_the_script_moves_rewrites_and_the_result_runs(tmp_path: Path) -> None:
    root = _small_repository(tmp_path)
    done = _regroup(root)
    assert done.returncode == 0, done.stderr
    assert "theodoi/ keeps 2 modules at the top: __init__, __main__" in done.stdout
    assert not (root / "theodoi/reports.py").exists()
    assert not (root / "theodoi/national").exists()
    assert _read(root, "theodoi/registers/national/units.csv") == "code\n02068\n"
    assert _read(root, "theodoi/reports/figures.py") == (
        "from theodoi.base import checks\nfrom theodoi.registers import loader as regs\n"
        "from theodoi.registers.national import units\n\n\ndef coverage():\n"
        "    return units(), regs.load_registers(), checks.EXIT_BUG\n")
    assert _read(root, "theodoi/registers/loader.py").startswith(
        "from theodoi.base import checks\n")
    assert 'resources.files("theodoi.registers").joinpath("national")' in _read(
        root, "theodoi/registers/national.py")
    assert "    from theodoi.reports.figures import coverage\n" in _read(root, "theodoi/cli/app.py")
    assert _read(root, "tests/test_reports.py") == (
        'SCRIPT = "from theodoi.base import checks\\nprint(checks.EXIT_BUG)"\n'
        'TARGET = "theodoi.reports.figures.coverage"\n'
        'DATA = ROOT / "theodoi" / "registers" / "national"\n')
    for package in ("base", "store", "registers", "visits", "followup", "reports", "audit",
                    "workspace"):
        assert (root / "theodoi" / package / "__init__.py").is_file(), package
    ran = subprocess.run([sys.executable, "-c", "from theodoi.cli.app import run; print(run())"],
                         cwd=root, capture_output=True, text=True, timeout=120)
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "('code\\n02068\\n', 3, 3)\n", "")


def test_what_is_only_true_after_the_move_is_installed_with_it(tmp_path: Path) -> None:
    root = _small_repository(tmp_path)
    assert _regroup(root).returncode == 0
    pyproject = _read(root, "pyproject.toml")
    assert pyproject.count("import-linter>=") == 1
    assert 'theodoi = [\n]\n"theodoi.registers" = [\n    "national/*.csv",\n]\n' in pyproject
    assert '    "theodoi.audit | theodoi.reports",\n' in pyproject
    assert 'type = "acyclic_siblings"\nancestors = ["theodoi"]\n' in pyproject
    assert ".venv/bin/mypy\n# The layers" in _read(root, ".ci/run")
    assert "\n.venv/bin/lint-imports\n.venv/bin/python -m pytest\n" in _read(root, ".ci/run")
    readme = _read(root, "README.md")
    assert "The figures are in `reports/figures.py`; the units in theodoi/registers/national/." \
        in readme
    assert readme.index("## Architecture\n\n<!-- architecture -->\n`theodoi/` is a stack") \
        < readme.index("<!-- /architecture -->\n\n## Command-line reference")
    assert "import-linter's contracts" in _read(root, "theodoi/__init__.py")


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    root = _small_repository(tmp_path)
    assert _regroup(root).returncode == 0
    _git(root, "add", "-A")
    before = _git(root, "status", "--porcelain", "--untracked-files=all")
    again = _regroup(root)
    assert again.returncode == 0, again.stderr
    assert "rewrote references in 0 files" in again.stdout
    assert "git mv" not in again.stdout
    assert _git(root, "status", "--porcelain", "--untracked-files=all") == before
    assert _git(root, "diff") == ""  # nothing changed since the first run's result


def test_a_module_added_later_is_refused_until_it_has_a_place(tmp_path: Path) -> None:
    root = _small_repository(tmp_path)
    assert _regroup(root).returncode == 0
    # Merged after the first run: a flat module, and a test written against the flat layout.
    (root / "theodoi/extra.py").write_text("from theodoi.base import checks\n", encoding="utf-8")
    (root / "tests/test_late.py").write_text(
        "import theodoi.checks\nfrom theodoi.reports import coverage\n"
        "from theodoi.reports import figures\n", encoding="utf-8")
    _git(root, "add", "-A")
    refused = _regroup(root)
    assert refused.returncode == 1
    assert "  extra: imports base; the lowest package it fits in is base/\n" in refused.stderr
    assert "  --map extra=PACKAGE.extra" in refused.stderr
    assert (root / "theodoi/extra.py").exists()
    placed = _regroup(root, "--map", "extra=store.extra")
    assert placed.returncode == 0, placed.stderr
    assert _read(root, "theodoi/store/extra.py") == "from theodoi.base import checks\n"
    assert _read(root, "tests/test_late.py") == (  # sorted again by ruff
        "import theodoi.base.checks\nfrom theodoi.reports import figures\n"
        "from theodoi.reports.figures import coverage\n")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "lint-imports comes with the test extra (import-linter)"
    return subprocess.run([lint, "--no-cache"], cwd=root, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(root)})


def test_the_contracts_keep_the_layers_and_break_on_an_upward_import(tmp_path: Path) -> None:
    root = _small_repository(tmp_path)
    assert _regroup(root).returncode == 0
    kept = _lint_imports(root)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "Contracts: 2 kept, 0 broken." in kept.stdout
    # The registry (base) reaching up into the reports:
    checks = root / "theodoi/base/checks.py"
    checks.write_text("EXIT_BUG = 3\n\n\ndef late():\n    from theodoi.reports import figures\n\n"
                      "    return figures\n", encoding="utf-8")
    broken = _lint_imports(root)
    assert broken.returncode == 1
    assert "theodoi.base.checks -> theodoi.reports.figures" in broken.stdout
    assert "Contracts: 0 kept, 2 broken." in broken.stdout
