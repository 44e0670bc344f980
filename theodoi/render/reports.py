"""Coverage, overdue and weekly-summary results as documents for people and
as csv/json for scripts.

People get translated headers, dd/mm/yyyy dates (in Vietnamese), "85,2%"
and "chưa có" for a commune never visited; scripts get snake_case keys,
ISO dates, 85.2 and null (an empty cell in csv).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from theodoi.base.i18n import N_, gettext_for, ngettext_for
from theodoi.base.periods import (
    format_date,
    period_json,
    period_label,
    period_title,
    recorded_date,
)
from theodoi.base.problems import Msg
from theodoi.render.problems import problems_json
from theodoi.render.proposals import open_items_blocks, open_items_data
from theodoi.render.tables import (
    Bar,
    Beside,
    Block,
    Chart,
    Column,
    Document,
    Dot,
    DotMap,
    Heading,
    Paragraph,
    Table,
    csv_text,
    format_percent,
    frame_records,
    json_text,
    plain,
    records,
    rows_of,
)
from theodoi.render.visits import FIELD_LABELS, kind_label
from theodoi.reports.figures import Coverage, Overdue, WeeklySummary, commune_overdue
from theodoi.workspace.validation import ValidationResult

if TYPE_CHECKING:
    from theodoi.audit.trail import Trail

# Machine columns of each report, in order (documented in the README).
COVERAGE_KEYS = {
    "district": ("district_code", "district_name", "communes", "communes_visited",
                 "percent_covered", "visits"),
    "group": ("group", "communes", "communes_visited", "percent_covered", "visits"),
    "commune": ("commune_code", "commune_name", "district_code", "district_name", "cadre_id",
                "cadre_name", "visits", "last_visit"),
    "cadre": ("cadre_id", "cadre_name", "title", "agency", "communes_followed", "visits",
              "communes_visited", "last_visit", "communes_followed_count"),
    "agency": ("agency", "cadres", "communes_followed", "visits", "communes_visited",
               "last_visit"),
}
OVERDUE_KEYS = ("commune_code", "commune_name", "district_code", "district_name", "cadre_id",
                "cadre_name", "agency", "since", "last_visit", "days")
VISIT_KEYS = ("visit_id", "date", "commune_code", "commune_name", "district_code",
              "district_name", "cadre_id", "cadre_name", "kind", "substitute", "notes")
RAISED_KEYS = ("date", "visit_id", "commune_code", "commune_name", "cadre_id", "cadre_name",
               "text")
LATE_KEYS = ("visit_id", "date", "recorded_on", "days_late", "commune_code", "commune_name",
             "cadre_id", "cadre_name")
CHANGE_KEYS = ("date", "change", "commune_code", "commune_name", "cadre_id", "cadre_name",
               "decision")


# --- coverage ---------------------------------------------------------------------------

def _vacant(language: str) -> str:
    _ = gettext_for(language)
    return _("(vacant)")


def _never(language: str) -> str:
    _ = gettext_for(language)
    return _("never")


def _cadre_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A readable cadre cell: the name, else the id (unknown cadre), else vacant."""
    for row in rows:
        row["cadre"] = row.get("cadre_name") or row.get("cadre_id") or None
    return rows


def coverage_columns(by: str, language: str) -> tuple[Column, ...]:
    _ = gettext_for(language)
    last = Column("last_visit", _("Last visit"), "date", _never(language))
    if by == "group":
        return (Column("group", _("Group"), empty=_("(no group)")),
                Column("communes", _("Communes"), "number"),
                Column("communes_visited", _("Visited"), "number"),
                Column("percent_covered", _("Covered"), "percent"),
                Column("visits", _("Visits"), "number"))
    if by == "district":
        return (Column("district_name", _("District")),
                Column("communes", _("Communes"), "number"),
                Column("communes_visited", _("Visited"), "number"),
                Column("percent_covered", _("Covered"), "percent"),
                Column("visits", _("Visits"), "number"))
    if by == "commune":
        return (Column("commune_code", _("Code")), Column("commune_name", _("Commune")),
                Column("district_name", _("District")),
                Column("cadre", _("Cadre"), empty=_vacant(language)),
                Column("visits", _("Visits"), "number"), last)
    if by == "cadre":
        return (Column("cadre_id", _("ID")), Column("cadre_name", _("Cadre")),
                Column("agency", _("Agency")),
                Column("communes_followed_names", _("Communes followed"), "list", "—"),
                Column("communes_followed_count", _("Number followed"), "number"),
                Column("visits", _("Visits"), "number"),
                Column("communes_visited", _("Communes visited"), "number"), last)
    return (Column("agency", _("Agency")), Column("cadres", _("Cadres"), "number"),
            Column("communes_followed", _("Number of communes followed"), "number"),
            Column("visits", _("Visits"), "number"),
            Column("communes_visited", _("Communes visited"), "number"), last)


def without_empty_districts(columns: tuple[Column, ...], rows: list[dict[str, Any]]
                            ) -> tuple[Column, ...]:
    """The columns less District where no row has one (communes made on or after
    1/7/2025): a column of blanks says nothing."""
    if rows and not any(row.get("district_name") for row in rows):
        return tuple(c for c in columns if c.key != "district_name")
    return columns


def coverage_table(report: Coverage, language: str, title: str = "") -> Table:
    _ = gettext_for(language)
    rows = _cadre_rows(report.rows.pipe(rows_of))
    footer = None
    if report.total is not None:
        footer = {**report.total, "district_name": _("Province total"),
                  "group": _("Province total")}
    columns = coverage_columns(report.by, language)
    if report.by == "commune":
        columns = without_empty_districts(columns, rows)
    if report.by == "group" and rows and not any(row.get("group") for row in rows):
        # Units without a district or a group, listed together: a neutral
        # heading, never the province's name.
        columns = (Column("group", _("Group"), empty=_("All communes and wards")),
                   *columns[1:])
    return Table(title, columns, rows, footer,
                 empty_note=_("No cadre followed a commune or made a visit in this period."))


def coverage_document(report: Coverage, language: str) -> Document:
    _ = gettext_for(language)
    titles = {"district": _("Coverage by district, {period}"),
              "group": _("Coverage by group, {period}"),
              "commune": _("Coverage by commune, {period}"),
              "cadre": _("Coverage by cadre, {period}"),
              "agency": _("Coverage by agency, {period}")}
    title = titles[report.by].format(period=period_title(report.period, language))
    return Document(title, [*notes_blocks(report.notes, language),
                            coverage_table(report, language)])


def notes_blocks(notes: tuple[Msg, ...], language: str) -> list[Block]:
    """What a reader must know before the table: a grouping chosen, carried visits."""
    return [Paragraph(note.text(language)) for note in notes]


def committee_notes(notes: tuple[Msg, ...]) -> tuple[Msg, ...]:
    """The notes in the Committee's words: a grouping is said without the
    office's file and column names."""
    said = {True: Msg(N_("The communes no longer belong to districts (abolished on "
                         "01/07/2025): they are counted by the office's groups.")),
            False: Msg(N_("The communes no longer belong to districts (abolished on "
                          "01/07/2025): they are counted together."))}
    return tuple(said["grouped by" in note.template] if "communes.csv" in note.template
                 else note for note in notes)


def notes_json(notes: tuple[Msg, ...], language: str) -> list[str]:
    return [note.text(language) for note in notes]


def coverage_json(report: Coverage, language: str) -> str:
    keys = COVERAGE_KEYS[report.by]
    data: dict[str, Any] = {"report": "coverage", "by": report.by,
                            "period": period_json(report.period, language),
                            "rows": frame_records(report.rows, keys)}
    if report.total is not None:
        data["total"] = {k: plain(v) for k, v in report.total.items()}
    data["notes"] = notes_json(report.notes, language)
    return json_text(data)


def coverage_csv(report: Coverage) -> str:
    keys = COVERAGE_KEYS[report.by]
    rows = report.rows.pipe(rows_of)
    if report.total is not None:
        # The province total closes the file, marked by an empty district code
        # (or the group "total").
        rows.append({**report.total, "district_code": "", "district_name": "total",
                     "group": "total"})
    return csv_text(rows, keys)


def coverage_chart(report: Coverage, language: str, title: str) -> Chart:
    _ = gettext_for(language)
    together = report.by == "group" and not any(
        row.get("group") for row in report.rows.pipe(rows_of))
    empty = _("All communes and wards") if together else _("(no group)")
    bars = [Bar(str(row.get("district_name") or row.get("group") or empty),
                float(row["percent_covered"]),
                format_percent(float(row["percent_covered"]), language))
            for row in report.rows.pipe(rows_of)]
    return Chart(title, bars)


# --- overdue ------------------------------------------------------------------------------

def overdue_table(report: Overdue, language: str, title: str = "") -> Table:
    _ = gettext_for(language)
    columns = (Column("commune_code", _("Code")), Column("commune_name", _("Commune")),
               Column("district_name", _("District")),
               Column("cadre", _("Cadre"), empty=_vacant(language)),
               Column("agency", _("Agency")),
               Column("last_visit", _("Last visit"), "date", _never(language)),
               Column("days", _("Days"), "number", "—"))
    rows = _cadre_rows(report.rows.pipe(rows_of))
    return Table(title, without_empty_districts(columns, rows), rows,
                 empty_note=_("No commune is overdue."))


def overdue_title(report: Overdue, language: str) -> str:
    _ = gettext_for(language)
    return _("Communes with no visit for more than {days} days, as of {day}").format(
        days=report.threshold, day=format_date(report.as_of, language))


def overdue_document(report: Overdue, language: str) -> Document:
    return Document(overdue_title(report, language), [*notes_blocks(report.notes, language),
                                                      overdue_table(report, language)])


def overdue_data(report: Overdue, language: str = "en") -> dict[str, Any]:
    return {"report": "overdue", "as_of": report.as_of.isoformat(),
            "overdue_days": report.threshold,
            "rows": frame_records(report.rows, OVERDUE_KEYS),
            "notes": notes_json(report.notes, language)}


def overdue_json(report: Overdue, language: str = "en") -> str:
    return json_text(overdue_data(report, language))


def overdue_csv(report: Overdue) -> str:
    return csv_text(report.rows.pipe(rows_of), OVERDUE_KEYS)


# --- weekly summary ---------------------------------------------------------------------

def _change_label(change: str, language: str) -> str:
    _ = gettext_for(language)
    return _("begins following") if change == "begins" else _("stops following")


def week_in_numbers(visits: int, communes: int, cadres: int, difficulties: int,
                    proposals: int, language: str) -> str:
    """"In the week: 1 visit to 1 commune by 1 cadre; …": each number with its own plural."""
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    return _("In the week: {visits} to {communes} by {cadres}; {difficulties} and {proposals} "
             "raised.").format(
        visits=ngettext("{n} visit", "{n} visits", visits).format(n=visits),
        communes=ngettext("{n} commune", "{n} communes", communes).format(n=communes),
        cadres=ngettext("{n} cadre", "{n} cadres", cadres).format(n=cadres),
        difficulties=ngettext("{n} difficulty", "{n} difficulties",
                              difficulties).format(n=difficulties),
        proposals=ngettext("{n} proposal", "{n} proposals", proposals).format(n=proposals))


def summary_document(summary: WeeklySummary, check: ValidationResult, language: str,
                     made_on: date, trail: Trail | None = None, with_check: bool = True,
                     annex: bool = False) -> Document:
    """The weekly summary; ``with_check=False`` makes the Word report for the
    Standing Committee: no command, no commit, no data check in its body (the
    check and the audit trail go to the office's annex when ``annex``), the
    data's fingerprint as the document's own last line."""
    _ = gettext_for(language)
    committee = not with_check
    week_label = period_label(summary.week, language)
    visits = summary.visits.pipe(rows_of)
    blocks: list[Block] = [*trail_warning(trail, language, committee),
        Paragraph(week_in_numbers(len(visits), summary.visits["commune_code"].nunique(),
                                  summary.visits["cadre_id"].nunique(),
                                  len(summary.difficulties), len(summary.proposals), language)),
        Heading(_("Visits of the week")),
    ]
    for row in visits:
        row["kind_label"] = kind_label(str(row["kind"]), language)
    columns = [Column("date", _("Date"), "date"), Column("commune_name", _("Commune")),
               Column("district_name", _("District")), Column("cadre", _("Cadre")),
               Column("kind_label", _("Kind of visit"))]
    if any(row.get("substitute") for row in visits):  # a column of blanks says nothing
        columns.append(Column("substitute", _("Substitute (reason)")))
    blocks.append(Table("", without_empty_districts(tuple(columns), visits), _cadre_rows(visits),
                        empty_note=_("No visit was recorded for this week.")))

    blocks.append(Heading(_("Difficulties and proposals raised")))
    raised_columns = (Column("date", _("Date"), "date"), Column("commune_name", _("Commune")),
                      Column("cadre", _("Cadre")), Column("text", _("Content")))
    blocks.append(Table(_("Difficulties"), raised_columns,
                        _cadre_rows(summary.difficulties.pipe(rows_of)),
                        empty_note=_("none raised")))
    blocks.append(Table(_("Proposals"), raised_columns,
                        _cadre_rows(summary.proposals.pipe(rows_of)),
                        empty_note=_("none raised")))

    blocks.append(Heading(_("Visits recorded late")))
    blocks.append(Paragraph(_("Recorded this week more than {days} days after the visit; "
                              "they count in the period when the visit took place.")
                            .format(days=7)))
    blocks.append(Table("", (
        Column("date", _("Visit date"), "date"), Column("recorded_on", _("Recorded on"), "date"),
        Column("days_late", _("Days late"), "number"), Column("commune_name", _("Commune")),
        Column("cadre", _("Cadre"))), _cadre_rows(summary.late.pipe(rows_of)),
        empty_note=_("No visit was recorded late this week.")))

    blocks.append(Heading(_("Assignment changes")))
    changes = summary.changes.pipe(rows_of)
    for row in changes:
        row["change_label"] = _change_label(str(row["change"]), language)
    blocks.append(Table("", (
        Column("date", _("From"), "date"), Column("commune_name", _("Commune")),
        Column("cadre", _("Cadre"), empty=_vacant(language)),
        Column("change_label", _("Change")), Column("decision", _("Decision"))),
        _cadre_rows(changes), empty_note=_("No assignment changed this week.")))

    coverage = summary.coverage
    heading = _("Coverage of {period} so far (up to {day})").format(
        period=period_label(coverage.period, language),
        day=format_date(coverage.period.end, language))
    blocks.append(Heading(heading))
    blocks.append(Beside([coverage_table(coverage, language),
                          coverage_chart(coverage, language, _("Communes visited (%)"))]))

    blocks.extend(notes_blocks(committee_notes(coverage.notes) if committee
                               else coverage.notes, language))

    blocks.append(Heading(_("Overdue communes")))
    blocks.append(Paragraph(overdue_title(summary.overdue, language)))
    # The overdue list's note on visits carried to the new units counts them
    # all; the coverage's, above, counts those of the period: said once.
    dot_map = unit_map(summary, language)
    if dot_map is None:
        blocks.append(overdue_table(summary.overdue, language))
    else:
        blocks.append(Beside([dot_map, overdue_table(summary.overdue, language)]))

    # The difficulties and proposals still waiting (theodoi.followup.proposals); the Word
    # report (with_check=False) takes the compact tables an A4 page holds.
    blocks.extend(open_items_blocks(summary.open_items, language, compact=committee))

    office = [Heading(_("Data check")), *_check_blocks(check, language)]
    if trail is not None:
        office.extend(trail_blocks(trail, language))
    title = _("Weekly summary of the follow-up of communes: {week}").format(week=week_label)
    if committee:
        return Document(title, blocks, fingerprint=committee_fingerprint(trail, language),
                        annex=office if annex else [])
    blocks.extend(office)
    blocks.append(Paragraph(_("Made by theodoi on {day}.").format(
        day=format_date(made_on, language))))
    if trail is not None:
        blocks.append(Paragraph(fingerprint_text(trail, language)))
    return Document(title, blocks)


# --- the map ----------------------------------------------------------------------------

# A geocoded point this far from the others' middle (in km, and in multiples of
# their median distance to it) is taken for a geocoder's mistake and not drawn.
FAR_OFF_KM, FAR_OFF_TIMES = 25.0, 4.0


def far_off(points: dict[str, tuple[float, float]]) -> set[str]:
    """The codes whose point lies far from the rest: a few geocoded points are
    tens of kilometres off, and one would squash the whole province into a corner."""
    import math
    import statistics

    if len(points) < 4:
        return set()
    middle = (statistics.median(p[0] for p in points.values()),
              statistics.median(p[1] for p in points.values()))
    cos_lat = math.cos(math.radians(middle[0]))

    def km(point: tuple[float, float]) -> float:
        return 111.32 * math.hypot(point[0] - middle[0], (point[1] - middle[1]) * cos_lat)

    distances = {code: km(point) for code, point in points.items()}
    limit = max(FAR_OFF_KM, FAR_OFF_TIMES * statistics.median(distances.values()))
    return {code for code, distance in distances.items() if distance > limit}


def unit_map(summary: WeeklySummary, language: str) -> DotMap | None:
    """One dot per commune in force at the week's end, at its point, by the days
    without a visit (as the overdue list counts them) against the threshold."""
    _ = gettext_for(language)
    if summary.units is None or summary.units.empty:
        return None
    threshold = summary.overdue.threshold
    half = threshold // 2
    rows = summary.units.pipe(rows_of)
    located = {str(r["commune_code"]): (float(r["latitude"]), float(r["longitude"]))
               for r in rows if r["latitude"] is not None}
    dropped = far_off(located)
    dots: list[Dot] = []
    counts = {"ok": 0, "due": 0, "overdue": 0, "never": 0}
    missing: list[str] = []
    far: list[str] = []
    for row in rows:
        code, name = str(row["commune_code"]), str(row["commune_name"])
        if code not in located:
            missing.append(f"{name} ({code})")
            continue
        if code in dropped:
            far.append(f"{name} ({code})")
            continue
        days = row["days"]
        tone = ("overdue" if commune_overdue(days, threshold)
                else "due" if days > half else "ok")
        never = row["last_visit"] is None
        # Each commune counted once: the never visited apart, whatever their days.
        counts["never" if never else tone] += 1
        last = (format_date(row["last_visit"], language) if row["last_visit"]
                else _never(language))
        hover = "\n".join([
            f"{name} ({code})",
            _("Last visit: {day}").format(day=last),
            _("Days without a visit: {days}").format(days="—" if days is None else days),
            _("Visits this quarter: {visits}").format(visits=row["visits"]),
            _("Cadre: {cadre}").format(cadre=row["cadre_name"] or _vacant(language)),
        ])
        latitude, longitude = located[code]
        dots.append(Dot(name, latitude, longitude, tone, never, hover))
    if not dots:
        return None
    legend = [
        ("ok", _("a visit within {days} days").format(days=half), counts["ok"]),
        ("due", _("{low} to {high} days without a visit").format(low=half + 1, high=threshold),
         counts["due"]),
        ("overdue", _("more than {days} days since the last visit: overdue").format(
            days=threshold), counts["overdue"]),
        ("never", _("hollow: never visited"), counts["never"]),
    ]
    notes = []
    if far:
        notes.append(_("Not drawn, their point looks wrong (a geocoder's): {units}.").format(
            units="; ".join(far)))
    if missing:
        notes.append(_("Not drawn, no point known: {units}.").format(units="; ".join(missing)))
    title = _("Map of the communes as of {day}").format(
        day=format_date(summary.overdue.as_of, language))
    label = _("{count} communes: {ok} visited within {half} days, {due} due, {overdue} "
              "overdue, {never} never visited").format(
        count=len(dots), ok=counts["ok"], half=half, due=counts["due"],
        overdue=counts["overdue"], never=counts["never"])
    # The letter of the north arrow (B, Bắc, in Vietnamese).
    return DotMap(title, dots, legend, notes, label, _("N"),
                  _("Numbered on the map: {communes}."))


def _check_blocks(check: ValidationResult, language: str) -> list[Block]:
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    day = format_date(check.as_of, language)
    if check.ok:
        return [Paragraph(_("theodoi validate as of {day}: passed, no errors "
                            "({warnings} warnings).").format(day=day, warnings=check.warnings),
                          "good")]
    problems = problems_json(check.problems, language)
    shown = [{"where": _where(p), "severity": _(str(p["severity"])),
              "message": f"[{p['code']}] {p['message']}"}
             for p in problems[:20]]
    blocks: list[Block] = [
        Paragraph(_("theodoi validate as of {day}: {errors}, {warnings}; run 'theodoi "
                    "validate' to see them all.").format(
            day=day, errors=ngettext("{n} error", "{n} errors", check.errors).format(
                n=check.errors),
            warnings=ngettext("{n} warning", "{n} warnings", check.warnings).format(
                n=check.warnings)), "bad"),
        Table("", (Column("where", _("Where")), Column("severity", _("Severity")),
                   Column("message", _("Problem"))), shown),
    ]
    return blocks


def _where(problem: dict[str, Any]) -> str:
    parts = [str(problem["file"])]
    if problem.get("line"):
        parts.append(str(problem["line"]))
    return ":".join(parts)


def summary_json(summary: WeeklySummary, check: ValidationResult, language: str,
                 trail: Trail | None = None) -> str:
    data = {
        "report": "summary",
        "week": period_json(summary.week, language),
        "visits": frame_records(summary.visits, VISIT_KEYS),
        "difficulties": frame_records(summary.difficulties, RAISED_KEYS),
        "proposals": frame_records(summary.proposals, RAISED_KEYS),
        "late_visits": frame_records(summary.late, LATE_KEYS),
        "assignment_changes": frame_records(summary.changes, CHANGE_KEYS),
        "coverage": {"period": period_json(summary.coverage.period, language),
                     "by": summary.coverage.by,
                     "rows": frame_records(summary.coverage.rows,
                                           COVERAGE_KEYS[summary.coverage.by]),
                     "total": {k: plain(v) for k, v in (summary.coverage.total or {}).items()},
                     "notes": notes_json(summary.coverage.notes, language)},
        "overdue": overdue_data(summary.overdue, language),
        "validation": {"as_of": check.as_of.isoformat(), "ok": check.ok,
                       "errors": check.errors, "warnings": check.warnings,
                       "problems": records(problems_json(check.problems, language),
                                           ("file", "line", "column", "severity", "code",
                                            "message"))},
    }
    if summary.open_items is not None:
        data["open_items"] = open_items_data(summary.open_items)
    if trail is not None:
        data["audit"] = trail_data(trail)
    return json_text(data)


# --- the audit trail of the week ----------------------------------------------------------


def trail_warning(trail: Trail | None, language: str, committee: bool = False
                  ) -> list[Block]:
    """Said first when records were changed behind the tool's back and nobody has
    explained them: the figures below may not be what was recorded.  For the
    Committee (``committee``) in its words, without the office's command."""
    _ = gettext_for(language)
    if trail is None or not trail.open_findings:
        return []
    ngettext = ngettext_for(language)
    if committee:
        return [Paragraph(ngettext(
            "Note: {count} record of the data was changed after it was written and the office "
            "has not yet checked the change; the figures below count the data as it is now.",
            "Note: {count} records of the data were changed after they were written and the "
            "office has not yet checked the changes; the figures below count the data as it "
            "is now.", len(trail.open_findings)).format(count=len(trail.open_findings)), "bad")]
    return [Paragraph(ngettext(
        "Warning: {count} record of the data was changed after it was written and has not "
        "been reviewed (theodoi audit); the figures below count the data as it is now.",
        "Warning: {count} records of the data were changed after they were written and have "
        "not been reviewed (theodoi audit); the figures below count the data as it is now.",
        len(trail.open_findings)).format(count=len(trail.open_findings)), "bad")]


def trail_blocks(trail: Trail, language: str) -> list[Block]:
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    blocks: list[Block] = [Heading(_("Audit trail"))]
    if not trail.in_git:
        blocks.append(Paragraph(_("The data folder is not in a git repository: there is no "
                                  "audit trail to check (theodoi audit needs one)."), "bad"))
    elif trail.open_findings:
        blocks.append(Paragraph(ngettext(
            "theodoi audit: {count} finding not reviewed; review it and acknowledge it "
            "(theodoi audit acknowledge).",
            "theodoi audit: {count} findings not reviewed; review each and acknowledge it "
            "(theodoi audit acknowledge).", len(trail.open_findings)).format(
            count=len(trail.open_findings)), "bad"))
        blocks.append(Table("", (Column("finding", _("Finding")), Column("path", _("File")),
                                 Column("record", _("Record")), Column("change", _("Change")),
                                 Column("commit", _("Commit"))),
                            [{"finding": f.finding, "path": f.path, "record": f.key,
                              "change": _(_CHANGE_KINDS.get(f.kind.value, f.kind.value)),
                              "commit": f.commit.id[:12] if f.commit else _("not committed")}
                             for f in trail.open_findings]))
    else:
        blocks.append(Paragraph(_("theodoi audit: no record was changed after it was written "
                                  "without being reviewed."), "good"))
    if trail.acknowledged:
        blocks.append(Table(_("Findings acknowledged this week"), (
            Column("finding", _("Finding")), Column("record", _("Record")),
            Column("by", _("By")), Column("reason", _("Reason")), Column("how", _("How"))),
            [{"finding": f.finding, "record": f.key, "by": ack.by, "reason": ack.reason,
              "how": _how(trail, ack.id, language)} for f, ack in trail.acknowledged]))
    blocks.append(Table(_("Corrections made this week"), (
        Column("recorded_on", _("Made on"), "date"), Column("id", _("Correction")),
        Column("visit", _("Visit")), Column("action", _("Action")),
        Column("fields", _("Fields")), Column("reason", _("Reason")), Column("by", _("By")),
        Column("how", _("How"))),
        [{"recorded_on": recorded_date(c.recorded_at), "id": c.id, "visit": c.visit,
          "action": _("withdrawal") if c.withdraws else _("amendment"),
          "fields": ", ".join(_(FIELD_LABELS[k]) for k in c.changes), "reason": c.reason,
          "by": c.by, "how": _how(trail, c.id, language)} for c in trail.corrections],
        empty_note=_("No visit was corrected or withdrawn this week.")))
    if trail.registers:
        from theodoi.render.audit import register_change_text

        blocks.append(Table(_("Changes to the registers committed this week"), (
            Column("commit", _("Commit")), Column("change", _("Change")),
            Column("how", _("How"))),
            [{"commit": c.commit.id[:12] if c.commit else "",
              "change": register_change_text(c, language),
              "how": _how_commit(c.commit.made_by if c.commit else "", language)}
             for c in trail.registers]))
    return blocks


def _how(trail: Trail, key: str, language: str) -> str:
    return _how_commit(trail.made_by.get(key, ""), language)


def _how_commit(made_by: str, language: str) -> str:
    """Through theodoi (its commit names the command) or by hand."""
    from theodoi.render.audit import made_by_label

    return made_by_label(made_by, language)


_CHANGE_KINDS = {"modified": N_("changed"), "removed": N_("removed"), "moved": N_("moved"),
                 "unreadable": N_("unreadable")}


def fingerprint_text(trail: Trail, language: str) -> str:
    """The commit and the number of records it holds: quoted by an auditor later
    (theodoi audit --anchor) to show the history was not rewritten since."""
    _ = gettext_for(language)
    if not trail.in_git or trail.commit is None:
        return _("Fingerprint of the data: none (the data is not committed to git).")
    text = _("Fingerprint of the data: commit {commit}, {records} visit records; check it "
             "later with: theodoi audit --anchor {short}").format(
        commit=trail.commit, records=trail.records,
        # The count is checked with the commit, so it is given only when the
        # records on disk are those the commit holds.
        short=trail.commit[:12] if trail.uncommitted else f"{trail.commit[:12]}:{trail.records}")
    if trail.uncommitted:
        text += " " + _("(some visit records on disk are not committed yet)")
    return text


def committee_fingerprint(trail: Trail | None, language: str) -> str:
    """"Mã đối chiếu dữ liệu: 057b75775642/340": the data's commit (shortened)
    and its visit records, for the document's last line and properties: an
    auditor matches it against the history; no command, nothing to run."""
    _ = gettext_for(language)
    if trail is None or not trail.in_git or trail.commit is None:
        return ""
    code = f"{trail.commit[:12]}/{trail.records}"
    if trail.uncommitted:
        code += "+"
    return _("Data reference: {code}").format(code=code)


def trail_data(trail: Trail) -> dict[str, Any]:
    return {
        "in_git": trail.in_git,
        "open_findings": [{"finding": f.finding, "path": f.path, "record": f.key or None,
                           "change": f.kind.value, "commit": f.commit.id if f.commit else None}
                          for f in trail.open_findings],
        "acknowledged_this_week": [{"finding": f.finding, "record": f.key or None,
                                    "by": ack.by, "at": ack.recorded_at, "reason": ack.reason,
                                    "made_by": trail.made_by.get(ack.id) or None}
                                   for f, ack in trail.acknowledged],
        "corrections_this_week": [{"id": c.id, "visit": c.visit, "action": c.action,
                                   "fields": list(c.changes), "reason": c.reason, "by": c.by,
                                   "recorded_at": c.recorded_at,
                                   "made_by": trail.made_by.get(c.id) or None}
                                  for c in trail.corrections],
        "register_changes_this_week": [
            {"commit": c.commit.id if c.commit else None, "area": c.area.value,
             "change": c.kind.value, "record": c.key or None, "fields": list(c.fields),
             "made_by": c.commit.made_by if c.commit else None, "alarm": c.alarm or None}
            for c in trail.registers],
        "fingerprint": {"commit": trail.commit, "visit_records": trail.records,
                        "uncommitted_visits": trail.uncommitted},
    }
