"""Reads beside writes: a read never waits for a writer, cannot write, and writers queue fairly."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import col, select

from storage.engine import Store, build_engine
from storage.migrate import upgrade
from storage.models import Community

AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


async def _community(store: Store, name: str) -> int:
    async with store.transaction() as session:
        community = Community(name=name, timezone="Europe/Berlin", created_at=AT)
        session.add(community)
        await session.flush()
        assert community.id is not None
        return community.id


async def _names(store: Store) -> list[str]:
    async with store.read() as session:
        return list((await session.exec(select(Community.name).order_by(col(Community.id)))).all())


async def test_a_read_sees_what_was_committed_and_cannot_write(store: Store) -> None:
    await _community(store, "first")
    assert await _names(store) == ["first"]
    with pytest.raises(DBAPIError):
        async with store.read() as session:
            session.add(Community(name="sneaked in", created_at=AT))
            await session.flush()
    assert await _names(store) == ["first"]


async def test_a_read_does_not_wait_for_a_writer(store: Store) -> None:
    community_id = await _community(store, "demo")
    async with store.transaction() as writer:
        # The writer holds SQLite's write lock (PostgreSQL: the row's lock) until it commits.
        await writer.exec(
            text("UPDATE community SET timezone = 'Asia/Tokyo' WHERE id = :id"),
            params={"id": community_id},
        )

        async def zone() -> str:
            async with store.read() as session:
                found = await session.get(Community, community_id)
                assert found is not None
                return found.timezone

        # The read answers at once with the last committed state (before, it waited for the
        # lock for 5 s and failed with "database is locked").
        assert await asyncio.wait_for(zone(), 3) == "Europe/Berlin"
    assert await asyncio.wait_for(zone(), 3) == "Asia/Tokyo"


async def test_a_connection_that_served_a_read_can_write_again(store: Store) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    # One pooled connection, so that the write reuses the one that served the read.
    small = Store(build_engine(url, pool_size=1, max_overflow=0))
    try:
        assert await _names(small) == []
        await _community(small, "after a read")
        assert await _names(small) == ["after a read"]
    finally:
        await small.close()


async def test_a_burst_of_writers_all_commit_in_the_order_they_asked(store: Store) -> None:
    async def write(n: int) -> None:
        async with store.transaction() as session:
            await asyncio.sleep(0)  # let the others pile up behind this one
            session.add(Community(name=f"c{n:02d}", created_at=AT))
            await session.flush()
            await asyncio.sleep(0)

    await asyncio.gather(*(write(n) for n in range(40)))
    names = await _names(store)
    if store.dialect == "sqlite":
        # One writer at a time on SQLite, served first come first served.
        assert names == [f"c{n:02d}" for n in range(40)]
    else:
        assert sorted(names) == [f"c{n:02d}" for n in range(40)]


async def test_a_sqlite_writer_that_cannot_get_its_turn_gets_database_is_locked(
    tmp_path: Path,
) -> None:
    # SQLite only: PostgreSQL writers do not queue for one lock.
    url = f"sqlite+aiosqlite:///{tmp_path / 'queue.db'}"
    store = Store(build_engine(url, write_wait=0.01), write_wait=0.01)
    await upgrade(store.engine)
    async with store.transaction() as session:
        await session.exec(text("SELECT 1"))
        with pytest.raises(OperationalError, match="database is locked"):
            async with store.transaction():
                pass
    await _community(store, "next in line")  # the queue works again once the first is done
    assert await _names(store) == ["next in line"]
    await store.close()
