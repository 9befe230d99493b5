"""``/cop phase pilot|launch|status``: run a pilot with a committed few, then launch to everyone."""

from __future__ import annotations

from bot import outbox_keys as keys
from bot.commands.spec import Args, Command, Role
from bot.context import CommandContext
from bot.ui import Effect, Message, Reply
from bot.usecases.launch import launch_effects
from bot.usecases.launch_roster import list_later
from bot.usecases.phase_shown import phase_line, since_text
from bot.usecases.welcome import welcome_pending
from bot.words import plural
from storage import outbox, pilot

FACILITATORS = frozenset({Role.FACILITATOR})


async def start_pilot(ctx: CommandContext, args: Args) -> list[Effect]:
    """Put the community in its pilot: scheduled items reach only the pilot cohort."""
    community = ctx.community
    if community.launched_at is not None:
        text = (
            f"{community.name} launched on {since_text(community)}; a launched community does "
            "not go back to a pilot. Nothing changed."
        )
        return [Reply(Message(text))]
    size = await pilot.pilot_size(session=ctx.session, community_id=ctx.community_id)
    if community.phase == "pilot":
        return [Reply(Message(f"{community.name} is in its pilot already. {_size(size)}"))]
    community.phase, community.phase_since = "pilot", ctx.now
    ctx.session.add(community)
    await ctx.session.flush()
    # Pilot members added before the pilot started are welcomed now that it has.
    welcomes = await welcome_pending(ctx.session, ctx.services, community, ctx.now, "pilot")
    text = (
        f"🧪 {community.name} is in its pilot now: scheduled check-ins, events' reminders and "
        f"pairing reach only the pilot members. {_size(size)} Prompts still post in their "
        "channel, so point them at the pilot's channel. `/cop phase launch` opens it to everyone."
    )
    if welcomes:
        text += f" {plural(len(welcomes), 'welcome DM')} on the way to the pilot members."
    return [Reply(Message(text)), *welcomes]


def _size(size: int) -> str:
    if not size:
        return "Nobody is in the pilot yet: `/cop pilot add @a @b`."
    return f"The pilot has {plural(size, 'member')} (`/cop pilot list`)."


async def launch(ctx: CommandContext, args: Args) -> list[Effect]:
    """Launch the community: announce it in its home channels and welcome everyone, once."""
    community = ctx.community
    launched = await pilot.mark_launched(
        session=ctx.session, community_id=ctx.community_id, now=ctx.now
    )
    await ctx.session.refresh(community)
    if not launched:
        text = (
            f"{community.name} launched already, on {since_text(community)}. Nothing changed; "
            "`/cop phase status` shows how the welcomes are going."
        )
        return [Reply(Message(text))]
    places, outgoing = await launch_effects(ctx)
    welcomed = sum(1 for o in outgoing if o.kind == keys.WELCOME)
    listing = await list_later(ctx)
    where = ", ".join(f"#{channel}" for _, _, channel in places) or "no channel (none is set)"
    text = (
        f"🚀 {community.name} is launched! The announcement goes to {where}; "
        f"{plural(welcomed, 'welcome DM')} {'is' if welcomed == 1 else 'are'} on their way, "
        "as fast as the platform allows "
        "(`/cop phase status` shows how far they got). Newcomers are welcomed as they join."
    )
    if listing:
        text += (
            " I am also asking the platform who else is in the home channels: those I have "
            "not met yet are welcomed in a moment."
        )
    return [Reply(Message(text)), *outgoing]


async def phase_status(ctx: CommandContext, args: Args) -> list[Effect]:
    """The phase, the pilot's size and how far the launch's welcome DMs got."""
    community = ctx.community
    size = await pilot.pilot_size(session=ctx.session, community_id=ctx.community_id)
    lines = [phase_line(community, size), _size(size)]
    if community.launched_at is not None:
        counts = await outbox.status_counts(
            session=ctx.session, kind=keys.WELCOME, subject=str(ctx.community_id)
        )
        sent, pending = counts.get("sent", 0), counts.get("pending", 0) + counts.get("sending", 0)
        failed = counts.get("failed", 0)
        line = f"Welcome DMs: {sent} sent, {pending} waiting"
        lines.append(line + (f", {failed} could not be delivered." if failed else "."))
    return [Reply(Message("\n".join(lines)))]


COMMANDS = (
    Command(
        "phase",
        "pilot",
        "start the pilot: scheduled items reach only the pilot members",
        start_pilot,
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
    Command(
        "phase",
        "launch",
        "open to everyone: announce it and welcome every member, once",
        launch,
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
    Command(
        "phase",
        "status",
        "the phase, the pilot and how the launch's welcomes are going",
        phase_status,
        allowed=FACILITATORS,
        writes=False,
    ),
)
