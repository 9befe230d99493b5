"""The report's event figures over hand-made events: the Events sheet's rows, events held and
attendance by week, each member's attendances, attendance by region, events with few RSVPs;
and the ledger's "rsvp" and "attended" rows leave every other figure as it was (attending makes a
member active, and nothing else)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import String, literal, select

from storage.engine import Store
from storage.metrics_regions import region_of
from storage.metrics_sql import dialect_of, rows_of
from storage.models import Community
from storage.report_rows import LEVELS, ReportData, WeekFigures
from storage.report_week import ReportWeek
from tests.report_events_kit import Held, events, series, timezones
from tests.report_kit import (
    Act,
    Firing,
    Ledger,
    Person,
    checkin,
    community,
    people,
    post,
    reply,
    report,
    write,
)
from tests.report_oracle import Oracle

WEEK = ReportWeek(2026, 47)  # Mon 16 Nov .. Sun 22 Nov 2026
ZONE = "Europe/Berlin"


async def _crowd(store: Store) -> tuple[Ledger, list[Person]]:
    ledger = await community(store, ZONE)
    crowd = await people(
        store,
        ledger,
        *(Person(n) for n in ("ana", "bo", "cy")),
        Person("dee", opted_out=True),
        *(Person(n) for n in ("eli", "fay", "gus")),
    )
    ana, bo, cy, dee, eli, fay, gus = crowd
    await timezones(
        store,
        (ana, "Europe/Berlin"),
        (bo, "America/New_York"),
        (cy, None),  # the community's: Europe
        (dee, "Asia/Tokyo"),  # opted out: not read, the community's
        (eli, "Etc/GMT+5"),
        (fay, "UTC"),
        (gus, "America/Argentina/Buenos_Aires"),
    )
    return ledger, crowd


async def test_the_events_sheet_rows_weeks_members_and_regions(store: Store) -> None:
    ledger, crowd = await _crowd(store)
    ana, bo, cy, dee, eli, fay, gus = crowd
    weekly = await series(store, ledger)
    monday = WEEK.monday
    call = Held(
        "Weekly call",
        ledger.local(monday + timedelta(days=2), 18),
        going=[ana, bo, cy],
        maybe=[dee],
        no=[eli],
        came=[ana, bo, fay, dee],  # fay came without saying so; cy said going and did not
        series=weekly,
        position=1,
        region="Europe",
    )
    cancelled = Held(
        "Weekly call",
        ledger.local(monday - timedelta(days=5), 18),
        going=[ana],
        status="cancelled",
        series=weekly,
        region="America",
    )
    late = Held(  # Sunday 23:30 in Berlin: still the report week
        "Night owls", ledger.local(monday + timedelta(days=6), 23, 30), going=[eli], came=[eli, cy]
    )
    kickoff = Held("Kick-off", ledger.local(monday - timedelta(weeks=11, days=-2), 10))
    kickoff.came = [gus, ana]
    too_old = Held("Too old", ledger.local(monday - timedelta(weeks=12), 10), came=[ana])
    next_week = Held("Next week", ledger.local(monday + timedelta(days=7), 18), came=[bo])
    await events(store, ledger, call, cancelled, late, kickoff, too_old, next_week)
    await events(store, await _elsewhere(store), Held("Elsewhere", call.at, going=[ana]))
    now = ledger.local(monday + timedelta(days=7), 8)
    data = await report(store, ledger, WEEK, now)

    rows = [
        (e.title, e.starts_at, e.status, e.going, e.maybe, e.cant_go, e.attended)
        for e in data.events
    ]
    assert rows == [
        ("Night owls", late.at, "scheduled", 1, 0, 0, 2),
        ("Weekly call", call.at, "scheduled", 3, 1, 1, 4),
        ("Weekly call", cancelled.at, "cancelled", 1, 0, 0, 0),
        ("Kick-off", kickoff.at, "scheduled", 0, 0, 0, 2),
    ]
    night, weekly_call, called_off, first = data.events
    assert weekly_call.attendance_rate == pytest.approx(4 / 3)  # more came than said so
    assert (night.attendance_rate, called_off.attendance_rate, first.attendance_rate) == (
        2.0,
        0.0,
        None,
    )
    assert (weekly_call.series_id, weekly_call.position, weekly_call.region) == (
        weekly,
        1,
        "Europe",
    )
    assert (first.series_id, first.region) == (None, "")
    assert "Events" not in data.notes

    held = [(w.events_held, w.event_attendance) for w in data.trends]
    assert held[-1] == (2, 6)  # the call and the night owls
    assert held[-2] == (0, 0)  # the cancelled call is not held
    assert held[0] == (1, 2)  # the kick-off, 11 weeks back
    assert sum(n for n, _ in held) == 3
    assert {m.display_name: m.events_attended for m in data.members} == {
        "ana": 1,
        "bo": 1,
        "cy": 1,
        "eli": 1,
        "fay": 1,
        "gus": 0,
    }
    assert [(r.region, r.events, r.attendances) for r in data.event_regions] == [
        ("Europe", 3, 4),  # ana twice, dee (opted out) and cy (no timezone of their own)
        ("America", 2, 2),
        ("UTC", 2, 2),
    ]
    # Attending makes a member active; it is not a contribution (new, heat map, last active).
    this = data.this_week
    assert (this.active, this.peripheral, this.inactive, this.new) == (5, 0, 1, 0)
    assert (data.levels.active, data.levels.inactive) == (5, 1)
    assert data.activity == [] and all(m.last_active is None for m in data.members)


async def _elsewhere(store: Store) -> Ledger:
    """Another community (no workspace of its own: it only holds an event)."""
    async with store.transaction() as session:
        made = Community(name="elsewhere", timezone=ZONE, created_at=WEEK.start(ZONE))
        session.add(made)
        await session.flush()
        assert made.id is not None
    return Ledger(ZONE, made.id)


async def test_events_soon_with_few_going_need_attention(store: Store) -> None:
    ledger, crowd = await _crowd(store)
    ana, bo, cy = crowd[:3]
    sunday = WEEK.monday + timedelta(days=6)
    on = [ledger.local(sunday + timedelta(days=n), 18) for n in range(9)]
    now = ledger.local(sunday + timedelta(days=1), 8)  # the Monday after, as the job runs
    await events(
        store,
        ledger,
        Held("Begun already", ledger.local(sunday + timedelta(days=1), 7)),
        Held("Next call", on[1], going=[ana, bo], maybe=[cy]),
        Held("Popular", on[2], going=[ana, bo, cy]),
        Held("Called off", on[3], status="cancelled"),
        Held("Nobody yet", on[7], maybe=[ana], no=[bo]),
        Held("Too far", on[8]),
        Held("This week", on[0]),  # held: past, not coming
    )
    data = await report(store, ledger, WEEK, now)
    few = [(a.kind, a.about) for a in data.attention]
    assert few == [("few-rsvps", "Next call"), ("few-rsvps", "Nobody yet")]
    assert data.attention[0].detail.startswith("Starts Mon 23 Nov 18:00 with only 2 going:")
    assert "nobody going yet" in data.attention[1].detail


@pytest.mark.parametrize(
    ("zone", "region"),
    [
        ("Europe/Berlin", "Europe"),
        ("America/Argentina/Buenos_Aires", "America"),
        ("Etc/GMT-3", "UTC"),
        ("UTC", "UTC"),
        ("GMT", "GMT"),
    ],
)
async def test_a_timezone_s_region_is_its_first_part(store: Store, zone: str, region: str) -> None:
    async with store.read() as session:
        query = select(region_of(literal(zone, String), dialect_of(session)))
        ((found,),) = await rows_of(session, query)
    assert found == region


async def _busy(store: Store) -> tuple[Ledger, list[Person]]:
    """Eight members' uneven weeks of posts, replies, reactions and check-in answers."""
    rng = random.Random(7)
    ledger = await community(store, "America/New_York")
    crowd = await people(
        store,
        ledger,
        *(
            Person(f"p{n}", cohort="pilot" if n % 2 else "launch", opted_out=n == 3)
            for n in range(8)
        ),
        Person("quiet"),
    )
    acts: list[Act] = []
    for back in range(10):
        monday = WEEK.monday - timedelta(weeks=back)
        for person in crowd[:-1]:
            if rng.random() < 0.5:
                continue
            at = ledger.local(monday + timedelta(days=rng.randrange(7)), rng.randrange(24))
            made = post(person, at)
            acts.append(made)
            if rng.random() < 0.6:
                acts.append(
                    reply(rng.choice(crowd), made, at + timedelta(minutes=rng.randrange(600)))
                )
            if rng.random() < 0.5:
                acts.append(Act(person, "reaction", at + timedelta(hours=1)))
    await write(store, ledger, *acts)
    asked = [p for p in crowd if not p.opted_out]
    firings = [
        Firing("standup", ledger.local(WEEK.monday - timedelta(weeks=b), 9), 5, asked[b % 3 : 4])
        for b in range(5)
    ]
    await checkin(store, ledger, "standup", firings)
    return ledger, crowd


def _without_people_counts(week: WeekFigures) -> WeekFigures:
    return replace(week, active=0, peripheral=0, inactive=0)


async def test_rsvp_and_attended_rows_change_nothing_but_who_took_part(store: Store) -> None:
    ledger, crowd = await _busy(store)
    now = ledger.local(WEEK.monday + timedelta(days=7), 8)
    before = await report(store, ledger, WEEK, now)
    # Answers given, many times over (each answer given is a row): no figure moves.
    answers = [
        Act(p, "rsvp", ledger.local(WEEK.monday - timedelta(weeks=b, days=-1), 12), "C9")
        for b in range(6)
        for p in crowd
    ]
    await write(store, ledger, *answers)
    assert await report(store, ledger, WEEK, now) == before
    # Attending: members who came took part that week, and only that changes.
    quiet, busy, hidden = crowd[-1], crowd[0], crowd[3]
    came = [
        *(
            Act(quiet, "attended", ledger.local(WEEK.monday - timedelta(weeks=b), 18))
            for b in range(3)
        ),
        Act(busy, "attended", ledger.local(WEEK.monday + timedelta(days=3), 18)),
        Act(hidden, "attended", ledger.local(WEEK.monday + timedelta(days=3), 18)),  # anonymous
    ]
    await write(store, ledger, *came)
    after = await report(store, ledger, WEEK, now)
    _only_who_took_part_changed(before, after)
    oracle = Oracle(ledger, WEEK.monday)
    for back, week in zip(reversed(range(12)), after.trends, strict=True):
        expected = oracle.figures(back)
        assert (week.active, week.peripheral, week.inactive) == (
            expected["active"],
            expected["peripheral"],
            expected["inactive"],
        ), back
    assert after.this_week.active > before.this_week.active  # quiet came, at least
    levels = {p.name: oracle.level(p, 0) for p in oracle.tracked(0)}
    assert levels["quiet"] == "core"
    assert {m.display_name: m.level for m in after.members} == levels
    assert [getattr(after.levels, n) for n in LEVELS] == [
        sum(v == n for v in levels.values()) for n in LEVELS
    ]


def _only_who_took_part_changed(before: ReportData, after: ReportData) -> None:
    """Every figure but active, peripheral, inactive and the levels is as it was."""
    assert [_without_people_counts(w) for w in after.trends] == [
        _without_people_counts(w) for w in before.trends
    ]
    assert _without_people_counts(after.four_week_average) == _without_people_counts(
        before.four_week_average
    )
    assert after.activity == before.activity  # the heat map counts no attendance
    assert after.cohorts == before.cohorts and after.anonymous == before.anonymous
    assert after.checkins == before.checkins
    assert [replace(m, level="") for m in after.members] == [
        replace(m, level="") for m in before.members
    ]
    assert (after.events, after.event_regions) == ([], [])  # those read the event tables
