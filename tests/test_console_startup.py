"""What input waits for at start: the scheduler's catch-up, done, or not this process's to do."""

from __future__ import annotations

import asyncio

from scheduler.leader import Leader
from scheduler.loop import RecurringSessions
from storage.engine import Store
from tests.factories import Harness

WAIT = 10.0  # seconds; caught_up is set as soon as the catch-up's transactions commit


def scheduler_of(harness: Harness, store: Store) -> RecurringSessions:
    return RecurringSessions(
        harness.scheduling, harness.clock, Leader(store.engine), retry_every=0.05
    )


async def test_caught_up_is_set_once_the_missed_firing_is_recorded(harness: Harness) -> None:
    reply = await harness.say('checkin add name:standup schedule:"daily 09:00" questions:Q')
    assert reply.startswith("✅"), reply
    harness.later(days=3)  # copbot was down; the last firing is 1.5 hours past the grace
    sessions = scheduler_of(harness, harness.store)
    task = asyncio.create_task(sessions.run())
    try:
        await asyncio.wait_for(sessions.caught_up.wait(), WAIT)
        listed = await harness.say("checkin list")  # what the first command sees
    finally:
        sessions.stop()
        await task
    assert "1 missed while copbot was down" in listed, listed


async def test_caught_up_is_set_when_another_process_leads(pg_store: Store) -> None:
    """On PostgreSQL another process may hold the lead: input must not wait for it."""
    harness = await Harness.start(pg_store)
    other = Leader(pg_store.engine)
    assert await other.acquire()
    sessions = scheduler_of(harness, pg_store)
    task = asyncio.create_task(sessions.run())
    try:
        await asyncio.wait_for(sessions.caught_up.wait(), WAIT)
        assert not sessions.leading
    finally:
        sessions.stop()
        await task
        await other.release()
        await harness.close()
