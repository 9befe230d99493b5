"""Series: each occurrence is made when the one before starts, at the series' nominal time or,
with ``rotate``, within working hours of the next region in turn, so no region always gets
the late slot."""

from __future__ import annotations

import logging

from bot.event_rotation import occurrence
from bot.jobs import Fired, Firing
from bot.usecases.event_make import announce, new_event, schedule_next, schedule_reminders
from bot.usecases.event_posts import series_note
from storage import events
from storage.models import Event

log = logging.getLogger(__name__)

# A copbot that slept through several occurrences makes the next one still ahead, not them all.
MAX_SKIPPED = 60


async def next_occurrence(firing: Firing) -> Fired:
    """Make and announce a series' next occurrence still ahead, with its reminders, and the
    job that makes the one after it."""
    session, now = firing.session, firing.now
    series = await events.series_by_id(session=session, series_id=int(firing.subject))
    if series is None or series.status != "active" or series.id is None:
        return Fired()
    latest = await events.latest_of_series(session=session, series_id=series.id)
    if latest is None:
        return Fired()
    rotate = tuple(z for z in series.rotate.split(",") if z)
    hours = firing.services.config.events.hours
    position = latest.position
    for _ in range(MAX_SKIPPED):
        position += 1
        start, region = occurrence(
            series.first_start,
            series.timezone,
            series.repeat,
            position,
            rotate,
            hours,
            latest.duration_minutes,
        )
        if start > now:
            break
    else:
        log.warning("series %s: no occurrence ahead after %d tries", series.id, MAX_SKIPPED)
        return Fired()
    event = await new_event(
        session,
        Event(
            community_id=series.community_id,
            series_id=series.id,
            position=position,
            title=latest.title,
            description=latest.description,
            link=latest.link,
            start_at=start,
            duration_minutes=latest.duration_minutes,
            timezone=region or series.timezone,
            region=region,
            platform=latest.platform,
            workspace=latest.workspace,
            channel=latest.channel,
            created_by=series.created_by,
            created_at=now,
            updated_at=now,
        ),
    )
    await schedule_reminders(session, firing.services.config, event, now)
    await schedule_next(session, event, now)
    outgoing = announce(event, series_note(series))
    return Fired(outgoing, 1, schedules_changed=True)
