"""The report's library and stories: what was shared and told by the report week's end."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import Weeks
from storage.models import Member, Resource, Story
from storage.report_rows import ResourceReportRow, StoryReportRow

# An opted-out member is never named: each query reads whether one may be, beside the name.
# Rows a sheet holds at most: a library past this is searched in chat, not in a workbook.
MAX_ROWS = 2000


async def resource_rows(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> list[ResourceReportRow]:
    """The library as it stood at the report week's end, newest first."""
    query = (
        select(Resource, col(Member.tracking_opted_out).is_(False), col(Member.display_name))
        .join(Member, col(Member.id) == col(Resource.member_id))
        .where(col(Resource.community_id) == community_id, col(Resource.shared_at) < weeks.end)
        .order_by(col(Resource.shared_at).desc(), col(Resource.id).desc())
        .limit(MAX_ROWS)
    )
    return [
        ResourceReportRow(
            title=r.title,
            url=r.url,
            tags=", ".join(t for t in r.tags.split(",") if t),
            shared_by=name if shown else None,
            shared_at=r.shared_at,
        )
        for r, shown, name in await session.exec(query)
    ]


async def story_rows(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> list[StoryReportRow]:
    """The stories told by the report week's end and not withdrawn (now), newest first."""
    query = (
        select(Story, col(Member.tracking_opted_out).is_(False), col(Member.display_name))
        .join(Member, col(Member.id) == col(Story.member_id))
        .where(
            col(Story.community_id) == community_id,
            col(Story.confirmed_at) < weeks.end,
            col(Story.withdrawn_at).is_(None),
        )
        .order_by(col(Story.confirmed_at).desc(), col(Story.id).desc())
        .limit(MAX_ROWS)
    )
    return [
        StoryReportRow(
            text=s.text, told_by=name if shown else None, kind=s.kind, confirmed_at=s.confirmed_at
        )
        for s, shown, name in await session.exec(query)
    ]
