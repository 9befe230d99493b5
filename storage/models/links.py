"""One person on several platforms: link codes, the attempts to use them, where to reach them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.models.base import ts


class LinkCode(SQLModel, table=True):
    """A one-time code a member made with ``/cop link``, kept only as its sha256."""

    __tablename__ = "link_code"
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    code_hash: str = Field(max_length=64, index=True)
    platform: str = Field(max_length=16)  # where it was made: it is entered on another one
    created_at: datetime = ts(nullable=False)
    expires_at: datetime = ts(nullable=False)
    used_at: datetime | None = ts(nullable=True)


class LinkAttempt(SQLModel, table=True):
    """One ``/cop link code:`` tried by a platform account: wrong ones are rate-limited."""

    __tablename__ = "link_attempt"
    __table_args__ = (Index("ix_link_attempt_account", "platform", "workspace", "user_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace: str = Field(max_length=64)
    user_id: str = Field(max_length=64)
    at: datetime = ts(nullable=False)
    ok: bool


class MemberPreference(SQLModel, table=True):
    """The platform a member with several accounts is reached on (``/cop link prefer:``)."""

    __tablename__ = "member_preference"
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    platform: str = Field(max_length=16)
