"""Queries for nominations: a reaction suggested a message as a resource or a story, and its
author is asked once whether it may be added."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import LedgerEntry, Nomination, OutboxRow, Prompt


async def nominate(
    *,
    session: AsyncSession,
    community_id: int,
    kind: str,
    platform: str,
    workspace: str,
    channel: str | None,
    message_ref: str,
    author_user: str,
    now: datetime,
) -> Nomination | None:
    """Record that a message was suggested; None if it was suggested (for this kind) before,
    so that its author is asked once."""
    if kind in await nominated_kinds(
        session=session, platform=platform, workspace=workspace, message_ref=message_ref
    ):
        return None
    # copbot's own post (a prompt, a check-in) is nobody's story to consent to.
    own = select(OutboxRow.id).where(
        col(OutboxRow.platform) == platform,
        col(OutboxRow.workspace) == workspace,
        col(OutboxRow.platform_message_id) == message_ref,
    )
    if (await session.exec(own)).first() is not None:
        return None
    reflection = kind == "story" and await _in_reflect_thread(
        session=session, platform=platform, workspace=workspace, message_ref=message_ref
    )
    nomination = Nomination(
        community_id=community_id,
        kind=kind,
        reflection=reflection,
        platform=platform,
        workspace=workspace,
        channel=channel,
        message_ref=message_ref,
        author_user=author_user,
        nominated_at=now,
    )
    # A savepoint: two reactions at once on one message make one nomination, not an error.
    try:
        async with session.begin_nested():
            session.add(nomination)
    except IntegrityError:
        return None
    return nomination


async def nominated_kinds(
    *, session: AsyncSession, platform: str, workspace: str, message_ref: str
) -> set[str]:
    """The kinds (resource, story) a message was already suggested as."""
    query = select(Nomination.kind).where(
        col(Nomination.platform) == platform,
        col(Nomination.workspace) == workspace,
        col(Nomination.message_ref) == message_ref,
    )
    return set((await session.exec(query)).all())


async def _in_reflect_thread(
    *, session: AsyncSession, platform: str, workspace: str, message_ref: str
) -> bool:
    """Whether the message is a reply (as the ledger counted it) in the thread of a posted
    ``reflect`` prompt."""
    reply = LedgerEntry
    post = OutboxRow
    query = select(
        exists()
        .where(
            col(reply.platform) == platform,
            col(reply.workspace) == workspace,
            col(reply.message_ref) == message_ref,
            col(reply.kind) == "reply",
        )
        .where(
            exists().where(
                and_(
                    col(post.platform) == platform,
                    col(post.workspace) == workspace,
                    col(post.platform_message_id) == col(reply.parent_ref),
                    col(post.key) == col(Prompt.post_key),
                    col(Prompt.kind) == "reflect",
                )
            )
        )
    )
    return bool((await session.exec(query)).one())


async def nomination_in(*, session: AsyncSession, nomination_id: int) -> Nomination | None:
    """A nomination by its id."""
    return await session.get(Nomination, nomination_id)


async def say_yes(*, session: AsyncSession, nomination: Nomination) -> bool:
    """Record the author's yes; False if another submission recorded it first (one UPDATE, so
    that of submissions at once, on PostgreSQL too, only one records anything)."""
    said = await session.exec(
        update(Nomination)
        .where(
            col(Nomination.id) == nomination.id,
            or_(col(Nomination.answer).is_(None), col(Nomination.answer) != "yes"),
        )
        .values(answer="yes")
        .execution_options(synchronize_session=False)
    )
    await session.refresh(nomination)
    return bool(said.rowcount)


async def answer(*, session: AsyncSession, nomination: Nomination, said: str) -> None:
    """Record the author's answer (``yes`` once recorded, ``no`` when declined)."""
    nomination.answer = said
    session.add(nomination)
    await session.flush()
