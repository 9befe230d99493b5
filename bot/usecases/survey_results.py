"""A survey's results (counted in SQL), and closing it: the results go to whoever made it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import outbox_keys as keys
from bot.survey_questions import Question
from bot.ui import Message, Outgoing, fit_lines
from bot.usecases.survey_make import SURVEY_OPEN_JOB, SURVEY_REMIND_JOB, survey_dm
from bot.words import plural
from storage import directory, jobs, outbox, surveys
from storage.models import Community, Survey

TEXT_ANSWERS = 200  # text answers quoted in one results message (all are counted)
QUOTE = 300  # characters of one text answer quoted


def median(counts: list[tuple[Any, int]]) -> float | None:
    """The median of a distribution given as (value, count) pairs (at most 11 values)."""
    values = sorted((int(v), n) for v, n in counts)
    total = sum(n for _, n in values)
    if not total:
        return None
    middle: list[int] = []
    seen = 0
    for value, count in values:
        for place in ((total - 1) // 2, total // 2):
            if seen <= place < seen + count:
                middle.append(value)
        seen += count
    return sum(middle) / len(middle)


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


async def results_message(session: AsyncSession, survey: Survey) -> Message:
    """The results: responses, then per question the counts, mean and median of a scale, the
    distribution of a choice, the text answers."""
    assert survey.id is not None
    responses = (await surveys.response_counts(session=session, survey_ids=[survey.id])).get(
        survey.id, 0
    )
    stats = await surveys.scale_stats(session=session, survey_id=survey.id)
    spread = await surveys.distribution(session=session, survey_id=survey.id)
    texts = await surveys.text_answers(session=session, survey_id=survey.id, limit=TEXT_ANSWERS)
    written = await surveys.text_counts(session=session, survey_id=survey.id)
    rate = f" ({responses / survey.sent_count:.0%})" if survey.sent_count else ""
    state = {"open": "open", "closed": "closed", "scheduled": "not sent yet"}[survey.status]
    lines = [
        f"📊 *{survey.title}* (survey {survey.id}, {state}): "
        f"{plural(responses, 'response')} of {survey.sent_count} sent{rate}."
    ]
    for number, raw in enumerate(survey.questions, 1):
        question = Question.from_json(raw)
        counts = spread.get(number, [])
        if question.kind == "scale":
            answered, mean = stats.get(number, (0, 0.0))
            middle = median(counts)
            shown = " · ".join(f"{v}: {n}" for v, n in sorted(counts, key=lambda c: -int(c[0])))
            summary = (
                f"{plural(answered, 'answer')}, mean {_number(mean)}, "
                f"median {_number(middle)}; {shown}"
                if answered and middle is not None
                else "no answers yet"
            )
            lines.append(f"{number}. {question.described()}: {summary}")
        elif question.kind == "choice":
            picked = dict(counts)
            shown = " · ".join(f"{o}: {picked.get(o, 0)}" for o in question.options)
            lines.append(f"{number}. {question.text}: {shown}")
        else:
            quoted = texts.get(number, [])
            lines.append(f"{number}. {question.text}: {plural(written.get(number, 0), 'answer')}")
            lines += [f"   • {' '.join(t.split())[:QUOTE]}" for t in quoted]
    return Message(fit_lines(lines))


async def close_survey(
    session: AsyncSession, community: Community, survey: Survey, now: datetime
) -> list[Outgoing]:
    """Close a survey (no more answers, no reminder), drop its unfinished drafts, withdraw its
    DMs not sent yet and send its results to whoever made it; nothing for one closed already."""
    assert survey.id is not None
    if survey.status == "closed":
        return []
    survey.status = "closed"
    survey.closed_at = now
    session.add(survey)
    subject = str(survey.id)
    # Its close job, if it is the one firing, finds it closed and stops there.
    for kind in (SURVEY_OPEN_JOB, SURVEY_REMIND_JOB):
        await jobs.cancel_once(session=session, kind=kind, subject=subject)
    await surveys.drop_drafts(session=session, survey_id=survey.id)
    # Its DMs not sent yet would ask for answers it no longer takes.
    for kind in (keys.SURVEY_ASK, keys.SURVEY_REMINDER):
        await outbox.cancel_pending(session=session, kind=kind, subject=subject)
    if survey.created_by is None:
        return []
    found = await directory.identities_of(session=session, member_ids=[survey.created_by])
    mine = found.get(survey.created_by, [])
    if not mine:
        return []
    results = await results_message(session, survey)
    head = f"🔒 Survey {survey.id} is closed. Here are its results."
    told = Message(fit_lines([head, *results.text.splitlines()]))
    return [survey_dm(survey.id, "results", keys.SURVEY_RESULTS, mine[0], told)]
