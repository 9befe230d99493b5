"""Delivery lanes: one per (platform, workspace), and in each one queue per channel or DM.

A lane bounds its calls in flight and paces the workspace; a channel's queue sends in order and
paces the channel. Nothing one lane waits for (a slow call, a Retry-After, a long fan-out) holds
up another lane, and a channel's pause holds up no other channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.outbox_rows import GROUP
from bot.outbox_send import Sender
from bot.pacing import Pacing, TokenBucket
from storage.models import OutboxRow

log = logging.getLogger(__name__)

# Rows a lane holds in memory at once; it asks for more as it drains.
WINDOW = 500

Deliver = Callable[["Lane", OutboxRow], Awaitable[None]]


def place_of(row: OutboxRow) -> str:
    """The channel, DM or group conversation a row goes to: the unit of ordering and of
    per-channel pacing."""
    group = (row.payload or {}).get(GROUP)
    return row.recipient_channel or f"@{row.recipient_user or ','.join(group or ())}"


class Lane:
    """One platform workspace's sends: paced, bounded, independent of every other lane."""

    def __init__(
        self, key: tuple[str, str], sender: Sender, pacing: Pacing, clock: Clock, deliver: Deliver
    ) -> None:
        self.key = key
        self.sender = sender
        self.pacing = pacing
        self._clock = clock
        self._deliver = deliver
        self.slots = asyncio.Semaphore(pacing.concurrency)
        self.bucket = TokenBucket(pacing.rate, pacing.burst)
        self._channels: dict[str, TokenBucket] = {}
        self._queues: dict[str, deque[OutboxRow]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self.ids: set[int] = set()  # rows queued or being sent here
        self.dm_channels: dict[int, str] = {}  # DM channels known when the rows were read
        self.paused_until: datetime | None = None
        self._channel_paused: dict[str, datetime] = {}
        self.idle = asyncio.Event()
        self.idle.set()
        self.stopping = False
        self.on_low: Callable[[], None] = lambda: None
        self._asked = False  # told the loop it runs low since it was last given rows

    def paused(self) -> bool:
        """Whether a Retry-After holds the whole lane back right now."""
        return self.paused_until is not None and self.paused_until > self._clock.now()

    def held(self, place: str) -> bool:
        """Whether a Retry-After holds back the lane or this channel right now."""
        until = self._channel_paused.get(place)
        return self.paused() or (until is not None and until > self._clock.now())

    def room(self) -> int:
        """How many more rows the lane would take now."""
        return 0 if self.paused() or self.stopping else max(0, WINDOW - len(self.ids))

    def channel_bucket(self, place: str) -> TokenBucket:
        """The pacing of one channel or DM."""
        bucket = self._channels.get(place)
        if bucket is None:
            bucket = TokenBucket(self.pacing.channel_rate, self.pacing.channel_burst)
            self._channels[place] = bucket
        return bucket

    def add(self, rows: list[tuple[OutboxRow, str | None]]) -> int:
        """Queue rows not already here (in order), each with its DM channel if known; return how
        many were taken."""
        taken = 0
        now = self._clock.now()
        for row, dm_channel in rows:
            assert row.id is not None
            place = place_of(row)
            held = self._channel_paused.get(place)
            if row.id in self.ids or (held is not None and held > now):
                continue
            self.ids.add(row.id)
            if dm_channel:
                self.dm_channels[row.id] = dm_channel
            self._queues.setdefault(place, deque()).append(row)
            taken += 1
            if place not in self._workers:
                self._workers[place] = asyncio.create_task(
                    self._work(place), name=f"outbox {self.key[0]}:{self.key[1]}:{place}"
                )
        if self.ids:
            self.idle.clear()
        self._asked = False
        return taken

    def pause(self, seconds: float, place: str | None = None) -> None:
        """Hold back the lane (or one channel) for ``seconds``; what it had queued stays pending
        in the table and is fetched again once the pause is over."""
        until = self._clock.now() + timedelta(seconds=seconds)
        # The pause is kept on the injected clock, as not_before is; a send that was already
        # waiting for a token checks held() before it goes.
        if place is None:
            self.paused_until = until
            for queued in list(self._queues):
                self._drop(queued)
        else:
            self._channel_paused[place] = until
            self._drop(place)

    def _drop(self, place: str) -> None:
        queue = self._queues.get(place)
        while queue:
            row = queue.popleft()
            assert row.id is not None
            self.ids.discard(row.id)
            self.dm_channels.pop(row.id, None)
        self._check_idle()

    def _check_idle(self) -> None:
        if not self.ids:
            self.idle.set()
        if len(self.ids) < WINDOW // 2 and not self._asked:
            # Once per refill, not once per send: each ask costs the loop a query.
            self._asked = True
            self.on_low()

    async def _work(self, place: str) -> None:
        """Send one channel's rows in order, each when its pacing allows."""
        queue = self._queues[place]
        try:
            while queue and not self.stopping:
                # Taken off the queue while it is sent, so that a pause drops only rows that
                # wait, and the lane is idle only once this one's outcome is recorded.
                row = queue.popleft()
                try:
                    await self._deliver(self, row)
                except Exception as error:
                    # A database hiccup: the row stays as it was and is fetched again later.
                    log.warning("outbox row %s: not delivered this round: %r", row.id, error)
                finally:
                    assert row.id is not None
                    self.ids.discard(row.id)
                    self.dm_channels.pop(row.id, None)
                    self._check_idle()
        finally:
            self._workers.pop(place, None)
            self._drop(place)
            self._queues.pop(place, None)

    async def stop(self, wait: float) -> None:
        """Finish the sends under way (at most ``wait`` s); leave the rest pending."""
        self.stopping = True
        workers = list(self._workers.values())
        if not workers:
            return
        _done, running = await asyncio.wait(workers, timeout=wait)
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running)
