"""The ingest path's batches: a batch of known people is one statement, what a process remembers
about people never makes a count wrong, and SQLite's lock never stalls the event loop."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from bot.events import Actor, MessagePosted
from storage import ledger as ledger_store
from storage.engine import Store, build_engine
from storage.models import Identity, LedgerEntry, Member
from tests.factories import ACTS, WORKSPACE, Harness, place


@pytest.fixture
async def other(store: Store, database_url: str) -> AsyncIterator[Harness]:
    """A second copbot process on the same database (its own engine, pool and memory)."""
    second = Store(build_engine(database_url))
    harness = await Harness.start(second)
    yield harness
    await harness.close()
    await second.close()


def said_by(user: str, name: str | None, ev: str, harness: Harness) -> MessagePosted:
    who = Actor("console", WORKSPACE, user, display_name=name)
    return MessagePosted(who, place(), ev, harness.clock.now())


async def rows(store: Store) -> list[LedgerEntry]:
    async with store.read() as session:
        return list(
            (
                await session.exec(select(LedgerEntry).where(ACTS).order_by(col(LedgerEntry.id)))
            ).all()
        )


async def names(store: Store) -> list[str]:
    async with store.read() as session:
        return sorted((await session.exec(select(Member.display_name))).all())


async def test_an_opt_out_made_on_another_process_counts_at_once(
    harness: Harness, other: Harness
) -> None:
    await harness.post("bob")  # this process now knows bob
    assert "now anonymous" in await other.say("privacy optout confirm:yes", user="bob")
    await harness.post("bob")
    assert [r.member_id is None for r in await rows(harness.store)] == [True, True]
    assert "starting from now" in await other.say("privacy optin", user="bob")
    await harness.post("bob")
    assert (await rows(harness.store))[-1].member_id is not None


async def test_someone_first_seen_by_another_process_stays_one_member(
    harness: Harness, other: Harness
) -> None:
    await other.post("carol")
    await harness.post("carol")  # a stranger to this process, not to the database
    await asyncio.gather(harness.post("dave"), other.post("dave"))
    assert await names(harness.store) == ["carol", "dave"]
    async with harness.store.read() as session:
        accounts = (await session.exec(select(Identity.user_id))).all()
    assert sorted(accounts) == ["carol", "dave"]
    entries = await rows(harness.store)
    assert len(entries) == 4 and len({r.member_id for r in entries}) == 2


async def test_the_name_a_platform_shows_reaches_the_member(harness: Harness) -> None:
    await harness.core.handle(said_by("U7", None, "e1", harness))
    assert await names(harness.store) == ["U7"]  # no name given yet: the user id
    await harness.core.handle(said_by("U7", "Erin", "e2", harness))
    await harness.core.handle(said_by("U7", None, "e3", harness))  # says nothing: kept
    assert await names(harness.store) == ["Erin"]
    await harness.core.handle(said_by("U7", "Erin K.", "e4", harness))
    assert await names(harness.store) == ["Erin K."]
    assert len(await rows(harness.store)) == 4


async def test_a_batch_of_known_people_is_one_statement(harness: Harness) -> None:
    await asyncio.gather(*(harness.post(f"m{i}") for i in range(7)))  # they exist now
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(" ".join(statement.split()[:3]))

    engine = harness.store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        await asyncio.gather(*(harness.post(f"m{i % 7}") for i in range(100)))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(await rows(harness.store)) == 107
    # Before, each batch looked its workspaces and members up, then inserted. Now the insert
    # finds them: on PostgreSQL it is all a batch runs (in autocommit, so its own transaction);
    # SQLite runs batches on the store's own connection, outside SQLAlchemy.
    expected = [] if harness.store.dialect == "sqlite" else ["INSERT INTO ledger"]
    assert sorted(set(statements)) == expected, statements


async def test_counted_times_are_stored_as_every_other_write_stores_them(
    harness: Harness,
) -> None:
    await harness.post("bob")
    counted = (await rows(harness.store))[0]
    written = {**counted.model_dump(exclude={"id"}), "event_id": "by-record"}
    await harness.ledger.record(written)
    harness.later(days=8)
    assert "Last 7 days: 0 messages" in await harness.say("me", user="bob")
    async with harness.store.read() as session:
        stamps = (await session.exec(text("SELECT occurred_at FROM ledger ORDER BY id"))).all()
        since = harness.clock.now() - timedelta(days=9)
        assert counted.member_id is not None
        found = await ledger_store.counts_by_kind(
            session=session, member_id=counted.member_id, since=since
        )
    assert stamps[0] == stamps[1]  # the same text (SQLite) or the same instant
    assert found == {"message": 2}


# SQLite only: PostgreSQL writers do not wait for one lock.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_another_process_holding_sqlite_lock_never_stalls_the_loop(
    store: Store, database_url: str
) -> None:
    harness = await Harness.start(store)
    await harness.post("bob")
    database = make_url(database_url).database
    assert database
    lock = sqlite3.connect(database, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # another process writing
    try:
        counting = asyncio.create_task(harness.post("bob", ev="while-locked"))
        loop = asyncio.get_running_loop()
        start = loop.time()
        for _ in range(20):
            await asyncio.sleep(0)
        # The loop kept turning while the count waits for the lock (off the loop).
        assert loop.time() - start < 1.0 and not counting.done()
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    await counting
    assert [r.event_id for r in await rows(store)][-1] == "while-locked"
    await harness.close()
