"""The community's knowledge: shared resources, stories told with consent, and the nominations
that ask a message's author whether it may become one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import ts

MAX_URL = 2000
MAX_TITLE = 200
MAX_TAGS = 300
MAX_STORY = 3000


class Resource(SQLModel, table=True):
    """A link in the community's library (``resource remove`` deletes the row)."""

    __tablename__ = "resource"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    url: str = Field(max_length=MAX_URL)
    title: str = Field(max_length=MAX_TITLE)
    # Lower-case tags joined by commas, with a comma at each end so that one tag is found whole.
    tags: str = Field(default=",", max_length=MAX_TAGS + 2)
    shared_at: datetime = ts(nullable=False, index=True)


class Story(SQLModel, table=True):
    """A success story or a reflection on practice, in the words its author confirmed."""

    __tablename__ = "story"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    text: str = Field(max_length=MAX_STORY)
    kind: str = Field(default="story", max_length=16)  # story | reflection
    confirmed_at: datetime = ts(nullable=False, index=True)
    # Withdrawn by its author: the text is gone and no report shows it again.
    withdrawn_at: datetime | None = ts(nullable=True)


class Nomination(SQLModel, table=True):
    """Someone reacted to a message to suggest it as a resource or a story; its author is
    asked once. Only the platform's ids of the message: never its text."""

    __tablename__ = "nomination"
    __table_args__ = (UniqueConstraint("platform", "workspace", "message_ref", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    kind: str = Field(max_length=16)  # resource | story
    # A reply in a reflect prompt's thread: the story it becomes is a reflection.
    reflection: bool = Field(default=False)
    platform: str = Field(max_length=16)
    workspace: str = Field(max_length=64)
    channel: str | None = Field(default=None, max_length=64)
    message_ref: str = Field(max_length=64)
    author_user: str = Field(max_length=64)
    nominated_at: datetime = ts(nullable=False)
    # yes (recorded) | no (declined); empty while the author has not answered.
    answer: str | None = Field(default=None, max_length=8)
