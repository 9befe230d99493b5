"""Queries for the resource library: add, find by title or tag (newest first), remove."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Member, Resource


@dataclass(frozen=True)
class SharedResource:
    """A resource with the name of who shared it (None for a member who opted out)."""

    resource: Resource
    shared_by: str | None


def tags_column(tags: list[str]) -> str:
    """Tags as stored: lower case, joined by commas, a comma at each end (``,a,b,``)."""
    return "," + ",".join(tags) + ","


def tags_of(resource: Resource) -> list[str]:
    """A resource's tags, as given."""
    return [t for t in resource.tags.split(",") if t]


async def add_resource(
    *,
    session: AsyncSession,
    community_id: int,
    member_id: int,
    url: str,
    title: str,
    tags: list[str],
    now: datetime,
) -> Resource:
    """Put a link in the community's library."""
    resource = Resource(
        community_id=community_id,
        member_id=member_id,
        url=url,
        title=title,
        tags=tags_column(tags),
        shared_at=now,
    )
    session.add(resource)
    await session.flush()
    return resource


async def resource_in(
    *, session: AsyncSession, community_id: int, resource_id: int
) -> Resource | None:
    """One of a community's resources."""
    found = await session.get(Resource, resource_id)
    return found if found is not None and found.community_id == community_id else None


async def find_resources(
    *, session: AsyncSession, community_id: int, query: str, offset: int, limit: int
) -> tuple[list[SharedResource], int]:
    """The resources whose title or a tag holds ``query`` (every one for an empty query),
    newest first, one page of them; and how many match in all."""
    words = query.lower().split()
    matching = [col(Resource.community_id) == community_id]
    for word in words:
        matching.append(
            or_(
                func.lower(col(Resource.title)).contains(word, autoescape=True),
                col(Resource.tags).contains(word, autoescape=True),
            )
        )
    total = (await session.exec(select(func.count(col(Resource.id))).where(*matching))).one()
    named = (col(Member.tracking_opted_out).is_(False), col(Member.display_name))
    rows = await session.exec(
        select(Resource, *named)
        .join(Member, col(Member.id) == col(Resource.member_id))
        .where(*matching)
        .order_by(col(Resource.shared_at).desc(), col(Resource.id).desc())
        .offset(offset)
        .limit(limit)
    )
    found = [SharedResource(r, name if shown else None) for r, shown, name in rows]
    return found, int(total)
