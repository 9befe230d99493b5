"""Participation tracking: counted once per event id, metadata only, opt-out honoured."""

from __future__ import annotations

import asyncio

from sqlmodel import select

from adapters.console import inbound as console_inbound
from bot.directory import member_for
from bot.events import MessagePosted
from bot.usecases.participation import row_for
from storage.engine import Store
from storage.models import LedgerEntry, Member
from tests.factories import ACTS, Harness, actor, config, place


async def community_and_member(harness: Harness, user: str):  # type: ignore[no-untyped-def]
    async with harness.store.transaction() as session:
        return await member_for(session, harness.services.config, actor(user), harness.clock.now())


async def ledger(harness: Harness) -> list[LedgerEntry]:
    async with harness.store.transaction() as session:
        return list(
            (await session.exec(select(LedgerEntry).where(ACTS).order_by(LedgerEntry.id))).all()
        )


async def test_messages_replies_reactions_and_joins_are_counted(harness: Harness) -> None:
    await harness.post("bob")
    await harness.post("bob", reply=True)
    await harness.react("bob")
    await harness.join("dana")
    assert [e.kind for e in await ledger(harness)] == ["message", "reply", "reaction", "join"]
    me = await harness.say("me", user="bob")
    assert "Last 7 days: 1 message, 1 thread reply, 1 reaction, 0 check-ins answered" in me
    assert "Tracking: on" in me


async def test_a_retried_event_is_counted_once(harness: Harness) -> None:
    await harness.post("bob", ev="ev-same")
    await harness.post("bob", ev="ev-same")
    await asyncio.gather(*(harness.react("bob", ev="ev-burst") for _ in range(5)))
    assert [e.event_id for e in await ledger(harness)] == ["ev-same", "ev-burst"]


async def test_bots_are_not_counted(harness: Harness) -> None:
    await harness.post("robot", bot=True)
    assert await ledger(harness) == []


async def test_concurrent_events_are_committed_in_batches(harness: Harness) -> None:
    await asyncio.gather(*(harness.post(f"m{i % 7}") for i in range(20)))  # the members exist
    before = harness.ledger.batches
    await asyncio.gather(*(harness.post(f"m{i % 7}") for i in range(200)))
    assert len(await ledger(harness)) == 220
    # Member look-ups happen inside the ledger's batches: 200 events share a few transactions.
    assert 0 < harness.ledger.batches - before < 20, harness.ledger.batches - before


async def test_one_bad_row_does_not_lose_the_rest_of_its_batch(harness: Harness) -> None:
    await harness.post("bob")
    good = row_for(
        MessagePosted(actor("bob"), place(), "good", harness.clock.now()),
        *await community_and_member(harness, "bob"),
    )
    bad = {**good, "event_id": "bad", "community_id": 999_999}  # no such community
    results = await asyncio.gather(
        harness.ledger.record(good), harness.ledger.record(bad), return_exceptions=True
    )
    assert results[0] is None and isinstance(results[1], Exception)
    assert [e.event_id for e in await ledger(harness)][-1] == "good"


async def test_opting_out_anonymises_past_and_future_acts(harness: Harness) -> None:
    await harness.post("bob")
    await harness.post("bob")
    status = await harness.say("privacy status", user="bob")
    assert status.startswith("📊 Tracking is on")
    asked = await harness.say("privacy optout", user="bob")
    assert "also makes your 2 counted acts so far anonymous, for good" in asked
    assert asked.endswith("To go ahead: `/cop privacy optout confirm:yes`")
    assert all(e.member_id is not None for e in await ledger(harness))  # nothing happened yet
    assert "Tracking is on" in await harness.say("privacy status", user="bob")
    out = await harness.say("privacy optout confirm:yes", user="bob")
    assert "Your 2 counted acts so far are now anonymous." in out
    await harness.post("bob")
    entries = await ledger(harness)
    assert len(entries) == 3 and all(e.member_id is None for e in entries)
    assert "Tracking is off for you" in await harness.say("privacy status", user="bob")
    assert "already off" in await harness.say("privacy optout", user="bob")
    assert "Tracking: off" in await harness.say("me", user="bob")
    back = await harness.say("privacy optin", user="bob")
    assert "starting from now; what was counted before you opted out stays anonymous" in back
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


async def test_home_channels_may_be_platform_qualified(store: Store) -> None:
    """``"console:general"`` counts general, as the bare ``"general"`` does (issue 9, item 9)."""
    entry = {
        "name": "demo",
        "console_workspace": "local",
        "slack_team_id": "T1",
        "home_channels": ["console:general", "slack:CRANDOM"],
    }
    harness = await Harness.start(store, config({"communities": [entry]}))
    for channel, key in (("random", "e1"), ("general", "e2"), ("CRANDOM", "e3")):
        await harness.core.handle(
            MessagePosted(actor("bob"), place(channel), key, harness.clock.now())
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
    assert '"Nowhere" is not a timezone' in bad and "Usage: `/cop tz <Area/City>`" in bad
    assert "Timezone: America/New_York" in await harness.say("me", user="bob")


async def test_a_console_message_keeps_an_id_of_its_own(harness: Harness) -> None:
    said = console_inbound.message(actor("bob"), place(), harness.clock.now())
    await harness.core.handle(said)
    (entry,) = await ledger(harness)
    # The console makes no message ids: the event's, unique, stands for one.
    assert entry.message_ref == said.event_id and entry.parent_ref is None
