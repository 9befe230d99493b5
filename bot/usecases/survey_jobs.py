"""The surveys' one-off jobs: a survey made in advance opens, the one reminder a day before it
closes reaches those who have not answered, and it closes with its results sent."""

from __future__ import annotations

from bot import outbox_keys as keys
from bot.jobs import Fired, Firing, JobKind
from bot.timefmt import local_time
from bot.ui import Message
from bot.usecases.survey_make import (
    SURVEY_CLOSE_JOB,
    SURVEY_OPEN_JOB,
    SURVEY_REMIND_JOB,
    answer_button,
    open_survey,
    survey_dm,
)
from bot.usecases.survey_results import close_survey
from storage import surveys
from storage.models import Community, Survey

# However late copbot comes back, a survey still opens and closes; a reminder only in the day.
LATE_GRACE = 365 * 86400
REMINDER_GRACE = 12 * 3600


async def _of(firing: Firing) -> tuple[Survey, Community] | None:
    survey = await firing.session.get(Survey, int(firing.subject))
    if survey is None:
        return None
    community = await firing.session.get(Community, survey.community_id)
    return (survey, community) if community is not None else None


async def open_later(firing: Firing) -> Fired:
    """Send a survey made to open now."""
    found = await _of(firing)
    if found is None:
        return Fired()
    outgoing = await open_survey(firing.session, found[1], found[0], firing.now)
    return Fired(outgoing, len(outgoing))


async def remind(firing: Firing) -> Fired:
    """Remind, once, the members who have not answered an open survey."""
    found = await _of(firing)
    if found is None or found[0].status != "open" or found[0].closes_at is None:
        return Fired()
    survey, community = found
    assert survey.id is not None
    closes = local_time(survey.closes_at, community.timezone)  # type: ignore[arg-type]
    message = Message(
        f"⏰ *{survey.title}* closes {closes} and your answers are not in yet. "
        "It takes a couple of minutes: press Answer.",
        buttons=(answer_button(survey.id),),
    )
    waiting = await surveys.not_answered(session=firing.session, survey_id=survey.id)
    outgoing = [
        survey_dm(survey.id, "remind", keys.SURVEY_REMINDER, i, message) for _, i in waiting
    ]
    return Fired(outgoing, len(outgoing))


async def close_on_date(firing: Firing) -> Fired:
    """Close a survey on its date and send its results to whoever made it."""
    found = await _of(firing)
    if found is None:
        return Fired()
    outgoing = await close_survey(firing.session, found[1], found[0], firing.now)
    return Fired(outgoing, len(outgoing))


JOBS = (
    JobKind(SURVEY_OPEN_JOB, open_later, grace=LATE_GRACE),
    JobKind(SURVEY_REMIND_JOB, remind, grace=REMINDER_GRACE),
    JobKind(SURVEY_CLOSE_JOB, close_on_date, grace=LATE_GRACE),
)
