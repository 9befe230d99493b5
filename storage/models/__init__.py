"""Every table copbot owns, gathered in one place: ``from storage.models import Member``.
Each capability's tables live in a module of their own beside this one, with a migration."""

from __future__ import annotations

from storage.models.base import metadata
from storage.models.checkins import Answer, CheckIn, Occurrence, Schedule
from storage.models.events import Event, EventAttendance, EventRsvp, EventSeries
from storage.models.jobs import JobRun, ScheduledJob
from storage.models.knowledge import Nomination, Resource, Story
from storage.models.ledger import LedgerEntry
from storage.models.links import LinkAttempt, LinkCode, MemberPreference
from storage.models.nudges import Nudge, NudgeOptOut, NudgeSchedule
from storage.models.onboarding import Welcome
from storage.models.outbox import OutboxFile, OutboxRow
from storage.models.pairing import PairGroup, PairMember, PairOptIn, PairRound, PairSchedule
from storage.models.people import Charter, Community, Identity, Member, RoleGrant, Workspace
from storage.models.plans import PlanApplication, PlanItem
from storage.models.prompts import Prompt, PromptSchedule
from storage.models.reports import ReportSubscription
from storage.models.surveys import (
    Survey,
    SurveyAnswer,
    SurveyDraft,
    SurveyRecipient,
    SurveyResponse,
)

__all__ = [
    "Answer",
    "Charter",
    "CheckIn",
    "Community",
    "Event",
    "EventAttendance",
    "EventRsvp",
    "EventSeries",
    "Identity",
    "JobRun",
    "LedgerEntry",
    "LinkAttempt",
    "LinkCode",
    "Member",
    "MemberPreference",
    "Nomination",
    "Nudge",
    "NudgeOptOut",
    "NudgeSchedule",
    "Occurrence",
    "OutboxFile",
    "OutboxRow",
    "PairGroup",
    "PairMember",
    "PairOptIn",
    "PairRound",
    "PairSchedule",
    "PlanApplication",
    "PlanItem",
    "Prompt",
    "PromptSchedule",
    "ReportSubscription",
    "Resource",
    "RoleGrant",
    "Schedule",
    "ScheduledJob",
    "Story",
    "Survey",
    "SurveyAnswer",
    "SurveyDraft",
    "SurveyRecipient",
    "SurveyResponse",
    "Welcome",
    "Workspace",
    "metadata",
]
