"""``/cop nudge``: invite quiet members back, gently: preview who, send, make it regular, and
let anyone say no for themselves."""

from __future__ import annotations

from bot.commands.spec import Args, Command, Option, Role
from bot.context import CommandContext
from bot.timefmt import local_time
from bot.ui import Effect, Message, Reply, fit_lines
from bot.usecases.nudge_jobs import nudge_quiet, quiet_members
from bot.usecases.rhythm import set_rhythm, stop_rhythm
from bot.words import plural
from storage import nudges
from storage.models import NudgeSchedule
from storage.nudges import QuietMember

FACILITATORS = frozenset({Role.FACILITATOR})
NAMED = 20  # members named in the reply to a send


def _left_out(counts: dict[str, int]) -> str:
    if not counts:
        return ""
    reasons = ", ".join(f"{n} {why}" for why, n in sorted(counts.items()))
    return f" Left out: {plural(sum(counts.values()), 'quiet member')} ({reasons})."


def _quiet_line(ctx: CommandContext, quiet: QuietMember) -> str:
    if quiet.last_active is None:
        since = quiet.member.first_seen.strftime("%Y-%m-%d")
        return f"• {quiet.member.display_name}: never took part (here since {since})"
    last = local_time(quiet.last_active, ctx.community.timezone)
    return f"• {quiet.member.display_name}: last took part {last}"


async def preview_nudges(ctx: CommandContext, args: Args) -> list[Effect]:
    """Who a nudge would reach now, with when each last took part."""
    found, left_out = await quiet_members(ctx.session, ctx.services, ctx.community, ctx.now)
    weeks = ctx.services.config.nudges.weeks
    if not found:
        text = f"Nobody to nudge: every member took part in the last {plural(weeks, 'week')}"
        text += ", or is away, said `nudge off`, or was nudged in the last 4 weeks."
        return [Reply(Message(text + _left_out(left_out)))]
    lines = [
        f"{plural(len(found), 'member')} quiet for {plural(weeks, 'week')} would be nudged "
        "by `/cop nudge send`:",
        *(_quiet_line(ctx, q) for q in found),
    ]
    # The reasons stay under the list even when a long list is cut short.
    return [Reply(Message(fit_lines(lines, _left_out(left_out).strip())))]


async def send_nudges(ctx: CommandContext, args: Args) -> list[Effect]:
    """Send each quiet member a friendly DM inviting them back (once per 4 weeks each)."""
    done = await nudge_quiet(ctx.session, ctx.services, ctx.community, ctx.now)
    if not done.nudged:
        weeks = ctx.services.config.nudges.weeks
        # Not a mistake in the command: a private answer, and nothing was written.
        text = (
            f"Nobody to nudge: no member has been quiet for {plural(weeks, 'week')} who is not "
            f"away, has not said `nudge off` and was not nudged in the last 4 weeks."
            f"{_left_out(done.left_out)} Nothing was sent."
        )
        return [Reply(Message(text))]
    # Thousands nudged are a fan-out through the outbox, not a list to read: name a few.
    names = ", ".join(q.member.display_name for q in done.nudged[:NAMED])
    more = len(done.nudged) - NAMED
    if more > 0:
        names += f" and {more} more"
    text = f"✅ Nudged {plural(len(done.nudged), 'member')} by DM: {names}."
    return [Reply(Message(text + _left_out(done.left_out))), *done.outgoing]


async def schedule_nudges(ctx: CommandContext, args: Args) -> list[Effect]:
    """Nudge the quiet members on a rhythm (replacing any before)."""
    rhythm = await nudges.schedule_of(session=ctx.session, community_id=ctx.community_id)
    described = set_rhythm(ctx, rhythm, NudgeSchedule, args["schedule"])
    return [
        Reply(
            Message(
                f"✅ Quiet members are nudged {described}, each at most once in 4 weeks. "
                "`/cop nudge preview` shows who would be nudged now."
            )
        )
    ]


async def unschedule_nudges(ctx: CommandContext, args: Args) -> list[Effect]:
    """Stop nudging on a rhythm."""
    rhythm = await nudges.schedule_of(session=ctx.session, community_id=ctx.community_id)
    if not stop_rhythm(ctx, rhythm):
        return [Reply(Message("Nudges are not scheduled. Nothing changed."))]
    return [Reply(Message("✅ No more scheduled nudges; `/cop nudge send` still sends them."))]


async def nudge_off(ctx: CommandContext, args: Args) -> list[Effect]:
    """Never be nudged (for oneself)."""
    changed = await nudges.set_opt_out(
        session=ctx.session, member_id=ctx.member_id, off=True, now=ctx.now
    )
    text = "🔕 No more nudges for you." if changed else "🔕 Nudges were off for you already."
    return [Reply(Message(text + " Turn them back on with `/cop nudge on`."))]


async def nudge_on(ctx: CommandContext, args: Args) -> list[Effect]:
    """Be nudged again after a quiet spell (for oneself)."""
    changed = await nudges.set_opt_out(
        session=ctx.session, member_id=ctx.member_id, off=False, now=ctx.now
    )
    text = "🔔 Nudges are on for you again." if changed else "🔔 Nudges were on for you already."
    text += " After a quiet spell you may get a friendly DM; `/cop nudge off` stops them."
    return [Reply(Message(text))]


COMMANDS = (
    Command(
        "nudge",
        "preview",
        "who a nudge would invite back now",
        preview_nudges,
        allowed=FACILITATORS,
        writes=False,
    ),
    Command(
        "nudge",
        "send",
        "DM each quiet member a friendly invitation back",
        send_nudges,
        allowed=FACILITATORS,
    ),
    Command(
        "nudge",
        "schedule",
        "nudge quiet members on a rhythm",
        schedule_nudges,
        (
            Option(
                "schedule",
                help='e.g. "mon 10:00", "cron 0 10 1 * *"',
                required=True,
                max_length=120,
            ),
        ),
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
    Command(
        "nudge",
        "unschedule",
        "stop nudging on a rhythm",
        unschedule_nudges,
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
    Command("nudge", "off", "never be nudged yourself", nudge_off),
    Command("nudge", "on", "be nudged again after a quiet spell", nudge_on),
)
