"""``/cop pair``: members opt in to be introduced to one another, a few at a time."""

from __future__ import annotations

from bot.commands.spec import Args, Command
from bot.context import CommandContext
from bot.ids import InteractionId, interaction_id
from bot.ui import Button, Effect, Message, Reply
from storage import pairing


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


COMMANDS = (
    Command("pair", "join", "be introduced to other members, a few at a time", join_pairing),
    Command("pair", "leave", "stop being paired with other members", leave_pairing),
)
