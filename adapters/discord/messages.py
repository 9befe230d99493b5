"""Reading one Discord message after its author agreed to share it: a REST fetch of that one
message, only when copbot holds the Message Content intent (without it Discord sends an
empty text, and the form asks the author instead)."""

from __future__ import annotations

import logging

import discord

from adapters.discord.inbound import PLATFORM

log = logging.getLogger(__name__)


class DiscordMessages:
    """Reads one message with ``GET /channels/{channel}/messages/{message}``."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def text_of(
        self, platform: str, workspace: str, channel: str | None, message_ref: str
    ) -> str | None:
        """The message's text; None without the intent, or when Discord will not give it."""
        if platform != PLATFORM or not self._client.intents.message_content:
            return None
        if not channel or not channel.isdigit() or not message_ref.isdigit():
            return None
        try:
            found = await self._client.http.get_message(int(channel), int(message_ref))
        except (discord.HTTPException, discord.ClientException) as error:
            log.warning("cannot read Discord message %s: %r", message_ref, error)
            return None
        text = found.get("content")
        return text if isinstance(text, str) and text else None

    async def link_of(
        self, platform: str, workspace: str, channel: str | None, message_ref: str
    ) -> str | None:
        """The message's jump link, made from its ids: it costs no call and reads nothing."""
        ids = (workspace, channel or "", message_ref)
        if platform != PLATFORM or not all(part.isascii() and part.isdigit() for part in ids):
            return None
        return "https://discord.com/channels/{}/{}/{}".format(*ids)
