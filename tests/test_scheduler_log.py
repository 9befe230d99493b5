"""The scheduler's log line counts its jobs in words, "3 jobs", never "job(s)" (issue 9, Words)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from scheduler.leader import Leader
from scheduler.loop import RecurringSessions
from tests.factories import Harness


async def test_the_scheduler_counts_its_jobs_in_words(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scheduler.loop")
    await harness.post("bob")
    assert (await harness.say('checkin add name:a schedule:"daily 09:00" questions:Q')).startswith(
        "✅"
    )
    sessions = RecurringSessions(
        harness.scheduling, harness.clock, Leader(harness.store.engine), retry_every=0.05
    )
    harness.core._on_schedules_changed = sessions.schedules_changed
    running = asyncio.create_task(sessions.run())
    try:
        await until(lambda: "checkin:1" in sessions.next_runs())
        await harness.say('checkin add name:b schedule:"daily 10:00" questions:Q')
        await until(lambda: "checkin:2" in sessions.next_runs())
    finally:
        sessions.stop()
        await running
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("scheduler: ")]
    # The check-in, plus the community's weekly report and the outbox's pruning.
    assert said[0].startswith("scheduler: 3 jobs; added checkin:1, "), said
    assert said[-1] == "scheduler: 4 jobs; added checkin:2; removed none", said
    assert not any("(s)" in line for line in said)


async def until(check, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "not in time"
        await asyncio.sleep(0.02)
