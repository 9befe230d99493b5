"""``/cop survey``: facilitators ask the community questions (or the quarterly evaluation),
members answer in a form, the results go to whoever asked."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.commands.spec import Args, Command, Option, Role
from bot.context import CommandContext
from bot.errors import UsageError
from bot.safe_text import printable
from bot.survey_questions import EVALUATION_QUESTIONS, EVALUATION_TITLE, parse_questions
from bot.timefmt import local_time
from bot.ui import Effect, Message, Reply, fit_lines
from bot.usecases.checkin_run import AUDIENCES, local_day
from bot.usecases.survey_make import closes_text, create_survey, open_survey
from bot.usecases.survey_results import close_survey, results_message
from bot.words import plural
from storage import surveys
from storage.models import Survey

FACILITATORS = frozenset({Role.FACILITATOR})
LISTED = 20
TEMPLATES = ("evaluation",)
CLOSES_WITHIN = 366  # days
_ID = Option("id", "integer", "the survey's number, from `/cop survey list`", True, True)


def _closes_at(ctx: CommandContext, day: date | None) -> datetime | None:
    """A close date as the last minute of that day in the community's timezone."""
    if day is None:
        return None
    if day < local_day(ctx.community, ctx.now):
        raise UsageError(f"The close date {day} has passed: pick today or a later day.")
    # A year is room enough; a far date (9999-12-31) would not even fit a UTC datetime.
    if day > local_day(ctx.community, ctx.now) + timedelta(days=CLOSES_WITHIN):
        raise UsageError(f"Pick a close date within a year, not {day}.")
    zone = ZoneInfo(ctx.community.timezone)
    return datetime.combine(day, time(23, 59), zone).astimezone(UTC)


async def add_survey(ctx: CommandContext, args: Args) -> list[Effect]:
    """Make a survey (or the quarterly evaluation) and send it to its audience now."""
    template = args.get("template")
    if template == "evaluation":
        questions = list(EVALUATION_QUESTIONS)
        if args.get("questions"):
            raise UsageError("The evaluation template has its own questions: leave out questions.")
    elif args.get("questions"):
        questions = parse_questions(args["questions"])
    else:
        raise UsageError(
            'Give the questions, e.g. questions:"How useful? (scale 1-5)|Why? (text)", '
            "or template:evaluation."
        )
    title = args.get("title") or (EVALUATION_TITLE if template else "")
    if not title:
        raise UsageError('Give the survey a title, e.g. title:"Workshop feedback".')
    survey = await create_survey(
        ctx.session,
        ctx.services,
        ctx.community,
        title=printable(title, multiline=False),
        questions=questions,
        anonymous=bool(args.get("anonymous")),
        audience=args.get("audience") or "members",
        opens_at=ctx.now,
        closes_at=_closes_at(ctx, args.get("closes")),
        template=template,
        created_by=ctx.member,
        now=ctx.now,
    )
    sent = await open_survey(ctx.session, ctx.community, survey, ctx.now)
    if not sent:
        raise UsageError("Nobody is in that audience yet, so the survey was not made.")
    private = " It is anonymous: the results name no one." if survey.anonymous else ""
    text = (
        f"📋 Survey {survey.id}, *{survey.title}*: {plural(len(questions), 'question')}, sent "
        f"to {plural(len(sent), 'member')}.{private}{closes_text(survey, ctx.community.timezone)}"
        f" `/cop survey results {survey.id}` shows the answers so far."
    )
    return [Reply(Message(text)), *sent]


async def list_surveys(ctx: CommandContext, args: Args) -> list[Effect]:
    """The community's surveys, newest first, with their responses."""
    found = await surveys.surveys_of(
        session=ctx.session, community_id=ctx.community_id, limit=LISTED
    )
    if not found:
        return [Reply(Message("No surveys yet. Facilitators start one with `/cop survey add`."))]
    counts = await surveys.response_counts(
        session=ctx.session, survey_ids=[s.id for s in found if s.id is not None]
    )
    lines = [_listed(ctx, s, counts.get(s.id or 0, 0)) for s in found]
    return [Reply(Message(fit_lines(["📋 Surveys:", *lines])))]


def _listed(ctx: CommandContext, survey: Survey, responses: int) -> str:
    zone = ctx.community.timezone
    if survey.status == "scheduled":
        state = f"opens {local_time(survey.opens_at, zone)}"
    elif survey.status == "closed":
        state = "closed"
    elif survey.closes_at is not None:
        state = f"open until {local_time(survey.closes_at, zone)}"
    else:
        state = "open"
    private = ", anonymous" if survey.anonymous else ""
    return (
        f"• {survey.id}. *{survey.title}* ({state}{private}): "
        f"{plural(responses, 'response')} of {survey.sent_count} sent"
    )


async def _survey(ctx: CommandContext, args: Args) -> Survey:
    survey = await surveys.survey_of(
        session=ctx.session, survey_id=args["id"], community_id=ctx.community_id
    )
    if survey is None:
        raise UsageError(f"There is no survey {args['id']}. `/cop survey list` shows them.")
    return survey


async def survey_results(ctx: CommandContext, args: Args) -> list[Effect]:
    """A survey's results so far."""
    survey = await _survey(ctx, args)
    return [Reply(await results_message(ctx.session, survey))]


async def end_survey(ctx: CommandContext, args: Args) -> list[Effect]:
    """Close a survey now; its results go to whoever made it."""
    survey = await _survey(ctx, args)
    if survey.status == "closed":
        return [Reply(Message(f"Survey {survey.id} is closed already. Nothing changed."))]
    told = await close_survey(ctx.session, ctx.community, survey, ctx.now)
    to = " Its results are on their way by DM to whoever made it." if told else ""
    return [Reply(Message(f"🔒 Closed survey {survey.id}, *{survey.title}*.{to}")), *told]


COMMANDS = (
    Command(
        "survey",
        "add",
        "ask members questions (or template:evaluation), answered in a form",
        add_survey,
        (
            Option("title", help='e.g. "Workshop feedback"', max_length=100),
            Option(
                "questions",
                help="up to 20, separated by |, each with (scale 1-5), (choice: a,b) or (text)",
                max_length=6000,
                shown="Q1 (scale 1-5)|Q2 (choice: a,b)|Q3 (text)",
            ),
            Option("anonymous", "yesno", "yes: answers are never linked to who gave them"),
            Option(
                "audience",
                "choice",
                "who is asked (members follows the pilot phase)",
                choices=AUDIENCES,
                default="members",
            ),
            Option("closes", "date", "the last day to answer (YYYY-MM-DD)"),
            Option("template", "choice", "evaluation: the quarterly evaluation", choices=TEMPLATES),
        ),
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
    Command("survey", "list", "the surveys and their responses", list_surveys, writes=False),
    Command(
        "survey",
        "results",
        "a survey's results so far",
        survey_results,
        (_ID,),
        allowed=FACILITATORS,
        writes=False,
    ),
    Command(
        "survey",
        "close",
        "close a survey now; its results go to whoever made it",
        end_survey,
        (_ID,),
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
)
