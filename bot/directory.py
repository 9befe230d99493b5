"""Who is who: find or create the community and member behind an actor, and their roles."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands.spec import Role
from bot.config import CommunityConfig, Config
from bot.events import Actor
from bot.safe_text import printable
from storage import directory
from storage.models import Community, Member

_PLACE_KEYS = {
    "slack": "slack_team_id",
    "discord": "discord_guild_id",
    "console": "console_workspace",
}


def configured_community(config: Config, platform: str, workspace: str) -> CommunityConfig | None:
    """The community the operator bound to this workspace, if any."""
    key = _PLACE_KEYS.get(platform)
    return next((c for c in config.communities if key and getattr(c, key) == workspace), None)


async def apply_config(session: AsyncSession, config: Config, now: datetime) -> None:
    """Create or update the communities named in the config and bind their workspaces."""
    for entry in config.communities:
        community = await directory.community_named(session=session, name=entry.name)
        if community is None:
            community = await _adoptable(session, entry)
        if community is None:
            community = await directory.ensure_community(
                session=session, name=entry.name, timezone=entry.timezone, now=now
            )
        if (community.name, community.timezone) != (entry.name, entry.timezone):
            community.name, community.timezone = entry.name, entry.timezone
            session.add(community)
        assert community.id is not None
        for platform, key in _PLACE_KEYS.items():
            workspace = getattr(entry, key)
            if workspace is not None:
                await directory.bind_workspace(
                    session=session,
                    community_id=community.id,
                    platform=platform,
                    workspace=workspace,
                )


async def _adoptable(session: AsyncSession, entry: CommunityConfig) -> Community | None:
    """A community made with defaults for one of this entry's workspaces before the config named
    it: the config adopts it (renames it), so its members and history stay."""
    for platform, key in _PLACE_KEYS.items():
        workspace = getattr(entry, key)
        if workspace is None:
            continue
        found = await directory.community_of_workspace(
            session=session, platform=platform, workspace=workspace
        )
        if found is not None and found.name == default_name(platform, workspace):
            return found
    return None


def default_name(platform: str, workspace: str) -> str:
    """The name of a community made for a workspace that no config names."""
    return f"{platform}-{workspace}"


async def community_for(
    session: AsyncSession, config: Config, platform: str, workspace: str, now: datetime
) -> Community:
    """The community of a workspace; an unknown workspace becomes a community with defaults."""
    community = await directory.community_of_workspace(
        session=session, platform=platform, workspace=workspace
    )
    if community is not None:
        return community
    entry = configured_community(config, platform, workspace)
    name = entry.name if entry else default_name(platform, workspace)
    community = await directory.ensure_community(
        session=session, name=name, timezone=entry.timezone if entry else "UTC", now=now
    )
    assert community.id is not None
    await directory.bind_workspace(
        session=session, community_id=community.id, platform=platform, workspace=workspace
    )
    return community


def shown_name(actor: Actor) -> str | None:
    """The platform's display name as copbot keeps it: without control characters (a name
    holding one could otherwise carry a reserved token such as a time), at most 120 long."""
    if actor.display_name is None:
        return None
    return printable(actor.display_name, multiline=False)[:120] or None


async def member_for(
    session: AsyncSession, config: Config, actor: Actor, now: datetime
) -> tuple[Community, Member]:
    """The community and member behind an actor, created on first sight."""
    community = await community_for(session, config, actor.platform, actor.workspace, now)
    assert community.id is not None
    member = await directory.ensure_member(
        session=session,
        community_id=community.id,
        platform=actor.platform,
        workspace=actor.workspace,
        user_id=actor.user,
        display_name=shown_name(actor) or actor.user,
        now=now,
    )
    name = shown_name(actor)
    if name and member.display_name != name:
        member.display_name = name
        session.add(member)
    if actor.is_admin is not None and member.platform_admin != actor.is_admin:
        member.platform_admin = actor.is_admin  # kept for when the platform cannot be asked
        session.add(member)
    return community, member


async def known_member(
    session: AsyncSession, actor: Actor
) -> tuple[Community, Member, set[str]] | None:
    """The community and member behind an actor with their granted roles, read in one query;
    None if copbot must write first (a new workspace or person, or a changed display name),
    which ``member_for`` does."""
    found = await directory.known_actor(
        session=session, platform=actor.platform, workspace=actor.workspace, user_id=actor.user
    )
    if found is None:
        return None
    _, member, _ = found
    name = shown_name(actor)
    if name and member.display_name != name:
        return None
    if actor.is_admin is not None and member.platform_admin != actor.is_admin:
        return None
    return found


def configured_roles(entry: CommunityConfig | None, qualified_id: str) -> set[Role]:
    """Roles the config file gives a platform-qualified id."""
    roles: set[Role] = set()
    if entry is not None:
        if qualified_id in entry.facilitators:
            roles.add(Role.FACILITATOR)
        if qualified_id in entry.leads:
            roles.add(Role.LEAD)
    return roles


async def roles_of(
    session: AsyncSession, entry: CommunityConfig | None, actor: Actor, member: Member
) -> frozenset[Role]:
    """Everything an actor may act as: member, plus config, platform-admin and granted roles."""
    assert member.id is not None
    granted = await directory.granted_roles(session=session, member_id=member.id)
    return roles_from(entry, actor, granted, member.platform_admin)


def roles_from(
    entry: CommunityConfig | None,
    actor: Actor,
    granted: set[str],
    stored_admin: bool | None = None,
) -> frozenset[Role]:
    """The roles of an actor given those granted to them with ``/cop role add``; when the
    platform could not say whether they are an admin, the status last stored counts."""
    roles = {Role.MEMBER, *configured_roles(entry, actor.qualified_id)}
    admin = stored_admin if actor.is_admin is None else actor.is_admin
    if admin:
        roles.add(Role.FACILITATOR)
    roles |= {Role(r) for r in granted}
    return frozenset(roles)


async def roles_before_writing(
    session: AsyncSession, config: Config, actor: Actor
) -> frozenset[Role]:
    """The roles an actor would have if copbot wrote them now, read without writing: those of
    the stored member, or a newcomer's (member, config and platform admin)."""
    found = await directory.known_actor(
        session=session, platform=actor.platform, workspace=actor.workspace, user_id=actor.user
    )
    if found is not None:
        community, member, granted = found
        return roles_from(_entry(config, community.name), actor, granted, member.platform_admin)
    bound = await directory.community_of_workspace(
        session=session, platform=actor.platform, workspace=actor.workspace
    )
    if bound is not None:
        entry = _entry(config, bound.name)
    else:
        entry = configured_community(config, actor.platform, actor.workspace)
    return roles_from(entry, actor, set())


def _entry(config: Config, name: str) -> CommunityConfig | None:
    return next((c for c in config.communities if c.name == name), None)
