"""``/cop pair``: members opt in to be introduced to one another, a few at a time."""

from __future__ import annotations

from bot.commands.spec import Args, Command, Option, Role
from bot.context import CommandContext
from bot.ids import InteractionId, interaction_id
from bot.timefmt import local_time
from bot.ui import Button, Effect, Message, Reply, fit_lines
from bot.usecases.pair_jobs import PairingRound, manual_key, pair_members
from bot.usecases.rhythm import set_rhythm, stop_rhythm
from bot.words import plural
from storage import pair_rounds, pairing
from storage.models import PairSchedule

FACILITATORS = frozenset({Role.FACILITATOR})
HISTORY_ROUNDS = 5  # rounds `/cop pair history` shows
NAMED = 20  # groups named for a round (the reply to a run, each round of the history)


def join_button(community_id: int) -> Button:
    """The button that opts its presser in to pairing (shown in the welcome DM)."""
    return Button("🤝 Join pairing", interaction_id("pair", "community", community_id), "primary")


async def _join(ctx: CommandContext) -> list[Effect]:
    changed = await pairing.set_opt_in(
        session=ctx.session,
        member_id=ctx.member_id,
        community_id=ctx.community_id,
        on=True,
        now=ctx.now,
    )
    text = "🤝 You are in pairing" if changed else "🤝 You were in pairing already"
    text += (
        ": from the next round on you will be introduced to another member or two, in a "
        "small group conversation. `/cop pair leave` takes you out."
    )
    if ctx.member.tracking_opted_out:
        text += (
            " You opted out of participation tracking, so you are not paired until you opt "
            "back in with `/cop privacy optin`."
        )
    return [Reply(Message(text))]


async def join_pairing(ctx: CommandContext, args: Args) -> list[Effect]:
    """Opt in to member pairing (for oneself)."""
    return await _join(ctx)


async def join_from_button(ctx: CommandContext, target: InteractionId) -> list[Effect]:
    """Opt in to pairing with the welcome DM's button (of one's own community only)."""
    if target.id != str(ctx.community_id):
        return [Reply(Message("This button belongs to another community. Nothing changed."))]
    return await _join(ctx)


async def leave_pairing(ctx: CommandContext, args: Args) -> list[Effect]:
    """Opt out of member pairing (for oneself)."""
    changed = await pairing.set_opt_in(
        session=ctx.session,
        member_id=ctx.member_id,
        community_id=ctx.community_id,
        on=False,
        now=ctx.now,
    )
    text = "👋 You are out of pairing." if changed else "👋 You were not in pairing."
    return [Reply(Message(text + " `/cop pair join` puts you back in any time."))]


def _left_out(counts: dict[str, int]) -> str:
    if not counts:
        return ""
    reasons = ", ".join(f"{n} {why}" for why, n in sorted(counts.items()))
    return f" Left out: {plural(sum(counts.values()), 'member')} ({reasons})."


def _names(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" & {names[-1]}"


def _groups(groups: list[list[str]]) -> str:
    """A round's groups by their members' names: the first few, then how many more."""
    shown = "; ".join(_names(g) for g in groups[:NAMED])
    more = len(groups) - NAMED
    return shown + (f" and {plural(more, 'more group')}" if more > 0 else "")


def _made(done: PairingRound) -> str:
    paired = sum(len(g.members) for g in done.groups)
    named = _groups([[p.member.display_name for p in g.members] for g in done.groups])
    text = (
        f"✅ Paired {plural(paired, 'member')} in {plural(len(done.groups), 'group')}: "
        f"{named}. Each group gets a conversation with an introduction and a question to "
        "start on."
    )
    by_dm = sum(g.by_dm for g in done.groups)
    if by_dm:
        text += (
            f" On Discord {plural(by_dm, 'group was', 'groups were')} introduced by DM to each "
            "member instead: the community has no Discord home channel to open a private "
            "thread in (add one to `home_channels`)."
        )
    return text + _left_out(done.left_out)


async def run_pairing(ctx: CommandContext, args: Args) -> list[Effect]:
    """Pair the eligible opted-in members now, in twos (one three when their number is odd)."""
    key = manual_key(ctx.community_id, ctx.now)
    done = await pair_members(ctx.session, ctx.services, ctx.community, ctx.now, key)
    if done.made_before:
        text = "A round was made a moment ago; `/cop pair history` shows it. Nothing changed."
        return [Reply(Message(text))]
    if not done.groups:
        # Not a mistake in the command: a private answer, and nothing was stored.
        text = (
            "Not enough members to pair: it takes two opted-in members on one platform who "
            f"are not away.{_left_out(done.left_out)} Nothing was made. Members opt in with "
            "`/cop pair join`."
        )
        return [Reply(Message(text))]
    return [Reply(Message(_made(done))), *done.outgoing]


async def schedule_pairing(ctx: CommandContext, args: Args) -> list[Effect]:
    """Pair the opted-in members on a rhythm (replacing any before)."""
    rhythm = await pairing.schedule_of(session=ctx.session, community_id=ctx.community_id)
    described = set_rhythm(ctx, rhythm, PairSchedule, args["schedule"])
    return [
        Reply(
            Message(
                f"✅ Opted-in members are paired {described}. `/cop pair history` shows the "
                "rounds made; `/cop pair unschedule` stops it."
            )
        )
    ]


async def unschedule_pairing(ctx: CommandContext, args: Args) -> list[Effect]:
    """Stop pairing on a rhythm."""
    rhythm = await pairing.schedule_of(session=ctx.session, community_id=ctx.community_id)
    if not stop_rhythm(ctx, rhythm):
        return [Reply(Message("Pairing is not scheduled. Nothing changed."))]
    return [Reply(Message("✅ No more scheduled pairing; `/cop pair run` still makes a round."))]


async def pairing_history(ctx: CommandContext, args: Args) -> list[Effect]:
    """The last rounds: when each was made and its groups."""
    rounds = await pair_rounds.last_rounds(
        session=ctx.session, community_id=ctx.community_id, limit=HISTORY_ROUNDS
    )
    if not rounds:
        text = "No pairing rounds yet. `/cop pair run` makes one now; `/cop pair schedule` "
        return [Reply(Message(text + "makes them regular."))]
    many = f"The last {len(rounds)} pairing rounds:"
    lines = ["The last pairing round:" if len(rounds) == 1 else many]
    for shown in rounds:
        when = local_time(shown.made_at, ctx.community.timezone)
        lines.append(f"• {when}: {_groups(shown.groups)}")
    return [Reply(Message(fit_lines(lines)))]


async def pairing_status(ctx: CommandContext, args: Args) -> list[Effect]:
    """Whether one is in pairing, and one's last group (for oneself)."""
    joined = await pairing.opted_in(session=ctx.session, member_id=ctx.member_id)
    text = "🤝 You are in pairing." if joined else "You are not in pairing: `/cop pair join`."
    last = await pair_rounds.last_group_of(session=ctx.session, member_id=ctx.member_id)
    if last is None:
        return [Reply(Message(text + " You have not been paired yet."))]
    when = local_time(last[0], ctx.member.timezone or ctx.community.timezone)
    return [Reply(Message(f"{text} Last paired {when} with {' & '.join(last[1])}."))]


COMMANDS = (
    Command("pair", "join", "be introduced to other members, a few at a time", join_pairing),
    Command("pair", "leave", "stop being paired with other members", leave_pairing),
    Command(
        "pair",
        "status",
        "whether you are in pairing, and your last group",
        pairing_status,
        writes=False,
    ),
    Command("pair", "run", "pair the opted-in members now", run_pairing, allowed=FACILITATORS),
    Command(
        "pair",
        "schedule",
        "pair the opted-in members on a rhythm",
        schedule_pairing,
        (
            Option(
                "schedule",
                help='e.g. "mon 10:00", "cron 0 10 1,15 * *"',
                required=True,
                max_length=120,
            ),
        ),
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
    Command(
        "pair",
        "unschedule",
        "stop pairing on a rhythm",
        unschedule_pairing,
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
    Command(
        "pair",
        "history",
        "the last pairing rounds and their groups",
        pairing_history,
        allowed=FACILITATORS,
        writes=False,
    ),
)
