"""What copbot will send in the coming days: each firing, and how many people it will ask.

Counts come from one ``GROUP BY`` per check-in (members by zone and away day), not from loading
members; a read transaction suffices.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import Services
from bot.timefmt import local_time
from bot.usecases.checkin_jobs import REMINDER, jobs_of
from bot.usecases.checkin_run import audience_counts, local_day, pilot_only
from bot.words import plural
from storage import checkins

# A schedule firing more often than this in the window (cron */5) is listed up to here.
MAX_FIRINGS = 200


def _asked(counts: list[tuple[str, date | None, int]], zone: str | None, day: date) -> int:
    """Members asked on ``day``: in the zone (if any) and not away that day."""
    return sum(
        n
        for member_zone, away_until, n in counts
        if (zone is None or member_zone == zone) and (away_until is None or away_until < day)
    )


async def upcoming(
    session: AsyncSession,
    services: Services,
    community_id: int | None,
    now: datetime,
    days: int = 7,
) -> list[str]:
    """What copbot will send in the next ``days``: each firing with how many it will ask."""
    end = now + timedelta(days=days)
    found = await checkins.active_checkins(session=session, community_id=community_id)
    by_id = {str(checkin.id): (checkin, community) for checkin, _, community in found}
    # Check-ins of one community with one kind of audience reach the same members: one query.
    audiences: dict[tuple[int | None, bool], list[tuple[str, date | None, int]]] = {}
    counts = {}
    for key, (checkin, community) in by_id.items():
        audience = (community.id, pilot_only(checkin.audience, community))
        if audience not in audiences:
            audiences[audience] = await audience_counts(session, community, checkin)
        counts[key] = audiences[audience]
    rows: list[tuple[datetime, str]] = []
    firings: dict[tuple[str, str], list[datetime]] = {}  # check-ins often share a schedule
    for job in await jobs_of(session, found):
        checkin, community = by_id[job.subject]
        when = (job.expression, job.timezone)
        if when not in firings:
            firings[when] = services.calendar.times_between(*when, now, end, MAX_FIRINGS)
        for at in firings[when]:
            asked = _asked(counts[job.subject], job.zone, local_day(community, at))
            where = f" (members in {job.zone})" if job.zone else ""
            line = (
                f"{local_time(at, job.timezone)}: {checkin.name}{where} → {plural(asked, 'member')}"
            )
            rows.append((at, line))
    rows.sort()
    lines = [line for _, line in rows]
    reminders = await checkins.pending_reminders(
        session=session,
        kind=REMINDER,
        checkin_ids=[int(key) for key in by_id],
        start=now,
        end=end,
    )
    if reminders:
        rounds = plural(reminders, "round")
        lines.append(f"plus {rounds} of reminders to members who have not answered yet")
    return lines
