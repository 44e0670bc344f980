"""The line editor of assignments.yaml and cadres.csv: only the changed lines differ.

Every test writes a real file, edits it through the same functions the
commands use, and compares the text with what a person would have typed.
"""

from __future__ import annotations

import difflib
import os
from datetime import date
from pathlib import Path

import pytest
from conftest import SHIPPED_DATA, SMALL_CADRES

from theodoi.base.model import Registers
from theodoi.base.problems import TheodoiError
from theodoi.registers.assignments_edit import (
    DecisionRef,
    _verify,
    add_cadre,
    append_cadre_text,
    change_assignments,
    edit_assignments_text,
    new_cadre,
    plan_assign,
    plan_swap,
)
from theodoi.registers.loader import load_registers

MARCH_15 = date(2025, 3, 15)
COMMUNES = "code,name,kind,district_code,district_name\n" \
           "02068,Xã Đại Sảo,xã,064,Huyện Chợ Đồn\n02020,Thị trấn Bằng Lũng,thị trấn,064,Huyện Chợ Đồn\n"
CADRES = "id,name,title,agency,phone,email\n" + "\n".join(SMALL_CADRES) + "\n" \
         "CB05,Triệu Văn Toàn,Phó Giám đốc,Sở Nội vụ,,\n"

FLOW = """\
# Phân công theo dõi địa bàn (ghi chú đầu tệp)
settings:
  overdue_days: 90   # số ngày
decisions:
  - number: 1391-QĐ/TU
    date: 2024-08-29
    issued_by: Ban Thường vụ Tỉnh ủy Bắc Kạn
assignments:
  - {commune: "02068", cadre: CB01, since: 2024-08-29, decision: 1391-QĐ/TU}  # theo báo chí
  # Thị trấn Bằng Lũng
  - {commune: "02020", cadre: CB02, since: 2024-08-29, decision: 1391-QĐ/TU}
"""

BLOCK = """\
decisions:
  - number: 1391-QĐ/TU
    date: 2024-08-29
assignments:
  - commune: "02068"
    cadre: CB01
    since: 2024-08-29
    decision: 1391-QĐ/TU
  - commune: "02020"
    cadre: CB02
    since: 29/08/2024
"""


def folder(tmp_path: Path, assignments: str) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "communes.csv").write_text(COMMUNES, encoding="utf-8")
    (data / "cadres.csv").write_text(CADRES, encoding="utf-8")
    (data / "assignments.yaml").write_text(assignments, encoding="utf-8")
    return data


def registers_of(data: Path) -> Registers:
    loaded = load_registers(data)
    assert not loaded.unreadable, loaded.problems
    return loaded.registers


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """(lines removed, lines added) by difflib."""
    diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0))
    removed = [d[1:] for d in diff if d.startswith("-") and not d.startswith("---")]
    added = [d[1:] for d in diff if d.startswith("+") and not d.startswith("+++")]
    return removed, added


def test_replacement_is_one_changed_line_and_one_added_line(tmp_path: Path) -> None:
    data = folder(tmp_path, FLOW)
    plan, change = change_assignments(
        data, lambda regs, name: plan_assign(regs, "02068", "CB05", MARCH_15, None, name))
    assert change is not None and change.written
    new = (data / "assignments.yaml").read_text(encoding="utf-8")
    assert changed_lines(FLOW, new) == (
        ['  - {commune: "02068", cadre: CB01, since: 2024-08-29, decision: 1391-QĐ/TU}'
         '  # theo báo chí'],
        ['  - {commune: "02068", cadre: CB01, since: 2024-08-29, until: 2025-03-14, '
         'decision: 1391-QĐ/TU}  # theo báo chí',
         '  - {commune: "02068", cadre: CB05, since: 2025-03-15}'])
    # The first changed line is the old one, changed in place; the new one follows it.
    assert new.splitlines()[8:10] == changed_lines(FLOW, new)[1]
    regs = registers_of(data)
    assert regs.cadre_of("02068", date(2025, 3, 14)).cadre == "CB01"
    assert regs.cadre_of("02068", MARCH_15).cadre == "CB05"
    assert [p for p in os.listdir(data) if p.endswith(".tmp")] == []


def test_shipped_file_replacement_diff(tmp_path: Path) -> None:
    """On the shipped 108-line file, as the brief puts it: 1 changed + 1 added line."""
    text = (SHIPPED_DATA / "assignments.yaml").read_text(encoding="utf-8")
    regs = load_registers(SHIPPED_DATA).registers
    plan = plan_assign(regs, "02068", "CB001", MARCH_15)
    plan.breaches = []  # CB001 follows another commune: irrelevant to the text edit
    new = edit_assignments_text(text, plan, "assignments.yaml")
    removed, added = changed_lines(text, new)
    assert removed == ['  - {commune: "02068", cadre: CB073, since: 2024-08-29, '
                       'decision: 1391-QĐ/TU}']
    assert added == ['  - {commune: "02068", cadre: CB073, since: 2024-08-29, until: 2025-03-14, '
                     'decision: 1391-QĐ/TU}',
                     '  - {commune: "02068", cadre: CB001, since: 2025-03-15}']


def test_swap_with_a_new_decision(tmp_path: Path) -> None:
    data = folder(tmp_path, FLOW)
    plan, _change = change_assignments(data, lambda regs, name: plan_swap(
        regs, "CB01", "CB02", MARCH_15, DecisionRef("1520-QĐ/TU", MARCH_15), name))
    assert plan.breaches == []
    new = (data / "assignments.yaml").read_text(encoding="utf-8")
    assert new == FLOW.replace(
        "issued_by: Ban Thường vụ Tỉnh ủy Bắc Kạn\n",
        "issued_by: Ban Thường vụ Tỉnh ủy Bắc Kạn\n"
        "  - number: 1520-QĐ/TU\n    date: 2025-03-15\n").replace(
        'since: 2024-08-29, decision: 1391-QĐ/TU}  # theo báo chí\n',
        'since: 2024-08-29, until: 2025-03-14, decision: 1391-QĐ/TU}  # theo báo chí\n'
        '  - {commune: "02068", cadre: CB02, since: 2025-03-15, decision: 1520-QĐ/TU}\n').replace(
        '  - {commune: "02020", cadre: CB02, since: 2024-08-29, decision: 1391-QĐ/TU}\n',
        '  - {commune: "02020", cadre: CB02, since: 2024-08-29, until: 2025-03-14, '
        'decision: 1391-QĐ/TU}\n'
        '  - {commune: "02020", cadre: CB01, since: 2025-03-15, decision: 1520-QĐ/TU}\n')
    assert registers_of(data).decisions["1520-QĐ/TU"].date == MARCH_15


def test_block_style_entries_are_edited_in_their_own_style(tmp_path: Path) -> None:
    data = folder(tmp_path, BLOCK)
    change_assignments(data, lambda regs, name: plan_assign(regs, "02020", "", MARCH_15,
                                                            None, name))
    assert (data / "assignments.yaml").read_text(encoding="utf-8") == BLOCK + (
        "    until: 2025-03-14\n"
        '  - commune: "02020"\n'
        '    cadre: ""\n'
        "    since: 2025-03-15\n")
    regs = registers_of(data)
    assert [(a.commune, a.cadre, a.until) for a in regs.assignments] == [
        ("02068", "CB01", None), ("02020", "CB02", date(2025, 3, 14)),
        ("02020", "", None)]


def test_block_entry_gets_until_after_since(tmp_path: Path) -> None:
    data = folder(tmp_path, BLOCK)
    change_assignments(data, lambda regs, name: plan_assign(regs, "02068", "CB05", MARCH_15,
                                                            None, name))
    text = (data / "assignments.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[4:13] == [
        '  - commune: "02068"', "    cadre: CB01", "    since: 2024-08-29",
        "    until: 2025-03-14", "    decision: 1391-QĐ/TU",
        '  - commune: "02068"', "    cadre: CB05", "    since: 2025-03-15",
        '  - commune: "02020"']


def test_an_existing_until_is_replaced_in_place(tmp_path: Path) -> None:
    text = FLOW.replace("since: 2024-08-29, decision: 1391-QĐ/TU}  #",
                        "since: 2024-08-29, until: 2025-12-31, decision: 1391-QĐ/TU}  #")
    data = folder(tmp_path, text)
    change_assignments(data, lambda regs, name: plan_assign(regs, "02068", "CB05", MARCH_15,
                                                            None, name))
    removed, added = changed_lines(text, (data / "assignments.yaml").read_text("utf-8"))
    assert removed == [line.replace("2025-03-14", "2025-12-31") for line in added[:1]]
    assert "until: 2025-03-14, decision" in added[0]


def test_crlf_and_byte_order_mark_are_kept(tmp_path: Path) -> None:
    data = folder(tmp_path, "")
    raw = b"\xef\xbb\xbf" + FLOW.replace("\n", "\r\n").encode("utf-8")
    (data / "assignments.yaml").write_bytes(raw)
    change_assignments(data, lambda regs, name: plan_assign(regs, "02068", "CB05", MARCH_15,
                                                            None, name))
    new = (data / "assignments.yaml").read_bytes()
    assert new.startswith(b"\xef\xbb\xbf")
    assert new.count(b"\r\n") == raw.count(b"\r\n") + 1
    assert b"\n" not in new.replace(b"\r\n", b"")


def test_decisions_list_is_created_when_missing(tmp_path: Path) -> None:
    text = FLOW.replace("decisions:\n  - number: 1391-QĐ/TU\n    date: 2024-08-29\n"
                        "    issued_by: Ban Thường vụ Tỉnh ủy Bắc Kạn\n", "").replace(
        ", decision: 1391-QĐ/TU", "")
    data = folder(tmp_path, text)
    change_assignments(data, lambda regs, name: plan_assign(
        regs, "02068", "CB05", MARCH_15, DecisionRef("1520-QĐ/TU", MARCH_15), name))
    new = (data / "assignments.yaml").read_text(encoding="utf-8")
    assert "decisions:\n  - {number: 1520-QĐ/TU, date: 2025-03-15}\nassignments:\n" in new
    assert registers_of(data).decisions["1520-QĐ/TU"].date == MARCH_15


def test_flow_list_is_refused_and_left_alone(tmp_path: Path) -> None:
    text = ('assignments: [{commune: "02068", cadre: CB01, since: 2024-08-29}, '
            '{commune: "02020", cadre: CB02, since: 2024-08-29}]\n')
    data = folder(tmp_path, text)
    with pytest.raises(TheodoiError) as caught:
        change_assignments(data, lambda regs, name: plan_assign(regs, "02068", "CB05",
                                                                MARCH_15, None, name))
    assert caught.value.check.code == "cannot-edit-safely"
    assert "by hand" in caught.value.message("en")
    assert caught.value.location is not None and caught.value.location.line == 1
    assert (data / "assignments.yaml").read_text(encoding="utf-8") == text


def test_an_alias_is_refused_before_any_edit(tmp_path: Path) -> None:
    """An alias is its anchor's node with the anchor's place: an edit meant for
    the alias would land on the anchor (a bug once: 'until' written twice)."""
    text = ("decisions:\n  - {number: 1391-QĐ/TU, date: 2024-08-29}\nassignments:\n"
            '  - &first {commune: "02068", cadre: CB01, since: 2024-08-29}\n'
            '  - {commune: "02020", cadre: CB02, since: 2024-08-29}\n  - *first\n')
    data = folder(tmp_path, text)
    with pytest.raises(TheodoiError) as caught:
        change_assignments(data, lambda regs, name: plan_assign(regs, "02020", "CB05",
                                                                MARCH_15, None, name))
    assert caught.value.check.code == "cannot-edit-safely"
    assert (data / "assignments.yaml").read_text(encoding="utf-8") == text


def test_an_edit_that_does_not_read_back_as_planned_is_not_written(tmp_path: Path) -> None:
    """The safety net behind every edit: the new text is read back and must say
    exactly what the plan says (here, a text the editor did not make)."""
    regs = registers_of(folder(tmp_path, FLOW))
    plan = plan_assign(regs, "02068", "CB05", MARCH_15)
    with pytest.raises(TheodoiError) as caught:
        _verify(FLOW, FLOW, plan, "assignments.yaml")  # the change is missing
    assert caught.value.check.code == "edit-not-verified"
    edited = edit_assignments_text(FLOW, plan, "assignments.yaml")
    _verify(FLOW, edited, plan, "assignments.yaml")  # the real edit reads back


def test_refused_and_dry_changes_write_nothing(tmp_path: Path) -> None:
    data = folder(tmp_path, FLOW)
    plan, change = change_assignments(
        data, lambda regs, name: plan_assign(regs, "02068", "CB02", MARCH_15, None, name))
    assert plan.breaches and change is None
    plan, change = change_assignments(
        data, lambda regs, name: plan_assign(regs, "02068", "CB02", MARCH_15, None, name),
        dry_run=True)
    assert change is not None and not change.written and change.new_text != FLOW
    assert (data / "assignments.yaml").read_text(encoding="utf-8") == FLOW


def test_values_that_yaml_would_misread_are_quoted(tmp_path: Path) -> None:
    cadres = CADRES + "12345,Lộc Văn Số,Phó Giám đốc,Sở Xây dựng,,\n" \
                      "yes,Nông Thị Có,Phó Giám đốc,Sở Y tế,,\n"
    data = folder(tmp_path, FLOW)
    (data / "cadres.csv").write_text(cadres, encoding="utf-8")
    change_assignments(data, lambda regs, name: plan_assign(regs, "02068", "12345", MARCH_15,
                                                            None, name))
    change_assignments(data, lambda regs, name: plan_assign(regs, "02020", "yes", MARCH_15,
                                                            None, name))
    text = (data / "assignments.yaml").read_text(encoding="utf-8")
    assert '{commune: "02068", cadre: "12345", since: 2025-03-15}' in text
    assert '{commune: "02020", cadre: "yes", since: 2025-03-15}' in text
    regs = registers_of(data)
    assert regs.cadre_of("02020", MARCH_15).cadre == "yes"


def test_cadre_row_in_header_order(tmp_path: Path) -> None:
    text = "id,name,agency,title\nCB01,Hà Thị Ngần,Báo Bắc Kạn,Tổng biên tập"
    cadre = new_cadre(" CB02 ", "Nông Văn, Bình", "Giám đốc", "Sở Tài chính")
    assert append_cadre_text(text, cadre) == (
        text + '\nCB02,"Nông Văn, Bình",Sở Tài chính,Giám đốc\n')


def test_cadre_add_appends_one_line(tmp_path: Path) -> None:
    data = folder(tmp_path, FLOW)
    decomposed = "Trie\u0302\u0300u Va\u0306n Hu\u031bo\u031b\u0300ng"  # NFD, as some keyboards type
    refusals, clashes, change = add_cadre(data, new_cadre("CB06", decomposed, "Phó Giám đốc",
                                                          "Sở Nội vụ", "0209 3870 456"))
    assert (refusals, clashes) == ([], []) and change is not None and change.written
    lines = (data / "cadres.csv").read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "CB06,Triều Văn Hường,Phó Giám đốc,Sở Nội vụ,0209 3870 456,"
    assert changed_lines(CADRES, "\n".join(lines) + "\n") == ([], [lines[-1]])


def test_cadre_add_refuses_duplicates_and_same_names(tmp_path: Path) -> None:
    data = folder(tmp_path, FLOW)
    refusals, _, change = add_cadre(data, new_cadre("cb05", "Ai Đó", "Giám đốc", "Sở X"))
    assert [p.code for p in refusals] == ["cadre-id-taken"] and change is None
    refusals, clashes, change = add_cadre(data, new_cadre("CB07", "trieu van toan",
                                                          "Giám đốc", "Sở X"))
    assert refusals == [] and [p.code for p in clashes] == ["cadre-name-taken"] and change is None
    assert (data / "cadres.csv").read_text(encoding="utf-8") == CADRES
    _, clashes, change = add_cadre(data, new_cadre("CB07", "Triệu Văn Toàn", "Giám đốc",
                                                   "Sở X"), force=True)
    assert clashes and change is not None and change.written
    refusals, _, _ = add_cadre(data, new_cadre("CB 8", "", "Giám đốc", "Sở X", email="a@b"))
    assert [p.code for p in refusals] == ["bad-cadre-id", "missing-cadre-field"]
