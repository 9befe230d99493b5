"""What became of one send: the row's new values after a success, a refusal, a "retry later", or
an uncertain outcome reconciled with the platform before any retry."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.outbox_lanes import Lane
from bot.outbox_rows import backoff
from bot.outbox_send import Delivery, DeliveryFailed, RetryLater, Sender, UncertainSend
from storage import outbox
from storage.engine import Store

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Tries at reconciling an uncertain send before leaving it to the lease.
SETTLE_TRIES = 3


class Outcomes:
    """Sends one delivery and says how its row changes (a dict of column values)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def now(self) -> datetime:
        """The injected clock's time."""
        return self._clock.now()

    async def attempt(
        self, lane: Lane, sender: Sender, delivery: Delivery, place: str
    ) -> dict[str, Any]:
        try:
            message_id = await sender.send(delivery)
        except RetryLater as error:
            # Only the lane (or the channel) that was told to slow down waits.
            lane.pause(error.seconds, place if error.scope == "channel" else None)
            return self.retry(delivery, error.seconds, str(error))
        except DeliveryFailed as error:
            log.warning("outbox %s refused: %s", delivery.key, error)
            return {"status": "failed", "last_error": str(error)[:500]}
        except UncertainSend as error:
            log.warning("outbox %s: no answer (%s); did it arrive?", delivery.key, error)
            return await self.settle(sender, delivery, repr(error))
        except Exception as error:
            log.exception("outbox %s failed", delivery.key)
            return self.retry(delivery, backoff(delivery.attempt), repr(error))
        return self.sent(message_id)

    async def settle(self, sender: Sender, delivery: Delivery, reason: str) -> dict[str, Any]:
        """Find out whether an uncertain send arrived; resend at once only if it did not."""
        for attempt in range(SETTLE_TRIES):
            try:
                found = await sender.reconcile(delivery)
            except Exception as error:
                log.warning("outbox %s: reconcile failed: %s", delivery.key, error)
                await asyncio.sleep(0.2 * 2**attempt)
                continue
            if found is not None:
                return self.sent(found)
            return self.retry(delivery, 0.0, reason)
        # Still unknown: leave it "sending"; the lease's reconcile settles it, never a blind resend.
        return {"claimed_at": self._clock.now(), "last_error": reason[:500]}

    def sent(self, message_id: str) -> dict[str, Any]:
        return {"status": "sent", "platform_message_id": message_id, "sent_at": self._clock.now()}

    def retry(self, delivery: Delivery, seconds: float, reason: str) -> dict[str, Any]:
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


async def write_outcome(store: Store, row_id: int, values: Mapping[str, Any]) -> None:
    """Write a send's outcome (column values) to its row, in a transaction of its own."""
    async with store.transaction() as session:
        row = await outbox.by_id(session=session, row_id=row_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
