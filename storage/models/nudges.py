"""Gentle nudges: each one sent, who said ``nudge off``, and a community's nudge rhythm."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.models.base import ts


class Nudge(SQLModel, table=True):
    """One nudge sent to a quiet member (one a member per four-week window)."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    sent_at: datetime = ts(nullable=False)
    # The outbox key of its DM: a retried or doubled send records and sends it once.
    key: str = Field(max_length=200, unique=True)


class NudgeOptOut(SQLModel, table=True):
    """A member who said ``/cop nudge off``: never nudged until ``nudge on``."""

    __tablename__ = "nudge_opt_out"
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    since: datetime = ts(nullable=False)


class NudgeSchedule(SQLModel, table=True):
    """When a community's quiet members are nudged (one rhythm per community)."""

    __tablename__ = "nudge_schedule"
    community_id: int = Field(foreign_key="community.id", primary_key=True)
    expression: str = Field(max_length=120)
    active: bool = Field(default=True)
    created_at: datetime = ts(nullable=False)
