"""Welcoming members: the welcome DM, once per person ever (on joining a home channel, on a
first message there, at the launch), its preview, and the timezone form its button opens."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands.spec import Args, Command, Role
from bot.context import CommandContext, Services
from bot.ids import InteractionId, interaction_id
from bot.outbox_keys import WELCOME, welcome_key, welcome_key_prefix
from bot.timezones import check_timezone
from bot.ui import Effect, Field, Form, FormErrors, Message, Outgoing, Recipient, Reply, ShowForm
from bot.usecases import me
from bot.usecases.participation import ledger_row
from bot.usecases.welcome_message import coming, welcome_message
from storage import jobs, ledger, onboarding
from storage.models import Community, Member

CAUSES = ("join", "message", "pilot", "launch")


async def welcome_pending(
    session: AsyncSession,
    services: Services,
    community: Community,
    now: datetime,
    cause: str,
    *,
    member_ids: Sequence[int] | None = None,
) -> list[Outgoing]:
    """Welcome every member of a community (or those of ``member_ids``) never welcomed who can
    be reached: a ``welcome`` row, a DM and a ledger row each. Members who opted out of
    tracking are left out, and during the pilot those not in it (the launch welcomes them)."""
    assert community.id is not None and cause in CAUSES
    fresh = await onboarding.record_welcomes(
        session=session,
        community_id=community.id,
        at=now,
        cause=cause,
        key_prefix=welcome_key_prefix(community.id),
        pilot_only=community.phase == "pilot",
        member_ids=member_ids,
    )
    if not fresh:
        return []
    found = await onboarding.welcomed(
        session=session, community_id=community.id, at=now, cause=cause
    )
    chosen = [(m, i) for m, i in found if m.id in fresh]
    ahead = await coming(session, community, now)
    outgoing = [
        Outgoing(
            Recipient(identity.platform, identity.workspace, user=identity.user_id),
            welcome_message(services, member, community, ahead, now),
            welcome_key(community.id, member.id or 0),
            kind=WELCOME,
            subject=str(community.id),
        )
        for member, identity in chosen
    ]
    # Who was welcomed and when (a member who opted out is never welcomed).
    rows = [
        ledger_row(community, m, "welcome", i.platform, i.workspace, None,
                   welcome_key(community.id, m.id or 0), now)
        for m, i in chosen
    ]  # fmt: skip
    await ledger.append_many(session=session, rows=rows)
    return outgoing


async def preview_welcome(ctx: CommandContext, args: Args) -> list[Effect]:
    """Show a facilitator the welcome DM as a member gets it (with their own name in it)."""
    ahead = await coming(ctx.session, ctx.community, ctx.now)
    shown = welcome_message(ctx.services, ctx.member, ctx.community, ahead, ctx.now)
    header = (
        "👀 This is the welcome DM each new member gets (with their own name; what is coming "
        "changes with the week). Its opening is the `welcome` key of your community's config."
    )
    return [Reply(Message(header)), Reply(shown)]


def _tz_form(member_id: int, typed: str) -> Form:
    field = Field(
        "zone",
        "Your timezone",
        kind="short",
        initial=typed[:64],
        placeholder="e.g. Europe/Berlin, America/New_York or UTC",
        max_length=64,
    )
    return Form(interaction_id("tz", "member", member_id), "Your timezone", (field,), "Save")


async def _other(ctx: CommandContext, target: InteractionId) -> list[Effect] | None:
    """The refusal of a button of another member's welcome; None for one's own, and for one of
    a member since merged away (the person linked the account it was sent to)."""
    if target.id == str(ctx.member_id) or not target.id.isdigit():
        return None
    if await ctx.session.get(Member, int(target.id)) is None:
        return None
    return [Reply(Message("This button belongs to someone else. Nothing changed."))]


async def open_tz_form(ctx: CommandContext, target: InteractionId) -> list[Effect]:
    """Open the form for one's own timezone (the welcome DM's button)."""
    other = await _other(ctx, target)
    return other or [ShowForm(_tz_form(ctx.member_id, ctx.member.timezone or ""))]


async def submit_tz_form(
    ctx: CommandContext, target: InteractionId, values: Mapping[str, str]
) -> list[Effect]:
    """Set one's own timezone from the form; a zone that is not one is shown again, with how to
    write it."""
    other = await _other(ctx, target)
    if other:
        return other
    typed = (values.get("zone") or "").strip()
    try:
        zone = check_timezone(typed)
    except ValueError as error:
        return [FormErrors(_tz_form(ctx.member_id, typed), (("zone", str(error)),))]
    # Check-ins in local time fire once per member zone: the scheduler rebuilds them.
    await jobs.notify_changed(session=ctx.session)
    return await me.set_timezone(ctx, {"zone": zone})


COMMANDS = (
    Command(
        "welcome",
        "preview",
        "see the welcome DM new members get",
        preview_welcome,
        allowed=frozenset({Role.FACILITATOR}),
        writes=False,
    ),
)
