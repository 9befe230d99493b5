"""``/cop role add|remove|list``: who facilitates and who leads."""

from __future__ import annotations

from bot.commands.spec import Args, Role
from bot.context import CommandContext
from bot.ui import Effect, Message, Reply, fit_lines
from bot.usecases.named_people import named_member, unknown_person
from storage import directory
from storage.models import Member


async def _target(ctx: CommandContext, user_id: str, role: str, *, grant: bool) -> Member | Reply:
    """The member behind a named user (made a member only to ``grant`` a role, if the platform
    confirmed them); otherwise the reply that says why nothing changed."""
    found = await named_member(ctx, user_id, make=grant)
    if found is not None:
        return found
    if user_id not in ctx.people:
        return Reply(Message(unknown_person(ctx.actor.platform, user_id)))
    # Taking a role from someone copbot never met: they have none to lose.
    return Reply(Message(_not_granted(ctx.people[user_id] or user_id, role)))


def _not_granted(name: str, role: str) -> str:
    return (
        f"{name} has no {role} role given with `/cop role add`, so nothing changed. "
        "Roles from the config file or from being a workspace admin are changed there."
    )


async def add_role(ctx: CommandContext, args: Args) -> list[Effect]:
    """Give someone the facilitator or lead role."""
    role: str = args["role"]
    member = await _target(ctx, args["user"], role, grant=True)
    if isinstance(member, Reply):
        return [member]
    assert member.id is not None
    if not await directory.grant_role(
        session=ctx.session, member_id=member.id, role=role, granted_by=ctx.member_id, now=ctx.now
    ):
        return [Reply(Message(f"{member.display_name} is already a {role}. Nothing changed."))]
    what = (
        "They can now run the facilitator commands (`/cop help`)."
        if role == Role.FACILITATOR
        else "They will receive the weekly report."
    )
    return [Reply(Message(f"✅ {member.display_name} is now a {role}. {what}"))]


async def remove_role(ctx: CommandContext, args: Args) -> list[Effect]:
    """Take a granted role away."""
    role: str = args["role"]
    member = await _target(ctx, args["user"], role, grant=False)
    if isinstance(member, Reply):
        return [member]
    assert member.id is not None
    if await directory.revoke_role(session=ctx.session, member_id=member.id, role=role):
        return [Reply(Message(f"✅ {member.display_name} is no longer a {role}."))]
    return [Reply(Message(_not_granted(member.display_name, role)))]


async def list_roles(ctx: CommandContext, args: Args) -> list[Effect]:
    """List who facilitates and leads, and where each role comes from."""
    lines: list[str] = []
    entry = ctx.services.community_config(ctx.community.name)
    if entry is not None:
        lines += [f"• {who}: facilitator (config file)" for who in entry.facilitators]
        lines += [f"• {who}: lead (config file)" for who in entry.leads]
    for grant, member in await directory.grants_in(
        session=ctx.session, community_id=ctx.community_id
    ):
        lines.append(f"• {member.display_name}: {grant.role} (given {grant.granted_at:%Y-%m-%d})")
    lines.append("• workspace admins: facilitator (by default)")
    footer = "Change them with `/cop role add @user facilitator|lead` or `/cop role remove ...`."
    return [Reply(Message(fit_lines([f"Roles in {ctx.community.name}:", *lines], footer)))]
