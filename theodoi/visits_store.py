"""Visit records: one YAML file per day, ``visits/YYYY/YYYY-MM-DD.yaml``.

Each day file is a YAML sequence of visit mappings, appended to at the end.
This module reads them into :class:`~theodoi.model.Visit` records with the
line each one starts on, plus the problems found on the way, and appends a
new visit (:func:`add_visit`) under a lock, atomically, never touching the
bytes already written.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path, PurePath

from theodoi.atomic import fsync_folder, os_error, write_atomically
from theodoi.csvfile import text_problems
from theodoi.i18n import N_
from theodoi.model import Visit
from theodoi.periods import DateError, parse_date
from theodoi.problems import Location, Problem, TheodoiError, error, warning
from theodoi.textfile import decode, display_path, read_text
from theodoi.yamlio import Mapping, Quoted, Sequence, bulk_loading, dump, load_text

VISITS_DIR = "visits"
VISIT_KEYS = ("id", "date", "cadre", "commune", "kind", "notes", "difficulties", "proposals",
              "substitute", "recorded_at")
_DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.yaml$")


@dataclass
class LoadedVisits:
    visits: list[Visit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Every file under visits/ (POSIX paths relative to it), loaded or not,
    # so that validation can name the ones in the wrong place; ``folder`` is
    # visits/ as messages name it.
    files: list[str] = field(default_factory=list)
    folder: str = VISITS_DIR


def day_file(data_dir: Path, day: date) -> Path:
    return data_dir / VISITS_DIR / f"{day.year:04d}" / f"{day.isoformat()}.yaml"


def day_of_file(path: PurePath) -> date | None:
    """The date a day file's name stands for, or None if the name is not one."""
    match = _DAY_FILE.match(path.name)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def visit_files(data_dir: Path) -> Iterator[Path]:
    """Every day file ``visits/YYYY/YYYY-MM-DD.yaml``, in date order.

    Files named otherwise, or in another year's folder, are not read (their
    visits would be counted on the wrong day); validation names them.
    """
    root = data_dir / VISITS_DIR
    if not root.is_dir():
        return iter(())
    return iter(sorted(path for path in root.glob("*/*.yaml")
                       if (day := day_of_file(path)) is not None
                       and path.parent.name == f"{day.year:04d}"))


def folder_entries(data_dir: Path) -> list[str]:
    """Every file under visits/, as sorted POSIX paths relative to visits/."""
    root = data_dir / VISITS_DIR
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_dir())


def load_visits(data_dir: Path) -> LoadedVisits:
    """The whole history; a broken day file is a problem, not the end."""
    loaded = LoadedVisits(files=folder_entries(data_dir),
                          folder=display_path(data_dir / VISITS_DIR))
    with bulk_loading():
        for path in visit_files(data_dir):
            visits, problems = read_day_file_or_problem(path)
            loaded.visits.extend(visits)
            loaded.problems.extend(problems)
    return loaded


def read_day_file_or_problem(path: Path) -> tuple[list[Visit], list[Problem]]:
    """Like :func:`read_day_file`, but a file that cannot be read is one problem,
    so that loading goes on with the other day files."""
    try:
        return read_day_file(path)
    except TheodoiError as exc:
        return [], [exc.as_problem(display_path(path))]


def read_day_file(path: Path) -> tuple[list[Visit], list[Problem]]:
    """Visits of one day file; raises TheodoiError if it cannot be parsed."""
    return parse_day_text(read_text(path), display_path(path))


def parse_day_text(text: str, name: str) -> tuple[list[Visit], list[Problem]]:
    document = _day_document(text, name)
    return _visits_of(document, name)


def _has_content(text: str) -> bool:
    """False for an empty day file or one with only comments: no visits, no error."""
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


def _day_document(text: str, name: str) -> Sequence:
    if not _has_content(text):
        empty = Sequence()
        empty.line, empty.item_lines = 1, []
        return empty
    document = load_text(text, name)
    if not isinstance(document, Sequence):
        raise TheodoiError(N_("a visit file must be a YAML list of visits"), Location(name, 1))
    return document


def _visits_of(document: Sequence, name: str) -> tuple[list[Visit], list[Problem]]:
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
    """YAML text of visits as list items, ready to append to a day file.

    Each visit is dumped on its own: dumped together, visits sharing a date
    object would be written with YAML anchors (``&id001``/``*id001``).
    """
    return "".join(dump([visit_record(v)]) for v in visits)


# --- Recording a visit --------------------------------------------------------
#
# Appending rewrites the day file as its old bytes, unchanged, followed by the
# new item, through a temporary file renamed over it (atomic).  A concurrent
# reader sees the old file or the new one, never half of one; a writer killed
# at any moment leaves the old file whole (and at worst a hidden *.tmp file).


class DuplicateVisit(TheodoiError):
    """The same cadre, commune and date is already on record in the day file."""


@dataclass(frozen=True)
class StoredVisit:
    visit: Visit  # as written: with its id and the line it starts on
    path: Path


def add_visit(data_dir: Path, visit: Visit, allow_duplicate: bool = False) -> StoredVisit:
    """Append ``visit`` (its id is ignored) to its day file; return it as stored.

    Reads and writes nothing but that one day file.  Under an exclusive lock
    the file is read, checked for a duplicate (same cadre, commune and date),
    the id numbered (highest sequence of that day + 1) and the file rewritten.
    Raises TheodoiError, leaving every file as it was, if the day file cannot
    be parsed, on a duplicate, or if the disk refuses the write.
    """
    root = data_dir / VISITS_DIR
    if not data_dir.is_dir():
        raise TheodoiError(N_("data folder not found (give --data DIR or set THEODOI_DATA)"),
                           Location(display_path(data_dir)))
    _make_folder(root)
    with _visits_lock(root):
        path = day_file(data_dir, visit.date)
        _make_folder(path.parent)
        _remove_stale_temporaries(path)
        name = display_path(path)
        old = _read_bytes(path)
        document = _day_document(decode(old, name), name)
        on_record, _problems = _visits_of(document, name)
        if not allow_duplicate:
            _refuse_duplicate(visit, on_record)
        stored = replace(visit, id=visit_id(visit.date, _last_sequence(document, visit.date) + 1))
        new = _appended(old, render_visits([stored]))
        _check_reads_back(new, name, len(document), stored.id)
        write_atomically(path, new)
    # The new item starts on the line after the old text (and the newline added).
    line = old.count(b"\n") + (0 if not old or old.endswith(b"\n") else 1) + 1
    return StoredVisit(replace(stored, location=Location(name, line)), path)


def _last_sequence(document: Sequence, day: date) -> int:
    """The highest n among this day's ids ``V-YYYYMMDD-n``, from the raw items
    (so that an item broken in another field still keeps its number)."""
    pattern = re.compile(rf"^V-{day:%Y%m%d}-(\d+)$")
    numbers = [0]
    for item in document:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            match = pattern.match(item["id"].strip())
            if match:
                numbers.append(int(match.group(1)))
    return max(numbers)


def _refuse_duplicate(visit: Visit, on_record: list[Visit]) -> None:
    for other in on_record:
        if (other.cadre, other.commune, other.date) == (visit.cadre, visit.commune, visit.date):
            raise DuplicateVisit(N_(
                "cadre {cadre} already has a visit to commune {commune} on {day} on record "
                "({id}); to record another one on the same day, allow duplicates "
                "(--allow-duplicate)"), other.location, cadre=visit.cadre,
                commune=visit.commune, day=visit.date, id=other.id)


def _appended(old: bytes, addition: str) -> bytes:
    """The old bytes untouched, then the new item in the file's own line endings."""
    newline = b"\r\n" if b"\r\n" in old else b"\n"
    encoded = addition.encode("utf-8").replace(b"\n", newline)
    separator = newline if old and not old.endswith(b"\n") else b""
    return old + separator + encoded


def _check_reads_back(new: bytes, name: str, count: int, new_id: str) -> None:
    """Refuse to write unless the result parses as the old items plus the new one
    (a flow-style list such as ``[]`` cannot be appended to)."""
    try:
        document = _day_document(decode(new, name), name)
    except TheodoiError:
        document = None
    last = document[-1] if document else None
    if (document is None or len(document) != count + 1 or not isinstance(last, Mapping)
            or last.get("id") != new_id):
        raise TheodoiError(N_(
            "cannot append a visit to this file: it must be a YAML list written one item "
            "per '- ' line; the file was left as it was"), Location(name))


@contextmanager
def _visits_lock(root: Path) -> Iterator[None]:
    """Serialise writers with flock on the visits/ folder itself, opened read-only.

    Why the folder and not a ``.lock`` file: nothing to create or git-ignore,
    it also works when the folder is read-only (so the real error, not a lock
    error, is reported), and the kernel releases it when a holder dies, even
    by SIGKILL.  One lock for all days keeps folder creation inside it too;
    a visit is written in milliseconds, so serialising all days costs nothing.
    """
    import fcntl  # here, not at the top: reading visits must work where fcntl does not

    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise os_error(N_("cannot open the folder: {reason}"), root, exc) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _make_folder(folder: Path) -> None:
    if folder.is_dir():
        return
    if folder.exists() or folder.is_symlink():
        raise TheodoiError(N_("cannot create the folder: a file of that name is in the way"),
                           Location(display_path(folder)))
    try:
        folder.mkdir()
    except FileExistsError:
        if folder.is_dir():  # created by another process in the meantime
            return
        raise TheodoiError(N_("cannot create the folder: a file of that name is in the way"),
                           Location(display_path(folder))) from None
    except OSError as exc:
        raise os_error(N_("cannot create the folder: {reason}"), folder, exc) from exc
    fsync_folder(folder.parent)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""
    except IsADirectoryError:
        raise TheodoiError(N_("is a folder, expected a file"),
                           Location(display_path(path))) from None
    except OSError as exc:
        raise os_error(N_("cannot read the file: {reason}"), path, exc) from exc


def _remove_stale_temporaries(path: Path) -> None:
    """Left by a writer that died (power cut, SIGKILL); safe to remove under the
    lock, since every writer holds it for as long as its temporary file exists."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with suppress(OSError):
            stale.unlink()
