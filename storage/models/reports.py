"""The weekly report: who chose to receive it, or to stop it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.models.base import ts


class ReportSubscription(SQLModel, table=True):
    """A member's choice about the weekly report: a facilitator who asked for it, or a lead who
    asked to stop it (leads receive it unless they unsubscribe)."""

    __tablename__ = "report_subscription"
    community_id: int = Field(foreign_key="community.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    wants: bool
    updated_at: datetime = ts(nullable=False)
