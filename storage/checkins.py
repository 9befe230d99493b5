"""Queries about check-ins, their schedules, occurrences and answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import String, cast
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from storage.models import Answer, CheckIn, Community, Occurrence, Schedule, ScheduledJob


async def live_checkins(
    *, session: AsyncSession, community_id: int
) -> Sequence[tuple[CheckIn, Schedule]]:
    """A community's check-ins that are not deleted, with their schedules."""
    query = (
        select(CheckIn, Schedule)
        .join(Schedule, col(Schedule.id) == col(CheckIn.schedule_id))
        .where(CheckIn.community_id == community_id, CheckIn.status != "deleted")
        .order_by(col(CheckIn.id))
    )
    return (await session.exec(query)).all()


async def checkin_in(
    *, session: AsyncSession, community_id: int, checkin_id: int
) -> tuple[CheckIn, Schedule] | None:
    """One live check-in of a community, with its schedule."""
    query = (
        select(CheckIn, Schedule)
        .join(Schedule, col(Schedule.id) == col(CheckIn.schedule_id))
        .where(
            CheckIn.id == checkin_id,
            CheckIn.community_id == community_id,
            CheckIn.status != "deleted",
        )
    )
    return (await session.exec(query)).first()


async def add_checkin(
    *,
    session: AsyncSession,
    community_id: int,
    name: str,
    expression: str,
    local_time: bool,
    questions: list[str],
    audience: str,
    via: str,
    share: tuple[str, str, str] | None,
    created_by: int,
    now: datetime,
) -> CheckIn:
    """Create a check-in and its schedule."""
    schedule = Schedule(
        community_id=community_id, expression=expression, local_time=local_time, created_at=now
    )
    session.add(schedule)
    await session.flush()
    assert schedule.id is not None
    platform, workspace, channel = share or (None, None, None)
    checkin = CheckIn(
        community_id=community_id,
        schedule_id=schedule.id,
        name=name,
        questions=questions,
        audience=audience,
        via=via,
        share_platform=platform,
        share_workspace=workspace,
        share_channel=channel,
        created_by=created_by,
        created_at=now,
    )
    session.add(checkin)
    await session.flush()
    return checkin


async def occurrence_by_key(*, session: AsyncSession, key: str) -> Occurrence | None:
    """The occurrence with this idempotency key."""
    return (await session.exec(select(Occurrence).where(Occurrence.key == key))).first()


async def occurrence_with_checkin(
    *, session: AsyncSession, occurrence_id: int
) -> tuple[Occurrence, CheckIn] | None:
    """An occurrence and its check-in."""
    query = (
        select(Occurrence, CheckIn)
        .join(CheckIn, col(CheckIn.id) == col(Occurrence.checkin_id))
        .where(Occurrence.id == occurrence_id)
    )
    return (await session.exec(query)).first()


async def occurrence_in_community(
    *, session: AsyncSession, occurrence_id: int
) -> tuple[Occurrence, CheckIn, Community] | None:
    """An occurrence with its check-in and community."""
    query = (
        select(Occurrence, CheckIn, Community)
        .join(CheckIn, col(CheckIn.id) == col(Occurrence.checkin_id))
        .join(Community, col(Community.id) == col(CheckIn.community_id))
        .where(Occurrence.id == occurrence_id)
    )
    return (await session.exec(query)).first()


async def answered_by(*, session: AsyncSession, occurrence_id: int) -> set[int]:
    """The members who answered an occurrence."""
    query = select(Answer.member_id).where(Answer.occurrence_id == occurrence_id)
    return set((await session.exec(query)).all())


async def answer_of(*, session: AsyncSession, occurrence_id: int, member_id: int) -> Answer | None:
    """A member's answer to an occurrence."""
    query = select(Answer).where(
        Answer.occurrence_id == occurrence_id, Answer.member_id == member_id
    )
    return (await session.exec(query)).first()


async def answer_counts(
    *, session: AsyncSession, checkin_ids: Sequence[int]
) -> dict[int, tuple[int, int, int]]:
    """Per check-in: occurrences, messages sent, answers received."""
    sent = (
        select(
            Occurrence.checkin_id,
            func.count(col(Occurrence.id)),
            func.coalesce(func.sum(Occurrence.sent_count), 0),
        )
        .where(col(Occurrence.checkin_id).in_(checkin_ids), Occurrence.status != "missed")
        .group_by(col(Occurrence.checkin_id))
    )
    answered = (
        select(Occurrence.checkin_id, func.count(col(Answer.id)))
        .join(Answer, col(Answer.occurrence_id) == col(Occurrence.id))
        .where(col(Occurrence.checkin_id).in_(checkin_ids))
        .group_by(col(Occurrence.checkin_id))
    )
    answers = dict((await session.exec(answered)).all())
    return {
        checkin_id: (runs, int(messages), answers.get(checkin_id, 0))
        for checkin_id, runs, messages in (await session.exec(sent)).all()
    }


def _active_query() -> Select[CheckIn, Schedule, Community]:
    """Active check-ins joined with their schedules and communities."""
    return (
        select(CheckIn, Schedule, Community)
        .join(Schedule, col(Schedule.id) == col(CheckIn.schedule_id))
        .join(Community, col(Community.id) == col(CheckIn.community_id))
        .where(CheckIn.status == "active", col(Schedule.active))
        .order_by(col(CheckIn.id))
    )


async def active_checkins(
    *, session: AsyncSession, community_id: int | None = None
) -> Sequence[tuple[CheckIn, Schedule, Community]]:
    """Active check-ins with their schedules and communities (all communities, or one)."""
    query = _active_query()
    if community_id is not None:
        query = query.where(CheckIn.community_id == community_id)
    return (await session.exec(query)).all()


async def active_checkin(
    *, session: AsyncSession, checkin_id: int
) -> tuple[CheckIn, Schedule, Community] | None:
    """One check-in, if it is active, with its schedule and community."""
    return (await session.exec(_active_query().where(CheckIn.id == checkin_id))).first()


async def record_missed(
    *,
    session: AsyncSession,
    checkin_id: int,
    key: str,
    scheduled_for: datetime,
    zone: str | None,
    now: datetime,
) -> None:
    """Record a firing that copbot slept through and was too late to run."""
    session.add(
        Occurrence(
            checkin_id=checkin_id,
            key=key,
            scheduled_for=scheduled_for,
            zone=zone,
            status="missed",
            created_at=now,
        )
    )
    await session.flush()


async def missed_counts(*, session: AsyncSession, checkin_ids: Sequence[int]) -> dict[int, int]:
    """Per check-in, how many firings were missed while copbot was down."""
    query = (
        select(Occurrence.checkin_id, func.count())
        .where(col(Occurrence.checkin_id).in_(checkin_ids), Occurrence.status == "missed")
        .group_by(col(Occurrence.checkin_id))
    )
    return {checkin_id: int(n) for checkin_id, n in (await session.exec(query)).all()}


async def pending_reminders(
    *,
    session: AsyncSession,
    kind: str,
    checkin_ids: Sequence[int],
    start: datetime,
    end: datetime,
) -> int:
    """How many one-off jobs of a kind about these check-ins' occurrences (their reminders) are
    due in a window."""
    if not checkin_ids:
        return 0
    query = (
        select(func.count())
        .select_from(ScheduledJob)
        .join(Occurrence, cast(col(Occurrence.id), String) == col(ScheduledJob.subject))
        .where(
            col(ScheduledJob.kind) == kind,
            col(ScheduledJob.status) == "pending",
            col(ScheduledJob.due_at) >= start,
            col(ScheduledJob.due_at) < end,
            col(Occurrence.checkin_id).in_(checkin_ids),
        )
    )
    return int((await session.exec(query)).one())
