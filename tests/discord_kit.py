"""Helpers for Discord tests: interaction payloads as Discord sends them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.fakes.discord import CHANNEL_ID, GUILD_ID, member, snowflake, user

MANAGE_GUILD = str(1 << 5)
DISCORD_CONFIG: dict[str, Any] = {
    "communities": [{"name": "demo", "timezone": "Europe/Berlin", "discord_guild_id": GUILD_ID}]
}
FACILITATOR = member("100000000000000001", "Fran", permissions=MANAGE_GUILD)
BOB = member("100000000000000002", "Bob")
# When test messages were posted: before the harness clock's now, whatever today's date is.
POSTED_AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def message_id() -> str:
    """The id of a message posted at POSTED_AT (discord.py reads its time from the id)."""
    return snowflake(POSTED_AT)


def slash(group: str, verb: str | None = None, **options: Any) -> dict[str, Any]:
    """The ``data`` of ``/cop <group> [verb] option:value ...``."""
    kinds = {bool: 5, int: 4}
    values = [
        {"name": name, "type": kinds.get(type(value), 3), "value": value}
        for name, value in options.items()
    ]
    if verb is None:
        sub = {"name": group, "type": 1, "options": values}
    else:
        sub = {"name": group, "type": 2, "options": [{"name": verb, "type": 1, "options": values}]}
    return {"id": snowflake(), "name": "cop", "type": 1, "options": [sub]}


def modal_submit(form_id: str, values: dict[str, str]) -> dict[str, Any]:
    """The ``data`` of a submitted modal."""
    rows = [
        {"type": 1, "components": [{"type": 4, "custom_id": name, "value": value}]}
        for name, value in values.items()
    ]
    return {"custom_id": form_id, "components": rows}


def message_create(message_id: str, author: dict[str, Any], bot: bool = False) -> dict[str, Any]:
    """A MESSAGE_CREATE dispatch in #general."""
    who = user(author["user"]["id"], author["user"]["username"], bot)
    return {
        "id": message_id,
        "channel_id": CHANNEL_ID,
        "guild_id": GUILD_ID,
        "author": who,
        "member": {k: v for k, v in author.items() if k != "user"},
        "content": "",
        "timestamp": POSTED_AT.isoformat(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
    }


def reaction_add(message: dict[str, Any], who: dict[str, Any], emoji: str = "👍") -> dict[str, Any]:
    """A MESSAGE_REACTION_ADD dispatch on a message in #general."""
    return {
        "user_id": who["user"]["id"],
        "channel_id": CHANNEL_ID,
        "message_id": message["id"],
        "guild_id": GUILD_ID,
        "member": who,
        "emoji": {"id": None, "name": emoji},
        "burst": False,
        "type": 0,
    }
