"""The job engine: kinds in one registry, one-off jobs, the real loop firing, rebuilds in order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.job_kinds import build_registry
from bot.jobs import Fired, Firing, JobKind, JobRegistry, OneOff
from bot.outbox import outbox_row
from bot.scheduling import Scheduling
from bot.ui import Message, Outgoing, Recipient
from scheduler.leader import Leader
from scheduler.loop import RecurringSessions
from storage import jobs as job_store
from storage import outbox
from storage.engine import Store
from storage.models import JobRun, OutboxRow, ScheduledJob
from tests.factories import Harness
from tests.soon import SoonCalendar


async def wait_for(check, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "not in time"
        await asyncio.sleep(0.02)


async def add_checkin(harness: Harness, name: str = "standup", schedule: str = "daily 09:00"):
    reply = await harness.say(f'checkin add name:{name} schedule:"{schedule}" questions:Q')
    assert reply.startswith("✅"), reply


@pytest.fixture
async def running(harness: Harness) -> AsyncIterator[RecurringSessions]:
    """The real scheduler loop on the harness's database and clock."""
    sessions = RecurringSessions(
        harness.scheduling, harness.clock, Leader(harness.store.engine), retry_every=0.05
    )
    harness.core._on_schedules_changed = sessions.schedules_changed
    task = asyncio.create_task(sessions.run())
    await wait_for(lambda: sessions.leading and sessions.rebuilds > 0)
    yield sessions
    sessions.stop()
    await task


def test_every_kind_is_registered_once() -> None:
    registry = build_registry()
    assert registry.names == [
        "asked-report",
        "checkin",
        "checkin-reminder",
        "event-reminder",
        "event-series",
        "event-voice",
        "launch-roster",
        "nudge",
        "outbox-prune",
        "pairing",
        "prompt",
        "survey-close",
        "survey-open",
        "survey-remind",
        "weekly-report",
    ]
    with pytest.raises(ValueError, match="twice"):
        registry.add(JobKind("checkin", registry.get("checkin").fire))  # type: ignore[union-attr]


async def test_the_real_loop_fires_a_checkin_without_waiting_for_the_clock(
    store: Store,
) -> None:
    """APScheduler, the engine, the outbox and the console, as ``copbot run`` wires them; the
    calendar fires in 100 ms instead of at the next minute."""
    harness = await Harness.start(store, calendar=SoonCalendar)
    scheduling = Scheduling(
        store, harness.services, build_registry(), on_outgoing=harness.delivery.wake
    )
    sessions = RecurringSessions(scheduling, harness.clock, Leader(store.engine), retry_every=0.05)
    harness.core._on_schedules_changed = sessions.schedules_changed
    await harness.post("bob")
    await add_checkin(harness, "tick", "cron 0 * * * *")
    tasks = [asyncio.create_task(sessions.run()), asyncio.create_task(harness.delivery.run(0.05))]
    try:
        await wait_for(lambda: harness.out.getvalue().count("Time for the *tick* check-in") == 2)
    finally:
        sessions.stop()
        harness.delivery.stop()
        await asyncio.gather(*tasks)
        await harness.close()
    shown = harness.out.getvalue()
    assert "[copbot → DM to alice]" in shown and "[copbot → DM to bob]" in shown
    assert shown.count("Time for the *tick* check-in") == 2


async def test_the_weekly_report_is_a_job_of_every_community(
    harness: Harness, running: RecurringSessions
) -> None:
    runs = running.next_runs()
    (report,) = [job for job in runs if job.startswith("weekly-report:")]
    when = runs[report]
    assert isinstance(when, datetime)
    local = when.astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.weekday(), local.hour, local.minute) == (0, 8, 0)  # [reports] weekly: mon 08:00


async def test_a_reminder_is_a_one_off_job_that_survives_a_restart(harness: Harness) -> None:
    await harness.post("bob")
    await add_checkin(harness)
    nine = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    harness.clock.set(nine)
    assert await harness.scheduling.fire("checkin:1", nine) == 2
    await harness.deliver()
    # A new process sees the reminder waiting in the database, due four hours later.
    restarted = Scheduling(harness.store, harness.services, build_registry())
    once = [job for job in await restarted.jobs() if isinstance(job, OneOff)]
    assert [(j.kind, j.due_at) for j in once] == [("checkin-reminder", nine + timedelta(hours=4))]
    assert await restarted.fire(once[0], nine + timedelta(hours=1)) == 0  # not due yet
    harness.later(hours=4)
    assert await restarted.fire(once[0], harness.clock.now()) == 2
    assert await restarted.fire(once[0], harness.clock.now()) == 0  # never twice
    assert "gentle reminder" in await harness.deliver()
    async with harness.store.transaction() as session:
        row = (await session.exec(select(ScheduledJob))).one()
    assert (row.status, row.fired_at) == ("done", harness.clock.now())


async def test_a_paused_checkin_reminds_nobody(harness: Harness) -> None:
    await add_checkin(harness)
    nine = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    harness.clock.set(nine)
    await harness.scheduling.fire("checkin:1", nine)
    await harness.deliver()
    await harness.say("checkin pause 1")
    harness.later(hours=4)
    assert "ran checkin-reminder:1" in await harness.run_jobs()
    assert "reminder" not in await harness.deliver()


async def test_one_off_jobs_of_a_kind_fire_late_within_the_grace_or_are_missed(
    store: Store, harness: Harness
) -> None:
    fired: list[str] = []

    async def ring(firing: Firing) -> Fired:
        fired.append(firing.subject)
        return Fired(count=1)

    registry = JobRegistry([JobKind("bell", ring)])
    engine = Scheduling(store, harness.services, registry)
    now = harness.clock.now()
    async with store.transaction() as session:
        for subject, due in (("soon", now), ("late", now - timedelta(hours=3)), ("x", now)):
            await job_store.schedule_once(
                session=session,
                key=f"bell:{subject}",
                kind="bell",
                subject=subject,
                due_at=due,
                now=now,
            )
        # Scheduling the same key again (a retried command) keeps one job.
        again = await job_store.schedule_once(
            session=session, key="bell:soon", kind="bell", subject="soon", due_at=now, now=now
        )
        assert again is False
        assert await job_store.cancel_once(session=session, kind="bell", subject="x") == 1
    outcome = await engine.catch_up(now + timedelta(minutes=10))
    assert outcome == ["missed bell:late", "ran bell:soon"]
    assert fired == ["soon"]


async def test_a_kind_prepares_outside_the_firing_transaction_and_only_when_due(
    store: Store, harness: Harness
) -> None:
    """Long work (a report's files) happens before the transaction that claims the firing, so
    that on SQLite the write lock is free meanwhile; never for a firing that ran or is late."""
    prepared: list[str] = []

    async def prepare(
        store: Store, services: object, subject: str, due: datetime, now: datetime
    ) -> str:
        # Another writer gets in while this runs: no transaction of the firing holds the lock.
        async with store.transaction() as session:
            await job_store.schedule_once(
                session=session,
                key=f"echo:{subject}",
                kind="echo",
                subject=subject,
                due_at=now + timedelta(days=1),
                now=now,
            )
        prepared.append(subject)
        return f"made for {subject}"

    async def ring(firing: Firing) -> Fired:
        assert firing.prepared == f"made for {firing.subject}"
        return Fired(count=1)

    engine = Scheduling(
        store, harness.services, JobRegistry([JobKind("bell", ring, prepare=prepare)])
    )
    now = harness.clock.now()
    async with store.transaction() as session:
        for subject, due in (("soon", now), ("late", now - timedelta(hours=3))):
            await job_store.schedule_once(
                session=session,
                key=f"bell:{subject}",
                kind="bell",
                subject=subject,
                due_at=due,
                now=now,
            )
    assert await engine.catch_up(now + timedelta(minutes=1)) == [
        "missed bell:late",
        "ran bell:soon",
    ]
    assert await engine.catch_up(now + timedelta(minutes=2)) == []  # nothing twice
    assert prepared == ["soon"]
    async with store.transaction() as session:
        echoed = await session.exec(select(ScheduledJob.key).where(ScheduledJob.kind == "echo"))
        assert echoed.all() == ["echo:soon"]


class SlowFirstRebuild(Scheduling):
    """The first rebuild reads the database, then stalls; counts rebuilds running at once."""

    calls = 0
    running = 0
    most = 0

    async def jobs(self):  # type: ignore[no-untyped-def]
        self.calls += 1
        self.running += 1
        self.most = max(self.most, self.running)
        try:
            found = await super().jobs()
            if self.calls == 2:
                await asyncio.sleep(0.3)
            return found
        finally:
            self.running -= 1


async def test_rebuilds_never_overlap_and_the_newest_wins(harness: Harness) -> None:
    await add_checkin(harness, "one")
    scheduling = SlowFirstRebuild(harness.store, harness.services, build_registry())
    sessions = RecurringSessions(
        scheduling, harness.clock, Leader(harness.store.engine), retry_every=0.05
    )
    harness.core._on_schedules_changed = sessions.schedules_changed
    task = asyncio.create_task(sessions.run())
    try:
        await wait_for(lambda: "checkin:1" in sessions.next_runs())
        await add_checkin(harness, "two")  # the slow rebuild starts: it has read only #1
        await asyncio.sleep(0.05)
        await add_checkin(harness, "three")  # changes while it stalls: one more rebuild after
        for _ in range(20):
            sessions.schedules_changed()
        await wait_for(lambda: {"checkin:2", "checkin:3"} <= set(sessions.next_runs()))
        await asyncio.sleep(0.4)  # the stalled rebuild, had it run last, would drop #3 now
        assert {"checkin:1", "checkin:2", "checkin:3"} <= set(sessions.next_runs())
        assert scheduling.most == 1
    finally:
        sessions.stop()
        await task


async def test_stopping_while_changes_arrive_ends_cleanly(harness: Harness) -> None:
    await add_checkin(harness)
    sessions = RecurringSessions(
        harness.scheduling, harness.clock, Leader(harness.store.engine), retry_every=0.05
    )
    task = asyncio.create_task(sessions.run())
    await wait_for(lambda: sessions.leading)
    for _ in range(10):
        sessions.schedules_changed()
    sessions.stop()
    await task  # no AttributeError, no task left behind
    sessions.schedules_changed()  # after the stop: nothing to do, nothing raised
    assert not sessions.leading
    leftovers = [
        t for t in asyncio.all_tasks() if t.get_name() == "scheduler-rebuild" and not t.done()
    ]
    assert leftovers == []


async def test_a_firing_is_recorded_once_per_key(harness: Harness) -> None:
    await add_checkin(harness)
    nine = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    await asyncio.gather(*(harness.scheduling.fire("checkin:1", nine) for _ in range(5)))
    async with harness.store.transaction() as session:
        keys = (await session.exec(select(JobRun.key))).all()
    assert keys == ["checkin:1:2026-12-02T08:00"]


async def test_the_nightly_job_prunes_what_was_sent_long_ago(harness: Harness) -> None:
    def note(key: str) -> Outgoing:
        return Outgoing(Recipient("console", "local", user="bob"), Message("hi"), key)

    start = harness.clock.now()
    async with harness.store.transaction() as session:
        await outbox.enqueue(session=session, rows=[outbox_row(note("old"), start)])
    await harness.deliver()
    harness.later(days=40)
    async with harness.store.transaction() as session:
        await outbox.enqueue(session=session, rows=[outbox_row(note("new"), harness.clock.now())])
    await harness.deliver()
    # 03:30 UTC, the next night: rows finished more than [outbox] retention_days (30) ago go.
    night = harness.clock.now().replace(hour=3, minute=30) + timedelta(days=1)
    harness.clock.set(night + timedelta(minutes=5))
    assert "ran outbox-prune:all:" in " ".join(await harness.run_jobs())
    async with harness.store.transaction() as session:
        assert (await session.exec(select(OutboxRow.key))).all() == ["new"]


async def test_a_rebuild_while_a_one_off_job_fires_does_not_start_it_again(
    store: Store, harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A report asked for takes a while to make; a schedule change meanwhile rebuilds the jobs,
    and the one-off job, still pending in the database, must not be started a second time."""
    release = asyncio.Event()
    started: list[str] = []

    async def slowly(store: Store, services: object, subject: str, due: datetime, now: datetime):
        started.append(subject)
        await release.wait()
        return subject

    async def ring(firing: Firing) -> Fired:
        return Fired(count=1)

    registry = JobRegistry([JobKind("bell", ring, prepare=slowly)])
    scheduling = Scheduling(store, harness.services, registry)
    sessions = RecurringSessions(scheduling, harness.clock, Leader(store.engine), retry_every=0.05)
    now = harness.clock.now()
    task = asyncio.create_task(sessions.run())
    try:
        await wait_for(lambda: sessions.leading and sessions.rebuilds > 0)
        async with store.transaction() as session:
            await job_store.schedule_once(
                session=session, key="bell:1", kind="bell", subject="1", due_at=now, now=now
            )
        sessions.schedules_changed()
        await wait_for(lambda: started == ["1"])
        rebuilds = sessions.rebuilds
        sessions.schedules_changed()  # e.g. someone subscribes to the weekly report
        await wait_for(lambda: sessions.rebuilds > rebuilds)
        await asyncio.sleep(0.1)
        release.set()
        await wait_for(lambda: "bell:1" not in str(sessions.next_runs()))
    finally:
        release.set()
        sessions.stop()
        await task
    assert started == ["1"]
    assert "maximum number of running instances" not in caplog.text


async def test_a_failing_job_is_logged_in_a_line_and_stops_no_other(
    store: Store, harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A use case that raises (a bug, bad data) must not stop the engine: the one-off job is
    settled as failed, not tried at every catch-up, and the other jobs still fire."""
    fired: list[str] = []

    async def prepare(store: Store, services: object, subject: str, due: datetime, now: datetime):
        if subject == "bad":
            raise ValueError("no such week")
        return subject

    async def ring(firing: Firing) -> Fired:
        fired.append(firing.subject)
        return Fired(count=1)

    engine = Scheduling(
        store, harness.services, JobRegistry([JobKind("bell", ring, prepare=prepare)])
    )
    now = harness.clock.now()
    async with store.transaction() as session:
        for subject in ("bad", "good"):
            await job_store.schedule_once(
                session=session,
                key=f"bell:{subject}",
                kind="bell",
                subject=subject,
                due_at=now,
                now=now,
            )
    done = await engine.catch_up(now)
    assert [line.split(" ")[0] for line in done] == ["failed", "ran"] and fired == ["good"]
    assert "failed: ValueError: no such week" in caplog.text and "Traceback" not in caplog.text
    assert await engine.catch_up(now + timedelta(minutes=1)) == []  # not tried again
    async with store.read() as session:
        statuses = (await session.exec(select(ScheduledJob.key, ScheduledJob.status))).all()
    assert sorted(statuses) == [("bell:bad", "failed"), ("bell:good", "done")]
