"""The outbox at shutdown: what is due, and what falls due within the wait (a short Retry-After,
a database that stumbles), goes out through the clients still open; the rest stays pending."""

from __future__ import annotations

import asyncio
import logging

from bot.clock import Clock
from bot.outbox import OutboxDelivery

log = logging.getLogger(__name__)

RETRY_PAUSE = 0.25  # seconds between tries when the database fails at shutdown


async def drain(
    delivery: OutboxDelivery, delivering: asyncio.Task[None] | None, clock: Clock, wait: float
) -> None:
    """Send what is due for at most ``wait`` seconds, then stop the delivery loop."""
    if delivering is not None:
        await _send_due(delivery, clock, wait)
    delivery.stop()
    if delivering is None:
        return
    try:
        await asyncio.wait_for(delivering, wait)
    except (TimeoutError, asyncio.CancelledError):
        log.warning("outbox still sending after %s s; the rest is sent next start", wait)


async def _send_due(delivery: OutboxDelivery, clock: Clock, wait: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while (left := deadline - loop.time()) > 0:
        try:
            await asyncio.wait_for(delivery.deliver_due(), left)
            due = await delivery.next_due()
        except TimeoutError:
            log.warning("outbox still sending after %s s; the rest is sent next start", wait)
            return
        except Exception as error:  # the database went away: nothing is lost, it stays pending
            log.warning("outbox could not send at shutdown (%s); trying again", error)
            await asyncio.sleep(min(RETRY_PAUSE, max(0.0, deadline - loop.time())))
            continue
        if due is None:
            return
        # A row held back for a moment (a lane told to slow down, a thread's first message not
        # out yet) is waited for if it falls due in time; a later one is left for the next start.
        ahead = (due - clock.now()).total_seconds()
        if ahead >= deadline - loop.time():
            return
        await asyncio.sleep(max(ahead, 0.05))
