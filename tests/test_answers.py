"""A member answers a check-in: the DM with its button, the form, the thanks, the shared thread."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import col, select

from bot.ui import FormErrors, ShowForm
from storage.models import Answer, LedgerEntry, OutboxRow
from tests.factories import ACTS, Harness, text_of


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
        ledger = (await session.exec(select(LedgerEntry).where(ACTS))).all()
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
    await harness.say("checkin delete 1 confirm:yes")
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


async def answer_in_wins(harness: Harness) -> tuple[str, str]:
    """Run a check-in shared in #wins; return bob's form id and the id of the thread's parent."""
    shown = await start_checkin(harness, "share:#wins")
    parent = re.search(r"\[copbot → #wins\] \((m\d+)\)", shown)
    assert parent is not None
    action = answer_button(harness, shown, "bob")
    form_id = (await harness.click(action, "bob"))[0].form.form_id  # type: ignore[union-attr]
    return form_id, parent.group(1)


async def test_editing_answers_updates_the_shared_message(harness: Harness) -> None:
    form_id, parent = await answer_in_wins(harness)
    await harness.submit(form_id, {"q1": "fixtures", "q2": "none"}, "bob")
    shared = await harness.deliver()
    posted = re.search(rf"\[copbot → #wins, thread of {parent}\] \((m\d+)\)", shared)
    assert posted is not None
    harness.later(minutes=5)
    again = await harness.submit(form_id, {"q1": "fixtures, and marks", "q2": "CI"}, "bob")
    assert text_of(again) == "✏️ Updated your answers to standup. Thanks!"
    edited = await harness.deliver()
    # The same message, shown again with the new text; nothing new is posted in the thread.
    assert f"[copbot → #wins, thread of {parent}] ({posted.group(1)}, edited)" in edited
    assert "*Learned?*\n  fixtures, and marks\n  *Blocked?*\n  CI" in edited
    assert edited.count("[copbot →") == 1
    harness.later(minutes=5)
    await harness.submit(form_id, {"q1": "fixtures", "q2": "none after all"}, "bob")
    assert "none after all" in await harness.deliver()  # a second edit is a row of its own


async def test_an_edit_made_before_the_share_was_sent_ends_with_the_new_text(
    harness: Harness,
) -> None:
    await harness.post("bob")
    await harness.say(
        'checkin add name:standup schedule:"daily 09:00" questions:"Learned?|Blocked?" share:#wins'
    )
    await harness.say("checkin run 1")  # nothing delivered yet: not even the thread's header
    form_id = "answer:occurrence:1"
    await harness.submit(form_id, {"q1": "first", "q2": "draft"}, "bob")
    harness.later(seconds=1)
    await harness.submit(form_id, {"q1": "second", "q2": "draft"}, "bob")
    harness.later(seconds=1)
    await harness.submit(form_id, {"q1": "third", "q2": "final"}, "bob")
    async with harness.store.transaction() as session:
        # The share is held back (as by a slow or rate-limited channel) while its edits are due.
        share = (
            await session.exec(select(OutboxRow).where(OutboxRow.kind == "checkin-answer"))
        ).one()
        share.not_before = harness.clock.now() + timedelta(minutes=1)
        session.add(share)
    held = await harness.deliver()
    assert "bob answered" not in held  # the edits wait for the message they update
    harness.later(minutes=1)
    shown = await harness.deliver()
    harness.later(seconds=2)  # an edit claimed while the share was going out waits a moment
    shown += await harness.deliver()
    shares = re.findall(r"\[copbot → #wins, thread of m\d+\] \((m\d+)(, edited)?\)", shown)
    assert len(shares) == 2 and shares[0][0] == shares[1][0]  # posted once, edited once
    assert shares[1][1] == ", edited"
    posted, edited = shown.split(", edited)")
    assert "first" in posted and "third" not in posted
    assert "third" in edited and "final" in edited
    assert "second" not in held + shown  # that edit was superseded before it could go
    async with harness.store.transaction() as session:
        query = select(OutboxRow).where(col(OutboxRow.edits_key).is_not(None))
        rows = (await session.exec(query)).all()
    assert sorted((r.status, r.last_error) for r in rows) == [
        ("cancelled", "superseded by a later edit"),
        ("sent", None),
    ]


async def test_editing_unshared_answers_posts_nothing(harness: Harness) -> None:
    shown = await start_checkin(harness)
    action = answer_button(harness, shown, "bob")
    form_id = (await harness.click(action, "bob"))[0].form.form_id  # type: ignore[union-attr]
    await harness.submit(form_id, {"q1": "a", "q2": "b"}, "bob")
    await harness.submit(form_id, {"q1": "a2", "q2": "b2"}, "bob")
    assert await harness.deliver() == ""


async def test_an_edit_of_a_share_that_never_went_out_is_dropped(harness: Harness) -> None:
    form_id, _ = await answer_in_wins(harness)
    await harness.submit(form_id, {"q1": "a", "q2": "b"}, "bob")
    async with harness.store.transaction() as session:
        share = (
            await session.exec(select(OutboxRow).where(OutboxRow.kind == "checkin-answer"))
        ).one()
        share.status = "failed"  # the platform refused it for good (the channel was archived)
        session.add(share)
    harness.later(minutes=1)
    await harness.submit(form_id, {"q1": "a2", "q2": "b2"}, "bob")
    assert await harness.deliver() == ""
    async with harness.store.transaction() as session:
        query = select(OutboxRow).where(col(OutboxRow.edits_key).is_not(None))
        edit = (await session.exec(query)).one()
    assert (edit.status, edit.last_error) == ("cancelled", "nothing sent to edit")


async def test_long_shared_answers_are_split_never_cut_and_edits_follow(
    harness: Harness,
) -> None:
    await harness.post("bob")
    await harness.say(
        'checkin add name:retro schedule:"daily 09:00" questions:"One?|Two?|Three?|Four?|Five?" '
        "share:#wins"
    )
    await harness.say("checkin run 1")
    await harness.deliver()
    long = {f"q{n}": f"{n}" + "x" * 998 + f"{n}" for n in range(1, 6)}  # 1,000 characters each
    thanks = await harness.submit("answer:occurrence:1", long, "bob")
    assert "are in" in text_of(thanks)
    shown = await harness.deliver()
    first, second = shown.split("[copbot → #wins, thread of")[1:]
    assert "bob answered (1 of 2):" in first and "bob answered (2 of 2):" in second
    for answer in long.values():  # every answer whole, in one of the two
        assert (answer in first) != (answer in second)
    harness.later(minutes=1)
    await harness.submit("answer:occurrence:1", {f"q{n}": "short" for n in range(1, 6)}, "bob")
    edited = await harness.deliver()
    assert edited.count(", edited)") == 2 and "x" * 10 not in edited
    assert "bob answered:\n  *One?*\n  short" in edited
    assert "(bob edited the answers: they fit in the messages above now.)" in edited


async def test_an_answer_over_a_thousand_characters_is_refused(harness: Harness) -> None:
    shown = await start_checkin(harness)
    action = answer_button(harness, shown, "bob")
    form = (await harness.click(action, "bob"))[0].form  # type: ignore[union-attr]
    assert [f.max_length for f in form.fields] == [1000, 1000]
    refused = await harness.submit(form.form_id, {"q1": "y" * 1001, "q2": "ok"}, "bob")
    assert isinstance(refused[0], FormErrors)
    assert refused[0].errors == (("q1", "Keep it under 1000 characters."),)
    async with harness.store.transaction() as session:
        assert (await session.exec(select(Answer))).all() == []
