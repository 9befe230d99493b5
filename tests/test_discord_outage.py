"""Discord while the database is down: gateway events (never redelivered) go to the local spool
and are counted, once, when the database is back, without a restart."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlmodel import select

from adapters.discord.runtime import DiscordRuntime
from bot.commands.catalog import build_catalog
from bot.config import DiscordConfig
from bot.events import Actor, MessagePosted, Place
from bot.spool import Spool
from storage.engine import Store
from storage.models import LedgerEntry
from tests.discord_kit import BOB, DISCORD_CONFIG, message_create, message_id, reaction_add
from tests.factories import ACTS, Harness, config
from tests.fakes.discord import CHANNEL_ID, GUILD_ID, FakeDiscord
from tests.fakes.outage import Outage, unreliable_store
from tests.slack_kit import eventually, eventually_async


@pytest.fixture
async def down(database_url: str) -> AsyncIterator[tuple[Store, Outage]]:
    async with unreliable_store(database_url) as pair:
        yield pair


async def kinds(store: Store) -> list[str]:
    async with store.transaction() as session:
        return sorted((await session.exec(select(LedgerEntry.kind).where(ACTS))).all())


async def start(store: Store, spool: Spool) -> tuple[FakeDiscord, Harness, DiscordRuntime]:
    fake = FakeDiscord()
    await fake.start()
    harness = await Harness.start(store, config(DISCORD_CONFIG))
    options = DiscordConfig(enabled=True, api_base_url=fake.api_url, gateway_url=fake.gateway_url)
    runtime = DiscordRuntime(
        options, "test-token", harness.core, store, harness.clock, build_catalog(), spool
    )
    await runtime.start()
    return fake, harness, runtime


async def test_events_are_spooled_while_down_and_counted_once_when_back(
    down: tuple[Store, Outage], tmp_path: Path
) -> None:
    store, outage = down
    spool = Spool(tmp_path / "spool.db")
    fake, harness, runtime = await start(store, spool)
    assert runtime.intake is not None
    try:
        await outage.begin()
        posted = message_create(message_id(), BOB)
        await fake.dispatch("MESSAGE_CREATE", posted)
        await fake.dispatch("MESSAGE_CREATE", posted)  # replayed after a resume: still one
        await fake.dispatch("MESSAGE_REACTION_ADD", reaction_add(posted, BOB))
        await eventually_async(lambda: _spooled(spool), 3, timeout=15)

        await outage.end()
        assert await runtime.intake.replay() == 3
        assert await kinds(store) == ["message", "reaction"]
        assert await _spooled(spool) == 0
        # Back to normal: counted straight away, and the same message again is no new act.
        await fake.dispatch("MESSAGE_CREATE", posted)
        await fake.dispatch("MESSAGE_CREATE", message_create(message_id(), BOB))
        await eventually_async(lambda: kinds(store), ["message", "message", "reaction"])
        assert await _spooled(spool) == 0
    finally:
        await runtime.stop()
        await harness.close()
        await fake.stop()


async def test_acts_spooled_before_a_restart_are_counted_at_start(
    store: Store, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "spool.db")
    harness = await Harness.start(store, config(DISCORD_CONFIG))
    # What a copbot that stopped during an outage left behind.
    assert await spool.put(bob_posts(message_id(), harness))
    await harness.close()
    fake, harness, runtime = await start(store, spool)
    try:
        await eventually_async(lambda: kinds(store), ["message"])
        assert await _spooled(spool) == 0
    finally:
        await runtime.stop()
        await harness.close()
        await fake.stop()


async def test_a_spool_that_cannot_be_written_is_reported_once(
    down: tuple[Store, Outage], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store, outage = down
    spool = Spool(tmp_path / "no-such-folder" / "spool.db")
    fake, harness, runtime = await start(store, spool)
    assert runtime.intake is not None
    try:
        await outage.begin()
        await fake.dispatch("MESSAGE_CREATE", message_create(message_id(), BOB))
        await eventually(lambda: "spool: cannot write" in caplog.text, timeout=15)
        for _ in range(2):  # more activity while both are down
            await runtime.intake.take(bob_posts(message_id(), harness))
        errors = [r for r in caplog.records if r.levelno == logging.ERROR]
        assert len(errors) == 1 and "Check [storage] spool_path" in errors[0].getMessage()
        assert not any(r.exc_info for r in caplog.records)  # said clearly, no traceback
        await outage.end()
    finally:
        await runtime.stop()
        await harness.close()
        await fake.stop()


def bob_posts(event_id: str, harness: Harness) -> MessagePosted:
    """Bob's message in #general, as the adapter hands it to the core."""
    who = Actor("discord", GUILD_ID, BOB["user"]["id"], "Bob")
    return MessagePosted(who, Place("discord", GUILD_ID, CHANNEL_ID), event_id, harness.clock.now())


async def _spooled(spool: Spool) -> int:
    return len(await spool.peek())
