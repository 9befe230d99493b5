"""Member pairing: who opted in, a community's pairing rhythm, and each round's groups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import ts


class PairOptIn(SQLModel, table=True):
    """A member who said ``/cop pair join`` (``pair leave`` deletes the row)."""

    __tablename__ = "pair_opt_in"
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    since: datetime = ts(nullable=False)


class PairSchedule(SQLModel, table=True):
    """When a community's opted-in members are paired (one rhythm per community)."""

    __tablename__ = "pair_schedule"
    community_id: int = Field(foreign_key="community.id", primary_key=True)
    expression: str = Field(max_length=120)
    active: bool = Field(default=True)
    created_at: datetime = ts(nullable=False)


class PairRound(SQLModel, table=True):
    """One round of pairing: by hand (``pair run``) or a firing of the rhythm."""

    __tablename__ = "pair_round"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    made_at: datetime = ts(nullable=False, index=True)
    # A firing's key, or the manual run's: a round is made once per key.
    key: str = Field(max_length=200, unique=True)


class PairGroup(SQLModel, table=True):
    """A group of two (or three) members of a round, introduced in one conversation."""

    __tablename__ = "pair_group"
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="pair_round.id", index=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    # The platform the group meets on (its members' preferred or only one).
    platform: str = Field(max_length=16)


class PairMember(SQLModel, table=True):
    """A member of a pairing group."""

    __tablename__ = "pair_member"
    __table_args__ = (UniqueConstraint("group_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="pair_group.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
