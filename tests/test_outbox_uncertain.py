"""A send whose outcome is unknown is reconciled at once, before any retry: no duplicate, none lost.

The real slack-sdk client talks to the local Slack, which posts some messages and then answers
past the client's timeout or drops the connection; the real discord.py client talks to the local
Discord, which drops the connection after posting and de-duplicates by nonce.
"""

from __future__ import annotations

from collections import Counter

from adapters.slack.runtime import web_client
from adapters.slack.sender import SlackSender
from bot.config import SlackConfig
from bot.config_outbox import OutboxConfig, SlackLaneConfig
from bot.direct import DirectChannels
from bot.outbox import OutboxDelivery
from bot.ui import Message, Outgoing, Recipient
from storage.engine import Store
from tests.factories import Harness
from tests.fakes.slack import FakeSlack, SlackFaults
from tests.test_discord import running
from tests.test_outbox import put, rows

DMS = 60


def fast_lane() -> OutboxConfig:
    """Pacing that does not slow a test down; the local Slack enforces nothing here."""
    lane = SlackLaneConfig(
        rate_per_second=0, channel_rate_per_second=0, opens_per_minute=0, concurrency=16
    )
    return OutboxConfig(slack=lane)


async def test_slack_posts_answered_late_or_cut_off_are_neither_doubled_nor_lost(
    store: Store,
) -> None:
    fake = FakeSlack()
    await fake.start()
    # One in five posts goes through but its answer comes after the client gave up (0.3 s) or
    # never, the connection dropped.
    fake.inject(SlackFaults(rate=0.2, late_seconds=1.0))
    harness = await Harness.start(store)
    settings = SlackConfig(enabled=True, api_base_url=fake.api_url, timeout_seconds=0.3)
    sender = SlackSender(web_client(settings, "xoxb-test"), DirectChannels(store))
    delivery = OutboxDelivery(store, {"slack": sender}, harness.clock, fast_lane())
    try:
        dms = [
            Outgoing(Recipient("slack", "T1", user=f"U{i}"), Message(f"hi {i}"), f"k{i}")
            for i in range(DMS)
        ]
        await put(store, *dms)
        # The clock does not move: every uncertain send is settled at once, not after a lease.
        await delivery.deliver_due()
        stored = await rows(store)
        keys = Counter(m["metadata"]["event_payload"]["key"] for m in fake.posted())
        assert {"late", "drop"} <= set(fake.faulted)  # both kinds of fault happened
        assert [k for k, n in keys.items() if n > 1] == []  # 0 duplicates
        assert sorted(keys) == sorted(d.key for d in dms)  # 0 lost
        assert {r.status for r in stored.values()} == {"sent"}
        # Each row records the message Slack really has, found by its key.
        by_key = {m["metadata"]["event_payload"]["key"]: m["ts"] for m in fake.posted()}
        assert all(stored[k].platform_message_id == ts for k, ts in by_key.items())
    finally:
        await harness.close()
        await fake.stop()


async def test_a_discord_post_cut_off_is_sent_again_with_its_nonce_and_shown_once(
    store: Store,
) -> None:
    async with running(store) as stack:
        stack.fake.drop_next_posts = 1
        channel = "700000000000000009"
        post = Outgoing(Recipient("discord", "G1", channel=channel), Message("Weekly prompt"), "p1")
        await put(store, post)
        await stack.harness.delivery.deliver_due()  # the clock does not move: no lease expires
        posts = stack.fake.calls_to("POST", f"/channels/{channel}/messages")
        assert len(posts) == 2  # cut off, then sent again at once...
        assert posts[0]["nonce"] == posts[1]["nonce"] and posts[1]["enforce_nonce"]
        assert len(stack.fake.by_nonce) == 1  # ...and Discord shows it once
        row = (await rows(store))["p1"]
        assert row.status == "sent"
        assert row.platform_message_id == stack.fake.by_nonce[(channel, posts[0]["nonce"])]["id"]
        assert "Disconnected" in (row.last_error or "")
