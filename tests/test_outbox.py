"""The outbox: sent once, retried with backoff, Retry-After honoured, reconciled after a crash."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import select

from bot.outbox import Delivery, DeliveryFailed, Pacer, RetryLater, outbox_row
from bot.ui import Message, Outgoing, Recipient
from storage import outbox
from storage.engine import Store
from storage.models import OutboxRow
from tests.factories import START, Harness


class FlakyPlatform:
    """A stand-in platform that answers each send with the next scripted outcome."""

    platform = "console"

    def __init__(self, *outcomes: Exception | None, delivered: str | None = None) -> None:
        self.outcomes = list(outcomes)
        self.sent: list[Delivery] = []
        self.delivered = delivered

    async def send(self, delivery: Delivery) -> str:
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        self.sent.append(delivery)
        return f"id{len(self.sent)}"

    async def reconcile(self, delivery: Delivery) -> str | None:
        return self.delivered


def dm(key: str, user: str = "bob", thread_key: str | None = None) -> Outgoing:
    if thread_key:
        recipient = Recipient("console", "local", channel="wins", thread_key=thread_key)
    elif user == "#wins":
        recipient = Recipient("console", "local", channel="wins")
    else:
        recipient = Recipient("console", "local", user=user)
    return Outgoing(recipient, Message(f"hello {key}"), key)


async def put(store: Store, *items: Outgoing) -> int:
    async with store.transaction() as session:
        return await outbox.enqueue(session=session, rows=[outbox_row(o, START) for o in items])


async def rows(store: Store) -> dict[str, OutboxRow]:
    async with store.transaction() as session:
        return {r.key: r for r in (await session.exec(select(OutboxRow))).all()}


async def test_a_key_is_enqueued_and_sent_once(store: Store) -> None:
    platform = FlakyPlatform()
    harness = await Harness.start(store, senders={"console": platform})
    assert await put(store, dm("k1"), dm("k1"), dm("k2")) == 2
    assert await put(store, dm("k1")) == 0
    await harness.delivery.deliver_due()
    await harness.delivery.deliver_due()
    assert [d.key for d in platform.sent] == ["k1", "k2"]
    stored = await rows(store)
    assert stored["k1"].status == "sent" and stored["k1"].platform_message_id == "id1"


async def test_retry_after_is_honoured(store: Store) -> None:
    platform = FlakyPlatform(RetryLater(30))
    harness = await Harness.start(store, senders={"console": platform})
    await put(store, dm("k1"))
    await harness.delivery.deliver_due()
    row = (await rows(store))["k1"]
    assert row.status == "pending" and row.not_before == START + timedelta(seconds=30)
    harness.later(seconds=29)
    await harness.delivery.deliver_due()
    assert platform.sent == []
    harness.later(seconds=1)
    await harness.delivery.deliver_due()
    assert [d.key for d in platform.sent] == ["k1"]
    assert (await rows(store))["k1"].attempts == 2


async def test_an_error_backs_off_and_a_refusal_fails_for_good(store: Store) -> None:
    platform = FlakyPlatform(ConnectionError("reset"), DeliveryFailed("user not found"))
    harness = await Harness.start(store, senders={"console": platform})
    await put(store, dm("k1"), dm("k2"))
    await harness.delivery.deliver_due()
    stored = await rows(store)
    assert stored["k1"].status == "pending" and stored["k1"].not_before > START
    assert stored["k1"].last_error == "ConnectionError('reset')"
    assert stored["k2"].status == "failed" and stored["k2"].last_error == "user not found"


async def test_gives_up_after_the_last_attempt(store: Store) -> None:
    platform = FlakyPlatform(*[RetryLater(1)] * 8)
    harness = await Harness.start(store, senders={"console": platform})
    await put(store, dm("k1"))
    for _ in range(8):
        await harness.delivery.deliver_due()
        harness.later(seconds=2)
    row = (await rows(store))["k1"]
    assert row.status == "failed" and row.attempts == 8 and platform.sent == []


async def claim_all(store: Store) -> None:
    """A process claims every due row and then dies before sending any."""
    async with store.transaction() as session:
        await outbox.claim_due(session=session, now=START, platforms=["console"], limit=10)


async def test_a_stop_mid_send_is_reconciled_not_repeated(store: Store) -> None:
    await put(store, dm("k1"), dm("k2"))
    await claim_all(store)
    delivered = FlakyPlatform(delivered="already-there")
    harness = await Harness.start(store, senders={"console": delivered})
    harness.later(minutes=3)  # past the lease: the claiming process is gone
    assert await harness.delivery.reconcile() == 0
    await harness.delivery.deliver_due()
    assert delivered.sent == []
    assert {r.platform_message_id for r in (await rows(store)).values()} == {"already-there"}


async def test_a_stop_mid_send_is_resent_when_the_platform_has_no_trace(store: Store) -> None:
    await put(store, dm("k1"))
    await claim_all(store)
    platform = FlakyPlatform()
    harness = await Harness.start(store, senders={"console": platform})
    harness.later(minutes=3)
    assert await harness.delivery.reconcile() == 1
    await harness.delivery.deliver_due()
    assert [d.key for d in platform.sent] == ["k1"]


async def test_a_starting_process_leaves_another_live_process_sends_alone(store: Store) -> None:
    await put(store, dm("k1"), dm("k2"))
    await claim_all(store)  # a live process is sending these right now
    platform = FlakyPlatform()
    harness = await Harness.start(store, senders={"console": platform})
    harness.later(seconds=30)  # well inside the lease
    assert await harness.delivery.reconcile() == 0
    await harness.delivery.deliver_due()
    assert platform.sent == []
    assert {r.status for r in (await rows(store)).values()} == {"sending"}


async def test_two_processes_deliver_each_row_once(store: Store) -> None:
    items = [dm(f"k{i}", user=f"u{i}") for i in range(12)]
    await put(store, *items)
    first, second = FlakyPlatform(), FlakyPlatform()
    one = await Harness.start(store, senders={"console": first})
    two = await Harness.start(store, senders={"console": second})
    await asyncio.gather(
        one.delivery.reconcile(), two.delivery.deliver_due(), one.delivery.deliver_due()
    )
    keys = [d.key for d in first.sent + second.sent]
    assert sorted(keys) == sorted(o.key for o in items)


async def test_a_thread_reply_waits_for_its_parent(store: Store) -> None:
    platform = FlakyPlatform(RetryLater(5))
    harness = await Harness.start(store, senders={"console": platform})
    # A thread's messages are in one channel, sent in order: the reply is looked at first (it
    # fell due first) and waits again while its parent is not out.
    await put(store, dm("parent", user="#wins"), dm("child", thread_key="parent"))
    await harness.delivery.deliver_due()
    assert platform.sent == []
    harness.later(seconds=5)
    await harness.delivery.deliver_due()
    assert [d.key for d in platform.sent] == ["parent"]
    harness.later(seconds=2)
    await harness.delivery.deliver_due()
    assert [d.key for d in platform.sent] == ["parent", "child"]
    assert platform.sent[1].thread == "id1"


async def test_sends_are_paced_per_channel() -> None:
    pacer = Pacer()
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(3):
        await pacer.wait(("slack", "T1", "C1"), 20.0)  # 20 a second: 50 ms apart
    assert loop.time() - start >= 0.09  # a lower bound only: a busy machine may be slower
    other = loop.time()
    await pacer.wait(("slack", "T1", "C2"), 0.001)  # another channel's first send: no wait
    assert loop.time() - other < 100  # it would have slept 1000 s had it shared C1's schedule


class CannotTell(FlakyPlatform):
    """A platform whose history cannot be read (say, the channel is gone)."""

    async def reconcile(self, delivery: Delivery) -> str | None:
        raise ConnectionError("channel_not_found")


async def test_a_reconcile_that_keeps_failing_ends_failed_not_stuck(store: Store) -> None:
    await put(store, dm("k1"))
    await claim_all(store)
    harness = await Harness.start(store, senders={"console": CannotTell()})
    for _ in range(10):
        harness.later(minutes=3)
        await harness.delivery.reconcile()
    row = (await rows(store))["k1"]
    assert row.status == "failed" and "channel_not_found" in (row.last_error or "")


async def test_a_row_that_cannot_be_read_fails_quietly_and_the_rest_go(store: Store) -> None:
    platform = FlakyPlatform()
    harness = await Harness.start(store, senders={"console": platform})
    await put(store, dm("k1"), dm("k2", user="ann"))
    async with store.transaction() as session:
        broken = await outbox.by_key(session=session, key="k1")
        assert broken is not None
        broken.payload = {"txt": "no text field"}  # say, written by a newer version
        session.add(broken)
    await harness.delivery.deliver_due()
    stored = await rows(store)
    assert [d.key for d in platform.sent] == ["k2"]
    assert stored["k1"].status == "failed"
    assert (stored["k1"].last_error or "").startswith("unreadable payload")
