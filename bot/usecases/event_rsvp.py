"""The buttons under an event's announcement: Going / Maybe / Can't go (counts updated in
place, every answer a ledger row) and *Add to calendar* (the .ics file in a DM)."""

from __future__ import annotations

import re

from bot import outbox_keys as keys
from bot.context import CommandContext
from bot.errors import UsageError
from bot.ids import InteractionId
from bot.ui import Effect, Message, Outgoing, Recipient, Reply
from bot.usecases.event_ledger import rsvp_row
from bot.usecases.event_make import refresh
from bot.usecases.event_posts import ANSWER_LABELS, calendar_file, end_of, reminders_ahead, when
from storage import events, ledger
from storage.models import Event

_EVENT_NUMBER = re.compile(r"[0-9]{1,10}")  # ASCII digits only: "²" is a digit to isdigit()
MAX_EVENT_ID = 2**31 - 1  # what an INTEGER column holds
ANSWERED = {
    "going": "✅ You're going to *{title}*, {when}. Those going are {before}.",
    "maybe": "🤔 Noted: maybe for *{title}*, {when}. Reminders go to those going.",
    "no": "👍 Noted: you can't make *{title}*. Thanks for saying so.",
}


async def _open_event(ctx: CommandContext, raw_id: str) -> Event:
    """The event a button is about (locked for the answer), if it still takes answers."""
    event = None
    if _EVENT_NUMBER.fullmatch(raw_id) and int(raw_id) <= MAX_EVENT_ID:
        event = await events.event_to_answer(
            session=ctx.session, community_id=ctx.community_id, event_id=int(raw_id)
        )
    if event is None:
        raise UsageError("This event no longer exists. Nothing was changed.")
    if event.status == "cancelled":
        raise UsageError(
            f"*{event.title}* was cancelled, so it takes no answers. Nothing was changed."
        )
    if end_of(event) <= ctx.now:
        raise UsageError(f"*{event.title}* is over. Nothing was changed.")
    return event


async def answer_event(ctx: CommandContext, target: InteractionId) -> list[Effect]:
    """Record a member's answer (a change of mind replaces the last) and update the counts."""
    raw_id, _, answer = target.id.partition(":")
    if answer not in ANSWER_LABELS:
        raise UsageError("This button is no longer in use. Nothing was changed.")
    event = await _open_event(ctx, raw_id)
    assert event.id is not None
    if event.start_at <= ctx.now:
        raise UsageError(
            f"*{event.title}* has started, so it takes no answers. Nothing was changed."
        )
    before = await events.rsvp_of(session=ctx.session, event_id=event.id, member_id=ctx.member_id)
    # Read now: set_rsvp changes this same row object.
    previous = before.answer if before is not None else None
    await events.set_rsvp(
        session=ctx.session,
        event_id=event.id,
        member_id=ctx.member_id,
        answer=answer,
        source="button",
        at=ctx.now,
    )
    await ledger.append(session=ctx.session, rows=[rsvp_row(ctx.member, event, answer, ctx.now)])
    reminders = reminders_ahead(event, ctx.services.config.events.reminders, ctx.now)
    text = ANSWERED[answer].format(title=event.title, when=when(event), before=reminders)
    if previous == answer:
        return [Reply(Message(text))]  # the same answer again changes no count
    return [Reply(Message(text)), *await refresh(ctx.session, event, ctx.now)]


async def send_calendar(ctx: CommandContext, target: InteractionId) -> list[Effect]:
    """Send the event's calendar file to whoever pressed *Add to calendar*, in a DM."""
    event = await _open_event(ctx, target.id)
    assert event.id is not None
    dm = Outgoing(
        Recipient(ctx.actor.platform, ctx.actor.workspace, user=ctx.actor.user),
        Message(
            f"📆 *{event.title}*, {when(event)}: open the file to add it to your calendar.",
            attachment=calendar_file(event, ctx.community.name, ctx.now),
        ),
        keys.event_calendar_key(event.id, event.sequence, ctx.member_id, ctx.now),
        kind=keys.EVENT_CALENDAR,
        subject=str(event.id),
    )
    return [Reply(Message("📆 I'm sending you the calendar file in a direct message.")), dm]
