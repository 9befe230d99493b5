"""Reading one message's text, after its author said yes to sharing it, and a link to it that
shows its author which message was meant: platform capabilities (Slack's conversations.history
/ replies and chat.getPermalink; Discord's message fetch, with the Message Content intent only,
and its jump link), reached through this protocol so that the core names no platform."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class MessageReader(Protocol):
    """A platform's way to read one message the bot was allowed to read."""

    async def text_of(
        self, platform: str, workspace: str, channel: str | None, message_ref: str
    ) -> str | None:
        """The message's text; None when the platform will not say (no permission, no such
        message, an outage, or no Message Content intent)."""
        ...

    async def link_of(
        self, platform: str, workspace: str, channel: str | None, message_ref: str
    ) -> str | None:
        """A link that opens the message, which reads nothing of it; None if there is none."""
        ...


class PlatformMessages:
    """A MessageReader per platform; a platform with none (the console) reads nothing, and
    the form asks the author instead."""

    def __init__(self, by_platform: Mapping[str, MessageReader] | None = None) -> None:
        self._by_platform = dict(by_platform or {})

    def add(self, platform: str, reader: MessageReader) -> None:
        """Read ``platform``'s messages with ``reader``."""
        self._by_platform[platform] = reader

    async def text_of(
        self, platform: str, workspace: str, channel: str | None, message_ref: str
    ) -> str | None:
        """What the platform's reader says; None for a platform that has none."""
        reader = self._by_platform.get(platform)
        if reader is None:
            return None
        return await reader.text_of(platform, workspace, channel, message_ref)

    async def link_of(
        self, platform: str, workspace: str, channel: str | None, message_ref: str
    ) -> str | None:
        """The platform's link to the message; None for a platform that has none."""
        reader = self._by_platform.get(platform)
        if reader is None:
            return None
        return await reader.link_of(platform, workspace, channel, message_ref)
