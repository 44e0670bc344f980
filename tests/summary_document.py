"""The weekly summary of tests/report_data.py as a Document, made by the
library functions the CLI calls, for the renderers' tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from loading import weekly_summary
from report_data import quarter_data

from theodoi.base import i18n
from theodoi.base.periods import parse_period
from theodoi.render.reports import summary_document
from theodoi.render.tables import Document
from theodoi.workspace.validation import validate

MADE_ON = date(2025, 3, 10)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Messages in ``code`` for the block, then back to what they were."""
    before = i18n.language()
    i18n.set_language(code)
    try:
        yield
    finally:
        i18n.set_language(before)


def week_47_document(folder: Path, code: str) -> Document:
    """Week 47 of 2024 (18/11–24/11): one visit to Xã Đại Sảo with two
    difficulties and a proposal, one visit recorded late, the coverage of
    Q4 by district, no overdue commune, the data check passed."""
    data = quarter_data(folder / "data")
    week = parse_period("2024-W47")
    summary = weekly_summary(data, "2024-W47")
    with language(code):
        check = validate(data, week.end, MADE_ON)
        return summary_document(summary, check, code, MADE_ON)
