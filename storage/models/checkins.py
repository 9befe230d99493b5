"""Check-ins: their schedules, each firing (an occurrence) and the answers submitted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import ts


class Schedule(SQLModel, table=True):
    """A recurrence (``daily 09:00``, ``cron ...``) in the community's or each member's time."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    expression: str = Field(max_length=120)
    local_time: bool = Field(default=False)
    active: bool = Field(default=True)
    created_at: datetime = ts(nullable=False)


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
    created_at: datetime = ts(nullable=False)


class Occurrence(SQLModel, table=True):
    """One firing of a check-in; its unique key makes a duplicate firing send nothing twice."""

    id: int | None = Field(default=None, primary_key=True)
    checkin_id: int = Field(foreign_key="checkin.id", index=True)
    key: str = Field(unique=True, max_length=200)
    scheduled_for: datetime = ts(nullable=False)
    status: str = Field(default="open", max_length=16)  # open | missed
    # For check-ins in each member's local time: the timezone this firing was for.
    zone: str | None = Field(default=None, max_length=64)
    sent_count: int = 0
    created_at: datetime = ts(nullable=False)


class Answer(SQLModel, table=True):
    """A member's answers to one occurrence, submitted on purpose (so their text is kept)."""

    __table_args__ = (UniqueConstraint("occurrence_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    answers: list[str] = Field(sa_column=Column(JSON, nullable=False))
    submitted_at: datetime = ts(nullable=False)
