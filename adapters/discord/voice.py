"""Who is in a Discord voice or stage channel now, from discord.py's cache (no REST call): the
gateway sends the guild's voice states when it connects, and every change after."""

from __future__ import annotations

import discord

from adapters.discord.inbound import PLATFORM, actor
from bot.events import Actor


class DiscordVoice:
    """Answers "who is in this voice channel?" from the guild the gateway cached."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def in_voice(self, platform: str, workspace: str, channel: str) -> list[Actor] | None:
        """The members in the voice or stage channel, or None when the guild or the channel is
        not cached. Someone whose member is not cached is left out: nothing says they are not
        a bot (members in voice are cached with the voice states intent, so this is rare)."""
        if platform != PLATFORM or not workspace.isdigit() or not channel.isdigit():
            return None
        guild = self._client.get_guild(int(workspace))
        if guild is None or guild.unavailable:
            return None
        place = guild.get_channel(int(channel))
        if not isinstance(place, discord.VoiceChannel | discord.StageChannel):
            return None
        present = []
        for user_id in place.voice_states:
            member = guild.get_member(user_id)
            if member is not None:
                present.append(actor(guild.id, member))
        return present
