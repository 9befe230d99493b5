"""The engine and session factory, built from a database URL by the composition root."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, nullcontext
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool
from sqlalchemy.util import await_only
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.sqlite_writes import DirectWrites

DEFAULT_URL = "sqlite+aiosqlite:///copbot.db"
T = TypeVar("T")
WRITE_WAIT = 5.0  # seconds a SQLite writer waits for its turn, as its busy_timeout below
INLINE_ROWS = 100  # rows a write may have to run on the event loop (see Store.run_write)


def _sqlite_tuner(foreign_keys: bool, read_only: bool, write_wait: float) -> Any:
    def tune(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is off so that _begin_immediate takes over;
        # busy_timeout makes a second writer wait for the lock instead of failing.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout={int(write_wait * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if read_only:
            # SQLite itself refuses any write on this connection, so a read can never
            # silently become a deferred write that fails with "database is locked".
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    return tune


def _begin_immediate(conn: Any) -> None:
    # Take the write lock when a transaction starts: a deferred transaction that later tries to
    # write after another connection wrote fails at once with "database is locked".
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _begin_deferred(conn: Any) -> None:
    # A read: one snapshot from its first SELECT on, and in WAL mode it never waits for a writer.
    # Sent to aiosqlite directly: one trip to its thread instead of SQLAlchemy's three (cursor,
    # execute, close), on the path of every read-only command. A deferred BEGIN takes no lock.
    await_only(conn.connection.driver_connection.execute_fetchall("BEGIN"))


def _is_memory(url: str) -> bool:
    return make_url(url).database in (None, "", ":memory:")


def build_engine(
    url: str,
    *,
    foreign_keys: bool = True,
    read_only: bool = False,
    write_wait: float = WRITE_WAIT,
    **kwargs: Any,
) -> AsyncEngine:
    """Create an async engine for SQLite (aiosqlite) or PostgreSQL (asyncpg).

    ``foreign_keys=False`` is for migrations: SQLite's batch mode rebuilds tables that others
    refer to, which it can only do with foreign key enforcement off. ``read_only=True`` makes
    an engine whose transactions only read: on SQLite they take no write lock and any write
    fails; on PostgreSQL they are ``READ ONLY``. ``write_wait``: seconds a SQLite write waits
    for another process's lock before it fails with "database is locked".
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if _is_memory(url):
            # One shared connection, or every session would see its own empty database.
            kwargs.setdefault("poolclass", StaticPool)
        engine = create_async_engine(url, **kwargs)
        tuner = _sqlite_tuner(foreign_keys, read_only, write_wait)
        event.listen(engine.sync_engine, "connect", tuner)
        event.listen(
            engine.sync_engine, "begin", _begin_deferred if read_only else _begin_immediate
        )
        return engine
    if read_only:
        kwargs.setdefault("execution_options", {"postgresql_readonly": True})
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


class Store:
    """Opens sessions and transactions on one engine."""

    def __init__(self, engine: AsyncEngine, *, write_wait: float = WRITE_WAIT) -> None:
        self.engine = engine
        self.write_wait = write_wait
        self._sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
        # SQLite reads get their own query_only connections; dispose of them at close.
        self._reader = _sqlite_reader(engine)
        self._reads = async_sessionmaker(
            self._reader or _reading(engine), class_=AsyncSession, expire_on_commit=False
        )
        # SQLite has one writer at a time: this process's writers queue here, first come first
        # served, instead of polling in SQLite's busy handler, where waiters sleep up to 100 ms
        # a round and some starve past the timeout under a burst. Other processes still meet
        # busy_timeout.
        self._writers = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        # run_write's stdlib connections, made on first use (SQLite files only).
        self._direct: DirectWrites | None = None

    @property
    def dialect(self) -> str:
        """The backend's name: ``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back if the block raises.

        On SQLite this process's writers take turns, first come first served, from the moment
        the block is entered: never open one inside another (nor call what opens one), or the
        inner waits for the outer and fails after ``write_wait`` with "database is locked".
        """
        async with self._write_turn(), self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """A Core connection (no ORM session) in one transaction, in this process's write turn:
        for a hot path that runs a few plain statements."""
        async with self._write_turn(), self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def autocommit(self) -> AsyncIterator[AsyncConnection]:
        """A Core connection on which each statement is a transaction of its own, committed when
        it returns, in this process's write turn: one round trip for a write that is one
        statement, where BEGIN and COMMIT would make it three."""
        async with self._write_turn(), self.engine.connect() as conn:
            yield await conn.execution_options(isolation_level="AUTOCOMMIT")

    async def run_write(self, work: Callable[[Any], T], *, small: bool = True) -> T:
        """Run ``work`` on a SQLite connection (plain DB-API calls: a cursor's execute,
        executemany and fetchall), in this process's write turn; ``work`` begins and ends its
        own transaction, and may be run twice (if its BEGIN IMMEDIATE finds the database busy).
        ``small``: it takes a millisecond or two (a batch of up to ``INLINE_ROWS`` rows). SQLite
        only.

        For the ingest path, whose batches take a millisecond or two of SQLite's time: on a
        database file ``work`` runs right here on the event loop, on a connection that never
        waits (no busy timeout) and never checkpoints, so no trip to another thread (each costs
        a scheduler wake-up, through SQLAlchemy and aiosqlite three a statement). When another
        process holds the write lock it runs on a thread of its own that waits for it, and that
        thread also checkpoints the write-ahead log now and then, off the loop; it also takes
        the work that is not small, so that the loop never stops for long (a 500-row batch
        takes SQLite 10 ms or more).
        """
        async with self._write_turn():
            if self._reader is None:  # in memory: only the engine's one connection sees it
                async with self.engine.connect() as conn:
                    return await conn.run_sync(lambda c: work(c.connection.dbapi_connection))
            if self._direct is None:
                tuner = functools.partial(_sqlite_tuner, True, False)
                self._direct = DirectWrites(self.engine.url.database or "", tuner, self.write_wait)
            return await self._direct.run(work, small=small)

    @asynccontextmanager
    async def _write_turn(self) -> AsyncIterator[None]:
        """Wait for this process's turn to write (SQLite only)."""
        if self._writers is None:
            yield
            return
        try:
            async with asyncio.timeout(self.write_wait):
                await self._writers.acquire()
        except TimeoutError:
            # What SQLite itself says when its busy_timeout runs out, so callers see one error.
            locked = sqlite3.OperationalError("database is locked")
            raise OperationalError("BEGIN IMMEDIATE", None, locked) from None
        try:
            yield
        finally:
            self._writers.release()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction that only reads: it never waits for or blocks a writer.

        On SQLite it takes no write lock (WAL readers see the last commit) and writing in it
        fails; on PostgreSQL it is ``READ ONLY``. Use ``transaction()`` for anything that writes.
        """
        shared = self._reader is None and self._writers is not None
        # In memory, reads share the writers' one connection, so they take turns with them.
        turn = self._write_turn() if shared else nullcontext()
        async with turn, self._reads() as session, session.begin():
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
        if self._direct is not None:
            await self._direct.close()
            self._direct = None
        if self._reader is not None:
            await self._reader.dispose()
        await self.engine.dispose()


def _sqlite_reader(engine: AsyncEngine) -> AsyncEngine | None:
    """A SQLite file's engine for reads, with its own pool of query_only connections."""
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name != "sqlite" or _is_memory(url):
        return None  # in memory, the one shared connection must serve reads as well
    return build_engine(url, read_only=True)


def _reading(engine: AsyncEngine) -> AsyncEngine:
    """The writer's engine (and pool) with transactions that only read, where it can say so."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(postgresql_readonly=True)
    return engine
