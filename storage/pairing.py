"""Queries for member pairing: who opted in, the rhythm, and the rounds made."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import PairOptIn


async def opted_in(*, session: AsyncSession, member_id: int) -> bool:
    """Whether a member said ``/cop pair join`` (and not ``leave`` since)."""
    return await session.get(PairOptIn, member_id) is not None


async def set_opt_in(
    *, session: AsyncSession, member_id: int, community_id: int, on: bool, now: datetime
) -> bool:
    """Opt a member in to pairing (or out); whether anything changed."""
    found = await session.get(PairOptIn, member_id)
    if on and found is None:
        session.add(PairOptIn(member_id=member_id, community_id=community_id, since=now))
        return True
    if not on and found is not None:
        await session.delete(found)
        return True
    return False
