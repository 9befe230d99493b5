"""Queries for stories told with consent: add, list (never a withdrawn one), withdraw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Member, Story


@dataclass(frozen=True)
class ToldStory:
    """A confirmed story and who told it (None for a member who opted out: anonymous)."""

    story: Story
    told_by: str | None


async def add_story(
    *,
    session: AsyncSession,
    community_id: int,
    member_id: int,
    text: str,
    kind: str,
    now: datetime,
) -> Story:
    """Record a story its author confirmed."""
    story = Story(
        community_id=community_id, member_id=member_id, text=text, kind=kind, confirmed_at=now
    )
    session.add(story)
    await session.flush()
    return story


async def story_in(*, session: AsyncSession, community_id: int, story_id: int) -> Story | None:
    """One of a community's stories that is not withdrawn."""
    found = await session.get(Story, story_id)
    if found is None or found.community_id != community_id or found.withdrawn_at is not None:
        return None
    return found


async def withdraw(*, session: AsyncSession, story: Story, now: datetime) -> None:
    """Take a story out of every later report; its text is deleted, not kept aside."""
    story.text = ""
    story.withdrawn_at = now
    session.add(story)
    await session.flush()


async def told_stories(
    *,
    session: AsyncSession,
    community_id: int,
    until: datetime | None = None,
    limit: int | None = None,
) -> list[ToldStory]:
    """A community's stories not withdrawn (confirmed before ``until``, if given), newest first."""
    query = (
        select(Story, col(Member.tracking_opted_out).is_(False), col(Member.display_name))
        .join(Member, col(Member.id) == col(Story.member_id))
        .where(col(Story.community_id) == community_id, col(Story.withdrawn_at).is_(None))
        .order_by(col(Story.confirmed_at).desc(), col(Story.id).desc())
    )
    if until is not None:
        query = query.where(col(Story.confirmed_at) < until)
    if limit is not None:
        query = query.limit(limit)
    return [ToldStory(s, name if shown else None) for s, shown, name in await session.exec(query)]
