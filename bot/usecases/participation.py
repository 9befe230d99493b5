"""Participation tracking: inbound chat events become ledger rows, metadata only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import directory
from bot.context import Services
from bot.events import MemberJoined, MemberLeft, MessagePosted, Place, ReactionAdded
from storage import directory as directory_store
from storage import member_batches
from storage.member_batches import IdentityKey, MemberFacts
from storage.models import Community, Member

Countable = MessagePosted | ReactionAdded | MemberJoined | MemberLeft


def ledger_row(
    community: Community,
    member: Member,
    kind: str,
    platform: str,
    workspace: str,
    channel: str | None,
    event_id: str,
    at: datetime,
) -> dict[str, Any]:
    """One ledger row; an opted-out member's act is recorded without their id (anonymous totals)."""
    return {
        "community_id": community.id,
        "member_id": None if member.tracking_opted_out else member.id,
        "kind": kind,
        "platform": platform,
        "workspace": workspace,
        "channel": channel,
        "event_id": event_id,
        "occurred_at": at,
    }


def kind_of(event: Countable) -> str:
    """The ledger kind of an inbound event."""
    if isinstance(event, MessagePosted):
        return "reply" if event.is_reply else "message"
    if isinstance(event, ReactionAdded):
        return "reaction"
    if isinstance(event, MemberJoined):
        return "join"
    return "leave"


def row_for(event: Countable, community: Community, member: Member) -> dict[str, Any]:
    """The ledger row an inbound event becomes."""
    return ledger_row(
        community,
        member,
        kind_of(event),
        event.place.platform,
        event.place.workspace,
        event.place.channel,
        event.event_id,
        event.at,
    )


def _counted_here(services: Services, community: Community, place: Place) -> bool:
    entry = services.community_config(community.name)
    if entry and place.channel is not None:
        return entry.counts_channel(place.platform, place.channel)
    return True


async def rows_for_batch(
    services: Services, session: AsyncSession, acts: Sequence[Countable]
) -> list[dict[str, Any]]:
    """The ledger rows a batch of acts becomes, in one transaction: known members are found with
    one query and newcomers created together, so no act costs a transaction of its own. Members
    are read here, at commit, so an opt-out counts at once for every process."""
    now = max(act.at for act in acts)
    places = {(a.actor.platform, a.actor.workspace) for a in acts}
    communities = await member_batches.communities_of_workspaces(session=session, workspaces=places)
    for platform, workspace in places - communities.keys():
        communities[(platform, workspace)] = await directory.community_for(
            session, services.config, platform, workspace, now
        )
    members = await _members(session, communities, acts, now)
    rows = []
    for act in acts:
        community = communities[(act.actor.platform, act.actor.workspace)]
        if _counted_here(services, community, act.place):
            facts = members[_key(act)]
            rows.append(
                {
                    "community_id": community.id,
                    "member_id": None if facts.tracking_opted_out else facts.id,
                    "kind": kind_of(act),
                    "platform": act.place.platform,
                    "workspace": act.place.workspace,
                    "channel": act.place.channel,
                    "event_id": act.event_id,
                    "occurred_at": act.at,
                }
            )
    return rows


def _key(act: Countable) -> IdentityKey:
    return (act.actor.platform, act.actor.workspace, act.actor.user)


async def _members(
    session: AsyncSession,
    communities: dict[tuple[str, str], Community],
    acts: Sequence[Countable],
    now: datetime,
) -> dict[IdentityKey, MemberFacts]:
    names = {_key(a): a.actor.display_name for a in acts}
    known = await member_batches.members_by_identities(session=session, keys=names.keys())
    renamed = {
        facts.id: name
        for key, facts in known.items()
        if (name := names[key]) and name != facts.display_name
    }
    await member_batches.rename_members(session=session, names=renamed)
    newcomers = [
        (key, communities[key[:2]].id or 0, name or key[2])
        for key, name in names.items()
        if key not in known
    ]
    if not newcomers:
        return known  # the usual case: no savepoint to pay for
    try:
        async with session.begin_nested():
            known |= await member_batches.add_members(session=session, newcomers=newcomers, now=now)
    except IntegrityError:
        # Another process made one of them a moment ago: take each in turn, the race-safe way.
        for key, community_id, name in newcomers:
            member = await directory_store.ensure_member(
                session=session,
                community_id=community_id,
                platform=key[0],
                workspace=key[1],
                user_id=key[2],
                display_name=name,
                now=now,
            )
            assert member.id is not None
            known[key] = MemberFacts(
                member.id, member.community_id, member.display_name, member.tracking_opted_out
            )
    return known
