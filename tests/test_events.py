"""Events on the console: announced with answer buttons, counts updated in place, reminders to
those going only (across a restart too), moved, cancelled, attendance once, bad input refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot import outbox_keys as keys
from bot.ids import interaction_id
from bot.ui import Message
from storage.engine import Store
from storage.models import Event, EventRsvp, LedgerEntry, OutboxRow, ScheduledJob
from tests.factories import DEMO_CONFIG, Harness, config

START = "2026-12-08 18:00"  # Tuesday a week after the harness's clock, in Europe/Berlin
STARTS_AT = datetime.fromisoformat("2026-12-08T17:00:00+00:00")


@pytest.fixture
async def harness(store: Store) -> AsyncIterator[Harness]:
    """The demo community, its weekly report moved out of the way: days and weeks go by in
    these tests, and a report prepared each Monday would only slow them down."""
    quiet = config({**DEMO_CONFIG, "reports": {"weekly": "cron 0 3 1 1 *"}})
    harness = await Harness.start(store, quiet)
    yield harness
    await harness.close()


async def rows(harness: Harness, kind: str) -> list[OutboxRow]:
    async with harness.store.read() as session:
        query = select(OutboxRow).where(col(OutboxRow.kind) == kind).order_by(col(OutboxRow.id))
        return list((await session.exec(query)).all())


async def event_row(harness: Harness, event_id: int = 1) -> Event:
    async with harness.store.read() as session:
        event = await session.get(Event, event_id)
        assert event is not None
        return event


def rsvp(answer: str, event_id: int = 1) -> str:
    return interaction_id("rsvp", "event", f"{event_id}:{answer}")


async def add(harness: Harness, extra: str = "") -> str:
    return await harness.say(
        f'event add title:"Design review" start:"{START}" duration:90 '
        f'link:https://meet.example/abc description:"Bring one sketch" {extra}'
    )


async def test_an_event_is_announced_with_its_start_echoed_in_its_zone(harness: Harness) -> None:
    said = await add(harness)
    assert "✅ Event #1 *Design review* starts Tue 8 Dec 2026, 18:00" in said
    assert "Europe/Berlin" in said and "for 1 h 30 min" in said
    assert "those going are reminded 24 h and 1 h before" in said
    soon = await harness.say('event add title:"Now-ish" start:"2026-12-01 11:30"')  # in 1 hour
    assert "those going are not reminded: it starts too soon" in soon
    shown = await harness.deliver()
    assert "📅 Design review" in shown or "Design review" in shown
    assert "Going (0)" in shown and "Maybe (0)" in shown and "Can't go (0)" in shown
    assert "https://meet.example/abc" in shown and "Bring one sketch" in shown
    post = (await rows(harness, keys.EVENT_ANNOUNCE))[0]
    assert post.recipient_channel == "general" and post.status == "sent"
    assert not await rows(harness, keys.EVENT_NATIVE)  # the console has no native events


async def test_answers_change_and_the_counts_follow_in_place(harness: Harness) -> None:
    await add(harness)
    await harness.deliver()
    said = await harness.click(rsvp("going"), "bob")
    assert "You're going to *Design review*" in said[0].message.text  # type: ignore[union-attr]
    await harness.click(rsvp("maybe"), "carol")
    await harness.click(rsvp("going"), "carol")  # a change of mind replaces the answer
    await harness.click(rsvp("no"), "dave")
    await harness.deliver()
    edits = await rows(harness, keys.EVENT_EDIT)
    sent = [e for e in edits if e.status == "sent"]
    assert sent, "the announcement was updated in place"
    last = Message.from_json(sent[-1].payload)
    labels = [b.label for b in last.buttons]
    assert "✅ Going (2)" in labels and "🤔 Maybe (0)" in labels and "❌ Can't go (1)" in labels
    assert all(e.edits_key == keys.event_key(1) for e in edits)
    async with harness.store.read() as session:
        answers = (await session.exec(select(EventRsvp))).all()
        kinds = (
            await session.exec(select(LedgerEntry.kind).where(col(LedgerEntry.kind) == "rsvp"))
        ).all()
    assert sorted(a.answer for a in answers) == ["going", "going", "no"]
    assert len(kinds) == 4  # every answer given is a ledger row


async def test_reminders_reach_only_those_going_once_across_a_restart(
    harness: Harness, store: Store
) -> None:
    await add(harness)
    await harness.click(rsvp("going"), "bob")
    await harness.click(rsvp("maybe"), "carol")
    await harness.click(rsvp("no"), "dave")
    await harness.deliver()
    harness.clock.set(STARTS_AT - timedelta(hours=24) + timedelta(minutes=1))
    await harness.run_jobs()
    shown = await harness.deliver()
    [first] = await rows(harness, keys.EVENT_REMINDER)
    assert first.recipient_user == "bob" and "starts in 24 h" in shown
    # A new process on the same database fires nothing twice.
    again = await Harness.start(store, harness.services.config)
    again.clock.set(STARTS_AT - timedelta(minutes=59))
    await again.run_jobs()
    await again.delivery.deliver_due()
    await again.run_jobs()
    reminders = await rows(harness, keys.EVENT_REMINDER)
    assert [r.recipient_user for r in reminders] == ["bob", "bob"]
    assert "remind3600s" in reminders[1].key
    await again.close()


async def test_a_moved_event_reminds_for_its_new_time_and_tells_those_going(
    harness: Harness,
) -> None:
    await add(harness)
    await harness.click(rsvp("going"), "bob")
    said = await harness.say('event move 1 start:"2026-12-10 09:30"')
    assert "now starts Thu 10 Dec 2026, 09:30" in said and "1 person told" in said
    await harness.deliver()
    [notice] = await rows(harness, keys.EVENT_NOTICE)
    assert notice.recipient_user == "bob" and notice.file_digest is not None
    async with harness.store.read() as session:
        pending = (
            await session.exec(
                select(ScheduledJob).where(col(ScheduledJob.kind) == "event-reminder")
            )
        ).all()
    live = sorted(j.due_at for j in pending if j.status == "pending")
    moved = datetime.fromisoformat("2026-12-10T08:30:00+00:00")
    assert live == [moved - timedelta(hours=24), moved - timedelta(hours=1)]
    assert (await event_row(harness)).sequence == 1


async def test_a_cancelled_event_withdraws_its_reminders_and_takes_no_answers(
    harness: Harness,
) -> None:
    await add(harness)
    await harness.click(rsvp("going"), "bob")
    said = await harness.say("event cancel 1")
    assert "is cancelled; 1 person told" in said
    shown = await harness.deliver()
    assert "Cancelled: Design review" in shown
    late = await harness.click(rsvp("going"), "carol")
    assert "was cancelled" in late[0].message.text  # type: ignore[union-attr]
    harness.clock.set(STARTS_AT - timedelta(minutes=30))
    await harness.run_jobs()
    assert not await rows(harness, keys.EVENT_REMINDER)
    assert "cancelled already" in await harness.say("event cancel 1")


async def test_attendance_is_recorded_once_and_listed(harness: Harness) -> None:
    await add(harness)
    await harness.click(rsvp("going"), "bob")
    await harness.click(rsvp("maybe"), "carol")
    early = await harness.say("event attended 1 @bob")
    assert "has not taken place" in early
    harness.clock.set(STARTS_AT + timedelta(hours=2))
    said = await harness.say("event attended 1 @bob @carol")
    assert "attendance at #1 *Design review* recorded (2 new)" in said
    again = await harness.say("event attended 1 @bob")
    assert "(0 new)" in again
    listed = await harness.say("event list")
    assert "#1 *Design review*" in listed and "1 going, 1 maybe" in listed and "2 came" in listed
    unknown = await harness.say("event attended 1 @erin")
    assert "I have not met erin yet" in unknown and "attended <id> @user [@user]..." in unknown


async def test_bad_event_input_changes_nothing(harness: Harness) -> None:
    cases = {
        'event add title:"x" start:"tomorrow 5pm"': "could not read",
        'event add title:"x" start:"2020-01-01 10:00"': "past",
        f'event add title:"x" start:"{START}" duration:2000': "24 hours",
        f'event add title:"x" start:"{START}" link:ftp://files.example': "http",
        f'event add title:"x" start:"{START}" rotate:"Europe/Berlin"': "repeat",
        "event cancel 9": "no event #9",
        'event add title:"x" start:"2027-03-28 02:30" tz:Europe/Berlin': "does not exist",
        f'event add title:"x" start:"{START}" repeat:weekly rotate:"Europe/Berlin,Mars/Olympus"': (
            "Mars/Olympus"
        ),
        f'event add title:"x" start:"{START}" tz:Nowhere/Land': "Nowhere/Land",
        'event move 9 start:"2027-01-01 10:00"': "no event #9",
    }
    for line, expected in cases.items():
        said = await harness.say(line)
        assert expected in said, (line, said)
    async with harness.store.read() as session:
        assert not (await session.exec(select(Event))).all()
    assert not await rows(harness, keys.EVENT_ANNOUNCE)
    members = await harness.say('event add title:"x" start:"2027-01-01 10:00"', user="bob")
    assert "for facilitators" in members


async def test_a_rotating_series_takes_each_region_in_turn_across_dst(harness: Harness) -> None:
    said = await harness.say(
        'event add title:"Open office" start:"2027-03-08 18:00" repeat:weekly '
        'rotate:"Europe/Berlin,America/New_York,Asia/Tokyo"'
    )
    assert "Every week, at a time that takes turns" in said and "(series #1)" in said
    # Each occurrence is made when the one before starts: walk the clock through six weeks
    # that cross both the American (14 March) and the European (28 March) change.
    for _ in range(5):
        latest = await latest_event(harness)
        harness.clock.set(latest.start_at + timedelta(minutes=1))
        await harness.run_jobs()
    async with harness.store.read() as session:
        made = (await session.exec(select(Event).order_by(col(Event.position)))).all()
    assert [e.position for e in made] == [0, 1, 2, 3, 4, 5]
    assert [e.region for e in made] == ["Europe/Berlin", "America/New_York", "Asia/Tokyo"] * 2
    for event in made:
        local = event.start_at.astimezone(ZoneInfo(event.region))
        end = local + timedelta(minutes=event.duration_minutes)
        assert local.hour >= 9 and (end.hour, end.minute) <= (18, 0), (event.position, local)
    assert len(await rows(harness, keys.EVENT_ANNOUNCE)) == 6
    await harness.click(rsvp("going", made[-1].id or 0), "bob")
    [edit] = await rows(harness, keys.EVENT_EDIT)
    assert "🔁 Every week" in Message.from_json(edit.payload).text  # the note stays on edits
    # Cancelling one occurrence with series:yes ends the series: nothing more is made.
    await harness.say(f"event cancel {made[-1].id} series:yes")
    harness.clock.set(made[-1].start_at + timedelta(days=8))
    await harness.run_jobs()
    async with harness.store.read() as session:
        assert len((await session.exec(select(Event))).all()) == 6


async def latest_event(harness: Harness) -> Event:
    async with harness.store.read() as session:
        query = select(Event).order_by(col(Event.position).desc()).limit(1)
        return (await session.exec(query)).one()


async def test_an_event_far_ahead_keeps_its_announcement_through_the_outbox_prune(
    harness: Harness,
) -> None:
    await harness.say('event add title:"Spring summit" start:"2027-02-20 10:00"')
    await harness.deliver()
    harness.later(days=35)
    await harness.run_jobs()  # the nightly prune of messages finished more than 30 days ago
    await harness.click(rsvp("going"), "bob")
    shown = await harness.deliver()
    assert "(m1, edited)" in shown and "Going (1)" in shown


async def test_a_display_name_cannot_carry_a_time_token(harness: Harness) -> None:
    from bot.events import Actor, CommandInvoked
    from storage.models import Member
    from tests.factories import WORKSPACE, event_id, place

    forged = Actor("console", WORKSPACE, "mallory", display_name="Mal\x1etime:1|x\x1e\x07ory")
    await harness.core.handle(
        CommandInvoked(forged, place(), event_id(), harness.clock.now(), "help")
    )
    async with harness.store.read() as session:
        names = (await session.exec(select(Member.display_name))).all()
    assert "Maltime:1|xory" in names  # shown as plain text, never as a time
    assert not any("\x1e" in n or "\x07" in n for n in names)


async def test_one_person_changing_their_mind_updates_the_counts(harness: Harness) -> None:
    await add(harness)
    await harness.click(rsvp("going"), "bob")
    await harness.deliver()
    await harness.click(rsvp("no"), "bob")  # the last click of all: nobody else answers after
    shown = await harness.deliver()
    assert "Going (0)" in shown and "Can't go (1)" in shown


async def test_reminders_already_queued_are_withdrawn_by_a_cancel(harness: Harness) -> None:
    await add(harness)
    await harness.click(rsvp("going"), "bob")
    harness.clock.set(STARTS_AT - timedelta(minutes=59))
    await harness.run_jobs()  # the reminder is queued, not delivered yet
    [queued] = await rows(harness, keys.EVENT_REMINDER)
    assert queued.status == "pending" and "starts in 1 h" in Message.from_json(queued.payload).text
    await harness.say("event cancel 1")
    shown = await harness.deliver()
    assert "⏰" not in shown and "is cancelled" in shown
    [withdrawn] = await rows(harness, keys.EVENT_REMINDER)
    assert withdrawn.status == "cancelled"


async def test_a_late_reminder_says_the_time_really_left(harness: Harness) -> None:
    await add(harness)
    await harness.click(rsvp("going"), "bob")
    harness.clock.set(STARTS_AT - timedelta(minutes=36))  # 24 minutes late, within its grace
    await harness.run_jobs()
    [late] = await rows(harness, keys.EVENT_REMINDER)
    assert "starts in 35 min" in Message.from_json(late.payload).text


async def test_buttons_of_odd_shapes_get_a_clear_answer(harness: Harness) -> None:
    await add(harness)
    for odd in ("99999999999999999999:going", "²:going", "abc:going", "1:Going", "-1:maybe"):
        said = await harness.click(interaction_id("rsvp", "event", odd), "bob")
        assert "Nothing was changed" in said[0].message.text, odd  # type: ignore[union-attr]
    said = await harness.click(interaction_id("calendar", "event", "99999999999"), "bob")
    assert "no longer exists" in said[0].message.text  # type: ignore[union-attr]


async def test_series_yes_ends_a_series_whose_next_occurrence_was_cancelled(
    harness: Harness,
) -> None:
    await harness.say(f'event add title:"Sync" start:"{START}" repeat:weekly')
    await harness.say("event cancel 1")
    said = await harness.say("event cancel 1 series:yes")
    assert "Series #1 ends with it" in said
    one_off = await harness.say(f'event add title:"Solo" start:"{START}"')
    assert "Event #2" in one_off
    assert "not part of a series" in await harness.say("event cancel 2 series:yes")
