"""The weekly report's figures over a known, uneven ledger of 22 weeks in Los Angeles time (two
DST changes inside it), each checked against a plain count of the rows the test wrote."""

from __future__ import annotations

import random
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta

import pytest

from storage.engine import Store
from storage.models import Member
from storage.report_data import report_data
from storage.report_rows import LEVELS, ReportData
from storage.report_week import ReportWeek
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
    write,
)
from tests.report_oracle import Oracle

WEEK = ReportWeek(2026, 46)  # Mon 9 Nov 2026; DST ended on 1 Nov, began on 8 Mar
MONDAY = WEEK.monday
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
ZONE = "America/Los_Angeles"


async def _build(store: Store) -> Ledger:
    rng = random.Random(10)
    ledger = await community(store, ZONE)
    crowd = [
        Person(f"m{n:02d}", cohort="pilot" if n % 3 == 0 else "launch", opted_out=n == 4)
        for n in range(14)
    ]
    late = Person("late", first_seen=datetime(2026, 11, 17, tzinfo=UTC))  # after the week
    await people(store, ledger, *crowd, late)
    # Uneven on purpose: people start and stop in different weeks, one only reacts.
    eager = {p.name: rng.choice((0.2, 0.5, 0.8, 1.0)) for p in crowd}
    eager["m04"] = 1.0  # the member who opted out is busy: their acts are anonymous
    start = {p.name: rng.choice((21, 21, 15, 9, 6, 2, 0)) for p in crowd}
    stop = {p.name: rng.choice((-1, -1, -1, 3, 5)) for p in crowd}
    lurker, returner, old = crowd[7], crowd[9], crowd[13]
    start[old.name] = -1  # only the two posts below
    for steady in (lurker, returner):
        start[steady.name], stop[steady.name], eager[steady.name] = 21, -1, 1.0
    acts: list[Act] = []
    posts: list[Act] = []
    for back in reversed(range(22)):
        monday = MONDAY - timedelta(weeks=back)
        for person in crowd:
            busy = stop[person.name] < back <= start[person.name]
            busy = busy and not (person is returner and 2 <= back <= 7)  # away, then back
            if not busy or rng.random() > eager[person.name]:
                continue
            for _ in range(0 if person is lurker else rng.randrange(3)):
                at = _somewhen(ledger, rng, monday)
                made = post(person, at, rng.choice(("C1", "C2")))
                acts.append(made)
                posts.append(made)
            for _ in range(0 if person is lurker else rng.randrange(3)):
                if posts and rng.random() < 0.8:
                    parent = rng.choice(posts[-12:])
                    delay = timedelta(minutes=rng.randrange(1, 900))
                    acts.append(reply(person, parent, parent.at + delay))
            for _ in range(rng.randrange(3)):
                acts.append(Act(person, "reaction", _somewhen(ledger, rng, monday), "C1"))
    # Someone active long ago only ("some time before" for returning), then back this week.
    acts.append(post(old, ledger.local(MONDAY - timedelta(weeks=30), 10)))
    acts.append(post(old, ledger.local(MONDAY + timedelta(days=2), 10)))
    await write(store, ledger, *acts)
    tracked = [p for p in crowd if not p.opted_out and p is not lurker]
    firings = [
        Firing(
            "standup",
            ledger.local(MONDAY - timedelta(weeks=back), 9),
            sent=6,
            answered_by=rng.sample(tracked, rng.randrange(5)) + ([crowd[4]] if back == 0 else []),
            asked=tracked[:6],
        )
        for back in range(6)
    ]
    await checkin(store, ledger, "standup", firings)
    for person in crowd:  # first seen at their first act (as the ingest path records it)
        mine = [a.at for a in ledger.acts if a.who is person]
        if mine:
            person.first_seen = min(mine)
    await _first_seen(store, crowd)
    return ledger


def _somewhen(ledger: Ledger, rng: random.Random, monday: date) -> datetime:
    day = monday + timedelta(days=rng.randrange(7))
    return ledger.local(day, rng.randrange(24), rng.randrange(60))


async def _first_seen(store: Store, crowd: list[Person]) -> None:
    async with store.transaction() as session:
        for person in crowd:
            row = await session.get(Member, person.id)
            assert row is not None
            row.first_seen = person.first_seen
            session.add(row)


@pytest.fixture
async def known(store: Store) -> tuple[Ledger, ReportData]:
    ledger = await _build(store)
    async with store.read() as session:
        data = await report_data(
            session=session, community_id=ledger.community_id, week=WEEK, now=NOW
        )
    return ledger, data


def _plain(figures: object) -> dict[str, object]:
    found = asdict(figures)  # type: ignore[call-overload]
    found.pop("week")
    for name in (
        "prompt_replies",
        "prompt_repliers",
        "events_held",
        "event_attendance",
        "nudges_sent",
        "pair_groups",
        "members_paired",
        "members_welcomed",
    ):
        assert found.pop(name) == 0  # not built yet: stays 0
    assert found.pop("survey_responses") == 0
    median = found["median_first_reply_minutes"]
    found["median_first_reply_minutes"] = None if median is None else round(median, 6)
    return found


def _expected(oracle: Oracle, back: int) -> dict[str, object]:
    found = oracle.figures(back)
    median = found["median_first_reply_minutes"]
    found["median_first_reply_minutes"] = None if median is None else round(median, 6)  # type: ignore[arg-type]
    return found


async def test_twelve_weeks_of_figures_match_a_count_of_the_rows(
    known: tuple[Ledger, ReportData],
) -> None:
    ledger, data = known
    oracle = Oracle(ledger, MONDAY)
    assert [f.week for f in data.trends] == [WEEK.shifted(-b) for b in reversed(range(12))]
    for back, figures in zip(reversed(range(12)), data.trends, strict=True):
        assert _plain(figures) == _expected(oracle, back), f"{back} weeks back"
    assert data.this_week == data.trends[-1] and data.last_week == data.trends[-2]
    # The ledger is uneven enough to exercise every figure somewhere.
    for name in ("new", "returning", "churned", "peripheral", "inactive", "replies"):
        assert any(getattr(f, name) for f in data.trends), name
    last4 = [oracle.figures(b) for b in range(4)]
    average = _plain(data.four_week_average)
    medians = [f.pop("median_first_reply_minutes") for f in last4]
    for name in last4[0]:
        assert average[name] == round(sum(f[name] for f in last4) / 4), name  # type: ignore[misc]
    answered = [m for m in medians if m is not None]
    assert average["median_first_reply_minutes"] == round(sum(answered) / len(answered), 6)  # type: ignore[arg-type]


async def test_members_levels_and_cohorts_match_a_count_of_the_rows(
    known: tuple[Ledger, ReportData],
) -> None:
    ledger, data = known
    oracle = Oracle(ledger, MONDAY)
    tracked = oracle.tracked(0)
    assert {m.display_name for m in data.members} == {p.name for p in tracked}
    assert "m04" not in {m.display_name for m in data.members}  # opted out: anonymous only
    levels = {p.name: oracle.level(p, 0) for p in tracked}
    assert [getattr(data.levels, level) for level in LEVELS] == [
        sum(v == level for v in levels.values()) for level in LEVELS
    ]
    week = oracle.acts_in(0)
    for row in data.members:
        person = next(p for p in tracked if p.name == row.display_name)
        mine = [a for a in week if a.who is person]
        assert (row.platform, row.user_id, row.cohort) == ("slack", person.user_id, person.cohort)
        assert row.level == levels[person.name]
        assert row.messages == sum(a.kind == "message" for a in mine)
        assert row.replies == sum(a.kind == "reply" for a in mine)
        assert row.reactions == sum(a.kind == "reaction" for a in mine)
        this = [f for f in ledger.firings if ledger.week_back(f.at, MONDAY) == 0]
        assert row.checkins_answered == sum(person in f.answered_by for f in this)
        assert row.checkins_sent == sum(person in f.asked for f in this)
        assert row.first_seen == person.first_seen
        assert row.last_active == oracle.last_active(person)
    anonymous = [a for a in week if a.who is not None and a.who.opted_out]
    assert data.anonymous.members == 1
    assert data.anonymous.messages == sum(a.kind == "message" for a in anonymous)
    assert data.anonymous.replies == sum(a.kind == "reply" for a in anonymous)
    assert data.anonymous.reactions == sum(a.kind == "reaction" for a in anonymous)
    for row in data.cohorts:
        mine = [p for p in tracked if p.cohort == row.cohort]
        ever = [
            p
            for p in mine
            if {w for w in oracle.weeks_of(p, {"message", "reply", "checkin_answer"}) if w >= 0}
        ]
        weeks = {p.name: oracle.weeks_of(p, {"message", "reply", "checkin_answer"}) for p in mine}
        before = [n for n, w in weeks.items() if any(x >= 4 for x in w)]
        assert row.joined == len(mine)
        assert row.active_ever == len(ever)
        assert row.active_this_week == sum(0 in w for w in weeks.values())
        assert row.active_before == len(before)
        assert row.retained == sum(any(0 <= x <= 3 for x in weeks[n]) for n in before)


async def test_checkins_and_activity_match_a_count_of_the_rows(
    known: tuple[Ledger, ReportData],
) -> None:
    ledger, data = known
    oracle = Oracle(ledger, MONDAY)
    (standup,) = data.checkins
    this = [f for f in ledger.firings if ledger.week_back(f.at, MONDAY) == 0]
    before = [f for f in ledger.firings if 1 <= ledger.week_back(f.at, MONDAY) <= 4]
    assert (standup.name, standup.questions, standup.occurrences) == ("standup", 2, 1)
    assert standup.sent == sum(f.sent for f in this)
    assert standup.answered == sum(len(f.answered_by) for f in this)
    assert standup.previous_rate == sum(len(f.answered_by) for f in before) / sum(
        f.sent for f in before
    )
    assert {(c.weekday, c.hour): c.acts for c in data.activity} == oracle.local_cells()
    assert sum(c.acts for c in data.activity) > 10
    assert set(data.notes) == {"Prompts", "Events", "Surveys", "Stories", "Resources"}
    assert all(d.sentence.endswith(".") for d in data.definitions)
    assert len(data.attention) <= 5
