"""SQLite writes on plain stdlib connections, for the ingest path: on the event loop when they are
small and the lock is free, else on a thread of their own; see ``Store.run_write``."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
CHECKPOINT_EVERY = 100  # commits on the loop between checkpoints of the write-ahead log

Tuner = Callable[[Any, Any], None]


class DirectWrites:
    """Two stdlib connections to one SQLite file: one used on the loop (no busy timeout, no
    checkpoints), one on a thread that waits for the lock and checkpoints the write-ahead log."""

    def __init__(self, path: str, tuner: Callable[[float], Tuner], write_wait: float) -> None:
        self._path = path
        self._tuner = tuner
        self._write_wait = write_wait
        self._inline: sqlite3.Connection | None = None
        self._inline_commits = 0
        self._thread: ThreadPoolExecutor | None = None
        self._own: sqlite3.Connection | None = None
        self._checkpoint: asyncio.Future[None] | None = None

    async def run(self, work: Callable[[Any], T], *, small: bool) -> T:
        """Run ``work`` here on the loop if it is small and the lock is free, else on the thread."""
        if not small:
            return await self._in_thread(work)
        if self._inline is None:
            self._inline = self._connect(0.0, checkpoints=False)
        try:
            result = work(self._inline)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                raise
            return await self._in_thread(work)  # another process writes: wait off the loop
        self._inline_commits += 1
        idle = self._checkpoint is None or self._checkpoint.done()
        if self._inline_commits % CHECKPOINT_EVERY == 0 and idle:
            self._checkpoint = asyncio.ensure_future(self._checkpoint_log())
        return result

    async def _checkpoint_log(self) -> None:
        """Copy the write-ahead log into the database on the thread, without waiting for anyone
        (a checkpoint that cannot finish now finishes at a later one)."""
        try:
            await self._in_thread(_checkpoint)
        except sqlite3.Error as error:
            log.warning("SQLite checkpoint failed (the next one will retry): %s", error)

    async def _in_thread(self, work: Callable[[Any], T]) -> T:
        """Run work on the thread's own connection, which waits ``write_wait`` for the lock."""
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="copbot-ingest")
        done = asyncio.get_running_loop().run_in_executor(self._thread, self._threaded, work)
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            # Keep the caller's write turn until the thread is done, so writers still take turns.
            await asyncio.wait([done])
            raise

    def _threaded(self, work: Callable[[Any], T]) -> T:
        if self._own is None:
            self._own = self._connect(self._write_wait, checkpoints=True)
        return work(self._own)

    def _connect(self, wait: float, *, checkpoints: bool) -> sqlite3.Connection:
        """A stdlib connection to the file, tuned as the engine's are."""
        connection = sqlite3.connect(self._path, isolation_level=None)
        self._tuner(wait)(connection, None)
        if not checkpoints:
            # Checkpointing copies the log into the database and syncs it: not on the event loop.
            connection.execute("PRAGMA wal_autocheckpoint=0")
        return connection

    async def close(self) -> None:
        """Finish a checkpoint under way and close both connections."""
        if self._checkpoint is not None:
            await asyncio.gather(self._checkpoint, return_exceptions=True)
        if self._inline is not None:
            self._inline.close()
            self._inline = None
        if self._thread is not None:
            if self._own is not None:
                await asyncio.get_running_loop().run_in_executor(self._thread, self._own.close)
                self._own = None
            self._thread.shutdown()
            self._thread = None


def _checkpoint(connection: Any) -> None:
    """Copy what the write-ahead log holds into the database, without waiting for anyone."""
    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
