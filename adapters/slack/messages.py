"""Reading one Slack message after its author agreed to share it: conversations.history for
a message in a channel, conversations.replies for one in a thread, that one ts only."""

from __future__ import annotations

import logging
import re
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.inbound import PLATFORM
from bot.safe_text import slack_unescape

log = logging.getLogger(__name__)
# Slack's markup in a message's text: a link with or without a label, a channel, a mention.
_LINK = re.compile(r"<(https?://[^|>]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
_OTHER = re.compile(r"<[@!#]([^|>]+)(?:\|([^>]*))?>")


def plain(text: str) -> str:
    """A message's text as its author typed it: links as their URL, channels by name."""
    text = _LINK.sub(r"\1", text)
    text = _CHANNEL.sub(r"#\1", text)
    text = _OTHER.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    return slack_unescape(text)


def _matching(found: dict[str, Any], ts: str) -> str | None:
    for message in found.get("messages") or []:
        if isinstance(message, dict) and message.get("ts") == ts:
            text = message.get("text")
            return text if isinstance(text, str) else None
    return None


class SlackMessages:
    """Reads one message by its ts (Tier 3 methods: one call a consent, two for a reply)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def text_of(
        self, platform: str, workspace: str, channel: str | None, message_ref: str
    ) -> str | None:
        """The message's text; None if Slack will not give it."""
        if platform != PLATFORM or not channel:
            return None
        try:
            found = await self._client.conversations_history(
                channel=channel, latest=message_ref, inclusive=True, limit=1
            )
            text = _matching(found.data if isinstance(found.data, dict) else {}, message_ref)
            if text is None:  # not in the channel itself: a reply in a thread
                # Slack lists a thread's parent first, whatever the range: the reply is second.
                found = await self._client.conversations_replies(
                    channel=channel,
                    ts=message_ref,
                    oldest=message_ref,
                    latest=message_ref,
                    inclusive=True,
                    limit=2,
                )
                text = _matching(found.data if isinstance(found.data, dict) else {}, message_ref)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("cannot read Slack message %s in %s: %r", message_ref, channel, error)
            return None
        return plain(text) if text is not None else None

    async def link_of(
        self, platform: str, workspace: str, channel: str | None, message_ref: str
    ) -> str | None:
        """The message's permalink (chat.getPermalink reads no text); None if Slack will not
        give it."""
        if platform != PLATFORM or not channel:
            return None
        try:
            found = await self._client.chat_getPermalink(channel=channel, message_ts=message_ref)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("no Slack link to message %s in %s: %r", message_ref, channel, error)
            return None
        link = found.data.get("permalink") if isinstance(found.data, dict) else None
        return link if isinstance(link, str) and link.startswith("https://") else None
