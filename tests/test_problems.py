"""Problems name their check, keep their dates as dates and are written in the
reader's language; the registry decides severities and exit codes."""

from __future__ import annotations

from datetime import date

from theodoi.base import checks
from theodoi.base.problems import Location, Msg, TheodoiError, exit_code_for, problem


def test_dates_in_messages_follow_the_language() -> None:
    found = problem(checks.COMMUNE_WITHOUT_CADRE, Location("a.yaml", 3), name="Xã Đại Sảo",
                    code="02068", day=date(2024, 9, 1))
    fatal = TheodoiError(checks.COMMUNE_WITHOUT_CADRE, Location("a.yaml"), name="Xã Đại Sảo",
                         code="02068", day=date(2024, 9, 1))
    assert found.message("vi") == "Xã Đại Sảo (02068) không có cán bộ theo dõi vào ngày 01/09/2024"
    assert fatal.message("vi").endswith("vào ngày 01/09/2024")
    assert found.message("en") == "Xã Đại Sảo (02068) has no cadre assigned on 2024-09-01"
    assert fatal.message("en") == "a.yaml: Xã Đại Sảo (02068) has no cadre assigned on 2024-09-01"


def test_parts_given_as_messages_are_translated_too() -> None:
    found = problem(checks.BAD_SETTING, Location("assignments.yaml", 2), key="overdue_days",
                    expected=Msg("a whole number of days above 0"))
    assert found.message("en") == "setting 'overdue_days': a whole number of days above 0"
    assert found.message("vi") == ("thiết lập 'overdue_days': phải là số ngày nguyên lớn "
                                   "hơn 0")


def test_severity_and_exit_code_come_from_the_registry() -> None:
    vacancy = problem(checks.VACANCY, Location("a.yaml", 1), name="x", code="1", since="y")
    refusal = problem(checks.SAME_CADRE, Location("a.yaml"), id="CB01")
    data = problem(checks.NOTHING_TO_CHANGE, Location("a.yaml"), reason="")
    assert (vacancy.code, vacancy.is_error) == ("vacancy", False)
    assert exit_code_for([vacancy]) == 0  # a warning alone changes nothing
    assert exit_code_for([data]) == 1
    assert exit_code_for([data, refusal]) == 2  # the command line is the first thing to fix
    assert TheodoiError(checks.GIT_MISSING).exit_code == 1


def test_every_check_is_named_once_and_explained() -> None:
    codes = [check.code for check in checks.checks_in_order()]
    assert len(codes) == len(set(codes)) == len(checks.REGISTRY)
    for check in checks.REGISTRY.values():
        assert check.code == check.code.lower() and " " not in check.code
        assert check.explanation.endswith(".") and check.template
        assert check.area in checks.AREAS
