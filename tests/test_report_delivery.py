"""The weekly report reaches its readers (leads and those who subscribed) once a week, once;
``/cop report`` sends one now; ``/cop stats`` answers in chat."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from openpyxl import load_workbook
from sqlmodel import col, select

from bot.outbox_keys import REPORT_ASKED, REPORT_WEEKLY
from bot.scheduling import Scheduling
from storage import report_readers
from storage.engine import Store, build_engine
from storage.models import Identity, OutboxFile, OutboxRow
from storage.report_data import report_data, week_figures
from storage.report_week import ReportWeek
from tests.factories import Harness

# The first Monday 08:00 in Berlin after the harness's start (Tuesday 1 December 2026).
MONDAY = datetime.fromisoformat("2026-12-07T07:00:00+00:00")


async def outbox_rows(store: Store, kind: str) -> list[OutboxRow]:
    async with store.read() as session:
        query = select(OutboxRow).where(col(OutboxRow.kind) == kind).order_by(col(OutboxRow.key))
        return list((await session.exec(query)).all())


async def workbook_of(store: Store, row: OutboxRow) -> bytes:
    async with store.read() as session:
        stored = await session.get(OutboxFile, row.file_digest)
    assert stored is not None
    return stored.content


async def test_the_weekly_report_goes_to_the_lead_on_monday_once(
    harness: Harness, tmp_path
) -> None:
    await harness.post("bob")
    await harness.post("carol", reply=True)
    harness.clock.set(MONDAY + timedelta(minutes=1))
    assert any(line.startswith("ran weekly-report:1:") for line in await harness.run_jobs())
    [row] = await outbox_rows(harness.store, REPORT_WEEKLY)
    assert (row.recipient_user, row.key) == ("lena", "report:1:2026-W49:console:local:lena")
    assert row.payload["attachment"]["name"] == "cop-demo-2026-W49.xlsx"
    assert row.payload["image"]["name"] == "cop-demo-2026-W49.png"
    content = await workbook_of(harness.store, row)
    (tmp_path / "r.xlsx").write_bytes(content)
    assert load_workbook(tmp_path / "r.xlsx", read_only=True).sheetnames[0] == "Summary"
    shown = await harness.deliver()
    assert "[copbot → DM to lena]" in shown
    assert "demo: the weekly report for 2026-W49 (Mon 30 Nov to Sun 06 Dec 2026)" in shown
    assert "📎 cop-demo-2026-W49.xlsx" in shown and "📎 cop-demo-2026-W49.png" in shown
    # A restart (a new engine on the same store) catches up on nothing: it was sent.
    restarted = Scheduling(harness.store, harness.services, harness.scheduling.registry)
    assert await restarted.catch_up(MONDAY + timedelta(minutes=5)) == []
    assert len(await outbox_rows(harness.store, REPORT_WEEKLY)) == 1


async def test_subscribers_receive_it_and_a_lead_can_stop_it(harness: Harness) -> None:
    assert (await harness.say("report subscribe", user="alice")).startswith("✅ You will receive")
    assert (await harness.say("report subscribe", user="alice")).startswith("You already")
    assert (await harness.say("report unsubscribe", user="lena")).startswith("✅ No more")
    assert "do not receive" in await harness.say("report unsubscribe", user="lena")
    harness.clock.set(MONDAY + timedelta(minutes=1))
    await harness.run_jobs()
    readers = [r.recipient_user for r in await outbox_rows(harness.store, REPORT_WEEKLY)]
    assert readers == ["alice"]


async def test_report_now_arrives_as_a_dm_to_whoever_asked(harness: Harness) -> None:
    await harness.post("bob")
    reply = await harness.say("report week:2026-W49", user="lena")
    assert reply.startswith("📊 Making the report of demo for 2026-W49")
    await harness.run_jobs()
    [row] = await outbox_rows(harness.store, REPORT_ASKED)
    assert row.recipient_user == "lena"
    assert row.key.startswith("report:1:2026-W49:console:local:lena:asked:")
    assert "[copbot → DM to lena]" in await harness.deliver()


async def test_reports_and_stats_are_for_leads_and_facilitators(harness: Harness) -> None:
    await harness.post("bob")
    for command in ("report", "report subscribe", "stats"):
        assert "is for facilitators or leads" in await harness.say(command, user="bob")
    assert await outbox_rows(harness.store, REPORT_ASKED) == []


async def test_a_week_that_is_not_one_or_has_not_begun_is_refused(harness: Harness) -> None:
    assert "not a week" in await harness.say("report week:last", user="lena")
    assert "has no week 54" in await harness.say("stats week:2026-W54", user="lena")
    assert "has not begun yet" in await harness.say("report week:2027-W02", user="lena")
    assert await outbox_rows(harness.store, REPORT_ASKED) == []


async def test_stats_answers_in_chat_with_the_change_from_last_week(harness: Harness) -> None:
    await harness.post("bob")
    await harness.post("carol")
    await harness.react("dave")
    said = await harness.say("stats", user="alice")
    assert said.startswith("📈 demo, 2026-W49 (so far), against the week before:")
    assert "Active members: 2 (+2)" in said
    assert "Reactions: 1 (+1)" in said


async def test_stats_has_the_numbers_of_the_workbook(harness: Harness) -> None:
    for user in ("bob", "carol", "dave"):
        await harness.post(user)
        harness.later(days=3)
        await harness.post(user, reply=True)
    await harness.react("erin")
    week = ReportWeek.containing(harness.clock.now(), "Europe/Berlin")
    async with harness.store.read() as session:
        quick = await week_figures(session=session, community_id=1, week=week)
        whole = await report_data(
            session=session, community_id=1, week=week, now=harness.clock.now()
        )
    assert quick == (whole.this_week, whole.last_week)


async def test_two_processes_send_the_weekly_report_once(
    harness: Harness, database_url: str
) -> None:
    """Two engines on their own connections (as two processes on PostgreSQL) fire the same
    weekly report at the same moment: one of them queues it."""
    other = Store(build_engine(database_url))
    try:
        first = harness.scheduling
        second = Scheduling(other, harness.services, first.registry)
        at = MONDAY + timedelta(minutes=1)
        outcomes = await asyncio.gather(
            first.attempt("weekly-report:1", at), second.attempt("weekly-report:1", at)
        )
    finally:
        await other.close()
    assert sorted(o.status for o in outcomes) == ["", "ran"]
    assert [r.recipient_user for r in await outbox_rows(harness.store, REPORT_WEEKLY)] == ["lena"]


async def test_a_week_of_another_era_is_refused(harness: Harness) -> None:
    for week in ("0001-W05", "9999-W01"):
        assert "too far away; pick a week of the years since 2000" in await harness.say(
            f"report week:{week}", user="lena"
        )
    assert "takes no week" in await harness.say("report subscribe week:2026-W48", user="lena")
    assert await outbox_rows(harness.store, REPORT_ASKED) == []


async def test_after_a_day_down_the_weekly_report_still_goes(harness: Harness) -> None:
    harness.clock.set(MONDAY + timedelta(days=1))  # copbot was down all Monday
    assert any(line.startswith("ran weekly-report:1:") for line in await harness.run_jobs())
    assert len(await outbox_rows(harness.store, REPORT_WEEKLY)) == 1


async def test_a_reader_with_two_accounts_gets_one_dm_on_the_one_the_config_names(
    harness: Harness,
) -> None:
    await harness.say("me", user="lena")  # copbot meets lena on the console
    async with harness.store.transaction() as session:
        lena = await report_readers.identity_of(
            session=session, platform="console", workspace="local", user_id="lena"
        )
        assert lena is not None
        session.add(
            Identity(member_id=lena.member_id, platform="slack", workspace="T9", user_id="UL")
        )
        await report_readers.choose(
            session=session, community_id=1, member_id=lena.member_id, wants=True, now=MONDAY
        )
    async with harness.store.read() as session:
        found = await report_readers.readers(
            session=session, community_id=1, configured_leads=[("console", "lena")]
        )
    assert [(p, w, u) for _, p, w, u in found] == [("console", "local", "lena")]
