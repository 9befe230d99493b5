"""The check-in's job kinds: its recurring firing, and one reminder to those who did not answer."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import outbox_keys as keys
from bot.context import Services
from bot.jobs import Fired, Firing, JobKind, Recurring
from bot.ui import Message, Outgoing, Recipient
from bot.usecases.checkin_run import (
    answer_button,
    audience_of,
    is_away,
    reminder_key,
    run_checkin,
    schedule_reminder,
)
from storage import audience, checkins
from storage.models import CheckIn, Community, Schedule

log = logging.getLogger(__name__)
CHECKIN = "checkin"
REMINDER = keys.CHECKIN_REMINDER  # the job kind, and the kind of the messages it sends


def _recurring(
    checkin: CheckIn, schedule: Schedule, community: Community, zones: list[str]
) -> list[Recurring]:
    assert checkin.id is not None
    subject = str(checkin.id)
    if not schedule.local_time:
        return [
            Recurring(
                CHECKIN, subject, schedule.expression, community.timezone, None, checkin.created_at
            )
        ]
    return [
        Recurring(CHECKIN, subject, schedule.expression, zone, zone, checkin.created_at)
        for zone in zones or [community.timezone]
    ]


async def checkin_jobs(
    session: AsyncSession, services: Services, subject: str | None
) -> list[Recurring]:
    """One job per active check-in, or per member timezone for check-ins in local time."""
    if subject is not None and not subject.isdigit():
        return []
    found = (
        await checkins.active_checkins(session=session)
        if subject is None
        else [
            row
            for row in [await checkins.active_checkin(session=session, checkin_id=int(subject))]
            if row is not None
        ]
    )
    return await jobs_of(session, found)


async def jobs_of(
    session: AsyncSession, found: Sequence[tuple[CheckIn, Schedule, Community]]
) -> list[Recurring]:
    """The jobs of these active check-ins (member zones found with one query)."""
    local = {community.id for _, schedule, community in found if schedule.local_time}
    zones = await audience.member_zones(
        session=session, community_ids=[c for c in local if c is not None]
    )
    return [
        job
        for checkin, schedule, community in found
        for job in _recurring(checkin, schedule, community, zones.get(community.id or 0, []))
    ]


async def fire_checkin(firing: Firing) -> Fired:
    """Ask the check-in's audience (in the firing's zone) and schedule the one reminder."""
    found = await checkins.active_checkin(session=firing.session, checkin_id=int(firing.subject))
    if found is None:
        return Fired()
    checkin, _, community = found
    run = await run_checkin(
        firing.session,
        community,
        checkin,
        firing.due,
        firing.now,
        zone=firing.zone,
        scheduled=True,
    )
    if run.already_ran or run.occurrence is None:
        return Fired()
    occurrence = run.occurrence
    assert occurrence.id is not None
    remind = firing.services.config.scheduler.reminder_after
    scheduled = await schedule_reminder(firing.session, checkin, occurrence, remind, firing.now)
    log.info("check-in %s fired for %s: %d asked", checkin.id, firing.due, occurrence.sent_count)
    return Fired(run.outgoing, occurrence.sent_count, schedules_changed=scheduled)


async def miss_checkin(firing: Firing) -> None:
    """Record a firing copbot slept through, so that ``/cop checkin list`` can say so."""
    if await checkins.occurrence_by_key(session=firing.session, key=firing.key) is None:
        await checkins.record_missed(
            session=firing.session,
            checkin_id=int(firing.subject),
            key=firing.key,
            scheduled_for=firing.due,
            zone=firing.zone,
            now=firing.now,
        )


async def remind(firing: Firing) -> Fired:
    """Remind, once, those who were asked and have not answered, are not away, and are still
    in the audience; a check-in paused or deleted since reminds nobody."""
    session = firing.session
    found = await checkins.occurrence_in_community(
        session=session, occurrence_id=int(firing.subject)
    )
    if found is None or found[1].status != "active":
        return Fired()
    occurrence, checkin, community = found
    assert occurrence.id is not None
    answered = await checkins.answered_by(session=session, occurrence_id=occurrence.id)
    asked = await audience_of(
        session,
        community,
        checkin,
        occurrence.scheduled_for,
        occurrence.zone,
        occurrence.created_at,
    )
    waiting = [
        (member, identity)
        for member, identity in asked
        if member.id not in answered and not is_away(member, community, firing.now)
    ]
    nudge = Message(
        f"⏰ A gentle reminder: the *{checkin.name}* check-in is still open for you.",
        buttons=(answer_button(occurrence.id),),
    )
    outgoing = [
        Outgoing(
            Recipient(identity.platform, identity.workspace, user=identity.user_id),
            nudge,
            reminder_key(occurrence.key, identity),
            kind=keys.CHECKIN_REMINDER,
            subject=keys.checkin_subject(checkin.id),
        )
        for _, identity in waiting
    ]
    return Fired(outgoing, len(outgoing))


JOBS = (
    JobKind(CHECKIN, fire_checkin, recurring=checkin_jobs, missed=miss_checkin),
    JobKind(REMINDER, remind),
)
