"""The plan's quarterly evaluation: four anonymous evaluation surveys made in advance, each
opening on the first day of a quarter of the plan's year and open for two weeks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.context import CommandContext
from bot.plan_year import PlanYear, evaluation_times
from bot.survey_questions import EVALUATION_QUESTIONS, EVALUATION_TITLE
from bot.ui import Effect
from bot.usecases.plan_parts import Made, Where, fingerprint
from bot.usecases.survey_make import create_survey, withdraw_survey
from storage import surveys
from storage.models import Survey

EVALUATION = "evaluation"


def _survey_print(survey: Survey) -> str:
    # Sent is a change too: a survey that went out keeps its answers, so it stays.
    return fingerprint(
        {
            "survey": [survey.title, survey.questions, survey.anonymous, survey.audience],
            "when": [survey.opens_at, survey.closes_at],
            "status": survey.status,
        }
    )


def window_text(survey: Survey, timezone: str) -> str:
    """``Quarterly evaluation survey (open 1–14 Jan)``, or closed, from the survey as it is."""
    zone = ZoneInfo(timezone)
    opens = survey.opens_at.astimezone(zone).date()
    if survey.status == "closed":
        return f"{survey.title} survey (closed)"
    if survey.closes_at is None:
        return f"{survey.title} survey (opens {opens.day} {opens:%b})"
    # It closes on its last day (or at the midnight after it).
    last = (survey.closes_at.astimezone(zone) - timedelta(microseconds=1)).date()
    start = f"{opens.day}" if opens.month == last.month else f"{opens.day} {opens:%b}"
    return f"{survey.title} survey (open {start}–{last.day} {last:%b})"


class SurveyPart:
    """A quarterly evaluation survey (anonymous, to the members) in each quarter's first month."""

    kind = "survey"
    noun = ("evaluation survey", "evaluation surveys")
    numbered = True

    async def refuse(self, ctx: CommandContext, year: PlanYear) -> str | None:
        """Surveys never clash: a community may run any number."""
        return None

    async def make(self, ctx: CommandContext, year: PlanYear, where: Where) -> Made:
        """The four evaluations, each sent by its own job when it opens."""
        made = Made()
        for _index, opens_at, midnight in evaluation_times(year):
            # 23:59 on its last day, as a survey added with `closes:` does.
            closes_at = midnight - timedelta(minutes=1)
            survey = await create_survey(
                ctx.session,
                ctx.services,
                ctx.community,
                title=EVALUATION_TITLE,
                questions=list(EVALUATION_QUESTIONS),
                anonymous=True,
                audience="members",
                opens_at=opens_at,
                closes_at=closes_at,
                template=EVALUATION,
                created_by=ctx.member,
                now=ctx.now,
            )
            assert survey.id is not None
            made.items.append((survey.id, _survey_print(survey)))
        ids = ", ".join(f"#{i}" for i, _ in made.items)
        made.line = (
            f"📋 {len(made.items)} anonymous *{EVALUATION_TITLE}* surveys ({ids}), one opening "
            "on the first day of each quarter for two weeks; the results come to you."
        )
        return made

    async def months(
        self, ctx: CommandContext, year: PlanYear, item_ids: Sequence[int]
    ) -> dict[int, str]:
        """Each evaluation still there, in the month it opens."""
        shown: dict[int, str] = {}
        for item_id in item_ids:
            survey = await self._survey(ctx, item_id)
            index = year.month_of(survey.opens_at) if survey is not None else None
            if survey is not None and index is not None:
                shown[index] = window_text(survey, ctx.community.timezone)
        return shown

    async def current(self, ctx: CommandContext, item_id: int) -> str | None:
        """The survey as it is now (sent or closed counts as changed: it keeps its answers)."""
        survey = await self._survey(ctx, item_id)
        return _survey_print(survey) if survey is not None else None

    async def remove(self, ctx: CommandContext, item_id: int) -> list[Effect]:
        """Withdraw it before it opens, with its jobs."""
        survey = await self._survey(ctx, item_id)
        if survey is not None:
            await withdraw_survey(ctx.session, survey)
        return []

    async def _survey(self, ctx: CommandContext, item_id: int) -> Survey | None:
        return await surveys.survey_of(
            session=ctx.session, survey_id=item_id, community_id=ctx.community_id
        )
