"""Who a community's scheduled items reach, computed in SQL: members, their zones, their counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, or_
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Community, Identity, Member, MemberPreference


def reach_identity() -> Any:
    """Each member's identity to reach them at (a subquery): on the platform they prefer
    (``/cop link prefer:``) if they have an account there, else their first."""
    preferred = case(
        (col(Identity.platform) == col(MemberPreference.platform), col(Identity.id)), else_=None
    )
    return (
        select(
            Identity.member_id,
            func.coalesce(func.min(preferred), func.min(Identity.id)).label("first_id"),
        )
        .outerjoin(MemberPreference, col(MemberPreference.member_id) == col(Identity.member_id))
        .group_by(col(Identity.member_id))
        .subquery()
    )


def members_reached() -> Any:
    """Members, each with the identity to reach them at (``reach_identity``): a select to
    narrow with joins and conditions."""
    first = reach_identity()
    return (
        select(Member, Identity)
        .join(first, first.c.member_id == col(Member.id))
        .join(Identity, col(Identity.id) == first.c.first_id)
    )


def _zone(default_zone: str) -> ColumnElement[str]:
    return func.coalesce(col(Member.timezone), default_zone)


def _conditions(
    community_id: int,
    pilot_only: bool,
    default_zone: str,
    zone: str | None,
    on_day: date | None,
    seen_by: datetime | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Member.community_id) == community_id]
    if pilot_only:
        conditions.append(col(Member.cohort) == "pilot")
    if zone is not None:
        conditions.append(_zone(default_zone) == zone)
    if on_day is not None:
        # Away until a day, inclusive: not asked on that day.
        conditions.append(or_(col(Member.away_until).is_(None), col(Member.away_until) < on_day))
    if seen_by is not None:
        conditions.append(col(Member.first_seen) <= seen_by)
    return conditions


async def audience_members(
    *,
    session: AsyncSession,
    community_id: int,
    pilot_only: bool,
    default_zone: str,
    zone: str | None = None,
    on_day: date | None = None,
    seen_by: datetime | None = None,
) -> Sequence[tuple[Member, Identity]]:
    """The members an item reaches, each with the identity to reach them at, oldest first."""
    query = (
        members_reached()
        .where(and_(*_conditions(community_id, pilot_only, default_zone, zone, on_day, seen_by)))
        .order_by(col(Member.id))
    )
    return (await session.exec(query)).all()


async def audience_counts(
    *, session: AsyncSession, community_id: int, pilot_only: bool, default_zone: str
) -> Sequence[tuple[str, date | None, int]]:
    """How many reachable members live in each zone, by the day they are away until."""
    first = reach_identity()
    zone = _zone(default_zone)
    query = (
        select(zone, col(Member.away_until), func.count())
        .join(first, first.c.member_id == col(Member.id))
        .where(and_(*_conditions(community_id, pilot_only, default_zone, None, None, None)))
        .group_by(zone, col(Member.away_until))
    )
    return [(z, away, int(n)) for z, away, n in (await session.exec(query)).all()]


async def member_zones(
    *, session: AsyncSession, community_ids: Sequence[int]
) -> dict[int, list[str]]:
    """The distinct timezones each community's members live in (theirs, else the community's)."""
    if not community_ids:
        return {}
    zone = func.coalesce(col(Member.timezone), col(Community.timezone))
    query = (
        select(Member.community_id, zone)
        .join(Community, col(Community.id) == col(Member.community_id))
        .where(col(Member.community_id).in_(community_ids))
        .group_by(col(Member.community_id), zone)
        .order_by(zone)
    )
    found: dict[int, list[str]] = {}
    for community_id, name in (await session.exec(query)).all():
        found.setdefault(community_id, []).append(name)
    return found
