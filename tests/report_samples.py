"""A hand-built week's ReportData for the workbook, chart and summary tests (no store needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from storage.report_rows import (
    ActivityCell,
    AnonymousTotals,
    Attention,
    Charter,
    CheckinRow,
    CohortRow,
    Definition,
    EventReportRow,
    Levels,
    MemberRow,
    RegionAttendanceRow,
    ReportData,
    WeekFigures,
)
from storage.report_week import ReportWeek

WEEK = ReportWeek(2026, 48)  # Mon 23 Nov .. Sun 29 Nov 2026
TIMEZONE = "America/New_York"  # UTC-5 in November
GENERATED = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # Monday 08:00 in New York
# Names people chose, several of them hostile to spreadsheets.
HOSTILE_NAMES = (
    '=HYPERLINK("http://x","y")',
    "+1",
    "-2",
    "@x",
    "\tTabbed",
    "\rCarriage",
)


def week_figures(week: ReportWeek, n: int) -> WeekFigures:
    """A plausible week whose every figure differs from its neighbours' (n: 0 the oldest)."""
    return WeekFigures(
        week=week,
        members=40 + n,
        active=10 + n,
        peripheral=8 + n % 3,
        inactive=22 - n % 5,
        new=1 + n % 4,
        returning=n % 3,
        churned=n % 2,
        messages=30 + 5 * n,
        replies=12 + 3 * n,
        reactions=50 + 2 * n,
        checkins_sent=20 + n,
        checkins_answered=9 + n,
        median_first_reply_minutes=42.25 - n,
        prompt_replies=n % 3,
        prompt_repliers=n % 2,
        events_held=n % 2,
        event_attendance=5 * (n % 2) + n % 3,
        survey_responses=0,
    )


def member(name: str, n: int, *, last_active: datetime | None = None) -> MemberRow:
    """A member whose counts come from n, seen first some days before the week."""
    return MemberRow(
        display_name=name,
        platform="slack" if n % 2 else "discord",
        user_id=f"U{1000 + n}" if n % 2 else f"{112233445566778899 + n}",
        cohort="pilot" if n < 4 else "launch",
        level=("core", "active", "peripheral", "inactive")[n % 4],
        messages=3 * n,
        replies=2 * n + 1,
        reactions=n + 5,
        checkins_answered=n % 3,
        checkins_sent=3,
        prompt_replies=n % 2,
        events_attended=n % 2,
        first_seen=datetime(2026, 9, 1, 14, 30, tzinfo=UTC) + timedelta(days=n),
        last_active=last_active,
    )


def sample_report() -> ReportData:
    """A full week: 12 weeks of trends, members with hostile names, check-ins, cohorts."""
    trends = [week_figures(WEEK.shifted(n - 11), n) for n in range(12)]
    names = [*HOSTILE_NAMES, "Ada Lovelace", "Grace Hopper", "Émilie du Châtelet"]
    members = [
        member(
            name,
            n,
            # Sunday 23:30 in New York is Monday 04:30 UTC: the cell shows Sunday's local time.
            last_active=datetime(2026, 11, 30, 4, 30, tzinfo=UTC) if n % 3 else None,
        )
        for n, name in enumerate(names)
    ]
    four_week = replace(
        trends[-1],
        members=49,
        active=19,
        messages=78,
        replies=40,
        median_first_reply_minutes=32.5,
    )
    return ReportData(
        community="Data Stewards",
        timezone=TIMEZONE,
        week=WEEK,
        generated_at=GENERATED,
        charter=Charter(
            audience="Data stewards across the company",
            domain="Data quality, lineage and catalogues",
            purpose="Share what works and stop reinventing checks. " * 6,
            goals="=1+1 a shared checklist by March",
            outcomes="Fewer broken dashboards",
        ),
        this_week=trends[-1],
        last_week=trends[-2],
        four_week_average=four_week,
        trends=trends,
        levels=Levels(core=4, active=9, peripheral=11, inactive=27),
        members=members,
        anonymous=AnonymousTotals(members=2, messages=7, replies=3, reactions=11),
        checkins=[
            CheckinRow("Monday standup", 3, 1, 20, 15, previous_rate=0.9),
            CheckinRow("-Friday wins", 1, 1, 20, 4, previous_rate=None),
            CheckinRow("Paused one", 2, 0, 0, 0, previous_rate=0.5),
        ],
        cohorts=[
            CohortRow("pilot", joined=12, active_ever=10, active_this_week=6, retained=5),
            CohortRow("launch", joined=39, active_ever=17, active_this_week=15, retained=9),
        ],
        activity=[
            ActivityCell(weekday=0, hour=9, acts=12),
            ActivityCell(weekday=0, hour=10, acts=7),
            ActivityCell(weekday=2, hour=14, acts=3),
            ActivityCell(weekday=6, hour=23, acts=5),
        ],
        attention=[
            Attention("unanswered-newcomer", "@x", "Posted first on Tuesday; nobody replied."),
            Attention("sliding-member", "Ada Lovelace", "Was core, now peripheral."),
            Attention("checkin-drop", "-Friday wins", "20% answered, down from 60%."),
            Attention("sliding-member", "Grace Hopper", "Was active, now inactive."),
            Attention("unanswered-newcomer", "+1", "Asked about lineage; no reply in 48h."),
            Attention("sliding-member", "Extra", "A sixth item the sheet leaves out."),
        ],
        definitions=[
            Definition("Active members", "Members with at least one contribution in the week."),
            Definition("Churned members", "Active 4 to 8 weeks ago and not since."),
        ],
        events=sample_events(),
        event_regions=[
            RegionAttendanceRow("Europe", events=3, attendances=14),
            RegionAttendanceRow("America", events=2, attendances=6),
            RegionAttendanceRow("UTC", events=1, attendances=1),
        ],
        notes={"Prompts": "No prompts yet."},
    )


def sample_events() -> list[EventReportRow]:
    """Four events, newest first: two occurrences of a rotating series, a cancelled webinar, and
    a one-off nobody said they were going to, with a title hostile to spreadsheets."""
    monday = WEEK.start(TIMEZONE)  # 05:00 UTC
    clinic, cancelled = "Data quality clinic", "cancelled"
    return [  # title, starts, status, series, position, region, going, maybe, no, attended
        EventReportRow(
            clinic, monday + timedelta(days=3, hours=13), "scheduled", 7, 4, "America", 8, 3, 2, 6
        ),
        EventReportRow(
            clinic, monday - timedelta(days=4, hours=-4), "scheduled", 7, 3, "Europe", 5, 1, 0, 7
        ),
        EventReportRow(
            "Lineage webinar", monday - timedelta(days=10), cancelled, None, 0, "", 4, 2, 1, 0
        ),
        EventReportRow(
            HOSTILE_NAMES[0], monday - timedelta(weeks=6), "scheduled", None, 0, "", 0, 0, 0, 2
        ),
    ]


def empty_report() -> ReportData:
    """A community's first week: no members, no acts, no check-ins, no history."""
    quiet = WeekFigures(WEEK, *([0] * 12), median_first_reply_minutes=None)
    return ReportData(
        community="New one",
        timezone="UTC",
        week=WEEK,
        generated_at=GENERATED,
        charter=Charter(),
        this_week=quiet,
        last_week=replace(quiet, week=WEEK.shifted(-1)),
        four_week_average=quiet,
        trends=[],
        levels=Levels(0, 0, 0, 0),
        members=[],
        anonymous=AnonymousTotals(0, 0, 0, 0),
        checkins=[],
        cohorts=[],
        activity=[],
        attention=[],
        definitions=[],
    )
