"""The domain's records: plain frozen dataclasses, no behaviour beyond lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from theodoi.i18n import N_
from theodoi.office import OfficeSettings
from theodoi.problems import Location

COMMUNE_KINDS = ("xã", "phường", "thị trấn")


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    kind: str
    district_code: str
    district_name: str
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Cadre:
    id: str
    name: str
    title: str
    agency: str
    phone: str = ""
    email: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Decision:
    number: str
    date: date | None
    issued_by: str = ""
    subject: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Assignment:
    commune: str
    cadre: str
    since: date
    until: date | None = None
    decision: str = ""
    location: Location = field(default=Location(""), compare=False)

    def in_force(self, day: date) -> bool:
        """``until`` is the last day of the assignment, inclusive."""
        return self.since <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Settings:
    overdue_days: int = 90
    term_start: date | None = None
    office: OfficeSettings = field(default_factory=OfficeSettings)  # the Word report's frame


@dataclass
class Registers:
    """Everything the data folder says about who follows which commune."""

    communes: dict[str, Commune] = field(default_factory=dict)
    cadres: dict[str, Cadre] = field(default_factory=dict)
    assignments: list[Assignment] = field(default_factory=list)
    decisions: dict[str, Decision] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)

    def assignments_on(self, day: date) -> list[Assignment]:
        return [a for a in self.assignments if a.in_force(day)]

    def cadre_of(self, commune_code: str, day: date) -> Assignment | None:
        """The assignment in force for a commune on a day (first if several)."""
        for assignment in self.assignments:
            if assignment.commune == commune_code and assignment.in_force(day):
                return assignment
        return None

    def commune_of(self, cadre_id: str, day: date) -> Assignment | None:
        for assignment in self.assignments:
            if assignment.cadre == cadre_id and assignment.in_force(day):
                return assignment
        return None


# Short ASCII keys are stored in the files; labels are shown (translated).
VISIT_KINDS: dict[str, str] = {
    "working": N_("working session with the commune party committee or people's committee"),
    "executive": N_("meeting of the commune party executive committee"),
    "standing": N_("meeting of the commune party standing committee"),
    "survey": N_("field survey"),
    "event": N_("conference or event"),
    "other": N_("other"),
}


@dataclass(frozen=True)
class Visit:
    id: str
    date: date
    cadre: str
    commune: str
    kind: str = "working"
    notes: str = ""
    difficulties: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()
    recorded_at: str = ""
    substitute: str = ""
    location: Location = field(default=Location(""), compare=False)
