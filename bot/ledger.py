"""Group commit for the participation ledger: many handlers, one transaction per batch.

A handler awaits the commit of the batch that holds its act, so nothing acknowledged is lost,
and a burst of events costs a few transactions instead of one each. Acts are counted by the
function they come with, for the whole batch at once (members found or created together).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.errors import StoreUnavailable
from bot.words import plural
from storage import ledger
from storage.availability import unavailable
from storage.engine import Store

log = logging.getLogger(__name__)

# Counts a batch of acts in one transaction (its members found or created together).
Resolve = Callable[[Store, Sequence[Any]], Awaitable[None]]


@dataclass
class _Pending:
    item: Any  # a ledger row, or an act that ``resolve`` counts
    resolve: Resolve | None
    future: asyncio.Future[None]


class LedgerWriter:
    """Collects ledger rows from concurrent handlers and commits them together."""

    def __init__(self, store: Store, *, max_batch: int = 500, max_wait: float = 0.0) -> None:
        self._store = store
        self._max_batch = max_batch
        self._max_wait = max_wait
        self._pending: list[_Pending] = []
        self._flusher: asyncio.Task[None] | None = None
        self._full = asyncio.Event()
        self.batches = 0  # batches committed so far, each in one transaction (for benchmarks)

    async def record(self, row: dict[str, Any]) -> None:
        """Add a row and return once it is committed (a duplicate event id is silently skipped).
        Raises StoreUnavailable if the database cannot take it now."""
        await self._add(row, None)

    async def count(self, act: Any, resolve: Resolve) -> None:
        """Add an act, counted by ``resolve`` with the rest of its batch, and return once it is
        committed. Raises StoreUnavailable if the database cannot take it now."""
        await self._add(act, resolve)

    async def _add(self, item: Any, resolve: Resolve | None) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append(_Pending(item, resolve, future))
        if len(self._pending) >= self._max_batch:
            self._full.set()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_soon())
        await future

    async def _flush_soon(self) -> None:
        while self._pending:
            if self._max_wait:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._full.wait(), self._max_wait)
            else:
                # No timer: the handlers that are ready now hand their rows in first, and what
                # arrives while this batch commits makes the next batch (group commit).
                await asyncio.sleep(0)
            self._full.clear()
            batch, self._pending = (
                self._pending[: self._max_batch],
                self._pending[self._max_batch :],
            )
            await self._settle(batch)

    async def _settle(self, batch: list[_Pending]) -> None:
        try:
            await self._commit(batch)
        except Exception as error:
            if unavailable(error):
                _fail(batch, error)
                return
            # One bad row must not lose the others: commit them one by one instead.
            log.warning("ledger batch of %d rows failed; retrying one by one", len(batch))
            for index, pending in enumerate(batch):
                if not await self._commit_alone(pending):
                    _fail(batch[index:], error)
                    return
        else:
            self.batches += 1
            for pending in batch:
                if not pending.future.done():
                    pending.future.set_result(None)

    async def _commit(self, batch: list[_Pending]) -> None:
        rows = [p.item for p in batch if p.resolve is None]
        if rows:
            async with self._store.transaction() as session:
                # Two events with one id in a batch would trip the unique key on some backends.
                unique = {(r["platform"], r["workspace"], r["event_id"]): r for r in rows}
                await ledger.append_many(session=session, rows=list(unique.values()))
        by_resolver: dict[Resolve, list[Any]] = {}
        for pending in batch:
            if pending.resolve is not None:
                by_resolver.setdefault(pending.resolve, []).append(pending.item)
        for resolve, acts in by_resolver.items():  # one in practice: the core's
            await resolve(self._store, acts)

    async def _commit_alone(self, pending: _Pending) -> bool:
        """Commit one row; False if the database itself is unavailable (stop trying)."""
        try:
            await self._commit([pending])
        except Exception as error:
            if unavailable(error):
                return False
            log.error(
                "ledger: event %s could not be stored and is skipped: %s",
                _event_id(pending.item),
                error,
            )
            if not pending.future.done():
                pending.future.set_exception(error)
        else:
            if not pending.future.done():
                pending.future.set_result(None)
        return True

    async def close(self) -> None:
        """Wait for the rows already handed in to be committed."""
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)


def _event_id(item: Any) -> str:
    return str(item.get("event_id") if isinstance(item, dict) else getattr(item, "event_id", "?"))


def _fail(batch: list[_Pending], error: Exception) -> None:
    log.warning("ledger: the database cannot take %s now: %s", plural(len(batch), "row"), error)
    for pending in batch:
        if not pending.future.done():
            failure = StoreUnavailable(str(error))
            failure.__cause__ = error
            pending.future.set_exception(failure)
