"""The outbox table: enqueue, claim due rows, record how each delivery went, withdraw, prune."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Identity, OutboxFile, OutboxRow

# The key of an enqueued row's dict that carries its file, stored apart from the row.
FILE = "file"
IMAGE = "image"  # and the one that carries its picture
FINISHED = ("sent", "failed", "cancelled")


def _insert(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


async def enqueue(*, session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert outbox rows; a row whose key is already there is skipped (sent at most once).

    A row's ``file`` and ``image`` (digest, bytes) go to the file table once, however many rows
    carry them.
    """
    if not rows:
        return 0
    insert = _insert(session)
    files: dict[str, bytes] = {}
    values = []
    for row in rows:
        row = dict(row)
        for key, column in ((FILE, "file_digest"), (IMAGE, "image_digest")):
            attached = row.pop(key, None)
            # A multi-row INSERT needs the same columns in every row.
            row.setdefault(column, None)
            if attached is not None:
                digest, content = attached
                files[digest] = content
                row[column] = digest
        values.append(row)
    if files:
        query = select(OutboxFile.digest).where(col(OutboxFile.digest).in_(files))
        stored = set((await session.exec(query)).all())
        # Bytes already stored are not sent to the database again.
        new = [
            {"digest": d, "content": c, "size": len(c), "created_at": values[0]["created_at"]}
            for d, c in files.items()
            if d not in stored
        ]
        if new:
            await session.exec(
                insert(OutboxFile).values(new).on_conflict_do_nothing(index_elements=["digest"])
            )
    statement = insert(OutboxRow).values(values).on_conflict_do_nothing(index_elements=["key"])
    result = await session.exec(statement)
    return int(result.rowcount or 0)


async def file_content(*, session: AsyncSession, digest: str) -> bytes | None:
    """The bytes of a stored file."""
    found = await session.get(OutboxFile, digest)
    return found.content if found else None


async def lanes_due(
    *, session: AsyncSession, now: datetime, platforms: Sequence[str]
) -> Sequence[tuple[str, str]]:
    """The (platform, workspace) lanes that have rows due."""
    query = (
        select(OutboxRow.platform, OutboxRow.workspace)
        .where(
            OutboxRow.status == "pending",
            col(OutboxRow.not_before) <= now,
            col(OutboxRow.platform).in_(platforms),
        )
        .distinct()
    )
    return [(p, w) for p, w in (await session.exec(query)).all()]


async def due_in_lane(
    *, session: AsyncSession, now: datetime, platform: str, workspace: str, limit: int
) -> Sequence[tuple[OutboxRow, str | None]]:
    """The rows due in one lane, oldest first, each with its recipient's DM channel if known;
    read only: each is claimed when it is sent.

    DMs to people whose DM channel is not known yet come first: opening one has a slower rate
    tier of its own, so opening them early, while the others are posted, ends a fan-out sooner.
    """
    known = and_(
        col(Identity.platform) == col(OutboxRow.platform),
        col(Identity.workspace) == col(OutboxRow.workspace),
        col(Identity.user_id) == col(OutboxRow.recipient_user),
    )
    to_open = and_(col(OutboxRow.recipient_user).is_not(None), col(Identity.dm_channel).is_(None))
    query = (
        select(OutboxRow, Identity.dm_channel)
        .outerjoin(Identity, known)
        .where(
            OutboxRow.status == "pending",
            col(OutboxRow.not_before) <= now,
            OutboxRow.platform == platform,
            OutboxRow.workspace == workspace,
        )
        .order_by(case((to_open, 0), else_=1), col(OutboxRow.not_before), col(OutboxRow.id))
        .limit(limit)
    )
    return [(row, dm) for row, dm in (await session.exec(query)).all()]


async def claim(*, session: AsyncSession, row_id: int, now: datetime) -> OutboxRow | None:
    """Lock one row and mark it ``sending``, if it is still pending and due; None when another
    process has it (locked rows are skipped, not waited for) or it was sent or withdrawn."""
    query = (
        select(OutboxRow)
        .where(
            OutboxRow.id == row_id,
            OutboxRow.status == "pending",
            col(OutboxRow.not_before) <= now,
        )
        .with_for_update(skip_locked=True)
    )
    row = (await session.exec(query)).first()
    if row is None:
        return None
    row.status = "sending"
    row.attempts += 1
    row.claimed_at = now
    session.add(row)
    return row


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


async def edits_around(*, session: AsyncSession, edits_key: str, row_id: int) -> tuple[bool, bool]:
    """For the edit row ``row_id`` of the message keyed ``edits_key``: whether a later edit of
    that message was enqueued (this one is then out of date), and whether an earlier one is
    being sent right now (this one then waits, so that the last edit is the one shown)."""
    query = select(
        func.count().filter(col(OutboxRow.id) > row_id),
        func.count().filter(col(OutboxRow.id) < row_id, col(OutboxRow.status) == "sending"),
    ).where(col(OutboxRow.edits_key) == edits_key, col(OutboxRow.status) != "cancelled")
    later, sending = (await session.exec(query)).one()
    return bool(later), bool(sending)


async def existing_keys(*, session: AsyncSession, keys: Sequence[str]) -> Sequence[str]:
    """Which of these keys have an outbox row (sent or not)."""
    if not keys:
        return []
    query = select(OutboxRow.key).where(col(OutboxRow.key).in_(keys))
    return (await session.exec(query)).all()


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


async def cancel_keys(*, session: AsyncSession, keys: Sequence[str]) -> int:
    """Withdraw messages not sent yet, by their exact keys."""
    if not keys:
        return 0
    result = await session.exec(
        update(OutboxRow)
        .where(col(OutboxRow.key).in_(keys), col(OutboxRow.status) == "pending")
        .values(status="cancelled")
    )
    return int(result.rowcount or 0)


async def cancel_pending(
    *,
    session: AsyncSession,
    kind: str,
    subject: str | None = None,
    recipient_user: str | None = None,
    platform: str | None = None,
    workspace: str | None = None,
) -> int:
    """Withdraw messages not sent yet of one kind: about one subject, to one person, or both.

    A user id is only unique within its platform and workspace: give them with it.
    """
    query = update(OutboxRow).where(col(OutboxRow.status) == "pending", col(OutboxRow.kind) == kind)
    if subject is not None:
        query = query.where(col(OutboxRow.subject) == subject)
    if recipient_user is not None:
        query = query.where(col(OutboxRow.recipient_user) == recipient_user)
    if platform is not None:
        query = query.where(col(OutboxRow.platform) == platform)
    if workspace is not None:
        query = query.where(col(OutboxRow.workspace) == workspace)
    result = await session.exec(query.values(status="cancelled"))
    return int(result.rowcount or 0)


async def prune(*, session: AsyncSession, before: datetime, keep: Sequence[str] = ()) -> int:
    """Delete sent, failed and cancelled rows created before ``before`` (but those of the kinds
    to ``keep``), and the files no row refers to any more; return how many rows went."""
    kept = or_(col(OutboxRow.kind).is_(None), col(OutboxRow.kind).not_in(keep))
    result = await session.exec(
        delete(OutboxRow).where(
            col(OutboxRow.status).in_(FINISHED), col(OutboxRow.created_at) < before, kept
        )
    )
    files = select(OutboxRow.file_digest).where(col(OutboxRow.file_digest).is_not(None))
    images = select(OutboxRow.image_digest).where(col(OutboxRow.image_digest).is_not(None))
    referenced = files.union(images)
    await session.exec(delete(OutboxFile).where(col(OutboxFile.digest).not_in(referenced)))
    return int(result.rowcount or 0)


async def status_counts(*, session: AsyncSession, kind: str, subject: str) -> dict[str, int]:
    """How many messages of one kind about one subject are in each state (pending, sent...)."""
    query = (
        select(col(OutboxRow.status), func.count())
        .where(col(OutboxRow.kind) == kind, col(OutboxRow.subject) == subject)
        .group_by(col(OutboxRow.status))
    )
    return {status: int(n) for status, n in (await session.exec(query)).all()}
