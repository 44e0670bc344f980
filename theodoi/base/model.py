"""The domain's records: plain frozen dataclasses, no behaviour beyond lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from theodoi.base.i18n import N_
from theodoi.base.office import OfficeSettings
from theodoi.base.problems import Location, Msg

# "đặc khu" (special zone): the island units made on 1/7/2025.
COMMUNE_KINDS = ("xã", "phường", "thị trấn", "đặc khu")


@dataclass(frozen=True)
class Commune:
    """A commune-level unit as one row of communes.csv describes it.

    A unit lives from ``since`` to ``until`` (inclusive; None: open), so that
    a workspace can hold the units before and after a reorganisation.  The
    reform of 1/7/2025 reused codes (02014 was Xã Dương Phong and became Xã
    Bạch Thông), so a row is identified by its code *and* its dates: on any
    one day a code names at most one unit.  ``successor`` is the code of the
    unit it became on ``until`` + 1 (the unit in force then with that code).
    """

    code: str
    name: str
    kind: str
    district_code: str
    district_name: str
    location: Location = field(default=Location(""), compare=False)
    since: date | None = None
    until: date | None = None
    successor: str = ""
    group: str = ""  # the office's own grouping (a cluster, a member in charge), if any
    latitude: float | None = None  # the office's own point, over the national register's
    longitude: float | None = None

    def in_force(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until)

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None


def unit_life(unit: Commune) -> Msg:
    """When a unit exists, as a part of a message: "from 01/07/2025", "until
    30/06/2025", "from ... to ...", or "at all times"."""
    if unit.since and unit.until:
        return Msg(N_("from {since} to {until}"), {"since": unit.since, "until": unit.until})
    if unit.since:
        return Msg(N_("from {since}"), {"since": unit.since})
    if unit.until:
        return Msg(N_("until {until}"), {"until": unit.until})
    return Msg(N_("at all times"))


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
    # The assignment rule: at most this many communes per cadre, and cadres
    # per commune, at once (None: any number).  Bắc Kạn's rule is one to one.
    communes_per_cadre: int | None = 1
    cadres_per_commune: int | None = 1
    # The yearly programme: the fewest visits expected per commune per quarter,
    # and the days a difficulty or proposal may wait before it is overdue.
    visits_per_quarter: int = 1
    proposal_overdue_days: int = 30
    # Where the office's place is said (or would be): the line of office.place,
    # else of office:, else of settings:, in assignments.yaml.
    office_location: Location | None = None


@dataclass
class Registers:
    """Everything the data folder says about who follows which commune."""

    # Code -> the latest unit with that code (its name for messages and lookups);
    # ``units`` holds every row, over time.
    communes: dict[str, Commune] = field(default_factory=dict)
    cadres: dict[str, Cadre] = field(default_factory=dict)
    assignments: list[Assignment] = field(default_factory=list)
    decisions: dict[str, Decision] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    units: list[Commune] = field(default_factory=list)
    # ``dated`` as last worked out, and for how many units: a report asks for
    # every row it shows, and the units only grow while they are loaded.
    _dated: tuple[int, bool] = field(default=(-1, False), repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.units and self.communes:  # registers built in code, without dates
            self.units = list(self.communes.values())

    @property
    def dated(self) -> bool:
        """Whether some unit has a first or last day (a reorganised workspace)."""
        counted, dated = self._dated
        if counted != len(self.units):
            dated = any(unit.dated for unit in self.units)
            self._dated = (len(self.units), dated)
        return dated

    def communes_on(self, day: date) -> dict[str, Commune]:
        """The units in force on ``day``, by code."""
        if not self.dated:
            return self.communes
        return {unit.code: unit for unit in self.units if unit.in_force(day)}

    def unit_of(self, code: str, day: date) -> Commune | None:
        """The unit a code names on ``day`` (None: no unit has that code that day)."""
        if not self.dated:
            return self.communes.get(code)
        for unit in self.units:
            if unit.code == code and unit.in_force(day):
                return unit
        return None

    def unit_named(self, code: str, day: date) -> Commune | None:
        """The unit a code names on ``day``, else the latest with that code (for a
        name in a message about a record that is itself out of place)."""
        return self.unit_of(code, day) or self.communes.get(code)

    def assignments_on(self, day: date) -> list[Assignment]:
        return [a for a in self.assignments if a.in_force(day)]

    def cadre_of(self, commune_code: str, day: date) -> Assignment | None:
        """The assignment in force for a commune on a day (first if several;
        :meth:`cadres_of` gives them all)."""
        for assignment in self.assignments:
            if assignment.commune == commune_code and assignment.in_force(day):
                return assignment
        return None

    def cadres_of(self, commune_code: str, day: date) -> list[Assignment]:
        """Every assignment in force for a commune on a day, in file order."""
        return [a for a in self.assignments if a.commune == commune_code and a.in_force(day)]

    def commune_of(self, cadre_id: str, day: date) -> Assignment | None:
        for assignment in self.assignments:
            if assignment.cadre == cadre_id and assignment.in_force(day):
                return assignment
        return None

    def communes_of(self, cadre_id: str, day: date) -> list[Assignment]:
        """Every assignment of a cadre in force on a day, by commune code (a
        cadre may follow several communes where the settings allow it)."""
        return sorted((a for a in self.assignments if a.cadre == cadre_id and a.in_force(day)),
                      key=lambda a: a.commune)


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
