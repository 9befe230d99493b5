"""The plan's quarterly evaluations: four anonymous surveys made in advance, each sent when its
quarter begins, open two weeks; withdrawn by `plan remove` until they go out."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.survey_questions import EVALUATION_QUESTIONS, EVALUATION_TITLE
from bot.usecases.survey_make import SURVEY_OPEN_JOB
from storage.models import ScheduledJob, Survey
from tests.factories import Harness

BERLIN = ZoneInfo("Europe/Berlin")
APPLY = "plan apply one-year start:2027-01 channel:#general"


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


async def evaluations(harness: Harness) -> list[Survey]:
    async with harness.store.read() as session:
        return list((await session.exec(select(Survey).order_by(col(Survey.id)))).all())


async def test_the_plan_makes_four_evaluations_that_open_each_quarter(harness: Harness) -> None:
    await harness.post("bob")
    said = await harness.say(APPLY)
    assert f"4 anonymous *{EVALUATION_TITLE}* surveys (#1, #2, #3, #4)" in said
    made = await evaluations(harness)
    assert [(s.opens_at, s.closes_at) for s in made] == [
        (berlin(2027, month, 1), berlin(2027, month, 14, 23, 59)) for month in (1, 4, 7, 10)
    ]
    assert all(s.anonymous and s.status == "scheduled" and s.template == "evaluation" for s in made)
    assert [q["text"] for q in made[0].questions] == [q.text for q in EVALUATION_QUESTIONS]
    shown = await harness.say("plan show")
    assert "Quarterly evaluation survey (open 1–14 Jul)" in shown
    # Nothing goes out before the quarter begins; then the members are asked.
    harness.clock.set(berlin(2026, 12, 31, 23, 0))
    await harness.run_jobs()
    assert "Quarterly evaluation" not in await harness.deliver()
    harness.clock.set(berlin(2027, 1, 1, 0, 1))
    await harness.run_jobs()
    assert f"📋 *{EVALUATION_TITLE}*" in await harness.deliver()
    assert [s.status for s in await evaluations(harness)] == ["open"] + ["scheduled"] * 3


async def test_remove_withdraws_the_evaluations_not_yet_sent(harness: Harness) -> None:
    await harness.say(APPLY)
    harness.clock.set(berlin(2027, 1, 2, 9, 0))
    await harness.run_jobs()  # the first opens
    assert "It closes Thu 14 Jan 23:59" in await harness.deliver()
    said = await harness.say("plan remove confirm:yes")
    assert "3 evaluation surveys (#2, #3, #4)" in said
    assert "1 evaluation survey (#1)" in said.split("Kept")[1]
    assert [s.id for s in await evaluations(harness)] == [1]
    async with harness.store.read() as session:
        opening = select(ScheduledJob).where(
            col(ScheduledJob.kind) == SURVEY_OPEN_JOB, col(ScheduledJob.status) == "pending"
        )
        assert (await session.exec(opening)).all() == []
    harness.clock.set(berlin(2027, 4, 1, 9, 0) + timedelta(days=1))
    await harness.run_jobs()
    shown = await harness.deliver()
    assert "(survey 1, closed): 0 responses of 1 sent" in shown  # the first closed, as planned
    assert f"📋 *{EVALUATION_TITLE}*:" not in shown  # and the second never went out
