"""The one-year plan on the console: applied in one step out of ordinary items, refused twice
or for a past month, shown month by month, and removed except for what was changed since."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, func, select

from bot.outbox_keys import PROMPT_POST
from bot.plan_prompts import STARTER_PROMPTS
from storage import plans
from storage.models import (
    CheckIn,
    Event,
    EventSeries,
    OutboxRow,
    PlanApplication,
    PlanItem,
    Prompt,
    PromptSchedule,
    ReportSubscription,
)
from tests.factories import Harness

BERLIN = ZoneInfo("Europe/Berlin")
APPLY = "plan apply one-year start:2027-01 channel:#general"
ASKED = "📝 Time for the *Weekly* check-in of demo"


def berlin(*args: int) -> datetime:
    """A wall time in Berlin, as an aware datetime."""
    return datetime(*args, tzinfo=BERLIN)


async def counts(harness: Harness) -> dict[str, int]:
    """How many rows each table the plan writes to holds."""
    found = {}
    async with harness.store.read() as session:
        for table in (
            CheckIn,
            Prompt,
            PromptSchedule,
            EventSeries,
            Event,
            ReportSubscription,
            PlanApplication,
            PlanItem,
        ):
            query = select(func.count()).select_from(table)
            found[table.__name__] = (await session.exec(query)).one()
    return found


async def at(harness: Harness, when: datetime) -> str:
    """Move the clock just past ``when``, fire what is due and deliver it."""
    harness.clock.set(when + timedelta(minutes=1))
    await harness.run_jobs()
    return await harness.deliver()


async def test_applying_the_plan_makes_ordinary_items_in_one_step(harness: Harness) -> None:
    said = await harness.say(APPLY)
    assert said.startswith("✅ The one-year plan of demo begins Friday 1 January 2027:")
    assert "📝 Check-in #1 *Weekly*: every Monday at 09:30 Europe/Berlin" in said
    assert "💬 26 prompts queued" in said
    assert "every other Tuesday at 10:00 Europe/Berlin, starting 5 January 2027" in said
    assert "*Community webinar*, every month on the first Thursday at 16:00" in said
    assert "📊 You are subscribed to the weekly report" in said
    # Each is what its own command makes, and lists with it.
    listed = await harness.say("checkin list")
    assert "#1 *Weekly*: every Monday at 09:30 Europe/Berlin" in listed
    prompts = await harness.say("prompt list")
    assert "posted in #general every other Tuesday at 10:00" in prompts
    assert prompts.count("(queued)") == 26
    events = await harness.say("event list")
    assert "*Community webinar*" in events and "Thu 7 Jan 2027, 16:00 CET" in events
    assert "series #1" in events
    assert (await harness.say("report subscribe")).startswith("You already receive")
    # The first webinar is announced in the channel now, like any event.
    shown = await harness.deliver()
    assert "[copbot → #general]" in shown and "Community webinar" in shown
    assert "Every month on the first Thursday" in shown


async def test_the_starter_prompts_take_turns_in_four_kinds() -> None:
    kinds = [kind for kind, _ in STARTER_PROMPTS]
    assert len(kinds) == 26
    assert kinds[:8] == ["discuss", "reflect", "research", "share"] * 2
    assert all(kinds[i] != kinds[i + 1] for i in range(25))
    assert all(20 < len(text) <= 500 and text.endswith(("?", ".")) for _, text in STARTER_PROMPTS)
    assert len({text for _, text in STARTER_PROMPTS}) == 26


async def test_applying_twice_is_refused_and_changes_nothing(harness: Harness) -> None:
    await harness.say(APPLY)
    before = await counts(harness)
    said = await harness.say("plan apply one-year start:2027-03")
    assert "demo follows a one-year plan already, from January 2027" in said
    assert "Nothing was changed." in said
    assert await counts(harness) == before


async def test_a_month_in_the_past_is_refused_and_changes_nothing(harness: Harness) -> None:
    before = await counts(harness)
    said = await harness.say("plan apply one-year start:2026-11")
    assert said.startswith("⚠️ November 2026 is in the past, so a plan cannot start then.")
    assert "`start:2026-12`" in said and "Nothing was changed." in said
    said = await harness.say("plan apply one-year start:next-june")
    assert "`next-june` is not a month: write it as YYYY-MM" in said
    assert "`0000-01` is not a month" in await harness.say("plan apply one-year start:0000-01")
    said = await harness.say('plan apply one-year start:"`2027`"')  # no code span broken
    assert said.startswith("⚠️ `'2027'` is not a month")
    said = await harness.say("plan apply one-year start:9999-12")
    assert said.startswith("⚠️ December 9999 is more than a year ahead: a plan starts this month")
    assert await counts(harness) == before


async def test_a_clash_refuses_the_whole_plan(harness: Harness) -> None:
    await harness.say('prompt schedule schedule:"fri 12:00" channel:#general')
    await harness.say('checkin add name:weekly schedule:"fri 09:00" questions:"How?"')
    before = await counts(harness)
    said = await harness.say(APPLY)
    assert "There is already a check-in called weekly (#1)" in said
    assert "Prompts already go out in #general every Friday at 12:00" in said
    assert await counts(harness) == before


async def test_only_facilitators_may_apply_show_or_remove(harness: Harness) -> None:
    for line in (APPLY, "plan show", "plan remove confirm:yes"):
        said = await harness.say(line, user="bob")
        assert said.startswith("🔒"), said
    assert (await counts(harness))["PlanApplication"] == 0


async def test_show_prints_the_year_month_by_month(harness: Harness) -> None:
    assert (await harness.say("plan show")).startswith("No plan is applied yet.")
    await harness.say(APPLY)
    lines = (await harness.say("plan show")).splitlines()
    assert lines[0] == "🗓️ The one-year plan of demo, from Friday 1 January 2027:"
    assert lines[1] == (
        "*January 2027*: Weekly check-in ×4 · prompts: 💬 Discussion (Tue 5), "
        "🪞 Reflect on practice (Tue 19) · Community webinar Thu 7 16:00 · weekly report ×4 · "
        "Quarterly evaluation survey (open 1–14 Jan)"
    )
    assert lines[2] == (
        "*February 2027*: Weekly check-in ×4 · prompts: 🔬 Unpack research (Tue 2), "
        "📚 Share resources (Tue 16) · Community webinar Thu 4 16:00 · weekly report ×4"
    )
    assert lines[4].startswith("*April 2027*") and "evaluation survey (open 1–14 Apr)" in lines[4]
    assert lines[12].startswith("*December 2027*: Weekly check-in ×4 · prompts: ")
    assert "Community webinar Thu 2 16:00" in lines[12]
    assert len([line for line in lines if "evaluation survey" in line]) == 4
    assert lines[13] == "Times are in Europe/Berlin. `/cop upcoming` lists the next 7 days."
    # Show reads the items as they are now: a paused check-in is not coming.
    await harness.say("checkin pause 1")
    assert "Weekly check-in" not in await harness.say("plan show")


async def test_the_plan_fires_from_its_start_month_only(harness: Harness) -> None:
    await harness.say(APPLY)
    await harness.deliver()
    await harness.post("bob")  # a member, for the check-in to ask
    # Nothing of the plan's check-in or prompts before January.
    assert ASKED not in await at(harness, berlin(2026, 12, 7, 9, 30))
    assert "Discussion" not in await at(harness, berlin(2026, 12, 8, 10, 0))
    assert ASKED in await at(harness, berlin(2027, 1, 4, 9, 30))
    assert "💬 Discussion" in await at(harness, berlin(2027, 1, 5, 10, 0))
    assert "Reflect on practice" not in await at(harness, berlin(2027, 1, 12, 10, 0))
    assert "🪞 Reflect on practice" in await at(harness, berlin(2027, 1, 19, 10, 0))


async def test_remove_takes_out_what_was_not_changed_and_keeps_the_rest(harness: Harness) -> None:
    await harness.say(APPLY)
    await harness.deliver()
    # Edits: the check-in paused, and the first prompt posted by its rhythm.
    await harness.say("checkin pause 1")
    await at(harness, berlin(2027, 1, 5, 10, 0))
    said = await harness.say("plan remove")
    assert said == (
        "🗑️ Removing the plan takes out 25 prompts, 1 prompt rhythm, 1 webinar series (#1), "
        "1 weekly report subscription, 3 evaluation surveys (#2, #3, #4), and keeps what was "
        "changed since: 1 check-in (#1), 1 prompt (#1), 1 evaluation survey (#1). To go ahead: "
        "`/cop plan remove confirm:yes`"
    )
    said = await harness.say("plan remove confirm:yes")
    assert said.startswith("✅ The plan is removed: took out 25 prompts, 1 prompt rhythm, ")
    kept = "Kept, because they were changed since: 1 check-in (#1), 1 prompt (#1), 1 evaluation"
    assert kept in said
    listed = await harness.say("checkin list")
    assert "#1 *Weekly*" in listed and "[paused]" in listed
    prompts = await harness.say("prompt list")
    assert "(queued)" not in prompts and "#1 💬 Discussion" in prompts
    assert "posted in #general" not in prompts  # the rhythm is off
    assert "cancelled" in await harness.say("event list")
    shown = await harness.deliver()
    assert "Community webinar" in shown  # the announcement now says it is cancelled
    assert (await harness.say("report unsubscribe")).startswith("You do not receive")
    assert (await counts(harness))["PlanItem"] == 0
    # Gone, so it may be applied again, once the kept check-in no longer holds its name.
    assert (await harness.say("plan show")).startswith("No plan is applied yet.")
    assert "already a check-in called Weekly (#1)" in await harness.say(APPLY)
    await harness.say("checkin delete 1 confirm:yes")
    assert (await harness.say(APPLY)).startswith("✅ The one-year plan")


async def test_nothing_is_posted_for_a_removed_plan(harness: Harness) -> None:
    await harness.say(APPLY)
    await harness.say("plan remove confirm:yes")
    await harness.deliver()
    await harness.post("bob")
    shown = await at(harness, berlin(2027, 1, 4, 9, 30))
    shown += await at(harness, berlin(2027, 1, 5, 10, 0))
    assert ASKED not in shown and "Discussion" not in shown
    async with harness.store.read() as session:
        posts = select(OutboxRow).where(col(OutboxRow.kind) == PROMPT_POST)
        assert (await session.exec(posts)).all() == []


async def test_a_plan_applied_this_month_begins_now(harness: Harness) -> None:
    said = await harness.say("plan apply one-year start:2026-12")
    assert "begins Tuesday 1 December 2026" in said
    assert "starting 15 December 2026" not in said  # the rhythm counts from the 1st's week
    lines = (await harness.say("plan show")).splitlines()
    # 10:00 on Tuesday 1 December has passed (it is 10:30 in Berlin): the first prompt is
    # two weeks on; the first Thursday is still ahead.
    assert lines[1].startswith(
        "*December 2026*: Weekly check-in ×4 · prompts: 💬 Discussion (Tue 15)"
    )
    assert "Community webinar Thu 3 16:00" in lines[1]


async def test_show_later_in_the_year_counts_from_now(harness: Harness) -> None:
    await harness.say(APPLY)
    await harness.deliver()
    await at(harness, berlin(2027, 2, 16, 10, 0))  # past the second prompt of February
    lines = (await harness.say("plan show")).splitlines()
    assert lines[1] == "*January 2027*: over"
    # Left in February: Monday the 22nd; the prompts of the 2nd and 16th and the webinar of the
    # 4th have been.
    assert lines[2] == "*February 2027*: Weekly check-in ×1 · weekly report ×1"
    # The clock jumped: only the firing of the 16th ran (missed ones are not posted late), so
    # the queue goes on with its second prompt.
    assert lines[3].startswith(
        "*March 2027*: Weekly check-in ×5 · prompts: 🪞 Reflect on practice (Tue 2), "
    )


async def test_a_second_plan_stored_at_once_is_told_apart(harness: Harness) -> None:
    """Two facilitators applying at the same moment: the second insert is refused, not raised."""
    async with harness.store.transaction() as session:
        made = [
            await plans.add_plan(
                session=session,
                plan=PlanApplication(
                    community_id=1,
                    template="one-year",
                    start_month="2027-01",
                    begins_at=harness.clock.now(),
                    platform="console",
                    workspace="local",
                    channel="general",
                    applied_at=harness.clock.now(),
                ),
            )
            for _ in range(2)
        ]
    assert made == [True, False]
    assert (await counts(harness))["PlanApplication"] == 1


async def test_remove_keeps_a_later_webinar_moved_by_hand(harness: Harness) -> None:
    """The series makes each webinar when the one before starts: one of those moved is a
    change too, and removing the plan leaves it (and its series) alone."""
    await harness.say(APPLY)
    await at(harness, berlin(2027, 1, 7, 16, 0))  # the first webinar starts: the second is made
    assert "Thu 4 Feb 2027, 16:00" in await harness.say("event list")
    moved = await harness.say('event move 2 start:"2027-02-11 16:00"')
    assert moved.startswith("✅"), moved
    said = await harness.say("plan remove confirm:yes")
    assert "Kept, because they were changed since: 1 webinar series (#1)" in said
    events = await harness.say("event list")
    assert "Thu 11 Feb 2027, 16:00" in events and "cancelled" not in events


async def test_show_says_a_webinar_moved_in_another_timezone_in_the_communitys(
    harness: Harness,
) -> None:
    await harness.say(APPLY)
    moved = await harness.say('event move 1 start:"2027-01-08 01:00" tz:Asia/Tokyo')
    assert moved.startswith("✅"), moved
    lines = (await harness.say("plan show")).splitlines()
    assert "Community webinar Thu 7 17:00" in lines[1]  # 01:00 in Tokyo is 17:00 in Berlin
    assert lines[-1].startswith("Times are in Europe/Berlin.")


async def test_two_facilitators_removing_at_once_remove_it_once(harness: Harness) -> None:
    """The second waits for the first (PostgreSQL: on the plan's row) and is told it is gone,
    instead of removing again from what it read before (and telling those going twice)."""
    await harness.say(APPLY)
    said = await asyncio.gather(
        harness.say("plan remove confirm:yes"), harness.say("plan remove confirm:yes")
    )
    removed = [s for s in said if s.startswith("✅ The plan is removed")]
    assert len(removed) == 1, said
    other = next(s for s in said if s not in removed)
    assert other.startswith(("No plan is applied", "⚠️ Someone removed the plan")), other
    assert (await counts(harness))["PlanApplication"] == 0
