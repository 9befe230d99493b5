"""copbot's events as Discord guild scheduled events, and *Interested* marks from the gateway:
the real discord.py against the local Discord, through the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.discord.runtime import intents
from bot.core import Copbot, Response
from bot.events import InboundEvent, InterestChanged
from bot.outbox import Delivery
from bot.outbox_keys import EVENT_NATIVE, event_edit_key, event_native_key
from bot.ui import Message, NativeEvent, Outgoing, Recipient, time_token
from storage.engine import Store
from tests.discord_kit import BOB
from tests.fakes.discord import CHANNEL_ID, GUILD_ID
from tests.slack_kit import eventually
from tests.test_discord import DiscordStack, running
from tests.test_outbox import put, rows

START = datetime(2026, 12, 8, 16, 0, tzinfo=UTC)
KEY = event_native_key(1)


def clinic(start: datetime = START, *, cancelled: bool = False) -> NativeEvent:
    """The native event of "Data clinic", an hour long from ``start``."""
    return NativeEvent(
        name="Data clinic",
        start=start,
        end=start + timedelta(hours=1),
        location="https://meet.example/clinic",
        description=f"Bring data, @everyone. Starts {time_token(start, 'Tue 8 Dec 17:00 CET')}",
        cancelled=cancelled,
    )


def native(event: NativeEvent, key: str = KEY, edits: str | None = None) -> Outgoing:
    """The outbox message the core makes for an event's scheduled event (or an edit of it)."""
    return Outgoing(
        Recipient("discord", GUILD_ID, channel=CHANNEL_ID),
        Message(event.name, native_event=event),
        key,
        kind=EVENT_NATIVE,
        subject="1",
        edits=edits,
    )


async def deliver(stack: DiscordStack, *items: Outgoing) -> None:
    await put(stack.harness.store, *items)
    await stack.harness.delivery.deliver_due()


async def created(stack: DiscordStack) -> str:
    """Create the clinic's scheduled event; its id, as the outbox row recorded it."""
    await deliver(stack, native(clinic()))
    row = (await rows(stack.harness.store))[KEY]
    assert row.status == "sent" and row.platform_message_id is not None
    return row.platform_message_id


def edit(event: NativeEvent, minute: int = 1) -> Outgoing:
    at = START - timedelta(days=1, minutes=-minute)
    return native(event, event_edit_key(KEY, at, "cancelled" if event.cancelled else "moved"), KEY)


async def test_an_event_is_created_as_an_external_scheduled_event(store: Store) -> None:
    async with running(store) as stack:
        native_id = await created(stack)
        [body] = stack.fake.calls_to("POST", f"/guilds/{GUILD_ID}/scheduled-events")
        assert body == {
            "name": "Data clinic",
            "description": "Bring data, @\u200beveryone. Starts Tue 8 Dec 17:00 CET",
            "scheduled_start_time": "2026-12-08T16:00:00+00:00",
            "scheduled_end_time": "2026-12-08T17:00:00+00:00",
            "entity_type": 3,
            "privacy_level": 2,
            "entity_metadata": {"location": "https://meet.example/clinic"},
        }
        event = stack.fake.events.by_id[native_id]
        assert (event["guild_id"], event["status"]) == (GUILD_ID, 1)


async def test_a_change_patches_the_times_and_a_cancel_sets_canceled(store: Store) -> None:
    async with running(store) as stack:
        native_id = await created(stack)
        moved = START + timedelta(days=1, hours=2)
        await deliver(stack, edit(clinic(moved)))
        path = f"/guilds/{GUILD_ID}/scheduled-events/{native_id}"
        [change] = stack.fake.calls_to("PATCH", path)
        assert change["scheduled_start_time"] == "2026-12-09T18:00:00+00:00"
        assert change["scheduled_end_time"] == "2026-12-09T19:00:00+00:00"
        assert change["entity_metadata"] == {"location": "https://meet.example/clinic"}
        event = stack.fake.events.by_id[native_id]
        assert event["scheduled_start_time"] == "2026-12-09T18:00:00+00:00"

        await deliver(stack, edit(clinic(moved, cancelled=True), minute=2))
        assert stack.fake.calls_to("PATCH", path)[-1] == {"status": 4}
        assert stack.fake.events.by_id[native_id]["status"] == 4
        stored = await rows(stack.harness.store)
        assert {r.status for r in stored.values()} == {"sent"}
        assert {r.platform_message_id for r in stored.values()} == {native_id}


async def test_a_cancelled_or_deleted_event_is_done_for_a_cancel_and_refused_for_a_change(
    store: Store,
) -> None:
    async with running(store) as stack:
        native_id = await created(stack)
        stack.fake.events.by_id[native_id]["status"] = 4  # a facilitator cancelled it on Discord
        again = edit(clinic(cancelled=True))
        moved = edit(clinic(START + timedelta(hours=1)), minute=2)
        # One at a time: a later edit of the same event withdraws one still pending.
        await deliver(stack, again)
        await deliver(stack, moved)
        stored = await rows(stack.harness.store)
        assert stored[again.key].status == "sent"
        assert (stored[moved.key].status, stored[moved.key].last_error) == (
            "failed",
            "the Discord event is already cancelled or over, so it cannot be changed",
        )
        assert stack.fake.calls_to("PATCH", "/scheduled-events/") == []  # nothing was sent

        del stack.fake.events.by_id[native_id]  # deleted on Discord
        gone = edit(clinic(cancelled=True), minute=3)
        changed = edit(clinic(START + timedelta(hours=2)), minute=4)
        await deliver(stack, gone)
        await deliver(stack, changed)
        stored = await rows(stack.harness.store)
        assert stored[gone.key].status == "sent"
        assert stored[changed.key].status == "failed"
        assert "deleted on Discord" in (stored[changed.key].last_error or "")


async def test_an_event_under_way_is_ended_rather_than_cancelled(store: Store) -> None:
    async with running(store) as stack:
        native_id = await created(stack)
        stack.fake.events.by_id[native_id]["status"] = 2  # it has begun
        await deliver(stack, edit(clinic(cancelled=True)))
        assert stack.fake.events.by_id[native_id]["status"] == 3


async def test_a_create_whose_answer_is_lost_is_found_again_not_doubled(store: Store) -> None:
    async with running(store) as stack:
        stack.fake.events.drop_next_creates = 1
        await deliver(stack, native(clinic()))
        [event] = stack.fake.events.by_id.values()  # created once
        assert len(stack.fake.calls_to("POST", "/scheduled-events")) == 1
        assert stack.fake.calls_to("GET", f"/guilds/{GUILD_ID}/scheduled-events")  # looked
        row = (await rows(stack.harness.store))[KEY]
        assert (row.status, row.platform_message_id) == ("sent", event["id"])
        # The same name at another start is another event: not taken for this one.
        other = native(clinic(START + timedelta(days=7)), event_native_key(2))
        assert await stack.runtime.sender.reconcile(_delivery(other)) is None


def _delivery(outgoing: Outgoing) -> Delivery:
    return Delivery(outgoing.key, outgoing.recipient, None, outgoing.message, 1)


async def test_missing_permissions_fail_the_row_with_what_to_grant(store: Store) -> None:
    async with running(store) as stack:
        stack.fake.events.forbidden_guilds.add(GUILD_ID)
        await deliver(stack, native(clinic()))
        row = (await rows(stack.harness.store))[KEY]
        assert row.status == "failed"
        assert row.last_error == (
            "403 Missing Permissions: copbot needs the Create Events and Manage Events "
            "permissions in this server to put events on its calendar"
        )


async def test_a_rate_limit_waits_as_long_as_discord_asks(store: Store) -> None:
    async with running(store) as stack:
        stack.fake.events.rate_limited = 1
        await deliver(stack, native(clinic()))
        row = (await rows(stack.harness.store))[KEY]
        assert (row.status, row.last_error) == ("pending", "rate limited")
        waited = row.not_before.replace(tzinfo=UTC) - stack.harness.clock.now()
        assert waited == timedelta(seconds=7.5)
        assert stack.fake.events.by_id == {}


class HeardCore:
    """The real core behind a recorder of what the runtime hands it."""

    def __init__(self, core: Copbot) -> None:
        self.core = core
        self.heard: list[InboundEvent] = []

    async def handle(self, event: InboundEvent) -> list[Response]:
        self.heard.append(event)
        return await self.core.handle(event)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.core, name)


async def test_interested_marks_from_the_gateway_reach_the_core(store: Store) -> None:
    assert intents().guild_scheduled_events
    heard: list[HeardCore] = []

    def recorded(core: Copbot) -> HeardCore:
        heard.append(HeardCore(core))
        return heard[0]

    async with running(store, core=recorded) as stack:
        assert stack.runtime.client.intents.guild_scheduled_events
        native_id = await created(stack)
        bob = BOB["user"]["id"]
        await stack.fake.interest(native_id, bob)
        await stack.fake.interest(native_id, bob, interested=False)
        # An event discord.py never saw (made before copbot joined): still heard.
        await stack.fake.interest("600000000000000001", bob)

        def marks_heard() -> list[InterestChanged]:
            found = [e for e in heard[0].heard if isinstance(e, InterestChanged)]
            return found if len(found) == 3 else []

        marks = await eventually(marks_heard)
    assert [(e.native_id, e.interested) for e in marks] == [
        (native_id, True),
        (native_id, False),
        ("600000000000000001", True),
    ]
    first = marks[0]
    assert (first.actor.platform, first.actor.workspace, first.actor.user) == (
        "discord",
        GUILD_ID,
        bob,
    )
    assert first.actor.display_name is None and first.actor.is_admin is None  # not cached
    assert (first.place.workspace, first.place.channel) == (GUILD_ID, None)
    assert len({e.event_id for e in marks}) == 3
