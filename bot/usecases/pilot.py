"""``/cop pilot add|remove|list``: the committed few who try the community before its launch."""

from __future__ import annotations

from bot.commands.spec import Args, Command, Option, Role
from bot.context import CommandContext
from bot.errors import UsageError
from bot.timefmt import local_time
from bot.ui import Effect, Message, Reply, fit_lines
from bot.usecases.named_people import named_member, unknown_person
from bot.usecases.welcome import welcome_pending
from bot.words import plural
from storage import pilot
from storage.models import Member

FACILITATORS = frozenset({Role.FACILITATOR})
PILOT_SLOTS = 8  # people named at once by `pilot add` (Discord: one option each)


def _slots() -> list[str]:
    return ["who", *(f"who{n}" for n in range(2, PILOT_SLOTS + 1))]


def _after_launch(ctx: CommandContext) -> list[Effect]:
    """The answer to changing the pilot once launched; [] before the launch."""
    launched = ctx.community.launched_at
    if launched is None:
        return []
    text = (
        f"{ctx.community.name} launched on {local_time(launched, ctx.community.timezone)}: "
        "its pilot cohort is history now (the report compares it with the launch cohort), "
        "so it cannot change. Nothing changed."
    )
    return [Reply(Message(text))]


async def _named(ctx: CommandContext, args: Args, *, make: bool) -> list[Member]:
    """The members named, each once; a name that is nobody here refuses the whole command."""
    found: dict[int, Member] = {}
    for user in dict.fromkeys(args[name] for name in _slots() if args.get(name)):
        member = await named_member(ctx, user, make=make)
        if member is None:
            raise UsageError(unknown_person(ctx.actor.platform, user))
        assert member.id is not None
        found[member.id] = member
    return list(found.values())


async def add_to_pilot(ctx: CommandContext, args: Args) -> list[Effect]:
    """Put members in the pilot cohort (welcomed at once while the pilot runs)."""
    if refused := _after_launch(ctx):
        return refused
    members = await _named(ctx, args, make=True)
    ids = [m.id for m in members if m.id is not None]
    changed = await pilot.set_cohort(
        session=ctx.session, community_id=ctx.community_id, member_ids=ids, cohort="pilot"
    )
    names = ", ".join(m.display_name for m in members)
    size = await pilot.pilot_size(session=ctx.session, community_id=ctx.community_id)
    if not changed:
        text = f"{names}: in the pilot already. Nothing changed ({plural(size, 'pilot member')})."
        return [Reply(Message(text))]
    text = f"🧪 {names}: in the pilot now ({plural(size, 'pilot member')} in all)."
    outgoing = []
    if ctx.community.phase == "pilot":
        outgoing = await welcome_pending(
            ctx.session, ctx.services, ctx.community, ctx.now, "pilot", member_ids=ids
        )
        if outgoing:
            text += f" {plural(len(outgoing), 'welcome DM')} on the way."
    else:
        text += " Start the pilot with `/cop phase pilot` when they are all in."
    return [Reply(Message(text)), *outgoing]


async def remove_from_pilot(ctx: CommandContext, args: Args) -> list[Effect]:
    """Take members out of the pilot cohort (they join with the launch)."""
    if refused := _after_launch(ctx):
        return refused
    members = await _named(ctx, args, make=False)
    ids = [m.id for m in members if m.id is not None]
    changed = await pilot.set_cohort(
        session=ctx.session, community_id=ctx.community_id, member_ids=ids, cohort="launch"
    )
    names = ", ".join(m.display_name for m in members)
    if not changed:
        return [Reply(Message(f"{names}: not in the pilot. Nothing changed."))]
    size = await pilot.pilot_size(session=ctx.session, community_id=ctx.community_id)
    text = f"✅ {names}: out of the pilot ({plural(size, 'pilot member')} left)."
    if ctx.community.phase == "pilot":
        text += " Scheduled check-ins, prompts and pairing no longer reach them until the launch."
    return [Reply(Message(text))]


async def list_pilot(ctx: CommandContext, args: Args) -> list[Effect]:
    """The pilot members, by name."""
    members = await pilot.pilot_members(session=ctx.session, community_id=ctx.community_id)
    if not members:
        return [Reply(Message("Nobody is in the pilot yet: `/cop pilot add @a @b` puts them in."))]
    status = {
        "pilot": "the pilot is running",
        "launch": "launched" if ctx.community.launched_at else "the pilot has not started",
    }[ctx.community.phase]
    lines = [f"🧪 {plural(len(members), 'pilot member')} ({status}):"]
    lines += [f"• {m.display_name} (here since {m.first_seen:%Y-%m-%d})" for m in members]
    return [Reply(Message(fit_lines(lines)))]


def _people(help_text: str) -> tuple[Option, ...]:
    return tuple(
        # One help for all the slots: the reference and /cop help say it once.
        Option(name, "user", help_text if name == "who" else "", name == "who", True)
        for name in _slots()
    )


COMMANDS = (
    Command(
        "pilot",
        "add",
        "put members in the pilot cohort",
        add_to_pilot,
        _people("a member for the pilot"),
        allowed=FACILITATORS,
    ),
    Command(
        "pilot",
        "remove",
        "take members out of the pilot cohort",
        remove_from_pilot,
        _people("a pilot member"),
        allowed=FACILITATORS,
    ),
    Command("pilot", "list", "who is in the pilot", list_pilot, allowed=FACILITATORS, writes=False),
)
