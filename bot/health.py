"""Whether the database answers now, within a deadline a health check can live with."""

from __future__ import annotations

import asyncio

from storage.engine import Store

HEALTH_WITHIN = 0.8  # seconds; load balancers and orchestrators wait about 1 s for an answer


class HealthProbe:
    """Pings the database for health checks, answering within a deadline whatever the driver
    does: a locked SQLite file makes a ping wait for its busy timeout (seconds), and a cancelled
    ping still waits for the driver's thread, so a late ping is left to finish on its own (one
    at a time) and counts as no answer."""

    def __init__(self, store: Store, within: float = HEALTH_WITHIN) -> None:
        self._store = store
        self._within = within
        self._ping: asyncio.Task[bool] | None = None

    async def database_answers(self) -> bool:
        """True if a ping succeeds within the deadline; a recovery shows on the next call."""
        if self._ping is None or self._ping.done():
            self._ping = asyncio.create_task(self._store.ping())
        done, _ = await asyncio.wait({self._ping}, timeout=self._within)
        return bool(done) and self._ping.result()
