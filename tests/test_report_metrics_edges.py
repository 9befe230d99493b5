"""The report's figures at their edges: week boundaries on a community's clock, DST weeks in
the heat map, members who opted out, an empty week, a week of reactions only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.outbox_keys import CHECKIN_ASK
from storage.engine import Store
from storage.metrics_activity import offset_spans
from storage.metrics_checkins import ASK_KIND
from storage.report_week import ReportWeek
from tests.report_kit import Act, Person, community, people, post, reply, report, write

LATER = timedelta(days=30)


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo"])
async def test_a_week_runs_from_local_monday_to_local_sunday_night(store: Store, zone: str) -> None:
    ledger = await community(store, zone)
    week = ReportWeek(2026, 47)  # Mon 16 Nov .. Sun 22 Nov
    monday, sunday = week.monday, week.monday + timedelta(days=6)
    a, b, c, d = await people(store, ledger, *(Person(n) for n in "abcd"))
    await write(
        store,
        ledger,
        post(a, ledger.local(sunday, 23, 30)),  # late on Sunday: still this week
        post(b, ledger.local(sunday + timedelta(days=1), 0, 30)),  # Monday after: next week
        post(c, ledger.local(monday, 0, 0)),  # the first instant of the week
        post(d, ledger.local(monday - timedelta(days=1), 23, 59)),  # the Sunday before
    )
    data = await report(store, ledger, week, ledger.local(monday, 0) + LATER)
    assert (data.this_week.messages, data.this_week.active, data.this_week.new) == (2, 2, 2)
    assert (data.last_week.messages, data.last_week.active) == (1, 1)
    assert {(x.weekday, x.hour): x.acts for x in data.activity} == {(6, 23): 1, (0, 0): 1}
    assert {m.display_name: m.messages for m in data.members} == {"a": 1, "b": 0, "c": 1, "d": 0}


def test_a_dst_week_is_split_where_the_offset_changes() -> None:
    week = ReportWeek(2026, 43)  # Berlin leaves summer time on Sun 25 Oct at 03:00 CEST
    start, end = week.start("Europe/Berlin"), week.end("Europe/Berlin")
    changed = datetime(2026, 10, 25, 1, tzinfo=UTC)
    assert offset_spans(start, end, "Europe/Berlin") == [(start, 7200), (changed, 3600)]
    assert offset_spans(start, end, "Asia/Tokyo") == [(start, 9 * 3600)]


@pytest.mark.parametrize(
    ("zone", "week", "times", "cells"),
    [
        (  # autumn: 02:30 happens twice on Sunday, once in each offset
            "Europe/Berlin",
            ReportWeek(2026, 43),
            ["2026-10-19T08:00", "2026-10-25T00:30", "2026-10-25T01:30", "2026-10-25T11:00"],
            {(0, 10): 1, (6, 2): 2, (6, 12): 1},
        ),
        (  # spring: 02:00 to 03:00 never happens on Sunday 8 March
            "America/Los_Angeles",
            ReportWeek(2026, 10),
            ["2026-03-02T08:30", "2026-03-08T09:30", "2026-03-08T10:30", "2026-03-09T06:30"],
            {(0, 0): 1, (6, 1): 1, (6, 3): 1, (6, 23): 1},
        ),
    ],
)
async def test_the_heat_map_follows_the_wall_clock_through_dst(
    store: Store, zone: str, week: ReportWeek, times: list[str], cells: dict[tuple[int, int], int]
) -> None:
    ledger = await community(store, zone)
    (who,) = await people(store, ledger, Person("ana"))
    instants = [datetime.fromisoformat(t).replace(tzinfo=UTC) for t in times]
    await write(store, ledger, *(Act(who, "reaction", at) for at in instants))
    data = await report(store, ledger, week, instants[-1] + LATER)
    assert {(c.weekday, c.hour): c.acts for c in data.activity} == cells


async def test_an_opted_out_member_counts_only_anonymously(store: Store) -> None:
    ledger = await community(store, "Europe/Berlin")
    week = ReportWeek(2026, 47)
    day = week.monday + timedelta(days=2)
    ana, otto = await people(store, ledger, Person("ana"), Person("otto", opted_out=True))
    first = post(otto, ledger.local(day, 10))
    await write(
        store,
        ledger,
        first,
        reply(ana, first, ledger.local(day, 11)),
        reply(otto, first, ledger.local(day, 12)),
        Act(otto, "reaction", ledger.local(day, 13)),
    )
    data = await report(store, ledger, week, ledger.local(day, 0) + LATER)
    assert [m.display_name for m in data.members] == ["ana"]
    anonymous = data.anonymous
    assert (anonymous.members, anonymous.messages, anonymous.replies, anonymous.reactions) == (
        1,
        1,
        1,
        1,
    )
    figures = data.this_week
    assert (figures.messages, figures.replies, figures.reactions) == (1, 2, 1)  # all acts
    assert (figures.members, figures.active, figures.peripheral, figures.inactive) == (2, 1, 0, 0)
    assert figures.median_first_reply_minutes == 60.0  # ana's reply; otto's own is anonymous
    assert [c.joined for c in data.cohorts] == [0, 1]


async def test_an_empty_week_has_zeros_and_no_median(store: Store) -> None:
    ledger = await community(store, "Asia/Tokyo")
    week = ReportWeek(2026, 47)
    ana, _ = await people(store, ledger, Person("ana"), Person("bo"))
    await write(store, ledger, post(ana, ledger.local(week.monday - timedelta(weeks=6), 9)))
    data = await report(store, ledger, week, ledger.local(week.monday, 0) + LATER)
    figures = data.this_week
    assert (figures.messages, figures.replies, figures.reactions, figures.active) == (0, 0, 0, 0)
    assert (figures.members, figures.inactive, figures.new, figures.churned) == (2, 2, 0, 1)
    assert figures.median_first_reply_minutes is None and figures.response_rate is None
    assert data.activity == [] and data.checkins == []
    assert [(a.kind, a.about) for a in data.attention] == [("sliding-member", "ana")]
    assert (data.levels.inactive, data.levels.core) == (2, 0)
    assert [(m.display_name, m.level, m.messages) for m in data.members] == [
        ("ana", "inactive", 0),
        ("bo", "inactive", 0),
    ]
    assert len(data.trends) == 12 and sum(f.messages for f in data.trends) == 1


async def test_a_week_of_reactions_only_makes_members_peripheral(store: Store) -> None:
    ledger = await community(store, "America/Los_Angeles")
    week = ReportWeek(2026, 47)
    crowd = await people(store, ledger, *(Person(n) for n in ("ana", "bo", "cy", "di")))
    days = [week.monday + timedelta(days=n) for n in range(3)]
    await write(
        store,
        ledger,
        *(Act(p, "reaction", ledger.local(d, 15)) for p, d in zip(crowd[:3], days, strict=True)),
    )
    data = await report(store, ledger, week, ledger.local(week.monday, 0) + LATER)
    figures = data.this_week
    assert (figures.reactions, figures.contributions, figures.active) == (3, 0, 0)
    assert (figures.peripheral, figures.inactive, figures.new) == (3, 1, 0)
    assert (data.levels.peripheral, data.levels.inactive) == (3, 1)
    assert {m.display_name: m.level for m in data.members} == {
        "ana": "peripheral",
        "bo": "peripheral",
        "cy": "peripheral",
        "di": "inactive",
    }
    assert data.cohorts[1].active_ever == 0


async def test_the_median_is_taken_in_sql_over_replies_from_someone_else(store: Store) -> None:
    ledger = await community(store, "UTC")
    week = ReportWeek(2026, 47)
    ana, bo = await people(store, ledger, Person("ana"), Person("bo"))
    start = ledger.local(week.monday, 9)
    posts = [post(ana, start + timedelta(hours=n), "C1") for n in range(5)]
    replies = [
        reply(bo, p, p.at + timedelta(minutes=m))
        for p, m in zip(posts[:4], (10, 20, 40, 100), strict=True)
    ]
    own = reply(ana, posts[4], posts[4].at + timedelta(minutes=1))  # the poster's own: no answer
    elsewhere = post(bo, posts[4].at, "C2")  # Slack ids repeat across channels
    stray = reply(ana, elsewhere, elsewhere.at + timedelta(minutes=2))
    stray.parent_ref = posts[4].message_ref
    await write(store, ledger, *posts, *replies, own, elsewhere, stray)
    data = await report(store, ledger, week, start + LATER)
    assert data.this_week.median_first_reply_minutes == 30.0  # (20 + 40) / 2
    await write(store, ledger, reply(bo, posts[4], posts[4].at + timedelta(minutes=3)))
    data = await report(store, ledger, week, start + LATER)
    assert data.this_week.median_first_reply_minutes == 20.0  # 3, 10, 20, 40, 100


def test_the_outbox_kind_of_a_checkin_ask_is_the_cores() -> None:
    assert ASK_KIND == CHECKIN_ASK
