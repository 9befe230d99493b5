"""Answering a check-in: the Answer button opens a form with its questions; submitting stores it."""

from __future__ import annotations

from collections.abc import Mapping

from bot.context import CommandContext
from bot.errors import UsageError
from bot.ids import InteractionId, interaction_id
from bot.ui import Effect, Field, Form, FormErrors, Message, Reply, ShowForm, short_label
from bot.usecases.answer_share import shared_answers
from bot.usecases.checkin_run import in_audience, reminder_key
from bot.usecases.participation import record_act
from storage import checkins, directory, outbox
from storage.models import Answer, CheckIn, Occurrence

# Answers this long may need more than one shared message: they are split, never cut.
ANSWER_LENGTH = 1000


async def _load(ctx: CommandContext, target: InteractionId) -> tuple[Occurrence, CheckIn]:
    found = None
    if target.id.isdigit():
        found = await checkins.occurrence_with_checkin(
            session=ctx.session, occurrence_id=int(target.id)
        )
    if found is None or found[1].status == "deleted" or found[1].community_id != ctx.community_id:
        raise UsageError(
            "This check-in no longer exists, so there is nothing to answer. Thanks anyway!"
        )
    occurrence, checkin = found
    # Only those it was sent to may answer: its audience when it ran (answered/sent stays true).
    asked = in_audience(ctx.member, checkin.audience, ctx.community)
    if not asked or ctx.member.first_seen > occurrence.created_at:
        raise UsageError("This check-in was not sent to you, so there is nothing to answer.")
    return found


def _form(occurrence: Occurrence, checkin: CheckIn, previous: list[str]) -> Form:
    assert occurrence.id is not None
    fields = tuple(
        Field(
            name=f"q{number}",
            label=short_label(question),
            description=question if short_label(question) != question else "",
            # A refused answer longer than the limit comes back cut to it, for the person to trim.
            initial=(previous[number - 1] if number <= len(previous) else "")[:ANSWER_LENGTH],
            max_length=ANSWER_LENGTH,
        )
        for number, question in enumerate(checkin.questions, 1)
    )
    return Form(interaction_id("answer", "occurrence", occurrence.id), checkin.name, fields, "Send")


async def open_answer_form(ctx: CommandContext, target: InteractionId) -> list[Effect]:
    """Open the form of a check-in, with the member's earlier answers if they gave some."""
    occurrence, checkin = await _load(ctx, target)
    assert occurrence.id is not None
    earlier = await checkins.answer_of(
        session=ctx.session, occurrence_id=occurrence.id, member_id=ctx.member_id
    )
    return [ShowForm(_form(occurrence, checkin, earlier.answers if earlier else []))]


async def submit_answers(
    ctx: CommandContext, target: InteractionId, values: Mapping[str, str]
) -> list[Effect]:
    """Store a member's answers (or update them), count the act once, share them if asked."""
    occurrence, checkin = await _load(ctx, target)
    assert occurrence.id is not None
    answers = [(values.get(f"q{n}") or "").strip() for n in range(1, len(checkin.questions) + 1)]
    problems = tuple(
        (f"q{n}", "This one needs an answer, even a short one.")
        for n, answer in enumerate(answers, 1)
        if not answer
    ) + tuple(
        (f"q{n}", f"Keep it under {ANSWER_LENGTH} characters.")
        for n, answer in enumerate(answers, 1)
        if len(answer) > ANSWER_LENGTH
    )
    if problems:
        return [FormErrors(_form(occurrence, checkin, answers), problems)]
    earlier = await checkins.answer_of(
        session=ctx.session, occurrence_id=occurrence.id, member_id=ctx.member_id
    )
    if earlier is not None:
        earlier.answers = answers
        earlier.submitted_at = ctx.now
        ctx.session.add(earlier)
        reply: list[Effect] = [Reply(Message(f"✏️ Updated your answers to {checkin.name}. Thanks!"))]
        # The answers shared already are updated where they were posted, not left as they were.
        return reply + await _shared(ctx, checkin, occurrence, answers)
    answer = Answer(
        occurrence_id=occurrence.id,
        member_id=ctx.member_id,
        answers=answers,
        submitted_at=ctx.now,
    )
    ctx.session.add(answer)
    await ctx.session.flush()
    # They answered: the reminder waiting for them is withdrawn.
    mine = await directory.identities_of(session=ctx.session, member_ids=[ctx.member_id])
    await outbox.cancel_keys(
        session=ctx.session,
        keys=[reminder_key(occurrence.key, i) for i in mine.get(ctx.member_id, [])],
    )
    # The answer's own id: unique, and no member id left behind after an opt-out.
    await record_act(ctx, "checkin_answer", f"answer:{answer.id}")
    effects: list[Effect] = [
        Reply(
            Message(f"🙏 Thanks, {ctx.member.display_name}! Your answers to {checkin.name} are in.")
        )
    ]
    return effects + await _shared(ctx, checkin, occurrence, answers)


async def _shared(
    ctx: CommandContext, checkin: CheckIn, occurrence: Occurrence, answers: list[str]
) -> list[Effect]:
    """The answers posted (or, edited, updated) in the occurrence's thread, if shared."""
    name = ctx.member.display_name
    return list(
        await shared_answers(
            ctx.session, checkin, occurrence, ctx.member_id, name, answers, ctx.now
        )
    )
