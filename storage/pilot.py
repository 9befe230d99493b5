"""Queries for the pilot: who is in it, and moving members between the pilot and launch cohorts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Community, Member


async def pilot_members(*, session: AsyncSession, community_id: int) -> list[Member]:
    """The pilot cohort of a community, by name."""
    query = (
        select(Member)
        .where(col(Member.community_id) == community_id, col(Member.cohort) == "pilot")
        .order_by(func.lower(col(Member.display_name)), col(Member.id))
    )
    return list((await session.exec(query)).all())


async def pilot_size(*, session: AsyncSession, community_id: int) -> int:
    """How many members the pilot cohort has."""
    query = select(func.count()).where(
        col(Member.community_id) == community_id, col(Member.cohort) == "pilot"
    )
    return int((await session.exec(query)).one())


async def set_cohort(
    *, session: AsyncSession, community_id: int, member_ids: Sequence[int], cohort: str
) -> int:
    """Put members in a cohort (pilot or launch); how many changed."""
    if not member_ids:
        return 0
    statement = (
        update(Member)
        .where(
            col(Member.community_id) == community_id,
            col(Member.id).in_(list(member_ids)),
            col(Member.cohort) != cohort,
        )
        .values(cohort=cohort)
        .execution_options(synchronize_session="fetch")
    )
    result = await session.exec(statement)
    return int(result.rowcount or 0)


async def mark_launched(*, session: AsyncSession, community_id: int, now: datetime) -> bool:
    """Launch a community, once: False if it had launched already (two launches at once on
    PostgreSQL: the second waits for the first's row lock, then finds it launched)."""
    statement = (
        update(Community)
        .where(col(Community.id) == community_id, col(Community.launched_at).is_(None))
        .values(phase="launch", phase_since=now, launched_at=now)
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(statement)
    return bool(result.rowcount)
