"""Queries about who receives a community's weekly report, and who chose otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.accounts import Account, accounts_of
from storage.models import Identity, Member, ReportSubscription, RoleGrant

Reader = Account  # the member (None if not met yet) and the account the report goes to


async def choose(
    *, session: AsyncSession, community_id: int, member_id: int, wants: bool, now: datetime
) -> None:
    """Record that a member wants the weekly report, or does not."""
    insert = sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert
    values = {"community_id": community_id, "member_id": member_id, "wants": wants}
    statement = insert(ReportSubscription).values(**values, updated_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=["community_id", "member_id"], set_={"wants": wants, "updated_at": now}
    )
    await session.exec(statement)


async def choice_of(*, session: AsyncSession, community_id: int, member_id: int) -> bool | None:
    """What a member chose about the weekly report; None if they never said."""
    found = await session.get(ReportSubscription, (community_id, member_id))
    return found.wants if found is not None else None


async def identity_of(
    *, session: AsyncSession, platform: str, workspace: str, user_id: str
) -> Identity | None:
    """The platform account a report is asked from (and sent to)."""
    query = select(Identity).where(
        col(Identity.platform) == platform,
        col(Identity.workspace) == workspace,
        col(Identity.user_id) == user_id,
    )
    return (await session.exec(query)).first()


async def readers(
    *, session: AsyncSession, community_id: int, configured_leads: Sequence[tuple[str, str]]
) -> list[Reader]:
    """Who receives the weekly report: leads (granted, or named in the config as
    ``(platform, user id)``) and members who subscribed, less those who unsubscribed; one
    DM a reader."""
    chosen = select(ReportSubscription.member_id).where(
        col(ReportSubscription.community_id) == community_id
    )
    leads = select(RoleGrant.member_id).where(col(RoleGrant.role) == "lead")
    return await accounts_of(
        session=session,
        community_id=community_id,
        chosen=[
            col(Member.id).in_(leads),
            col(Member.id).in_(chosen.where(col(ReportSubscription.wants))),
        ],
        configured=configured_leads,
        excluded=col(Member.id).in_(chosen.where(~col(ReportSubscription.wants))),
    )
