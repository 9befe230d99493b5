"""Events in a voice channel through the core: Discord's only (the console and Slack say so and
store nothing), and who was there counted, anonymously in the ledger for one who opted out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from bot.events import Actor, CommandInvoked, Place, VoiceJoined
from storage.engine import Store
from storage.models import Event, EventAttendance, LedgerEntry, ScheduledJob
from tests.discord_kit import DISCORD_CONFIG
from tests.factories import Harness, config, event_id, text_of
from tests.fakes.discord import CHANNEL_ID, GUILD_ID, VOICE_CHANNEL_ID
from tests.test_event_platforms import slack_says
from tests.test_slack import SlackStack
from tests.test_slack import stack as stack

STARTS = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)  # 2026-12-08 18:00 in Europe/Berlin
ADD = 'event add title:"Data clinic" start:"2026-12-08 18:00" voice:<#{voice}>'
REFUSED = "Voice channels are Discord's: leave `voice:` out here"


async def stored(store: Store) -> list[Event]:
    async with store.read() as session:
        return list((await session.exec(select(Event))).all())


async def test_the_console_has_no_voice_channels(store: Store) -> None:
    harness = await Harness.start(store)
    try:
        said = await harness.say(ADD.format(voice="C9"), admin=True)
        assert REFUSED in said
        assert "`/cop event attended <id> @a @b`" in said and "Nothing was created" in said
        assert await stored(store) == []
    finally:
        await harness.close()


async def test_slack_has_no_voice_channels(stack: SlackStack) -> None:
    said = await slack_says(stack, ADD.format(voice="C2|huddle"))
    assert REFUSED in said
    assert await stored(stack.harness.store) == []


def discord(user: str, admin: bool = False) -> Actor:
    return Actor("discord", GUILD_ID, user, user.capitalize(), admin)


@pytest.fixture
async def harness(store: Store) -> AsyncIterator[Harness]:
    harness = await Harness.start(store, config(DISCORD_CONFIG))
    yield harness
    await harness.close()


async def run(harness: Harness, who: Actor, text: str) -> str:
    where = Place("discord", GUILD_ID, CHANNEL_ID)
    event = CommandInvoked(who, where, event_id(), harness.clock.now(), text=text)
    return text_of(await harness.core.handle(event))


async def in_voice(harness: Harness, who: Actor, at: datetime) -> None:
    where = Place("discord", GUILD_ID, VOICE_CHANNEL_ID)
    await harness.core.handle(VoiceJoined(who, where, event_id(), at))


async def test_one_who_opted_out_has_come_but_the_ledger_does_not_name_them(
    harness: Harness,
) -> None:
    added = await run(harness, discord("fran", admin=True), ADD.format(voice=VOICE_CHANNEL_ID))
    assert added.startswith("✅ Event #1 *Data clinic*")
    bob = discord("bob")
    assert (await run(harness, bob, "privacy optout confirm:yes")).startswith("🔒 Done")
    await in_voice(harness, bob, STARTS + timedelta(minutes=5))
    async with harness.store.read() as session:
        [came] = (await session.exec(select(EventAttendance))).all()
        [row] = (
            await session.exec(select(LedgerEntry).where(col(LedgerEntry.kind) == "attended"))
        ).all()
    assert (came.event_id, came.how, came.recorded_by) == (1, "voice", None)
    assert row.member_id is None and row.event_id == f"attended:1:{came.member_id}"


async def test_nobody_comes_to_a_cancelled_event(harness: Harness) -> None:
    fran = discord("fran", admin=True)
    await run(harness, fran, ADD.format(voice=VOICE_CHANNEL_ID))
    assert "is cancelled" in await run(harness, fran, "event cancel 1")
    await in_voice(harness, discord("bob"), STARTS + timedelta(minutes=5))
    async with harness.store.read() as session:
        assert (await session.exec(select(EventAttendance))).all() == []


async def test_the_roll_call_at_the_start_follows_a_move_and_a_cancel(harness: Harness) -> None:
    fran = discord("fran", admin=True)
    await run(harness, fran, ADD.format(voice=VOICE_CHANNEL_ID))
    await run(harness, fran, 'event move 1 start:"2026-12-08 19:00"')

    async def roll_calls() -> list[tuple[str, str, datetime]]:
        async with harness.store.read() as session:
            query = select(ScheduledJob).where(col(ScheduledJob.kind) == "event-voice")
            found = (await session.exec(query.order_by(col(ScheduledJob.id)))).all()
            return [(j.key, j.status, j.due_at.replace(tzinfo=UTC)) for j in found]

    assert await roll_calls() == [
        ("event-voice:1:v0", "cancelled", STARTS),
        ("event-voice:1:v1", "pending", STARTS + timedelta(hours=1)),
    ]
    await run(harness, fran, "event cancel 1")
    assert [status for _, status, _ in await roll_calls()] == ["cancelled", "cancelled"]
