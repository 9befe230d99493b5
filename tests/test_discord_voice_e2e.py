"""An event held in a Discord voice (or stage) channel: its native event is hosted there, and
whoever is in the channel while it runs is counted as having come. The real discord.py against
the local Discord, the real core behind it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
from sqlmodel import col, select

from bot.core import Copbot, Response
from bot.events import InboundEvent, VoiceJoined
from storage.engine import Store
from storage.models import EventAttendance, LedgerEntry, Member
from tests.discord_kit import BOB, FACILITATOR, slash
from tests.fakes.discord import (
    APP_ID,
    GUILD_ID,
    STAGE_CHANNEL_ID,
    VOICE_CHANNEL_ID,
    member,
    user,
)
from tests.slack_kit import eventually
from tests.test_discord import DiscordStack, running, said

STARTS = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)  # 2026-12-08 18:00 in Europe/Berlin
CAI = member("100000000000000003", "Cai")
HELPER_ID = "100000000000000009"
HELPER = {**member(HELPER_ID, "helper"), "user": user(HELPER_ID, "helper", bot=True)}


class HandledCore:
    """The real core, noting each voice join once it is handled (so a test knows it is done,
    even when nothing came of it)."""

    def __init__(self, core: Copbot) -> None:
        self.core = core
        self.handled: list[VoiceJoined] = []

    async def handle(self, event: InboundEvent) -> list[Response]:
        responses = await self.core.handle(event)
        if isinstance(event, VoiceJoined):
            self.handled.append(event)
        return responses

    def __getattr__(self, name: str) -> Any:
        return getattr(self.core, name)


def recording() -> tuple[list[HandledCore], Callable[[Copbot], HandledCore]]:
    cores: list[HandledCore] = []

    def wrap(core: Copbot) -> HandledCore:
        cores.append(HandledCore(core))
        return cores[0]

    return cores, wrap


async def joins(
    stack: DiscordStack, core: HandledCore, who: dict[str, Any], channel: str, at: datetime
) -> None:
    """Someone is in a voice channel at ``at``, and copbot has handled it."""
    before = len(core.handled)
    stack.harness.clock.set(at)
    await stack.fake.voice(who, channel)
    await eventually(lambda: len(core.handled) > before)


async def attendance(stack: DiscordStack) -> list[tuple[int, str, int | None]]:
    async with stack.harness.store.read() as session:
        rows = (await session.exec(select(EventAttendance))).all()
        return [(r.event_id, r.how, r.recorded_by) for r in rows]


async def add_in(stack: DiscordStack, channel: str, title: str = "Data clinic") -> str:
    added = await stack.interact(
        2,
        slash("event", "add", title=title, start="2026-12-08 18:00", voice=channel),
        FACILITATOR,
    )
    await stack.harness.delivery.deliver_due()
    return said(added)


async def test_who_is_in_the_voice_channel_while_it_runs_has_come(store: Store) -> None:
    cores, wrap = recording()
    async with running(store, core=wrap) as stack:
        core, fake = cores[0], stack.fake
        [synced] = fake.commands[f"applications/{APP_ID}"]
        [event_group] = [g for g in synced["options"] if g["name"] == "event"]
        [add] = [c for c in event_group["options"] if c["name"] == "add"]
        [voice] = [o for o in add["options"] if o["name"] == "voice"]
        assert voice["type"] == 7 and voice["channel_types"] == [2, 13]

        added = await add_in(stack, VOICE_CHANNEL_ID)
        assert f"held in #{VOICE_CHANNEL_ID}" in added
        [created] = fake.calls_to("POST", f"/guilds/{GUILD_ID}/scheduled-events")
        assert created["entity_type"] == 2 and created["channel_id"] == VOICE_CHANNEL_ID
        assert created["entity_metadata"] is None
        assert created["scheduled_end_time"] == "2026-12-08T18:00:00+00:00"
        [native] = fake.events.by_id.values()
        assert native["channel_id"] == VOICE_CHANNEL_ID

        # Too early, in another channel, a bot, and after the end: nobody has come.
        await joins(stack, core, BOB, VOICE_CHANNEL_ID, STARTS - timedelta(minutes=16))
        await joins(stack, core, CAI, STAGE_CHANNEL_ID, STARTS + timedelta(minutes=5))
        # A bot never reaches the core: the next join, handled, comes after it.
        await fake.voice(HELPER, VOICE_CHANNEL_ID)
        await joins(stack, core, CAI, VOICE_CHANNEL_ID, STARTS + timedelta(minutes=61))
        assert await attendance(stack) == []
        # Bob, in the channel during the event: come. Again (a move back, a mute): still once.
        await joins(stack, core, BOB, VOICE_CHANNEL_ID, STARTS + timedelta(minutes=10))
        await joins(stack, core, BOB, STAGE_CHANNEL_ID, STARTS + timedelta(minutes=20))
        await joins(stack, core, BOB, VOICE_CHANNEL_ID, STARTS + timedelta(minutes=30))
        assert await attendance(stack) == [(1, "voice", None)]

        async with stack.harness.store.read() as session:
            bob = (
                await session.exec(select(Member).where(col(Member.display_name) == "Bob"))
            ).one()
            [row] = (
                await session.exec(select(LedgerEntry).where(col(LedgerEntry.kind) == "attended"))
            ).all()
        assert (row.member_id, row.event_id) == (bob.id, f"attended:1:{bob.id}")
        assert row.occurred_at.replace(tzinfo=UTC) == STARTS

        listed = await stack.interact(2, slash("event", "list"), FACILITATOR)
        assert "1 came" in said(listed)


async def test_someone_gathering_early_counts_and_a_stage_channel_hosts_a_stage_event(
    store: Store,
) -> None:
    cores, wrap = recording()
    async with running(store, core=wrap) as stack:
        core, fake = cores[0], stack.fake
        await add_in(stack, STAGE_CHANNEL_ID, "Town hall")
        [created] = fake.calls_to("POST", f"/guilds/{GUILD_ID}/scheduled-events")
        assert created["entity_type"] == 1 and created["channel_id"] == STAGE_CHANNEL_ID
        [native_id] = fake.events.by_id

        # Moved: the native event keeps its stage channel.
        moved = await stack.interact(
            2, slash("event", "move", id=1, start="2026-12-08 19:00"), FACILITATOR
        )
        assert said(moved).startswith("✅ Event #1 *Town hall* now starts")
        await stack.harness.delivery.deliver_due()
        [patch] = fake.calls_to("PATCH", f"/guilds/{GUILD_ID}/scheduled-events/{native_id}")
        assert patch["entity_type"] == 1 and patch["channel_id"] == STAGE_CHANNEL_ID
        assert patch["scheduled_start_time"] == "2026-12-08T18:00:00+00:00"

        # Ten minutes before the new start is within the quarter of an hour people gather in.
        await joins(stack, core, BOB, STAGE_CHANNEL_ID, STARTS + timedelta(minutes=50))
        assert await attendance(stack) == [(1, "voice", None)]


async def test_those_already_sitting_in_the_channel_at_the_start_have_come(store: Store) -> None:
    cores, wrap = recording()
    async with running(store, core=wrap) as stack:
        core, fake, harness = cores[0], stack.fake, stack.harness
        await add_in(stack, VOICE_CHANNEL_ID)
        # Half an hour early Bob and Cai sit down (too early to count), a bot with them; Cai
        # leaves again before the start.
        await fake.voice(HELPER, VOICE_CHANNEL_ID)
        await joins(stack, core, BOB, VOICE_CHANNEL_ID, STARTS - timedelta(minutes=30))
        await joins(stack, core, CAI, VOICE_CHANNEL_ID, STARTS - timedelta(minutes=30))
        await fake.voice(CAI, None)
        room = stack.runtime.client.get_channel(int(VOICE_CHANNEL_ID))
        assert isinstance(room, discord.VoiceChannel)
        await eventually(lambda: len(room.voice_states) == 2)  # Bob and the bot
        assert await attendance(stack) == []

        harness.clock.set(STARTS)
        await harness.run_jobs()
        assert await attendance(stack) == [(1, "voice", None)]
        async with harness.store.read() as session:
            [came] = (await session.exec(select(EventAttendance))).all()
            counted = await session.get(Member, came.member_id)
        assert counted is not None and counted.display_name == "Bob"
        # Bob changing something in the channel later adds nothing.
        await joins(stack, core, BOB, VOICE_CHANNEL_ID, STARTS + timedelta(minutes=5))
        assert await attendance(stack) == [(1, "voice", None)]
