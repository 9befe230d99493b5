"""Queries for member pairing: who opted in, the rhythm, and the rounds made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.audience import reach_identity
from storage.models import Identity, Member, PairOptIn, PairSchedule

# Why an opted-in member is not paired, in the order the reasons are checked.
PRIVACY, AWAY = "opted out of tracking", "away"


async def opted_in(*, session: AsyncSession, member_id: int) -> bool:
    """Whether a member said ``/cop pair join`` (and not ``leave`` since)."""
    return await session.get(PairOptIn, member_id) is not None


async def opted_in_among(*, session: AsyncSession, member_ids: Sequence[int]) -> set[int]:
    """Which of these members are in pairing."""
    if not member_ids:
        return set()
    query = select(PairOptIn.member_id).where(col(PairOptIn.member_id).in_(member_ids))
    return set((await session.exec(query)).all())


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


@dataclass(frozen=True)
class Pairable:
    """A member who may be paired, and the identity they are reached at (their preferred
    platform's, when linked across two)."""

    member: Member
    identity: Identity


def _opted_in(community_id: int, pilot_only: bool) -> Any:
    """The community's opted-in members, with the identity to reach each at."""
    first = reach_identity()
    query = (
        select(Member, Identity)
        .join(PairOptIn, col(PairOptIn.member_id) == col(Member.id))
        .join(first, first.c.member_id == col(Member.id))
        .join(Identity, col(Identity.id) == first.c.first_id)
        .where(col(Member.community_id) == community_id)
    )
    if pilot_only:
        query = query.where(col(Member.cohort) == "pilot")
    return query


def _reason(today: date) -> ColumnElement[Any]:
    """Why an opted-in member is not paired now, or NULL when they may be."""
    return case(
        (col(Member.tracking_opted_out).is_(True), PRIVACY),
        (col(Member.away_until) >= today, AWAY),
        else_=None,
    )


async def pairable(
    *, session: AsyncSession, community_id: int, today: date, pilot_only: bool = False
) -> list[Pairable]:
    """The opted-in members who may be paired today (not away, not opted out of tracking; in
    the pilot while there is one), by member id."""
    query = _opted_in(community_id, pilot_only).where(_reason(today).is_(None))
    rows = (await session.exec(query.order_by(col(Member.id)))).all()
    return [Pairable(member, identity) for member, identity in rows]


async def left_out(
    *, session: AsyncSession, community_id: int, today: date, pilot_only: bool = False
) -> dict[str, int]:
    """How many opted-in members are not paired today, by reason (counted in SQL)."""
    reason = _reason(today).label("reason")
    inner = (
        _opted_in(community_id, pilot_only)
        .add_columns(reason)
        .where(reason.is_not(None))
        .subquery("left_out")
    )
    counted = select(inner.c.reason, func.count()).group_by(inner.c.reason)
    return {str(why): int(n) for why, n in (await session.exec(counted)).all()}


async def schedule_of(*, session: AsyncSession, community_id: int) -> PairSchedule | None:
    """A community's pairing rhythm, if it has one."""
    return await session.get(PairSchedule, community_id)


async def active_schedules(*, session: AsyncSession) -> Sequence[PairSchedule]:
    """Every community's pairing rhythm that is on."""
    return (await session.exec(select(PairSchedule).where(col(PairSchedule.active)))).all()
