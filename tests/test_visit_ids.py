"""New ids (issue 22): numbered in a history alone, drawn from the record
and its author in a shared one; never two alike in one file."""

from __future__ import annotations

import re

from theodoi.store.visit_ids import ALPHABET, Scheme, current_scheme, new_id, shared_ids, suffix

VISIT = {"date": "2024-11-09", "cadre": "CB01", "commune": "02068",
         "recorded_at": "2024-11-20T09:00:00+07:00"}
THU = Scheme(shared=True, author="Nông Thị Văn Thư <vanthu@backan.gov.vn>")
PHO = Scheme(shared=True, author="Hoàng Văn Phó <pho@backan.gov.vn>")


def test_alone_ids_are_numbered_after_the_highest_of_the_file() -> None:
    assert current_scheme() == Scheme()
    assert new_id("V-20241109-", [], VISIT) == "V-20241109-001"
    # A hand-written V-…-007 and a shared id in the same file: the next number is 8.
    assert new_id("V-20241109-", ["V-20241109-002", "v-20241109-007", "V-20241109-7KQ3M",
                                  "C-20241109-009"], VISIT) == "V-20241109-008"
    assert new_id("PL-2026-", ["PL-2026-001"], VISIT) == "PL-2026-002"


def test_shared_ids_come_from_the_record_and_its_author() -> None:
    with shared_ids(THU):
        mine = new_id("V-20241109-", [], VISIT)
        again = new_id("V-20241109-", ["V-20241109-001"], VISIT)
        other_visit = new_id("V-20241109-", [], {**VISIT, "commune": "02020"})
    with shared_ids(PHO):
        same_visit_other_clerk = new_id("V-20241109-", [], VISIT)
    assert current_scheme() == Scheme()  # the scheme ends with the write
    assert re.fullmatch(rf"V-20241109-[{ALPHABET}]{{5}}", mine)
    assert not set("ILOU") & set(mine[11:])
    assert again == mine  # the same record by the same person is the same id
    assert len({mine, other_visit, same_visit_other_clerk}) == 3


def test_a_shared_id_already_in_the_file_is_drawn_again() -> None:
    with shared_ids(THU):
        first = new_id("V-20241109-", [], VISIT)
        second = new_id("V-20241109-", [first.lower()], VISIT)  # --allow-duplicate
    assert second != first and second.startswith("V-20241109-") and len(second) == 16


def test_the_suffix_is_five_characters_of_base_32() -> None:
    # Worked out by hand: SHA-256("") begins e3 b0 c4 42; its first 25 bits are
    # 11100 01110 11000 01100 01000 = 28 14 24 12 8 -> W E R C 8.
    assert suffix("") == "WERC8"
