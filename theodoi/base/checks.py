"""The registry of problem codes: every problem theodoi can report, named once.

Each check has a code a person can type (``theodoi validate --check
duplicate-commune``), a severity, a message template (an English gettext
msgid with ``{named}`` fields), a one-line explanation for ``--list-checks``
and the CLI reference, and a kind that decides the exit code:

- ``data``: the files say something wrong or cannot be used (exit 1);
- ``usage``: the command line asked for something that cannot be done (exit 2);
- ``environment``: the machine refused (a disk, a lock, git) (exit 1).

Adding a rule means adding one entry here, one sample folder under
``tests/errors/<code>/`` and the function that reports it; a test fails when
a code has no sample.  Nothing in this module reads a file or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from theodoi.base.i18n import N_


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Kind(StrEnum):
    DATA = "data"
    USAGE = "usage"
    ENVIRONMENT = "environment"


EXIT_OK = 0
EXIT_PROBLEMS = 1  # the data has errors, or the machine refused
EXIT_USAGE = 2  # a mistake on the command line
EXIT_BUG = 3  # anything unexpected: a bug in theodoi, never the user's fault
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class InternalError(RuntimeError):
    """A fault in theodoi itself, never in what the user typed or in the data:
    what an ``assert`` would say, but said under ``python -O`` too.  The
    command line reports it as a bug (one message, a log file, exit 3)."""


# The areas in the order --list-checks shows them: from reading files to
# the rules on them, then the refusals of commands, then the machine.
AREAS = ("files", "registers", "assignments", "visits", "corrections", "proposals", "plans",
         "changes", "imports", "command line", "lookup", "workspace", "git", "system")


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    kind: Kind
    area: str
    template: str
    explanation: str

    @property
    def exit_code(self) -> int:
        return EXIT_USAGE if self.kind is Kind.USAGE else EXIT_PROBLEMS

    @property
    def validated(self) -> bool:
        """Reported by ``theodoi validate`` (the rest are refusals of commands)."""
        return self.area in ("files", "registers", "assignments", "visits", "corrections",
                             "proposals", "plans")


REGISTRY: dict[str, Check] = {}


def _check(code: str, severity: Severity, kind: Kind, area: str, template: str,
           explanation: str) -> Check:
    if code in REGISTRY or area not in AREAS:
        raise InternalError(f"check {code}: named twice, or its area {area!r} is not in AREAS")
    check = Check(code, severity, kind, area, template, explanation)
    REGISTRY[code] = check
    return check


E, W = Severity.ERROR, Severity.WARNING
DATA, USAGE, ENV = Kind.DATA, Kind.USAGE, Kind.ENVIRONMENT


def exit_code_of(checks: list[Check]) -> int:
    """The exit code for refusals or errors: usage wins, as the first thing to fix."""
    errors = [c for c in checks if c.severity is Severity.ERROR]
    if not errors:
        return EXIT_OK
    return EXIT_USAGE if any(c.kind is Kind.USAGE for c in errors) else EXIT_PROBLEMS


# --- files: reading text, CSV and YAML ----------------------------------------------------

FILE_MISSING = _check(
    "file-missing", E, DATA, "files", N_("file not found"),
    N_("A register file the data folder must hold is not there."))
NOT_A_FILE = _check(
    "not-a-file", E, DATA, "files", N_("is a folder, expected a file"),
    N_("A folder stands where a file is expected."))
CANNOT_READ = _check(
    "cannot-read", E, ENV, "files", N_("cannot read the file: {reason}"),
    N_("The system refused to read a file (permissions, a symbolic link loop, a disk error)."))
DATA_FILE_LINK = _check(
    "data-file-link", E, DATA, "files",
    N_("a symbolic link where a data file should be: theodoi never follows one in the "
       "journals or registers (put the file itself here)"),
    N_("A link would let the records live outside the data folder and its history, where "
       "the audit cannot see them change."))
SPECIAL_FILE = _check(
    "special-file", E, DATA, "files",
    N_("is a {kind}, not a regular file: theodoi reads and writes regular files only"),
    N_("A device, a named pipe (FIFO) or a socket stands where a data file is expected: "
       "reading it could hang or never end."))
FILE_TOO_LARGE = _check(
    "file-too-large", E, DATA, "files",
    N_("the file is larger than {limit} MB, the most a data file may hold"),
    N_("A data file far larger than any real one (a copy gone wrong, a link to an endless "
       "device): refused rather than read into memory."))
FILE_UTF16 = _check(
    "file-utf16", E, DATA, "files",
    N_("the file is UTF-16 text; save it as UTF-8 (in Excel: \"CSV UTF-8\")"),
    N_("The file was saved as UTF-16 (Excel's \"Unicode text\"); theodoi reads UTF-8."))
FILE_NOT_UTF8 = _check(
    "file-not-utf8", E, DATA, "files",
    N_("the file is not UTF-8 text (byte 0x{byte:02x}; Latin-1 or Windows-1258?); "
       "save it as UTF-8"),
    N_("The file holds bytes that are not UTF-8, as an old Vietnamese encoding writes them."))
FILE_EMPTY = _check(
    "file-empty", E, DATA, "files", N_("the file is empty"),
    N_("A register file has no content at all."))
YAML_SYNTAX = _check(
    "yaml-syntax", E, DATA, "files", N_("YAML syntax error: {reason}"),
    N_("The YAML text cannot be parsed (a tab, a missing colon, an unclosed quote...)."))
YAML_TAG = _check(
    "yaml-tag", E, DATA, "files",
    N_("YAML tag {tag} is not allowed here (files are loaded safely: plain text, numbers, "
       "lists and mappings only)"),
    N_("A YAML tag that would build a program object: refused, never run."))
YAML_BAD_VALUE = _check(
    "yaml-bad-value", E, DATA, "files", N_("unreadable value {value!r}"),
    N_("A value YAML cannot turn into a number, a truth value or text."))
YAML_KEY_NOT_TEXT = _check(
    "yaml-key-not-text", E, DATA, "files", N_("a key must be plain text"),
    N_("A mapping key is a list, a mapping or empty."))
YAML_DUPLICATE_KEY = _check(
    "yaml-duplicate-key", E, DATA, "files", N_("duplicate key {key!r} (first on line {first})"),
    N_("The same key twice in one mapping: other tools would silently keep only one."))
YAML_ALIASES = _check(
    "yaml-aliases", E, DATA, "files",
    N_("too many YAML aliases: at most {aliases} references (*name), adding at most "
       "{values} values in all"),
    N_("Aliases that would expand a few lines into millions of values (\"billion laughs\"): "
       "refused before they are expanded."))
YAML_TOO_DEEP = _check(
    "yaml-too-deep", E, DATA, "files",
    N_("YAML nested too deep: at most {limit} lists and mappings inside one another"),
    N_("Lists and mappings nested far deeper than any theodoi file: refused before reading."))
CONTROL_CHARACTER = _check(
    "control-character", E, DATA, "files",
    N_("{column} holds a control character ({char}): text must be plain text (a line break "
       "or a tab pasted from Word? type it again)"),
    N_("Text with a control character (a terminal escape, a vertical tab from Word): it could "
       "act on a terminal or break a Word or Excel file."))
CSV_SYNTAX = _check(
    "csv-syntax", E, DATA, "files", N_("unreadable CSV: {reason}"),
    N_("The CSV text cannot be parsed (an unclosed quote...)."))
CSV_MISSING_COLUMNS = _check(
    "csv-missing-columns", E, DATA, "files",
    N_("the header lacks {missing}; it must be: {expected}"),
    N_("The header line of a CSV register lacks a required column."))
CSV_UNKNOWN_COLUMN = _check(
    "unknown-column", W, DATA, "files", N_("unknown column {column!r} is ignored"),
    N_("A CSV column theodoi does not know; its values are not read."))
CSV_FIELD_COUNT = _check(
    "csv-field-count", E, DATA, "files", N_("{found} fields, the header has {expected}"),
    N_("A CSV row has more or fewer fields than the header (a stray comma?)."))
MISSING_FIELD = _check(
    "missing-field", E, DATA, "files", N_("the {column!r} field is empty"),
    N_("A required field is empty or missing."))
SURROUNDING_SPACES = _check(
    "surrounding-spaces", E, DATA, "files",
    N_("the {column!r} field has spaces at its start or end"),
    N_("Spaces around a value make lookups and diffs lie."))
NOT_NFC = _check(
    "not-nfc", E, DATA, "files",
    N_("the {column!r} field is not in Unicode NFC form (decomposed accents); retype it or "
       "run it through an NFC normaliser"),
    N_("Text with decomposed accents looks the same but compares differently."))
UNKNOWN_KEY = _check(
    "unknown-key", W, DATA, "files", N_("unknown key {key!r} is ignored"),
    N_("A YAML key theodoi does not know (a typing mistake?); it is not read."))
BAD_LIST = _check(
    "bad-list", E, DATA, "files", N_("{key!r} must be a list"),
    N_("A value that must be a YAML list of items is something else."))
BAD_ITEM = _check(
    "bad-item", E, DATA, "files", N_("each item of {key!r} must be a mapping"),
    N_("An item of a list is not a mapping of fields."))
BAD_FIELD = _check(
    "bad-field", E, DATA, "files", N_("{key!r} must be text"),
    N_("A field that must be text is a list or a mapping."))
UNQUOTED_CODE = _check(
    "unquoted-code", E, DATA, "files",
    N_("commune code must be quoted text, e.g. \"02068\" (unquoted, YAML reads it as a "
       "number)"),
    N_("An unquoted code such as 02068 is read by YAML as a number and loses its zero."))
BAD_DATE = _check(
    "bad-date", E, DATA, "files",
    N_("{key}: {value!r} is not a valid date (use 2024-09-15 or 15/09/2024)"),
    N_("A date that cannot be read or does not exist (31/02)."))

# --- registers: communes.csv, cadres.csv, assignments.yaml -------------------------------

DATA_FOLDER_MISSING = _check(
    "data-folder-missing", E, DATA, "registers",
    N_("data folder not found (give --data DIR or set THEODOI_DATA)"),
    N_("The data folder given (or found) does not exist."))
DATA_NOT_FOLDER = _check(
    "data-not-folder", E, DATA, "registers", N_("the data folder is not a folder"),
    N_("The path given as the data folder is a file."))
ASSIGNMENTS_NOT_MAPPING = _check(
    "assignments-not-mapping", E, DATA, "registers",
    N_("expected a mapping with 'settings', 'decisions' and 'assignments'"),
    N_("assignments.yaml must be a mapping of settings, decisions and assignments."))
MISSING_KEY = _check(
    "missing-key", E, DATA, "registers", N_("the 'assignments' list is missing"),
    N_("assignments.yaml has no 'assignments' list."))
BAD_SETTING = _check(
    "bad-setting", E, DATA, "registers", N_("setting {key!r}: {expected}"),
    N_("A value under 'settings' is not of the expected kind."))
BAD_COMMUNE_CODE = _check(
    "bad-commune-code", E, DATA, "registers",
    N_("commune code {code!r} must be 5 digits, zero-padded (e.g. 02068)"),
    N_("A commune code that is not the 5-digit GSO code."))
BAD_DISTRICT_CODE = _check(
    "bad-district-code", E, DATA, "registers",
    N_("district code {code!r} must be 3 digits, zero-padded (e.g. 064)"),
    N_("A district code that is not the 3-digit GSO code."))
BAD_COMMUNE_KIND = _check(
    "bad-commune-kind", E, DATA, "registers",
    N_("kind {kind!r} must be one of: xã, phường, thị trấn, đặc khu"),
    N_("A commune kind other than xã, phường, thị trấn or đặc khu."))
DUPLICATE_COMMUNE = _check(
    "duplicate-commune", E, DATA, "registers",
    N_("commune code {code} is listed twice (first on line {first})"),
    N_("The same GSO code on two rows of communes.csv whose dates overlap."))
DUPLICATE_CADRE = _check(
    "duplicate-cadre", E, DATA, "registers",
    N_("cadre id {id} is listed twice (first on line {first})"),
    N_("The same cadre id on two rows of cadres.csv."))
DUPLICATE_DECISION = _check(
    "duplicate-decision", E, DATA, "registers",
    N_("decision {number} is listed twice (first on line {first})"),
    N_("The same decision number twice under 'decisions'."))
UNIT_DATES_REVERSED = _check(
    "unit-dates-reversed", E, DATA, "registers",
    N_("the unit ends ({until}) before it begins ({since})"),
    N_("A row of communes.csv whose 'until' is before its 'since'."))
BAD_SUCCESSOR = _check(
    "bad-successor", E, DATA, "registers", N_("successor {code}: {reason}"),
    N_("The 'successor' of a unit must be a unit in force on the day after the unit's last "
       "day."))
BAD_COORDINATES = _check(
    "bad-coordinates", E, DATA, "registers",
    N_("latitude {latitude!r}, longitude {longitude!r}: give both, in degrees, within Viet Nam "
       "(latitude 8 to 24, longitude 102 to 118), or neither"),
    N_("The office's own point for a commune must be two numbers of degrees in Viet Nam."))

# --- assignments: who follows which commune ------------------------------------------------

UNKNOWN_COMMUNE = _check(
    "unknown-commune", E, DATA, "assignments",
    N_("unknown commune code {code} (not in communes.csv)"),
    N_("An assignment or a visit names a commune code that communes.csv does not list."))
UNKNOWN_CADRE = _check(
    "unknown-cadre", E, DATA, "assignments", N_("unknown cadre id {id} (not in cadres.csv)"),
    N_("An assignment or a visit names a cadre id that cadres.csv does not list."))
UNKNOWN_DECISION = _check(
    "unknown-decision", E, DATA, "assignments",
    N_("unknown decision {number} (not in the 'decisions' list)"),
    N_("An assignment cites a decision that is not listed under 'decisions'."))
INVERTED_RANGE = _check(
    "inverted-range", E, DATA, "assignments",
    N_("the assignment ends ({until}) before it begins ({since})"),
    N_("An assignment whose 'until' is before its 'since'."))
OVERLAPPING_ASSIGNMENTS = _check(
    "overlapping-assignments", E, DATA, "assignments",
    N_("commune {code} has two assignments in force from {since} (the other one is on line "
       "{other_line}); end the earlier one with 'until'"),
    N_("Two cadres follow one commune at the same time."))
CADRE_TWO_COMMUNES = _check(
    "cadre-two-communes", E, DATA, "assignments",
    N_("cadre {who} follows two communes at once from {since}: {first_named} and "
       "{second_named} (the other assignment is on line {other_line})"),
    N_("One cadre follows two communes at the same time (the one-to-one rule)."))
TOO_MANY_CADRES = _check(
    "too-many-cadres", E, DATA, "assignments",
    N_("commune {code} has {count} cadres at once from {since}, more than the {limit} that "
       "'cadres_per_commune' allows (the other assignments are on lines {other_lines})"),
    N_("More cadres follow one commune at the same time than the settings allow."))
TOO_MANY_COMMUNES = _check(
    "too-many-communes", E, DATA, "assignments",
    N_("cadre {who} follows {count} communes at once from {since}, more than the {limit} "
       "that 'communes_per_cadre' allows: {communes_named}"),
    N_("One cadre follows more communes at the same time than the settings allow."))
ASSIGNMENT_OUTSIDE_UNIT = _check(
    "assignment-outside-unit", E, DATA, "assignments",
    N_("the assignment to commune {code} from {since} runs outside the life of the unit "
       "{name}, which exists {span}; {advice}"),
    N_("An assignment in force on a day when its commune does not exist (before it was made "
       "or after it was merged)."))
COMMUNE_WITHOUT_CADRE = _check(
    "commune-without-cadre", E, DATA, "assignments",
    N_("{name} ({code}) has no cadre assigned on {day}"),
    N_("On the date checked, a commune has no assignment in force."))
OFFICE_OF_ANOTHER_PROVINCE = _check(
    "office-of-another-province", W, DATA, "registers",
    N_("the Word reports are dated from {place!r}, but the communes are those of {province}: "
       "set settings.office (superior_body, issuing_body, place) for {province}"),
    N_("The office's letterhead (settings.office) names another province than the "
       "workspace's communes."))
VACANCY = _check(
    "vacancy", W, DATA, "assignments",
    N_("{name} ({code}) is vacant since {since}: a replacement is pending"),
    N_("A commune recorded as vacant (theodoi vacate) while a replacement is pending."))
CADRE_UNASSIGNED = _check(
    "cadre-unassigned", W, DATA, "assignments",
    N_("cadre {id} ({name}) is not assigned to any commune"),
    N_("A cadre listed in cadres.csv who has never followed a commune."))

# --- visits: the day files ----------------------------------------------------------------

VISITS_NOT_FOLDER = _check(
    "visits-not-folder", E, DATA, "visits",
    N_("'visits' must be a folder of day files, but it is a file"),
    N_("The visits path of the data folder is a file, so no visit can be read."))
VISIT_OUTSIDE_UNIT = _check(
    "visit-outside-unit", E, DATA, "visits",
    N_("commune code {code} names no unit on {day}: {name} exists {span}; a visit is recorded "
       "under the unit in force on its day"),
    N_("A visit dated on a day when its commune did not exist (before it was made or after "
       "it was merged)."))
VISIT_FILE_NOT_LIST = _check(
    "visit-file-not-list", E, DATA, "visits", N_("a visit file must be a YAML list of visits"),
    N_("A day file holds something other than a list of visits."))
EMPTY_DAY_FILE = _check(
    "empty-day-file", E, DATA, "visits",
    N_("the day file is empty (0 bytes), which theodoi never writes: it was truncated or "
       "made by hand; restore it from git or delete it"),
    N_("A day file of 0 bytes: a sign of a file truncated outside theodoi."))
VISIT_IN_WRONG_FILE = _check(
    "visit-in-wrong-file", E, DATA, "visits",
    N_("visit {id} is dated {day} but is in the file of {file_day}; move it to the day "
       "file {expected}"),
    N_("A visit filed under another day's file is missed by anyone reading that day."))
UNKNOWN_KIND = _check(
    "unknown-kind", E, DATA, "visits", N_("unknown kind of visit {kind!r}; use one of: {kinds}"),
    N_("A visit's kind is not one theodoi knows."))
FUTURE_VISIT = _check(
    "future-visit", E, DATA, "visits", N_("visit {id} is dated {day}, after today ({today})"),
    N_("A visit dated after today."))
RECORDED_IN_FUTURE = _check(
    "recorded-in-future", E, DATA, "visits",
    N_("visit {id} was recorded on {day} (recorded_at), after today ({today}): a clock set "
       "wrong, or a stamp typed by hand?"),
    N_("A visit's recorded_at lies after the moment of the check: no visit can be recorded "
       "in the future."))
DUPLICATE_VISIT_ID = _check(
    "duplicate-visit-id", E, DATA, "visits", N_("visit id {id} is used twice (first at {first})"),
    N_("Two visits with the same id: corrections and the audit could not tell them apart."))
VISIT_BY_UNASSIGNED_CADRE = _check(
    "visit-by-unassigned-cadre", E, DATA, "visits",
    N_("cadre {cadre} did not follow commune {commune} on {day} (assigned: {assigned}); if it "
       "was a stand-in visit, give the reason as 'substitute: ...'"),
    N_("A visit by a cadre not assigned to that commune on that day, without a reason."))
DAY_FILE_IN_WRONG_YEAR = _check(
    "day-file-in-wrong-year", E, DATA, "visits",
    N_("this day file is in the wrong year folder and is not read; move it to {expected}"),
    N_("A day file under another year's folder is not read."))
MISNAMED_VISIT_FILE = _check(
    "misnamed-visit-file", E, DATA, "visits",
    N_("visit files must be named YYYY-MM-DD.yaml inside a YYYY folder (e.g. "
       "visits/2024/2024-09-15.yaml); this file is not read"),
    N_("A YAML file under visits/ whose name is not a date is not read."))
STRAY_FILE = _check(
    "stray-file", W, DATA, "visits",
    N_("not a visit file (visits/YYYY/YYYY-MM-DD.yaml); it is ignored"),
    N_("A file under visits/ that is not a day file."))
LEFTOVER_TEMPORARY_FILE = _check(
    "leftover-temporary-file", W, DATA, "visits",
    N_("temporary file left by an interrupted write; it can be deleted"),
    N_("A hidden temporary file left by a write that was interrupted (power cut, kill)."))

# --- corrections: amendments and withdrawals of recorded visits ----------------------------

CORRECTION_FILE_NOT_LIST = _check(
    "correction-file-not-list", E, DATA, "corrections",
    N_("a corrections file must be a YAML list of corrections"),
    N_("A file under corrections/ holds something other than a list of corrections."))
CORRECTION_BAD_ACTION = _check(
    "correction-bad-action", E, DATA, "corrections",
    N_("correction {id}: the action {action!r} must be 'amend' or 'withdraw'"),
    N_("A correction that neither amends nor withdraws a visit."))
CORRECTION_UNKNOWN_VISIT = _check(
    "correction-unknown-visit", E, DATA, "corrections",
    N_("correction {id} refers to visit {visit}, which is not on record"),
    N_("A correction of a visit id that no day file holds."))
CORRECTION_AFTER_WITHDRAWAL = _check(
    "correction-after-withdrawal", E, DATA, "corrections",
    N_("correction {id} changes visit {visit}, which correction {withdrawal} withdrew"),
    N_("A withdrawn visit counts nowhere: it cannot be amended or withdrawn again."))
CORRECTION_CHANGES_NOTHING = _check(
    "correction-changes-nothing", E, DATA, "corrections",
    N_("correction {id} of visit {visit} amends no field; give the fields it corrects"),
    N_("An amendment must say what it changes."))
WITHDRAWAL_WITH_FIELDS = _check(
    "withdrawal-with-fields", W, DATA, "corrections",
    N_("withdrawal {id} also gives fields ({fields}); they are ignored"),
    N_("A withdrawal removes the visit from every count; fields given with it mean nothing."))
ACKNOWLEDGEMENT_FILE_NOT_LIST = _check(
    "acknowledgement-file-not-list", E, DATA, "corrections",
    N_("an audit file must be a YAML list of acknowledgements"),
    N_("A file under audit/ holds something other than a list of acknowledgements."))
UNKNOWN_VISIT_ID = _check(
    "unknown-visit-id", E, USAGE, "corrections",
    N_("no visit has the id {id} ('theodoi visit list' shows the ids){closest}"),
    N_("visit amend, withdraw and show need the id of a recorded visit."))
VISIT_WITHDRAWN = _check(
    "visit-withdrawn", E, USAGE, "corrections",
    N_("visit {id} was withdrawn by {withdrawal} ({reason}); a withdrawn visit is not "
       "changed again"),
    N_("A withdrawn visit can be neither amended nor withdrawn again."))
AMEND_CHANGES_NOTHING = _check(
    "amend-changes-nothing", E, USAGE, "corrections",
    N_("nothing to amend: give the fields to correct (--date, --commune, --cadre, --kind, "
       "--note, --issue, --proposal, --substitute) with values other than the record's"),
    N_("visit amend was given no field, or only the values already on record."))
REASON_MISSING = _check(
    "reason-missing", E, USAGE, "corrections",
    N_("give the reason with --reason \"...\": a correction says why it was made"),
    N_("Every correction, withdrawal and acknowledgement records why."))
WHO_UNKNOWN = _check(
    "who-unknown", E, USAGE, "corrections",
    N_("who makes this correction? Give --by \"Name <email>\", or set a git identity in the "
       "data repository (git config user.name \"...\" and git config user.email \"...\")"),
    N_("A correction records who made it: the git author, or --by."))


# --- proposals: the follow-up of difficulties and proposals (proposals/YYYY/*.yaml) --------

PROPOSAL_FILE_NOT_LIST = _check(
    "proposal-file-not-list", E, DATA, "proposals",
    N_("a proposals file must be a YAML list of status changes"),
    N_("A file under proposals/ holds something other than a list of status changes."))
PROPOSAL_BAD_STATUS = _check(
    "proposal-bad-status", E, DATA, "proposals",
    N_("status change {id}: the status {status!r} must be one of: open, forwarded, answered, "
       "resolved, declined"),
    N_("A status change names a status theodoi does not know."))
PROPOSAL_BAD_RECORD = _check(
    "proposal-bad-record", E, DATA, "proposals", N_("status change {id}: {reason}"),
    N_("A status change lacks what its status needs (a date; the agency of a forwarding; the "
       "reference of an answer), or is both a change and a retraction."))
DUPLICATE_PROPOSAL_RECORD = _check(
    "duplicate-proposal-record", E, DATA, "proposals",
    N_("status change id {id} is used twice (first at {first})"),
    N_("Two status changes with the same id: a retraction could not tell them apart."))
PROPOSAL_UNKNOWN_ITEM = _check(
    "proposal-unknown-item", E, DATA, "proposals",
    N_("status change {id} is about {item}, which no visit on record holds"),
    N_("A status change of a difficulty or proposal id that no visit holds."))
PROPOSAL_ITEM_GONE = _check(
    "proposal-item-gone", W, DATA, "proposals",
    N_("status change {id} is about {item}, which visit {visit} no longer holds since "
       "correction {correction}; its history stays readable and it counts nowhere"),
    N_("A correction of the visit removed the difficulty or proposal a history is about."))
PROPOSAL_TEXT_CHANGED = _check(
    "proposal-text-changed", W, DATA, "proposals",
    N_("{item} now reads {now!r}, not {then!r} as when status change {id} was recorded (a "
       "correction of visit {visit} changed it, or the change was written by hand); check "
       "that this history still belongs to it"),
    N_("A correction of the visit changed the wording, or the order, of the items a history "
       "is about."))
PROPOSAL_BAD_TRANSITION = _check(
    "proposal-bad-transition", E, DATA, "proposals",
    N_("status change {id}: {item} is {current} (since {since}), so it cannot become "
       "{status}; {rule}"),
    N_("A status change the rules refuse: a resolved or declined item changed without being "
       "reopened, or an item reopened that was not closed."))
PROPOSAL_DATE_OUT_OF_ORDER = _check(
    "proposal-date-out-of-order", E, DATA, "proposals",
    N_("status change {id} is dated {day}, {reason}"),
    N_("A status change dated before the item was raised, before the change before it, or "
       "after the day it was recorded."))
PROPOSAL_BAD_RETRACTION = _check(
    "proposal-bad-retraction", E, DATA, "proposals", N_("retraction {id}: {reason}"),
    N_("A retraction of a status change that is not on record, is about another item, is "
       "not the latest change of its item, or was retracted already."))
UNKNOWN_PROPOSAL = _check(
    "unknown-proposal", E, USAGE, "proposals",
    N_("no difficulty or proposal has the id {id} (ids are written like "
       "V-20240915-003/D1, K for a difficulty, D for a proposal; 'theodoi proposal list "
       "--status all' shows them){closest}"),
    N_("proposal show and update need the id of a difficulty or proposal of a recorded "
       "visit."))
PROPOSAL_VISIT_WITHDRAWN = _check(
    "proposal-visit-withdrawn", E, USAGE, "proposals",
    N_("{item} was raised at visit {visit}, which correction {withdrawal} withdrew ({reason}); "
       "its status is not changed any more"),
    N_("The items of a withdrawn visit count nowhere; their history stays readable."))
PROPOSAL_CLOSED = _check(
    "proposal-closed", E, USAGE, "proposals",
    N_("{item} was {current} on {since} ({record}); to change it, reopen it first: theodoi "
       "proposal update {item} --status open --note \"why\""),
    N_("A resolved or declined item is changed only after an explicit reopening."))
PROPOSAL_NOT_CLOSED = _check(
    "proposal-not-closed", E, USAGE, "proposals",
    N_("{item} is {current}, not resolved or declined: there is nothing to reopen"),
    N_("--status open reopens a resolved or declined item, and only such an item."))
PROPOSAL_AGENCY_MISSING = _check(
    "proposal-agency-missing", E, USAGE, "proposals",
    N_("say to whom it is forwarded: --to \"Sở Giao thông Vận tải\""),
    N_("--status forwarded needs the agency or body it goes to."))
PROPOSAL_AGENCY_NOT_FORWARDED = _check(
    "proposal-agency-not-forwarded", E, USAGE, "proposals",
    N_("--to names the agency an item is forwarded to: give it with --status forwarded, not "
       "{status}"),
    N_("--to goes with --status forwarded only."))
PROPOSAL_REF_MISSING = _check(
    "proposal-ref-missing", E, USAGE, "proposals",
    N_("give the answer's reference: --ref \"số 125/SGTVT-KH, ngày 10/10/2026\""),
    N_("--status answered needs the number and date of the answer."))
PROPOSAL_NOTE_MISSING = _check(
    "proposal-note-missing", E, USAGE, "proposals",
    N_("give --note \"...\": a status change says what happened (for a declined item, why)"),
    N_("Every status change and retraction carries a note."))
PROPOSAL_DATE_TOO_EARLY = _check(
    "proposal-date-too-early", E, USAGE, "proposals",
    N_("--date {day} is {reason}"),
    N_("A status change dated before the item was raised or before its latest change."))
PROPOSAL_DATE_IN_FUTURE = _check(
    "proposal-date-in-future", E, USAGE, "proposals",
    N_("--date {day} is in the future (today is {today}); a status change is recorded once "
       "it has happened"),
    N_("proposal update refuses a date after today."))
UNKNOWN_STATUS_RECORD = _check(
    "unknown-status-record", E, USAGE, "proposals",
    N_("no status change has the id {id}; 'theodoi proposal show ITEM' lists them"),
    N_("proposal retract needs the id of a recorded status change (P-YYYYMMDD-n)."))
RETRACT_NOT_LATEST = _check(
    "retract-not-latest", E, USAGE, "proposals",
    N_("{id} is not the latest status change of {item} ({latest} came after it): retract "
       "{latest} first"),
    N_("Status changes are retracted from the latest back, so that the history stays one "
       "the rules allow."))
STATUS_RECORD_RETRACTED = _check(
    "status-record-retracted", E, USAGE, "proposals",
    N_("{id} was retracted already by {retraction} ({note})"),
    N_("A status change is retracted once."))

# --- plans: the yearly programme of visits (plans/YYYY.yaml) ------------------------------

PLAN_FILE_NOT_LIST = _check(
    "plan-file-not-list", E, DATA, "plans", N_("a plans file must be a YAML list of planned "
                                               "visits"),
    N_("plans/YYYY.yaml holds something other than a list of planned visits."))
PLAN_BAD_WHEN = _check(
    "plan-bad-when", E, DATA, "plans",
    N_("a planned visit gives exactly one of 'month' (2026-03), 'quarter' (2026-Q1) or "
       "'date' (2026-03-15), within the file's year {year}{found}"),
    N_("A planned visit without a month, quarter or date, with several, or outside its "
       "file's year."))
MISNAMED_PLAN_FILE = _check(
    "misnamed-plan-file", E, DATA, "plans",
    N_("plan files are named plans/YYYY.yaml (e.g. plans/2026.yaml); this file is not read"),
    N_("A file under plans/ that is not a year's programme is not read."))
DUPLICATE_PLAN_ID = _check(
    "duplicate-plan-id", E, DATA, "plans",
    N_("planned visit id {id} is used twice (first at {first})"),
    N_("Two planned visits with the same id: the audit could not tell them apart."))
PLAN_WHEN_MISSING = _check(
    "plan-when-missing", E, USAGE, "plans",
    N_("say when with one of --month 2026-03, --quarter 2026-Q1 or --date 15/03/2026"),
    N_("plan add needs exactly one of --month, --quarter, --date."))
PLAN_CADRE_NOT_ASSIGNED = _check(
    "plan-cadre-not-assigned", E, USAGE, "plans",
    N_("{cadre} does not follow {commune} at any time in {when} (it is followed by "
       "{assigned}); a cadre plans visits to the communes they follow"),
    N_("A planned visit to a commune the cadre does not follow then."))
PLAN_ALREADY_PLANNED = _check(
    "plan-already-planned", E, USAGE, "plans",
    N_("{cadre} already plans a visit to {commune} in {when} ({id}, {file})"),
    N_("The same cadre, commune and time is planned already."))


# --- changes: refusals of visit add, assign, swap, vacate, cadre add ---------------------

VISIT_IN_FUTURE = _check(
    "visit-in-future", E, USAGE, "changes",
    N_("{day} is in the future (today is {today}); a visit is recorded after it took place"),
    N_("visit add refuses a date after today."))
SUBSTITUTE_WITHOUT_CADRE = _check(
    "substitute-without-cadre", E, USAGE, "changes",
    N_("a substitute reason is given but no --cadre: say who went in place of {cadre}"),
    N_("A stand-in reason needs the cadre who went."))
SUBSTITUTE_NOT_NEEDED = _check(
    "substitute-not-needed", E, USAGE, "changes",
    N_("{cadre} follows {commune} on {day}: a substitute reason is only for a visit by "
       "someone else"),
    N_("A stand-in reason given for the assigned cadre's own visit."))
CADRE_NOT_ASSIGNED_THERE = _check(
    "cadre-not-assigned-there", E, USAGE, "changes",
    N_("{cadre} does not follow {commune} on {day} (assigned: {assigned}); if {cadre} went in "
       "their place, give the reason with --substitute \"...\""),
    N_("A visit by a cadre who did not follow the commune that day, without a reason."))
COMMUNE_ASSIGNMENTS_CONFLICT = _check(
    "commune-assignments-conflict", E, DATA, "changes",
    N_("{commune} has {count} assignments in force on {day} in assignments.yaml; fix them "
       "first (theodoi validate shows where), or give --cadre"),
    N_("The default cadre cannot be chosen: the commune has several assignments that day."))
COMMUNE_VACANT_ON_DAY = _check(
    "commune-vacant-on-day", E, USAGE, "changes",
    N_("{commune} has no cadre on {day} (the post is vacant since {since}); say who went with "
       "--cadre and why with --substitute \"...\""),
    N_("A visit to a vacant commune must name who went and why."))
BEFORE_ASSIGNMENT = _check(
    "before-assignment", E, USAGE, "changes",
    N_("{day} is before the assignment of {cadre} to {commune} began ({since}); check the "
       "date, or say who went with --cadre and --substitute \"...\""),
    N_("A visit dated before the commune's first assignment began."))
NO_ASSIGNMENT_ON_DAY = _check(
    "no-assignment-on-day", E, USAGE, "changes",
    N_("{commune} has no cadre assigned on {day}; say who went with --cadre and why with "
       "--substitute \"...\""),
    N_("A visit to a commune that has no assignment on that day."))
SEVERAL_CADRES = _check(
    "several-cadres", E, USAGE, "changes",
    N_("{commune} is followed by several cadres on {day}; say who went with --cadre:\n"
       "{candidates}"),
    N_("Without a terminal to ask, a visit to a commune with several cadres must name who "
       "went."))
CADRE_NOT_ON_COMMUNE = _check(
    "cadre-not-on-commune", E, USAGE, "changes",
    N_("--replace {id}: this cadre does not follow commune {code} on {day} (it is followed by "
       "{assigned})"),
    N_("assign --replace names a cadre who does not follow the commune on that date."))
UNIT_NOT_ON_MAP = _check(
    "unit-not-on-map", E, DATA, "changes",
    N_("{code} {name} is not a unit of the {map} map in the national registers; reorganise "
       "carries only units the registers know"),
    N_("reorganise found a unit whose code the national registers do not list on the map "
       "it leaves."))
SPLIT_UNIT_NEEDS_CHOICE = _check(
    "split-unit-needs-choice", E, USAGE, "changes",
    N_("{code} {name} was divided among {targets}; choose the unit its history goes to with "
       "--split {code}=CODE (the source suggests {default})"),
    N_("An old unit divided among several new ones: the office says which one carries its "
       "visits and cadre."))
BAD_SPLIT_CHOICE = _check(
    "bad-split-choice", E, USAGE, "changes", N_("--split {value!r}: {reason}"),
    N_("--split must be OLD=NEW, an old unit of the workspace that was divided and one of "
       "its new units."))
ALREADY_REORGANISED = _check(
    "already-reorganised", E, DATA, "changes",
    N_("the workspace already has units that begin on or after {day}; it was reorganised "
       "already"),
    N_("reorganise carries a workspace across a reform once."))
NO_GROUP_COLUMN = _check(
    "no-group-column", E, USAGE, "changes",
    N_("communes.csv has no 'group' column with a value; add one (the cluster, or the "
       "Standing Committee member in charge) to report by group"),
    N_("coverage --by group needs the office's own 'group' column in communes.csv."))
TEXT_NOT_UTF8 = _check(
    "text-not-utf8", E, USAGE, "changes",
    N_("{text!r} is not valid UTF-8 text; check the terminal's encoding"),
    N_("Typed text that is not valid UTF-8 (a terminal in another encoding)."))
DUPLICATE_VISIT = _check(
    "duplicate-visit", E, DATA, "changes",
    N_("cadre {cadre} already has a visit to commune {commune} on {day} on record ({id}); to "
       "record another one on the same day, allow duplicates (--allow-duplicate)"),
    N_("The same cadre, commune and day is already on record."))
CANNOT_APPEND = _check(
    "cannot-append", E, DATA, "changes",
    N_("cannot append a visit to this file: it must be a YAML list written one item per '- ' "
       "line; the file was left as it was"),
    N_("A day file written by hand in a layout theodoi cannot append to (e.g. '[]')."))
REGISTERS_UNREADABLE = _check(
    "registers-unreadable", E, DATA, "changes",
    N_("the registers cannot be read ({files}); fix the problems above (theodoi validate "
       "lists them all)"),
    N_("A command that needs the registers stops because one cannot be read."))
COMMUNE_NOT_REGISTERED = _check(
    "commune-not-registered", E, USAGE, "changes",
    N_("unknown commune code {code} (not in communes.csv)"),
    N_("A change names a commune code that communes.csv does not list."))
CADRE_NOT_REGISTERED = _check(
    "cadre-not-registered", E, USAGE, "changes",
    N_("unknown cadre id {id} (not in cadres.csv); add the cadre first with 'theodoi cadre "
       "add'"),
    N_("A change names a cadre id that cadres.csv does not list."))
NOTHING_TO_CHANGE = _check(
    "nothing-to-change", E, DATA, "changes", N_("nothing to change: {reason}"),
    N_("The change asked for is already in force."))
SAME_CADRE = _check(
    "same-cadre", E, USAGE, "changes",
    N_("a swap needs two different cadres, {id} was given twice"),
    N_("swap was given the same cadre twice."))
NO_COMMUNE_TO_SWAP = _check(
    "no-commune-to-swap", E, DATA, "changes",
    N_("cadre {id} follows no commune on {day}: there is nothing to swap; use 'theodoi "
       "assign' instead"),
    N_("swap needs two cadres who each follow a commune on the date."))
BEGINS_SAME_DAY = _check(
    "begins-same-day", E, DATA, "changes",
    N_("the assignment of commune {code} on this line already begins on {day}; correct that "
       "line by hand instead"),
    N_("A change dated the same day as the assignment it would end."))
DECISION_DATE_DIFFERS = _check(
    "decision-date-differs", E, DATA, "changes",
    N_("decision {number} is listed with the date {listed}, not {given}"),
    N_("--decision gives a date other than the one listed for that decision."))
DECISION_WITHOUT_DATE = _check(
    "decision-without-date", E, DATA, "changes",
    N_("decision {number} is not in the 'decisions' list yet: give its date too, e.g. "
       "--decision \"{number}, 15/03/2025\""),
    N_("A new decision needs its date to be listed."))
DECISION_UNREADABLE = _check(
    "decision-unreadable", E, USAGE, "changes",
    N_("--decision {value!r}: cannot read it; write the number and the date, e.g. "
       "\"1520-QĐ/TU, 15/03/2025\""),
    N_("--decision must be a number and a date."))
BAD_CADRE_ID = _check(
    "bad-cadre-id", E, USAGE, "changes",
    N_("cadre id {id!r} must be one word without spaces, commas or quotes (e.g. CB109)"),
    N_("cadre add was given an id that cannot be typed back safely."))
MISSING_CADRE_FIELD = _check(
    "missing-cadre-field", E, USAGE, "changes", N_("the {column!r} field is empty"),
    N_("cadre add needs a name, a title and an agency."))
NO_SUCH_COLUMN = _check(
    "no-such-column", E, USAGE, "changes",
    N_("cadres.csv has no {column!r} column; add it to the header first"),
    N_("cadre add was given a phone or email but cadres.csv has no such column."))
CADRE_ID_TAKEN = _check(
    "cadre-id-taken", E, DATA, "changes",
    N_("cadre id {id} is already used by {name} ({title}, {agency})"),
    N_("cadre add was given an id already in cadres.csv."))
CADRE_NAME_TAKEN = _check(
    "cadre-name-taken", E, DATA, "changes",
    N_("{name} is already listed as {id} ({title}, {agency}); give --force if this is another "
       "person"),
    N_("cadre add was given the name of a cadre already listed."))
CANNOT_EDIT_SAFELY = _check(
    "cannot-edit-safely", E, DATA, "changes",
    N_("theodoi cannot edit this part of the file safely; make the change by hand"),
    N_("assignments.yaml is laid out in a way theodoi's line editor does not change."))
NO_LIST_IN_FILE = _check(
    "no-list-in-file", E, DATA, "changes", N_("the file has no {key!r} list"),
    N_("assignments.yaml lacks the list a change would add to."))
EDIT_NOT_VERIFIED = _check(
    "edit-not-verified", E, ENV, "changes",
    N_("the edited file would not read back as intended; nothing was written (please report "
       "this)"),
    N_("A safety net: the edited text did not read back as planned, so nothing was written."))
DATES_REVERSED = _check(
    "dates-reversed", E, USAGE, "changes", N_("--from is after --to"),
    N_("A date range whose start is after its end."))
COMMUNE_AND_CADRE = _check(
    "commune-and-cadre", E, USAGE, "changes", N_("give --commune or --cadre, not both"),
    N_("history filters by one commune or one cadre."))

# --- imports: visit logs and decisions' annexes read from Excel or CSV ----------------

IMPORT_FORMAT = _check(
    "import-format", E, USAGE, "imports",
    N_("cannot import a {suffix!r} file: give an Excel workbook (.xlsx) or a CSV file (.csv)"),
    N_("theodoi imports .xlsx workbooks and .csv files."))
IMPORT_OLD_EXCEL = _check(
    "import-old-excel", E, DATA, "imports",
    N_("this is an Excel 97-2003 workbook (.xls) or one locked by a password: open it in Excel "
       "and save it as an Excel Workbook (.xlsx) without a password"),
    N_("An .xls workbook, or an .xlsx one encrypted with a password, cannot be read."))
IMPORT_UNREADABLE = _check(
    "import-unreadable", E, DATA, "imports",
    N_("cannot read the workbook ({reason}); open it in Excel and save it again as .xlsx"),
    N_("A file named .xlsx that is not a workbook, or a damaged one."))
TEMPLATE_UNREADABLE = _check(
    "template-unreadable", E, DATA, "files",
    N_("cannot use the Word template ({reason}); save it again in Word or LibreOffice as .docx"),
    N_("The office's Word template (settings.office.template or --template) is missing, not "
       "a .docx file, or damaged."))
IMPORT_NO_SUCH_SHEET = _check(
    "import-no-such-sheet", E, USAGE, "imports",
    N_("the workbook has no sheet {sheet!r}; its sheets are: {sheets}"),
    N_("--sheet names a sheet the workbook does not have."))
IMPORT_NO_HEADER = _check(
    "import-no-header", E, DATA, "imports",
    N_("no header row naming the columns {required} was found in the first {rows} rows; "
       "columns are recognised by their header ({examples}); name another with --column "
       "FIELD=\"HEADER\""),
    N_("The sheet has no row of headers theodoi recognises."))
IMPORT_COLUMN_TWICE = _check(
    "import-column-twice", E, DATA, "imports",
    N_("the columns {first!r} and {second!r} both read as {field}; say which one with "
       "--column {field}=\"HEADER\""),
    N_("Two columns whose headers mean the same field."))
IMPORT_BAD_COLUMN_OPTION = _check(
    "import-bad-column-option", E, USAGE, "imports",
    N_("--column {value!r}: write FIELD=HEADER, FIELD being one of: {fields}"),
    N_("--column names a field theodoi does not import, or has no '='."))
IMPORT_COLUMN_NOT_FOUND = _check(
    "import-column-not-found", E, USAGE, "imports",
    N_("--column {field}={header!r}: no column of the header row is headed so; the headers "
       "are: {headers}"),
    N_("--column names a header the sheet does not have."))
IMPORT_ROW_FIELDS = _check(
    "import-row-fields", E, DATA, "imports",
    N_("row {row} has {found} fields where the header has {expected}: a comma or semicolon "
       "inside a cell that is not quoted?"),
    N_("A CSV row with more or fewer fields than its header: its cells would be read under "
       "the wrong headers (a note cut at a comma)."))
IMPORT_EMPTY_VALUE = _check(
    "import-empty-value", E, DATA, "imports",
    N_("cell {cell} ({header}) is empty; the {field} is needed"),
    N_("A row of an import lacks a value it needs (a date, a commune, a name)."))
IMPORT_BAD_DATE = _check(
    "import-bad-date", E, DATA, "imports",
    N_("cell {cell} ({header}): {value!r} is not a date{why} (write 15/09/2024, or use an "
       "Excel date)"),
    N_("A date in an import that is neither an Excel date nor dd/mm/yyyy text."))
IMPORT_COMMUNE_TWICE = _check(
    "import-commune-twice", E, DATA, "imports",
    N_("{commune} is assigned twice in the file (also on row {row})"),
    N_("A decision's annex assigns one commune on two rows."))
IMPORT_CADRE_UNCLEAR = _check(
    "import-cadre-unclear", E, DATA, "imports",
    N_("{name} is listed as {id} of {agency}, not of {given}: if this is the same person, "
       "write {id} in a column 'Mã cán bộ'; if another, write a new id there"),
    N_("A name in the annex matches a listed cadre of another agency: the same person, or "
       "another one."))
IMPORT_TITLE_DIFFERS = _check(
    "import-title-differs", W, DATA, "imports",
    N_("{id} is listed as {listed!r}, the annex says {given!r}; cadres.csv is not changed "
       "(edit it by hand if the title has changed)"),
    N_("A cadre's title in the annex differs from cadres.csv, which the import leaves as "
       "it is."))
IMPORT_CADRE_ID_DIFFERS = _check(
    "import-cadre-id-differs", E, DATA, "imports",
    N_("cadre id {id} is {listed} in cadres.csv, not {name}"),
    N_("An id in the annex names another person than cadres.csv does."))

# --- lookup: names and codes as typed -----------------------------------------------------

NO_COMMUNE_GIVEN = _check(
    "no-commune-given", E, USAGE, "lookup", N_("no commune given"),
    N_("An empty commune name or code."))
COMMUNE_MISSING_NO_TERMINAL = _check(
    "commune-missing-no-terminal", E, USAGE, "lookup",
    N_("--commune is missing and there is no terminal to ask for it: give the commune's code "
       "or name"),
    N_("Without a terminal (cron, a script) nothing is asked: the value must be given."))
NO_SUCH_COMMUNE_CODE = _check(
    "no-such-commune-code", E, USAGE, "lookup", N_("no commune has the code {query}"),
    N_("A commune code typed that communes.csv does not list."))
COMMUNE_AMBIGUOUS = _check(
    "commune-ambiguous", E, USAGE, "lookup",
    N_("{query!r} matches several communes; give the code:\n{candidates}"),
    N_("A commune name that fits several communes."))
COMMUNE_NOT_FOUND = _check(
    "commune-not-found", E, USAGE, "lookup", N_("no commune matches {query!r}{closest}"),
    N_("A commune name that fits none; the closest names are offered."))
NO_CADRE_GIVEN = _check(
    "no-cadre-given", E, USAGE, "lookup", N_("no cadre given"),
    N_("An empty cadre name or id."))
CADRE_AMBIGUOUS = _check(
    "cadre-ambiguous", E, USAGE, "lookup",
    N_("{query!r} matches several cadres; give the id:\n{candidates}"),
    N_("A cadre name that fits several cadres."))
CADRE_NOT_FOUND = _check(
    "cadre-not-found", E, USAGE, "lookup", N_("no cadre matches {query!r}{closest}"),
    N_("A cadre name or id that fits none; the closest are offered."))
KIND_AMBIGUOUS = _check(
    "kind-ambiguous", E, USAGE, "lookup",
    N_("{query!r} matches several kinds of visit:\n{candidates}"),
    N_("A kind of visit typed that fits several kinds."))
KIND_NOT_FOUND = _check(
    "kind-not-found", E, USAGE, "lookup",
    N_("unknown kind of visit {query!r}; use one of:\n{candidates}"),
    N_("A kind of visit typed that fits none."))
AMBIGUOUS_ID = _check(
    "ambiguous-id", E, USAGE, "lookup",
    N_("{id} could be any of these ids; type one of them in full:\n{candidates}"),
    N_("An id typed loosely (another case, a zero left out, no V- prefix) that fits "
       "several recorded ids."))
UNKNOWN_CHECK = _check(
    "unknown-check", E, USAGE, "lookup", N_("no check is named {query!r}{closest}"),
    N_("validate --check or --skip was given a code that is not a check."))
COMMUNE_NOT_IN_FORCE = _check(
    "commune-not-in-force", E, USAGE, "lookup",
    N_("{name} ({code}) does not exist on {day}: it exists {span}{successor}"),
    N_("A commune typed that existed, but not on the date given (merged, or made later)."))

COMMAND_LINE = _check(
    "command-line", E, USAGE, "command line", N_("{message}"),
    N_("A mistake in the command line itself: an unknown option or command, a missing or "
       "malformed value (the usage line and how to get help are shown above it)."))

# --- workspace: the context a command runs in ---------------------------------------------

BAD_TODAY = _check(
    "bad-today", E, USAGE, "workspace",
    N_("{variable}={value!r} is not a date (use 2024-09-15 or 15/09/2024); unset it to use "
       "today"),
    N_("THEODOI_TODAY (or THEODOI_NOW) pins the clock for tests and replays, and must be a "
       "date."))
BAD_LANGUAGE = _check(
    "bad-language", E, USAGE, "workspace",
    N_("{value!r} is not a language theodoi speaks (given by {source}); use vi or en"),
    N_("--lang and THEODOI_LANG take vi or en."))
SHIPPED_DATA_MISSING = _check(
    "shipped-data-missing", E, ENV, "workspace",
    N_("the shipped registers are not found (expected {folder}); the demo needs theodoi "
       "installed from its source folder (pip install -e .)"),
    N_("The demo copies the registers shipped in the source tree, which this installation "
       "lacks."))
SHIPPED_DATA_BROKEN = _check(
    "shipped-data-broken", E, DATA, "workspace",
    N_("the shipped registers have errors; run 'theodoi validate --data {folder}'"),
    N_("The registers the demo copies do not validate."))
TODAY_BEFORE_TERM = _check(
    "today-before-term", E, USAGE, "workspace",
    N_("today ({today}) is before the term's start ({start})"),
    N_("The demo invents visits from the term's start to today."))
FOLDER_NOT_EMPTY = _check(
    "folder-not-empty", E, USAGE, "workspace",
    N_("the folder is not empty; give a new or empty folder (theodoi never makes a workspace "
       "over existing files)"),
    N_("A new workspace is only made in a new or empty folder."))
ANSWER_NOT_A_DATE = _check(
    "answer-not-a-date", E, USAGE, "command line",
    N_("{answer!r} is not a date{why} (type 15/09/2024, or press Enter for the one in "
       "brackets)"),
    N_("An answer to a question in the terminal that is not a date; the question is asked "
       "again."))
CHOICE_NOT_UNDERSTOOD = _check(
    "choice-not-understood", E, USAGE, "command line",
    N_("{answer!r} is not one of the choices: type a number from 1 to {count}"),
    N_("An answer to a numbered question that fits none of the choices; the question is "
       "asked again."))
UNKNOWN_SORT_COLUMN = _check(
    "unknown-sort-column", E, USAGE, "command line",
    N_("--sort {column!r}: this table has no such column; use one of {columns} (with a "
       "leading - for the largest first)"),
    N_("--sort names a column by its key, as in the csv and json outputs."))
NO_DATA_FOLDER = _check(
    "no-data-folder", E, USAGE, "workspace",
    N_("no data folder in {folder} or the folders above it; give one with --data DIR or "
       "THEODOI_DATA, or go to it (cd), or make one: 'theodoi init DIR --province NAME' "
       "for a province, 'theodoi demo DIR' to try theodoi"),
    N_("Without --data or THEODOI_DATA, a command looks for the data folder (a folder with "
       "communes.csv or assignments.yaml, or a data/ folder holding them) from the working "
       "folder upwards."))
SAMPLE_DATA = _check(
    "sample-data", E, USAGE, "workspace",
    N_("{folder} is the sample shipped with theodoi (it holds SAMPLE.md): nothing is "
       "written into it unless --data names it. Make a workspace of your own with "
       "'theodoi init DIR --province NAME' (or 'theodoi demo DIR' to practise), then work "
       "there"),
    N_("The shipped sample is read freely, but a record typed by mistake into it would be "
       "lost with the next update of theodoi."))
COMMIT_NEEDS_OUTPUT = _check(
    "commit-needs-output", E, USAGE, "workspace",
    N_("--commit commits the report's file: name it with --output, e.g. --output "
       "bao-cao/{{week}}.html"),
    N_("summary --commit commits the file written with --output, never the screen."))
OUTPUT_OUTSIDE_REPOSITORY = _check(
    "output-outside-repository", E, USAGE, "git",
    N_("{file} is outside the data folder's git repository ({root}), so --commit cannot "
       "commit it; write the report inside it, e.g. in {root}/bao-cao"),
    N_("summary --commit commits the report into the data folder's repository."))
OUTPUT_SPECIAL_FILE = _check(
    "output-special-file", E, USAGE, "command line",
    N_("--output {file} is a {kind}, not a file: theodoi writes reports to regular files only"),
    N_("--output names a device, a named pipe or a socket, which a report would replace."))
OUTPUT_IS_DATA = _check(
    "output-is-data", E, USAGE, "command line",
    N_("--output {file} is in the data folder's registers or journals: a report never "
       "replaces them; give another name"),
    N_("--output names a register (assignments.yaml, cadres.csv...) or a journal's file, "
       "which the report would overwrite."))
OUTPUT_FILE_NEEDED = _check(
    "output-file-needed", E, USAGE, "workspace",
    N_("--format {format} makes a file, not text for the screen: name it with --output, e.g. "
       "--output {example}"),
    N_("An Excel or Word file is written to a file named with --output, never to the "
       "screen."))
PATH_IN_THE_WAY = _check(
    "path-in-the-way", E, USAGE, "workspace",
    N_("a file of that name is in the way; give a new folder"),
    N_("A file stands where a new folder should be made."))
PROVINCE_NOT_FOUND = _check(
    "province-not-found", E, USAGE, "workspace",
    N_("no province of the {map} map is {query!r}{closest}"),
    N_("init was given a province name or code that the national registers do not list on "
       "that map."))

# --- git: the audit trail ------------------------------------------------------------------

GIT_MISSING = _check(
    "git-missing", E, ENV, "git", N_("git is not installed (it keeps the audit trail)"),
    N_("The git program is not found on this machine."))
GIT_IDENTITY_MISSING = _check(
    "git-identity-missing", E, ENV, "git",
    N_("git does not know who makes the commits (user.name and user.email are not set), and "
       "there is no terminal to ask; set them with git config --global user.name \"...\" "
       "and git config --global user.email \"...\", then run init again"),
    N_("A workspace's history names who made each change: init never commits as an unnamed "
       "user."))
GIT_FAILED = _check(
    "git-failed", E, ENV, "git", N_("git {command} failed: {reason}"),
    N_("A git command failed; its own message follows."))
NOT_IN_GIT = _check(
    "not-in-git", E, ENV, "git", N_("{folder} is not inside a git repository"),
    N_("--commit needs the data folder to be in a git repository."))
NO_HISTORY = _check(
    "no-history", E, ENV, "git",
    N_("the data folder is not in a git repository, so it has no history to read (run 'git "
       "init' in it and commit the files)"),
    N_("history and audit read the data folder's git history."))
UNKNOWN_REVISION = _check(
    "unknown-revision", E, USAGE, "git", N_("{revision!r} is not a commit of this repository"),
    N_("--since names no commit of the data repository."))
NO_GIT_IDENTITY = _check(
    "no-git-identity", E, ENV, "git",
    N_("git has no identity to commit with in {folder}: set one with git config user.name "
       "\"Họ Tên\" and git config user.email \"ten@example.vn\" (nothing was written)"),
    N_("--commit refuses to commit as root@host: the audit trail must say who it was."))
UNKNOWN_FINDING = _check(
    "unknown-finding", E, USAGE, "git",
    N_("no audit finding has the id {id}; 'theodoi audit' lists the open ones"),
    N_("audit acknowledge needs the id of a finding that audit reports."))
FINDING_ACKNOWLEDGED = _check(
    "finding-acknowledged", E, USAGE, "git",
    N_("finding {id} was already acknowledged by {by} on {day} ({reason})"),
    N_("A finding is acknowledged once."))
FINDING_NOT_COMMITTED = _check(
    "finding-not-committed", E, USAGE, "git",
    N_("finding {id} is a change not committed yet: commit it first, then acknowledge it in a "
       "commit of its own"),
    N_("An acknowledgement committed with the change it covers would excuse the change in the "
       "same stroke; audit does not count one."))
FINDING_OF_THE_REPOSITORY = _check(
    "finding-of-the-repository", E, USAGE, "git",
    N_("finding {id} is a state of the repository ({alarm}), not a change of the data: put it "
       "right (git replace -d, git update-index --no-skip-worktree --no-assume-unchanged, git "
       "fetch --unshallow, remove the grafts file) instead of acknowledging it"),
    N_("What makes git show something other than what is stored is repaired, never "
       "accepted."))
ANCHOR_RECORDS_CHANGED = _check(
    "anchor-records-changed", E, DATA, "git",
    N_("commit {anchor} held records that today's data lacks or holds changed: {records}"),
    N_("Every record of a commit quoted in an earlier summary must still be in the data, "
       "unchanged (corrections are records of their own)."))
ANCHOR_COUNT_DIFFERS = _check(
    "anchor-count-differs", E, DATA, "git",
    N_("commit {anchor} holds {records} visit records, not the {quoted} quoted with it"),
    N_("The number of records quoted with a commit in an earlier summary must be the number "
       "that commit holds."))
ANCHOR_NOT_IN_HISTORY = _check(
    "anchor-not-in-history", E, DATA, "git",
    N_("commit {anchor} is not in today's history: the history was rewritten since (or the "
       "commit belongs to another repository)"),
    N_("A commit quoted in an earlier summary must still be an ancestor of the history."))
UNSIGNED_COMMIT = _check(
    "unsigned-commit", E, DATA, "git",
    N_("commit {commit} ({subject}) changes the data but {state}"),
    N_("audit --require-signed: every commit that touches the data must carry a good "
       "signature."))
UNCOMMITTED_CHANGES = _check(
    "uncommitted-changes", E, DATA, "git",
    N_("{file} has changes that are not committed yet; commit them first or run without "
       "--commit"),
    N_("--commit commits one change alone, so the file must have no other pending change."))
NOT_COMMITTED = _check(
    "not-committed", E, ENV, "git", N_("{what} is written in {file} but was not committed: "
                                       "{reason}"),
    N_("The change is safe on disk, but git refused the commit."))
SYNC_NO_BRANCH = _check(
    "sync-no-branch", E, ENV, "git",
    N_("the data repository {folder} is on no branch (a detached HEAD): check out the "
       "branch to sync (git switch main), then run theodoi sync again"),
    N_("theodoi sync sends the current branch, so there must be one."))
SYNC_NO_REMOTE = _check(
    "sync-no-remote", E, ENV, "git",
    N_("the data repository {folder} has no remote to sync with: add one with git remote add "
       "origin ADDRESS (a bare repository on the office server over SSH, such as "
       "ssh://vanthu@may-chu/srv/git/theodoi-data.git, or a Gitea or GitLab project's "
       "address), then run theodoi sync again"),
    N_("theodoi sync needs the address of the shared repository."))
SYNC_UNCOMMITTED = _check(
    "sync-uncommitted", E, DATA, "git",
    N_("the data folder has changes that are not committed ({files}): commit them first "
       "(the theodoi commands take --commit; or git add and git commit), then sync"),
    N_("theodoi sync sends commits: what is not committed would not go, and must not mix "
       "with a merge."))
SYNC_UNREACHABLE = _check(
    "sync-unreachable", E, ENV, "git",
    N_("cannot reach {remote} ({url}): {reason}; nothing was changed here and no record was "
       "lost: run theodoi sync again when the network is back"),
    N_("The shared repository could not be reached (no network, the server down, a wrong "
       "address)."))
SYNC_CONFLICT = _check(
    "sync-conflict", E, DATA, "git",
    N_("the records from {remote} cannot be merged with yours in {files}: {reason}; the merge "
       "was undone and nothing was lost here: show this message to whoever keeps the data "
       "repository"),
    N_("A merge that the journals' driver cannot make on its own (two different records "
       "under one id, a record changed differently on each side, a file edited by hand)."))
SYNC_ASSIGNMENTS_CONFLICT = _check(
    "sync-assignments-conflict", E, DATA, "git",
    N_("{file} was changed both here and on {remote}: here, {ours}; there, {theirs}. The "
       "merge was undone and nothing was lost. To resolve it, take the other side's "
       "decisions first and enter yours again: undo your change with git revert (your "
       "commits of {file}: git log -- {file}), run theodoi sync, then enter your decision "
       "again with theodoi assign, swap, vacate or import assignments --commit, and run "
       "theodoi sync"),
    N_("Two machines changed the assignments: one person decides which decision is entered "
       "first; the other enters theirs again with theodoi's commands."))
SYNC_MERGE_FAILS = _check(
    "sync-merge-fails", E, DATA, "git",
    N_("nothing was sent to {remote} (any merge made now was undone): {reason}; run "
       "theodoi validate and theodoi audit, correct what they show, then sync again"),
    N_("theodoi sync never sends a merged history that fails validate or audit."))
SYNC_PUSH_FAILED = _check(
    "sync-push-failed", E, ENV, "git",
    N_("cannot send to {remote}: {reason}; your records are kept here and go out at the "
       "next theodoi sync"),
    N_("The shared repository refused the push (permissions, the network, a server "
       "rule)."))

# --- system: disks, folders and locks -------------------------------------------------------

CANNOT_WRITE = _check(
    "cannot-write", E, ENV, "system",
    N_("cannot write the file: {reason}; it was left as it was"),
    N_("The system refused a write (a full disk, a read-only folder, permissions)."))
CANNOT_CREATE_FOLDER = _check(
    "cannot-create-folder", E, ENV, "system", N_("cannot create the folder: {reason}"),
    N_("The system refused to create a folder."))
FOLDER_BLOCKED = _check(
    "folder-blocked", E, DATA, "system",
    N_("cannot create the folder: a file of that name is in the way"),
    N_("A file stands where theodoi must create a folder."))
CANNOT_OPEN_FOLDER = _check(
    "cannot-open-folder", E, ENV, "system", N_("cannot open the folder: {reason}"),
    N_("The system refused to open a folder (permissions, a missing path)."))
LOCK_FAILED = _check(
    "lock-failed", E, ENV, "system",
    N_("cannot lock the folder to write safely: {reason}; on a network share, keep the data "
       "folder on a local disk (or a share that supports file locks)"),
    N_("Writers take a lock so that none loses another's record; this file system refused "
       "it."))
INTERRUPTED_CHANGE = _check(
    "interrupted-change", E, DATA, "system",
    N_("a change interrupted earlier cannot be finished: this file does not hold what the "
       "change recorded; compare it with git (git status, git diff), restore it, then remove "
       ".theodoi-transaction"),
    N_("A writer was killed after deciding a change of several files; the next command "
       "finishes it, unless a file was altered in the meantime."))


def checks_in_order() -> list[Check]:
    """Every check, by area as --list-checks shows them, then by code."""
    rank = {area: i for i, area in enumerate(AREAS)}
    return sorted(REGISTRY.values(), key=lambda c: (rank[c.area], c.code))
