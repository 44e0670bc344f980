"""The summary's count of waiting items takes a short cut: items never changed
since their visit are counted per day from the columns and built only when a
listing reaches their day.  The short cut must give exactly what the full walk
(``as_of_day`` over every item) gives, on a history where visits were
amended, moved, withdrawn, and items forwarded, resolved and retracted.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import invoke

from theodoi.base.periods import parse_period
from theodoi.followup.proposals import Followed, as_of_day, load_follow_up, open_items
from theodoi.registers.loader import load_registers
from theodoi.visits.columns import load_visit_columns
from theodoi.visits.corrections import load_corrections

ENV = {"THEODOI_TODAY": "2024-12-20", "THEODOI_LANG": "en"}
WHO = "Nông Thị Văn Thư <vanthu@backan.gov.vn>"
WEEKS = ("2024-W40", "2024-W47", "2024-W50")


def run(data: Path, *args: str) -> str:
    result = invoke(*args, "--data", str(data), env=ENV, cwd=data.parent)
    assert result.returncode == 0, result.stderr
    return result.stdout


def items_raised(data: Path) -> list[str]:
    """Every item id on record, from proposal list (the full walk)."""
    import json

    rows = json.loads(run(data, "proposal", "list", "--status", "all", "--format", "json"))
    return [row["id"] for row in rows["rows"]]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's 3,000 visits, then corrections and status changes at random
    (seeded): dates moved across weeks, lists replaced or emptied, visits
    withdrawn; items forwarded, answered, resolved, declined, one retracted."""
    data = tmp_path_factory.mktemp("open-items") / "data"
    result = invoke("demo", str(data), "--visits", "3000", env=ENV)
    assert result.returncode == 0, result.stderr
    chooser = random.Random(1390)
    items = items_raised(data)
    visits = sorted({item.split("/")[0] for item in items})
    for visit in chooser.sample(visits, 6):
        run(data, "visit", "amend", visit, "--date", "02/10/2024", "--reason", "Sai ngày",
            "--by", WHO)
    for visit in chooser.sample(visits, 4):
        run(data, "visit", "amend", visit, "--proposal", "Đề nghị mới", "--proposal",
            "Đề nghị thứ hai", "--issue", "", "--reason", "Ghi lại", "--by", WHO)
    withdrawn = set(chooser.sample(visits, 4))
    for visit in withdrawn:
        run(data, "visit", "withdraw", visit, "--reason", "Ghi trùng", "--by", WHO)
    followed = [i for i in chooser.sample(items, 40) if i.split("/")[0] not in withdrawn]
    chains = [[("forwarded", "--to", "Sở Tài chính")],
              [("forwarded", "--to", "Sở Tài chính"), ("answered", "--ref", "Số 12, 01/12/2024")],
              [("forwarded", "--to", "Sở Tài chính"), ("resolved",)],
              [("declined",)]]
    for n, item in enumerate(followed):
        for status, *more in chains[n % 4]:
            run(data, "proposal", "update", item, "--status", status, *more, "--date",
                "15/12/2024", "--note", "Theo dõi", "--by", WHO)
    journal = (data / "proposals/2024/2024-12-20.yaml").read_text(encoding="utf-8")
    latest = [line.split()[-1] for line in journal.splitlines() if line.startswith("- id: ")][-1]
    run(data, "proposal", "retract", latest, "--note", "Ghi nhầm", "--by", WHO)
    return data


def as_tuples(followed: list[Followed]) -> list[tuple[object, ...]]:
    return [(f.item, f.state, f.age, f.overdue) for f in followed]


@pytest.mark.parametrize("week", WEEKS)
def test_the_short_cut_gives_what_the_full_walk_gives(history: Path, week: str) -> None:
    registers = load_registers(history).registers
    corrections = load_corrections(history)
    columns = load_visit_columns(history, None, corrections=corrections)
    period = parse_period(week)
    full = as_of_day(load_follow_up(history, columns, corrections), period.end, 30)
    pending = [f for f in full if f.pending]
    section = open_items(history, columns, corrections, registers, period, 30)
    assert len(pending) > 100  # the listing is cut, not whole
    assert (section.pending_count, section.overdue_count) == (
        len(pending), sum(f.overdue for f in pending))
    for count in (1, 7, 100, None):
        assert as_tuples(section.oldest(count)) == as_tuples(pending[:count])
    closed = [f for f in full if f.state.status in ("resolved", "declined")
              and f.state.since in period]
    assert sorted(f.item.id for f in section.closed) == sorted(f.item.id for f in closed)


def test_the_history_exercises_every_case(history: Path) -> None:
    """The fixture did what the test above relies on: moved, replaced and
    withdrawn visits, and items in every status on 20/12."""
    corrections = load_corrections(history)
    assert sum(c.withdraws for c in corrections.records) == 4
    assert len(corrections.records) == 14
    statuses = run(history, "proposal", "list", "--status", "all", "--format", "csv")
    for status in ("open", "forwarded", "answered", "resolved", "declined"):
        assert f",{status}," in statuses
    assert "retracts:" in (history / "proposals/2024/2024-12-20.yaml").read_text(
        encoding="utf-8")


def test_a_visit_id_given_twice_falls_back_to_the_full_walk(history: Path, tmp_path: Path
                                                           ) -> None:
    """An id outside its day's file (a hand-made file): the first row of the two
    owns the id, as in the full walk."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(history, data)
    copied = sorted((data / "visits/2024").glob("*.yaml"))[0]
    first = copied.read_text(encoding="utf-8").split("\n- id:")[0]
    later = sorted((data / "visits/2024").glob("*.yaml"))[-1]
    with later.open("a", encoding="utf-8") as out:
        out.write(first.replace("note:", "note: chép lại,", 1) + "\n")
    registers = load_registers(data).registers
    corrections = load_corrections(data)
    columns = load_visit_columns(data, None, corrections=corrections)
    assert columns.odd_ids
    period = parse_period("2024-W50")
    full = as_of_day(load_follow_up(data, columns, corrections), period.end, 30)
    pending = [f for f in full if f.pending]
    section = open_items(data, columns, corrections, registers, period, 30)
    assert section.pending_count == len(pending)
    assert as_tuples(section.oldest(100)) == as_tuples(pending[:100])
