"""Queries about whom copbot reaches where: the platform accounts of chosen members, and the
workspaces a community lives in (for people the config names whom copbot has not met)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, false, or_
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Identity, Member, MemberPreference, Workspace

# An account copbot reaches: the member (None for someone the config names whom copbot has
# not met yet), the platform, the workspace and the user id.
Account = tuple[int | None, str, str, str]


async def first_workspaces(*, session: AsyncSession, community_id: int) -> dict[str, str]:
    """Per platform, the community's first bound workspace: where copbot reaches someone the
    config names whom it has not met yet."""
    places = await session.exec(
        select(Workspace.platform, Workspace.external_id)
        .where(col(Workspace.community_id) == community_id)
        .order_by(col(Workspace.id))
    )
    workspaces: dict[str, str] = {}
    for platform, external_id in places.all():
        workspaces.setdefault(platform, external_id)
    return workspaces


async def accounts_of(
    *,
    session: AsyncSession,
    community_id: int,
    chosen: Sequence[ColumnElement[bool]],
    configured: Sequence[tuple[str, str]],
    excluded: ColumnElement[bool] | None = None,
) -> list[Account]:
    """One account a person: members who meet any of ``chosen`` or whom the config names as
    ``(platform, user id)``, less the ``excluded``; a member with accounts on several platforms
    on the one they prefer (``/cop link prefer:``), else the one the config names, else their
    first; then the named people not met yet, on the community's workspace of their platform."""
    named = [and_(col(Identity.platform) == p, col(Identity.user_id) == u) for p, u in configured]
    # Members the config names by one account: all their accounts, to pick the preferred one.
    by = aliased(Identity)
    named_accounts = [and_(col(by.platform) == p, col(by.user_id) == u) for p, u in configured]
    named_members = col(Member.id).in_(
        select(by.member_id).where(or_(*named_accounts, false())).correlate(None)
    )
    query = (
        select(Member.id, Identity.platform, Identity.workspace, Identity.user_id)
        .join(Identity, col(Identity.member_id) == col(Member.id))
        .where(col(Member.community_id) == community_id, or_(*chosen, named_members))
        .order_by(col(Member.id), col(Identity.id))
    )
    if excluded is not None:
        query = query.where(~excluded)
    wanted = set(configured)
    each: dict[int | None, Account] = {}
    rows = (await session.exec(query)).all()
    preferences = await _preferences(session, {m for m, *_ in rows if m is not None})
    for member, platform, workspace, user in rows:
        account = (member, platform, workspace, user)
        preferred = preferences.get(member) if member is not None else None
        if member not in each or _better(account, each[member], preferred, wanted):
            each[member] = account
    # Someone named who is a member already is above (or excluded on purpose), never twice.
    known = (
        select(Identity.platform, Identity.user_id)
        .join(Member, col(Member.id) == col(Identity.member_id))
        .where(col(Member.community_id) == community_id, or_(*named, false()))
    )
    met = set((await session.exec(known)).all())
    workspaces = await first_workspaces(session=session, community_id=community_id)
    return [*each.values()] + [
        (None, p, workspaces[p], u) for p, u in configured if (p, u) not in met and p in workspaces
    ]


def _better(
    new: Account, old: Account, preferred: str | None, wanted: set[tuple[str, str]]
) -> bool:
    """Whether an account reaches its member better than one found before: on the platform
    they prefer, else the one the config names."""
    if preferred is not None and (new[1] == preferred) != (old[1] == preferred):
        return new[1] == preferred
    return new[1::2] in wanted and old[1::2] not in wanted


async def _preferences(session: AsyncSession, member_ids: set[int]) -> dict[int, str]:
    """The platform each of these members chose to be reached on, for those who chose."""
    if not member_ids:
        return {}
    query = select(MemberPreference.member_id, MemberPreference.platform).where(
        col(MemberPreference.member_id).in_(member_ids)
    )
    return dict((await session.exec(query)).all())
