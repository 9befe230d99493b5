"""Helpers for Slack tests: a running copbot Slack app against the local fake, signed requests."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import aiohttp

from tests.fakes.slack import FakeSlack, signed_headers

SECRET = "test-signing-secret"
TEAM = "T1"
SLACK_CONFIG: dict[str, Any] = {
    "communities": [
        {
            "name": "demo",
            "timezone": "Europe/Berlin",
            "slack_team_id": TEAM,
            "facilitators": ["slack:UFAC"],
        }
    ]
}


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Wait until ``check()`` is truthy (work after ack() runs in the background)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = check()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def eventually_async(
    produce: Callable[[], Awaitable[Any]], expected: Any, timeout: float = 5.0
) -> None:
    """Wait until an async check returns ``expected``; fail with the last value seen."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (value := await produce()) != expected:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"still {value!r}, expected {expected!r}")
        await asyncio.sleep(0.05)


class SlackClient:
    """Sends what Slack would send to copbot's HTTP endpoint, signed."""

    def __init__(self, url: str, fake: FakeSlack, secret: str = SECRET) -> None:
        self.url = url
        self.fake = fake
        self.secret = secret
        self._n = 0

    async def send(self, body: str, content_type: str, **headers: str) -> aiohttp.ClientResponse:
        """POST a raw body with Slack's signature headers (unless given others)."""
        all_headers = {"Content-Type": content_type, **signed_headers(self.secret, body), **headers}
        async with aiohttp.ClientSession() as session:
            response = await session.post(self.url, data=body.encode(), headers=all_headers)
            await response.read()
            return response

    async def command(self, text: str, user: str = "UFAC", channel: str = "C1") -> str:
        """A ``/cop`` slash command; returns its response_url name."""
        self._n += 1
        name = f"cmd{self._n}"
        body = urlencode(
            {
                "command": "/cop",
                "text": text,
                "team_id": TEAM,
                "user_id": user,
                "channel_id": channel,
                "trigger_id": f"trig-{self._n}",
                "response_url": self.fake.response_url(name),
            }
        )
        response = await self.send(body, "application/x-www-form-urlencoded")
        assert response.status == 200
        return name

    async def interaction(self, payload: dict[str, Any]) -> tuple[int, str]:
        """An interactivity payload (block_actions, view_submission); returns status and body."""
        body = urlencode({"payload": json.dumps(payload)})
        async with aiohttp.ClientSession() as session:
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                **signed_headers(self.secret, body),
            }
            response = await session.post(self.url, data=body.encode(), headers=headers)
            return response.status, await response.text()

    async def event(self, event: dict[str, Any], event_id: str, **headers: str) -> int:
        """An Events API callback."""
        body = json.dumps(
            {"type": "event_callback", "team_id": TEAM, "event_id": event_id, "event": event}
        )
        return (await self.send(body, "application/json", **headers)).status

    def replies(self, name: str) -> list[str]:
        """The texts posted to one response_url."""
        return [r.get("text", "") for r in self.fake.responses if r.get("_url") == name]
