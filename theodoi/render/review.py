"""The review of a period, and a cadre's scorecard, for people and for scripts.

People get a document (the table, the province's total, a bar chart of the
quarters met per cadre or agency, drawn in the HTML page) in the chosen
language; scripts get csv and json with the keys of
:data:`theodoi.followup.review.KEYS`, ISO dates and plain numbers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from theodoi.base.i18n import N_, gettext_for, ngettext_for
from theodoi.base.periods import format_date, period_json, period_label, period_title
from theodoi.base.problems import Msg
from theodoi.followup.review import KEYS, TOTAL_KEYS, Review, Scorecard
from theodoi.render.tables import (
    Bar,
    Block,
    Chart,
    Column,
    Document,
    Heading,
    Paragraph,
    Table,
    csv_text,
    format_percent,
    json_text,
    plain,
    records,
)


def notes_blocks(notes: tuple[Msg, ...], language: str) -> list[Block]:
    return [Paragraph(note.text(language)) for note in notes]


def notes_json(notes: tuple[Msg, ...], language: str) -> list[str]:
    return [note.text(language) for note in notes]


def review_title(review: Review, language: str) -> str:
    """"Sơ kết công tác theo dõi địa bàn cấp xã 6 tháng đầu năm 2026"; a review not
    over yet says up to which day it counts."""
    _ = gettext_for(language)
    period = review.period
    if period.kind == "year":
        title = _("Yearly review of the follow-up of communes in {year}").format(
            year=period.year)
    elif period.kind == "half":
        title = _("Six-month review of the follow-up of communes: {period}").format(
            period=period_label(period, language))
    else:
        title = _("Review of the follow-up of communes: {period}").format(
            period=period_title(period, language))
    if not review.complete:
        title += " " + _("(up to {day})").format(day=format_date(review.end, language))
    return title


def review_subject(review: Review, language: str) -> str:
    """The subject of the Word report under "BÁO CÁO"."""
    _ = gettext_for(language)
    period = review.period
    if period.kind == "year":
        return _("yearly review of the follow-up of communes in {year}").format(
            year=period.year)
    if period.kind == "half":
        return _("six-month review of the follow-up of communes, {period}").format(
            period=period_label(period, language).lower())
    return _("results of the follow-up of communes, {period}").format(
        period=period_title(period, language))


SHEET_NAMES = {"cadre": N_("Review by cadre"), "commune": N_("Review by commune"),
               "agency": N_("Review by agency"), "district": N_("Review by district")}


def sheet_name(review: Review, language: str) -> str:
    """The workbook's sheet of the review's table (the title is too long for a tab)."""
    return gettext_for(language)(SHEET_NAMES[review.by])


def _figure_columns(language: str) -> list[Column]:
    _ = gettext_for(language)
    return [Column("visits", _("Visits"), "number"),
            Column("meetings", _("Meetings attended"), "number"),
            Column("quarters_met", _("Quarters with visits"), "number"),
            Column("quarters_expected", _("Quarters expected"), "number"),
            Column("difficulties_raised", _("Difficulties raised"), "number"),
            Column("proposals_raised", _("Proposals raised"), "number"),
            Column("resolved", _("Resolved"), "number"),
            Column("pending", _("Not yet resolved"), "number"),
            Column("planned", _("Visits planned"), "number"),
            Column("planned_done", _("Planned visits made"), "number"),
            Column("longest_gap_days", _("Longest gap (days)"), "number")]


def _compact_columns(by: str, language: str) -> tuple[Column, ...]:
    """The columns an A4 page holds (the Word report): the name, the communes, and
    the figures with "met/expected" and "made/planned" in one cell each."""
    _ = gettext_for(language)
    # Short headers, figures to the right; the items raised and the days each
    # commune was followed from are in the paragraph of the province's figures
    # and in each cadre's scorecard: eight columns is what A4 holds.
    figures = (Column("visits", _("Visits made"), "number"),
               Column("meetings", _("Meetings"), "number"),
               Column("quarters_text", _("Quarters met / expected"), "ratio"),
               Column("pending", _("Unresolved"), "number"),
               Column("plans_text", _("Plans made/planned"), "ratio"),
               Column("longest_gap_days", _("Longest gap in days"), "number"))
    first = {"cadre": (Column("cadre", _("Cadre")),
                       Column("communes_followed_names", _("Communes followed"), "list", "—")),
             "commune": (Column("commune", _("Commune")),
                         Column("cadre_names", _("Cadres in the period"), "list", "—")),
             "agency": (Column("agency", _("Agency"), empty=_("(no agency)")),
                        Column("cadres", _("Cadres"), "number")),
             "district": (Column("district_name", _("District"), empty=_("(no district)")),
                          Column("communes", _("Communes"), "number"))}[by]
    return (*first, *figures)


def review_columns(by: str, language: str, compact: bool = False) -> tuple[Column, ...]:
    _ = gettext_for(language)
    if compact:
        return _compact_columns(by, language)
    last = Column("last_visit", _("Last visit"), "date", _("never"))
    if by == "cadre":
        return (Column("cadre_id", _("ID")), Column("cadre", _("Cadre")),
                Column("agency", _("Agency")),
                Column("followed", _("Communes followed (since)"), "list", "—"),
                *_figure_columns(language), last)
    if by == "commune":
        return (Column("commune_code", _("Code")), Column("commune", _("Commune")),
                Column("district_name", _("District")),
                Column("cadre_names", _("Cadres in the period"), "list", "—"),
                *_figure_columns(language), last)
    if by == "agency":
        return (Column("agency", _("Agency"), empty=_("(no agency)")),
                Column("cadres", _("Cadres"), "number"),
                Column("cadres_below", _("Cadres below the rhythm"), "number"),
                Column("communes_followed", _("Number of communes followed"), "number"),
                *_figure_columns(language))
    return (Column("district_name", _("District"), empty=_("(no district)")),
            Column("communes", _("Communes"), "number"),
            Column("communes_below", _("Communes below the rhythm"), "number"),
            *_figure_columns(language))


def followed_text(name: str, since: date, until: date | None, language: str) -> str:
    """"Xã Đại Sảo (từ 29/08/2024)", or with its last day when it has ended."""
    _ = gettext_for(language)
    if until is None:
        return _("{name} (since {since})").format(name=name, since=format_date(since, language))
    return _("{name} ({since}–{until})").format(name=name, since=format_date(since, language),
                                               until=format_date(until, language))


def _with_texts(row: dict[str, Any]) -> dict[str, Any]:
    """The cells of the compact table made of two figures each."""
    return {**row, "quarters_text": f"{row['quarters_met']}/{row['quarters_expected']}",
            "plans_text": f"{row['planned_done']}/{row['planned']}"}


def _people_rows(review: Review, language: str) -> list[dict[str, Any]]:
    rows = []
    for row in review.rows:
        shown = _with_texts(row)
        if review.by == "cadre":
            shown["cadre"] = row["cadre_name"] or row["cadre_id"]
            shown["followed"] = [followed_text(name, since, until, language)
                                 for name, since, until in zip(
                                     row["communes_followed_names"], row["followed_since"],
                                     row["followed_until"], strict=True)]
        elif review.by == "commune":
            shown["commune"] = row["commune_name"] or row["commune_code"]
        rows.append(shown)
    return rows


def review_table(review: Review, language: str, title: str = "", compact: bool = False
                 ) -> Table:
    _ = gettext_for(language)
    label = {"cadre": "cadre", "commune": "commune", "agency": "agency",
             "district": "district_name"}[review.by]
    footer = {**_with_texts(review.total), "cadre_id": "", "commune_code": "", "agency": None,
              "last_visit": None, "communes_followed": review.total["communes"],
              label: _("Province total")}
    columns = review_columns(review.by, language, compact)
    rows = _people_rows(review, language)
    if review.by == "commune" and rows and not any(r.get("district_name") for r in rows):
        columns = tuple(c for c in columns if c.key != "district_name")
    return Table(title, columns, rows, footer,
                 empty_note=_("No cadre followed a commune or made a visit in this period."))


def review_chart(review: Review, language: str) -> Chart | None:
    """A bar per cadre (or agency, commune, district): the quarters met as a
    percentage of those expected."""
    _ = gettext_for(language)
    label_key = {"cadre": "cadre", "commune": "commune", "agency": "agency",
                 "district": "district_name"}[review.by]
    bars = []
    for row in _people_rows(review, language):
        if row["rhythm_percent"] is None:
            continue
        value = float(row["rhythm_percent"])
        text = f"{format_percent(value, language)} ({row['quarters_met']}/" \
               f"{row['quarters_expected']})"
        bars.append(Bar(str(row.get(label_key) or "—"), value, text))
    if not bars:
        return None
    return Chart(_("Quarters with visits, of those expected (%)"), bars)


def _quarters_text(review: Review, language: str) -> str:
    return ", ".join(period_label(q, language) for q in review.quarters)


def rules_paragraph(review: Review, language: str) -> Paragraph:
    _ = gettext_for(language)
    counted = _quarters_text(review, language) or _("none has ended yet")
    return Paragraph(_(
        "Counted from {start} to {end}. Quarters counted: {quarters}. A quarter is expected of "
        "a cadre for a commune they followed for at least half of it, and met with at least "
        "{visits} visit(s) of theirs to it; a reassignment credits each cadre with their own "
        "part. Difficulties and proposals: those raised in the period, with their status on "
        "{end}; pending for more than {days} days is overdue.").format(
        start=format_date(review.period.start, language),
        end=format_date(review.end, language), quarters=counted,
        visits=review.visits_per_quarter, days=review.overdue_days))


def review_blocks(review: Review, language: str, compact: bool = False) -> list[Block]:
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    total = review.total
    blocks: list[Block] = [*notes_blocks(review.notes, language), rules_paragraph(review,
                                                                                  language)]
    if review.by == "cadre":
        below = total["cadres_below"]
        blocks.append(Paragraph(ngettext(
            "{below} of {cadres} cadre is below the expected rhythm; they are listed first.",
            "{below} of {cadres} cadres are below the expected rhythm; they are listed first.",
            total["cadres"]).format(below=below, cadres=total["cadres"]),
            "bad" if below else "good"))
    blocks.append(Paragraph(_(
        "In the province: {visits} visits, {meetings} meetings attended; {met} of {expected} "
        "quarters expected had visits; {raised} difficulties and proposals raised, {resolved} "
        "resolved, {pending} not yet resolved ({overdue} overdue); {done} of {planned} "
        "planned visits made.").format(
        visits=total["visits"], meetings=total["meetings"], met=total["quarters_met"],
        expected=total["quarters_expected"],
        raised=total["difficulties_raised"] + total["proposals_raised"],
        resolved=total["resolved"], pending=total["pending"],
        overdue=total["pending_overdue"], done=total["planned_done"],
        planned=total["planned"])))
    blocks.append(review_table(review, language, compact=compact))
    chart = review_chart(review, language)
    if chart is not None:
        blocks.append(chart)
    return blocks


def review_document(review: Review, language: str, compact: bool = False) -> Document:
    """The review for people; ``compact``: the table an A4 page holds (Word)."""
    return Document(review_title(review, language), review_blocks(review, language, compact))


def review_data(review: Review, language: str) -> dict[str, Any]:
    return {"report": "review", "by": review.by,
            "period": period_json(review.period, language), "end": review.end.isoformat(),
            "complete": review.complete, "visits_per_quarter": review.visits_per_quarter,
            "proposal_overdue_days": review.overdue_days,
            "quarters": [q.code() for q in review.quarters],
            "rows": records(review.rows, KEYS[review.by]),
            "total": {k: plain(review.total.get(k)) for k in TOTAL_KEYS},
            "notes": notes_json(review.notes, language)}


def review_json(review: Review, language: str) -> str:
    return json_text(review_data(review, language))


def review_csv(review: Review) -> str:
    """The rows, then the province's total, marked "total" in the name column."""
    keys = KEYS[review.by]
    name = {"cadre": "cadre_name", "commune": "commune_name", "agency": "agency",
            "district": "district_name"}[review.by]
    total = {**review.total, name: "total"}
    if review.by == "agency":
        total["cadres"] = review.total["cadres"]
        total["communes_followed"] = review.total["communes"]
    if review.by == "district":
        total["communes_below"] = None
    return csv_text([*review.rows, total], keys)



# --- the scorecard: theodoi cadre show ---------------------------------------------------------


def _yes_no(value: bool, language: str) -> str:
    _ = gettext_for(language)
    return _("yes") if value else _("no")


def figures_rows(row: dict[str, Any] | None, language: str) -> list[dict[str, Any]]:
    """A cadre's review figures as lines of a two-column table."""
    _ = gettext_for(language)
    if row is None:
        return []
    gap = str(row["longest_gap_days"])
    if row["longest_gap_commune"]:
        gap = _("{days} days ({commune}, {start}–{end})").format(
            days=row["longest_gap_days"],
            commune=row.get("longest_gap_commune_name") or row["longest_gap_commune"],
            start=format_date(row["longest_gap_from"], language),
            end=format_date(row["longest_gap_to"], language))
    rhythm = (format_percent(float(row["rhythm_percent"]), language)
              if row["rhythm_percent"] is not None else "—")
    lines = [
        (_("Visits"), str(row["visits"])),
        (_("Communes visited"), str(row["communes_visited"])),
        (_("Meetings attended"), str(row["meetings"])),
        (_("Quarters with visits, of those expected"),
         f"{row['quarters_met']}/{row['quarters_expected']} ({rhythm})"),
        (_("Below the expected rhythm"), _yes_no(bool(row["below_rhythm"]), language)),
        (_("Difficulties raised"), str(row["difficulties_raised"])),
        (_("Proposals raised"), str(row["proposals_raised"])),
        (_("Resolved"), str(row["resolved"])),
        (_("Declined"), str(row["declined"])),
        (_("Not yet resolved (of which overdue)"),
         f"{row['pending']} ({row['pending_overdue']})"),
        (_("Planned visits made, of those planned"),
         f"{row['planned_done']}/{row['planned']}"),
        (_("Longest gap without a visit"), gap),
        (_("Last visit"), format_date(row["last_visit"], language) if row["last_visit"]
         else _("never")),
    ]
    return [{"figure": figure, "value": value} for figure, value in lines]


def scorecard_document(card: Scorecard, language: str, compact: bool = False) -> Document:
    """``cadre show``: who the cadre is, their assignments over time, the review
    figures of the period, their visits, the difficulties and proposals raised,
    and the planned visits."""
    from theodoi.followup.plans import when_label
    from theodoi.render.proposals import items_table
    from theodoi.render.visits import kind_label

    _ = gettext_for(language)
    cadre = card.cadre
    review = card.review
    title = _("Follow-up of communes by {name} ({id}): {period}").format(
        name=cadre.name, id=cadre.id, period=period_title(review.period, language))
    if not review.complete:
        title += " " + _("(up to {day})").format(day=format_date(review.end, language))
    who = [f"{_('Title')}: {cadre.title}", f"{_('Agency')}: {cadre.agency}"]
    if cadre.phone:
        who.append(f"{_('Phone')}: {cadre.phone}")
    if cadre.email:
        who.append(f"{_('Email')}: {cadre.email}")
    blocks: list[Block] = [Heading(_("The cadre")), *(Paragraph(line) for line in who)]
    blocks.append(Heading(_("Assignments over time")))
    blocks.append(Table("", (
        Column("commune", _("Commune")), Column("since", _("From"), "date"),
        Column("until", _("Until"), "date", _("in force")),
        Column("decision", _("Decision"))), card.assignments,
        empty_note=_("Never assigned to a commune.")))
    blocks.append(Heading(_("Review figures")))
    blocks.append(rules_paragraph(review, language))
    blocks.append(Table("", (Column("figure", _("Figure")), Column("value", _("Value"))),
                        figures_rows(card.figures, language),
                        empty_note=_("No commune followed and no visit made in the period.")))
    blocks.append(Heading(_("Visits in the period")))
    visits = [{**visit, "kind_label": kind_label(str(visit["kind"]), language),
               "stand_in": _("yes") if visit["substitute"] else ""} for visit in card.visits]
    # The ids are the office's, to find a record: not in the Committee's copy (compact).
    visit_columns: tuple[Column, ...] = (
        Column("date", _("Date"), "date"), Column("commune_name", _("Commune")),
        Column("kind_label", _("Kind of visit")), Column("stand_in", _("Standing in")))
    if not compact:
        visit_columns += (Column("id", _("Visit")),)
    blocks.append(Table("", visit_columns, visits, empty_note=_("No visit in the period.")))
    blocks.append(Heading(_("Difficulties and proposals raised in the period")))
    blocks.append(items_table(card.items, language, empty_note=_("None raised in the period."),
                              compact=compact))
    blocks.append(Heading(_("Planned visits")))
    plans = []
    for outcome in card.plans:
        if outcome["done_on"] is not None:
            result = _("made on {day}").format(day=format_date(outcome["done_on"], language))
        else:
            result = _("not made") if outcome["due"] else _("not due yet")
        plans.append({"when": when_label(outcome["window"], language),
                      "commune_name": outcome["commune_name"], "outcome": result,
                      "id": outcome["id"]})
    plan_columns: tuple[Column, ...] = (
        Column("when", _("When")), Column("commune_name", _("Commune")),
        Column("outcome", _("Outcome")))
    if not compact:
        plan_columns += (Column("id", _("Plan")),)
    blocks.append(Table("", plan_columns, plans, empty_note=_("No visit planned in the period.")))
    return Document(title, blocks)


def scorecard_subject(card: Scorecard, language: str) -> str:
    """The subject of the Word scorecard under "BÁO CÁO"."""
    _ = gettext_for(language)
    return _("results of the follow-up of communes by {name} ({id}), {period}").format(
        name=card.cadre.name, id=card.cadre.id,
        period=period_title(card.review.period, language))


def scorecard_json(card: Scorecard, language: str) -> str:
    from theodoi.followup.proposals import ITEM_KEYS

    cadre = card.cadre
    return json_text({
        "report": "scorecard",
        "cadre": {"id": cadre.id, "name": cadre.name, "title": cadre.title,
                  "agency": cadre.agency, "phone": cadre.phone or None,
                  "email": cadre.email or None},
        "period": period_json(card.review.period, language),
        "end": card.review.end.isoformat(),
        "assignments": records(card.assignments, ("commune_code", "commune", "since",
                                                  "until", "decision")),
        "figures": ({k: plain(card.figures.get(k)) for k in KEYS["cadre"]}
                    if card.figures is not None else None),
        "visits": records(card.visits, ("id", "date", "commune_code", "commune_name", "kind",
                                        "substitute")),
        "items": records(card.items, ITEM_KEYS),
        "plans": [{"id": o["id"] or None, "commune_code": o["commune_code"],
                   "window": o["window"].code() if o["window"].kind != "day"
                   else o["window"].start.isoformat(),
                   "due": o["due"], "done_on": plain(o["done_on"])} for o in card.plans],
    })
