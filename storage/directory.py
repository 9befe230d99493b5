"""Queries about communities, workspaces, members, identities and role grants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Community, Identity, Member, RoleGrant, Workspace


async def community_named(*, session: AsyncSession, name: str) -> Community | None:
    """The community with this name."""
    return (await session.exec(select(Community).where(Community.name == name))).first()


async def community_of_workspace(
    *, session: AsyncSession, platform: str, workspace: str
) -> Community | None:
    """The community a Slack workspace, Discord guild or console belongs to."""
    query = (
        select(Community)
        .join(Workspace, col(Workspace.community_id) == col(Community.id))
        .where(Workspace.platform == platform, Workspace.external_id == workspace)
    )
    return (await session.exec(query)).first()


async def add_community(
    *, session: AsyncSession, name: str, timezone: str, now: datetime
) -> Community:
    """Create a community."""
    community = Community(name=name, timezone=timezone, created_at=now)
    session.add(community)
    await session.flush()
    return community


async def bind_workspace(
    *, session: AsyncSession, community_id: int, platform: str, workspace: str
) -> None:
    """Attach a workspace to a community; if it belonged to another, its members move too."""
    query = select(Workspace).where(
        Workspace.platform == platform, Workspace.external_id == workspace
    )
    row = (await session.exec(query)).first()
    if row is None:
        try:
            async with session.begin_nested():
                session.add(
                    Workspace(community_id=community_id, platform=platform, external_id=workspace)
                )
        except IntegrityError:
            row = (await session.exec(query)).one()  # bound a moment ago by another handler
    if row is not None and row.community_id != community_id:
        people = select(Identity.member_id).where(
            Identity.platform == platform, Identity.workspace == workspace
        )
        await session.exec(
            update(Member)
            .where(col(Member.id).in_(people), col(Member.community_id) == row.community_id)
            .values(community_id=community_id)
        )
        row.community_id = community_id
        session.add(row)
    await session.flush()


async def member_by_identity(
    *, session: AsyncSession, platform: str, workspace: str, user_id: str
) -> Member | None:
    """The member behind a platform account."""
    query = (
        select(Member)
        .join(Identity, col(Identity.member_id) == col(Member.id))
        .where(
            Identity.platform == platform,
            Identity.workspace == workspace,
            Identity.user_id == user_id,
        )
    )
    return (await session.exec(query)).first()


# Built once: composing this query costs more than running it, on the path of every command.
_KNOWN_ACTOR = (
    select(Community, Member, RoleGrant.role)
    .join(Workspace, col(Workspace.community_id) == col(Community.id))
    .join(
        Identity,
        (col(Identity.platform) == col(Workspace.platform))
        & (col(Identity.workspace) == col(Workspace.external_id)),
    )
    .join(Member, col(Member.id) == col(Identity.member_id))
    .outerjoin(RoleGrant, col(RoleGrant.member_id) == col(Member.id))
    .where(
        col(Workspace.platform) == bindparam("platform"),
        col(Workspace.external_id) == bindparam("workspace"),
        col(Identity.user_id) == bindparam("user_id"),
    )
)


async def known_actor(
    *, session: AsyncSession, platform: str, workspace: str, user_id: str
) -> tuple[Community, Member, set[str]] | None:
    """In one query: the community of a workspace, the member behind an account in it, and the
    roles granted to them; None unless both the workspace and the member are known."""
    params = {"platform": platform, "workspace": workspace, "user_id": user_id}
    rows = (await session.exec(_KNOWN_ACTOR, params=params)).all()
    if not rows:
        return None
    community, member, _ = rows[0]
    return community, member, {role for _, _, role in rows if role is not None}


async def add_member(
    *,
    session: AsyncSession,
    community_id: int,
    platform: str,
    workspace: str,
    user_id: str,
    display_name: str,
    now: datetime,
) -> Member:
    """Create a member with one platform identity."""
    member = Member(community_id=community_id, display_name=display_name, first_seen=now)
    session.add(member)
    await session.flush()
    assert member.id is not None
    session.add(
        Identity(member_id=member.id, platform=platform, workspace=workspace, user_id=user_id)
    )
    await session.flush()
    return member


async def ensure_member(
    *,
    session: AsyncSession,
    community_id: int,
    platform: str,
    workspace: str,
    user_id: str,
    display_name: str,
    now: datetime,
) -> Member:
    """The member behind a platform account, created if new; safe when two handlers race."""
    found = await member_by_identity(
        session=session, platform=platform, workspace=workspace, user_id=user_id
    )
    if found is not None:
        return found
    try:
        async with session.begin_nested():
            return await add_member(
                session=session,
                community_id=community_id,
                platform=platform,
                workspace=workspace,
                user_id=user_id,
                display_name=display_name,
                now=now,
            )
    except IntegrityError:
        # Another process or task created this person a moment ago: use theirs.
        found = await member_by_identity(
            session=session, platform=platform, workspace=workspace, user_id=user_id
        )
        if found is None:
            raise
        return found


async def ensure_community(
    *, session: AsyncSession, name: str, timezone: str, now: datetime
) -> Community:
    """The community with this name, created if new; safe when two handlers race."""
    found = await community_named(session=session, name=name)
    if found is not None:
        return found
    try:
        async with session.begin_nested():
            return await add_community(session=session, name=name, timezone=timezone, now=now)
    except IntegrityError:
        found = await community_named(session=session, name=name)
        if found is None:
            raise
        return found


async def members_of(*, session: AsyncSession, community_id: int) -> Sequence[Member]:
    """Every member of a community, oldest first."""
    query = select(Member).where(Member.community_id == community_id).order_by(col(Member.id))
    return (await session.exec(query)).all()


async def identities_of(
    *, session: AsyncSession, member_ids: Sequence[int]
) -> dict[int, list[Identity]]:
    """Each member's platform identities, first-made first."""
    query = (
        select(Identity).where(col(Identity.member_id).in_(member_ids)).order_by(col(Identity.id))
    )
    found: dict[int, list[Identity]] = {}
    for identity in (await session.exec(query)).all():
        found.setdefault(identity.member_id, []).append(identity)
    return found


async def granted_roles(*, session: AsyncSession, member_id: int) -> set[str]:
    """Roles given to a member with ``/cop role add``."""
    query = select(RoleGrant.role).where(RoleGrant.member_id == member_id)
    return set((await session.exec(query)).all())


async def grants_in(
    *, session: AsyncSession, community_id: int
) -> Sequence[tuple[RoleGrant, Member]]:
    """Every role grant in a community with its member."""
    query = (
        select(RoleGrant, Member)
        .join(Member, col(Member.id) == col(RoleGrant.member_id))
        .where(Member.community_id == community_id)
        .order_by(col(RoleGrant.role), col(Member.display_name))
    )
    return (await session.exec(query)).all()


async def grant_role(
    *, session: AsyncSession, member_id: int, role: str, granted_by: int | None, now: datetime
) -> bool:
    """Give a role; False if the member had it already."""
    if role in await granted_roles(session=session, member_id=member_id):
        return False
    session.add(RoleGrant(member_id=member_id, role=role, granted_by=granted_by, granted_at=now))
    await session.flush()
    return True


async def revoke_role(*, session: AsyncSession, member_id: int, role: str) -> bool:
    """Take a granted role away; False if there was none."""
    result = await session.exec(
        delete(RoleGrant).where(col(RoleGrant.member_id) == member_id, col(RoleGrant.role) == role)
    )
    return bool(result.rowcount)


async def dm_channel(
    *, session: AsyncSession, platform: str, workspace: str, user_id: str
) -> str | None:
    """The direct-message channel opened with a platform account, if known."""
    query = select(Identity.dm_channel).where(
        Identity.platform == platform, Identity.workspace == workspace, Identity.user_id == user_id
    )
    return (await session.exec(query)).first()


async def remember_dm_channel(
    *, session: AsyncSession, platform: str, workspace: str, user_id: str, channel: str
) -> None:
    """Keep the direct-message channel of a platform account for next time."""
    await session.exec(
        update(Identity)
        .where(
            col(Identity.platform) == platform,
            col(Identity.workspace) == workspace,
            col(Identity.user_id) == user_id,
        )
        .values(dm_channel=channel)
    )


async def communities(*, session: AsyncSession) -> Sequence[Community]:
    """Every community, by name."""
    return (await session.exec(select(Community).order_by(col(Community.name)))).all()


async def workspace_of_dm(
    *, session: AsyncSession, platform: str, user_id: str, channel: str
) -> str | None:
    """The workspace a DM channel was opened from (a DM itself belongs to no workspace)."""
    query = select(Identity.workspace).where(
        Identity.platform == platform, Identity.user_id == user_id
    )
    with_channel = query.where(Identity.dm_channel == channel)
    found = (await session.exec(with_channel)).first()
    if found is not None:
        return found
    # Not opened by copbot yet (or opened by the person): fine if they are in one workspace only.
    workspaces = (await session.exec(query)).all()
    return workspaces[0] if len(workspaces) == 1 else None
