"""A member answers a check-in: the DM with its button, the form, the thanks, the shared thread."""

from __future__ import annotations

import re

from sqlmodel import select

from bot.ui import FormErrors, ShowForm
from storage.models import Answer, LedgerEntry
from tests.factories import Harness, text_of


async def start_checkin(harness: Harness, extra: str = "") -> str:
    await harness.post("bob")
    await harness.say(
        f'checkin add name:standup schedule:"daily 09:00" questions:"Learned?|Blocked?" {extra}'
    )
    await harness.say("checkin run 1")
    return await harness.deliver()


def answer_button(harness: Harness, shown: str, user: str) -> str:
    """The action id of the Answer button in the DM to ``user``, read off the console."""
    block = shown.split(f"[copbot → DM to {user}]")[1]
    match = re.search(r"\[(\d+)\] Answer", block)
    assert match is not None
    return harness.screen.buttons[int(match.group(1))]


async def test_the_audience_gets_a_dm_with_an_answer_button(harness: Harness) -> None:
    shown = await start_checkin(harness)
    assert "[copbot → DM to bob]" in shown and "[copbot → DM to alice]" in shown
    assert "📝 Time for the *standup* check-in of demo: 2 questions, about a minute." in shown
    assert re.search(r"\[\d+\] Answer", shown)


async def test_answering_through_the_form(harness: Harness) -> None:
    shown = await start_checkin(harness)
    action = answer_button(harness, shown, "bob")
    opened = await harness.click(action, "bob")
    assert isinstance(opened[0], ShowForm)
    form = opened[0].form
    assert form.title == "standup"
    assert [f.label for f in form.fields] == ["Learned?", "Blocked?"]
    thanks = await harness.submit(form.form_id, {"q1": "pytest fixtures", "q2": "none"}, "bob")
    assert text_of(thanks) == "🙏 Thanks, bob! Your answers to standup are in."
    async with harness.store.transaction() as session:
        answers = (await session.exec(select(Answer))).all()
        ledger = (await session.exec(select(LedgerEntry))).all()
    assert [a.answers for a in answers] == [["pytest fixtures", "none"]]
    assert sorted(e.kind for e in ledger) == ["checkin_answer", "message"]
    listed = await harness.say("checkin list")
    assert "1 run, 1/2 answered" in listed


async def test_an_empty_answer_is_refused_and_nothing_is_stored(harness: Harness) -> None:
    shown = await start_checkin(harness)
    action = answer_button(harness, shown, "bob")
    form_id = (await harness.click(action, "bob"))[0].form.form_id  # type: ignore[union-attr]
    refused = await harness.submit(form_id, {"q1": "  ", "q2": "ok"}, "bob")
    assert isinstance(refused[0], FormErrors)
    assert refused[0].errors == (("q1", "This one needs an answer, even a short one."),)
    async with harness.store.transaction() as session:
        assert (await session.exec(select(Answer))).all() == []


async def test_answering_again_updates_and_counts_once(harness: Harness) -> None:
    shown = await start_checkin(harness)
    action = answer_button(harness, shown, "bob")
    form_id = (await harness.click(action, "bob"))[0].form.form_id  # type: ignore[union-attr]
    await harness.submit(form_id, {"q1": "a", "q2": "b"}, "bob")
    reopened = (await harness.click(action, "bob"))[0].form  # type: ignore[union-attr]
    assert [f.initial for f in reopened.fields] == ["a", "b"]
    again = await harness.submit(form_id, {"q1": "a2", "q2": "b2"}, "bob")
    assert text_of(again) == "✏️ Updated your answers to standup. Thanks!"
    assert "1/2 answered" in await harness.say("checkin list")


async def test_shared_answers_go_into_the_channel_thread(harness: Harness) -> None:
    shown = await start_checkin(harness, "share:#wins")
    parent = re.search(r"\[copbot → #wins\] \((m\d+)\)", shown)
    assert parent is not None
    action = answer_button(harness, shown, "bob")
    form_id = (await harness.click(action, "bob"))[0].form.form_id  # type: ignore[union-attr]
    await harness.submit(form_id, {"q1": "fixtures", "q2": "none"}, "bob")
    summary = await harness.deliver()
    assert f"[copbot → #wins, thread of {parent.group(1)}]" in summary
    assert "bob answered:\n  *Learned?*\n  fixtures\n  *Blocked?*\n  none" in summary


async def test_a_deleted_checkin_cannot_be_answered(harness: Harness) -> None:
    shown = await start_checkin(harness)
    action = answer_button(harness, shown, "bob")
    form_id = (await harness.click(action, "bob"))[0].form.form_id  # type: ignore[union-attr]
    await harness.say("checkin delete 1")
    assert "no longer exists" in text_of(await harness.click(action, "bob"))
    assert "no longer exists" in text_of(
        await harness.submit(form_id, {"q1": "a", "q2": "b"}, "bob")
    )


async def test_unknown_buttons_and_forms_are_refused_politely(harness: Harness) -> None:
    assert "no longer in use" in text_of(await harness.click("gibberish", "bob"))
    assert "no longer in use" in text_of(await harness.click("vote:poll:1", "bob"))
    assert "no longer in use" in text_of(await harness.submit("x:y:z", {}, "bob"))
    assert "no longer exists" in text_of(await harness.click("answer:occurrence:abc", "bob"))


async def test_only_those_it_was_sent_to_may_answer(harness: Harness) -> None:
    shown = await start_checkin(harness)
    action = answer_button(harness, shown, "bob")
    harness.later(minutes=1)
    refused = text_of(await harness.click(action, "carol"))  # carol turned up after it ran
    assert refused == "⚠️ This check-in was not sent to you, so there is nothing to answer."
    assert "0/2 answered" in await harness.say("checkin list")


async def test_the_shared_thread_header_uses_the_community_timezone(harness: Harness) -> None:
    shown = await start_checkin(harness, "share:#wins")
    assert "📝 *standup* check-in, Tue 01 Dec 10:30 Europe/Berlin:" in shown
    assert "already ran at 10:30 Europe/Berlin" in await harness.say("checkin run 1")
