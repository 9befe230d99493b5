"""Replies through Slack's ``response_url``, over one HTTP session kept open between them."""

from __future__ import annotations

from typing import Any

import aiohttp
from slack_sdk.webhook.async_client import AsyncWebhookClient, WebhookResponse

TIMEOUT = 30  # seconds, as Bolt's own respond()


class ResponseUrls:
    """Posts to response URLs; unlike Bolt's ``respond()``, which opens a new HTTP session and
    connection (a TLS handshake with Slack) for every reply, it reuses one session."""

    def __init__(self, timeout: int = TIMEOUT) -> None:
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        # Made on first use, inside the running event loop, as aiohttp requires.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout)
            )
        return self._session

    async def post(self, url: str, **message: Any) -> WebhookResponse:
        """Post one reply (``text``, ``blocks``, ``response_type``, ...) to a response URL."""
        client = AsyncWebhookClient(url=url, timeout=self._timeout, session=self._open())
        return await client.send(**message)

    async def close(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None
