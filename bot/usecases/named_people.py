"""The member behind someone a command names with @: met already, or confirmed by the platform."""

from __future__ import annotations

from bot.context import CommandContext
from storage import directory
from storage.models import Member


async def named_member(ctx: CommandContext, user_id: str, *, make: bool) -> Member | None:
    """The member behind a named user of the actor's own workspace: someone copbot has met, or
    (when ``make``) someone the platform confirmed, made a member now; None otherwise."""
    found = await directory.member_by_identity(
        session=ctx.session,
        platform=ctx.actor.platform,
        workspace=ctx.actor.workspace,
        user_id=user_id,
    )
    if found is not None or not make or user_id not in ctx.people:
        return found
    return await directory.ensure_member(
        session=ctx.session,
        community_id=ctx.community_id,
        platform=ctx.actor.platform,
        workspace=ctx.actor.workspace,
        user_id=user_id,
        display_name=ctx.people[user_id] or user_id,
        now=ctx.now,
    )


def unknown_person(platform: str, user_id: str) -> str:
    """Why someone named cannot be acted on: the platform does not know them, or (on the
    console, where nobody is confirmed) copbot has not met them."""
    if platform == "console":
        return (
            f"I have not met {user_id} here yet; they need to say something first "
            f"(`:as {user_id}`, then any line), so nothing changed."
        )
    return (
        f"I cannot find `{user_id}` in this workspace, so nothing changed. "
        "Mention them with @ and pick them from the list."
    )
