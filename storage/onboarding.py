"""Queries about onboarding: whether someone is due a welcome, and recording many welcomes in
one statement (once per member ever, even with two processes at once)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy
from sqlalchemy import ColumnElement, String, and_, cast, exists, literal, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.audience import members_reached, reach_identity
from storage.metrics_sql import dialect_of, rows_of
from storage.models import Community, Identity, Member, Welcome

CHUNK = 5000  # accounts looked up in one statement


def _welcomable(pilot_only: bool) -> list[ColumnElement[bool]]:
    """Who may be welcomed: never welcomed, tracked, and in the pilot while only it is reached."""
    conditions: list[ColumnElement[bool]] = [
        ~exists().where(col(Welcome.member_id) == col(Member.id)),
        # Opted out of tracking: copbot keeps no record of them, a welcome row included.
        col(Member.tracking_opted_out).is_(False),
    ]
    if pilot_only:
        conditions.append(col(Member.cohort) == "pilot")
    return conditions


async def welcomes_due(
    *, session: AsyncSession, accounts: Sequence[tuple[str, str, str]]
) -> list[tuple[tuple[str, str, str], int, int]]:
    """A query for every few thousand: of these accounts ``(platform, workspace, user id)``,
    those whose member is due a welcome now (never welcomed, tracked, and not waiting for the
    launch), each with its community's id and its member's."""
    if not accounts:
        return []
    waiting = and_(col(Community.phase) == "pilot", col(Member.cohort) != "pilot")
    account = tuple_(col(Identity.platform), col(Identity.workspace), col(Identity.user_id))
    query = (
        sqlalchemy.select(
            col(Identity.platform),
            col(Identity.workspace),
            col(Identity.user_id),
            col(Community.id),
            col(Member.id),
        )
        .join(Member, col(Member.id) == col(Identity.member_id))
        .join(Community, col(Community.id) == col(Member.community_id))
    )
    found = []
    # A round may hold thousands (a spool replayed after an outage): SQLite binds at most
    # 32,766 values a statement, three an account here.
    for start in range(0, len(accounts), CHUNK):
        chunk = list(accounts[start : start + CHUNK])
        rows = await rows_of(
            session, query.where(account.in_(chunk), ~waiting, *_welcomable(False))
        )
        found += [((p, w, u), int(c or 0), int(m or 0)) for p, w, u, c, m in rows]
    return found


async def record_welcomes(
    *,
    session: AsyncSession,
    community_id: int,
    at: datetime,
    cause: str,
    key_prefix: str,
    pilot_only: bool,
    member_ids: Sequence[int] | None = None,
) -> set[int]:
    """Record a welcome for every member of a community (or those of ``member_ids``) who may be
    welcomed and can be reached, in one ``INSERT ... SELECT``; the members newly welcomed.

    Two processes welcoming at once both run it: the primary key keeps one row a member, and
    each learns from ``RETURNING`` which rows were its own (so each DM is sent once)."""
    first = reach_identity()
    chosen = (
        sqlalchemy.select(
            col(Member.id),
            literal(community_id),
            literal(at, Welcome.__table__.c.welcomed_at.type),  # type: ignore[attr-defined]
            literal(cause),
            literal(key_prefix) + cast(col(Member.id), String),
        )
        .join(first, first.c.member_id == col(Member.id))
        .where(col(Member.community_id) == community_id, *_welcomable(pilot_only))
    )
    if member_ids is not None:
        chosen = chosen.where(col(Member.id).in_(member_ids))
    # In one order everywhere: two welcomes at once (a launch, a newcomer) take the rows' locks
    # in the same order on PostgreSQL, so neither waits for the other in a deadlock.
    chosen = chosen.order_by(col(Member.id))
    insert = postgresql.insert if dialect_of(session) == "postgresql" else sqlite.insert
    columns = ["member_id", "community_id", "welcomed_at", "cause", "key"]
    statement = (
        insert(Welcome)
        .from_select(columns, chosen)
        .on_conflict_do_nothing()
        .returning(col(Welcome.member_id))
    )
    return {int(m) for m in (await session.exec(statement)).scalars()}


async def welcomed(
    *, session: AsyncSession, community_id: int, at: datetime, cause: str
) -> Sequence[tuple[Member, Identity]]:
    """The members welcomed at ``at`` for ``cause``, each with the identity to reach them at."""
    query = (
        members_reached()
        .join(Welcome, col(Welcome.member_id) == col(Member.id))
        .where(
            col(Welcome.community_id) == community_id,
            col(Welcome.welcomed_at) == at,
            col(Welcome.cause) == cause,
        )
        .order_by(col(Member.id))
    )
    return (await session.exec(query)).all()
