"""Participation tracking: inbound chat events become ledger rows, metadata only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.events import MemberJoined, MemberLeft, MessagePosted, ReactionAdded
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
