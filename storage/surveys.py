"""Queries about surveys: who they were sent to, who answered, the answers counted in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.audience import members_reached
from storage.models import (
    Identity,
    Member,
    Survey,
    SurveyAnswer,
    SurveyDraft,
    SurveyRecipient,
    SurveyResponse,
)


async def survey_of(
    *, session: AsyncSession, survey_id: int, community_id: int, share: bool = False
) -> Survey | None:
    """A community's survey by id; ``share``: not closed by another transaction until this one
    ends (PostgreSQL; SQLite holds its write lock already), so that an answer taken is in the
    results sent as it closes."""
    if share:
        query = select(Survey).where(Survey.id == survey_id).with_for_update(read=True)
        survey = (await session.exec(query.execution_options(populate_existing=True))).first()
        return survey if survey is not None and survey.community_id == community_id else None
    survey = await session.get(Survey, survey_id)
    return survey if survey is not None and survey.community_id == community_id else None


async def surveys_of(*, session: AsyncSession, community_id: int, limit: int) -> Sequence[Survey]:
    """A community's surveys, newest first."""
    query = (
        select(Survey)
        .where(Survey.community_id == community_id)
        .order_by(col(Survey.id).desc())
        .limit(limit)
    )
    return (await session.exec(query)).all()


async def response_counts(*, session: AsyncSession, survey_ids: Sequence[int]) -> dict[int, int]:
    """How many responses each survey has."""
    query = (
        select(SurveyResponse.survey_id, func.count())
        .where(col(SurveyResponse.survey_id).in_(survey_ids))
        .group_by(col(SurveyResponse.survey_id))
    )
    return {int(s): int(n) for s, n in (await session.exec(query)).all()}


async def add_recipients(
    *, session: AsyncSession, survey_id: int, member_ids: Sequence[int]
) -> None:
    """Record whom a survey was sent to (none of them has answered yet)."""
    session.add_all(
        [SurveyRecipient(survey_id=survey_id, member_id=m, answered=False) for m in member_ids]
    )
    await session.flush()


async def recipient(
    *, session: AsyncSession, survey_id: int, member_id: int, lock: bool = False
) -> SurveyRecipient | None:
    """A member's recipient row of a survey (None: it was not sent to them); ``lock``: held
    until the transaction ends (PostgreSQL; SQLite holds its write lock already), so that two
    answers sent at once are taken one after the other."""
    if not lock:
        return await session.get(SurveyRecipient, (survey_id, member_id))
    query = (
        select(SurveyRecipient)
        .where(SurveyRecipient.survey_id == survey_id, SurveyRecipient.member_id == member_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.exec(query)).first()


async def mark_answered(*, session: AsyncSession, survey_id: int, member_id: int) -> None:
    """Record that a member answered (only that)."""
    await session.exec(
        update(SurveyRecipient)
        .where(
            col(SurveyRecipient.survey_id) == survey_id,
            col(SurveyRecipient.member_id) == member_id,
        )
        .values(answered=True)
    )


async def not_answered(
    *, session: AsyncSession, survey_id: int
) -> Sequence[tuple[Member, Identity]]:
    """The recipients who have not answered, each with the identity to reach them at."""
    query = (
        members_reached()
        .join(SurveyRecipient, col(SurveyRecipient.member_id) == col(Member.id))
        .where(col(SurveyRecipient.survey_id) == survey_id, ~col(SurveyRecipient.answered))
        .order_by(col(Member.id))
    )
    return (await session.exec(query)).all()


async def response_of(
    *, session: AsyncSession, survey_id: int, member_id: int
) -> SurveyResponse | None:
    """A member's response to a survey that is not anonymous."""
    query = select(SurveyResponse).where(
        SurveyResponse.survey_id == survey_id, SurveyResponse.member_id == member_id
    )
    return (await session.exec(query)).first()


async def answers_of(*, session: AsyncSession, response_id: str) -> Sequence[SurveyAnswer]:
    """The answers of one response, by question."""
    query = (
        select(SurveyAnswer)
        .where(SurveyAnswer.response_id == response_id)
        .order_by(col(SurveyAnswer.question))
    )
    return (await session.exec(query)).all()


async def replace_answers(
    *, session: AsyncSession, response: SurveyResponse, answers: Sequence[SurveyAnswer]
) -> None:
    """Store a response with these answers, in place of any it had."""
    session.add(response)
    await session.flush()
    await session.exec(delete(SurveyAnswer).where(col(SurveyAnswer.response_id) == response.id))
    session.add_all(list(answers))
    await session.flush()


async def draft_of(*, session: AsyncSession, token: str) -> SurveyDraft | None:
    """The answers of a form's earlier pages, by the form's token."""
    return await session.get(SurveyDraft, token)


async def save_draft(
    *, session: AsyncSession, token: str, survey_id: int, answers: dict[str, str], day: date
) -> None:
    """Keep the answers of a form's earlier pages until its last one is sent."""
    draft = await session.get(SurveyDraft, token)
    if draft is None:
        draft = SurveyDraft(token=token, survey_id=survey_id, answers=answers, started_on=day)
    else:
        draft.answers = answers
    session.add(draft)
    await session.flush()


async def drop_drafts(*, session: AsyncSession, survey_id: int, token: str | None = None) -> None:
    """Delete one draft (its last page was sent), or all of a survey's (it closed)."""
    query = delete(SurveyDraft).where(col(SurveyDraft.survey_id) == survey_id)
    if token is not None:
        query = query.where(col(SurveyDraft.token) == token)
    await session.exec(query)


async def scale_stats(*, session: AsyncSession, survey_id: int) -> dict[int, tuple[int, float]]:
    """Each scale question's answer count and mean."""
    query = (
        select(SurveyAnswer.question, func.count(), func.avg(SurveyAnswer.number))
        .where(SurveyAnswer.survey_id == survey_id, col(SurveyAnswer.number).is_not(None))
        .group_by(col(SurveyAnswer.question))
    )
    return {int(q): (int(n), float(m)) for q, n, m in (await session.exec(query)).all()}


async def distribution(
    *, session: AsyncSession, survey_id: int
) -> dict[int, list[tuple[Any, int]]]:
    """Each scale and choice question's answers counted by value, most picked first."""
    query = (
        select(SurveyAnswer.question, SurveyAnswer.number, SurveyAnswer.choice, func.count())
        .where(SurveyAnswer.survey_id == survey_id, col(SurveyAnswer.text).is_(None))
        .group_by(col(SurveyAnswer.question), col(SurveyAnswer.number), col(SurveyAnswer.choice))
        .order_by(
            col(SurveyAnswer.question),
            func.count().desc(),
            col(SurveyAnswer.number),
            col(SurveyAnswer.choice),
        )
    )
    found: dict[int, list[tuple[Any, int]]] = {}
    for question, number, choice, count in (await session.exec(query)).all():
        found.setdefault(int(question), []).append((number if choice is None else choice, count))
    return found


async def text_answers(
    *, session: AsyncSession, survey_id: int, limit: int
) -> dict[int, list[str]]:
    """Each text question's answers, in the order of the responses' random keys (so that the
    order says nothing about who answered when)."""
    query = (
        select(SurveyAnswer.question, SurveyAnswer.text)
        .where(SurveyAnswer.survey_id == survey_id, col(SurveyAnswer.text).is_not(None))
        .order_by(col(SurveyAnswer.question), col(SurveyAnswer.response_id))
        .limit(limit)
    )
    found: dict[int, list[str]] = {}
    for question, text in (await session.exec(query)).all():
        found.setdefault(int(question), []).append(str(text))
    return found


async def text_counts(*, session: AsyncSession, survey_id: int) -> dict[int, int]:
    """How many text answers each text question has (more than a message quotes)."""
    query = (
        select(SurveyAnswer.question, func.count())
        .where(SurveyAnswer.survey_id == survey_id, col(SurveyAnswer.text).is_not(None))
        .group_by(col(SurveyAnswer.question))
    )
    return {int(q): int(n) for q, n in (await session.exec(query)).all()}


async def fold_member(*, session: AsyncSession, kept: int, gone: int) -> None:
    """Before member ``gone`` becomes ``kept`` (linked accounts): a survey either answered is
    answered by ``kept`` (an anonymous one then takes no second answer), and where both gave a
    named response the kept member's stays, as for the merge's other unique rows."""
    answered = select(SurveyRecipient.survey_id).where(
        SurveyRecipient.member_id == gone, col(SurveyRecipient.answered)
    )
    await session.exec(
        update(SurveyRecipient)
        .where(col(SurveyRecipient.member_id) == kept, col(SurveyRecipient.survey_id).in_(answered))
        .values(answered=True)
    )
    theirs = select(SurveyResponse.survey_id).where(SurveyResponse.member_id == kept)
    twins = select(SurveyResponse.id).where(
        SurveyResponse.member_id == gone, col(SurveyResponse.survey_id).in_(theirs)
    )
    await session.exec(delete(SurveyAnswer).where(col(SurveyAnswer.response_id).in_(twins)))
    await session.exec(delete(SurveyResponse).where(col(SurveyResponse.id).in_(twins)))
