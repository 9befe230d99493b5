"""The participation ledger: one row per countable act, never the text of a message."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import ts


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
    occurred_at: datetime = ts(nullable=False, index=True)
    # The platform's id of the message (Slack ts, Discord message id) and, for a thread reply,
    # of the thread's parent message; empty for reactions, joins and acts counted before.
    message_ref: str | None = Field(default=None, max_length=64)
    parent_ref: str | None = Field(default=None, max_length=64)
