"""Regroup theodoi/ into packages that show the layers (issue 17), in one run.

Other branches edit the flat modules while this is prepared, so the regroup is
a script, run once on the merged main, rather than a commit of moved files:

    .venv/bin/python scripts/regroup_packages.py            # moves, rewrites, installs
    .venv/bin/python scripts/regroup_packages.py --verify   # the same, then ruff, mypy,
                                                            # lint-imports
    .venv/bin/python scripts/regroup_packages.py --dry-run  # says what it would do

What it does, in order:

1. ``git mv`` each flat module of ``MODULES`` to its package (and the national
   registers' data folder beside the module that reads it), and writes each
   package's ``__init__.py``;
2. rewrites every reference to a moved module in every text file git tracks
   (code, tests, scripts, benchmarks, docs, catalogs' comments, pyproject,
   .ci/run): ``from theodoi import x`` statements, dotted names
   (``theodoi.x``, in imports, strings, mock and monkeypatch targets, the
   cache's list of reader modules), paths (``theodoi/x.py``,
   ``theodoi/national/``, ``"theodoi" / "national"``) and, in Markdown, a
   module's bare file name in backticks;
3. installs what is only true after the move: the import-linter contracts and
   the pinned ``import-linter`` test dependency in pyproject.toml, the
   ``lint-imports`` line in .ci/run, the README's Architecture section and the
   package's docstring;
4. sorts the imports it touched (ruff's isort), recompiles the catalogs, and
   lists any line it made longer than 100 characters.

It refuses to start while a flat module has no place: a module added after
this script was written is named with its imports and the lowest package it
would fit, and is given one with ``--map NAME=PACKAGE.MODULE`` (or kept at the
top with ``--keep NAME``).  Running it again changes nothing: moved modules
are skipped, and references already rewritten no longer match.
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "theodoi"

# Every flat module of theodoi/ -> its module in a package.  A module keeps
# its name unless the package's name already says it (visit_columns ->
# visits/columns).
MODULES: dict[str, str] = {
    # base: values and messages; pure
    "checks": "base.checks",
    "problems": "base.problems",
    "i18n": "base.i18n",
    "periods": "base.periods",
    "textnorm": "base.textnorm",
    "model": "base.model",
    "office": "base.office",
    "context": "base.context",
    # store: files
    "atomic": "store.atomic",
    "textfile": "store.textfile",
    "yamlio": "store.yamlio",
    "csvfile": "store.csvfile",
    "dayfile": "store.dayfile",
    "cache": "store.cache",
    "git": "store.git",
    "sheets": "store.sheets",
    "importing": "store.importing",
    # registers: communes, cadres, assignments
    "registers": "registers.loader",
    "rules": "registers.rules",
    "lookup": "registers.lookup",
    "search": "registers.search",
    "national": "registers.national",
    "unitmap": "registers.unitmap",
    "assignments_edit": "registers.assignments_edit",
    "reorganise": "registers.reorganise",
    "import_assignments": "registers.import_assignments",
    # visits: the record, the columns, corrections, rules
    "visits_store": "visits.records",
    "visit_columns": "visits.columns",
    "visit_rules": "visits.rules",
    "file_rules": "visits.file_rules",
    "corrections": "visits.corrections",
    "import_visits": "visits.import_visits",
    # followup: difficulties and proposals, plans, the review
    "proposals": "followup.proposals",
    "plans": "followup.plans",
    "review": "followup.review",
    # reports: coverage, overdue, the summary; sorting and cutting rows
    "reports": "reports.figures",
    "cut": "reports.cut",
    # audit: the git trail
    "gitaudit": "audit.gitaudit",
    "trail": "audit.trail",
    # workspace: the whole data folder
    "validation": "workspace.validation",
    "workspace": "workspace.folder",
    "demo": "workspace.demo",
    # Written on other branches while this script was (placed by their imports; a module
    # missing from theodoi/ is only noted).
    "loader": "workspace.loader",
    "transaction": "store.transaction",
    "visit_query": "visits.query",
    "office_edit": "registers.office_edit",
    "ids": "visits.ids",
    "visit_ids": "store.visit_ids",
    "sharing": "store.sharing",
    "merge_driver": "audit.merge_driver",
}
KEPT_AT_TOP = {"__init__", "__main__"}
MAX_AT_TOP = 8
# Data folders that move with the module that reads them.
DATA_FOLDERS: dict[str, str] = {"national": "registers/national"}

# From the top down; packages on one line are independent of each other.
LAYERS: list[list[str]] = [
    ["cli"], ["render"], ["workspace"], ["audit", "reports"], ["followup"], ["visits"],
    ["registers"], ["store"], ["base"],
]
EDGES = {"cli", "render"}  # packages already there

PACKAGE_DOCS: dict[str, str] = {
    "base": "Values and messages: the check registry and problems, the domain's records,\n"
            "periods and dates, text folding, gettext, the context a command runs in, the\n"
            "office's letterhead.  Pure: no files, no clock; everything else builds on it.",
    "store": "Files: atomic writes and the writers' lock, the transaction (all of a change's\n"
             "files or none), day files, YAML and CSV with their line numbers, text as\n"
             "offices write it, spreadsheets, the cache, git.",
    "registers": "The registers: communes, cadres and assignments loaded with their problems,\n"
                 "the rules across them, lookups and search, the national registers and the\n"
                 "units over time, editing the assignments, the reorganisation of 1/7/2025,\n"
                 "importing a decision's annex.",
    "visits": "Visits: the record (one visit as written), the columns (many visits as\n"
              "counted), corrections, the rules over one day file and over the history,\n"
              "importing a hand-kept log.",
    "followup": "What follows a visit: difficulties and proposals followed to resolution,\n"
                "the yearly programme of planned visits, the six-month and yearly review.",
    "reports": "Coverage, overdue and the weekly summary, and the sort and cut of a report's\n"
               "rows: pure computations over registers and visits (today is a parameter).",
    "audit": "The audit trail in the data folder's git history: who changed which record,\n"
             "the findings, acknowledgements, and what the summary says of the trail.",
    "workspace": "The whole data folder: its one load (registers, visits, journals and the\n"
                 "problems found), the check behind ``theodoi validate``, a new workspace\n"
                 "(``theodoi init``) and the demo folder.",
}

PACKAGE_DOCSTRING = '''"""theodoi: keep the provincial cadres' follow-up of communes honest.

The package is a stack of layers; a module imports only from the layers
below its own (import-linter's contracts in pyproject.toml keep it so):
``cli`` -> ``render`` -> ``workspace`` -> ``audit`` | ``reports`` ->
``followup`` -> ``visits`` -> ``registers`` -> ``store`` -> ``base``.
README.md's Architecture section says what each holds.
"""'''

IMPORT_LINTER_PIN = '"import-linter>=2.17,<3",'
LINT_IMPORTS_LINE = ".venv/bin/lint-imports"
ARCHITECTURE_START = "<!-- architecture -->"
ARCHITECTURE_END = "<!-- /architecture -->"
TEXT_SUFFIXES = {".py", ".md", ".toml", ".cfg", ".ini", ".txt", ".yaml", ".yml", ".json",
                 ".po", ".pot", ".sh", ".rst", ""}
# This script, what it installs, and its test's small flat repository are left as written.
SKIPPED = {"scripts/regroup_packages.py", "scripts/regroup_architecture.md",
           "tests/test_regroup_script.py"}


# --- the plan -------------------------------------------------------------------------------


@dataclass
class Plan:
    modules: dict[str, str]  # old name -> new dotted name below theodoi
    at_start_flat: set[str]  # old modules still flat when the run began
    notes: list[str] = field(default_factory=list)

    def path_of(self, name: str) -> str:
        return "theodoi/" + self.modules[name].replace(".", "/") + ".py"

    def submodules(self, package: str) -> set[str]:
        return {new.split(".")[1] for new in self.modules.values()
                if new.split(".")[0] == package}

    def collides(self, name: str) -> bool:
        """An old module named as a new package (registers.py and registers/)."""
        return any(new.split(".")[0] == name for new in self.modules.values())


def flat_modules() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in KEPT_AT_TOP)


def make_plan(extra: dict[str, str], keep: set[str]) -> Plan:
    modules = {**MODULES, **extra}
    for name in keep:
        modules.pop(name, None)
    flat = set(flat_modules())
    unplaced = sorted(flat - set(modules) - keep)
    if unplaced:
        raise SystemExit(_unplaced_message(unplaced, modules))
    at_top = len(KEPT_AT_TOP | keep)
    if at_top > MAX_AT_TOP:
        raise SystemExit(f"{at_top} modules would stay at the top of theodoi/ "
                         f"(at most {MAX_AT_TOP})")
    plan = Plan(modules, {name for name in modules if name in flat})
    _refuse_ambiguous_names(plan)
    return plan


def _refuse_ambiguous_names(plan: Plan) -> None:
    """``theodoi.reports.coverage`` must mean one thing: an old module named as a
    new package may not define a name its new siblings are called."""
    for name in plan.at_start_flat:
        if not plan.collides(name):
            continue
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        defined = {target.id for node in tree.body if isinstance(node, ast.Assign)
                   for target in node.targets if isinstance(target, ast.Name)}
        defined |= {node.name for node in tree.body if isinstance(
            node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)}
        clash = defined & plan.submodules(name)
        if clash:
            raise SystemExit(f"theodoi/{name}.py defines {sorted(clash)}, the name of a module "
                             f"of the new package {name}/: rename one first")


def _imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "theodoi" and not node.level:
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("theodoi."):
            found.add(node.module.split(".")[1])  # type: ignore[union-attr]
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("theodoi.")}
    return found


def _lowest_fit(packages: set[str], rank: dict[str, int]) -> str:
    """The lowest package a module importing these packages may live in: the
    highest of them, unless a sibling on its line is imported too."""
    if not packages:
        return LAYERS[-1][0]
    highest = min(rank[p] for p in packages)
    on_line = [p for p in packages if rank[p] == highest]
    if len(on_line) == 1 and on_line[0] not in EDGES:
        return on_line[0]
    return "cli" if highest == 0 else LAYERS[highest - 1][0]


def _unplaced_message(unplaced: list[str], modules: dict[str, str]) -> str:
    rank = {package: i for i, line in enumerate(LAYERS) for package in line}
    lines = ["These modules of theodoi/ have no package yet (a module added after this "
             "script was written):"]
    for name in unplaced:
        imports = _imports_of(PACKAGE / f"{name}.py")
        # A flat module's name (merged before the run) or a package's (written after).
        packages = {modules[i].split(".")[0] for i in imports if i in modules}
        packages |= {i for i in imports if i in rank}
        fits = _lowest_fit(packages, rank)
        lines.append(f"  {name}: imports {', '.join(sorted(packages)) or 'nothing of theodoi'}"
                     f"; the lowest package it fits in is {fits}/")
    lines.append("Give each a place and run again, for example:")
    lines.append("  --map " + " --map ".join(f"{name}=PACKAGE.{name}" for name in unplaced))
    return "\n".join(lines)


# --- moving ---------------------------------------------------------------------------------


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def move_modules(plan: Plan, dry_run: bool) -> None:
    for name in sorted(plan.modules):
        old, new = PACKAGE / f"{name}.py", REPO / plan.path_of(name)
        if not old.exists():
            if not new.exists():
                plan.notes.append(f"theodoi/{name}.py is in the mapping but not in theodoi/")
            continue
        if new.exists():
            raise SystemExit(f"both theodoi/{name}.py and {plan.path_of(name)} exist")
        print(f"git mv theodoi/{name}.py {plan.path_of(name)}")
        if not dry_run:
            new.parent.mkdir(parents=True, exist_ok=True)
            git("mv", str(old.relative_to(REPO)), plan.path_of(name))
    for old_dir, new_dir in DATA_FOLDERS.items():
        source, target = PACKAGE / old_dir, PACKAGE / new_dir
        if source.is_dir() and not target.exists():
            print(f"git mv theodoi/{old_dir} theodoi/{new_dir}")
            if not dry_run:
                target.parent.mkdir(parents=True, exist_ok=True)
                git("mv", f"theodoi/{old_dir}", f"theodoi/{new_dir}")


def write_package_inits(plan: Plan, dry_run: bool) -> None:
    for package in sorted({new.split(".")[0] for new in plan.modules.values()}):
        init = PACKAGE / package / "__init__.py"
        if init.exists():
            continue
        doc = PACKAGE_DOCS.get(package, f"The {package} layer of theodoi.")
        print(f"write theodoi/{package}/__init__.py")
        if not dry_run:
            init.parent.mkdir(parents=True, exist_ok=True)
            init.write_text(f'"""{doc}\n"""\n', encoding="utf-8")
            git("add", str(init.relative_to(REPO)))


# --- rewriting references -------------------------------------------------------------------


def _from_theodoi_lines(node: ast.ImportFrom, plan: Plan, indent: str) -> list[str] | None:
    """``from theodoi import checks, problems`` as one statement per package;
    None when it names no moved module."""
    kept: list[str] = []
    moved: dict[str, list[str]] = {}
    for alias in node.names:
        name, local = alias.name, alias.asname or alias.name
        if name not in plan.modules or (plan.collides(name) and name not in plan.at_start_flat):
            kept.append(name if alias.asname is None else f"{name} as {alias.asname}")
            continue
        package, module = plan.modules[name].split(".")
        moved.setdefault(package, []).append(module if module == local
                                             else f"{module} as {local}")
    if not moved:
        return None
    lines = [f"{indent}from theodoi import {', '.join(kept)}"] if kept else []
    lines += [f"{indent}from theodoi.{package} import {', '.join(names)}"
              for package, names in sorted(moved.items())]
    return lines


def _module_of_from(node: ast.ImportFrom, plan: Plan) -> str | None:
    """The new module of ``from theodoi.NAME import ...`` for an old name shared
    with a new package, when the names imported are not that package's modules."""
    parts = (node.module or "").split(".")
    if node.level or len(parts) != 2 or parts[0] != "theodoi" or parts[1] not in plan.modules:
        return None
    name = parts[1]
    if not plan.collides(name) or name in plan.at_start_flat:
        return None  # the dotted rewrite takes care of it
    if {alias.name for alias in node.names} <= plan.submodules(name):
        return None  # already the new package
    return "theodoi." + plan.modules[name]


def rewrite_import_statements(text: str, plan: Plan) -> str:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, list[str]]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.end_lineno is None:
            continue
        first = lines[node.lineno - 1]
        indent = first[:node.col_offset]
        if indent.strip():
            continue  # shares its line with other code: left to the text rules
        if node.module == "theodoi" and not node.level:
            new_lines = _from_theodoi_lines(node, plan, indent)
        else:
            module = _module_of_from(node, plan)
            new_lines = None if module is None else [
                indent + ast.unparse(ast.ImportFrom(module, node.names, 0))]
        if new_lines is not None:
            tail = lines[node.end_lineno - 1][node.end_col_offset:].rstrip("\n")
            new_lines[-1] += tail
            edits.append((node.lineno - 1, node.end_lineno, new_lines))
    for start, end, new_lines in sorted(edits, reverse=True):
        ending = "\n" if lines[end - 1].endswith("\n") else ""
        lines[start:end] = [line + "\n" for line in new_lines[:-1]] + [new_lines[-1] + ending]
    return "".join(lines)


Rule = tuple[re.Pattern[str], dict[str, str]]


def _rule(template: str, replacements: dict[str, str]) -> Rule:
    """One pattern for all the names at once, so that a replacement is never
    matched again by another rule (``theodoi.national`` becomes
    ``theodoi.registers.national``, which ``theodoi.registers`` must not touch)."""
    names = "|".join(re.escape(name) for name in sorted(replacements, key=len, reverse=True))
    return re.compile(template.format(names=f"(?P<name>{names})")), replacements


def _apply(rule: Rule, text: str) -> str:
    pattern, replacements = rule
    if not replacements:
        return text
    return pattern.sub(lambda match: replacements[match.group("name")], text)


def text_rules(plan: Plan) -> tuple[list[Rule], list[Rule]]:
    """The rules applied before the import statements are rewritten (dotted
    names, paths, data folders) and after them (``from theodoi import x`` left
    in strings run by a subprocess, where the statement rewrite does not look).
    Once an old module named as its new package (registers.py, registers/) has
    moved, ``theodoi.registers`` means the package: only the import statements
    of flat code merged later are rewritten then, by the names they import."""
    dotted, paths, strings = {}, {}, {}
    for name, new in plan.modules.items():
        package, module = new.split(".")
        paths[name] = plan.path_of(name)
        if plan.collides(name) and name not in plan.at_start_flat:
            continue
        dotted[name] = f"theodoi.{new}"
        local = "" if module == name else f" as {name}"
        strings[name] = f"from theodoi.{package} import {module}{local}"
    folders = {old: f"theodoi/{new}/" for old, new in DATA_FOLDERS.items()}
    pathlib_parts = {old: '"theodoi" / ' + " / ".join(f'"{part}"' for part in new.split("/"))
                     for old, new in DATA_FOLDERS.items()}
    before = [_rule(r"(?<![\w.])theodoi\.{names}(?!\w)", dotted),
              _rule(r"(?<![\w/.])theodoi/{names}\.py\b", paths),
              _rule(r"(?<![\w/.])theodoi/{names}/", folders),
              _rule(r'"theodoi" / "{names}"(?! /)', pathlib_parts)]
    after = [_rule("from theodoi import {names}" + r"""(?=["'\\;\n])""", strings)]
    return before, after


def markdown_rule(plan: Plan) -> Rule:
    """A module named by its bare file name in backticks (`reports.py`)."""
    return _rule(r"`{names}\.py`", {name: f"`{new.replace('.', '/')}.py`"
                                     for name, new in plan.modules.items()})


def tracked_text_files() -> list[Path]:
    paths = []
    for name in git("ls-files", "-z").split("\0"):
        path = REPO / name
        if (not name or name in SKIPPED or not path.is_file()
                or path.suffix not in TEXT_SUFFIXES or path.stat().st_size > 2_000_000):
            continue
        paths.append(path)
    return paths


def rewrite_references(plan: Plan, dry_run: bool) -> list[Path]:
    before, after = text_rules(plan)
    markdown = markdown_rule(plan)
    changed = []
    for path in tracked_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = text
        for rule in before:
            new = _apply(rule, new)
        if path.suffix == ".py":
            new = rewrite_import_statements(new, plan)
        for rule in after + ([markdown] if path.suffix == ".md" else []):
            new = _apply(rule, new)
        if new != text:
            changed.append(path)
            if not dry_run:
                path.write_text(new, encoding="utf-8")
    print(f"rewrote references in {len(changed)} files")
    return changed


def patch_data_readers(plan: Plan, dry_run: bool) -> None:
    """A module that reads a data folder that moved with it reads it from its package."""
    for old_dir, new_dir in DATA_FOLDERS.items():
        package = "theodoi." + ".".join(new_dir.split("/")[:-1])
        path = REPO / plan.path_of(old_dir) if old_dir in plan.modules else None
        if path is None or not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        new = text.replace(f'resources.files("theodoi").joinpath("{old_dir}"',
                           f'resources.files("{package}").joinpath("{old_dir}"')
        if new != text and not dry_run:
            path.write_text(new, encoding="utf-8")


# --- what is only true after the move -------------------------------------------------------


def import_linter_config() -> str:
    layers = "\n".join(
        "    \"" + " | ".join(f"theodoi.{p}" for p in line) + "\"," for line in LAYERS)
    return f'''
[tool.importlinter]
root_package = "theodoi"

# The arrows point down only: a module imports from the layers below its own,
# never from a package beside it on the same line.  An import for a type hint
# or inside a function is an arrow too.
[[tool.importlinter.contracts]]
id = "layers"
name = "The layers of theodoi: arrows point down only"
type = "layers"
layers = [
{layers}
]

[[tool.importlinter.contracts]]
id = "no-cycles"
name = "No import cycle, between packages or between the modules of one package"
type = "acyclic_siblings"
ancestors = ["theodoi"]
'''


def patch_pyproject(dry_run: bool) -> None:
    path = REPO / "pyproject.toml"
    text = original = path.read_text(encoding="utf-8")
    if "import-linter" not in text:
        text = re.sub(r'(\ntest = \[\n(?:    .*\n)*?)(\])',
                      lambda m: m.group(1) + f"    {IMPORT_LINTER_PIN}\n" + m.group(2),
                      text, count=1)
    if "[tool.importlinter]" not in text:
        text = text.rstrip("\n") + "\n" + import_linter_config()
    text = _package_data(text)
    if text != original:
        print("patch pyproject.toml: import-linter (test extra, contracts), package data")
        if not dry_run:
            path.write_text(text, encoding="utf-8")


def _package_data(text: str) -> str:
    """The data folders that moved are the package data of their new package."""
    for old_dir, new_dir in DATA_FOLDERS.items():
        package = "theodoi." + ".".join(new_dir.split("/")[:-1])
        entries = re.findall(rf'\n    "{old_dir}/([^"]+)",', text)
        if not entries or f'"{package}" = [' in text:
            continue
        text = re.sub(rf'\n    "{old_dir}/[^"]+",', "", text)
        moved = "".join(f'\n    "{old_dir}/{entry}",' for entry in entries)
        text = re.sub(r'(\[tool\.setuptools\.package-data\]\ntheodoi = \[\n(?:    .*\n)*?\]\n)',
                      lambda m, moved=moved, package=package: (
                          m.group(1) + f'"{package}" = [{moved}\n]\n'), text, count=1)
    return text


def patch_ci(dry_run: bool) -> None:
    path = REPO / ".ci" / "run"
    text = path.read_text(encoding="utf-8")
    if LINT_IMPORTS_LINE in text:
        return
    new = text.replace(".venv/bin/mypy\n",
                       ".venv/bin/mypy\n# The layers of theodoi/ and no import cycle "
                       "(pyproject.toml's import-linter contracts).\n"
                       f"{LINT_IMPORTS_LINE}\n", 1)
    if new == text:
        raise SystemExit(".ci/run has no '.venv/bin/mypy' line to put lint-imports after")
    print("patch .ci/run: lint-imports after mypy")
    if not dry_run:
        path.write_text(new, encoding="utf-8")


def patch_package_docstring(dry_run: bool) -> None:
    path = PACKAGE / "__init__.py"
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    first = tree.body[0] if tree.body else None
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)):
        return
    if "import-linter" in str(first.value.value):
        return
    lines = text.splitlines(keepends=True)
    new = PACKAGE_DOCSTRING + "\n" + "".join(lines[first.end_lineno or 1:])
    if not dry_run:
        path.write_text(new, encoding="utf-8")


def patch_readme(dry_run: bool) -> None:
    path = REPO / "README.md"
    text = path.read_text(encoding="utf-8")
    section = (REPO / "scripts" / "regroup_architecture.md").read_text(encoding="utf-8")
    block = f"{ARCHITECTURE_START}\n{section.strip()}\n{ARCHITECTURE_END}"
    pattern = re.compile(re.escape(ARCHITECTURE_START) + r".*?" + re.escape(ARCHITECTURE_END),
                         re.DOTALL)
    if pattern.search(text):
        new = pattern.sub(lambda _m: block, text, count=1)
    else:
        anchor = "## Command-line reference and development\n"
        if anchor not in text:
            raise SystemExit(f"README.md has no {anchor.strip()!r} to put the architecture before")
        new = text.replace(anchor, f"## Architecture\n\n{block}\n\n{anchor}", 1)
    if new != text:
        print("README.md: the Architecture section names the packages")
        if not dry_run:
            path.write_text(new, encoding="utf-8")


# --- tidying and checking -------------------------------------------------------------------


def tidy(changed: list[Path], dry_run: bool) -> None:
    if dry_run:
        return
    tool = REPO / ".venv" / "bin"
    python = [str(tool / "python")] if (tool / "python").exists() else [sys.executable]
    ruff = str(tool / "ruff") if (tool / "ruff").exists() else shutil.which("ruff")
    python_files = [str(p) for p in changed if p.suffix == ".py" and p.exists()]
    python_files += [str(p) for p in PACKAGE.glob("*/__init__.py")]
    if python_files and ruff is None:
        print("ruff is not installed: sort the imports with `ruff check --select I --fix .`")
    elif python_files:
        subprocess.run([ruff, "check", "--quiet", "--select", "I", "--fix", *python_files],
                       cwd=REPO, check=False)
    if any(p.suffix == ".po" for p in changed):
        subprocess.run([*python, "scripts/compile_catalogs.py"], cwd=REPO, check=True)
    long_lines = [f"{p.relative_to(REPO)}:{n}" for p in changed if p.suffix == ".py"
                  and p.exists() and p.relative_to(REPO).parts[0] != "tests"
                  for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                  if len(line) > 100]
    if long_lines:
        print("Lines now over 100 characters (wrap them by hand):\n  " + "\n  ".join(long_lines))


def verify() -> int:
    tool = REPO / ".venv" / "bin"
    failed = 0
    for command in ([str(tool / "ruff"), "check", "."], [str(tool / "mypy")],
                    [str(tool / "lint-imports")]):
        print("+ " + " ".join([Path(command[0]).name, *command[1:]]), flush=True)
        failed |= subprocess.run(command, cwd=REPO, check=False).returncode
    return 1 if failed else 0


def parse_mapping(values: list[str]) -> dict[str, str]:
    mapping = {}
    for value in values:
        name, sep, new = value.partition("=")
        if not sep or new.count(".") != 1 or not all(
                part.isidentifier() for part in [name, *new.split(".")]):
            raise SystemExit(f"--map {value}: write NAME=PACKAGE.MODULE "
                             "(e.g. loader=workspace.loader)")
        if new.split(".")[0] not in {p for line in LAYERS for p in line}:
            raise SystemExit(f"--map {value}: {new.split('.')[0]} is not one of the packages")
        mapping[name] = new
    return mapping


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--map", action="append", default=[], metavar="NAME=PACKAGE.MODULE",
                        help="a place for a flat module this script does not know")
    parser.add_argument("--keep", action="append", default=[], metavar="NAME",
                        help="leave a flat module at the top of theodoi/")
    parser.add_argument("--dry-run", action="store_true", help="say what would be done")
    parser.add_argument("--verify", action="store_true",
                        help="then run ruff, mypy and lint-imports")
    args = parser.parse_args()
    if git("status", "--porcelain", "--untracked-files=no").strip() and flat_modules():
        print("note: the work tree has uncommitted changes; the regroup's own changes will "
              "be mixed with them")
    plan = make_plan(parse_mapping(args.map), set(args.keep))
    move_modules(plan, args.dry_run)
    write_package_inits(plan, args.dry_run)
    changed = rewrite_references(plan, args.dry_run)
    patch_data_readers(plan, args.dry_run)
    patch_pyproject(args.dry_run)
    patch_ci(args.dry_run)
    patch_package_docstring(args.dry_run)
    patch_readme(args.dry_run)
    tidy(changed, args.dry_run)
    for note in plan.notes:
        print("note: " + note)
    left = flat_modules()
    print(f"theodoi/ keeps {len(left) + len(KEPT_AT_TOP)} modules at the top: "
          f"{', '.join(sorted(KEPT_AT_TOP | set(left)))}")
    return verify() if args.verify and not args.dry_run else 0


if __name__ == "__main__":
    sys.exit(main())
