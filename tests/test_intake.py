"""The core while the database is down: commands, clicks and forms say that nothing could be
saved (not "something went wrong"), counted acts are refused rather than lost, and everything
works again once the database is back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.config import ConfigError, parse_config
from bot.core import OOPS
from bot.errors import StoreUnavailable
from bot.events import MessagePosted
from bot.spool import decode, encode
from storage.engine import Store
from storage.models import LedgerEntry
from tests.factories import ACTS, Harness, actor, event_id, place, text_of
from tests.fakes.outage import Outage, unreliable_store


@pytest.fixture
async def down(database_url: str) -> AsyncIterator[tuple[Harness, Outage]]:
    async with unreliable_store(database_url) as (store, outage):
        harness = await Harness.start(store)
        yield harness, outage
        await harness.close()


async def ledger_ids(store: Store) -> list[str]:
    async with store.transaction() as session:
        return sorted((await session.exec(select(LedgerEntry.event_id).where(ACTS))).all())


async def test_commands_clicks_and_forms_say_nothing_was_saved(
    down: tuple[Harness, Outage],
) -> None:
    harness, outage = down
    await outage.begin()
    try:
        said = [
            await harness.say("tz America/New_York", user="bob"),
            text_of(await harness.click("answer:occurrence:1", "bob")),
            text_of(await harness.submit("charter:community:1", {"purpose": "x"}, "alice")),
        ]
    finally:
        await outage.end()
    for text in said:
        assert text.startswith("💾 I cannot save anything right now") and text != OOPS
        assert "nothing was changed" in text and "try again in a few minutes" in text
    assert "Timezone: Europe/Berlin (the community's" in await harness.say("me", user="bob")
    reply = await harness.say("tz America/New_York", user="bob")
    assert reply.startswith("🕘 Your timezone is now America/New_York")


async def test_a_counted_act_is_refused_while_down_and_counted_once_after(
    down: tuple[Harness, Outage],
) -> None:
    harness, outage = down
    posted = MessagePosted(actor("bob"), place(), event_id(), harness.clock.now())
    await outage.begin()
    try:
        with pytest.raises(StoreUnavailable):
            await harness.core.count(posted)
        assert await harness.core.handle(posted) == []  # the console shows nothing either way
    finally:
        await outage.end()
    await harness.core.count(posted)
    await harness.core.count(posted)  # a redelivery
    assert await ledger_ids(harness.store) == [posted.event_id]


def test_spooled_acts_read_back_as_they_were_written() -> None:
    act = MessagePosted(
        actor("bob"), place(thread="t1"), "m1", datetime(2026, 12, 1, tzinfo=UTC), is_reply=True
    )
    assert decode(encode(act)) == act


def test_the_spool_path_is_configured_under_storage() -> None:
    assert parse_config({}, source="t", calendar=None).storage.spool_path == "copbot-spool.db"
    chosen = {"storage": {"spool_path": "/var/lib/copbot/spool.db"}}
    assert parse_config(chosen, source="t", calendar=None).storage.spool_path.endswith("spool.db")
    with pytest.raises(ConfigError) as typo:
        parse_config({"storage": {"spool_pat": "x.db"}}, source="t", calendar=None)
    assert "storage.spool_pat: unknown key; did you mean 'spool_path'?" in str(typo.value)
    with pytest.raises(ConfigError) as empty:
        parse_config({"storage": {"spool_path": ""}}, source="t", calendar=None)
    assert "storage.spool_path" in str(empty.value)


async def test_an_opt_out_counts_at_once_in_every_process(store: Store) -> None:
    here, there = await Harness.start(store), await Harness.start(store)  # two copbots, one db
    await there.post("bob")
    assert "now anonymous" in await here.say("privacy optout confirm:yes", user="bob")
    await there.post("bob")  # the other process has seen bob before: it must not remember him
    async with store.transaction() as session:
        members = (await session.exec(select(LedgerEntry.member_id).where(ACTS))).all()
    assert members == [None, None]
    await here.close()
    await there.close()
