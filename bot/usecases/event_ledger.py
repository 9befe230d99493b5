"""The ledger rows events write: an answer given and a member who came (who and when, in the
event's channel; anonymous for a member who opted out)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.models import Event, Member


def _row(event: Event, member: Member, kind: str, event_id: str, at: datetime) -> dict[str, Any]:
    return {
        "community_id": event.community_id,
        "member_id": None if member.tracking_opted_out else member.id,
        "kind": kind,
        "platform": event.platform,
        "workspace": event.workspace,
        "channel": event.channel,
        "event_id": event_id,
        "occurred_at": at,
    }


def rsvp_row(member: Member, event: Event, answer: str, at: datetime) -> dict[str, Any]:
    """One answer given (the answer itself is the event_rsvp row): every click counts."""
    stamp = round(at.timestamp() * 1_000_000)
    return _row(event, member, "rsvp", f"rsvp:{event.id}:{member.id}:{stamp}:{answer}", at)


def attended_row(event: Event, member: Member) -> dict[str, Any]:
    """A member who came (however it was learnt): once per member and event, in the week the
    event started."""
    return _row(event, member, "attended", f"attended:{event.id}:{member.id}", event.start_at)
