"""Making and changing an event: what goes out (announcement, native event, edits) and the
one-off jobs that remind those going and carry a series on."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import outbox_keys as keys
from bot.config import Config
from bot.ui import Message, Outgoing, Recipient
from bot.usecases.event_posts import announcement, native_event, series_note
from storage import events, jobs
from storage.models import Event

EVENT_REMINDER_JOB = "event-reminder"
EVENT_SERIES_JOB = "event-series"
EVENT_VOICE_JOB = "event-voice"  # at the start: who is in its voice channel already has come
# Discord is the one platform with calendar entries of its own.
NATIVE_PLATFORMS = frozenset({"discord"})


def reminder_job_key(event: Event, before_seconds: int) -> str:
    """The one-off job key of one reminder of one version of an event."""
    return f"{EVENT_REMINDER_JOB}:{event.id}:v{event.sequence}:{before_seconds}"


def roll_call_key(event: Event) -> str:
    """The one-off job key of the roll call at the start of one version of an event."""
    return f"{EVENT_VOICE_JOB}:{event.id}:v{event.sequence}"


def before_seconds_of(job_key: str) -> int:
    """How long before the event a reminder job fires (seconds), read back from its key."""
    return int(job_key.rsplit(":", 1)[1])


def series_job_key(series_id: int, position: int) -> str:
    """The one-off job key that makes a series' occurrence ``position``."""
    return f"{EVENT_SERIES_JOB}:{series_id}:{position}"


def _channel(event: Event) -> Recipient:
    return Recipient(event.platform, event.workspace, channel=event.channel)


def announce(event: Event, note: str = "") -> list[Outgoing]:
    """The first post of a new event, and its native calendar entry where the platform has one."""
    assert event.id is not None and event.announce_key is not None
    out = [
        Outgoing(
            _channel(event),
            announcement(event, events.Counts(), note),
            event.announce_key,
            kind=keys.EVENT_ANNOUNCE,
            subject=str(event.id),
        )
    ]
    if event.native_key is not None:
        out.append(
            Outgoing(
                _channel(event),
                Message(event.title, native_event=native_event(event)),
                event.native_key,
                kind=keys.EVENT_NATIVE,
                subject=str(event.id),
            )
        )
    return out


async def refresh(
    session: AsyncSession, event: Event, at: datetime, *, native: bool = False
) -> list[Outgoing]:
    """Edits that bring the announcement (and, with ``native``, the native event) up to date:
    a later edit supersedes an earlier one still waiting, so the last state is what stays."""
    assert event.id is not None and event.announce_key is not None
    counts = (await events.counts_of(session=session, event_ids=[event.id]))[event.id]
    state = f"v{event.sequence}:{counts.going}.{counts.maybe}.{counts.no}"
    series = None
    if event.series_id is not None:
        series = await events.series_by_id(session=session, series_id=event.series_id)
    out = [
        Outgoing(
            _channel(event),
            announcement(event, counts, series_note(series) if series else ""),
            keys.event_edit_key(event.announce_key, at, state),
            kind=keys.EVENT_EDIT,
            subject=str(event.id),
            edits=event.announce_key,
        )
    ]
    if native and event.native_key is not None:
        out.append(
            Outgoing(
                _channel(event),
                Message(event.title, native_event=native_event(event)),
                keys.event_edit_key(event.native_key, at, state),
                kind=keys.EVENT_EDIT,
                subject=str(event.id),
                edits=event.native_key,
            )
        )
    return out


async def new_event(session: AsyncSession, event: Event) -> Event:
    """Store an event and name its outbox rows (by its id, known once stored)."""
    await events.add_event(session=session, event=event)
    assert event.id is not None
    event.announce_key = keys.event_key(event.id)
    if event.platform in NATIVE_PLATFORMS:
        event.native_key = keys.event_native_key(event.id)
    session.add(event)
    return event


async def schedule_reminders(
    session: AsyncSession, config: Config, event: Event, now: datetime
) -> bool:
    """One-off jobs for the reminders still ahead (a reminder whose time has passed is not
    sent late) and, for one held in a voice channel, the roll call at its start; any of an
    earlier version of the event are withdrawn first."""
    await jobs.cancel_once(session=session, kind=EVENT_REMINDER_JOB, subject=str(event.id))
    await jobs.cancel_once(session=session, kind=EVENT_VOICE_JOB, subject=str(event.id))
    scheduled = False
    if event.voice_channel and event.start_at > now:
        scheduled |= await jobs.schedule_once(
            session=session,
            key=roll_call_key(event),
            kind=EVENT_VOICE_JOB,
            subject=str(event.id),
            due_at=event.start_at,
            now=now,
        )
    for seconds in config.events.reminders:
        due = event.start_at - timedelta(seconds=seconds)
        if due > now:
            scheduled |= await jobs.schedule_once(
                session=session,
                key=reminder_job_key(event, seconds),
                kind=EVENT_REMINDER_JOB,
                subject=str(event.id),
                due_at=due,
                now=now,
            )
    return scheduled


async def schedule_next(session: AsyncSession, event: Event, now: datetime) -> bool:
    """For an occurrence of a series: the job that makes the next one when this one starts."""
    if event.series_id is None:
        return False
    return await jobs.schedule_once(
        session=session,
        key=series_job_key(event.series_id, event.position + 1),
        kind=EVENT_SERIES_JOB,
        subject=str(event.series_id),
        due_at=max(event.start_at, now),
        now=now,
    )
