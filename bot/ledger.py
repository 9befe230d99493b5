"""Group commit for the participation ledger: many handlers, one transaction per batch.

A handler awaits the commit of the batch that holds its row, so nothing acknowledged is lost,
and a burst of events costs a few transactions instead of one each.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from storage import ledger
from storage.engine import Store

log = logging.getLogger(__name__)


class LedgerWriter:
    """Collects ledger rows from concurrent handlers and commits them together."""

    def __init__(self, store: Store, *, max_batch: int = 500, max_wait: float = 0.005) -> None:
        self._store = store
        self._max_batch = max_batch
        self._max_wait = max_wait
        self._pending: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._full = asyncio.Event()

    async def record(self, row: dict[str, Any]) -> None:
        """Add a row and return once it is committed (a duplicate event id is silently skipped)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((row, future))
        if len(self._pending) >= self._max_batch:
            self._full.set()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_soon())
        await future

    async def _flush_soon(self) -> None:
        while self._pending:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._full.wait(), self._max_wait)
            self._full.clear()
            batch, self._pending = (
                self._pending[: self._max_batch],
                self._pending[self._max_batch :],
            )
            try:
                await self._commit([row for row, _ in batch])
            except Exception:
                # One bad row must not lose the others: commit them one by one instead.
                log.warning("ledger batch of %d rows failed; retrying one by one", len(batch))
                for row, future in batch:
                    await self._commit_alone(row, future)
            else:
                for _, future in batch:
                    if not future.done():
                        future.set_result(None)

    async def _commit(self, rows: list[dict[str, Any]]) -> None:
        # Two events with one id in a batch would trip the unique key on some backends.
        unique = {(r["platform"], r["workspace"], r["event_id"]): r for r in rows}
        async with self._store.transaction() as session:
            await ledger.append(session=session, rows=list(unique.values()))

    async def _commit_alone(self, row: dict[str, Any], future: asyncio.Future[None]) -> None:
        try:
            await self._commit([row])
        except Exception as error:
            log.exception("ledger row %s could not be stored", row.get("event_id"))
            if not future.done():
                future.set_exception(error)
        else:
            if not future.done():
                future.set_result(None)

    async def close(self) -> None:
        """Wait for the rows already handed in to be committed."""
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)
