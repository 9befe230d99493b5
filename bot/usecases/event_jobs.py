"""The events' job kinds: the reminders that reach those going, and the making of a series'
next occurrence. Both are one-off jobs, so a restart neither loses nor repeats one."""

from __future__ import annotations

from bot import outbox_keys as keys
from bot.event_times import MAX_DURATION
from bot.jobs import Fired, Firing, JobKind
from bot.ui import Outgoing, Recipient
from bot.usecases.event_make import (
    EVENT_REMINDER_JOB,
    EVENT_SERIES_JOB,
    EVENT_VOICE_JOB,
    before_seconds_of,
)
from bot.usecases.event_posts import reminder
from bot.usecases.event_series import next_occurrence
from bot.usecases.event_voice import roll_call
from storage import events
from storage.models import Community

# A reminder later than this (copbot was down) is not sent: "starts in 1 h" would be wrong.
REMINDER_GRACE = 30 * 60
# A series' next occurrence is made however late copbot comes back.
SERIES_GRACE = 365 * 86400


async def remind_going(firing: Firing) -> Fired:
    """Remind those going (by button, or *Interested* on Discord) that the event is near."""
    event = await events.event_by_id(session=firing.session, event_id=int(firing.subject))
    if event is None or event.id is None or event.status != "scheduled":
        return Fired()
    if event.start_at <= firing.now:
        return Fired()  # started already: a reminder now says nothing useful
    before = before_seconds_of(firing.key)
    community = await firing.session.get(Community, event.community_id)
    accounts = await events.accounts_answering(
        session=firing.session,
        event=event,
        answers=("going",),
        # During the pilot, scheduled items reach only its members.
        pilot_only=community is not None and community.phase == "pilot",
    )
    # Said from the time really left: a reminder fired late (copbot was down) or held back
    # by the platform says "in 35 min", not the "in 1 h" it was meant for.
    message = reminder(event, event.start_at - firing.now)
    outgoing = [
        Outgoing(
            Recipient(platform, workspace, user=user),
            message,
            keys.event_reminder_key(event.id, event.sequence, before, platform, workspace, user),
            kind=keys.EVENT_REMINDER,
            subject=str(event.id),
        )
        for _, platform, workspace, user in accounts
    ]
    return Fired(outgoing, len(outgoing))


JOBS = (
    JobKind(EVENT_REMINDER_JOB, remind_going, grace=REMINDER_GRACE),
    JobKind(EVENT_SERIES_JOB, next_occurrence, grace=SERIES_GRACE),
    # Late after a restart, the roll call still counts who is there while the event runs.
    JobKind(EVENT_VOICE_JOB, roll_call, grace=MAX_DURATION * 60),
)
