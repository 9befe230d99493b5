"""Gateway events that discord.py's own events would drop, handed on raw.

discord.py dispatches ``on_scheduled_event_user_add`` / ``_remove`` only when both the scheduled
event and the user are in its cache; copbot caches no members (no chunking), so most marks would
be lost. Its parser for each is wrapped instead: the payload is dispatched as
``on_raw_scheduled_event_interest(data, interested)`` first, then discord.py parses it as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

RAW_INTEREST = "raw_scheduled_event_interest"
INTEREST_EVENTS = {
    "GUILD_SCHEDULED_EVENT_USER_ADD": True,
    "GUILD_SCHEDULED_EVENT_USER_REMOVE": False,
}


def hear_interest(client: discord.Client) -> None:
    """Make the client dispatch every *Interested* mark and unmark, cached or not."""
    # The gateway reads this same dict for every dispatch (DiscordWebSocket._discord_parsers),
    # for every shard; discord.py keeps no public hook for raw scheduled-event payloads.
    parsers: dict[str, Callable[[Any], None]] = client._connection.parsers
    for name, interested in INTEREST_EVENTS.items():
        parse = parsers[name]
        if getattr(parse, "hears_interest", False):
            continue  # registered twice: dispatch once

        def heard(
            data: Any, parse: Callable[[Any], None] = parse, interested: bool = interested
        ) -> None:
            client.dispatch(RAW_INTEREST, dict(data), interested)
            parse(data)

        heard.hears_interest = True  # type: ignore[attr-defined]
        parsers[name] = heard
