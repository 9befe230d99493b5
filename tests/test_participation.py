"""Participation tracking: counted once per event id, metadata only, opt-out honoured."""

from __future__ import annotations

import asyncio

from sqlmodel import select

from bot.events import MessagePosted
from storage.engine import Store
from storage.models import LedgerEntry, Member
from tests.factories import Harness, actor, config, place


async def ledger(harness: Harness) -> list[LedgerEntry]:
    async with harness.store.transaction() as session:
        return list((await session.exec(select(LedgerEntry).order_by(LedgerEntry.id))).all())


async def test_messages_replies_reactions_and_joins_are_counted(harness: Harness) -> None:
    await harness.post("bob")
    await harness.post("bob", reply=True)
    await harness.react("bob")
    await harness.join("dana")
    assert [e.kind for e in await ledger(harness)] == ["message", "reply", "reaction", "join"]
    me = await harness.say("me", user="bob")
    assert "Last 7 days: 1 messages, 1 thread replies, 1 reactions, 0 check-ins answered" in me
    assert "Tracking: on" in me


async def test_a_retried_event_is_counted_once(harness: Harness) -> None:
    await harness.post("bob", ev="ev-same")
    await harness.post("bob", ev="ev-same")
    await asyncio.gather(*(harness.react("bob", ev="ev-burst") for _ in range(5)))
    assert [e.event_id for e in await ledger(harness)] == ["ev-same", "ev-burst"]


async def test_bots_are_not_counted(harness: Harness) -> None:
    await harness.post("robot", bot=True)
    assert await ledger(harness) == []


async def test_no_message_text_is_stored_anywhere(harness: Harness) -> None:
    assert "text" not in MessagePosted.__dataclass_fields__
    assert not any("text" in name for name in LedgerEntry.model_fields)


async def test_concurrent_events_are_committed_in_batches(harness: Harness) -> None:
    await asyncio.gather(*(harness.post(f"m{i % 7}") for i in range(200)))
    assert len(await ledger(harness)) == 200


async def test_opting_out_anonymises_past_and_future_acts(harness: Harness) -> None:
    await harness.post("bob")
    await harness.post("bob")
    status = await harness.say("privacy status", user="bob")
    assert status.startswith("📊 Tracking is on")
    out = await harness.say("privacy optout", user="bob")
    assert "Your 2 counted act(s) so far are now anonymous." in out
    await harness.post("bob")
    entries = await ledger(harness)
    assert len(entries) == 3 and all(e.member_id is None for e in entries)
    assert "Tracking is off for you" in await harness.say("privacy status", user="bob")
    assert "already off" in await harness.say("privacy optout", user="bob")
    assert "Tracking: off" in await harness.say("me", user="bob")
    assert "Welcome back" in await harness.say("privacy optin", user="bob")
    await harness.post("bob")
    assert (await ledger(harness))[-1].member_id is not None
    assert "already on" in await harness.say("privacy optin", user="bob")


async def test_home_channels_limit_what_is_counted(store: Store) -> None:
    cfg = config(
        {
            "communities": [
                {"name": "demo", "console_workspace": "local", "home_channels": ["general"]}
            ]
        }
    )
    harness = await Harness.start(store, cfg)
    await harness.core.handle(
        MessagePosted(actor("bob"), place("random"), "e1", harness.clock.now())
    )
    await harness.core.handle(
        MessagePosted(actor("bob"), place("general"), "e2", harness.clock.now())
    )
    assert [e.channel for e in await ledger(harness)] == ["general"]
    await harness.close()


async def test_members_are_created_once_and_keep_their_names(harness: Harness) -> None:
    await harness.post("bob")
    await harness.say("me", user="bob")
    async with harness.store.transaction() as session:
        members = (await session.exec(select(Member.display_name))).all()
    assert sorted(members) == ["bob"]


async def test_timezone_is_set_and_shown(harness: Harness) -> None:
    reply = await harness.say("tz America/New_York", user="bob")
    assert reply.startswith("🕘 Your timezone is now America/New_York (it is 04:30 there).")
    assert "Timezone: America/New_York" in await harness.say("me", user="bob")
    bad = await harness.say("tz Nowhere", user="bob")
    assert "'Nowhere' is not a timezone" in bad and "Usage: `/cop tz <Area/City>`" in bad
    assert "Timezone: America/New_York" in await harness.say("me", user="bob")
