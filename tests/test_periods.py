"""Report periods: parsing, ISO weeks across a new year, names in Vietnamese and English."""

from __future__ import annotations

from datetime import date

import pytest

from theodoi.base.periods import (
    Period,
    PeriodError,
    date_range,
    iso_week,
    last_complete_week,
    parse_period,
    period_label,
    quarter_of,
    recorded_date,
    week_of,
)


@pytest.mark.parametrize(("text", "start", "end", "kind"), [
    ("2024", date(2024, 1, 1), date(2024, 12, 31), "year"),
    ("2024-H1", date(2024, 1, 1), date(2024, 6, 30), "half"),
    ("2024-h2", date(2024, 7, 1), date(2024, 12, 31), "half"),
    ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31), "quarter"),
    ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30), "quarter"),
    ("2024-q4", date(2024, 10, 1), date(2024, 12, 31), "quarter"),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),  # a leap year
    ("2025-2", date(2025, 2, 1), date(2025, 2, 28), "month"),
    ("2024-12", date(2024, 12, 1), date(2024, 12, 31), "month"),
    ("2024-W37", date(2024, 9, 9), date(2024, 9, 15), "week"),
    ("2024-W01", date(2024, 1, 1), date(2024, 1, 7), "week"),  # 1 January is a Monday
    ("2025-W01", date(2024, 12, 30), date(2025, 1, 5), "week"),  # starts in December
    ("2020-W53", date(2020, 12, 28), date(2021, 1, 3), "week"),
    (" 2024-w37 ", date(2024, 9, 9), date(2024, 9, 15), "week"),
])
def test_parse_period(text: str, start: date, end: date, kind: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.kind) == (start, end, kind)


@pytest.mark.parametrize("text", ["", "2024-Q5", "2024-Q0", "2024-H3", "2024-13", "2024-00",
                                  "2024-W54", "2024-W53", "2024-W00", "24-Q1", "Q3-2024",
                                  "2024-09-15", "quý 3"])
def test_not_a_period(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


def test_code_reads_back() -> None:
    for text in ("2024", "2024-H2", "2024-Q3", "2024-09", "2024-W37", "2025-W01"):
        assert parse_period(text).code() == text
        assert parse_period(parse_period(text).code()) == parse_period(text)


def test_vietnamese_names_as_in_the_glossary() -> None:
    assert period_label(parse_period("2024-W37")) == "Tuần 37 (09/09–15/09/2024)"
    assert period_label(parse_period("2024-Q3")) == "Quý III/2024"
    assert period_label(parse_period("2024-Q4")) == "Quý IV/2024"
    assert period_label(parse_period("2024-H1")) == "6 tháng đầu năm 2024"
    assert period_label(parse_period("2024-H2")) == "6 tháng cuối năm 2024"
    assert period_label(parse_period("2024-09")) == "Tháng 9/2024"
    assert period_label(parse_period("2024")) == "Năm 2024"
    assert period_label(date_range(date(2024, 7, 1), date(2024, 9, 30))) == \
        "Từ 01/07/2024 đến 30/09/2024"


def test_a_week_across_the_new_year_names_both_years() -> None:
    assert period_label(parse_period("2025-W01")) == "Tuần 1 (30/12/2024–05/01/2025)"


def test_english_names() -> None:
    assert period_label(parse_period("2024-Q3"), "en") == "Q3 2024"
    assert period_label(parse_period("2024-H1"), "en") == "First half of 2024"
    assert period_label(parse_period("2024-09"), "en") == "September 2024"
    assert period_label(parse_period("2024-W37"), "en") == \
        "Week 37 of 2024 (2024-09-09 – 2024-09-15)"


def test_iso_weeks_and_quarters_of_a_day() -> None:
    assert week_of(date(2024, 12, 31)) == iso_week(2025, 1)
    assert week_of(date(2025, 1, 5)) == iso_week(2025, 1)  # Sunday ends the week
    assert week_of(date(2024, 12, 29)) == iso_week(2024, 52)
    assert quarter_of(date(2024, 9, 30)) == parse_period("2024-Q3")
    assert quarter_of(date(2024, 10, 1)) == parse_period("2024-Q4")


@pytest.mark.parametrize(("today", "week"), [
    (date(2025, 1, 6), "2025-W01"),  # Monday: the week spanning the new year just ended
    (date(2025, 1, 5), "2024-W52"),  # Sunday: the week in progress is not complete
    (date(2025, 1, 1), "2024-W52"),
    (date(2024, 9, 16), "2024-W37"),
    (date(2024, 9, 22), "2024-W37"),
])
def test_last_complete_week(today: date, week: str) -> None:
    assert last_complete_week(today) == parse_period(week)


def test_contains_and_up_to() -> None:
    quarter = parse_period("2024-Q4")
    assert date(2024, 12, 31) in quarter and date(2025, 1, 1) not in quarter
    assert None not in quarter
    so_far = quarter.up_to(date(2024, 11, 24))
    assert (so_far.start, so_far.end, so_far.kind) == (date(2024, 10, 1), date(2024, 11, 24),
                                                       "quarter")
    assert quarter.up_to(date(2025, 3, 1)) == quarter
    assert Period(date(2024, 1, 1), date(2024, 1, 1)).days == 1


def test_a_range_must_not_end_before_it_begins() -> None:
    with pytest.raises(PeriodError):
        date_range(date(2024, 9, 2), date(2024, 9, 1))


def test_recorded_date_is_the_day_in_viet_nam() -> None:
    assert recorded_date("2024-09-15T23:30:00+07:00") == date(2024, 9, 15)
    assert recorded_date("2024-09-15T20:30:00+00:00") == date(2024, 9, 16)  # 03:30 in Hà Nội
    assert recorded_date("2024-09-15T20:30:00Z") == date(2024, 9, 16)
    assert recorded_date("2024-09-15T10:00:00") == date(2024, 9, 15)  # no offset: local
    assert recorded_date("2024-09-15") == date(2024, 9, 15)
    assert recorded_date("") is None
    assert recorded_date("hôm qua") is None
