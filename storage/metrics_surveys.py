"""The report's survey figures: responses in each week (ledger rows of kind ``survey``) and a
row per survey open in the report's weeks, with its response rate and scale means."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import Weeks, ledger, of_community, rows_of
from storage.models import Survey, SurveyAnswer, SurveyResponse
from storage.report_rows import Definition, SurveyReportRow

DEFINITIONS = (
    Definition(
        "survey responses",
        "Members who answered a survey or evaluation in the week (`/cop survey add`); a changed "
        "answer counts once. Anonymous answers count too, never saying who.",
    ),
)

survey = Survey.__table__  # type: ignore[attr-defined]
response = SurveyResponse.__table__  # type: ignore[attr-defined]
answer = SurveyAnswer.__table__  # type: ignore[attr-defined]


async def surveys_by_week(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, dict[str, int]]:
    """Survey responses in each week, by week index."""
    index = weeks.index_of(ledger.c.occurred_at).label("w")
    query = (
        select(index, func.count().label("survey_responses"))
        .where(
            of_community(community_id),
            ledger.c.kind == "survey",
            weeks.within(ledger.c.occurred_at),
        )
        .group_by(index)
    )
    return {int(r.w): {"survey_responses": int(r[1])} for r in await rows_of(session, query)}


async def survey_rows(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> list[SurveyReportRow]:
    """The surveys open at some time in the report's weeks, newest first."""
    in_weeks = and_(
        survey.c.community_id == community_id,
        survey.c.opens_at < weeks.end,
        or_(survey.c.closed_at.is_(None), survey.c.closed_at >= weeks.start),
    )
    ours = select(survey.c.id).where(in_weeks)
    counts = (
        select(response.c.survey_id, func.count().label("responses"))
        .where(response.c.survey_id.in_(ours))
        .group_by(response.c.survey_id)
        .subquery()
    )
    query = (
        select(
            survey.c.id,
            survey.c.title,
            survey.c.anonymous,
            survey.c.sent_count,
            func.coalesce(counts.c.responses, 0),
            survey.c.opens_at,
            survey.c.closes_at,
            survey.c.status,
        )
        .select_from(survey.outerjoin(counts, counts.c.survey_id == survey.c.id))
        .where(in_weeks)
        .order_by(survey.c.opens_at.desc(), survey.c.id.desc())
    )
    found = await rows_of(session, query)
    means = await _scale_means(session, ours)
    return [
        SurveyReportRow(
            title=title,
            anonymous=bool(anonymous),
            sent=int(sent),
            responses=int(responses),
            opens_at=opens,
            closes_at=closes,
            status=status,
            scale_means=" · ".join(f"Q{q} {m:.1f}" for q, m in means.get(ident, [])),
        )
        for ident, title, anonymous, sent, responses, opens, closes, status in found
    ]


async def _scale_means(session: AsyncSession, ours: object) -> dict[int, list[tuple[int, float]]]:
    """Each survey's scale questions with their mean answer, in question order."""
    query = (
        select(answer.c.survey_id, answer.c.question, func.avg(answer.c.number))
        .where(answer.c.survey_id.in_(ours), answer.c.number.is_not(None))
        .group_by(answer.c.survey_id, answer.c.question)
        .order_by(answer.c.survey_id, answer.c.question)
    )
    found: dict[int, list[tuple[int, float]]] = {}
    for ident, question, mean in await rows_of(session, query):
        found.setdefault(int(ident), []).append((int(question), float(mean)))
    return found
