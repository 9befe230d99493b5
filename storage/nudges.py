"""Queries about gentle nudges: who has been quiet, who may be nudged, the nudges sent, the
latest prompt posted, and the rhythm."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.audience import reach_identity
from storage.metrics_sql import PARTICIPATION, dialect_of
from storage.models import (
    Identity,
    LedgerEntry,
    Member,
    Nudge,
    NudgeOptOut,
    NudgeSchedule,
    Prompt,
)

# A member is nudged at most once in this span.
NUDGE_SPACING = timedelta(weeks=4)
# Why a quiet member is not nudged, in the order the reasons are checked.
AWAY, OFF, RECENT = "away", "nudge off", "nudged lately"


@dataclass(frozen=True)
class QuietMember:
    """A member who may be nudged, where to reach them, and when they last took part (None:
    never)."""

    member: Member
    identity: Identity
    last_active: datetime | None


def _last_taking_part(community_id: int) -> Any:
    """Each tracked member's last act of taking part (a subquery grouped by member)."""
    return (
        select(LedgerEntry.member_id, func.max(LedgerEntry.occurred_at).label("last"))
        .where(
            col(LedgerEntry.community_id) == community_id,
            col(LedgerEntry.kind).in_(PARTICIPATION),
            col(LedgerEntry.member_id).is_not(None),
        )
        .group_by(col(LedgerEntry.member_id))
        .subquery("taking_part")
    )


def _reason(today: date, now: datetime) -> ColumnElement[Any]:
    """Why a quiet member is left out, or NULL when they may be nudged."""
    off = exists().where(col(NudgeOptOut.member_id) == col(Member.id))
    recent = exists().where(
        col(Nudge.member_id) == col(Member.id), col(Nudge.sent_at) > now - NUDGE_SPACING
    )
    return case(
        (col(Member.away_until) >= today, AWAY),
        (off, OFF),
        (recent, RECENT),
        else_=None,
    )


def _quiet(
    community_id: int, weeks: int, now: datetime, today: date, pilot_only: bool
) -> tuple[Any, Any]:
    """The quiet members (tracked, known for ``weeks``, and no taking part in them) with each
    one's last time and reason to be left out: a select and its reason column."""
    since = now - timedelta(weeks=weeks)
    last = _last_taking_part(community_id)
    first = reach_identity()  # on the platform a linked member prefers
    reason = _reason(today, now).label("reason")
    query = (
        select(Member, Identity, last.c.last, reason)
        .join(first, first.c.member_id == col(Member.id))
        .join(Identity, col(Identity.id) == first.c.first_id)
        .outerjoin(last, last.c.member_id == col(Member.id))
        .where(
            col(Member.community_id) == community_id,
            # Opted out of tracking: their acts are anonymous, so they would all look quiet.
            col(Member.tracking_opted_out).is_(False),
            col(Member.first_seen) <= since,
            or_(last.c.last.is_(None), last.c.last < since),
        )
    )
    if pilot_only:
        query = query.where(col(Member.cohort) == "pilot")
    return query, reason


async def nudgeable(
    *,
    session: AsyncSession,
    community_id: int,
    weeks: int,
    now: datetime,
    today: date,
    pilot_only: bool = False,
) -> list[QuietMember]:
    """The quiet members who may be nudged now, the longest quiet first."""
    query, reason = _quiet(community_id, weeks, now, today, pilot_only)
    last = query.selected_columns[2]
    # Never active first (false sorts before true on both backends), then the longest quiet.
    query = query.where(reason.is_(None)).order_by(last.is_not(None), last, col(Member.id))
    return [QuietMember(m, i, when) for m, i, when, _ in (await session.exec(query)).all()]


async def left_out(
    *,
    session: AsyncSession,
    community_id: int,
    weeks: int,
    now: datetime,
    today: date,
    pilot_only: bool = False,
) -> dict[str, int]:
    """How many quiet members are left out, by reason (counted in SQL)."""
    query, reason = _quiet(community_id, weeks, now, today, pilot_only)
    inner = query.where(reason.is_not(None)).subquery("left_out")
    counted = select(inner.c.reason, func.count()).group_by(inner.c.reason)
    return {str(why): int(n) for why, n in (await session.exec(counted)).all()}


async def record_nudges(
    *, session: AsyncSession, community_id: int, sent: Sequence[tuple[int, str]], at: datetime
) -> list[int]:
    """Record the nudges ``(member id, key)`` not recorded before; the members newly nudged."""
    keys = [key for _, key in sent]
    if not keys:
        return []
    known = set((await session.exec(select(Nudge.key).where(col(Nudge.key).in_(keys)))).all())
    fresh = [(member, key) for member, key in sent if key not in known]
    if fresh:
        # Two sends at once (two processes) both get here: the key keeps one row, as the outbox
        # key keeps one DM and the ledger's event id one row.
        insert = postgresql.insert if dialect_of(session) == "postgresql" else sqlite.insert
        rows = [
            {"community_id": community_id, "member_id": m, "sent_at": at, "key": k}
            for m, k in fresh
        ]
        await session.exec(
            insert(Nudge).values(rows).on_conflict_do_nothing(index_elements=["key"])
        )
    return [member for member, _ in fresh]


async def set_opt_out(*, session: AsyncSession, member_id: int, off: bool, now: datetime) -> bool:
    """Say ``nudge off`` (or ``on``) for a member; whether anything changed."""
    found = await session.get(NudgeOptOut, member_id)
    if off and found is None:
        session.add(NudgeOptOut(member_id=member_id, since=now))
        return True
    if not off and found is not None:
        await session.delete(found)
        return True
    return False


async def latest_prompt(*, session: AsyncSession, community_id: int) -> Prompt | None:
    """The prompt posted last in a community, if any."""
    query = (
        select(Prompt)
        .where(col(Prompt.community_id) == community_id, col(Prompt.status) == "posted")
        .order_by(col(Prompt.posted_at).desc(), col(Prompt.id).desc())
    )
    return (await session.exec(query)).first()


async def schedule_of(*, session: AsyncSession, community_id: int) -> NudgeSchedule | None:
    """A community's nudge rhythm, if it has one."""
    return await session.get(NudgeSchedule, community_id)


async def active_schedules(*, session: AsyncSession) -> Sequence[NudgeSchedule]:
    """Every community's nudge rhythm that is on."""
    return (await session.exec(select(NudgeSchedule).where(col(NudgeSchedule.active)))).all()
