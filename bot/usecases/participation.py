"""Participation tracking: inbound chat events become ledger rows, metadata only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import directory
from bot.config import CommunityConfig
from bot.context import CommandContext, Services
from bot.events import MemberJoined, MemberLeft, MessagePosted, Place, ReactionAdded
from storage import counted_acts, member_batches
from storage import ledger as ledger_store
from storage.engine import Store
from storage.member_batches import IdentityKey
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
    refs: tuple[str | None, str | None] = (None, None),
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
        # Every row has both keys, so that rows of any kind share one executemany.
        "message_ref": refs[0],
        "parent_ref": refs[1],
    }


async def record_act(
    ctx: CommandContext,
    kind: str,
    event_id: str,
    channel: str | None = None,
    *,
    anonymous: bool = False,
) -> None:
    """Add what the acting member just did on purpose (an answer, a link, a story) to the
    ledger; ``event_id`` is the act's own unique key, which names no one. An ``anonymous`` act
    (an anonymous survey's answer) is counted without its member, as an opted-out one is."""
    row = ledger_row(
        ctx.community,
        ctx.member,
        kind,
        ctx.actor.platform,
        ctx.actor.workspace,
        channel,
        event_id,
        ctx.now,
    )
    if anonymous:
        row["member_id"] = None
    await ledger_store.append(session=ctx.session, rows=[row])


def kind_of(event: Countable) -> str:
    """The ledger kind of an inbound event."""
    if isinstance(event, MessagePosted):
        return "reply" if event.is_reply else "message"
    if isinstance(event, ReactionAdded):
        return "reaction"
    if isinstance(event, MemberJoined):
        return "join"
    return "leave"


def _refs(event: Countable) -> tuple[str | None, str | None]:
    """A message's own platform id and, for a thread reply, its parent's; none for other acts."""
    if isinstance(event, MessagePosted):
        return event.message_ref, event.place.thread if event.is_reply else None
    return None, None


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
        _refs(event),
    )


class BatchCounter:
    """Counts batches of acts, each batch in one transaction and, once everyone in it is known,
    in one statement that also finds their members (``storage.counted_acts``).

    It remembers, for this process, the platform accounts the database holds (with the name
    last written) and the community each workspace belongs to. Neither is ever deleted; a
    workspace moves to another community only with a new config, which this process reads at
    start. Nothing about a member's choices is kept here: whether they opted out is read by
    the insert itself, so that it counts at once everywhere.
    """

    def __init__(self, services: Services) -> None:
        self._services = services
        self._names: dict[IdentityKey, str] = {}
        self._communities: dict[tuple[str, str], str] = {}

    async def __call__(self, store: Store, acts: Sequence[Countable]) -> None:
        """Count acts (duplicates once) and return once they are committed."""
        unique = list({(a.place.platform, a.place.workspace, a.event_id): a for a in acts}.values())
        places = self._places(unique) - self._communities.keys()
        if places:
            # A workspace seen for the first time: bound to its community first (rare).
            async with store.transaction() as session:
                found = await _communities(
                    self._services, session, places, max(a.at for a in unique)
                )
            self._communities |= found
        entries = {place: self._entry(place) for place in self._places(unique)}
        strangers: dict[IdentityKey, counted_acts.Stranger] = {}
        rows: list[counted_acts.ActRow] = []
        for act in unique:  # one pass: this runs on the event loop for every event
            actor, place = act.actor, act.place
            key = (actor.platform, actor.workspace, actor.user)
            if self._unknown(key, actor.display_name):
                strangers[key] = counted_acts.Stranger(key, actor.display_name, act.at)
            if _counts(entries[key[:2]], place):
                rows.append(
                    (
                        kind_of(act),
                        place.platform,
                        place.workspace,
                        place.channel,
                        act.event_id,
                        act.at,
                        *_refs(act),
                        *key,
                    )
                )
        try:
            names = await counted_acts.count(store, rows, list(strangers.values()))
        except IntegrityError:
            if not strangers:
                raise
            # Another process created one of these people a moment ago: now they are known.
            names = await counted_acts.count(store, rows, list(strangers.values()))
        self._names |= names

    def is_home(self, place: Place) -> bool:
        """Whether a place is the community's own: a channel it counts, or the workspace itself
        (a join with no channel) where no home channels are named; False before any act of
        the workspace was counted."""
        workspace = (place.platform, place.workspace)
        if workspace not in self._communities:
            return False
        entry = self._entry(workspace)
        if place.channel is None:
            return entry is None or not entry.home_channels
        return _counts(entry, place)

    def _unknown(self, key: IdentityKey, name: str | None) -> bool:
        """True if the database may not hold this account, or holds it under another name."""
        if key not in self._names:
            return True
        return bool(name) and name != self._names[key]

    @staticmethod
    def _places(acts: Sequence[Countable]) -> set[tuple[str, str]]:
        return {(a.actor.platform, a.actor.workspace) for a in acts}

    def _entry(self, place: tuple[str, str]) -> CommunityConfig | None:
        """The config section of a workspace's community (its home channels), if any."""
        return self._services.community_config(self._communities[place])


def _counts(entry: CommunityConfig | None, place: Place) -> bool:
    """Whether acts in a place count: anywhere outside a channel, and in a channel unless its
    community counts only its home channels."""
    return (
        entry is None
        or place.channel is None
        or entry.counts_channel(place.platform, place.channel)
    )


async def _communities(
    services: Services, session: AsyncSession, places: set[tuple[str, str]], now: datetime
) -> dict[tuple[str, str], str]:
    """The names of the communities of workspaces, each bound to one (made with defaults if the
    config names none) if it was not yet."""
    found = await member_batches.communities_of_workspaces(session=session, workspaces=places)
    for platform, workspace in places - found.keys():
        found[(platform, workspace)] = await directory.community_for(
            session, services.config, platform, workspace, now
        )
    return {place: community.name for place, community in found.items()}
