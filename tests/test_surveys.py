"""Surveys on the console's core: made, sent, answered over pages, changed, refused when bad,
reminded, closed on their date with results to whoever made them."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from bot.survey_questions import EVALUATION_QUESTIONS
from bot.ui import FormErrors, ShowForm
from bot.usecases.survey_make import create_survey, withdraw_survey
from storage.models import Community, LedgerEntry, Member, Survey, SurveyAnswer, SurveyResponse
from tests.factories import Harness, text_of
from tests.test_nudges import harness as harness

ADD = (
    'survey add title:"Workshop feedback" closes:2026-12-10 '
    'questions:"How useful? (scale 1-5)|Pick one (choice: red,green,blue)|Why? (text)"'
)
PEOPLE = ("bob", "carol", "dave")


async def meet(harness: Harness, people: tuple[str, ...] = PEOPLE) -> None:
    for user in people:
        await harness.post(user)


async def form_of(harness: Harness, survey_id: int, user: str) -> ShowForm:
    shown = [
        r
        for r in await harness.click(f"answer:survey:{survey_id}", user)
        if isinstance(r, ShowForm)
    ]
    assert shown, user
    return shown[0]


async def answer(harness: Harness, survey_id: int, user: str, values: dict[str, str]) -> str:
    form = (await form_of(harness, survey_id, user)).form
    return text_of(await harness.submit(form.form_id, values, user))


async def test_a_survey_is_sent_answered_and_counted(harness: Harness) -> None:
    await meet(harness)
    said = await harness.say(ADD)
    assert said.startswith("📋 Survey 1, *Workshop feedback*: 3 questions, sent to 4 members."), (
        said
    )
    shown = await harness.deliver()
    assert shown.count("📋 *Workshop feedback*: 3 questions from demo") == 4
    assert "] Answer" in shown and "closes Thu 10 Dec 23:59 Europe/Berlin" in shown
    form = (await form_of(harness, 1, "bob")).form
    assert [f.kind for f in form.fields] == ["choice", "choice", "paragraph"]
    assert form.fields[0].options[0] == ("1", "1") and form.fields[1].options[2] == ("3", "blue")
    thanks = await answer(harness, 1, "bob", {"q1": "4", "q2": "3", "q3": "Good pace"})
    assert "Your answers to *Workshop feedback* are in." in thanks
    await answer(harness, 1, "carol", {"q1": "2", "q2": "3", "q3": "Too short"})
    # Answering again replaces the answer, and the form opens pre-filled.
    again = (await form_of(harness, 1, "carol")).form
    assert [f.initial for f in again.fields] == ["2", "3", "Too short"]
    assert "Updated your answers" in await answer(
        harness, 1, "carol", {"q1": "5", "q2": "1", "q3": "Fine"}
    )
    results = await harness.say("survey results 1")
    assert "2 responses of 4 sent (50%)" in results, results
    assert "1. How useful? (scale 1-5): 2 answers, mean 4.5, median 4.5; 5: 1 · 4: 1" in results
    assert "2. Pick one: red: 1 · green: 0 · blue: 1" in results
    assert "• Fine" in results and "• Good pace" in results and "Too short" not in results
    async with harness.store.read() as session:
        acts = (await session.exec(select(LedgerEntry).where(LedgerEntry.kind == "survey"))).all()
        answers = (await session.exec(select(SurveyAnswer))).all()
    assert len(acts) == 2  # a changed answer is not counted again
    assert len(answers) == 6
    listed = await harness.say("survey list", user="bob")
    assert "• 1. *Workshop feedback* (open until " in listed and "2 responses of 4 sent" in listed


async def test_bad_input_changes_nothing(harness: Harness) -> None:
    await meet(harness)
    unknown = await harness.say('survey add title:"T" questions:"How? (stars 1-5)"')
    assert "unknown type (stars 1-5)" in unknown
    many = "|".join(f"Q{n}? (text)" for n in range(21))
    assert "at most 20 questions" in await harness.say(f'survey add title:"T" questions:"{many}"')
    past = await harness.say('survey add title:"T" questions:"Q? (text)" closes:2026-11-30')
    assert "has passed" in past
    assert "at most 11 steps" in await harness.say(
        'survey add title:"T" questions:"Q? (scale 5-1)"'
    )
    assert "2 to 25 different options" in await harness.say(
        'survey add title:"T" questions:"Q? (choice: a)"'
    )
    assert "Only facilitators" in await harness.say(ADD, user="bob") or "facilitator" in (
        await harness.say(ADD, user="bob")
    )
    async with harness.store.read() as session:
        assert not (await session.exec(select(Survey))).all()
    await harness.say(ADD)
    out_of_range = await harness.submit(
        (await form_of(harness, 1, "bob")).form.form_id, {"q1": "7", "q2": "9", "q3": ""}, "bob"
    )
    errors = next(r for r in out_of_range if isinstance(r, FormErrors))
    assert dict(errors.errors) == {
        "q1": "Pick a number from 1 to 5.",
        "q2": "Pick one of the options: red, green, blue.",
        "q3": "This one needs an answer, even a short one.",
    }
    await harness.say("survey close 1")
    closed = await harness.click("answer:survey:1", "bob")
    assert "is closed, so it takes no more answers" in text_of(closed)
    nobody = await harness.say('survey add title:"T" questions:"Q? (text)" audience:pilot')
    assert "Nobody is in that audience yet" in nobody
    async with harness.store.read() as session:
        assert not (await session.exec(select(SurveyResponse))).all()
        assert len((await session.exec(select(Survey))).all()) == 1


async def test_many_questions_take_several_pages(harness: Harness) -> None:
    await meet(harness, ("bob",))
    questions = "|".join(f"Q{n}? (scale 0-10)" for n in range(1, 8))
    await harness.say(f'survey add title:"Long one" questions:"{questions}"')
    first = (await form_of(harness, 1, "bob")).form
    assert len(first.fields) == 5 and first.submit_label == "Next" and first.title == "Long one 1/2"
    nxt = await harness.submit(first.form_id, {f"q{n}": str(n) for n in range(1, 6)}, "bob")
    second = next(r for r in nxt if isinstance(r, ShowForm)).form
    assert [f.name for f in second.fields] == ["q6", "q7"] and second.submit_label == "Send"
    done = text_of(await harness.submit(second.form_id, {"q6": "6", "q7": "10"}, "bob"))
    assert "are in" in done
    async with harness.store.read() as session:
        numbers = (
            await session.exec(select(SurveyAnswer.number).order_by(col(SurveyAnswer.question)))
        ).all()
        assert not (await session.exec(select(Survey))).one().anonymous
    assert numbers == [1, 2, 3, 4, 5, 6, 10]


async def test_the_reminder_and_the_close_on_the_date(harness: Harness) -> None:
    await meet(harness)
    await harness.say(ADD)
    await harness.deliver()
    await answer(harness, 1, "bob", {"q1": "3", "q2": "2", "q3": "ok"})
    harness.later(days=8, hours=14)  # 10 Dec, 00:30 Berlin: a day before it closes
    await harness.run_jobs()
    shown = await harness.deliver()
    assert shown.count("⏰ *Workshop feedback* closes ") == 3  # carol, dave, alice; not bob
    assert "[copbot → DM bob]" not in shown
    harness.later(days=1)
    await harness.run_jobs()
    shown = await harness.deliver()
    assert "🔒 Survey 1 is closed. Here are its results." in shown
    assert "1 response of 4 sent (25%)" in shown
    assert "is closed" in text_of(await harness.click("answer:survey:1", "carol"))


async def test_the_quarterly_evaluation_template(harness: Harness) -> None:
    await meet(harness, ("bob",))
    said = await harness.say("survey add template:evaluation anonymous:yes")
    assert said.startswith("📋 Survey 1, *Quarterly evaluation*: 3 questions"), said
    form = (await form_of(harness, 1, "bob")).form
    assert [f.text for f in form.fields] == [q.text for q in EVALUATION_QUESTIONS]
    assert "cannot be changed" in form.note


async def test_a_survey_made_in_advance_opens_on_its_day(harness: Harness) -> None:
    """The one-year plan's way in: create_survey opening later; the open job sends it."""
    await meet(harness, ("bob", "alice"))
    now = harness.clock.now()
    async with harness.store.transaction() as session:
        community = (await session.exec(select(Community))).one()
        alice = (await session.exec(select(Member).where(Member.display_name == "alice"))).one()
        made = await create_survey(
            session,
            harness.services,
            community,
            title="Quarterly evaluation",
            questions=list(EVALUATION_QUESTIONS),
            anonymous=True,
            audience="members",
            opens_at=now + timedelta(days=3),
            closes_at=now + timedelta(days=10),
            template="evaluation",
            created_by=alice,
            now=now,
        )
        assert made.status == "scheduled" and made.id == 1
    listed = await harness.say("survey list")
    assert "(opens Fri 04 Dec 10:30 Europe/Berlin, anonymous): 0 responses of 0 sent" in listed
    assert "is not open yet" in text_of(await harness.click("answer:survey:1", "bob"))
    await harness.run_jobs()
    assert "Quarterly evaluation" not in await harness.deliver()
    harness.later(days=3)
    await harness.run_jobs()
    shown = await harness.deliver()
    assert shown.count("📋 *Quarterly evaluation*: 3 questions from demo") == 2
    assert "It is anonymous" in shown
    assert "are in" in await answer(harness, 1, "bob", {"q1": "5", "q2": "more", "q3": "less"})
    async with harness.store.transaction() as session:
        opened = (await session.exec(select(Survey))).one()
        assert not await withdraw_survey(session, opened)  # sent: it stays


async def test_a_survey_not_opened_yet_can_be_withdrawn(harness: Harness) -> None:
    await meet(harness, ("bob",))
    now = harness.clock.now()
    async with harness.store.transaction() as session:
        community = (await session.exec(select(Community))).one()
        made = await create_survey(
            session,
            harness.services,
            community,
            title="Later",
            questions=list(EVALUATION_QUESTIONS),
            anonymous=False,
            audience="everyone",
            opens_at=now + timedelta(days=1),
            closes_at=None,
            template=None,
            created_by=None,
            now=now,
        )
        assert await withdraw_survey(session, made)
    harness.later(days=2)
    await harness.run_jobs()
    assert "Later" not in await harness.deliver()
    assert "No surveys yet" in await harness.say("survey list")


async def test_during_the_pilot_members_means_the_pilot_cohort(harness: Harness) -> None:
    await meet(harness, ("bob", "carol"))
    await harness.say("phase pilot")
    assert "pilot" in await harness.say("pilot add @bob")
    said = await harness.say('survey add title:"Pilot pulse" questions:"Q? (text)"')
    assert "sent to 1 member." in said, said
    everyone = await harness.say('survey add title:"All" questions:"Q? (text)" audience:everyone')
    assert "sent to 3 members." in everyone, everyone
    assert "was not sent to you" in text_of(await harness.click("answer:survey:1", "carol"))
