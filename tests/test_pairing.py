"""Member pairing on the console: who is paired (opted in, not away, not opted out, pilot only
in a pilot), groups of two and one three, a group conversation each, rounds stored and shown,
on demand or on a rhythm, and bad input answered privately with nothing changed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select

from bot.outbox_keys import PAIR_INTRO
from storage.models import Community, LedgerEntry, OutboxRow, PairMember, PairRound
from storage.report_data import report_data
from storage.report_week import ReportWeek
from tests.factories import Harness
from tests.test_nudges import harness as harness

# A Monday at 10:00 in Berlin, a week after the harness's start (Tuesday 1 December 2026).
MONDAY = datetime.fromisoformat("2026-12-07T09:00:00+00:00")
PEOPLE = ("alice", "bob", "carol", "dave", "erin")


async def join_all(harness: Harness, people: tuple[str, ...] = PEOPLE) -> None:
    for user in people:
        assert "You are in pairing" in await harness.say("pair join", user=user)


async def paired_sets(harness: Harness) -> list[set[int]]:
    async with harness.store.read() as session:
        rows = (await session.exec(select(PairMember).order_by(col(PairMember.id)))).all()
    groups: dict[int, set[int]] = {}
    for row in rows:
        groups.setdefault(row.group_id, set()).add(row.member_id)
    return list(groups.values())


async def test_a_round_groups_everyone_eligible_in_twos_and_one_three(harness: Harness) -> None:
    await join_all(harness)
    await harness.post("frank")  # never opted in: not paired
    said = await harness.say("pair run")
    assert said.startswith("✅ Paired 5 members in 2 groups: "), said
    assert "frank" not in said
    shown = await harness.deliver()
    assert shown.count("[copbot → group DM with ") == 2
    assert "🤝 Meet your pairing group in demo!" in shown
    assert "• alice (" in shown and "Europe/Berlin now)" in shown
    assert "💬 To get you started: " in shown and "`/cop pair leave`" in shown
    assert sorted(len(g) for g in await paired_sets(harness)) == [2, 3]
    async with harness.store.read() as session:
        ledger = (
            await session.exec(select(LedgerEntry).where(col(LedgerEntry.kind) == "pair"))
        ).all()
        intros = (
            await session.exec(select(OutboxRow).where(col(OutboxRow.kind) == PAIR_INTRO))
        ).all()
        community = (await session.exec(select(Community))).one()
        assert community.id is not None
        week = ReportWeek.containing(harness.clock.now(), community.timezone)
        data = await report_data(
            session=session, community_id=community.id, week=week, now=harness.clock.now()
        )
    assert len(ledger) == 5 and len(intros) == 2
    assert all(len(r.payload["group"]) in (2, 3) for r in intros)
    assert data.this_week.pair_groups == 2 and data.this_week.members_paired == 5
    assert data.this_week.contributions == 1  # frank's message; being paired is not one
    assert {"pairing groups made", "members paired"} <= {d.metric for d in data.definitions}
    # The same minute: the round exists already, nothing new.
    assert "Nothing changed" in await harness.say("pair run")
    history = await harness.say("pair history")
    assert history.startswith("The last pairing round:")
    assert "• Tue 01 Dec 10:30 Europe/Berlin: " in history and " & " in history
    status = await harness.say("pair status", user="bob")
    assert status.startswith(
        "🤝 You are in pairing. Last paired Tue 01 Dec 10:30 Europe/Berlin with"
    )


async def test_away_opted_out_and_pilot_members_are_left_out(harness: Harness) -> None:
    await join_all(harness)
    await harness.say("away until:2026-12-10", user="dave")
    await harness.say("privacy optout confirm:yes", user="erin")
    said = await harness.say("pair run")
    assert said.startswith("✅ Paired 3 members in 1 group: alice, bob & carol.")
    assert "Left out: 2 members (1 away, 1 opted out of tracking)." in said
    assert "in the pilot now" in await harness.say("pilot add @bob @carol")
    assert "pairing reach only the pilot members" in await harness.say("phase pilot")
    harness.later(minutes=5)
    said = await harness.say("pair run")
    assert said.startswith("✅ Paired 2 members in 1 group: "), said
    assert "bob" in said and "carol" in said and "alice" not in said


async def test_too_few_to_pair_and_bad_input_change_nothing(harness: Harness) -> None:
    assert "No pairing rounds yet" in await harness.say("pair history")
    await join_all(harness, ("alice",))
    said = await harness.say("pair run")
    assert said.startswith("Not enough members to pair") and "Nothing was made" in said
    assert "`/cop pair join`" in said
    bad = await harness.say('pair schedule schedule:"every so often"')
    assert "this is not a schedule I understand" in bad and "Usage: `/cop pair schedule" in bad
    often = await harness.say('pair schedule schedule:"cron */5 * * * *"')
    assert "Usage: `/cop pair schedule" in often
    assert "not scheduled" in await harness.say("pair unschedule")
    assert "facilitator" in (await harness.say("pair run", user="bob")).lower()
    async with harness.store.read() as session:
        assert (await session.exec(select(PairRound))).all() == []
    assert await harness.deliver() == ""


async def test_rounds_on_a_rhythm_avoid_last_rounds_pairs(harness: Harness) -> None:
    await join_all(harness, ("alice", "bob", "carol", "dave"))
    said = await harness.say('pair schedule schedule:"mon 10:00"')
    assert said.startswith("✅ Opted-in members are paired every Monday at 10:00 Europe/Berlin")
    for week in range(3):
        harness.clock.set(MONDAY + timedelta(weeks=week, minutes=1))
        await harness.run_jobs()
        assert (await harness.deliver()).count("Meet your pairing group") == 2
        await harness.run_jobs()  # the same firing again: no second round
        assert await harness.deliver() == ""
    groups = await paired_sets(harness)
    assert len(groups) == 6
    pairs = [frozenset(g) for g in groups]
    assert len(set(pairs)) == 6  # 3 rounds of 4 members: every pair once, none repeated
    history = await harness.say("pair history")
    assert history.startswith("The last 3 pairing rounds:") and "Mon 21 Dec 10:00" in history
    assert "No more scheduled pairing" in await harness.say("pair unschedule")


async def test_help_pair_lists_the_commands(harness: Harness) -> None:
    member = await harness.say("help pair", user="bob")
    assert "pair join" in member and "pair status" in member
    run = member.split("`/cop pair run`", 1)[1].split("`/cop", 1)[0]
    assert "(for facilitators)" in run


async def test_a_large_round_names_the_first_groups_and_counts_the_rest(harness: Harness) -> None:
    await join_all(harness, tuple(f"m{i:02}" for i in range(44)))
    said = await harness.say("pair run")
    assert said.startswith("✅ Paired 44 members in 22 groups: ")
    assert " and 2 more groups. Each group gets a conversation" in said
    assert (await harness.deliver()).count("Meet your pairing group") == 22
    history = await harness.say("pair history")
    assert history.count(" & ") == 20 and history.endswith("and 2 more groups")
