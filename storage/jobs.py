"""Queries about jobs: firings of recurring jobs (``job_run``), one-off jobs (``scheduled_job``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import JobRun, ScheduledJob

# PostgreSQL channel on which a committed schedule change reaches the scheduler's leader.
CHANGES_CHANNEL = "copbot_schedules"


async def notify_changed(*, session: AsyncSession) -> None:
    """Tell the leading scheduler, when this transaction commits, that schedules changed.

    ``NOTIFY`` is transactional: it is delivered on commit and dropped on rollback. SQLite has no
    other process to tell.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.exec(text(f"NOTIFY {CHANGES_CHANNEL}"))  # type: ignore[call-overload]


async def run_of(*, session: AsyncSession, key: str) -> JobRun | None:
    """The recorded firing with this key."""
    return (await session.exec(select(JobRun).where(JobRun.key == key))).first()


async def record_run(
    *,
    session: AsyncSession,
    key: str,
    kind: str,
    subject: str,
    scheduled_for: datetime,
    status: str,
    now: datetime,
) -> bool:
    """Record a firing (ran or missed); False if another process recorded it first."""
    try:
        async with session.begin_nested():
            session.add(
                JobRun(
                    key=key,
                    kind=kind,
                    subject=subject,
                    scheduled_for=scheduled_for,
                    status=status,
                    created_at=now,
                )
            )
    except IntegrityError:
        return False
    return True


async def schedule_once(
    *, session: AsyncSession, key: str, kind: str, subject: str, due_at: datetime, now: datetime
) -> bool:
    """Add a one-off job (a key already there is kept as it is); True if it was added."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(ScheduledJob)
        .values(
            key=key, kind=kind, subject=subject, due_at=due_at, status="pending", created_at=now
        )
        .on_conflict_do_nothing(index_elements=["key"])
    )
    result = await session.exec(statement)
    added = bool(result.rowcount)
    if added:
        await notify_changed(session=session)
    return added


async def pending_once(*, session: AsyncSession) -> Sequence[ScheduledJob]:
    """Every one-off job still to fire, earliest first."""
    query = (
        select(ScheduledJob)
        .where(ScheduledJob.status == "pending")
        .order_by(col(ScheduledJob.due_at), col(ScheduledJob.id))
    )
    return (await session.exec(query)).all()


async def once_by_id(*, session: AsyncSession, row_id: int) -> ScheduledJob | None:
    """A one-off job by its id."""
    return await session.get(ScheduledJob, row_id)


async def settle_once(*, session: AsyncSession, row_id: int, status: str, now: datetime) -> bool:
    """Mark a pending one-off job done or missed; False if it was no longer pending (another
    process fired it, or it was cancelled)."""
    result = await session.exec(
        update(ScheduledJob)
        .where(col(ScheduledJob.id) == row_id, col(ScheduledJob.status) == "pending")
        .values(status=status, fired_at=now)
    )
    return bool(result.rowcount)


async def cancel_once(*, session: AsyncSession, kind: str, subject: str) -> int:
    """Withdraw the pending one-off jobs of a kind about one subject (an event cancelled)."""
    result = await session.exec(
        update(ScheduledJob)
        .where(
            col(ScheduledJob.kind) == kind,
            col(ScheduledJob.subject) == subject,
            col(ScheduledJob.status) == "pending",
        )
        .values(status="cancelled")
    )
    return int(result.rowcount or 0)
