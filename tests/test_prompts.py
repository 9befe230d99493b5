"""Discussion prompts: a queue posted one at a time on a rhythm, replies in each post's thread
counted (never read), a dry queue told to the facilitators once."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import col, select

from bot.events import MessagePosted
from bot.outbox_keys import PROMPT_EMPTY, PROMPT_POST
from reports.workbook import write_workbook
from storage.models import OutboxRow
from storage.report_data import report_data
from storage.report_week import ReportWeek
from tests.factories import Harness, actor, event_id, place
from tests.test_console_session import console, typed

# The Mondays at 10:00 in Berlin after the harness's start (Tuesday 1 December 2026).
MONDAY = datetime.fromisoformat("2026-12-07T09:00:00+00:00")


async def rows(harness: Harness, kind: str) -> list[OutboxRow]:
    async with harness.store.read() as session:
        query = select(OutboxRow).where(col(OutboxRow.kind) == kind).order_by(col(OutboxRow.id))
        return list((await session.exec(query)).all())


async def posted_id(harness: Harness, index: int = 0) -> str:
    """The platform id of a prompt's post (the console numbers its messages m1, m2, ...)."""
    post = (await rows(harness, PROMPT_POST))[index]
    assert post.platform_message_id is not None
    return post.platform_message_id


async def reply(harness: Harness, user: str, thread: str) -> None:
    """Someone replies in a post's thread."""
    event = MessagePosted(
        actor(user),
        place(thread=thread),
        event_id(),
        harness.clock.now(),
        is_reply=True,
        message_ref=event_id(),
    )
    await harness.core.handle(event)


async def fire_on(harness: Harness, when: datetime) -> str:
    harness.clock.set(when + timedelta(minutes=1))
    await harness.run_jobs()
    return await harness.deliver()


async def test_prompts_go_out_in_turn_and_their_replies_are_counted(harness: Harness) -> None:
    said = await harness.say(
        'prompt add text:"What failed this week, and what did it teach you?" kind:reflect'
    )
    assert said.startswith("✅ Prompt #1 queued (🪞 Reflect on practice): What failed this week")
    await harness.say('prompt add text:"Share one paper you read lately" kind:share')
    said = await harness.say('prompt schedule schedule:"mon 10:00" channel:#general')
    assert said == (
        "✅ Prompts go out in #general every Monday at 10:00 Europe/Berlin, one at a time: "
        "2 prompts in the queue."
    )
    shown = await fire_on(harness, MONDAY)
    thread = await posted_id(harness)
    assert f"[copbot → #general] ({thread})" in shown
    assert "*🪞 Reflect on practice*" in shown and "What failed this week" in shown
    assert "Reply in this thread" in shown
    for user in ("bob", "carol", "bob"):
        await reply(harness, user, thread)
    await reply(harness, "dave", "elsewhere")  # a reply in another thread is not the prompt's
    listed = await harness.say("prompt list")
    assert "#1 🪞 Reflect on practice: What failed this week" in listed
    assert "3 replies from 2 people" in listed
    assert "#2 📚 Share resources: Share one paper you read lately (queued)" in listed
    shown = await fire_on(harness, MONDAY + timedelta(weeks=1))
    assert "Share one paper you read lately" in shown
    assert [r.key for r in await rows(harness, PROMPT_POST)] == ["prompt:1", "prompt:2"]


async def test_a_dry_queue_is_told_to_the_facilitators_once_and_the_next_prompt_resumes(
    harness: Harness,
) -> None:
    await harness.say('prompt schedule schedule:"mon 10:00" channel:#general')
    shown = await fire_on(harness, MONDAY)
    assert "[copbot → DM to alice]" in shown and "prompt queue of demo is empty" in shown
    assert "[copbot → #general]" not in shown  # nothing is posted
    assert "prompt queue" not in await fire_on(harness, MONDAY + timedelta(weeks=1))  # once
    await harness.say('prompt add text:"Which tool changed how you work?"')
    shown = await fire_on(harness, MONDAY + timedelta(weeks=2))
    assert "[copbot → #general]" in shown and "Which tool changed how you work?" in shown
    await fire_on(harness, MONDAY + timedelta(weeks=3))  # dry again: told again
    assert len(await rows(harness, PROMPT_EMPTY)) == 2


async def test_a_posted_prompt_keeps_its_thread_after_the_outbox_is_pruned(
    harness: Harness,
) -> None:
    await harness.say('prompt add text:"What surprised you?"')
    await harness.say('prompt schedule schedule:"mon 10:00" channel:#general')
    await fire_on(harness, MONDAY)
    await reply(harness, "bob", await posted_id(harness))
    await harness.say("prompt unschedule")
    harness.clock.set(MONDAY + timedelta(days=45))
    await harness.run_jobs()  # the nightly prune of messages older than 30 days
    assert "1 reply from 1 person" in await harness.say("prompt list")


async def test_prompt_mistakes_change_nothing(harness: Harness) -> None:
    assert "no prompt #9" in await harness.say("prompt remove 9")
    assert "one of discuss, reflect, research, share" in await harness.say(
        'prompt add text:"x" kind:rant'
    )
    assert "is for facilitators" in await harness.say('prompt add text:"x"', user="bob")
    assert "Prompts are not scheduled" in await harness.say("prompt unschedule")
    await harness.say('prompt add text:"Kept"')
    await harness.say('prompt schedule schedule:"mon 10:00" channel:#general')
    await fire_on(harness, MONDAY)
    assert "was posted already" in await harness.say("prompt remove 1")
    assert "(posted " in await harness.say("prompt list")


async def test_the_weekly_report_counts_prompt_replies_and_lists_the_prompts(
    harness: Harness, tmp_path: Path
) -> None:
    said = await harness.say('prompt add text:"=SUM(A1:A9) What changed for you?" kind:reflect')
    assert said.startswith("✅ Prompt #1 queued"), said
    await harness.say('prompt schedule schedule:"mon 10:00" channel:#general')
    await fire_on(harness, MONDAY)
    thread = await posted_id(harness)
    for user in ("bob", "carol", "bob"):
        await reply(harness, user, thread)
    await harness.post("bob", reply=True)  # a reply in some other thread is not a prompt's
    week = ReportWeek.containing(harness.clock.now(), "Europe/Berlin")
    async with harness.store.read() as session:
        data = await report_data(
            session=session, community_id=1, week=week, now=harness.clock.now()
        )
    assert (data.this_week.prompt_replies, data.this_week.prompt_repliers) == (3, 2)
    assert data.this_week.replies == 4
    assert {m.display_name: m.prompt_replies for m in data.members}["bob"] == 2
    [row] = data.prompts
    assert (row.kind, row.replies, row.repliers) == ("reflect", 3, 2)
    assert "Prompts" not in data.notes
    write_workbook(data, tmp_path / "r.xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx")["Prompts"]
    found = [c for r in sheet.iter_rows() for c in r if c.value == row.text]
    assert len(found) == 1 and found[0].data_type == "s"  # "=SUM(...)" stays text
    values = [c for r in sheet.iter_rows(values_only=True) for c in r]
    assert "Reflect on practice" in values and 3 in values and 2 in values


async def test_on_the_console_a_reply_goes_in_a_thread_with_the_thread_key(
    harness: Harness,
) -> None:
    session = console(harness)
    await typed(session, harness, '/cop prompt add text:"What did you unlearn?"')
    await typed(session, harness, '/cop prompt schedule schedule:"mon 10:00" channel:#general')
    await fire_on(harness, MONDAY)
    thread = await posted_id(harness)
    shown = await typed(session, harness, ":as bob", f":thread {thread}", ":who", "me: tabs")
    assert f"(you are bob in #general, in the thread of {thread})" in shown
    assert session.prompt == f"bob@#general/{thread}> "
    await typed(session, harness, ":thread", "and a plain message")
    assert session.prompt == "bob@#general> "
    assert "1 reply from 1 person" in await harness.say("prompt list")
