"""Check-ins as a facilitator sees them: add, list, pause, resume, delete, run; bad input."""

from __future__ import annotations

from sqlmodel import func, select

from storage.models import CheckIn, Occurrence, OutboxRow, Schedule, ScheduledJob
from tests.factories import Harness

ADD = (
    'checkin add name:standup schedule:"weekdays 9:30" '
    'questions:"What did you learn?|Any blockers?"'
)


async def count(harness: Harness, table: type) -> int:
    async with harness.store.transaction() as session:
        return (await session.exec(select(func.count()).select_from(table))).one()


async def test_a_facilitator_creates_and_lists_a_checkin(harness: Harness) -> None:
    created = await harness.say(ADD)
    assert created.startswith("✅ Check-in created: #1 *standup*: every weekday at 09:30")
    assert "Europe/Berlin, to members, 2 questions [active]" in created
    listed = await harness.say("checkin list")
    assert "#1 *standup*: every weekday at 09:30 Europe/Berlin" in listed
    assert "not run yet" in listed


async def test_an_empty_list_says_how_to_start(harness: Harness) -> None:
    listed = await harness.say("checkin list")
    assert listed.startswith("No check-ins yet. Create one:")
    assert "/cop checkin add name:<name>" in listed


async def test_options_are_kept(harness: Harness) -> None:
    await harness.say(
        'checkin add name:retro schedule:"mon,thu 17:00" questions:Q audience:everyone '
        "local_time:yes share:#wins"
    )
    listed = await harness.say("checkin list")
    assert (
        "every Monday and Thursday at 17:00 Europe/Berlin (each member's local time), "
        "to everyone, 1 question, summary in #wins" in listed
    )


async def test_pause_resume_delete(harness: Harness) -> None:
    await harness.say(ADD)
    assert (await harness.say("checkin pause 1")).startswith("⏸️ Paused #1 standup.")
    assert "already paused" in await harness.say("checkin pause 1")
    assert "[paused]" in await harness.say("checkin list")
    assert (await harness.say("checkin resume 1")).startswith("▶️ Resumed #1 standup.")
    assert "already running" in await harness.say("checkin resume 1")
    assert "Answers already given stay" in await harness.say("checkin delete 1 confirm:yes")
    assert (await harness.say("checkin list")).startswith("No check-ins yet.")
    assert "There is no check-in #1" in await harness.say("checkin run 1")
    # The name of a deleted check-in can be used again.
    assert (await harness.say(ADD)).startswith("✅ Check-in created: #2")


async def test_bad_input_changes_nothing(harness: Harness) -> None:
    bad = {
        'checkin add name:s schedule:"daily 25:00" questions:Q': "25:00 is not a time of day",
        'checkin add name:s schedule:"sometimes" questions:Q': "Schedules look like",
        'checkin add name:s schedule:"daily 09:00" questions:"1|2|3|4|5|6"': (
            "A check-in has at most 5 questions; you gave 6."
        ),
        'checkin add name:s schedule:"daily 09:00" questions:" | "': "at least one question",
        f'checkin add name:s schedule:"daily 09:00" questions:"{"x" * 151}"': "Question 1 is 151",
        "checkin pause 99": "There is no check-in #99",
    }
    for text, says in bad.items():
        reply = await harness.say(text)
        assert says in reply, (text, reply)
        assert "Usage: `/cop checkin" in reply
    assert await count(harness, CheckIn) == 0
    assert await count(harness, Schedule) == 0


async def test_a_long_list_fits_one_message(harness: Harness) -> None:
    for number in range(45):
        await harness.say(
            f'checkin add name:c{number} schedule:"daily 09:00" questions:Q share:#wins'
        )
    listed = await harness.say("checkin list")
    assert len(listed) <= 4000
    assert "#1 *c0*" in listed and "more." in listed
    assert listed.endswith("Manage one with `/cop checkin pause|resume|delete|run <id>`.")


async def test_two_checkins_cannot_share_a_name(harness: Harness) -> None:
    await harness.say(ADD)
    assert "already a check-in called standup" in await harness.say(
        ADD.replace("standup", "STANDUP")
    )
    assert await count(harness, CheckIn) == 1


async def test_running_with_nobody_in_the_audience_sends_nothing(harness: Harness) -> None:
    await harness.say(ADD.replace("questions", "audience:pilot questions"))
    reply = await harness.say("checkin run 1")
    assert "Nobody is in the audience (pilot)" in reply
    assert await count(harness, Occurrence) == 0
    assert await count(harness, OutboxRow) == 0


async def test_running_twice_in_one_minute_sends_once(harness: Harness) -> None:
    await harness.post("bob")
    await harness.say(ADD)
    assert (await harness.say("checkin run 1")).startswith("📨 Queued standup for 2 members;")
    assert "already ran at 10:30 Europe/Berlin" in await harness.say("checkin run 1")
    assert await count(harness, Occurrence) == 1
    assert await count(harness, OutboxRow) == 3  # bob's welcome, and the check-in's two DMs
    harness.later(minutes=1)
    await harness.say("checkin run 1")
    assert await count(harness, Occurrence) == 2


async def test_a_checkin_can_be_posted_once_in_a_channel_instead_of_dms(harness: Harness) -> None:
    await harness.post("bob")
    assert "Welcome to demo, bob" in await harness.deliver()  # his welcome DM, out of the way
    refused = await harness.say('checkin add name:s schedule:"daily 09:00" questions:Q via:channel')
    assert "name it with share:#channel" in refused
    await harness.say(
        'checkin add name:s schedule:"daily 09:00" questions:Q via:channel share:#all'
    )
    assert "posted in #all" in await harness.say("checkin list")
    assert await harness.say("checkin run 1") == "📨 Queued s for #all (2 members may answer)."
    shown = await harness.deliver()
    assert "DM to" not in shown
    assert "[copbot → #all]" in shown and "Press Answer; answers appear in the thread." in shown
    action = harness.screen.buttons[max(harness.screen.buttons)]
    form = (await harness.click(action, "bob"))[0].form  # type: ignore[union-attr]
    await harness.submit(form.form_id, {"q1": "yes"}, "bob")
    thread = await harness.deliver()
    # m1 was bob's welcome DM; m2 the check-in's post.
    assert "[copbot → #all, thread of m2]" in thread and "bob answered:" in thread


async def test_delete_asks_for_confirmation_first(harness: Harness) -> None:
    await harness.say(ADD)
    asked = await harness.say("checkin delete 1")
    assert asked.startswith("🗑️ Delete #1 standup? It stops running and cannot be resumed;")
    assert asked.endswith("To go ahead: `/cop checkin delete 1 confirm:yes`")
    assert "[active]" in await harness.say("checkin list")  # nothing changed
    assert "To go ahead" in await harness.say("checkin delete 1 confirm:no")
    assert "Deleted #1 standup" in await harness.say("checkin delete 1 confirm:yes")
    assert (await harness.say("checkin list")).startswith("No check-ins yet.")


async def test_running_a_paused_checkin_asks_for_confirmation(harness: Harness) -> None:
    await harness.post("bob")
    await harness.say(ADD)
    await harness.say("checkin pause 1")
    asked = await harness.say("checkin run 1")
    assert asked == (
        "⏸️ #1 standup is paused. Run it once anyway (it stays paused): "
        "`/cop checkin run 1 confirm:yes`"
    )
    assert await count(harness, Occurrence) == 0
    assert await count(harness, OutboxRow) == 1  # bob's welcome, no check-in DM
    ran = await harness.say("checkin run 1 confirm:yes")
    assert ran == (
        "📨 Queued standup for 2 members; the DMs go out in the next moments. "
        "It stays paused, so no reminder follows."
    )
    assert await count(harness, OutboxRow) == 3
    assert await count(harness, ScheduledJob) == 0
    assert "[paused]" in await harness.say("checkin list")


async def test_the_run_reply_says_queued_not_sent(harness: Harness) -> None:
    await harness.post("bob")
    await harness.say(ADD)
    ran = await harness.say("checkin run 1")
    assert ran == (
        "📨 Queued standup for 2 members; the DMs go out in the next moments. "
        "Those who have not answered in 4 hours get one reminder."
    )
    async with harness.store.transaction() as session:
        rows = (await session.exec(select(OutboxRow))).all()
    assert {row.status for row in rows} == {"pending"}  # indeed nothing was sent yet


async def test_a_manual_run_reminds_those_who_did_not_answer(harness: Harness) -> None:
    await harness.post("bob")
    await harness.say(ADD)
    await harness.say("checkin run 1")
    shown = await harness.deliver()
    assert "[copbot → DM to bob]" in shown
    harness.later(hours=3, minutes=59)
    await harness.run_jobs()
    assert "reminder" not in await harness.deliver()  # not due yet
    harness.later(minutes=1)
    assert "ran checkin-reminder:1" in await harness.run_jobs()
    reminded = await harness.deliver()
    assert "⏰ A gentle reminder: the *standup* check-in is still open for you." in reminded
    assert "[copbot → DM to bob]" in reminded and "[copbot → DM to alice]" in reminded
