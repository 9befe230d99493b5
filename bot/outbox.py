"""The outbox's delivery loop: sends due rows through the platform's sender, once, in lanes.

A row is written before anything is sent. Delivery claims it (``sending``) just before the call
and marks it ``sent`` with the platform's message id after. A send whose outcome is unknown (a
timeout, a dropped connection) is reconciled with the platform at once, before any retry; a row
left ``sending`` past the lease (its process stopped mid-send) is reconciled the same way.
Lanes (bot/outbox_lanes.py) keep one platform workspace, and one channel, from holding up another.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.config import OutboxConfig
from bot.outbox_abandoned import settle_abandoned
from bot.outbox_edits import edit_target
from bot.outbox_lanes import Lane, place_of
from bot.outbox_outcomes import Outcomes, write_outcome
from bot.outbox_rows import backoff, delivery_of, outbox_row
from bot.outbox_send import Delivery, DeliveryFailed, RetryLater, Sender, UncertainSend
from bot.pacing import Pacer
from storage import outbox
from storage.engine import Store
from storage.models import OutboxRow

__all__ = [
    "Delivery",
    "DeliveryFailed",
    "OutboxDelivery",
    "Pacer",
    "RetryLater",
    "Sender",
    "UncertainSend",
    "backoff",
    "outbox_row",
]

log = logging.getLogger(__name__)

THREAD_WAIT = timedelta(seconds=2)
# A row "sending" for longer than this was abandoned by a process that stopped mid-send; it is
# far longer than one call to a platform (the SDKs time out after 30 s).
SENDING_LEASE = timedelta(minutes=2)
# How often a running loop looks for rows abandoned by a stopped process.
RECONCILE_EVERY = 30.0
# At stop, how long the sends under way may take to finish.
STOP_WAIT = 10.0


class OutboxDelivery:
    """Sends what the outbox holds, through one sender per platform, in parallel lanes.

    Rows are read without a lock and each is claimed (``FOR UPDATE SKIP LOCKED``) only when its
    pacing lets it go, so a row is ``sending`` for the length of one call; several processes may
    deliver from one PostgreSQL database and none sends a row another has.
    """

    def __init__(
        self,
        store: Store,
        senders: Mapping[str, Sender],
        clock: Clock,
        config: OutboxConfig | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._outcomes = Outcomes(clock)
        self._config = config or OutboxConfig()
        self._senders: dict[str, Sender] = {}
        for sender in senders.values():
            self.add_sender(sender)
        self._lanes: dict[tuple[str, str], Lane] = {}
        self._wake = asyncio.Event()
        self._stopping = False
        self._handled = 0
        # One reconcile of abandoned rows at a time in this process.
        self._reconciling = asyncio.Lock()

    def add_sender(self, sender: Sender) -> None:
        """Deliver this platform's rows too (adapters are built after the core they serve)."""
        self._senders[sender.platform] = sender
        configure = getattr(sender, "configure", None)
        if configure is not None:
            configure(self._config.pacing(sender.platform))

    def wake(self) -> None:
        """Tell the loop that something was enqueued."""
        self._wake.set()

    # -- lanes ----------------------------------------------------------------------------

    def _lane(self, key: tuple[str, str]) -> Lane:
        lane = self._lanes.get(key)
        if lane is None:
            sender = self._senders[key[0]]
            pacing = self._config.pacing(key[0])
            lane = Lane(key, sender, pacing, self._clock, self._send_row)
            lane.on_low = self.wake
            self._lanes[key] = lane
        return lane

    async def _dispatch(self) -> int:
        """Hand every lane with room the rows due in it; return how many were queued."""
        now = self._clock.now()
        async with self._store.transaction() as session:
            keys = await outbox.lanes_due(session=session, now=now, platforms=list(self._senders))
            fetched: list[tuple[Lane, list[tuple[OutboxRow, str | None]]]] = []
            for key in keys:
                lane = self._lane(key)
                room = lane.room()
                if room <= 0:
                    continue
                rows = await outbox.due_in_lane(
                    session=session,
                    now=now,
                    platform=key[0],
                    workspace=key[1],
                    limit=room + len(lane.ids),
                )
                fetched.append((lane, list(rows)))
        return sum(lane.add(rows) for lane, rows in fetched)

    async def deliver_due(self) -> int:
        """Send every row due now, in every lane at once; return once all were handled (sent,
        rescheduled or given up), with how many were claimed."""
        start = self._handled
        stalled = 0
        while not self._stopping:
            before = self._handled
            queued = await self._dispatch()
            lanes = list(self._lanes.values())
            if not queued and all(lane.idle.is_set() for lane in lanes):
                break
            await asyncio.gather(*(lane.idle.wait() for lane in lanes))
            # Rows that come back due without one being claimed (the database failing on
            # them) are left to the next round rather than spun on.
            stalled = stalled + 1 if queued and self._handled == before else 0
            if stalled >= 2:
                break
        return self._handled - start

    # -- one row --------------------------------------------------------------------------

    async def _send_row(self, lane: Lane, row: OutboxRow) -> None:
        """Pace, claim and send one row, and record the outcome."""
        assert row.id is not None
        sender = lane.sender
        place = place_of(row)
        dm = lane.dm_channels.get(row.id)
        preview = await self._readable(row, dm)
        if preview is None:
            return
        prepare = getattr(sender, "prepare", None)
        if prepare is not None:
            # Opening a DM channel waits in its own tier, holding no send slot.
            await prepare(preview)
        await lane.channel_bucket(place).take()
        async with lane.slots:
            await lane.bucket.take()
            if lane.stopping or lane.held(place):
                return
            delivery = await self._claim(row.id, dm)
            if delivery is None:
                return
            self._handled += 1
            update = await self._outcomes.attempt(lane, sender, delivery, place)
            await self._update(row.id, update)

    async def _readable(self, row: OutboxRow, dm: str | None) -> Delivery | None:
        """The row as a delivery; a payload that cannot be read fails the row, once, quietly."""
        assert row.id is not None
        try:
            return delivery_of(row, None, b"", dm)
        except Exception as error:
            log.warning("outbox %s: unreadable payload, not sent: %s", row.key, error)
            await self._update(
                row.id, {"status": "failed", "last_error": f"unreadable payload: {error}"[:500]}
            )
            return None

    async def _claim(self, row_id: int, dm: str | None) -> Delivery | None:
        async with self._store.transaction() as session:
            row = await outbox.claim(session=session, row_id=row_id, now=self._clock.now())
            if row is None:
                return None  # another process has it, or it was sent or withdrawn
            edits: str | None = None
            if row.edits_key:
                ready, edits = await edit_target(session, row, self._clock.now() + THREAD_WAIT)
                if not ready:
                    return None
            thread: str | None = None
            if row.thread_key:
                parent = await outbox.by_key(session=session, key=row.thread_key)
                if parent is not None and parent.status in ("pending", "sending"):
                    # The thread's first message is not out yet; wait for it.
                    row.status, row.attempts = "pending", row.attempts - 1
                    row.not_before = self._clock.now() + THREAD_WAIT
                    session.add(row)
                    return None
                thread = parent.platform_message_id if parent else None
            content = image = None
            if row.file_digest:
                content = await outbox.file_content(session=session, digest=row.file_digest)
            if row.image_digest:
                image = await outbox.file_content(session=session, digest=row.image_digest)
            return delivery_of(row, thread, content, dm, edits, image)

    async def _update(self, row_id: int, values: Mapping[str, Any]) -> None:
        await write_outcome(self._store, row_id, values)

    # -- abandoned rows -------------------------------------------------------------------

    async def reconcile(self) -> int:
        """Settle rows abandoned mid-send (older than the lease); return how many will be resent."""
        async with self._reconciling:
            return await settle_abandoned(
                self._store, self._senders, self._clock.now() - SENDING_LEASE, self._outcomes
            )

    # -- running --------------------------------------------------------------------------

    async def next_due(self) -> datetime | None:
        """When the next pending row is due, if any."""
        async with self._store.transaction() as session:
            return await outbox.next_due(session=session, platforms=list(self._senders))

    async def run(self, poll: float = 5.0) -> None:
        """Deliver until stopped: on every wake-up, when a row falls due, and every ``poll`` s.

        Lanes send on their own; this loop only hands them rows, so a long fan-out in one lane
        never keeps a message for another waiting.
        """
        loop = asyncio.get_running_loop()
        reconciled_at: float | None = None
        try:
            while not self._stopping:
                self._wake.clear()
                if reconciled_at is None or loop.time() - reconciled_at >= RECONCILE_EVERY:
                    reconciled_at = loop.time()
                    try:
                        await self.reconcile()
                    except Exception:
                        log.exception("outbox reconcile round failed; delivering anyway")
                wait = poll
                try:
                    await self._dispatch()
                    due = await self.next_due()
                except Exception:
                    log.exception("outbox delivery round failed; retrying")
                    due = None
                if due is not None:
                    ahead = (due - self._clock.now()).total_seconds()
                    # Rows due already but not taken (a lane full or paused): lanes wake the
                    # loop when they run low, so a short nap is enough.
                    wait = max(0.05, min(poll, ahead)) if ahead > 0 else min(poll, 0.5)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
        finally:
            await self._stop_lanes()

    async def _stop_lanes(self) -> None:
        lanes = list(self._lanes.values())
        await asyncio.gather(*(lane.stop(STOP_WAIT) for lane in lanes))

    def stop(self) -> None:
        """Let the sends under way finish (bounded), then stop; the rest stays pending."""
        self._stopping = True
        for lane in self._lanes.values():
            lane.stopping = True
        self._wake.set()
