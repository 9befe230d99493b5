"""Onboarding: who was welcomed, once per person ever, and why."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.models.base import ts


class Welcome(SQLModel, table=True):
    """The welcome DM a member was sent (never a second one): when, and what caused it."""

    member_id: int = Field(foreign_key="member.id", primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    welcomed_at: datetime = ts(nullable=False)
    # join (a home channel), message (a first message there), pilot (added to it), launch
    cause: str = Field(max_length=16)
    # The outbox key of the DM: a retried or doubled welcome is recorded and sent once.
    key: str = Field(max_length=200, unique=True)
