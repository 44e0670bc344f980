"""The one reader of day files: what it yields for every kind of record a
clerk or an editor can leave, and the views built on it (the full visit, the
report columns, the audit's records) agree because they are one result."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import write_data_folder
from report_data import VISITS, write_visits

from theodoi.audit.gitaudit import visit_records
from theodoi.store.dayfile import read_records, scan_folder
from theodoi.visits.columns import load_visit_columns, recorded_visits
from theodoi.visits.records import VISIT_SCHEMA, visits_of

GOOD = """\
- id: V-20240915-001
  date: 2024-09-15
  cadre: CB01
  commune: "02068"
  difficulties: []
  proposals: []
  recorded_at: '2024-09-15T10:00:00+07:00'
"""


def good(day: str) -> str:
    return GOOD.replace("20240915", day.replace("-", "")).replace("2024-09-15", day)


# Each case: the file's text, the problems it yields (code, line) and how many
# valid visits remain.  Every expectation was worked out by reading the text.
CASES = {
    "a key twice": (good("2024-09-01") + "  cadre: CB02\n",
                    [("yaml-duplicate-key", 8)], 0),
    "an unquoted code": (good("2024-09-02").replace('"02068"', "02067"),
                         [("unquoted-code", 4)], 0),
    "spaces around a value": (good("2024-09-03").replace("cadre: CB01", "cadre: 'CB01 '"),
                              [("surrounding-spaces", 3)], 1),
    "an unknown key": (good("2024-09-04") + "  weather: mưa\n", [("unknown-key", 8)], 1),
    "no cadre": (good("2024-09-05").replace("  cadre: CB01\n", ""), [("missing-field", 1)], 0),
    "a day that does not exist": (good("2024-09-06").replace("2024-09-06\n", "2024-02-31\n"),
                                  [("bad-date", 2)], 0),
    "not YAML": ("- id: [unclosed\n", [("yaml-syntax", 2)], 0),
    "decomposed text": (good("2024-09-08") + "  notes: Xa\u0303 Đại Sảo\n", [("not-nfc", 8)], 1),
    "only a comment": ("# nothing recorded yet\n", [], 0),
    "a date written the Vietnamese way": (good("2024-09-10").replace("2024-09-10\n",
                                                                     "10/09/2024\n"), [], 1),
    "a tag that would run code": ("- !!python/object:os.system {}\n", [("yaml-tag", 1)], 0),
    "a number where text belongs": (good("2024-09-12").replace("cadre: CB01", "cadre: 123"),
                                    [], 1),
    "one text, not a list": (good("2024-09-13").replace("difficulties: []",
                                                        "difficulties: Đường xấu"), [], 1),
    "a mapping in a list": (good("2024-09-14").replace("proposals: []", "proposals: [{a: 1}]"),
                            [("bad-field", 6)], 0),
    "an anchor and an alias": ("- id: V-20240916-001\n  date: &d 2024-09-16\n  cadre: CB01\n"
                               "  commune: \"02068\"\n- id: V-20240916-002\n  date: *d\n"
                               "  cadre: CB02\n  commune: \"02020\"\n", [], 2),
    "an empty flow list": ("[]\n", [], 0),
    "a mapping, not a list": ("id: V-1\n", [("visit-file-not-list", 1)], 0),
    "a scalar item": ("- just text\n" + good("2024-09-19"), [("bad-item", 1)], 1),
    "zero bytes": ("", [("empty-day-file", 0)], 0),
    "a tab for indentation": ("- id: V-20240920-001\n\tdate: 2024-09-20\n",
                              [("yaml-syntax", 2)], 0),
}


@pytest.mark.parametrize("case", list(CASES))
def test_what_the_reader_yields(case: str) -> None:
    text, expected, valid = CASES[case]
    result = read_records(text.encode("utf-8"), "f.yaml", VISIT_SCHEMA)
    assert [(p.code, p.location.line) for p in result.problems] == expected
    assert sum(record.valid for record in result.records) == valid


def test_a_record_keeps_each_fields_value_and_line() -> None:
    result = read_records(good("2024-09-04").encode() + b"  weather: mua\n", "f.yaml",
                          VISIT_SCHEMA)
    [record] = result.records
    assert record.line == 1
    assert record.lines == {"id": 1, "date": 2, "cadre": 3, "commune": 4, "difficulties": 5,
                            "proposals": 6, "recorded_at": 7, "weather": 8}
    assert record.fields["weather"] == "mua"  # kept for the audit, though not read
    assert record.day == date(2024, 9, 4)


def test_the_tab_is_named_in_plain_words() -> None:
    result = read_records(CASES["a tab for indentation"][0].encode(), "f.yaml", VISIT_SCHEMA)
    [found] = result.problems
    assert (found.code, found.location.line) == ("yaml-syntax", 2)
    assert found.message("en") == ("YAML syntax error: a tab character: YAML indents with spaces "
                                   "only (replace the tab with spaces)")
    assert found.message("vi") == ("lỗi cú pháp YAML: có ký tự tab: YAML chỉ thụt lề bằng dấu "
                                   "cách (hãy thay tab bằng dấu cách)")


@pytest.mark.parametrize(("text", "line", "column"), [
    # The parser fails where the quoted text finally ends, lines later; the clerk
    # is sent to the line where the quote was opened.
    ("- id: V-20240904-001\n  date: 2024-09-04\n  cadre: 'CB01\n  commune: \"02068\"\n"
     "- id: V-20240904-002\n  date: 2024-09-04\n  cadre: CB02\n  commune: \"02020\"\n", 3, 10),
    ("- id: V-20240904-001\n  date: 2024-09-04\n  notes: \"Họp chi bộ\n  cadre: CB01\n"
     "  commune: \"02068\"\n", 3, 10),
])
def test_an_unclosed_quote_is_named_where_it_opens(text: str, line: int, column: int) -> None:
    [found] = read_records(text.encode(), "f.yaml", VISIT_SCHEMA).problems
    assert (found.code, found.location.line, found.location.column) == ("yaml-syntax", line,
                                                                        column)
    assert found.message("vi") == "lỗi cú pháp YAML: có dấu nháy mở nhưng không đóng"


def test_the_missing_colon_is_named() -> None:
    text = "- id: V-20240904-001\n  date 2024-09-04\n  cadre: CB01\n  commune: \"02068\"\n"
    [found] = read_records(text.encode(), "f.yaml", VISIT_SCHEMA).problems
    assert (found.code, found.location.line) == ("yaml-syntax", 2)
    assert found.message("en") == ("YAML syntax error: a missing or misplaced colon (write "
                                   "'key: value', with a space after the colon)")


def test_the_views_of_one_result_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = write_data_folder(tmp_path / "data")
    days = {f"2024-09-{n:02d}": text for n, (text, _e, _v) in
            zip(range(1, 21), CASES.values(), strict=True)}
    write_visits(data, {**days, **VISITS})
    monkeypatch.chdir(tmp_path)
    columns = load_visit_columns(data)
    # The full visits of each day file, as ``visit show`` reads them.
    full = [visits_of(Path(path)) for path, _day in scan_folder(data / "visits").day_files]
    visits = [v for of_file, _problems in full for v in of_file]
    vocab = columns.vocab
    from_columns = sorted(zip(columns.ids(), [date.fromordinal(d) for d in columns.ints("day")],
                              [vocab[c] for c in columns.ints("cadre")],
                              [vocab[c] for c in columns.ints("commune")], strict=True))
    from_visits = sorted((v.id, v.date, v.cadre, v.commune) for v in visits)
    assert from_columns == from_visits
    assert len(from_visits) == sum(v for _t, _e, v in CASES.values()) + 8  # 8 in VISITS
    # The records a listing makes from the columns and the files' text are the
    # full visits, field for field, each at its line.
    listed = recorded_visits(columns, range(len(columns.files)))
    assert [(v, v.location) for v in listed] == [(v, v.location) for v in visits]
    # The file rules add their problems to the reader's; the problems of the files
    # are the same in both views.
    assert {(p.code, p.location.line) for _v, problems in full for p in problems} <= {
        (p.code, p.location.line) for p in columns.problems}


def test_the_audit_compares_whole_records() -> None:
    before = visit_records(good("2024-09-15").encode(), "f.yaml")
    after = visit_records((good("2024-09-15") + "  weather: nắng\n").encode(), "f.yaml")
    assert before is not None and after is not None
    assert before["V-20240915-001"] != after["V-20240915-001"]
    assert visit_records(b"- id: [unclosed\n", "f.yaml") is None
