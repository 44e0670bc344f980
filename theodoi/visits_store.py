"""Visit records: one YAML file per day, ``visits/YYYY/YYYY-MM-DD.yaml``.

Each day file is a YAML sequence of visit mappings, appended to at the end.
This module reads them into :class:`~theodoi.model.Visit` records with the
line each one starts on, plus the problems found on the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from theodoi.csvfile import text_problems
from theodoi.i18n import N_
from theodoi.model import Visit
from theodoi.periods import DateError, parse_date
from theodoi.problems import Location, Problem, TheodoiError, error, warning
from theodoi.textfile import display_path, read_text
from theodoi.yamlio import Mapping, Quoted, Sequence, dump, load_text

VISITS_DIR = "visits"
VISIT_KEYS = ("id", "date", "cadre", "commune", "kind", "notes", "difficulties", "proposals",
              "substitute", "recorded_at")
_DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.yaml$")


@dataclass
class LoadedVisits:
    visits: list[Visit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def day_file(data_dir: Path, day: date) -> Path:
    return data_dir / VISITS_DIR / f"{day.year:04d}" / f"{day.isoformat()}.yaml"


def day_of_file(path: Path) -> date | None:
    """The date a day file's name stands for, or None if the name is not one."""
    match = _DAY_FILE.match(path.name)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def visit_files(data_dir: Path) -> Iterator[Path]:
    """Every ``*.yaml`` under visits/, in date order (file names sort by date)."""
    root = data_dir / VISITS_DIR
    if not root.is_dir():
        return iter(())
    return iter(sorted(root.glob("*/*.yaml")))


def load_visits(data_dir: Path) -> LoadedVisits:
    """The whole history; a broken day file is a problem, not the end."""
    loaded = LoadedVisits()
    for path in visit_files(data_dir):
        try:
            visits, problems = read_day_file(path)
        except TheodoiError as exc:
            loaded.problems.append(error("unreadable-file", exc.location or Location(
                display_path(path)), exc.template, **exc.params))
            continue
        loaded.visits.extend(visits)
        loaded.problems.extend(problems)
    return loaded


def read_day_file(path: Path) -> tuple[list[Visit], list[Problem]]:
    """Visits of one day file; raises TheodoiError if it cannot be parsed."""
    name = display_path(path)
    text = read_text(path)
    if not text.strip():
        return [], []  # an empty day file holds no visits; that is not an error
    return parse_day_text(text, name)


def parse_day_text(text: str, name: str) -> tuple[list[Visit], list[Problem]]:
    document = load_text(text, name)
    if not isinstance(document, Sequence):
        raise TheodoiError(N_("a visit file must be a YAML list of visits"), Location(name, 1))
    visits: list[Visit] = []
    problems: list[Problem] = []
    for item, line in zip(document, document.item_lines, strict=True):
        location = Location(name, line)
        if not isinstance(item, Mapping):
            problems.append(error("bad-item", location, N_("each visit must be a mapping")))
            continue
        visit = _visit_from(item, location, problems)
        if visit is not None:
            visits.append(visit)
    return visits, problems


def _visit_from(item: Mapping, location: Location, problems: list[Problem]) -> Visit | None:
    for key in item:
        if key not in VISIT_KEYS:
            problems.append(warning("unknown-key", Location(location.file, item.key_lines[key]),
                                    N_("unknown key {key!r} is ignored"), key=key))
    missing = [k for k in ("id", "date", "cadre", "commune") if item.get(k) in (None, "")]
    if missing:
        problems.append(error("missing-field", location, N_("the visit lacks {fields}"),
                              fields=", ".join(missing)))
        return None
    if isinstance(item["commune"], int) and not isinstance(item["commune"], bool):
        problems.append(error("unquoted-code", location, N_(
            "commune code must be quoted text, e.g. \"02068\" (unquoted, YAML reads "
            "it as a number)")))
        return None
    try:
        day = parse_date(str(item["date"]))
    except DateError:
        problems.append(error("bad-date", location, N_(
            "{key}: {value!r} is not a valid date (use 2024-09-15 or 15/09/2024)"),
            key="date", value=str(item["date"])))
        return None
    problems.extend(text_problems({k: v for k, v in item.items() if isinstance(v, str)},
                                  location))
    return Visit(
        id=str(item["id"]),
        date=day,
        cadre=str(item["cadre"]),
        commune=str(item["commune"]),
        kind=str(item.get("kind") or "working"),
        notes=str(item.get("notes") or ""),
        difficulties=_text_list(item.get("difficulties")),
        proposals=_text_list(item.get("proposals")),
        recorded_at=str(item.get("recorded_at") or ""),
        substitute=str(item.get("substitute") or ""),
        location=location,
    )


def _text_list(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value if v not in (None, ""))
    return (str(value),)


def visit_id(day: date, sequence: int) -> str:
    """``V-20240915-001``: readable, sortable, unique within its day file."""
    return f"V-{day:%Y%m%d}-{sequence:03d}"


def visit_record(visit: Visit) -> dict[str, object]:
    """The mapping written to a day file, keys in a stable order; empty
    optional fields are left out so that hand-written records stay short."""
    record: dict[str, object] = {
        "id": visit.id,
        "date": visit.date,
        "cadre": visit.cadre,
        "commune": Quoted(visit.commune),
        "kind": visit.kind,
    }
    if visit.substitute:
        record["substitute"] = visit.substitute
    if visit.notes:
        record["notes"] = visit.notes
    record["difficulties"] = list(visit.difficulties)
    record["proposals"] = list(visit.proposals)
    record["recorded_at"] = visit.recorded_at
    return record


def render_visits(visits: list[Visit]) -> str:
    """YAML text of visits as list items, ready to append to a day file."""
    return dump([visit_record(v) for v in visits])
