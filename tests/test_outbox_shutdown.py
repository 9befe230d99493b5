"""The outbox at shutdown: what falls due within the wait goes out; what cannot stays pending."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.outbox import OutboxDelivery, RetryLater
from bot.outbox_drain import drain
from storage.engine import Store
from tests.factories import START
from tests.test_outbox import FlakyPlatform, dm, put, rows


class Ticking:
    """A clock that starts at START and goes on as the event loop's time does."""

    def __init__(self) -> None:
        self._started = asyncio.get_running_loop().time()

    def now(self) -> datetime:
        return START + timedelta(seconds=asyncio.get_running_loop().time() - self._started)


async def _shut_down(store: Store, platform: FlakyPlatform, wait: float) -> float:
    """Start delivering, drain at once, and return how long the drain took."""
    clock = Ticking()
    delivery = OutboxDelivery(store, {"console": platform}, clock)
    delivering = asyncio.create_task(delivery.run(poll=0.05))
    loop = asyncio.get_running_loop()
    began = loop.time()
    await drain(delivery, delivering, clock, wait)
    assert delivering.done()
    return loop.time() - began


async def test_a_short_retry_after_at_shutdown_is_waited_for(store: Store) -> None:
    platform = FlakyPlatform(RetryLater(0.3))
    await put(store, dm("k1"), dm("k2", user="alice"))
    await _shut_down(store, platform, wait=5)
    assert sorted(d.key for d in platform.sent) == ["k1", "k2"]
    assert {row.status for row in (await rows(store)).values()} == {"sent"}


async def test_a_retry_after_past_the_wait_is_left_for_the_next_start(store: Store) -> None:
    platform = FlakyPlatform(RetryLater(60))
    await put(store, dm("k1"))
    took = await _shut_down(store, platform, wait=5)
    assert took < 2  # it does not sit out the wait for a row that cannot go in it
    assert platform.sent == []
    assert (await rows(store))["k1"].status == "pending"
