"""What copbot will send in the coming days: each firing, and how many people it will ask.

Counts come from one ``GROUP BY`` per check-in (members by zone and away day), not from loading
members; a read transaction suffices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import Services
from bot.timefmt import local_time
from bot.usecases.checkin_jobs import REMINDER, jobs_of
from bot.usecases.checkin_run import audience_counts, local_day, pilot_only
from storage import checkins

# Firings listed per schedule at most: far more than one message shows.
MAX_FIRINGS = 200
# Firings counted per schedule at most (one every 30 minutes for 60 days); past it the count
# is a lower bound, and says so.
MAX_COUNTED = 3000


@dataclass(frozen=True)
class Coming:
    """The firings of a window: the first ones listed in time order, and how many follow."""

    lines: list[str]
    # Firings in the window after the last one listed (all schedules together).
    unlisted: int
    # True when a schedule fires so often that ``unlisted`` is only a lower bound.
    at_least: bool
    # Reminder rounds due in the window.
    reminders: int

    def more(self) -> str:
        """The line that says what is not listed, or "" when everything is."""
        if not self.unlisted:
            return ""
        over = "at least " if self.at_least else ""
        return f"…and {over}{self.unlisted} more firing{'s' if self.unlisted != 1 else ''}."

    def reminder_line(self) -> str:
        """The line about reminder rounds, or ""."""
        if not self.reminders:
            return ""
        rounds = f"{self.reminders} round{'s' if self.reminders != 1 else ''}"
        return f"plus {rounds} of reminders to members who have not answered yet"


def _asked(counts: list[tuple[str, date | None, int]], zone: str | None, day: date) -> int:
    """Members asked on ``day``: in the zone (if any) and not away that day."""
    return sum(
        n
        for member_zone, away_until, n in counts
        if (zone is None or member_zone == zone) and (away_until is None or away_until < day)
    )


async def coming_up(
    session: AsyncSession,
    services: Services,
    community_id: int | None,
    now: datetime,
    days: int = 7,
) -> Coming:
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
    total = 0
    at_least = False
    cutoff = end  # the listed lines are the whole timeline up to here
    for job in await jobs_of(session, found):
        checkin, community = by_id[job.subject]
        when = (job.expression, job.timezone)
        if when not in firings:
            firings[when] = services.calendar.times_between(*when, now, end, MAX_COUNTED)
        times = firings[when]
        total += len(times)
        at_least = at_least or len(times) >= MAX_COUNTED
        if len(times) > MAX_FIRINGS:
            # Firings of this schedule past its listed ones are not in ``rows``: list nothing
            # after them, so that what is listed has no gap.
            cutoff = min(cutoff, times[MAX_FIRINGS - 1])
        for at in times[:MAX_FIRINGS]:
            asked = _asked(counts[job.subject], job.zone, local_day(community, at))
            where = f" (members in {job.zone})" if job.zone else ""
            line = f"{local_time(at, job.timezone)}: {checkin.name}{where} → {asked} member(s)"
            rows.append((at, line))
    rows.sort()
    lines = [line for at, line in rows if at <= cutoff]
    reminders = await checkins.pending_reminders(
        session=session,
        kind=REMINDER,
        checkin_ids=[int(key) for key in by_id],
        start=now,
        end=end,
    )
    return Coming(lines, total - len(lines), at_least, reminders)


async def upcoming(
    session: AsyncSession,
    services: Services,
    community_id: int | None,
    now: datetime,
    days: int = 7,
) -> list[str]:
    """What copbot will send in the next ``days``, as lines: the firings, then what follows."""
    coming = await coming_up(session, services, community_id, now, days)
    return [line for line in (*coming.lines, coming.more(), coming.reminder_line()) if line]
