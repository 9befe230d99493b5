"""Whether copbot can post in a Slack channel: it must be in it (its manifest has no
``chat:write.public``), which ``conversations.info`` says with the bot token."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.inbound import PLATFORM
from adapters.slack.sender import sending_client

log = logging.getLogger(__name__)
# What conversations.info answers for a channel the bot cannot see: a private channel it is not
# in reads as not found, like one that does not exist.
NOT_THERE = {"channel_not_found", "channel_is_limited_access"}
MEMBER_TTL = 60.0  # seconds a "copbot is in it" answer is trusted
QUIET_AFTER_429 = 30.0  # seconds not to ask after a 429 that named no Retry-After


def asking_client(client: AsyncWebClient) -> AsyncWebClient:
    """A copy of the app's client that waits out nothing: a command waits for this answer, and a
    429 is better taken as "could not tell" than slept through (the sender's copy, for the same
    reasons)."""
    return sending_client(client)


def _retry_after(response: Any) -> float:
    headers = response.headers or {}
    try:
        return float(headers.get("retry-after", headers.get("Retry-After", QUIET_AFTER_429)))
    except (TypeError, ValueError):
        return QUIET_AFTER_429


class SlackChannels:
    """Answers "can copbot post there?" from ``conversations.info`` (Tier 3: about 50 calls a
    minute). A yes is kept for ``ttl`` seconds per channel, so that a burst of commands asks
    once; a no is not kept, since the facilitator is told to invite copbot and try again. After
    a 429 nothing is asked until Slack's Retry-After has passed (the answer is then None)."""

    def __init__(
        self,
        client: AsyncWebClient,
        ttl: float = MEMBER_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = asking_client(client)
        self._ttl = ttl
        self._clock = clock
        self._member_since: dict[tuple[str, str], float] = {}
        self._quiet_until = 0.0

    async def can_post(self, platform: str, workspace: str, channel: str) -> bool | None:
        """True if copbot is in the channel, False if it is not or there is no such channel,
        None when Slack could not be asked."""
        if platform != PLATFORM:
            return None
        now = self._clock()
        key = (workspace, channel)
        since = self._member_since.get(key)
        if since is not None and now - since < self._ttl:
            return True
        if now < self._quiet_until:
            return None
        try:
            response = await self._client.conversations_info(channel=channel)
        except SlackApiError as error:
            if error.response.get("error") in NOT_THERE:
                return False
            if error.response.status_code == 429:
                self._quiet_until = now + _retry_after(error.response)
            log.warning("slack: conversations.info failed for %s: %s", channel, error)
            return None
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            log.warning("slack: conversations.info failed for %s: %s", channel, error)
            return None
        info = response.get("channel") or {}
        if info.get("is_archived") is True:
            return False
        member = info.get("is_member")
        if member is True:
            self._member_since[key] = now
            return True
        if member is False:
            return False
        return None  # a DM or a kind of conversation that does not say: let the post try
