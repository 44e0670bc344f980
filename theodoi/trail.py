"""The truth about the audit trail, for the weekly summary.

The summary says what the Standing Committee must be able to trust: whether
any record was changed behind the tool's back and is still unexplained (the
audit's open findings), the findings acknowledged during the week, the
corrections and withdrawals made during the week with their reasons, and a
fingerprint of the data: the last commit that changed the data (a report
committed beside it does not count, so that a rerun of the week's summary is
the same file) and the number of visit records it holds.  An auditor outside
the office who keeps the summary can later run ``theodoi audit --anchor
COMMIT``: a history rewritten since then loses that commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from theodoi.corrections import Correction, Corrections
from theodoi.git import Git
from theodoi.gitaudit import (
    Acknowledgement,
    Area,
    RecordChange,
    audit,
    data_head,
    open_repository,
)
from theodoi.periods import Period, recorded_date
from theodoi.problems import TheodoiError


@dataclass
class Trail:
    in_git: bool
    open_findings: list[RecordChange] = field(default_factory=list)
    acknowledged: list[tuple[RecordChange, Acknowledgement]] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)  # made in the week
    commit: str | None = None  # the fingerprint: the last data commit, and its visit records
    records: int = 0
    uncommitted: bool = False  # visit records on disk that HEAD does not hold yet
    reason: str = ""  # why there is no trail (not a repository, git missing)


def weekly_trail(data_dir: Path, git: Git, week: Period, corrections: Corrections,
                 records_on_disk: int) -> Trail:
    """The audit as of now, the acknowledgements and corrections of ``week``,
    and the fingerprint.  Outside a git repository there is no trail, said so."""
    made = [c for c in corrections.records
            if (day := recorded_date(c.recorded_at)) is not None and day in week]
    try:
        repo = open_repository(data_dir, git)
        result = audit(data_dir, git)
    except TheodoiError as exc:
        return Trail(False, corrections=made, records=records_on_disk,
                     reason=exc.check.code)
    acknowledged = [(f, result.acknowledged[f.finding]) for f in result.acknowledged_findings
                    if (day := result.acknowledged[f.finding].day) is not None and day in week]
    # The records HEAD holds are those on disk when no visit waits to be committed.
    pending = any(c.area is Area.VISIT for c in result.pending)
    return Trail(True, result.open_findings, acknowledged, made, data_head(repo), records_on_disk,
                 uncommitted=pending)
