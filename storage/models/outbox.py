"""The outbox: what copbot sends on its own, and the files it sends, stored once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from storage.models.base import ts


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
    not_before: datetime = ts(nullable=False, index=True)
    last_error: str | None = Field(default=None, max_length=500)
    platform_message_id: str | None = Field(default=None, max_length=64)
    # When a process last claimed the row; a "sending" row older than the lease was abandoned.
    claimed_at: datetime | None = ts(nullable=True)
    created_at: datetime = ts(nullable=False, index=True)
    sent_at: datetime | None = ts(nullable=True)
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
    created_at: datetime = ts(nullable=False)
