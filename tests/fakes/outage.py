"""A database that stops answering and comes back, in-process: SQLite locked by another
connection holding ``BEGIN EXCLUSIVE``, PostgreSQL behind a loopback TCP relay that is cut."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator

from sqlalchemy.engine import make_url

from storage.engine import Store, build_engine
from storage.migrate import upgrade


class TcpRelay:
    """Forwards a loopback port to PostgreSQL; ``cut()`` drops every connection and refuses new
    ones (as a server that went away), ``restore()`` listens again on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def restore(self) -> None:
        """Listen (again) on the relay's port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        """Stop listening and drop every connection."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()


class Outage:
    """Makes a test database unavailable (``begin``) and available again (``end``)."""

    def __init__(self, url: str, relay: TcpRelay | None = None) -> None:
        self.url = url
        self.relay = relay
        self._lock: sqlite3.Connection | None = None

    async def begin(self) -> None:
        """From now on the database takes no write."""
        if self.relay is not None:
            await self.relay.cut()
            return
        database = make_url(self.url).database
        assert database
        self._lock = sqlite3.connect(database, isolation_level=None)
        self._lock.execute("BEGIN EXCLUSIVE")  # what another process holding the file does

    async def end(self) -> None:
        """The database is back."""
        if self.relay is not None:
            await self.relay.restore()
            return
        assert self._lock is not None
        self._lock.execute("ROLLBACK")
        self._lock.close()
        self._lock = None


def relayed_url(url: str, relay: TcpRelay) -> str:
    """The same PostgreSQL database, reached through the relay."""
    return make_url(url).set(host="127.0.0.1", port=relay.port).render_as_string(False)


OUTAGE_WAIT = 0.5


@contextlib.asynccontextmanager
async def unreliable_store(url: str) -> AsyncIterator[tuple[Store, Outage]]:
    """A migrated store on ``url`` (an empty test database) and the means to take it down."""
    relay = None
    if make_url(url).get_backend_name() == "postgresql":
        parsed = make_url(url)
        relay = TcpRelay(parsed.host or "127.0.0.1", parsed.port or 5432)
        await relay.restore()
        url = relayed_url(url, relay)
    # A locked SQLite fails a write after half a second, not five: the tests wait less.
    store = Store(build_engine(url, write_wait=OUTAGE_WAIT), write_wait=OUTAGE_WAIT)
    await upgrade(store.engine)
    outage = Outage(url, relay)
    try:
        yield store, outage
    finally:
        await store.close()
        if relay is not None:
            await relay.cut()
