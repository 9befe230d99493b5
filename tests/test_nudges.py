"""Gentle nudges: quiet members found in SQL (away, opted out, ``nudge off`` and recently
nudged left out), a friendly DM each at most once in 4 weeks, on demand or on a rhythm."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlmodel import col, select

from bot.outbox_keys import NUDGE
from storage.engine import Store
from storage.models import Community, LedgerEntry, Nudge, OutboxRow
from storage.report_data import report_data
from storage.report_week import ReportWeek
from tests.factories import DEMO_CONFIG, Harness, config

# A Monday at 10:00 in Berlin, five weeks after the harness's start (Tuesday 1 December 2026).
MONDAY = datetime.fromisoformat("2027-01-04T09:00:00+00:00")


@pytest.fixture
async def harness(store: Store) -> AsyncIterator[Harness]:
    """The demo community, its weekly report moved out of the way (weeks go by here)."""
    quiet = config({**DEMO_CONFIG, "reports": {"weekly": "cron 0 3 1 1 *"}})
    harness = await Harness.start(store, quiet)
    yield harness
    await harness.close()


async def nudge_rows(harness: Harness) -> list[OutboxRow]:
    async with harness.store.read() as session:
        query = select(OutboxRow).where(col(OutboxRow.kind) == NUDGE).order_by(col(OutboxRow.id))
        return list((await session.exec(query)).all())


async def community_of_four(harness: Harness) -> None:
    """alice facilitates and keeps talking; bob and carol go quiet; dave goes away."""
    for user in ("alice", "bob", "carol", "dave"):
        await harness.post(user)
    await harness.say("away until:2027-02-01", user="dave")
    harness.later(weeks=4)
    await harness.post("alice")
    await harness.join("erin")  # new: not quiet for 3 weeks yet, so never nudged


async def test_preview_lists_the_quiet_ones_and_send_nudges_each_once(harness: Harness) -> None:
    await community_of_four(harness)
    shown = await harness.say("nudge preview")
    assert "2 members quiet for 3 weeks would be nudged" in shown
    assert "Left out: 1 quiet member (1 away)" in shown
    assert "• bob: last took part Tue 01 Dec 10:30" in shown and "• carol:" in shown
    listed = shown.split("\n", 1)[1]
    assert "alice" not in listed and "dave" not in listed and "erin" not in listed
    await harness.say('prompt add text:"What surprised you this week?"')
    await harness.say("nudge send")  # nothing posted yet: no prompt named, the channel offered
    sent = await harness.deliver()
    assert sent.count("👋 Hi") == 2 and "Hi bob, it has been a while" in sent
    assert "say hello in the community's channel" in sent and "`/cop nudge off`" in sent
    assert sent.count("introduce you to another member or two") == 2  # a pairing offer
    again = await harness.say("nudge send")
    assert again.startswith("Nobody to nudge: no member has been quiet for 3 weeks")
    assert "2 nudged lately" in again and "1 away" in again
    assert len(await nudge_rows(harness)) == 2
    async with harness.store.read() as session:
        nudged = (await session.exec(select(Nudge))).all()
        kinds = (
            await session.exec(select(LedgerEntry).where(col(LedgerEntry.kind) == "nudge"))
        ).all()
    assert len(nudged) == 2 and len(kinds) == 2 and all(k.member_id for k in kinds)
    async with harness.store.read() as session:
        community = (await session.exec(select(Community))).one()
        assert community.id is not None
        week = ReportWeek.containing(harness.clock.now(), community.timezone)
        data = await report_data(
            session=session, community_id=community.id, week=week, now=harness.clock.now()
        )
    assert data.this_week.nudges_sent == 2 and data.last_week.nudges_sent == 0
    assert any(d.metric == "nudges sent" for d in data.definitions)
    harness.later(weeks=4, days=1)  # past the 4 weeks, still quiet: nudged again
    await harness.post("alice")
    # Erin, who joined and never spoke, is quiet for 3 weeks by now: invited too.
    assert "✅ Nudged 3 members by DM: bob, carol, erin." in await harness.say("nudge send")


async def test_nudge_off_opted_out_and_the_next_event_and_prompt(harness: Harness) -> None:
    await community_of_four(harness)
    assert "No more nudges for you" in await harness.say("nudge off", user="carol")
    assert "off for you already" in await harness.say("nudge off", user="carol")
    await harness.say("privacy optout confirm:yes", user="bob")
    said = await harness.say("nudge send")
    assert said.startswith("Nobody to nudge") and "1 nudge off" in said
    assert "on for you again" in await harness.say("nudge on", user="carol")
    await harness.say("pair join", user="carol")  # in pairing already: not offered it
    said = await harness.say('event add title:"Show and tell" start:"2027-01-20 17:00"')
    assert said.startswith("✅"), said
    await harness.say('prompt add text:"What surprised you this week?"')
    await harness.say('prompt schedule schedule:"mon 10:00" channel:#general')
    harness.clock.set(MONDAY + timedelta(minutes=1))
    await harness.run_jobs()
    await harness.deliver()
    assert "✅ Nudged 1 member by DM: carol." in await harness.say("nudge send")
    sent = await harness.deliver()
    assert "Hi carol" in sent and "📅 Show and tell, Wed 20 Jan 2027, 17:00 CET" in sent
    assert "“What surprised you this week?”" in sent
    assert "reply to the latest prompt in its thread" in sent and "pair join" not in sent


async def test_nudges_on_a_rhythm_and_bad_input(harness: Harness) -> None:
    bad = await harness.say('nudge schedule schedule:"every so often"')
    assert "this is not a schedule I understand" in bad and "Usage: `/cop nudge schedule" in bad
    assert "not scheduled" in await harness.say("nudge unschedule")
    await community_of_four(harness)
    said = await harness.say('nudge schedule schedule:"mon 10:00"')
    assert said.startswith("✅ Quiet members are nudged every Monday at 10:00 Europe/Berlin")
    harness.clock.set(MONDAY + timedelta(minutes=1))
    await harness.run_jobs()
    sent = await harness.deliver()
    assert sent.count("👋 Hi") == 2
    harness.clock.set(MONDAY + timedelta(weeks=1, minutes=1))
    await harness.run_jobs()
    assert "👋 Hi" not in await harness.deliver()  # nudged last week: not again
    assert "No more scheduled nudges" in await harness.say("nudge unschedule")


async def test_members_cannot_preview_or_send(harness: Harness) -> None:
    said = await harness.say("nudge send", user="bob")
    assert "facilitator" in said.lower()


async def test_help_nudge_lists_the_commands(harness: Harness) -> None:
    shown = await harness.say("help nudge")
    assert "nudge preview" in shown and "nudge off" in shown
    member = await harness.say("help nudge", user="bob")
    send = member.split("`/cop nudge send`", 1)[1].split("`/cop", 1)[0]
    assert "(for facilitators)" in send
