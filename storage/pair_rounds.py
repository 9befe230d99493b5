"""Queries about pairing rounds: storing one, the pairs of the last rounds, and the history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Member, PairGroup, PairMember, PairRound


@dataclass(frozen=True)
class RoundShown:
    """One round as ``/cop pair history`` shows it: when, and each group's members' names."""

    made_at: datetime
    groups: list[list[str]]


async def round_by_key(*, session: AsyncSession, key: str) -> PairRound | None:
    """The round made for a key (a firing's, a manual run's), if it was made."""
    return (await session.exec(select(PairRound).where(col(PairRound.key) == key))).first()


def _last_rounds(community_id: int, rounds: int) -> Any:
    """The ids of a community's last ``rounds`` rounds (a subquery)."""
    return (
        select(PairRound.id)
        .where(col(PairRound.community_id) == community_id)
        .order_by(col(PairRound.made_at).desc(), col(PairRound.id).desc())
        .limit(rounds)
        .subquery("last_rounds")
    )


async def recent_pairs(
    *, session: AsyncSession, community_id: int, rounds: int
) -> set[frozenset[int]]:
    """Every two members grouped together in the community's last ``rounds`` rounds."""
    if rounds <= 0:
        return set()
    last = _last_rounds(community_id, rounds)
    one, other = aliased(PairMember), aliased(PairMember)
    query = (
        select(one.member_id, other.member_id)
        .join(other, col(other.group_id) == col(one.group_id))
        .join(PairGroup, col(PairGroup.id) == col(one.group_id))
        .where(
            col(PairGroup.round_id).in_(select(last.c.id)),
            col(one.member_id) < col(other.member_id),
        )
        .distinct()
    )
    return {frozenset(pair) for pair in (await session.exec(query)).all()}


async def record_round(
    *,
    session: AsyncSession,
    community_id: int,
    key: str,
    made_at: datetime,
    groups: Sequence[tuple[str, Sequence[int]]],
) -> list[int]:
    """Store a round and its groups ``(platform, member ids)``; the groups' ids, in order."""
    made = PairRound(community_id=community_id, made_at=made_at, key=key)
    session.add(made)
    await session.flush()
    assert made.id is not None
    rows = [PairGroup(round_id=made.id, community_id=community_id, platform=p) for p, _ in groups]
    session.add_all(rows)
    await session.flush()
    session.add_all(
        PairMember(group_id=row.id or 0, member_id=member)
        for row, (_, members) in zip(rows, groups, strict=True)
        for member in members
    )
    return [row.id or 0 for row in rows]


async def last_rounds(*, session: AsyncSession, community_id: int, limit: int) -> list[RoundShown]:
    """A community's last rounds, the newest first, with each group's members' names."""
    last = _last_rounds(community_id, limit)
    query = (
        select(PairRound.id, PairRound.made_at, PairGroup.id, Member.display_name)
        .join(PairGroup, col(PairGroup.round_id) == col(PairRound.id))
        .join(PairMember, col(PairMember.group_id) == col(PairGroup.id))
        .join(Member, col(Member.id) == col(PairMember.member_id))
        .where(col(PairRound.id).in_(select(last.c.id)))
        .order_by(
            col(PairRound.made_at).desc(),
            col(PairRound.id).desc(),
            col(PairGroup.id),
            col(Member.display_name),
        )
    )
    shown: dict[int | None, RoundShown] = {}
    groups: dict[int | None, list[str]] = {}
    for round_id, made_at, group_id, name in (await session.exec(query)).all():
        found = shown.setdefault(round_id, RoundShown(made_at, []))
        if group_id not in groups:
            groups[group_id] = []
            found.groups.append(groups[group_id])
        groups[group_id].append(name)
    return list(shown.values())


async def last_group_of(
    *, session: AsyncSession, member_id: int
) -> tuple[datetime, list[str]] | None:
    """When a member was last paired and the names of the others in that group, if ever."""
    mine = (
        select(PairMember.group_id, PairRound.made_at)
        .join(PairGroup, col(PairGroup.id) == col(PairMember.group_id))
        .join(PairRound, col(PairRound.id) == col(PairGroup.round_id))
        .where(col(PairMember.member_id) == member_id)
        .order_by(col(PairRound.made_at).desc(), col(PairGroup.id).desc())
    )
    latest = (await session.exec(mine)).first()
    if latest is None:
        return None
    group_id, made_at = latest
    names = select(Member.display_name).join(
        PairMember, col(PairMember.member_id) == col(Member.id)
    )
    names = names.where(col(PairMember.group_id) == group_id, col(Member.id) != member_id)
    return made_at, sorted((await session.exec(names.order_by(col(Member.display_name)))).all())
