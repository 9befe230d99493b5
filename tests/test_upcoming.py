"""`/cop upcoming` and `copbot schedule list` count every firing they do not list."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from bot.usecases.upcoming import MAX_FIRINGS, upcoming
from storage import checkins
from storage.models import Community, Member
from tests.factories import Harness


async def stored_checkin(harness: Harness, name: str, expression: str) -> None:
    """A check-in stored as it is, as one made before schedules had a minimum interval."""
    async with harness.store.transaction() as session:
        community = (await session.exec(select(Community))).one()
        alice = (await session.exec(select(Member).where(Member.display_name == "alice"))).one()
        assert community.id is not None and alice.id is not None
        await checkins.add_checkin(
            session=session,
            community_id=community.id,
            name=name,
            expression=expression,
            local_time=False,
            questions=["Q"],
            audience="members",
            via="dm",
            share=None,
            created_by=alice.id,
            now=harness.clock.now(),
        )


def firings(harness: Harness, expression: str, days: int = 7) -> int:
    """How many times an expression fires in the window, counted one by one."""
    now = harness.clock.now()
    times = harness.services.calendar.times_between(
        expression, "Europe/Berlin", now, now + timedelta(days=days), 100_000
    )
    return len(times)


async def test_upcoming_counts_the_firings_past_the_listing_cap(harness: Harness) -> None:
    await harness.say("me")  # alice, as copbot first meets her
    await stored_checkin(harness, "often", "cron */10 * * * *")
    await stored_checkin(harness, "daily", "daily 09:00")
    total = firings(harness, "cron */10 * * * *") + firings(harness, "daily 09:00")
    assert total > MAX_FIRINGS + 7  # the cap of one schedule's listing is passed
    listed = await harness.say("upcoming")
    shown = [line for line in listed.splitlines() if "→" in line]
    more = re.search(r"^…and (\d+) more\.$", listed, re.MULTILINE)
    assert more is not None, listed
    assert len(shown) + int(more.group(1)) == total
    assert len(listed) <= 4000


async def test_schedule_list_has_no_gap_and_counts_what_follows(harness: Harness) -> None:
    await harness.say("me")
    await stored_checkin(harness, "hourly", "cron 0 * * * *")
    await stored_checkin(harness, "daily", "daily 09:00")
    async with harness.store.transaction() as session:
        lines = await upcoming(session, harness.services, None, harness.clock.now(), days=60)
    hourly, daily = firings(harness, "cron 0 * * * *", 60), firings(harness, "daily 09:00", 60)
    listed = [line for line in lines if "→" in line]
    # The hourly schedule is listed up to its cap; the daily one only up to the same moment,
    # so that no firing of the hourly one is missing between the lines listed.
    assert sum(": hourly →" in line for line in listed) == MAX_FIRINGS
    assert sum(": daily →" in line for line in listed) == 8  # 2 to 9 Dec: up to the 200th hourly
    assert lines[-1] == f"…and {hourly + daily - len(listed)} more firings."


async def test_everything_listed_says_nothing_more(harness: Harness) -> None:
    await harness.say('checkin add name:standup schedule:"daily 09:00" questions:Q')
    listed = await harness.say("upcoming")
    assert "more" not in listed
    assert len([line for line in listed.splitlines() if "→" in line]) == 7
