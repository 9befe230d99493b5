"""The one-year plan: which community applied it, and the ordinary items it created."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.models.base import ts


class PlanApplication(SQLModel, table=True):
    """A plan applied to a community (one at a time): from which month, by whom, where."""

    __tablename__ = "plan_application"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", unique=True)
    template: str = Field(max_length=32)  # one-year
    start_month: str = Field(max_length=7)  # YYYY-MM
    # When its year begins: the first of the start month, or the moment it was applied.
    begins_at: datetime = ts(nullable=False)
    platform: str = Field(max_length=16)
    workspace: str = Field(max_length=64)
    channel: str = Field(max_length=64)
    applied_by: int | None = Field(default=None, foreign_key="member.id")
    applied_at: datetime = ts(nullable=False)


class PlanItem(SQLModel, table=True):
    """An ordinary item a plan created (a check-in, a prompt, ...) and how it was then, so
    that removing the plan can leave what someone changed since."""

    __tablename__ = "plan_item"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan_application.id", index=True)
    kind: str = Field(max_length=32)  # the plan part's name: checkin, prompt, webinar, ...
    item_id: int  # the item's id in its own table (a community or member id for keyed rows)
    fingerprint: str = Field(max_length=64)
