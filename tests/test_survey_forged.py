"""Survey forms sent as no real form would be (a value no option has, a page skipped, a page
that does not exist), odd close dates, and what an anonymous response may keep: each gets a
clear message, or nothing that tells who answered, and changes nothing."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlmodel import col, select

from bot.errors import UsageError
from bot.survey_questions import parse_question
from bot.ui import FormErrors, ShowForm
from bot.usecases.survey_results import TEXT_ANSWERS
from storage import member_merge, surveys
from storage.engine import Store
from storage.models import (
    LedgerEntry,
    Member,
    Survey,
    SurveyAnswer,
    SurveyRecipient,
    SurveyResponse,
)
from tests.factories import DEMO_CONFIG, START, Harness, config, text_of
from tests.test_links import ANA_DISCORD, ANA_SLACK, both, post
from tests.test_nudges import harness as harness
from tests.test_surveys import form_of, meet

TWO = 'survey add title:"T" questions:"Pick (choice: a,b,c)|How much? (scale 1-5)"'
ELEVEN = "|".join(f"Q{n}? (scale 1-5)" for n in range(1, 12))


async def nothing_stored(harness: Harness) -> bool:
    async with harness.store.read() as session:
        return (
            not (await session.exec(select(SurveyResponse))).all()
            and not (await session.exec(select(SurveyAnswer))).all()
        )


async def test_a_digit_that_is_no_number_is_refused_as_not_an_option(harness: Harness) -> None:
    await meet(harness, ("bob",))
    await harness.say(TWO)
    form = (await form_of(harness, 1, "bob")).form
    for forged in ("²", "①", "1.0", "-1", "0", "4"):
        shown = await harness.submit(form.form_id, {"q1": forged, "q2": "3"}, "bob")
        errors = next(r for r in shown if isinstance(r, FormErrors))
        assert dict(errors.errors) == {"q1": "Pick one of the options: a, b, c."}, forged
    for forged in ("³", "03", "6", "0"):
        shown = await harness.submit(form.form_id, {"q1": "1", "q2": forged}, "bob")
        errors = next(r for r in shown if isinstance(r, FormErrors))
        assert dict(errors.errors) == {"q2": "Pick a number from 1 to 5."}, forged
    assert await nothing_stored(harness)


async def test_a_page_skipped_or_unknown_is_refused(harness: Harness) -> None:
    await meet(harness, ("bob",))
    await harness.say(f'survey add title:"Long" questions:"{ELEVEN}"')
    first = (await form_of(harness, 1, "bob")).form
    shown = await harness.submit(first.form_id, {f"q{n}": "3" for n in range(1, 6)}, "bob")
    second = next(r for r in shown if isinstance(r, ShowForm)).form
    assert second.form_id.endswith(".2." + second.form_id.rsplit(".", 1)[1])
    # The last page sent with the token of a draft that holds only the first page.
    skipped = second.form_id.replace(".2.", ".3.")
    said = text_of(await harness.submit(skipped, {"q11": "3"}, "bob"))
    assert "out of date" in said and "Press Answer" in said, said
    assert await nothing_stored(harness)
    # A Next button to a page before the first opens the first.
    before = second.form_id.replace(".2.", ".0.")
    opened = next(r for r in await harness.click(before, "bob") if isinstance(r, ShowForm)).form
    assert [f.name for f in opened.fields] == ["q1", "q2", "q3", "q4", "q5"]
    # The pages sent in order still work.
    shown = await harness.submit(second.form_id, {f"q{n}": "2" for n in range(6, 11)}, "bob")
    third = next(r for r in shown if isinstance(r, ShowForm)).form
    assert "are in" in text_of(await harness.submit(third.form_id, {"q11": "5"}, "bob"))


async def test_a_close_date_years_ahead_is_refused(store) -> None:  # type: ignore[no-untyped-def]
    west = [{**DEMO_CONFIG["communities"][0], "timezone": "America/Los_Angeles"}]
    harness = await Harness.start(store, config({**DEMO_CONFIG, "communities": west}))
    try:
        await meet(harness, ("bob",))
        for far in ("9999-12-31", "2030-01-01"):
            said = await harness.say(f'survey add title:"T" questions:"Q? (text)" closes:{far}')
            assert "within a year" in said, said
        async with harness.store.read() as session:
            assert not (await session.exec(select(Survey))).all()
        said = await harness.say('survey add title:"T" questions:"Q? (text)" closes:2027-11-30')
        assert said.startswith("📋 Survey 1"), said
    finally:
        await harness.close()


async def test_anonymous_responses_keep_no_day_that_tells_who_answered(
    harness: Harness,
) -> None:
    await meet(harness, ("bob", "carol"))
    await harness.say('survey add title:"Pulse" anonymous:yes questions:"Q? (scale 1-5)"')
    form = (await form_of(harness, 1, "bob")).form
    assert "are in" in text_of(await harness.submit(form.form_id, {"q1": "1"}, "bob"))
    harness.later(days=3)  # the ledger says carol answered on another day than bob
    form = (await form_of(harness, 1, "carol")).form
    assert "are in" in text_of(await harness.submit(form.form_id, {"q1": "5"}, "carol"))
    async with harness.store.read() as session:
        days = set((await session.exec(select(SurveyResponse.answered_on))).all())
    assert len(days) == 1, days


async def test_two_sends_at_once_store_one_response(harness: Harness) -> None:
    """A double click on Send, or a platform's retry: the second waits for the first (a row
    lock on PostgreSQL; SQLite writes one at a time), then is refused or updates it."""
    await meet(harness, ("bob",))
    await harness.say('survey add title:"Secret" anonymous:yes questions:"Q? (scale 1-5)"')
    await harness.say('survey add title:"Open" questions:"Q? (scale 1-5)"')
    for survey_id in (1, 2):
        forms = [(await form_of(harness, survey_id, "bob")).form for _ in range(2)]
        sent = await asyncio.gather(
            *(harness.submit(f.form_id, {"q1": str(n)}, "bob") for n, f in enumerate(forms, 1))
        )
        said = sorted(text_of(s) for s in sent)
        assert "are in" in said[1] and ("answered *Secret* already" in said[0]) == (
            survey_id == 1
        ), said
    async with harness.store.read() as session:
        responses = (await session.exec(select(SurveyResponse.survey_id))).all()
        acts = (await session.exec(select(LedgerEntry).where(LedgerEntry.kind == "survey"))).all()
    assert sorted(responses) == [1, 2] and len(acts) == 2


def test_a_choice_type_is_read_whole_word() -> None:
    """``(choices: a,b)`` is a choice of a and b, not of "s: a" and b; ``(choicex: a,b)`` is
    no type copbot knows."""
    assert parse_question("Pick (choices: a,b)", 1).options == ("a", "b")
    assert parse_question("Pick (Choice a, b)", 1).options == ("a", "b")
    assert parse_question("Pick (choice:a,b)", 1).options == ("a", "b")
    with pytest.raises(UsageError, match="unknown type"):
        parse_question("Pick (choicex: a,b)", 1)
    with pytest.raises(UsageError, match="2 to 25 different options"):
        parse_question("Pick (choice)", 1)


async def test_an_answer_sent_as_the_survey_closes_is_in_its_results_or_refused(
    harness: Harness,
) -> None:
    await meet(harness, ("bob",))
    await harness.say('survey add title:"Last call" questions:"Q? (scale 1-5)"')
    form = (await form_of(harness, 1, "bob")).form
    closed, answered = await asyncio.gather(
        harness.say("survey close 1"), harness.submit(form.form_id, {"q1": "4"}, "bob")
    )
    assert "Closed survey 1" in closed
    results = await harness.deliver()
    async with harness.store.read() as session:
        stored = len((await session.exec(select(SurveyResponse))).all())
    assert ("are in" in text_of(answered)) == (stored == 1), text_of(answered)
    assert f"{stored} response" in results, (stored, results)


async def test_results_count_every_text_answer_beyond_those_quoted(harness: Harness) -> None:
    await meet(harness, ("bob",))
    await harness.say('survey add title:"Big" questions:"First? (text)|Second? (text)"')
    async with harness.store.transaction() as session:
        for n in range(TEXT_ANSWERS):  # more answers than a message quotes
            response = SurveyResponse(id=f"{n:032d}", survey_id=1, answered_on=date(2026, 12, 1))
            session.add(response)
            await session.flush()
            session.add_all(
                [SurveyAnswer(response_id=response.id, question=q, survey_id=1, text="ok")
                 for q in (1, 2)]
            )  # fmt: skip
    results = await harness.say("survey results 1")
    assert f"1. First?: {TEXT_ANSWERS} answers" in results, results[:300]
    assert f"2. Second?: {TEXT_ANSWERS} answers" in results, results[-300:]


async def test_a_closed_survey_asks_and_reminds_no_more(harness: Harness) -> None:
    await meet(harness, ("bob", "carol"))
    await harness.say('survey add title:"Brief" closes:2026-12-10 questions:"Q? (text)"')
    await harness.say("survey close 1")  # before its DMs went out
    shown = await harness.deliver()
    assert "🔒 Survey 1 is closed." in shown and "Press Answer" not in shown, shown
    await harness.say('survey add title:"Later" closes:2026-12-10 questions:"Q? (text)"')
    await harness.deliver()
    harness.later(days=8, hours=14)  # the reminders are queued, then it is closed
    await harness.run_jobs()
    await harness.say("survey close 2")
    shown = await harness.deliver()
    assert "⏰" not in shown and "🔒 Survey 2 is closed." in shown, shown


async def test_a_button_or_form_of_no_survey_number_says_so(harness: Harness) -> None:
    """Digits that are no number ("²") and numbers past any id (PostgreSQL's integer)."""
    await meet(harness, ("bob",))
    await harness.say('survey add title:"T" questions:"Q? (scale 1-5)"')
    for forged in ("²", "99999999999", "١"):
        said = text_of(await harness.click(f"answer:survey:{forged}", "bob"))
        assert "This survey no longer exists" in said, (forged, said)
        said = text_of(await harness.click(f"page:survey:{forged}.1.abc", "bob"))
        assert "This form is not one copbot knows" in said, (forged, said)
        said = text_of(await harness.submit(f"page:survey:1.{forged}.abc", {"q1": "1"}, "bob"))
        assert "This form is not one copbot knows" in said, (forged, said)
    assert await nothing_stored(harness)


async def test_two_accounts_linked_keep_one_answer_to_a_survey(store: Store) -> None:
    """Ana was sent a survey on each platform and answered on one: once her accounts are one
    member, an anonymous survey takes no second answer and a named one keeps one response."""
    h = await both(store)
    await post(h, ANA_SLACK)
    await post(h, ANA_DISCORD)
    async with store.transaction() as session:
        kept, gone = (await session.exec(select(Member.id).order_by(col(Member.id)))).all()
        assert kept is not None and gone is not None
        for survey_id, anonymous in ((1, True), (2, False)):
            session.add(
                Survey(id=survey_id, community_id=1, title="S", questions=[], status="open",
                       anonymous=anonymous, opens_at=START, created_at=START)
            )  # fmt: skip
            await session.flush()
            await surveys.add_recipients(
                session=session, survey_id=survey_id, member_ids=[kept, gone]
            )
            for member in (gone,) if anonymous else (kept, gone):
                response = SurveyResponse(
                    id=f"{survey_id}{member:031d}",
                    survey_id=survey_id,
                    member_id=None if anonymous else member,
                    answered_on=date(2026, 12, 1),
                )
                session.add(response)
                await session.flush()
                session.add(
                    SurveyAnswer(response_id=response.id, question=1, survey_id=survey_id, number=3)
                )
                await surveys.mark_answered(session=session, survey_id=survey_id, member_id=member)
        await member_merge.merge_into(session=session, kept=kept, gone=gone)
    async with store.read() as session:
        mine = select(SurveyRecipient).where(SurveyRecipient.member_id == kept)
        answered = (await session.exec(mine)).all()
        named = select(SurveyResponse).where(SurveyResponse.survey_id == 2)
        responses = (await session.exec(named)).all()
        numbers = select(SurveyAnswer).where(SurveyAnswer.survey_id == 2)
        answers = (await session.exec(numbers)).all()
    assert sorted((r.survey_id, r.answered) for r in answered) == [(1, True), (2, True)]
    assert [r.member_id for r in responses] == [kept] and len(answers) == 1
    await h.close()
