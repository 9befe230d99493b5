"""The recurring-sessions loop: firings, local times, catch-up, reminders, away, two processes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from bot.job_kinds import build_registry
from bot.jobs import Job
from bot.outbox import OutboxDelivery
from bot.outbox_keys import WELCOME
from bot.scheduling import Outcome, Scheduling
from scheduler import jobs
from scheduler.calendar import CronCalendar
from scheduler.leader import Leader
from scheduler.loop import RecurringSessions
from storage.engine import Store, build_engine
from storage.models import Occurrence, OutboxRow
from tests.factories import Harness

BERLIN = ZoneInfo("Europe/Berlin")


def at(zone: str, *args: int) -> datetime:
    """A local wall-clock time in a zone, as UTC."""
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc]


async def occurrences(store: Store) -> list[Occurrence]:
    async with store.transaction() as session:
        return list((await session.exec(select(Occurrence).order_by(Occurrence.id))).all())


async def outbox_keys(store: Store) -> list[str]:
    async with store.transaction() as session:
        # The check-ins' messages: not the welcome each new member got.
        query = select(OutboxRow.key).where(col(OutboxRow.kind) != WELCOME)
        return sorted((await session.exec(query)).all())


def checkins_only(lines: list[str]) -> list[str]:
    """Catch-up lines about check-ins (the nightly outbox pruning runs beside them)."""
    return [line for line in lines if line.split()[-1].startswith("checkin")]


async def setup_checkin(harness: Harness, extra: str = "", schedule: str = "daily 09:00") -> None:
    await harness.post("bob")
    reply = await harness.say(f'checkin add name:standup schedule:"{schedule}" questions:Q {extra}')
    assert reply.startswith("✅"), reply


async def test_a_firing_creates_one_occurrence_and_sends_once(harness: Harness) -> None:
    await setup_checkin(harness)
    scheduling = harness.scheduling
    nine = at("Europe/Berlin", 2026, 12, 2, 9, 0)
    assert await scheduling.fire("checkin:1", nine + timedelta(seconds=3)) == 2
    assert (
        await scheduling.fire("checkin:1", nine + timedelta(seconds=40)) == 0
    )  # a duplicate firing
    found = await occurrences(harness.store)
    assert [o.key for o in found] == ["checkin:1:2026-12-02T08:00"]
    dms = [k for k in await outbox_keys(harness.store) if ":remind:" not in k]
    assert len(dms) == 2


async def test_daily_firings_across_both_dst_changes_in_berlin(harness: Harness) -> None:
    harness.clock.set(datetime(2025, 12, 31, tzinfo=UTC))  # created before the days it runs
    await setup_checkin(harness)
    scheduling = harness.scheduling
    calendar = CronCalendar()
    # Five weeks around each change (29 March and 25 October 2026), every day through the
    # engine, each fired twice: a year of them took a tenth of the suite and showed no more.
    times = [
        moment
        for start in (datetime(2026, 3, 8, tzinfo=UTC), datetime(2026, 10, 4, tzinfo=UTC))
        for moment in calendar.next_times("daily 09:00", "Europe/Berlin", start, 35)
    ]
    for moment in times:
        await scheduling.fire("checkin:1", moment)
        await scheduling.fire(
            "checkin:1", moment + timedelta(minutes=1)
        )  # a second firing: nothing
    found = await occurrences(harness.store)
    local = [o.scheduled_for.astimezone(BERLIN) for o in found]
    assert len(found) == 70
    assert {(t.hour, t.minute) for t in local} == {(9, 0)}
    assert len({t.date() for t in local}) == 70
    offsets = {t.utcoffset() for t in local}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # both sides of each change


@pytest.mark.parametrize(
    ("zone", "spring", "autumn"),
    [
        ("America/New_York", (2026, 3, 8), (2026, 11, 1)),
        ("Australia/Sydney", (2026, 10, 4), (2026, 4, 5)),
    ],
)
async def test_firings_stay_at_nine_across_dst(
    harness: Harness, zone: str, spring: tuple[int, int, int], autumn: tuple[int, int, int]
) -> None:
    community_zone = harness.services.config.communities[0]
    assert community_zone.timezone == "Europe/Berlin"
    harness.clock.set(datetime(2025, 12, 31, tzinfo=UTC))  # created before the year it runs
    await setup_checkin(harness, "local_time:yes")
    await harness.say(f"tz {zone}", user="bob")
    await harness.say(f"tz {zone}")
    scheduling = harness.scheduling
    calendar = CronCalendar()
    for day in (spring, autumn):
        start = datetime(*day, tzinfo=UTC) - timedelta(days=3)
        for moment in calendar.next_times("daily 09:00", zone, start, 6):
            await scheduling.fire(f"checkin:1:{zone}", moment)
    local = [o.scheduled_for.astimezone(ZoneInfo(zone)) for o in await occurrences(harness.store)]
    assert len(local) == 12 and {(t.hour, t.minute) for t in local} == {(9, 0)}


async def test_local_time_reaches_each_member_at_their_nine(harness: Harness) -> None:
    zones = [
        "Europe/Berlin",
        "America/New_York",
        "Asia/Tokyo",
        "Australia/Sydney",
        "America/Sao_Paulo",
    ]
    await setup_checkin(harness, "local_time:yes audience:everyone")
    for number, zone in enumerate(zones):
        await harness.say(f"tz {zone}", user=f"m{number}")
    await harness.say("tz Europe/Berlin", user="bob")
    scheduling = harness.scheduling
    found = {job.zone for job in await scheduling.jobs() if job.kind == "checkin"}
    assert found == set(zones)  # alice and bob live in Berlin, the community's zone
    asked: dict[str, int] = {}
    for zone in zones:
        nine = at(zone, 2026, 12, 2, 9, 0)
        asked[zone] = await scheduling.fire(f"checkin:1:{zone}", nine)
    assert asked == {
        "Europe/Berlin": 3,
        "America/New_York": 1,
        "Asia/Tokyo": 1,
        "Australia/Sydney": 1,
        "America/Sao_Paulo": 1,
    }
    keys = [k for k in await outbox_keys(harness.store) if ":remind:" not in k]
    assert len(keys) == 7 and len({k.split(":")[-1] for k in keys}) == 7  # one DM per person


async def test_a_missed_firing_runs_within_the_grace_and_is_recorded_outside(
    harness: Harness,
) -> None:
    await setup_checkin(harness)
    scheduling = harness.scheduling
    nine = at("Europe/Berlin", 2026, 12, 2, 9, 0)
    assert checkins_only(await scheduling.catch_up(nine + timedelta(minutes=30))) == [
        "ran checkin:1:2026-12-02T08:00"
    ]
    assert (
        checkins_only(await scheduling.catch_up(nine + timedelta(minutes=31))) == []
    )  # never twice
    next_nine = nine + timedelta(days=1)
    # The day before's reminder, due while copbot was down and past the grace, is missed too.
    assert checkins_only(await scheduling.catch_up(next_nine + timedelta(hours=2))) == [
        "missed checkin:1:2026-12-03T08:00",
        "missed checkin-reminder:1",
    ]
    statuses = [(o.status, o.sent_count) for o in await occurrences(harness.store)]
    assert statuses == [("open", 2), ("missed", 0)]
    harness.clock.set(next_nine + timedelta(hours=3))
    assert "1 run, 0/2 answered, 1 missed while copbot was down" in await harness.say(
        "checkin list"
    )


async def test_reminders_reach_only_those_who_have_not_answered(harness: Harness) -> None:
    await setup_checkin(harness)
    scheduling = harness.scheduling
    nine = at("Europe/Berlin", 2026, 12, 2, 9, 0)
    harness.clock.set(nine)
    await scheduling.fire("checkin:1", nine)
    shown = await harness.deliver()
    assert "DM to bob" in shown and "reminder" not in shown
    button = harness.screen.buttons[max(harness.screen.buttons)]
    form = (await harness.click(button, "bob"))[0].form  # type: ignore[union-attr]
    await harness.submit(form.form_id, {"q1": "done"}, "bob")
    harness.later(hours=4)
    await harness.run_jobs()
    reminded = await harness.deliver()
    assert "[copbot → DM to alice]" in reminded and "gentle reminder" in reminded
    assert "DM to bob" not in reminded


async def test_away_members_are_not_asked(harness: Harness) -> None:
    await setup_checkin(harness)
    reply = await harness.say("away until:2026-12-05", user="bob")
    assert reply.startswith("🏖️ Check-ins are paused for you until Sat 05 Dec 2026")
    assert "You are away until" in await harness.say("away", user="bob")
    scheduling = harness.scheduling
    assert await scheduling.fire("checkin:1", at("Europe/Berlin", 2026, 12, 2, 9, 0)) == 1
    assert "has passed" in await harness.say("away until:2020-01-01", user="bob")
    assert "should be a date" in await harness.say("away until:soon", user="bob")
    assert (await harness.say("away off", user="bob")).startswith("👋 Welcome back!")
    assert await scheduling.fire("checkin:1", at("Europe/Berlin", 2026, 12, 3, 9, 0)) == 2


async def test_upcoming_lists_the_next_week(harness: Harness) -> None:
    await setup_checkin(harness, schedule="mon,thu 17:00")
    listed = await harness.say("upcoming")
    assert listed.splitlines()[0] == "Coming up in demo (next 7 days):"
    assert "Thu 03 Dec 17:00 Europe/Berlin: standup → 2 members" in listed
    assert "Mon 07 Dec 17:00 Europe/Berlin: standup → 2 members" in listed
    assert "is for facilitators" in await harness.say("upcoming", user="bob")


async def test_a_restart_in_the_middle_of_a_fan_out_sends_each_dm_once(harness: Harness) -> None:
    for name in ("m1", "m2", "m3", "m4"):
        await harness.post(name)
    await setup_checkin(harness)
    scheduling = harness.scheduling
    nine = at("Europe/Berlin", 2026, 12, 2, 9, 0)
    harness.clock.set(nine)
    await scheduling.fire("checkin:1", nine)
    # The process dies after claiming one DM and before sending it; the rest were never claimed.
    from storage import outbox

    async with harness.store.transaction() as session:
        await outbox.claim_due(session=session, now=nine, platforms=["console"], limit=1)
    # A new process starts: the firing is not repeated, and after the lease the claimed DM is
    # reconciled and sent with the others.
    assert await scheduling.fire("checkin:1", nine + timedelta(seconds=30)) == 0
    assert checkins_only(await scheduling.catch_up(nine + timedelta(minutes=5))) == []
    harness.later(minutes=3)
    restarted = OutboxDelivery(
        harness.store, {"console": harness.delivery._senders["console"]}, harness.clock
    )
    await restarted.reconcile()
    await restarted.deliver_due()
    shown = harness.out.getvalue()
    for name in ("alice", "bob", "m1", "m2", "m3", "m4"):
        asked = shown.count(f"DM to {name}]") - shown.count(f"Welcome to demo, {name}!")
        assert asked == 1, name


async def test_the_loop_builds_jobs_and_rebuilds_them_on_change(harness: Harness) -> None:
    await setup_checkin(harness)
    scheduling = harness.scheduling
    sessions = RecurringSessions(
        scheduling, harness.clock, Leader(harness.store.engine), retry_every=0.05
    )
    harness.core._on_schedules_changed = sessions.schedules_changed
    running = asyncio.create_task(sessions.run())
    try:
        await wait_for(lambda: "checkin:1" in sessions.next_runs())
        expected = CronCalendar().next_times("daily 09:00", "Europe/Berlin", datetime.now(UTC), 1)[
            0
        ]
        assert sessions.next_runs()["checkin:1"] == expected
        # The job function takes ids only and uses the injected clock.
        harness.clock.set(at("Europe/Berlin", 2026, 12, 2, 9, 0))
        await jobs.fire_job(sessions.id, "checkin:1")
        assert len(await occurrences(harness.store)) == 1
        await harness.say("checkin pause 1")
        await wait_for(lambda: "checkin:1" not in sessions.next_runs())
    finally:
        sessions.stop()
        await running


async def wait_for(check, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "not in time"
        await asyncio.sleep(0.02)


@pytest.fixture
async def two_processes(pg_store: Store) -> AsyncIterator[tuple[Harness, Store]]:
    """A check-in, and a second store on the same PostgreSQL database (a second process)."""
    harness = await Harness.start(pg_store)
    await setup_checkin(harness)
    other = Store(build_engine(pg_store.engine.url.render_as_string(hide_password=False)))
    yield harness, other
    await other.close()
    await harness.close()


async def test_two_processes_one_postgres_one_occurrence_per_firing(
    two_processes: tuple[Harness, Store],
) -> None:
    harness, other = two_processes
    store = harness.store
    first = Scheduling(store, harness.services, build_registry())
    second = Scheduling(other, harness.services, build_registry())
    nine = at("Europe/Berlin", 2026, 12, 2, 9, 0)
    for day in range(5):
        moment = nine + timedelta(days=day)
        asked = await asyncio.gather(
            first.fire("checkin:1", moment), second.fire("checkin:1", moment)
        )
        assert sorted(asked) == [0, 2]
    assert len(await occurrences(store)) == 5
    dms = [k for k in await outbox_keys(store) if ":remind:" not in k]
    assert len(dms) == 10
    # Only one of the two leads at a time; the other takes over when it lets go.
    one, two = Leader(store.engine), Leader(other.engine)
    assert await one.acquire() is True
    assert await two.acquire() is False
    await one.release()
    assert await two.acquire() is True
    # The leader's connection dies (a network cut, a killed backend): the lock goes with it,
    # the leader notices, and the other process takes over.
    assert two._connection is not None
    pid = (await two._connection.execute(text("SELECT pg_backend_pid()"))).scalar()
    async with store.engine.connect() as killer:
        await killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    assert await two.held() is False
    assert await one.acquire() is True
    await one.release()


class SlowScheduling(Scheduling):
    """Fires slowly, so that a stop arrives in the middle of a firing."""

    async def attempt(self, job: Job | str, now: datetime) -> Outcome:
        await asyncio.sleep(0.3)
        return await super().attempt(job, now)


async def test_stopping_lets_a_firing_under_way_finish(harness: Harness) -> None:
    await setup_checkin(harness)
    sessions = RecurringSessions(
        SlowScheduling(harness.store, harness.services, build_registry()),
        harness.clock,
        Leader(harness.store.engine),
        retry_every=0.05,
    )
    running = asyncio.create_task(sessions.run())
    await wait_for(lambda: sessions.leading)
    harness.clock.set(at("Europe/Berlin", 2026, 12, 2, 9, 0))
    assert sessions._aps is not None
    firing = asyncio.create_task(jobs.fire_job(sessions.id, "checkin:1"))
    await asyncio.sleep(0.05)
    sessions.stop()
    await running
    await firing
    assert [o.sent_count for o in await occurrences(harness.store)] == [2]


class BrokenOnce(Scheduling):
    """Fails its first catch-up, as a dropped database connection would."""

    failed = False

    async def catch_up(self, now: datetime) -> list[str]:
        if not self.failed:
            self.failed = True
            raise ConnectionError("database went away")
        return await super().catch_up(now)


async def test_an_error_while_leading_is_retried(harness: Harness) -> None:
    await setup_checkin(harness)
    scheduling = BrokenOnce(harness.store, harness.services, build_registry())
    sessions = RecurringSessions(
        scheduling, harness.clock, Leader(harness.store.engine), retry_every=0.05
    )
    running = asyncio.create_task(sessions.run())
    try:
        await wait_for(lambda: "checkin:1" in sessions.next_runs())
        assert scheduling.failed
    finally:
        sessions.stop()
        await running


async def test_going_away_withdraws_a_waiting_reminder(harness: Harness) -> None:
    await setup_checkin(harness)
    scheduling = harness.scheduling
    nine = at("Europe/Berlin", 2026, 12, 2, 9, 0)
    harness.clock.set(nine)
    await scheduling.fire("checkin:1", nine)
    await harness.deliver()
    await harness.say("away until:2026-12-10", user="bob")
    harness.later(hours=4)
    await harness.run_jobs()
    reminded = await harness.deliver()
    assert "gentle reminder" in reminded and "DM to bob" not in reminded


async def test_two_scheduler_loops_one_leader_and_a_takeover(
    two_processes: tuple[Harness, Store],
) -> None:
    harness, other = two_processes
    store = harness.store
    first = RecurringSessions(
        Scheduling(store, harness.services, build_registry()),
        harness.clock,
        Leader(store.engine),
        retry_every=0.05,
    )
    second = RecurringSessions(
        Scheduling(other, harness.services, build_registry()),
        harness.clock,
        Leader(other.engine),
        retry_every=0.05,
    )
    runs = [asyncio.create_task(first.run()), asyncio.create_task(second.run())]
    try:
        await wait_for(lambda: first.leading or second.leading)
        await asyncio.sleep(0.3)
        assert first.leading != second.leading  # exactly one leads
        leader, follower = (first, second) if first.leading else (second, first)
        leader.stop()
        await wait_for(lambda: "checkin:1" in follower.next_runs())  # the other takes over
    finally:
        first.stop()
        second.stop()
        await asyncio.gather(*runs)


async def test_upcoming_counts_each_zone_and_leaves_out_who_is_away(harness: Harness) -> None:
    await setup_checkin(harness, "local_time:yes", schedule="daily 09:00")
    for name, zone in (("tok", "Asia/Tokyo"), ("tok2", "Asia/Tokyo"), ("ny", "America/New_York")):
        await harness.post(name)
        await harness.say(f"tz {zone}", user=name)
    await harness.say("away until:2026-12-02", user="tok2")
    listed = await harness.say("upcoming")
    assert "Wed 02 Dec 09:00 Asia/Tokyo: standup (members in Asia/Tokyo) → 1 member" in listed
    assert "Thu 03 Dec 09:00 Asia/Tokyo: standup (members in Asia/Tokyo) → 2 members" in listed
    assert "09:00 America/New_York: standup (members in America/New_York) → 1 member" in listed
    assert "09:00 Europe/Berlin: standup (members in Europe/Berlin) → 2 members" in listed
