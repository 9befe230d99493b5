"""The participation ledger: append-only, one row per countable act, de-duplicated by event id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import LedgerEntry


async def append(*, session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert ledger rows, skipping any whose (platform, workspace, event_id) is already there."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(LedgerEntry)
        .values(list(rows))
        .on_conflict_do_nothing(index_elements=["platform", "workspace", "event_id"])
    )
    result = await session.exec(statement)
    return int(result.rowcount or 0)


def _skipping_duplicates(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # The table, not the ORM entity: the ORM's bulk path would process every row in Python.
    table = SQLModel.metadata.tables["ledger"]
    return insert(table).on_conflict_do_nothing(
        index_elements=["platform", "workspace", "event_id"]
    )


# Ledger rows of what copbot did towards a member (who and when), not acts of theirs.
COPBOT_KINDS = ("nudge", "pair", "welcome")


async def append_many(
    *, session: AsyncSession, rows: Sequence[dict[str, Any]], chunk: int = 100
) -> None:
    """Insert many ledger rows as one prepared statement per chunk (the driver's executemany),
    skipping duplicates; unlike ``append`` it compiles no multi-row VALUES on the event loop."""
    if not rows:
        return
    statement = _skipping_duplicates(session.get_bind().dialect.name)
    for start in range(0, len(rows), chunk):
        # The executemany form: SQLAlchemy compiles the statement once, the driver sends the
        # parameters (asyncpg pipelines them; aiosqlite runs them in its own thread).
        await session.exec(statement, params=list(rows[start : start + chunk]))


async def counts_by_kind(
    *, session: AsyncSession, member_id: int, since: datetime | None = None
) -> dict[str, int]:
    """How many acts of each kind a member has in the ledger (since a time, or ever); copbot's
    own acts towards them (a nudge, their welcome) are not theirs."""
    query = select(LedgerEntry.kind, func.count()).where(
        LedgerEntry.member_id == member_id, col(LedgerEntry.kind).not_in(COPBOT_KINDS)
    )
    if since is not None:
        query = query.where(col(LedgerEntry.occurred_at) >= since)
    rows = (await session.exec(query.group_by(col(LedgerEntry.kind)))).all()
    return {kind: int(count) for kind, count in rows}


async def anonymise(*, session: AsyncSession, member_id: int) -> int:
    """Detach a member from their ledger rows (copbot's towards them too), so that they count
    only in anonymous totals; how many of them were their own acts."""
    acts = await counts_by_kind(session=session, member_id=member_id)
    statement = (
        update(LedgerEntry).where(col(LedgerEntry.member_id) == member_id).values(member_id=None)
    )
    await session.exec(statement)
    return sum(acts.values())


async def last_active(*, session: AsyncSession, member_id: int) -> datetime | None:
    """When a member last did something countable."""
    query = select(func.max(LedgerEntry.occurred_at)).where(LedgerEntry.member_id == member_id)
    return (await session.exec(query)).first()


async def community_week(
    *, session: AsyncSession, community_id: int, since: datetime
) -> tuple[int, dict[str, int]]:
    """Members with at least one act of their own since a time, and those acts by kind
    (anonymous ones too)."""
    # People's own acts: copbot's towards them (a welcome, a pairing, a nudge) are not.
    theirs = (
        LedgerEntry.community_id == community_id,
        col(LedgerEntry.occurred_at) >= since,
        col(LedgerEntry.kind).not_in(COPBOT_KINDS),
    )
    active = select(func.count(func.distinct(LedgerEntry.member_id))).where(*theirs)
    kinds = select(LedgerEntry.kind, func.count()).where(*theirs).group_by(col(LedgerEntry.kind))
    counts = {kind: int(count) for kind, count in (await session.exec(kinds)).all()}
    return int((await session.exec(active)).one()), counts
