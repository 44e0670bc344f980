"""Problems keep their dates as dates and write them in the reader's language."""

from __future__ import annotations

from datetime import date

from theodoi import i18n
from theodoi.problems import Location, TheodoiError, error


def test_dates_in_messages_follow_the_language() -> None:
    problem = error("x", Location("a.yaml", 3), "{name} ({code}) has no cadre assigned on {day}",
                    name="Xã Đại Sảo", code="02068", day=date(2024, 9, 1))
    fatal = TheodoiError("{name} ({code}) has no cadre assigned on {day}", Location("a.yaml"),
                         name="Xã Đại Sảo", code="02068", day=date(2024, 9, 1))
    try:
        i18n.set_language("vi")
        assert problem.message() == ("Xã Đại Sảo (02068) không có cán bộ theo dõi vào ngày "
                                     "01/09/2024")
        assert fatal.message().endswith("vào ngày 01/09/2024")
        i18n.set_language("en")
        assert problem.message() == "Xã Đại Sảo (02068) has no cadre assigned on 2024-09-01"
        assert fatal.message() == "a.yaml: Xã Đại Sảo (02068) has no cadre assigned on 2024-09-01"
    finally:
        i18n.set_language(i18n.resolve_language(None))
