"""An event on Discord from ``/cop event add`` to *Interested* and a cancel: the real discord.py
against the local Discord, the real core and outbox behind it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select

from storage.engine import Store
from storage.models import EventRsvp
from tests.discord_kit import BOB, FACILITATOR, slash
from tests.fakes.discord import CHANNEL_ID, GUILD_ID
from tests.slack_kit import eventually_async
from tests.test_discord import DiscordStack, running, said

STARTS = 1796749200  # 2026-12-08 18:00 in Europe/Berlin


def shown(message: dict[str, Any]) -> str:
    return message.get("content") or message["embeds"][0]["description"]


def announcement(stack: DiscordStack) -> dict[str, Any]:
    [post] = [m for m in stack.fake.messages.values() if m["channel_id"] == CHANNEL_ID]
    return post


async def answers(stack: DiscordStack) -> list[tuple[str, str]]:
    async with stack.harness.store.read() as session:
        return [(r.answer, r.source) for r in (await session.exec(select(EventRsvp))).all()]


async def test_an_event_from_the_command_to_interested_and_its_cancel(store: Store) -> None:
    async with running(store) as stack:
        fake, harness = stack.fake, stack.harness
        added = await stack.interact(
            2,
            slash(
                "event",
                "add",
                title="Data clinic",
                start="2026-12-08 18:00",
                duration=90,
                link="https://meet.example/clinic",
                description="Bring data",
            ),
            FACILITATOR,
        )
        assert said(added).startswith("✅ Event #1 *Data clinic*")
        await harness.delivery.deliver_due()

        [created] = fake.calls_to("POST", f"/guilds/{GUILD_ID}/scheduled-events")
        assert created["name"] == "Data clinic" and created["entity_type"] == 3
        assert created["scheduled_start_time"] == "2026-12-08T17:00:00+00:00"
        assert created["scheduled_end_time"] == "2026-12-08T18:30:00+00:00"
        assert created["entity_metadata"] == {"location": "https://meet.example/clinic"}
        [native_id] = fake.events.by_id
        # The announcement shows the start in each reader's own zone.
        assert f"<t:{STARTS}:F> (<t:{STARTS}:R>)" in shown(announcement(stack))

        await fake.interest(native_id, BOB["user"]["id"])
        await eventually_async(lambda: answers(stack), [("going", "interested")])
        await harness.delivery.deliver_due()
        buttons = announcement(stack)["components"][0]["components"]
        assert buttons[0]["label"].endswith("Going (1)")

        await fake.interest(native_id, BOB["user"]["id"], interested=False)
        await eventually_async(lambda: answers(stack), [])

        moved = await stack.interact(
            2, slash("event", "move", id=1, start="2026-12-09 10:00"), FACILITATOR
        )
        assert "now starts Wed 9 Dec 2026, 10:00" in said(moved)
        await harness.delivery.deliver_due()
        [patch] = fake.calls_to("PATCH", f"/guilds/{GUILD_ID}/scheduled-events/{native_id}")
        assert patch["scheduled_start_time"] == "2026-12-09T09:00:00+00:00"
        assert patch["scheduled_end_time"] == "2026-12-09T10:30:00+00:00"
        assert f"<t:{STARTS + 16 * 3600}:F>" in shown(announcement(stack))

        cancelled = await stack.interact(2, slash("event", "cancel", id=1), FACILITATOR)
        assert said(cancelled).startswith("✅ Event #1 *Data clinic* is cancelled")
        await harness.delivery.deliver_due()
        assert fake.events.by_id[native_id]["status"] == 4
        patches = fake.calls_to("PATCH", f"/guilds/{GUILD_ID}/scheduled-events/{native_id}")
        assert patches[-1] == {"status": 4}


async def test_a_button_answer_outranks_interested_and_brings_the_reminder(store: Store) -> None:
    async with running(store) as stack:
        fake, harness = stack.fake, stack.harness
        await stack.interact(
            2, slash("event", "add", title="Data clinic", start="2026-12-08 18:00"), FACILITATOR
        )
        await harness.delivery.deliver_due()
        [native_id] = fake.events.by_id
        clicked = await stack.interact(
            3, {"custom_id": "rsvp:event:1:maybe", "component_type": 2}, BOB
        )
        assert "maybe for *Data clinic*" in said(clicked)
        await harness.delivery.deliver_due()
        buttons = announcement(stack)["components"][0]["components"]
        assert [b["label"] for b in buttons[:3]] == [
            "✅ Going (0)",
            "🤔 Maybe (1)",
            "❌ Can't go (0)",
        ]
        # Marking Interested on Discord's event does not overrule the button's answer...
        await fake.interest(native_id, BOB["user"]["id"])
        await harness.delivery.deliver_due()
        assert await answers(stack) == [("maybe", "button")]
        # ...and Bob, maybe, would get no reminder; once he says going, he gets the one still
        # ahead (the 24-hour one is long past by then, and not sent late).
        await stack.interact(3, {"custom_id": "rsvp:event:1:going", "component_type": 2}, BOB)
        starts = datetime.fromtimestamp(STARTS, UTC)
        harness.clock.set(starts - timedelta(minutes=59))
        await harness.run_jobs()
        await harness.delivery.deliver_due()
        dms = [m for m in fake.messages.values() if m["channel_id"] != CHANNEL_ID]
        assert len(dms) == 1 and "starts in 1 h" in shown(dms[0])
