"""The truth about the audit trail, for the weekly summary.

The summary says what the Standing Committee must be able to trust: whether
any record was changed behind the tool's back and is still unexplained (the
audit's open findings), the findings acknowledged during the week, the
corrections and withdrawals made during the week with their reasons (the
week is the one their commit entered the history in, whatever date they
claim), how each was made (through theodoi or by hand), the registers'
changes committed during the week, and a
fingerprint of the data: the last commit that changed the data (a report
committed beside it does not count, so that a rerun of the week's summary is
the same file) and the number of visit records it holds.  An auditor outside
the office who keeps the summary can later run ``theodoi audit --anchor
COMMIT``: a history rewritten since then loses that commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from theodoi.audit.gitaudit import (
    Acknowledgement,
    Area,
    Commit,
    RecordChange,
    audit,
    data_head,
    entered_history,
    open_repository,
)
from theodoi.base.periods import Period, recorded_date
from theodoi.base.problems import TheodoiError
from theodoi.store.git import Git
from theodoi.visits.corrections import Correction, Corrections


@dataclass
class Trail:
    in_git: bool
    open_findings: list[RecordChange] = field(default_factory=list)
    acknowledged: list[tuple[RecordChange, Acknowledgement]] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)  # entered history in the week
    commit: str | None = None  # the fingerprint: the last data commit, and its visit records
    records: int = 0
    uncommitted: bool = False  # visit records on disk that HEAD does not hold yet
    reason: str = ""  # why there is no trail (not a repository, git missing)
    # How each correction and acknowledgement came in, by id: "theodoi visit
    # amend" (its commit names the command), "hand", or "" not committed yet.
    made_by: dict[str, str] = field(default_factory=dict)
    registers: list[RecordChange] = field(default_factory=list)  # committed in the week


def _entered(commit: Commit | None, recorded_at: str) -> date | None:
    """The day a record entered history: its commit's (Viet Nam time), whatever
    day it claims; not committed yet, the day it claims."""
    return commit.committed.date() if commit is not None else recorded_date(recorded_at)


def weekly_trail(data_dir: Path, git: Git, week: Period, corrections: Corrections,
                 records_on_disk: int) -> Trail:
    """The audit as of now, the acknowledgements and corrections that entered
    the history in ``week`` (by their commit's date, whatever date they
    claim), the registers' changes committed in it, and the fingerprint.
    Outside a git repository there is no trail, said so."""
    try:
        repo = open_repository(data_dir, git)
        result = audit(data_dir, git)
    except TheodoiError as exc:
        made = [c for c in corrections.records
                if (day := recorded_date(c.recorded_at)) is not None and day in week]
        return Trail(False, corrections=made, records=records_on_disk,
                     reason=exc.check.code)
    entered = entered_history(result.changes)

    def in_week(area: Area, key: str, recorded_at: str) -> bool:
        day = _entered(entered.get((area, key)), recorded_at)
        return day is not None and day in week

    made = [c for c in corrections.records if in_week(Area.CORRECTION, c.id, c.recorded_at)]
    acknowledged = [(f, ack) for f in result.acknowledged_findings
                    if in_week(Area.ACKNOWLEDGEMENT, (ack := result.acknowledged[f.finding]).id,
                               ack.recorded_at)]
    made_by = {key: commit.made_by if commit else "" for (_, key), commit in entered.items()}
    registers = [c for c in result.changes if c.commit is not None and c.area in REGISTERS
                 and c.commit.committed.date() in week]
    # The records HEAD holds are those on disk when no visit waits to be committed.
    pending = any(c.area is Area.VISIT for c in result.pending)
    return Trail(True, result.open_findings, acknowledged, made, data_head(repo), records_on_disk,
                 uncommitted=pending, made_by=made_by, registers=registers)


REGISTERS = (Area.ASSIGNMENT, Area.CADRE, Area.COMMUNE)
