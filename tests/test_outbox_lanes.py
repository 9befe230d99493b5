"""Delivery lanes: a slow or paused lane holds up no other, pacing bursts then paces, stop."""

from __future__ import annotations

import asyncio

from bot.config import Config
from bot.outbox import Delivery, RetryLater
from bot.pacing import TokenBucket
from bot.ui import Message, Outgoing, Recipient
from storage.engine import Store
from tests.factories import DEMO_CONFIG, Harness, config
from tests.test_outbox import put, rows


def unpaced() -> Config:
    """The demo config with Slack's pace of a channel lifted: a test of what else holds a
    channel back then waits for no clock (the pace itself is tested in test_outbox.py)."""
    fast = {"channel_rate_per_second": 1000, "channel_burst": 10}
    return config({**DEMO_CONFIG, "outbox": {"slack": fast}})


class Platform:
    """A stand-in platform: sends to places listed in ``stalled`` wait until ``release()``."""

    def __init__(self, platform: str, *stalled: str) -> None:
        self.platform = platform
        self.stalled = set(stalled)
        self.sent: list[str] = []
        self.waiting = asyncio.Event()  # a stalled send has started
        self._go = asyncio.Event()
        self.refuse: dict[str, RetryLater] = {}

    def release(self) -> None:
        self._go.set()

    async def send(self, delivery: Delivery) -> str:
        recipient = delivery.recipient
        place = recipient.channel or f"@{recipient.user}"
        if place in self.refuse:
            raise self.refuse.pop(place)
        if place in self.stalled:
            self.waiting.set()
            await self._go.wait()
        self.sent.append(delivery.key)
        return f"id-{delivery.key}"

    async def reconcile(self, delivery: Delivery) -> str | None:
        return None


def to(platform: str, key: str, *, user: str | None = None, channel: str | None = None) -> Outgoing:
    recipient = Recipient(platform, "W1", user=user, channel=channel)
    return Outgoing(recipient, Message(f"hello {key}"), key)


async def until(condition: asyncio.Event) -> None:
    await asyncio.wait_for(condition.wait(), 10)


async def test_a_stalled_lane_does_not_hold_up_another_platform(store: Store) -> None:
    slack, discord = Platform("slack", "@u0"), Platform("discord")
    harness = await Harness.start(store, senders={"slack": slack, "discord": discord})
    await put(store, *[to("slack", f"s{i}", user=f"u{i}") for i in range(3)])
    await put(store, to("discord", "d1", channel="C9"))
    delivering = asyncio.create_task(harness.delivery.deliver_due())
    await until(slack.waiting)
    for _ in range(500):  # the Discord post goes while the Slack call still hangs
        if discord.sent and len(slack.sent) == 2:
            break
        await asyncio.sleep(0.01)
    assert discord.sent == ["d1"]
    # ...and so do the other Slack DMs: one slow DM holds up only its own conversation.
    assert sorted(slack.sent) == ["s1", "s2"]
    assert not delivering.done()
    slack.release()
    await delivering
    assert sorted(slack.sent) == ["s0", "s1", "s2"]
    assert {r.status for r in (await rows(store)).values()} == {"sent"}


async def test_one_channel_keeps_its_order(store: Store) -> None:
    slack = Platform("slack")
    # Slack's pace of a channel (1 a second) is not what keeps the order: with it lifted the
    # order is kept by the channel's queue alone.
    harness = await Harness.start(store, unpaced(), senders={"slack": slack})
    await put(store, *[to("slack", f"m{i}", channel="CWINS") for i in range(6)])
    await harness.delivery.deliver_due()
    assert slack.sent == [f"m{i}" for i in range(6)]


async def test_retry_after_pauses_only_the_lane_it_came_from(store: Store) -> None:
    slack, discord = Platform("slack"), Platform("discord")
    slack.refuse["C1"] = RetryLater(30)
    harness = await Harness.start(store, senders={"slack": slack, "discord": discord})
    await put(store, to("slack", "s1", channel="C1"))
    await put(store, *[to("slack", f"s{i}", channel=f"C{i}") for i in range(2, 6)])
    await put(store, *[to("discord", f"d{i}", channel=f"D{i}") for i in range(3)])
    await harness.delivery.deliver_due()
    assert sorted(discord.sent) == ["d0", "d1", "d2"]
    stored = await rows(store)
    waiting = [k for k, r in stored.items() if k.startswith("s") and r.status == "pending"]
    # The Slack workspace waits out its Retry-After: what was not sent yet was not even tried
    # (no attempt used up); nothing in it was lost.
    assert sorted(waiting + slack.sent) == ["s1", "s2", "s3", "s4", "s5"]
    assert "s1" in waiting and all(stored[k].attempts == 0 for k in waiting if k != "s1")
    harness.later(seconds=30)
    await harness.delivery.deliver_due()
    assert sorted(slack.sent) == ["s1", "s2", "s3", "s4", "s5"]


async def test_a_channel_retry_after_pauses_only_that_channel(store: Store) -> None:
    slack = Platform("slack")
    slack.refuse["C1"] = RetryLater(30, scope="channel")
    harness = await Harness.start(store, unpaced(), senders={"slack": slack})
    await put(store, to("slack", "a1", channel="C1"), to("slack", "a2", channel="C1"))
    await put(store, *[to("slack", f"b{i}", channel="C2") for i in range(3)])
    await harness.delivery.deliver_due()
    assert slack.sent == ["b0", "b1", "b2"]
    stored = await rows(store)
    assert stored["a1"].status == "pending" and stored["a2"].status == "pending"
    harness.later(seconds=30)
    await harness.delivery.deliver_due()
    assert sorted(slack.sent[3:]) == ["a1", "a2"]


async def test_stop_lets_the_send_under_way_finish_and_leaves_the_rest_pending(
    store: Store,
) -> None:
    slack = Platform("slack", "C1")
    harness = await Harness.start(store, senders={"slack": slack})
    await put(store, *[to("slack", f"m{i}", channel="C1") for i in range(4)])
    running = asyncio.create_task(harness.delivery.run(poll=0.05))
    await until(slack.waiting)
    harness.delivery.stop()
    slack.release()
    await asyncio.wait_for(running, 10)
    stored = await rows(store)
    assert slack.sent == ["m0"] and stored["m0"].status == "sent"
    assert [stored[f"m{i}"].status for i in (1, 2, 3)] == ["pending"] * 3
    assert [stored[f"m{i}"].attempts for i in (1, 2, 3)] == [0, 0, 0]


async def test_a_bucket_lets_a_burst_through_then_paces() -> None:
    bucket = TokenBucket(rate=1.0, burst=3)
    for _ in range(3):
        assert bucket.delay() == 0.0
        await bucket.take()
    assert 0.9 < bucket.delay() <= 1.0  # the fourth waits about a second: 1 a second
    assert TokenBucket(rate=None).delay() == 0.0  # no limit of copbot's own (Discord)
