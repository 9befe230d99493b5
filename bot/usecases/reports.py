"""``/cop report`` and ``/cop stats``: the weekly report now or every week, and its key figures
in chat, for leads and facilitators."""

from __future__ import annotations

from datetime import timedelta

from bot.commands.spec import Args, Command, Option, Role
from bot.context import CommandContext
from bot.errors import UsageError
from bot.ui import Effect, Message, Reply
from bot.usecases.report_build import last_week
from bot.usecases.report_jobs import ASKED_REPORT, asked_subject
from bot.words import plural
from storage import jobs, report_readers
from storage.report_data import week_figures
from storage.report_rows import WeekFigures
from storage.report_week import ReportWeek

READERS = frozenset({Role.FACILITATOR, Role.LEAD})
_WEEK = Option("week", help="an ISO week such as 2026-W48", max_length=10, shown="YYYY-Www")


def _week(ctx: CommandContext, given: str | None, default: ReportWeek) -> ReportWeek:
    """The week a command names, which must have begun; ``default`` when none is named."""
    if not given:
        return default
    try:
        week = ReportWeek.parse(given)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if week.start(ctx.community.timezone) > ctx.now:
        raise UsageError(f"{week} has not begun yet; pick a week up to this one.")
    return week


async def report(ctx: CommandContext, args: Args) -> list[Effect]:
    """Send the report of a week now (by DM), or subscribe to (or stop) the weekly one."""
    action: str | None = args.get("action")
    if action is not None:
        if args.get("week"):
            raise UsageError(f"`/cop report {action}` is about every week; it takes no week.")
        return await _choose(ctx, wants=action == "subscribe")
    week = _week(ctx, args.get("week"), last_week(ctx.now, ctx.community.timezone))
    actor = ctx.actor
    identity = await report_readers.identity_of(
        session=ctx.session, platform=actor.platform, workspace=actor.workspace, user_id=actor.user
    )
    assert identity is not None and identity.id is not None  # the core met them first
    subject = asked_subject(ctx.community_id, week, identity.id)
    await jobs.schedule_once(
        session=ctx.session,
        key=f"{ASKED_REPORT}:{subject}:{ctx.now:%Y-%m-%dT%H:%M}",
        kind=ASKED_REPORT,
        subject=subject,
        due_at=ctx.now,
        now=ctx.now,
    )
    return [
        Reply(
            Message(
                f"📊 Making the report of {ctx.community.name} for {week}; it comes to you in a "
                "DM in a moment, as a spreadsheet with a chart."
            )
        )
    ]


async def _choose(ctx: CommandContext, *, wants: bool) -> list[Effect]:
    before = await report_readers.choice_of(
        session=ctx.session, community_id=ctx.community_id, member_id=ctx.member_id
    )
    await report_readers.choose(
        session=ctx.session,
        community_id=ctx.community_id,
        member_id=ctx.member_id,
        wants=wants,
        now=ctx.now,
    )
    when = ctx.services.calendar.describe(
        ctx.services.config.reports.weekly, ctx.community.timezone
    )
    if wants:
        already = before is True or (before is None and Role.LEAD in ctx.roles)
        first = "You already receive" if already else "✅ You will receive"
        return [Reply(Message(f"{first} the weekly report of {ctx.community.name}, {when}."))]
    if before is False or (before is None and Role.LEAD not in ctx.roles):
        return [Reply(Message("You do not receive the weekly report. Nothing changed."))]
    return [
        Reply(
            Message(
                f"✅ No more weekly reports of {ctx.community.name} for you. "
                "`/cop report subscribe` brings them back; `/cop report` sends one now."
            )
        )
    ]


async def stats(ctx: CommandContext, args: Args) -> list[Effect]:
    """The key figures of a week (this one so far, by default) beside the week before."""
    this_week = ReportWeek.containing(ctx.now, ctx.community.timezone)
    week = _week(ctx, args.get("week"), this_week)
    figures, before = await week_figures(
        session=ctx.session, community_id=ctx.community_id, week=week
    )
    so_far = " (so far)" if week == this_week else ""
    text = f"📈 {ctx.community.name}, {week}{so_far}, against the week before:"
    return [Reply(Message(text, fields=_fields(figures, before)))]


def _fields(now: WeekFigures, before: WeekFigures) -> tuple[tuple[str, str], ...]:
    def change(a: int, b: int) -> str:
        return f"{a:,} ({a - b:+,})" if a != b else f"{a:,} (=)"

    rate = now.response_rate
    earlier = before.response_rate
    rates = "no check-in sent" if rate is None else f"{rate:.0%}"
    if rate is not None and earlier is not None:
        rates += f" ({(rate - earlier) * 100:+.0f} points)"
    minutes = now.median_first_reply_minutes
    waited = "no replies yet" if minutes is None else _duration(minutes)
    return (
        ("Active members", change(now.active, before.active)),
        ("New / churned", f"{plural(now.new, 'new member')}, {now.churned:,} churned"),
        ("Messages and replies", change(now.contributions, before.contributions)),
        ("Reactions", change(now.reactions, before.reactions)),
        ("Check-in response rate", rates),
        ("Median wait for a first reply", waited),
    )


def _duration(minutes: float) -> str:
    if minutes < 90:
        return plural(round(minutes), "minute")
    hours = timedelta(minutes=minutes).total_seconds() / 3600
    return f"{hours:.1f} hours"


COMMANDS = (
    Command(
        "report",
        None,
        "the weekly report now, in a DM; or subscribe / unsubscribe to it every week",
        report,
        (
            Option(
                "action",
                "choice",
                "subscribe: every week; unsubscribe: no more",
                positional=True,
                choices=("subscribe", "unsubscribe"),
            ),
            _WEEK,
        ),
        allowed=READERS,
        changes_schedules=True,
    ),
    Command(
        "stats",
        None,
        "a week's key figures, here in chat",
        stats,
        (_WEEK,),
        allowed=READERS,
        writes=False,
    ),
)
