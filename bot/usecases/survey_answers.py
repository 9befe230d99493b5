"""Storing a member's answers to a survey: one row per question, under a random response key.

An anonymous response names no member and carries only the day the survey opened; the
member's recipient row says only that they answered, which is what refuses a second answer and
spares them the reminder."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from bot import outbox_keys as keys
from bot.context import CommandContext
from bot.safe_text import printable
from bot.survey_questions import Question
from bot.ui import Effect, Message, Reply
from bot.usecases.checkin_run import local_day
from bot.usecases.participation import record_act
from storage import directory, outbox, surveys
from storage.models import Survey, SurveyAnswer, SurveyResponse

ANONYMOUS_FINAL = (
    "Anonymous: nobody sees who answered what, so your answers cannot be changed once sent."
)


def _row(
    response_id: str, survey_id: int, number: int, question: Question, value: str
) -> SurveyAnswer:
    answer = SurveyAnswer(response_id=response_id, question=number, survey_id=survey_id)
    if question.kind == "scale":
        answer.number = int(value)
    elif question.kind == "choice":
        answer.choice = question.options[int(value) - 1]
    else:
        answer.text = printable(value)
    return answer


async def store_answers(
    ctx: CommandContext, survey: Survey, questions: list[Question], answers: Mapping[str, str]
) -> list[Effect]:
    """Store (or, not anonymous, replace) the member's response; count the act once."""
    assert survey.id is not None
    # Anonymous: the day it opened, for every response. The day answered would match the
    # ledger's dated act of the only member who answered that day.
    day = local_day(ctx.community, survey.opens_at if survey.anonymous else ctx.now)
    asked = await surveys.recipient(
        session=ctx.session, survey_id=survey.id, member_id=ctx.member_id
    )
    first = asked is not None and not asked.answered
    response = None
    if not survey.anonymous:
        response = await surveys.response_of(
            session=ctx.session, survey_id=survey.id, member_id=ctx.member_id
        )
    if response is None:
        response = SurveyResponse(
            id=uuid.uuid4().hex,
            survey_id=survey.id,
            member_id=None if survey.anonymous else ctx.member_id,
            answered_on=day,
        )
    response.answered_on = day
    rows = [
        _row(response.id, survey.id, n, q, answers[f"q{n}"]) for n, q in enumerate(questions, 1)
    ]
    await surveys.replace_answers(session=ctx.session, response=response, answers=rows)
    await surveys.mark_answered(session=ctx.session, survey_id=survey.id, member_id=ctx.member_id)
    if not first:
        return [Reply(Message(f"✏️ Updated your answers to *{survey.title}*. Thanks!"))]
    # A reminder queued for them is withdrawn.
    mine = await directory.identities_of(session=ctx.session, member_ids=[ctx.member_id])
    await outbox.cancel_keys(
        session=ctx.session,
        keys=[
            keys.survey_key(survey.id, "remind", i.platform, i.workspace, i.user_id)
            for i in mine.get(ctx.member_id, [])
        ],
    )
    # Anonymous: the act's key is random, not the response's, and it names no member: its
    # exact time and its order among the rows would otherwise line the answer up with them.
    if survey.anonymous:
        await record_act(ctx, "survey", f"survey:{survey.id}:{uuid.uuid4().hex}", anonymous=True)
    else:
        await record_act(ctx, "survey", f"survey:{response.id}")
    later = (
        " Anonymous answers cannot be changed."
        if survey.anonymous
        else " You can change them until it closes: press Answer again."
    )
    return [
        Reply(
            Message(
                f"🙏 Thanks, {ctx.member.display_name}! "
                f"Your answers to *{survey.title}* are in.{later}"
            )
        )
    ]
