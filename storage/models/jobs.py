"""The job engine: firings of recurring jobs, and one-off jobs waiting for their instant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.models.base import ts


class JobRun(SQLModel, table=True):
    """One firing of a recurring job (any kind): its unique key makes a second firing a no-op."""

    __tablename__ = "job_run"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    kind: str = Field(max_length=32, index=True)
    subject: str = Field(max_length=64)
    scheduled_for: datetime = ts(nullable=False)
    status: str = Field(default="ran", max_length=16)  # ran | missed
    created_at: datetime = ts(nullable=False)


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
    due_at: datetime = ts(nullable=False, index=True)
    status: str = Field(
        default="pending", max_length=16, index=True
    )  # pending|done|missed|cancelled|failed
    created_at: datetime = ts(nullable=False)
    fired_at: datetime | None = ts(nullable=True)
