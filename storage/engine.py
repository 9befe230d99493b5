"""The engine and session factory, built from a database URL by the composition root."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlmodel.ext.asyncio.session import AsyncSession

DEFAULT_URL = "sqlite+aiosqlite:///copbot.db"


def _sqlite_tuner(foreign_keys: bool) -> Any:
    def tune(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is off so that _begin_immediate takes over;
        # busy_timeout makes a second writer wait for the lock instead of failing.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return tune


def _begin_immediate(conn: Any) -> None:
    # Take the write lock when a transaction starts: a deferred transaction that later tries to
    # write after another connection wrote fails at once with "database is locked".
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def build_engine(url: str, *, foreign_keys: bool = True, **kwargs: Any) -> AsyncEngine:
    """Create an async engine for SQLite (aiosqlite) or PostgreSQL (asyncpg).

    ``foreign_keys=False`` is for migrations: SQLite's batch mode rebuilds tables that others
    refer to, which it can only do with foreign key enforcement off.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            # One shared connection, or every session would see its own empty database.
            kwargs.setdefault("poolclass", StaticPool)
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_tuner(foreign_keys))
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


class Store:
    """Opens sessions and transactions on one engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """The backend's name: ``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back if the block raises."""
        async with self._sessions() as session, session.begin():
            yield session

    async def ping(self) -> bool:
        """Tell whether the database answers."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def close(self) -> None:
        """Release every connection."""
        await self.engine.dispose()
