"""Queries about a community's charter."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Charter


async def charter_of(*, session: AsyncSession, community_id: int) -> Charter | None:
    """A community's charter, if written."""
    return await session.get(Charter, community_id)


async def save_charter(
    *,
    session: AsyncSession,
    community_id: int,
    fields: dict[str, str],
    member_id: int,
    now: datetime,
) -> Charter:
    """Write (or rewrite) a community's charter."""
    charter = await session.get(Charter, community_id) or Charter(
        community_id=community_id, updated_at=now
    )
    for name, value in fields.items():
        setattr(charter, name, value)
    charter.updated_by = member_id
    charter.updated_at = now
    session.add(charter)
    await session.flush()
    return charter
