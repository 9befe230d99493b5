"""Who is in a Discord community: the guild's members (REST, which needs the Server Members
intent copbot asks for), narrowed to those who can see its home channels."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from adapters.discord.inbound import PLATFORM
from bot.roster import Person

log = logging.getLogger(__name__)


class DiscordRoster:
    """Lists a guild's people (no bots) with ``guild.fetch_members``."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def people(
        self, platform: str, workspace: str, channels: Sequence[str]
    ) -> list[Person] | None:
        """The guild's people who can see one of ``channels`` (all of them when none is
        cached); None when Discord cannot say (no guild, no members intent, an outage)."""
        if platform != PLATFORM or not workspace.isdigit():
            return None
        guild = self._client.get_guild(int(workspace))
        if guild is None or guild.unavailable or not self._client.intents.members:
            return None
        try:
            members = [m async for m in guild.fetch_members(limit=None)]
        except (discord.HTTPException, discord.ClientException) as error:
            log.warning("cannot list the members of Discord guild %s: %r", workspace, error)
            return None
        places = [guild.get_channel(int(c)) for c in channels if c.isdigit()]
        seen = [p for p in places if isinstance(p, discord.abc.GuildChannel)]
        return [
            Person(str(m.id), m.display_name)
            for m in members
            if not m.bot and (not seen or any(p.permissions_for(m).view_channel for p in seen))
        ]
