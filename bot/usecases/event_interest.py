"""*Interested* on Discord's own scheduled event: counted as going, unless the member answered
with a button (their own words outrank a click on the platform's event)."""

from __future__ import annotations

from bot.context import CommandContext
from bot.events import InterestChanged
from bot.ui import Effect
from bot.usecases.event_ledger import rsvp_row
from bot.usecases.event_make import refresh
from storage import events, ledger

INTERESTED = "interested"


async def interest_changed(ctx: CommandContext, change: InterestChanged) -> list[Effect]:
    """Mark (or unmark) a member going because of *Interested*; the announcement's counts follow."""
    event = await events.event_by_native(
        session=ctx.session,
        platform=change.actor.platform,
        workspace=change.actor.workspace,
        native_id=change.native_id,
    )
    if event is None or event.id is None or event.status == "cancelled":
        return []
    if event.community_id != ctx.community_id or event.start_at <= ctx.now:
        return []
    rsvp = await events.rsvp_of(session=ctx.session, event_id=event.id, member_id=ctx.member_id)
    if rsvp is not None and rsvp.source != INTERESTED:
        return []  # answered with a button: that answer stands
    if change.interested:
        if rsvp is not None:
            return []  # a replayed gateway event
        await events.set_rsvp(
            session=ctx.session,
            event_id=event.id,
            member_id=ctx.member_id,
            answer="going",
            source=INTERESTED,
            at=ctx.now,
        )
        await ledger.append(
            session=ctx.session, rows=[rsvp_row(ctx.member, event, "going", ctx.now)]
        )
    elif rsvp is None:
        return []
    else:
        await events.clear_rsvp(session=ctx.session, event_id=event.id, member_id=ctx.member_id)
    return [*await refresh(ctx.session, event, ctx.now)]
