"""Attendance from a voice channel: on Discord an event can be held in a voice or stage channel,
and whoever is in it while the event runs is counted as having come: as they join, and at its
start those already sitting in it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import directory
from bot.context import CommandContext
from bot.errors import UsageError
from bot.event_times import MAX_DURATION
from bot.events import VoiceJoined
from bot.jobs import Fired, Firing
from bot.ui import Effect
from bot.usecases.event_ledger import attended_row
from bot.usecases.event_make import roll_call_key
from bot.usecases.event_posts import end_of
from storage import events, ledger
from storage.models import Event, Member

# People gather a little before the start; someone in the channel then is there for it.
EARLY = timedelta(minutes=15)
VOICE = "voice"  # EventAttendance.how
VOICE_PLATFORMS = frozenset({"discord"})
NOT_HERE = (
    "Voice channels are Discord's: leave `voice:` out here and record who came with "
    "`/cop event attended <id> @a @b`. Nothing was created."
)


def voice_channel(ctx: CommandContext, channel: str | None) -> str | None:
    """The voice channel an event is to be held in, if one was named; a UsageError where the
    platform has none."""
    if channel and ctx.actor.platform not in VOICE_PLATFORMS:
        raise UsageError(NOT_HERE)
    return channel or None


async def running_in_voice(session: AsyncSession, joined: VoiceJoined) -> list[Event]:
    """The events held in the voice channel joined that run when it was joined (from a
    quarter of an hour before their start to their end)."""
    place = joined.place
    if place.channel is None:
        return []
    held = await events.held_in_voice(
        session=session,
        platform=place.platform,
        workspace=place.workspace,
        channel=place.channel,
        # The longest event that could still run has started at most this long ago.
        since=joined.at - timedelta(minutes=MAX_DURATION),
        until=joined.at + EARLY,
    )
    return [e for e in held if e.start_at - EARLY <= joined.at <= end_of(e)]


async def _came(session: AsyncSession, event: Event, member: Member, at: datetime) -> bool:
    """Record a member in the voice channel as come (once); True if they were not yet."""
    assert event.id is not None and member.id is not None
    added = await events.record_attendance(
        session=session,
        event_id=event.id,
        member_ids=[member.id],
        how=VOICE,
        recorded_by=None,
        at=at,
    )
    if added:
        await ledger.append(session=session, rows=[attended_row(event, member)])
    return bool(added)


async def voice_joined(ctx: CommandContext, joined: VoiceJoined) -> list[Effect]:
    """Count someone in an event's voice channel while it runs as having come (once however
    often they join); nobody is told."""
    if ctx.actor.is_bot:
        return []
    for event in await running_in_voice(ctx.session, joined):
        if event.id is not None and event.community_id == ctx.community_id:
            await _came(ctx.session, event, ctx.member, ctx.now)
    return []


async def roll_call(firing: Firing) -> Fired:
    """At an event's start, count those already sitting in its voice channel (who joined
    before the quarter of an hour people gather in) as having come."""
    session, services = firing.session, firing.services
    event = await events.event_by_id(session=session, event_id=int(firing.subject))
    if event is None or event.status != "scheduled" or not event.voice_channel:
        return Fired()
    if firing.key != roll_call_key(event) or firing.now > end_of(event):
        return Fired()  # an earlier version's (it moved), or copbot came back after the end
    roster = services.voice
    present = (
        await roster.in_voice(event.platform, event.workspace, event.voice_channel)
        if roster
        else None
    )
    counted = 0
    for actor in present or []:
        if actor.is_bot:
            continue
        community, member = await directory.member_for(session, services.config, actor, firing.now)
        if community.id == event.community_id:
            counted += await _came(session, event, member, firing.now)
    return Fired(count=counted)
