"""Making a survey and opening it: its jobs (open, remind, close) and the DMs that ask its
audience, written in the transaction that opens it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import outbox_keys as keys
from bot.context import Services
from bot.errors import UsageError
from bot.ids import interaction_id
from bot.survey_questions import EVALUATION_QUESTIONS as EVALUATION_QUESTIONS
from bot.survey_questions import MAX_QUESTIONS, Question
from bot.survey_questions import parse_questions as parse_questions
from bot.timefmt import local_time
from bot.ui import Button, Message, Outgoing, Recipient
from bot.usecases.checkin_run import AUDIENCES, pilot_only
from bot.words import plural
from storage import audience, jobs, surveys
from storage.models import Community, Identity, Member, Survey

SURVEY_OPEN_JOB = "survey-open"
SURVEY_REMIND_JOB = "survey-remind"
SURVEY_CLOSE_JOB = "survey-close"
REMIND_BEFORE = timedelta(hours=24)
MAX_TITLE = 100


def survey_dm(survey_id: int, what: str, kind: str, to: Identity, message: Message) -> Outgoing:
    """One survey DM to one person (``ask``, ``remind`` or ``results``), sent once: its key
    names the survey, what it is and the person."""
    return Outgoing(
        Recipient(to.platform, to.workspace, user=to.user_id),
        message,
        keys.survey_key(survey_id, what, to.platform, to.workspace, to.user_id),
        kind=kind,
        subject=str(survey_id),
    )


def answer_button(survey_id: int) -> Button:
    """The button that opens a survey's form."""
    return Button("Answer", interaction_id("answer", "survey", survey_id), "primary")


async def create_survey(
    session: AsyncSession,
    services: Services,
    community: Community,
    *,
    title: str,
    questions: list[Question],
    anonymous: bool,
    audience: str,
    opens_at: datetime,
    closes_at: datetime | None,
    template: str | None,
    created_by: Member | None,
    now: datetime,
) -> Survey:
    """Store a survey and schedule its jobs: it opens at ``opens_at`` (a job, so that a survey
    made in advance is sent then; open it at once with :func:`open_survey`), reminds those
    who have not answered a day before it closes, and closes at ``closes_at``."""
    assert community.id is not None
    title = " ".join(title.split())
    if not 0 < len(title) <= MAX_TITLE:
        raise UsageError(f"Give the survey a title of at most {MAX_TITLE} characters.")
    if not 0 < len(questions) <= MAX_QUESTIONS:
        raise UsageError(f"A survey asks 1 to {MAX_QUESTIONS} questions.")
    if audience not in AUDIENCES:
        raise UsageError(f"The audience is one of {', '.join(AUDIENCES)}.")
    if closes_at is not None and closes_at <= max(now, opens_at):
        raise UsageError("That close date has passed (or comes before it opens): pick a later one.")
    survey = Survey(
        community_id=community.id,
        title=title,
        questions=[q.to_json() for q in questions],
        anonymous=anonymous,
        audience=audience,
        template=template,
        created_by=created_by.id if created_by is not None else None,
        opens_at=opens_at,
        closes_at=closes_at,
        status="scheduled",
        created_at=now,
    )
    session.add(survey)
    await session.flush()
    assert survey.id is not None
    subject = str(survey.id)
    due = max(opens_at, now)
    await _once(session, SURVEY_OPEN_JOB, subject, due, now)
    if closes_at is not None:
        await _once(session, SURVEY_CLOSE_JOB, subject, closes_at, now)
        if closes_at - REMIND_BEFORE > due:
            await _once(session, SURVEY_REMIND_JOB, subject, closes_at - REMIND_BEFORE, now)
    return survey


async def _once(
    session: AsyncSession, kind: str, subject: str, due: datetime, now: datetime
) -> None:
    key = f"{kind}:{subject}"
    await jobs.schedule_once(
        session=session, key=key, kind=kind, subject=subject, due_at=due, now=now
    )


def closes_text(survey: Survey, timezone: str) -> str:
    """When a survey closes, as a sentence (empty when it stays open until closed by hand)."""
    if survey.closes_at is None:
        return ""
    return f" It closes {local_time(survey.closes_at, timezone)}."


async def open_survey(
    session: AsyncSession, community: Community, survey: Survey, now: datetime
) -> list[Outgoing]:
    """Send a scheduled survey to its audience (those away today included: it stays open);
    nothing for one already open or closed."""
    assert community.id is not None and survey.id is not None
    if survey.status != "scheduled":
        return []
    reached = await audience.audience_members(
        session=session,
        community_id=community.id,
        pilot_only=pilot_only(survey.audience, community),
        default_zone=community.timezone,
    )
    await surveys.add_recipients(
        session=session, survey_id=survey.id, member_ids=[m.id for m, _ in reached if m.id]
    )
    survey.status = "open"
    survey.sent_count = len(reached)
    session.add(survey)
    count = plural(len(survey.questions), "question")
    private = (
        # Said here too: a Discord modal full of questions has no room for the form's note.
        " It is anonymous: nobody, not even the facilitators, sees who answered what, so "
        "answers cannot be changed once sent."
        if survey.anonymous
        else ""
    )
    ask = Message(
        f"📋 *{survey.title}*: {count} from {community.name}, a couple of minutes.{private}"
        f"{closes_text(survey, community.timezone)} Press Answer to start.",
        buttons=(answer_button(survey.id),),
    )
    return [survey_dm(survey.id, "ask", keys.SURVEY_ASK, i, ask) for _, i in reached]


async def withdraw_survey(session: AsyncSession, survey: Survey) -> bool:
    """Delete a survey that has not opened yet, with its jobs (the one-year plan's removal);
    False, and nothing changed, for one already sent."""
    if survey.status != "scheduled":
        return False
    for kind in (SURVEY_OPEN_JOB, SURVEY_REMIND_JOB, SURVEY_CLOSE_JOB):
        await jobs.cancel_once(session=session, kind=kind, subject=str(survey.id))
    await session.delete(survey)
    await session.flush()
    return True
