"""Queries about who receives a community's weekly report, and who chose otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, false, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Identity, Member, ReportSubscription, RoleGrant
from storage.workspaces import first_workspaces

# A reader: the member (None for a lead the config names whom copbot has not met yet) and the
# platform account the report goes to.
Reader = tuple[int | None, str, str, str]


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
    ``(platform, user id)``) and members who subscribed, less those who unsubscribed."""
    chosen = select(ReportSubscription.member_id).where(
        col(ReportSubscription.community_id) == community_id
    )
    wanted = chosen.where(col(ReportSubscription.wants))
    declined = chosen.where(~col(ReportSubscription.wants))
    leads = select(RoleGrant.member_id).where(col(RoleGrant.role) == "lead")
    named = [
        and_(col(Identity.platform) == platform, col(Identity.user_id) == user)
        for platform, user in configured_leads
    ]
    query = (
        select(Member.id, Identity.platform, Identity.workspace, Identity.user_id)
        .join(Identity, col(Identity.member_id) == col(Member.id))
        .where(
            col(Member.community_id) == community_id,
            or_(col(Member.id).in_(leads), col(Member.id).in_(wanted), *named or [false()]),
            col(Member.id).not_in(declined),
        )
        .order_by(col(Member.id), col(Identity.id))
    )
    # One DM a reader: a member with accounts on several platforms gets it on the one the
    # config names them by, else on their first.
    configured = set(configured_leads)
    each: dict[int | None, Reader] = {}
    for member, platform, workspace, user in (await session.exec(query)).all():
        if member not in each or (
            (platform, user) in configured and (each[member][1], each[member][3]) not in configured
        ):
            each[member] = (member, platform, workspace, user)
    found = list(each.values())
    # A configured lead copbot has not met yet is reached on the community's workspace; one
    # it has met is in ``found`` already, unless they unsubscribed.
    accounts = select(Identity.platform, Identity.user_id).join(
        Member, col(Member.id) == col(Identity.member_id)
    )
    known = accounts.where(col(Member.community_id) == community_id, or_(*named or [false()]))
    met = set((await session.exec(known)).all())
    workspaces = await first_workspaces(session=session, community_id=community_id)
    found += [
        (None, platform, workspaces[platform], user)
        for platform, user in configured_leads
        if (platform, user) not in met and platform in workspaces
    ]
    return found
