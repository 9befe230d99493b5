"""The outbox's delivery loop: claims due rows, sends them through the platform's sender, once.

A row is written before anything is sent. Delivery marks it ``sending`` before the call and
``sent`` with the platform's message id after; a row left ``sending`` past the lease is reconciled
with the sender (already delivered, or not) instead of being blindly sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.clock import Clock
from bot.ui import Message, Outgoing, Recipient
from storage import outbox
from storage.engine import Store
from storage.models import OutboxRow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
THREAD_WAIT = timedelta(seconds=2)
# A row "sending" for longer than this was abandoned by a process that stopped mid-send; it is
# far longer than one call to a platform (the SDKs time out after 30 s).
SENDING_LEASE = timedelta(minutes=2)


class RetryLater(Exception):
    """The platform asked to slow down or failed for now; try again after ``seconds``."""

    def __init__(self, seconds: float, reason: str = "rate limited") -> None:
        super().__init__(reason)
        self.seconds = seconds


class DeliveryFailed(Exception):
    """The platform refused the message for good (unknown user, missing permission)."""


@dataclass(frozen=True)
class Delivery:
    """One message to send now, with its thread (if any) resolved to a platform id."""

    key: str
    recipient: Recipient
    thread: str | None
    message: Message
    attempt: int


class Sender(Protocol):
    """What an adapter implements so that the outbox can send through it."""

    platform: str
    # Sustained messages a second this sender accepts per workspace, and per channel or DM;
    # the loop paces under both.
    rate_per_second: float
    channel_rate_per_second: float

    async def send(self, delivery: Delivery) -> str:
        """Send one message and return the platform's id; raise RetryLater or DeliveryFailed."""
        ...

    async def reconcile(self, delivery: Delivery) -> str | None:
        """After a crash mid-send: the message id if it was in fact delivered, else None."""
        ...


def outbox_row(outgoing: Outgoing, now: datetime) -> dict[str, Any]:
    """The outbox row that stands for an outgoing message."""
    recipient = outgoing.recipient
    return {
        "key": outgoing.key,
        "platform": recipient.platform,
        "workspace": recipient.workspace,
        "recipient_user": recipient.user,
        "recipient_channel": recipient.channel,
        "thread_key": recipient.thread_key,
        "payload": outgoing.message.to_json(),
        "status": "pending",
        "attempts": 0,
        "not_before": outgoing.not_before or now,
        "created_at": now,
    }


def _delivery(row: OutboxRow, thread: str | None) -> Delivery:
    recipient = Recipient(
        row.platform,
        row.workspace,
        user=row.recipient_user,
        channel=row.recipient_channel,
        thread_key=row.thread_key,
    )
    return Delivery(row.key, recipient, thread, Message.from_json(row.payload), row.attempts)


def backoff(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1``: exponential, jittered, capped at 10 min."""
    return min(600.0, 2.0**attempt) * random.uniform(0.8, 1.2)


class Pacer:
    """Spaces sends per key (a workspace, a channel) so that a burst stays under a rate."""

    def __init__(self) -> None:
        self._next: dict[tuple[str, ...], float] = {}

    async def wait(self, key: tuple[str, ...], rate: float) -> None:
        """Sleep until the next send under this key is allowed."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        at = max(now, self._next.get(key, now))
        self._next[key] = at + 1.0 / rate
        if at > now:
            await asyncio.sleep(at - now)


class OutboxDelivery:
    """Sends what the outbox holds, through one sender per platform.

    Rows are claimed one at a time, so a row is ``sending`` only for the length of one call to
    the platform; several processes may deliver from one PostgreSQL database.
    """

    def __init__(self, store: Store, senders: Mapping[str, Sender], clock: Clock) -> None:
        self._store = store
        self._senders = dict(senders)
        self._clock = clock
        self._wake = asyncio.Event()
        self._pacer = Pacer()
        self._stopping = False
        # One delivery round at a time in this process; other processes are kept out by row locks.
        self._round = asyncio.Lock()

    def add_sender(self, sender: Sender) -> None:
        """Deliver this platform's rows too (adapters are built after the core they serve)."""
        self._senders[sender.platform] = sender

    def wake(self) -> None:
        """Tell the loop that something was enqueued."""
        self._wake.set()

    async def reconcile(self) -> int:
        """Settle rows abandoned mid-send (older than the lease); return how many will be resent."""
        async with self._round:
            now = self._clock.now()
            async with self._store.transaction() as session:
                rows = await outbox.claim_abandoned(
                    session=session,
                    platforms=list(self._senders),
                    claimed_before=now - SENDING_LEASE,
                    now=now,
                )
                abandoned = []
                for row in rows:
                    thread = None
                    if row.thread_key:
                        parent = await outbox.by_key(session=session, key=row.thread_key)
                        thread = parent.platform_message_id if parent else None
                    abandoned.append((row.id, _delivery(row, thread)))
            resent = 0
            for row_id, delivery in abandoned:
                assert row_id is not None
                # Ask the platform outside any transaction: it is a network call.
                sender = self._senders[delivery.recipient.platform]
                try:
                    message_id = await sender.reconcile(delivery)
                except Exception as error:
                    # The platform could not tell; after the last attempt, give the row up
                    # rather than leave it "sending" for ever. Otherwise ask again next lease.
                    log.warning("outbox %s: reconcile failed: %s", delivery.key, error)
                    if delivery.attempt >= MAX_ATTEMPTS:
                        await self._update(
                            row_id, {"status": "failed", "last_error": repr(error)[:500]}
                        )
                    else:
                        await self._update(row_id, {"attempts": delivery.attempt + 1})
                    continue
                if message_id is None:
                    resent += 1
                    update: dict[str, Any] = {"status": "pending"}
                else:
                    update = self._sent(message_id)
                await self._update(row_id, update)
            return resent

    async def deliver_due(self) -> int:
        """Send every row due now; return how many were handled."""
        async with self._round:
            handled = 0
            while not self._stopping:
                async with self._store.transaction() as session:
                    rows = await outbox.claim_due(
                        session=session,
                        now=self._clock.now(),
                        platforms=list(self._senders),
                        limit=1,
                    )
                    claimed = [row.id for row in rows]
                if not claimed:
                    break
                assert claimed[0] is not None
                await self._deliver_one(claimed[0])
                handled += 1
            return handled

    async def _update(self, row_id: int, values: Mapping[str, Any]) -> None:
        async with self._store.transaction() as session:
            row = await outbox.by_id(session=session, row_id=row_id)
            assert row is not None
            for name, value in values.items():
                setattr(row, name, value)
            session.add(row)

    async def _deliver_one(self, row_id: int) -> None:
        async with self._store.transaction() as session:
            row = await outbox.by_id(session=session, row_id=row_id)
            assert row is not None
            thread: str | None = None
            if row.thread_key:
                parent = await outbox.by_key(session=session, key=row.thread_key)
                if parent is not None and parent.status in ("pending", "sending"):
                    # The thread's first message is not out yet; wait for it.
                    row.status, row.attempts = "pending", row.attempts - 1
                    row.not_before = self._clock.now() + THREAD_WAIT
                    session.add(row)
                    return
                thread = parent.platform_message_id if parent else None
            delivery = _delivery(row, thread)
        sender = self._senders[delivery.recipient.platform]
        recipient = delivery.recipient
        await self._pacer.wait((recipient.platform, recipient.workspace), sender.rate_per_second)
        where = recipient.channel or f"@{recipient.user}"
        await self._pacer.wait(
            (recipient.platform, recipient.workspace, where), sender.channel_rate_per_second
        )
        update: dict[str, Any]
        try:
            message_id = await sender.send(delivery)
        except RetryLater as error:
            update = self._retry(delivery, error.seconds, str(error))
        except DeliveryFailed as error:
            log.warning("outbox %s refused: %s", delivery.key, error)
            update = {"status": "failed", "last_error": str(error)[:500]}
        except Exception as error:
            log.exception("outbox %s failed", delivery.key)
            update = self._retry(delivery, backoff(delivery.attempt), repr(error))
        else:
            update = self._sent(message_id)
        await self._update(row_id, update)

    def _sent(self, message_id: str) -> dict[str, Any]:
        return {"status": "sent", "platform_message_id": message_id, "sent_at": self._clock.now()}

    def _retry(self, delivery: Delivery, seconds: float, reason: str) -> dict[str, Any]:
        if delivery.attempt >= MAX_ATTEMPTS:
            log.warning(
                "outbox %s gave up after %d attempts: %s", delivery.key, delivery.attempt, reason
            )
            return {"status": "failed", "last_error": reason[:500]}
        return {
            "status": "pending",
            "not_before": self._clock.now() + timedelta(seconds=seconds),
            "last_error": reason[:500],
        }

    async def next_due(self) -> datetime | None:
        """When the next pending row is due, if any."""
        async with self._store.transaction() as session:
            return await outbox.next_due(session=session, platforms=list(self._senders))

    async def run(self, poll: float = 5.0) -> None:
        """Deliver until stopped: on every wake-up, when a row falls due, and every ``poll`` s."""
        while not self._stopping:
            self._wake.clear()
            try:
                await self.reconcile()
            except Exception:
                log.exception("outbox reconcile round failed; delivering anyway")
            try:
                await self.deliver_due()
                due = await self.next_due()
            except Exception:
                log.exception("outbox delivery round failed; retrying")
                due = None
            wait = poll
            if due is not None:
                wait = max(0.05, min(poll, (due - self._clock.now()).total_seconds()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    def stop(self) -> None:
        """Finish the send in progress, then stop; what is left stays pending for next time."""
        self._stopping = True
        self._wake.set()
