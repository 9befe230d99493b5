"""Helpers for Slack tests: a running copbot Slack app against the local fake, signed requests."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode

import aiohttp

from adapters.slack.runtime import SlackRuntime, SlackTokens
from bot.config import SlackConfig
from storage.engine import Store
from tests.factories import Harness, config
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


def command_payload(text: str, user: str, response_url: str, trigger: str = "t1") -> dict[str, str]:
    """The fields of a ``/cop`` slash command, as Slack sends them."""
    return {
        "command": "/cop",
        "text": text,
        "team_id": TEAM,
        "user_id": user,
        "channel_id": "C1",
        "trigger_id": trigger,
        "response_url": response_url,
    }


def button_payload(
    action_id: str, user: str = "UBOB", response_url: str | None = None
) -> dict[str, Any]:
    """A ``block_actions`` payload: someone pressed a button."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "channel": {"id": f"D{user}"},
        "trigger_id": f"trig-{action_id}",
        "actions": [{"action_id": action_id, "type": "button"}],
    }
    if response_url:
        payload["response_url"] = response_url
    return payload


def submission_payload(
    form_id: str, values: dict[str, str], user: str = "UBOB", title: str = "standup"
) -> dict[str, Any]:
    """A ``view_submission`` payload: someone submitted a modal."""
    state = {
        name: {name: {"type": "plain_text_input", "value": value}} for name, value in values.items()
    }
    return {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "view": {
            "type": "modal",
            "id": "V1",
            "hash": "h",
            "callback_id": form_id,
            "title": {"type": "plain_text", "text": title},
            "state": {"values": state},
        },
    }


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
        fields = command_payload(text, user, self.fake.response_url(name), f"trig-{self._n}")
        body = urlencode({**fields, "channel_id": channel})
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


def http_runtime(harness: Harness, fake: FakeSlack) -> tuple[SlackRuntime, str]:
    """copbot's Slack adapter in HTTP mode on a free loopback port, against the fake Slack, with
    the harness's core; and its base URL. Not started yet."""
    port = free_port()
    settings = SlackConfig(
        enabled=True, mode="http", host="127.0.0.1", port=port, api_base_url=fake.api_url
    )
    runtime = SlackRuntime(
        settings, SlackTokens("xoxb-test", SECRET, None), harness.core, harness.store, harness.clock
    )
    return runtime, f"http://127.0.0.1:{port}"


@asynccontextmanager
async def slack_over_http(store: Store, fake: FakeSlack) -> AsyncIterator[SlackClient]:
    """The fake Slack started, copbot's core on ``store`` with the Slack config, and its HTTP
    endpoint running; a client that signs requests to it. All stopped on exit."""
    await fake.start()
    harness = await Harness.start(store, config(SLACK_CONFIG))
    runtime, base = http_runtime(harness, fake)
    await runtime.start()
    try:
        yield SlackClient(base + "/slack/events", fake)
    finally:
        await runtime.stop()
        await harness.close()
        await fake.stop()
