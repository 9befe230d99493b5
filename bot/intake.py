"""Durable intake for events that are never redelivered (Discord's gateway): counted at once
when the database takes them, kept in the local spool when it cannot, and replayed, counted
once, as soon as it can again, without a restart."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.errors import StoreUnavailable
from bot.spool import Spool, Spooled
from bot.words import plural

log = logging.getLogger(__name__)
RETRY_EVERY = 5.0  # seconds between attempts to replay the spool while the database is down
REPLAY_BATCH = 500


class DurableIntake:
    """Counts acts through ``count`` (which returns once committed, or raises StoreUnavailable);
    what it cannot count now goes to the spool."""

    def __init__(
        self,
        count: Callable[[Spooled], Awaitable[None]],
        spool: Spool,
        *,
        retry_every: float = RETRY_EVERY,
    ) -> None:
        self._count = count
        self.spool = spool
        self._retry_every = retry_every
        # While the database is known to be down, new acts go straight to the spool: they keep
        # their order behind what is there already, and no handler waits for a doomed commit.
        self._spooling = False

    async def take(self, act: Spooled) -> None:
        """Count an act now, or keep it in the spool to count later."""
        if not self._spooling:
            try:
                await self._count(act)
                return
            except StoreUnavailable as error:
                if not self._spooling:
                    log.warning(
                        "database unavailable (%s): keeping Discord activity in %s until it "
                        "is back",
                        error,
                        self.spool.path,
                    )
                self._spooling = True
        await self.spool.put(act)

    async def replay(self) -> int:
        """Count what the spool holds, oldest first; stop at the first sign that the database
        is still down. Returns how many acts left the spool."""
        settled = 0
        while batch := await self.spool.peek(REPLAY_BATCH):
            results = await asyncio.gather(
                *(self._count(act) for _, act in batch if act is not None),
                return_exceptions=True,
            )
            outcomes = iter(results)
            done = [
                spool_id
                for spool_id, act in batch
                if act is None or not isinstance(next(outcomes), StoreUnavailable)
            ]
            await self.spool.remove(done)
            settled += len(done)
            if len(done) < len(batch):
                return settled  # still down: the rest waits for the next attempt
        if self._spooling:
            log.warning("database is back: %s counted", plural(settled, "spooled act"))
            self._spooling = False
        return settled

    async def run(self) -> None:
        """Replay the spool now (acts kept before a restart too) and whenever it holds some."""
        while True:
            try:
                await self.replay()
            except Exception as error:  # a broken spool must not stop the adapter
                log.warning("spool: replay failed: %s", error)
            await asyncio.sleep(self._retry_every)
