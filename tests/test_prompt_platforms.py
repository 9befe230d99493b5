"""A discussion prompt on Slack and on Discord, through the local stand-ins: scheduled by a
facilitator, posted in the channel at its firing, and a reply in the post's thread counted."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import col, select

from bot.outbox_keys import PROMPT_POST
from storage.engine import Store
from storage.models import LedgerEntry, OutboxRow
from tests.discord_kit import BOB, FACILITATOR, message_create, message_id, slash
from tests.factories import Harness
from tests.fakes.discord import CHANNEL_ID, GUILD_ID
from tests.slack_kit import eventually_async
from tests.test_discord import DiscordStack, running, said
from tests.test_prompts import MONDAY
from tests.test_slack import SlackStack, reply_text
from tests.test_slack import stack as stack

QUESTION = "What failed this week, and what did it teach you?"
LABEL = "🪞 Reflect on practice"


async def fire(harness: Harness) -> None:
    """The harness's clock just past the prompt's firing, its jobs run and the outbox delivered."""
    harness.clock.set(MONDAY + timedelta(minutes=1))
    await harness.run_jobs()
    await harness.delivery.deliver_due()


async def posted_id(harness: Harness) -> str | None:
    """The platform id the prompt's post was given, as its outbox row recorded it."""
    async with harness.store.read() as session:
        query = select(OutboxRow).where(col(OutboxRow.kind) == PROMPT_POST)
        [post] = (await session.exec(query)).all()
        return post.platform_message_id


async def replies_to(harness: Harness, parent: str) -> int:
    """How many reply rows the ledger holds under one parent (counted here, not by copbot)."""
    async with harness.store.read() as session:
        query = select(LedgerEntry).where(col(LedgerEntry.kind) == "reply")
        return sum(1 for e in (await session.exec(query)).all() if e.parent_ref == parent)


async def slack_says(stack: SlackStack, text: str, user: str = "UFAC") -> str:
    return await reply_text(stack, await stack.slack.command(text, user=user))


async def test_a_slack_prompt_is_posted_and_its_thread_reply_counted(stack: SlackStack) -> None:
    added = await slack_says(stack, f'prompt add text:"{QUESTION}" kind:reflect')
    assert added.startswith(f"✅ Prompt #1 queued ({LABEL})")
    scheduled = await slack_says(
        stack, 'prompt schedule schedule:"mon 10:00" channel:<#C1|general>'
    )
    assert "every Monday at 10:00 Europe/Berlin" in scheduled
    harness = stack.harness
    await fire(harness)
    [post] = [c for c in stack.fake.calls_to("chat.postMessage") if c.get("channel") == "C1"]
    shown = json.dumps(post, ensure_ascii=False)
    assert LABEL in shown and QUESTION in shown
    ts = await posted_id(harness)
    assert ts is not None and ts.endswith(".000100")  # the ts the fake Slack gave the post
    reply = {
        "type": "message",
        "user": "UBOB",
        "channel": "C1",
        "ts": "1733999999.000200",
        "thread_ts": ts,
    }
    assert await stack.slack.event(reply, "EvReply1") == 200
    await eventually_async(lambda: replies_to(harness, ts), 1)
    listed = await slack_says(stack, "prompt list")
    assert f"#1 {LABEL}: What failed this week" in listed
    assert "1 reply from 1 person" in listed


async def discord_says(stack: DiscordStack, data: dict[str, object]) -> str:
    return said(await stack.interact(2, data, FACILITATOR))


async def thread_from(stack: DiscordStack, message: str) -> None:
    """Someone starts a thread from a message in #general: the thread has the message's id."""
    await stack.fake.dispatch(
        "THREAD_CREATE",
        {
            "id": message,
            "type": 11,
            "guild_id": GUILD_ID,
            "parent_id": CHANNEL_ID,
            "name": "prompt",
            "owner_id": BOB["user"]["id"],
            "newly_created": True,
            "message_count": 0,
            "member_count": 1,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": "2026-12-07T09:05:00+00:00",
                "locked": False,
            },
        },
    )


async def test_a_discord_prompt_is_posted_and_its_thread_reply_counted(store: Store) -> None:
    async with running(store) as stack:
        added = await discord_says(stack, slash("prompt", "add", text=QUESTION, kind="reflect"))
        assert added.startswith(f"✅ Prompt #1 queued ({LABEL})")
        scheduled = await discord_says(
            stack, slash("prompt", "schedule", schedule="mon 10:00", channel=CHANNEL_ID)
        )
        assert "every Monday at 10:00 Europe/Berlin" in scheduled
        harness = stack.harness
        await fire(harness)
        path = f"/channels/{CHANNEL_ID}/messages"
        [post] = [b for m, p, b in stack.fake.calls if m == "POST" and p == path]
        shown = json.dumps(post, ensure_ascii=False)
        assert LABEL in shown and QUESTION in shown
        [sent] = [m for m in stack.fake.messages.values() if m["channel_id"] == CHANNEL_ID]
        assert await posted_id(harness) == sent["id"]
        await thread_from(stack, sent["id"])
        reply = {**message_create(message_id(), BOB), "channel_id": sent["id"]}
        await stack.fake.dispatch("MESSAGE_CREATE", reply)
        await eventually_async(lambda: replies_to(harness, sent["id"]), 1)
        listed = await discord_says(stack, slash("prompt", "list"))
        assert f"#1 {LABEL}: What failed this week" in listed
        assert "1 reply from 1 person" in listed
