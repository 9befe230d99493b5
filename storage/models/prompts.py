"""Discussion prompts: the queue and its rhythm."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.models.base import ts


class Prompt(SQLModel, table=True):
    """A discussion prompt in a community's queue, posted once when its turn comes."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    text: str = Field(max_length=500)
    kind: str = Field(default="discuss", max_length=16)  # discuss | reflect | research | share
    status: str = Field(default="queued", max_length=16)  # queued | posted | removed
    created_by: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = ts(nullable=False)
    posted_at: datetime | None = ts(nullable=True)
    # The outbox row of its post: its platform message id is the thread replies point at.
    post_key: str | None = Field(default=None, max_length=200)


class PromptSchedule(SQLModel, table=True):
    """When and where a community's prompts are posted (one rhythm per community)."""

    __tablename__ = "prompt_schedule"
    community_id: int = Field(foreign_key="community.id", primary_key=True)
    expression: str = Field(max_length=120)
    platform: str = Field(max_length=16)
    workspace: str = Field(max_length=64)
    channel: str = Field(max_length=64)
    active: bool = Field(default=True)
    # The facilitators were told the queue ran dry; the next prompt added clears it.
    told_empty: bool = Field(default=False)
    created_at: datetime = ts(nullable=False)
