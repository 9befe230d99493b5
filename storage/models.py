"""Every table copbot owns, in one module. Later features add theirs here and in a migration."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

# A naming convention makes constraint names stable, which Alembic needs to alter them later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def _ts(**kwargs: Any) -> Any:
    """An aware timestamp column (UTC)."""
    return Field(sa_column=Column(UTCDateTime(), **kwargs))


class Community(SQLModel, table=True):
    """One community of practice."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=80)
    timezone: str = Field(default="UTC", max_length=64)
    phase: str = Field(default="launch", max_length=16)  # pilot | launch
    created_at: datetime = _ts(nullable=False)


class Workspace(SQLModel, table=True):
    """A Slack workspace, Discord guild or console session that belongs to a community."""

    __table_args__ = (UniqueConstraint("platform", "external_id"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=64)


class Member(SQLModel, table=True):
    """A person in a community; may have identities on several platforms."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    display_name: str = Field(max_length=120)
    timezone: str | None = Field(default=None, max_length=64)
    cohort: str = Field(default="launch", max_length=16)  # pilot | launch
    tracking_opted_out: bool = Field(default=False)
    # Away until this day (inclusive, in the community's timezone): not asked, not a non-responder.
    away_until: date | None = Field(default=None)
    first_seen: datetime = _ts(nullable=False)
    # Whether the platform last said this person administers the workspace (a Slack admin,
    # Discord's Manage Server); kept for when the platform cannot be asked. None: never learnt.
    platform_admin: bool | None = Field(default=None)


class Identity(SQLModel, table=True):
    """A member's account on one platform."""

    __table_args__ = (UniqueConstraint("platform", "workspace", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    platform: str = Field(max_length=16)
    workspace: str = Field(max_length=64)
    user_id: str = Field(max_length=64)
    dm_channel: str | None = Field(default=None, max_length=64)


class RoleGrant(SQLModel, table=True):
    """A role given with ``/cop role add`` (config and platform admins grant theirs implicitly)."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("member_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    role: str = Field(max_length=16)  # facilitator | lead
    granted_by: int | None = Field(default=None, foreign_key="member.id")
    granted_at: datetime = _ts(nullable=False)


class Prompt(SQLModel, table=True):
    """A discussion prompt in a community's queue, posted once when its turn comes."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    text: str = Field(max_length=500)
    kind: str = Field(default="discuss", max_length=16)  # discuss | reflect | research | share
    status: str = Field(default="queued", max_length=16)  # queued | posted | removed
    created_by: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = _ts(nullable=False)
    posted_at: datetime | None = _ts(nullable=True)
    # The outbox row of its post: its platform message id is the thread replies point at.
    post_key: str | None = Field(default=None, max_length=200)


class PromptSchedule(SQLModel, table=True):
    """When and where a community's prompts are posted (one rhythm per community)."""

    __tablename__ = "prompt_schedule"
    community_id: int = Field(foreign_key="community.id", primary_key=True)
    expression: str = Field(max_length=120)
    platform: str = Field(max_length=16)
    workspace: str = Field(max_length=64)
    channel: str = Field(max_length=64)
    active: bool = Field(default=True)
    # The facilitators were told the queue ran dry; the next prompt added clears it.
    told_empty: bool = Field(default=False)
    created_at: datetime = _ts(nullable=False)


class ReportSubscription(SQLModel, table=True):
    """A member's choice about the weekly report: a facilitator who asked for it, or a lead who
    asked to stop it (leads receive it unless they unsubscribe)."""

    __tablename__ = "report_subscription"
    community_id: int = Field(foreign_key="community.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    wants: bool
    updated_at: datetime = _ts(nullable=False)


class Charter(SQLModel, table=True):
    """What the community is for: audience, domain, purpose, goals and expected outcomes."""

    community_id: int = Field(foreign_key="community.id", primary_key=True)
    audience: str = ""
    domain: str = ""
    purpose: str = ""
    goals: str = ""
    outcomes: str = ""
    updated_by: int | None = Field(default=None, foreign_key="member.id")
    updated_at: datetime = _ts(nullable=False)


class Schedule(SQLModel, table=True):
    """A recurrence (``daily 09:00``, ``cron ...``) in the community's or each member's time."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    expression: str = Field(max_length=120)
    local_time: bool = Field(default=False)
    active: bool = Field(default=True)
    created_at: datetime = _ts(nullable=False)


class CheckIn(SQLModel, table=True):
    """Recurring questions sent to an audience."""

    __tablename__ = "checkin"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    schedule_id: int = Field(foreign_key="schedule.id")
    # Unique among a community's live check-ins (checked in code: deleted ones keep their name).
    name: str = Field(max_length=24)
    questions: list[str] = Field(sa_column=Column(JSON, nullable=False))
    audience: str = Field(default="members", max_length=16)  # members | pilot | everyone
    # dm: each member of the audience gets a DM; channel: one message in the share channel
    # (for large communities, and Discord's stance on mass DMs).
    via: str = Field(default="dm", max_length=16)
    share_platform: str | None = Field(default=None, max_length=16)
    share_workspace: str | None = Field(default=None, max_length=64)
    share_channel: str | None = Field(default=None, max_length=64)
    status: str = Field(default="active", max_length=16)  # active | paused | deleted
    created_by: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = _ts(nullable=False)


class Occurrence(SQLModel, table=True):
    """One firing of a check-in; its unique key makes a duplicate firing send nothing twice."""

    id: int | None = Field(default=None, primary_key=True)
    checkin_id: int = Field(foreign_key="checkin.id", index=True)
    key: str = Field(unique=True, max_length=200)
    scheduled_for: datetime = _ts(nullable=False)
    status: str = Field(default="open", max_length=16)  # open | missed
    # For check-ins in each member's local time: the timezone this firing was for.
    zone: str | None = Field(default=None, max_length=64)
    sent_count: int = 0
    created_at: datetime = _ts(nullable=False)


class Answer(SQLModel, table=True):
    """A member's answers to one occurrence, submitted on purpose (so their text is kept)."""

    __table_args__ = (UniqueConstraint("occurrence_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    answers: list[str] = Field(sa_column=Column(JSON, nullable=False))
    submitted_at: datetime = _ts(nullable=False)


class LedgerEntry(SQLModel, table=True):
    """One countable act. Metadata only: never the text of a message.

    ``member_id`` is empty for members who opted out, so they count only in anonymous totals.
    """

    __tablename__ = "ledger"
    __table_args__ = (
        UniqueConstraint("platform", "workspace", "event_id"),
        # A top-level post's replies, for the time to its first reply.
        Index("ix_ledger_parent", "platform", "workspace", "parent_ref"),
        # One community's acts over a span of time: what every report query reads. Kind and
        # member ride along so that those queries read the index alone (revision 0008).
        Index("ix_ledger_community_time", "community_id", "occurred_at", "kind", "member_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    kind: str = Field(max_length=24)
    platform: str = Field(max_length=16)
    workspace: str = Field(max_length=64)
    channel: str | None = Field(default=None, max_length=64)
    event_id: str = Field(max_length=200)
    occurred_at: datetime = _ts(nullable=False, index=True)
    # The platform's id of the message (Slack ts, Discord message id) and, for a thread reply,
    # of the thread's parent message; empty for reactions, joins and acts counted before.
    message_ref: str | None = Field(default=None, max_length=64)
    parent_ref: str | None = Field(default=None, max_length=64)


class OutboxRow(SQLModel, table=True):
    """A message copbot sends on its own, written before it is sent, sent exactly once."""

    __tablename__ = "outbox"
    # Pending sends are withdrawn by what they are (a check-in's reminders) and by whom they
    # are for (a member who went away); sent rows are pruned by age.
    __table_args__ = (
        Index("ix_outbox_kind_subject", "kind", "subject"),
        Index("ix_outbox_recipient", "platform", "workspace", "recipient_user"),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    kind: str | None = Field(default=None, max_length=32)
    subject: str | None = Field(default=None, max_length=64)
    platform: str = Field(max_length=16)
    workspace: str = Field(max_length=64)
    recipient_user: str | None = Field(default=None, max_length=64)
    recipient_channel: str | None = Field(default=None, max_length=64)
    thread_key: str | None = Field(default=None, max_length=200)
    # An edit: the key of the row whose sent message this one updates in place.
    edits_key: str | None = Field(default=None, max_length=200, index=True)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    not_before: datetime = _ts(nullable=False, index=True)
    last_error: str | None = Field(default=None, max_length=500)
    platform_message_id: str | None = Field(default=None, max_length=64)
    # When a process last claimed the row; a "sending" row older than the lease was abandoned.
    claimed_at: datetime | None = _ts(nullable=True)
    created_at: datetime = _ts(nullable=False, index=True)
    sent_at: datetime | None = _ts(nullable=True)
    # The file sent with the message, stored once in outbox_file however many it goes to.
    file_digest: str | None = Field(default=None, max_length=64, index=True)
    # The picture shown with the message (a report's chart), stored the same way.
    image_digest: str | None = Field(default=None, max_length=64, index=True)


class OutboxFile(SQLModel, table=True):
    """A file copbot sends (a report workbook), stored once by its SHA-256, outside the rows."""

    __tablename__ = "outbox_file"
    digest: str = Field(primary_key=True, max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    size: int
    created_at: datetime = _ts(nullable=False)


class JobRun(SQLModel, table=True):
    """One firing of a recurring job (any kind): its unique key makes a second firing a no-op."""

    __tablename__ = "job_run"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    kind: str = Field(max_length=32, index=True)
    subject: str = Field(max_length=64)
    scheduled_for: datetime = _ts(nullable=False)
    status: str = Field(default="ran", max_length=16)  # ran | missed
    created_at: datetime = _ts(nullable=False)


class ScheduledJob(SQLModel, table=True):
    """A one-off job at an instant (a check-in's reminder, an event's, a survey's close)."""

    __tablename__ = "scheduled_job"
    # Withdrawn by what they are about (an event cancelled withdraws its reminders).
    __table_args__ = (Index("ix_scheduled_job_kind_subject", "kind", "subject"),)
    id: int | None = Field(default=None, primary_key=True)
    # Unique, so that scheduling the same job twice (a retried command) keeps one.
    key: str = Field(unique=True, max_length=200)
    kind: str = Field(max_length=32)
    subject: str = Field(max_length=64)
    due_at: datetime = _ts(nullable=False, index=True)
    status: str = Field(
        default="pending", max_length=16, index=True
    )  # pending|done|missed|cancelled|failed
    created_at: datetime = _ts(nullable=False)
    fired_at: datetime | None = _ts(nullable=True)
