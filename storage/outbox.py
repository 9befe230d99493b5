"""The outbox table: enqueue, claim due rows, and record how each delivery went."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxRow


async def enqueue(*, session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert outbox rows; a row whose key is already there is skipped (sent at most once)."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(OutboxRow).values(list(rows)).on_conflict_do_nothing(index_elements=["key"])
    result = await session.exec(statement)
    return int(result.rowcount or 0)


async def claim_due(
    *, session: AsyncSession, now: datetime, platforms: Sequence[str], limit: int
) -> Sequence[OutboxRow]:
    """Lock and mark ``sending`` the due rows; other processes skip rows locked here."""
    query = (
        select(OutboxRow)
        .where(
            OutboxRow.status == "pending",
            col(OutboxRow.not_before) <= now,
            col(OutboxRow.platform).in_(platforms),
        )
        .order_by(col(OutboxRow.not_before), col(OutboxRow.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = (await session.exec(query)).all()
    for row in rows:
        row.status = "sending"
        row.attempts += 1
        row.claimed_at = now
        session.add(row)
    return rows


async def claim_abandoned(
    *, session: AsyncSession, platforms: Sequence[str], claimed_before: datetime, now: datetime
) -> Sequence[OutboxRow]:
    """Take over rows left ``sending`` longer than the lease: their process stopped mid-send.

    Rows a live process is sending are younger than the lease, or locked, and are left alone.
    """
    query = (
        select(OutboxRow)
        .where(
            OutboxRow.status == "sending",
            col(OutboxRow.platform).in_(platforms),
            col(OutboxRow.claimed_at) < claimed_before,
        )
        .with_for_update(skip_locked=True)
    )
    rows = (await session.exec(query)).all()
    for row in rows:
        row.claimed_at = now
        session.add(row)
    return rows


async def by_key(*, session: AsyncSession, key: str) -> OutboxRow | None:
    """The outbox row with this key."""
    return (await session.exec(select(OutboxRow).where(OutboxRow.key == key))).first()


async def by_id(*, session: AsyncSession, row_id: int) -> OutboxRow | None:
    """The outbox row with this id."""
    return await session.get(OutboxRow, row_id)


async def next_due(*, session: AsyncSession, platforms: Sequence[str]) -> datetime | None:
    """When the earliest pending row becomes due."""
    query = (
        select(OutboxRow.not_before)
        .where(OutboxRow.status == "pending", col(OutboxRow.platform).in_(platforms))
        .order_by(col(OutboxRow.not_before))
        .limit(1)
    )
    return (await session.exec(query)).first()


async def cancel_pending(*, session: AsyncSession, keys: Sequence[str] = (), like: str = "") -> int:
    """Withdraw messages not sent yet: by exact keys, or by a SQL LIKE pattern on the key."""
    condition = col(OutboxRow.key).in_(keys) if keys else col(OutboxRow.key).like(like)
    if not keys and not like:
        return 0
    result = await session.exec(
        update(OutboxRow)
        .where(condition, col(OutboxRow.status) == "pending")
        .values(status="cancelled")
    )
    return int(result.rowcount or 0)


async def pending_between(
    *,
    session: AsyncSession,
    platforms: Sequence[str] | None,
    like: str,
    start: datetime,
    end: datetime,
) -> int:
    """How many messages matching a key pattern are due in a window."""
    query = select(func.count()).where(
        col(OutboxRow.status) == "pending",
        col(OutboxRow.key).like(like),
        col(OutboxRow.not_before) >= start,
        col(OutboxRow.not_before) < end,
    )
    if platforms is not None:
        query = query.where(col(OutboxRow.platform).in_(platforms))
    return int((await session.exec(query)).one())
