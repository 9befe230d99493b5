"""Who runs the scheduler: with PostgreSQL, the holder of an advisory lock; with SQLite, the one
process there is."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.jobs import CHANGES_CHANNEL

log = logging.getLogger(__name__)
LOCK_KEY = 0x636F70626F74  # "copbot"


class Leader:
    """A PostgreSQL session-level advisory lock on a connection of its own.

    The lock dies with its connection, so a process that crashes or loses the database lets
    another take over; ``held()`` notices a lost connection and gives the lead up.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None

    @property
    def shared(self) -> bool:
        """Whether several processes may share this database (PostgreSQL)."""
        return self._engine.dialect.name == "postgresql"

    async def acquire(self) -> bool:
        """Try to become the leader; True if this process leads now."""
        if not self.shared:
            return True
        if self._connection is not None:
            return await self.held()
        try:
            connection = await self._engine.connect()
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            got = (
                await connection.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
                )
            ).scalar()
        except Exception as error:
            log.warning("scheduler lock: database unreachable: %s", error)
            return False
        if got:
            self._connection = connection
            log.info("scheduler: this process leads")
            return True
        await connection.close()
        return False

    async def listen(self, on_change: Callable[[], None]) -> None:
        """Call ``on_change`` whenever another process commits a schedule change (PostgreSQL
        ``LISTEN`` on the lock's own connection; with SQLite there is no other process)."""
        if self._connection is None:
            return
        raw = await self._connection.get_raw_connection()
        driver: Any = raw.driver_connection  # asyncpg's connection
        await driver.add_listener(CHANGES_CHANNEL, lambda *_: on_change())

    async def held(self) -> bool:
        """Whether the lock is still ours (its connection still answers)."""
        if not self.shared:
            return True
        if self._connection is None:
            return False
        try:
            await self._connection.execute(text("SELECT 1"))
            return True
        except Exception as error:
            log.warning("scheduler lock lost with its connection: %s", error)
            await self._drop()
            return False

    async def release(self) -> None:
        """Give the lead up."""
        if self._connection is None:
            return
        with contextlib.suppress(Exception):  # the lock goes with the connection anyway
            await self._connection.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY}
            )
        await self._drop()

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except Exception:
                await connection.invalidate()
