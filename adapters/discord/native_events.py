"""Discord guild scheduled events for copbot's events: created, changed, cancelled and found
again through discord.py's HTTP client. The outbox row's platform id is the scheduled event's id.

What is left on Discord when an edit comes decides it, never a retry loop: an event deleted on
Discord, or already cancelled or over, is done for a cancel and a failure (with the reason) for
a change, which could not be shown anyway.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import discord

from bot.outbox import Delivery, DeliveryFailed
from bot.safe_text import discord_text, plain_times, printable
from bot.ui import NativeEvent
from bot.ui_calendar import MAX_NATIVE_DESCRIPTION, MAX_NATIVE_LOCATION, MAX_NATIVE_NAME

# entity_type: in a stage or voice channel (Discord hosts it), or somewhere outside Discord
# (the event's link as its location).
STAGE_INSTANCE, VOICE, EXTERNAL = 1, 2, 3
GUILD_ONLY = 2  # privacy_level: the only one Discord offers
SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4  # status
FINISHED = {COMPLETED, CANCELED}  # Discord allows no change out of these


def _when(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()


def payload(event: NativeEvent, stage: bool = False) -> dict[str, Any]:
    """The fields of a scheduled event for ``event``, as the REST API takes them (times in UTC,
    text without controls or time tokens, a description with no mention or masked link). One
    held in a voice channel (a stage channel: ``stage``) names it and has no metadata, as
    Discord requires; its end stays (optional there, but the event has one)."""
    description = discord_text(plain_times(event.description))[:MAX_NATIVE_DESCRIPTION]
    fields: dict[str, Any] = {
        "name": printable(plain_times(event.name), multiline=False)[:MAX_NATIVE_NAME] or "Event",
        "description": description,
        "scheduled_start_time": _when(event.start),
        "scheduled_end_time": _when(event.end),
        "privacy_level": GUILD_ONLY,
    }
    if event.voice_channel:
        return {
            **fields,
            "entity_type": STAGE_INSTANCE if stage else VOICE,
            "channel_id": event.voice_channel,
            "entity_metadata": None,
        }
    location = printable(event.location, multiline=False)[:MAX_NATIVE_LOCATION] or "-"
    return {**fields, "entity_type": EXTERNAL, "entity_metadata": {"location": location}}


class NativeEvents:
    """A guild's scheduled events, one outbox delivery at a time."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client
        self._http = client.http

    def _payload(self, event: NativeEvent) -> dict[str, Any]:
        """The event's fields, a stage channel's known from the gateway's cache (voice when
        the channel is not cached)."""
        channel = None
        if event.voice_channel and event.voice_channel.isdigit():
            channel = self._client.get_channel(int(event.voice_channel))
        return payload(event, stage=isinstance(channel, discord.StageChannel))

    async def create(self, delivery: Delivery) -> str:
        """Create the delivery's event in its guild and return the scheduled event's id."""
        event = delivery.message.native_event
        assert event is not None
        created = await self._http.create_guild_scheduled_event(
            int(delivery.recipient.workspace), **self._payload(event)
        )
        return str(created["id"])

    async def update(self, delivery: Delivery) -> str:
        """Change or cancel the scheduled event the delivery edits; its id stays the same."""
        event = delivery.message.native_event
        assert event is not None and delivery.edits is not None
        guild, native_id = int(delivery.recipient.workspace), int(delivery.edits)
        try:
            current = await self._http.get_scheduled_event(guild, native_id, False)
        except discord.NotFound:
            if event.cancelled:
                return delivery.edits  # deleted on Discord: nothing is left to cancel
            raise DeliveryFailed(
                "the Discord event was deleted on Discord, so it cannot be changed"
            ) from None
        status = int(current.get("status") or SCHEDULED)
        if status in FINISHED:
            if event.cancelled:
                return delivery.edits
            raise DeliveryFailed(
                "the Discord event is already cancelled or over, so it cannot be changed"
            )
        if event.cancelled:
            # Discord cancels only what has not begun; one under way can only be ended.
            changes: dict[str, Any] = {"status": COMPLETED if status == ACTIVE else CANCELED}
        else:
            changes = self._payload(event)
            changes.pop("privacy_level")
            if status == ACTIVE:
                changes.pop("scheduled_start_time")  # it has begun: its start is history
        await self._http.edit_scheduled_event(guild, native_id, **changes)
        return delivery.edits

    async def find(self, delivery: Delivery) -> str | None:
        """The id of a scheduled event in the guild with the delivery's name and start (one
        created by a send whose answer was lost), or None."""
        event = delivery.message.native_event
        assert event is not None
        wanted = payload(event)
        start = event.start.astimezone(UTC)
        listed = await self._http.get_scheduled_events(int(delivery.recipient.workspace), False)
        for item in listed:
            if item.get("name") != wanted["name"] or not item.get("scheduled_start_time"):
                continue
            if datetime.fromisoformat(str(item["scheduled_start_time"])) == start:
                return str(item["id"])
        return None
