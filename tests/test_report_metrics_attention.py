"""What needs attention: unanswered newcomers, a check-in whose rate fell by a third, members
sliding from core or active; at most five, in that order."""

from __future__ import annotations

from datetime import timedelta

from storage.engine import Store
from storage.report_week import ReportWeek
from tests.report_kit import Firing, Person, checkin, community, people, post, reply, report, write

WEEK = ReportWeek(2026, 47)  # Mon 16 Nov 2026


async def test_at_most_five_things_to_act_on_in_order(store: Store) -> None:
    ledger = await community(store, "Europe/Berlin")
    monday = WEEK.monday
    day = [ledger.local(monday + timedelta(days=n), 10) for n in range(7)]
    now = day[6] + timedelta(days=1)  # the Monday after, as the weekly job runs
    crowd = await people(
        store, ledger, *(Person(n) for n in ("n1", "n2", "n3", "n4", "n5", "n6", "old", "rita"))
    )
    n1, n2, n3, n4, n5, n6, old, rita = crowd
    sliders = await people(store, ledger, Person("abe"), Person("zoe"))
    firsts = {p.name: post(p, day[n]) for n, p in enumerate((n1, n2, n3, n4))}
    young = post(n5, now - timedelta(hours=47))  # not yet 48 hours old
    earlier = post(n6, day[0] - timedelta(days=3))  # the week before: not this week's newcomer
    before = post(old, day[0] - timedelta(weeks=10))
    await write(
        store,
        ledger,
        *firsts.values(),
        young,
        earlier,
        before,
        post(old, day[1]),  # not a first post: no attention, answered or not
        reply(rita, firsts["n2"], firsts["n2"].at + timedelta(hours=50)),  # too late
        reply(rita, firsts["n3"], firsts["n3"].at + timedelta(hours=2)),  # answered
        reply(n4, firsts["n4"], firsts["n4"].at + timedelta(minutes=5)),  # their own
        reply(rita, earlier, earlier.at + timedelta(days=5)),
    )
    # abe was active 4-7 weeks ago (1 week: active), zoe core (3 weeks); both quiet since.
    for weeks_back, who in ((5, sliders[0]), (4, sliders[1]), (5, sliders[1]), (6, sliders[1])):
        await write(store, ledger, post(who, day[2] - timedelta(weeks=weeks_back)))
    answerers = await people(store, ledger, *(Person(f"f{n}") for n in range(8)))

    def weekly(name: str, rates: list[int]) -> list[Firing]:
        """One firing a week, ``rates[k]`` of 10 asked answering, k weeks back."""
        return [
            Firing(name, day[0] - timedelta(weeks=back), 10, answerers[: rates[back]])
            for back in range(5)
        ]

    await checkin(store, ledger, "standup", weekly("standup", [5, 8, 8, 8, 8]))  # 50% vs 80%
    await checkin(store, ledger, "retro", weekly("retro", [6, 8, 8, 8, 8]))  # 60% vs 80%
    data = await report(store, ledger, WEEK, now)
    assert [(a.kind, a.about) for a in data.attention] == [
        ("unanswered-newcomer", "n1"),
        ("unanswered-newcomer", "n2"),
        ("unanswered-newcomer", "n4"),
        ("checkin-drop", "standup"),
        ("sliding-member", "zoe"),  # core before active: abe is the sixth, left out
    ]
    assert "core in the 4 weeks before, inactive" in data.attention[4].detail
    assert "50%" in data.attention[3].detail and "80%" in data.attention[3].detail
    assert {c.name: c.rate for c in data.checkins} == {"retro": 0.6, "standup": 0.5}
    # Without the newcomers the sixth appears: each item is found by its own query.
    later = await report(store, ledger, WEEK.shifted(1), now + timedelta(weeks=1))
    assert [a.about for a in later.attention if a.kind == "sliding-member"] == ["zoe", "abe"]
