"""Queries about discussion prompts: the queue, its rhythm, the replies in each post's thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.accounts import accounts_of
from storage.models import (
    LedgerEntry,
    Member,
    OutboxRow,
    Prompt,
    PromptSchedule,
    RoleGrant,
)


@dataclass(frozen=True)
class PromptRow:
    """A prompt with what its thread drew: replies and distinct repliers (never their text)."""

    prompt: Prompt
    replies: int
    repliers: int


async def add_prompt(
    *, session: AsyncSession, community_id: int, text: str, kind: str, member_id: int, now: datetime
) -> Prompt:
    """Put a prompt at the end of the community's queue."""
    prompt = Prompt(
        community_id=community_id, text=text, kind=kind, created_by=member_id, created_at=now
    )
    session.add(prompt)
    await session.flush()
    return prompt


async def prompt_in(*, session: AsyncSession, community_id: int, prompt_id: int) -> Prompt | None:
    """One of a community's prompts (removed ones are gone)."""
    found = await session.get(Prompt, prompt_id)
    if found is None or found.community_id != community_id or found.status == "removed":
        return None
    return found


async def next_queued(*, session: AsyncSession, community_id: int) -> Prompt | None:
    """The prompt whose turn is next: the oldest still queued."""
    query = (
        select(Prompt)
        .where(col(Prompt.community_id) == community_id, col(Prompt.status) == "queued")
        .order_by(col(Prompt.id))
    )
    return (await session.exec(query)).first()


async def prompts_with_replies(*, session: AsyncSession, community_id: int) -> list[PromptRow]:
    """Every prompt not removed, queue order, with the replies in its post's thread: ledger
    replies whose parent is the message the post became (counted in SQL)."""
    post = OutboxRow
    reply = LedgerEntry
    query = (
        select(Prompt, func.count(col(reply.id)), func.count(func.distinct(reply.member_id)))
        .outerjoin(post, col(post.key) == col(Prompt.post_key))
        .outerjoin(
            reply,
            and_(
                col(reply.kind) == "reply",
                col(reply.platform) == col(post.platform),
                col(reply.workspace) == col(post.workspace),
                col(reply.parent_ref) == col(post.platform_message_id),
            ),
        )
        .where(col(Prompt.community_id) == community_id, col(Prompt.status) != "removed")
        .group_by(col(Prompt.id))
        .order_by(col(Prompt.id))
    )
    return [PromptRow(p, replies, repliers) for p, replies, repliers in (await session.exec(query))]


async def schedule_of(*, session: AsyncSession, community_id: int) -> PromptSchedule | None:
    """A community's prompt rhythm, if it has one."""
    return await session.get(PromptSchedule, community_id)


async def active_schedules(*, session: AsyncSession) -> Sequence[PromptSchedule]:
    """Every community's prompt rhythm that is on."""
    return (await session.exec(select(PromptSchedule).where(col(PromptSchedule.active)))).all()


async def facilitator_accounts(
    *, session: AsyncSession, community_id: int, configured: Sequence[tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """The platform accounts of a community's facilitators (granted, workspace admins, or
    named in the config as ``(platform, user id)``): one a person."""
    granted = select(RoleGrant.member_id).where(col(RoleGrant.role) == "facilitator")
    found = await accounts_of(
        session=session,
        community_id=community_id,
        chosen=[col(Member.id).in_(granted), col(Member.platform_admin).is_(True)],
        configured=configured,
    )
    return [(platform, workspace, user) for _, platform, workspace, user in found]
