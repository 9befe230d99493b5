"""Slack while the database is down: events are refused (so Slack redelivers), not acknowledged
and lost; commands say nothing was saved; /healthz says 503 at once; all recovers by itself."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlmodel import select

from adapters.slack.runtime import SlackRuntime, SlackTokens
from bot.config import SlackConfig
from storage.engine import Store
from storage.models import LedgerEntry
from tests.factories import ACTS, Harness, config
from tests.fakes.outage import Outage, unreliable_store
from tests.fakes.slack import FakeSlack
from tests.slack_kit import (
    SLACK_CONFIG,
    TEAM,
    SlackClient,
    eventually,
    eventually_async,
    http_runtime,
)

MESSAGE = {"type": "message", "user": "UBOB", "channel": "C1", "ts": "1733000000.1"}


@pytest.fixture
async def down(database_url: str) -> AsyncIterator[tuple[Store, Outage]]:
    async with unreliable_store(database_url) as pair:
        yield pair


async def event_ids(store: Store) -> list[str]:
    async with store.transaction() as session:
        return sorted((await session.exec(select(LedgerEntry.event_id).where(ACTS))).all())


async def health(base: str) -> tuple[int, float]:
    start = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        response = await session.get(base + "/healthz")
        return response.status, time.perf_counter() - start


async def test_http_events_are_refused_while_down_and_counted_once_when_redelivered(
    down: tuple[Store, Outage],
) -> None:
    store, outage = down
    fake = FakeSlack()
    await fake.start()
    harness = await Harness.start(store, config(SLACK_CONFIG))
    runtime, base = http_runtime(harness, fake)
    await runtime.start()
    slack = SlackClient(base + "/slack/events", fake)
    try:
        assert await slack.event(MESSAGE, "EvBefore") == 200
        await outage.begin()
        refused, name = await asyncio.gather(
            slack.event({**MESSAGE, "ts": "1733000000.2"}, "EvDown"),
            slack.command("privacy optout", user="UBOB"),
        )
        assert refused == 503  # not a 2xx: Slack delivers it again later
        status, took = await health(base)
        assert status == 503 and took < 1.0
        replies = await eventually(lambda: slack.replies(name), timeout=15)
        assert replies[-1].startswith("💾 I cannot save anything right now")
        assert "nothing was changed" in replies[-1]

        await outage.end()
        status, took = await health(base)
        assert status == 200 and took < 1.0
        retried = await slack.event(
            {**MESSAGE, "ts": "1733000000.2"}, "EvDown", **{"X-Slack-Retry-Num": "1"}
        )
        assert retried == 200
        await eventually_async(lambda: event_ids(store), ["EvBefore", "EvDown"], timeout=10)
        # The opt-out was refused, not half-done: Bob's acts still carry his member id.
        async with store.transaction() as session:
            members = (await session.exec(select(LedgerEntry.member_id).where(ACTS))).all()
        assert None not in members
    finally:
        await runtime.stop()
        await harness.close()
        await fake.stop()


async def test_socket_mode_events_are_not_acknowledged_while_down(
    down: tuple[Store, Outage], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    store, outage = down
    fake = FakeSlack()
    await fake.start()
    harness = await Harness.start(store, config(SLACK_CONFIG))
    settings = SlackConfig(enabled=True, mode="socket", api_base_url=fake.api_url)
    runtime = SlackRuntime(
        settings, SlackTokens("xoxb-test", None, "xapp-test"), harness.core, store, harness.clock
    )
    await runtime.start()
    callback = {"type": "event_callback", "team_id": TEAM, "event_id": "EvS", "event": MESSAGE}
    try:
        await outage.begin()
        await fake.push("events_api", callback, "env-down")
        # Bolt's socket handler says when it leaves an envelope unacknowledged.
        await eventually(lambda: "status: 503" in caplog.text, timeout=10)
        assert "env-down" not in {a.get("envelope_id") for a in fake.socket_acks}
        await outage.end()
        await fake.push("events_api", callback, "env-again")  # Slack's redelivery
        await eventually(lambda: "env-again" in {a.get("envelope_id") for a in fake.socket_acks})
        await eventually_async(lambda: event_ids(store), ["EvS"], timeout=10)
    finally:
        await runtime.stop()
        await harness.close()
        await fake.stop()
