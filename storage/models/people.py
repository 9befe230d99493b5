"""Who belongs: communities, their workspaces, members, accounts, roles and the charter."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import ts


class Community(SQLModel, table=True):
    """One community of practice."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=80)
    timezone: str = Field(default="UTC", max_length=64)
    phase: str = Field(default="launch", max_length=16)  # pilot | launch
    # When the phase last changed, and when ``/cop phase launch`` ran (once, ever; None: never).
    phase_since: datetime | None = ts(nullable=True)
    launched_at: datetime | None = ts(nullable=True)
    created_at: datetime = ts(nullable=False)


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
    first_seen: datetime = ts(nullable=False)
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
    granted_at: datetime = ts(nullable=False)


class Charter(SQLModel, table=True):
    """What the community is for: audience, domain, purpose, goals and expected outcomes."""

    community_id: int = Field(foreign_key="community.id", primary_key=True)
    audience: str = ""
    domain: str = ""
    purpose: str = ""
    goals: str = ""
    outcomes: str = ""
    updated_by: int | None = Field(default=None, foreign_key="member.id")
    updated_at: datetime = ts(nullable=False)
