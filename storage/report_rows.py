"""The plain rows of one week's report: what the metric queries return and the workbook shows.

The queries (``storage/metrics_*.py``) fill them in SQL; the writer (``reports/``) only lays them
out, and the delivery (``bot/usecases/reports.py``) only quotes them. Every figure that appears
in the workbook has its definition in ``Definition`` rows, printed beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from storage.report_week import ReportWeek

# The levels of participation over the last four weeks, most engaged first.
LEVELS = ("core", "active", "peripheral", "inactive")


@dataclass(frozen=True)
class Definition:
    """What a figure means, in one sentence, as printed in the workbook."""

    metric: str
    sentence: str


@dataclass(frozen=True)
class WeekFigures:
    """One week's key figures for one community (Summary and Trends sheets, `/cop stats`)."""

    week: ReportWeek
    members: int  # members known at the week's end, opted-out ones included (anonymously)
    active: int
    peripheral: int
    inactive: int
    new: int
    returning: int
    churned: int
    messages: int
    replies: int
    reactions: int
    checkins_sent: int
    checkins_answered: int
    median_first_reply_minutes: float | None  # None: no top-level post got a reply
    prompt_replies: int = 0
    prompt_repliers: int = 0
    events_held: int = 0
    event_attendance: int = 0
    nudges_sent: int = 0
    members_welcomed: int = 0
    pair_groups: int = 0
    members_paired: int = 0
    survey_responses: int = 0

    @property
    def contributions(self) -> int:
        """Messages and thread replies (reactions are not contributions)."""
        return self.messages + self.replies

    @property
    def response_rate(self) -> float | None:
        """Check-ins answered over check-ins sent; None when none was sent."""
        return self.checkins_answered / self.checkins_sent if self.checkins_sent else None


@dataclass(frozen=True)
class Levels:
    """How many members are at each level of participation over the last four weeks."""

    core: int
    active: int
    peripheral: int
    inactive: int


@dataclass(frozen=True)
class MemberRow:
    """One member who has not opted out (Members sheet)."""

    display_name: str
    platform: str
    user_id: str
    cohort: str  # pilot | launch
    level: str  # one of LEVELS
    messages: int
    replies: int
    reactions: int
    checkins_answered: int
    checkins_sent: int
    prompt_replies: int
    events_attended: int
    first_seen: datetime
    last_active: datetime | None


@dataclass(frozen=True)
class AnonymousTotals:
    """What members who opted out did, counted without saying who (Members sheet, last row)."""

    members: int
    messages: int
    replies: int
    reactions: int


@dataclass(frozen=True)
class CheckinRow:
    """One check-in's week (Check-ins sheet)."""

    name: str
    questions: int
    occurrences: int
    sent: int
    answered: int
    previous_rate: float | None  # the rate of the four weeks before, for "fell by a third"

    @property
    def rate(self) -> float | None:
        """Answered over sent; None when none was sent."""
        return self.answered / self.sent if self.sent else None


@dataclass(frozen=True)
class PromptReportRow:
    """A discussion prompt posted in the report's weeks (Prompts sheet)."""

    text: str
    kind: str  # discuss | reflect | research | share
    posted_at: datetime
    replies: int  # in its thread, up to the report week's end
    repliers: int  # distinct members among them


@dataclass(frozen=True)
class ResourceReportRow:
    """A link in the library by the report week's end (Resources sheet)."""

    title: str
    url: str
    tags: str  # "a, b"
    shared_by: str | None  # None: a member who opted out, never named
    shared_at: datetime


@dataclass(frozen=True)
class StoryReportRow:
    """A story told by the report week's end and not withdrawn (Stories sheet)."""

    text: str
    told_by: str | None  # None: a member who opted out ("anonymous")
    kind: str  # story | reflection
    confirmed_at: datetime


@dataclass(frozen=True)
class EventReportRow:
    """An event that started in the report's weeks (Events sheet), cancelled ones included."""

    title: str
    starts_at: datetime
    status: str  # scheduled | cancelled
    series_id: int | None  # None: an event on its own
    position: int  # its place in its series, 0 for the first
    region: str  # for an occurrence of a rotating series: whose working hours it is in
    going: int  # members whose current answer is going
    maybe: int
    cant_go: int  # answered no
    attended: int  # members recorded as there (opted-out ones included)

    @property
    def attendance_rate(self) -> float | None:
        """Attended over going (it can pass 1: people come unannounced); None when nobody said
        going."""
        return self.attended / self.going if self.going else None


@dataclass(frozen=True)
class RegionAttendanceRow:
    """Attendances at the report's events from one region of members' timezones (Events sheet)."""

    region: str  # a timezone's first part: Europe, America, Asia ... or UTC
    events: int  # events that someone from the region attended
    attendances: int


@dataclass(frozen=True)
class CohortRow:
    """Pilot or launch members: how many joined, became active, and stayed (Summary sheet)."""

    cohort: str
    joined: int
    active_ever: int  # contributed at least once since joining
    active_this_week: int
    retained: int  # active in the report's four weeks, of those active before them
    active_before: int = 0  # contributed before the report's four weeks: retention's base

    @property
    def conversion(self) -> float | None:
        """Share of those who joined who ever contributed."""
        return self.active_ever / self.joined if self.joined else None

    @property
    def retention(self) -> float | None:
        """Share of those active before the report's four weeks who were active in them."""
        return self.retained / self.active_before if self.active_before else None


@dataclass(frozen=True)
class ActivityCell:
    """Acts in one hour of one weekday, in the community's timezone (Activity sheet)."""

    weekday: int  # 0 Monday .. 6 Sunday
    hour: int  # 0 .. 23
    acts: int


@dataclass(frozen=True)
class Attention:
    """One thing a facilitator can act on this week, with who or what it is about."""

    kind: str  # unanswered-newcomer | sliding-member | checkin-drop | few-rsvps
    about: str  # a member's display name, a check-in's name, an event's title
    detail: str  # one sentence, for people


@dataclass(frozen=True)
class Charter:
    """The charter as the Summary sheet's header."""

    audience: str = ""
    domain: str = ""
    purpose: str = ""
    goals: str = ""
    outcomes: str = ""


@dataclass(frozen=True)
class SurveyReportRow:
    """One survey open in the report's weeks (Surveys sheet); never who answered."""

    title: str
    anonymous: bool
    sent: int
    responses: int
    opens_at: datetime
    closes_at: datetime | None
    status: str  # scheduled | open | closed
    scale_means: str  # "Q1 4.2 · Q3 7.5": each scale question's mean answer

    @property
    def rate(self) -> float | None:
        """Responses over members asked; None when it was sent to nobody."""
        return self.responses / self.sent if self.sent else None


@dataclass(frozen=True)
class ReportData:
    """Everything one week's report shows, for one community."""

    community: str
    timezone: str
    week: ReportWeek
    generated_at: datetime
    charter: Charter
    this_week: WeekFigures
    last_week: WeekFigures
    four_week_average: WeekFigures  # each figure averaged over the last four weeks (rounded)
    trends: list[WeekFigures]  # the last 12 weeks, oldest first, this week last
    levels: Levels
    members: list[MemberRow]
    anonymous: AnonymousTotals
    checkins: list[CheckinRow]
    cohorts: list[CohortRow]
    activity: list[ActivityCell]  # only the hours with acts
    attention: list[Attention]  # at most five
    definitions: list[Definition]
    prompts: list[PromptReportRow] = field(default_factory=list)  # newest first
    events: list[EventReportRow] = field(default_factory=list)  # newest first
    event_regions: list[RegionAttendanceRow] = field(default_factory=list)  # most attended first
    surveys: list[SurveyReportRow] = field(default_factory=list)  # newest first
    resources: list[ResourceReportRow] = field(default_factory=list)  # newest first
    stories: list[StoryReportRow] = field(default_factory=list)  # newest first
    # Capabilities still to come show a one-line note until they have rows.
    notes: dict[str, str] = field(default_factory=dict)  # sheet name -> "no events yet"
