"""Whether copbot can post in a Discord channel, from discord.py's cache (no REST call): the
channel's permissions for copbot's own member, overwrites included."""

from __future__ import annotations

import discord

from adapters.discord.inbound import PLATFORM


class DiscordChannels:
    """Answers "can copbot post there?" from the guild the gateway cached: View Channel and
    Send Messages (Send Messages in Threads for a thread)."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def can_post(self, platform: str, workspace: str, channel: str) -> bool | None:
        """True if copbot may post there, False if it may not or the guild has no such
        channel, None when the guild (or copbot's member in it) is not cached."""
        if platform != PLATFORM or not workspace.isdigit():
            return None
        guild = self._client.get_guild(int(workspace))
        if guild is None or guild.unavailable:
            return None
        me: discord.Member | None = guild.me
        if me is None:
            return None
        place = guild.get_channel_or_thread(int(channel)) if channel.isdigit() else None
        if place is None or not isinstance(place, discord.abc.Messageable):
            return False  # no such channel here, or one nothing is posted in (a category)
        try:
            permissions = place.permissions_for(me)
        except discord.ClientException:
            return None  # a thread whose parent channel is not cached
        if not permissions.view_channel:
            return False
        if isinstance(place, discord.Thread):
            return permissions.send_messages_in_threads
        return permissions.send_messages
