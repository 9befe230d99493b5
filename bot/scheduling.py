"""What the scheduler asks of the core: which jobs exist, firing one, catching up, what is next.

The database holds the schedules; the scheduler package turns ``jobs()`` into APScheduler jobs
and calls ``fire`` with ids only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import Services
from bot.outbox import outbox_row
from bot.outbox_keys import CHECKIN_REMINDER
from bot.timefmt import local_time
from bot.usecases.checkin_run import audience_of, member_zone, occurrence_key, run_checkin
from storage import checkins, directory, outbox
from storage.engine import Store
from storage.models import CheckIn, Community, Schedule

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One recurring firing: a check-in, in one timezone (its community's, or its members')."""

    checkin_id: int
    zone: str | None  # set for check-ins in each member's local time
    expression: str
    timezone: str

    @property
    def id(self) -> str:
        """A stable job id, so that rebuilding replaces instead of adding."""
        return f"checkin:{self.checkin_id}" + (f":{self.zone}" if self.zone else "")


async def _zones(session: AsyncSession, community: Community, checkin: CheckIn) -> list[str]:
    assert community.id is not None
    members = await directory.members_of(session=session, community_id=community.id)
    return sorted({member_zone(m, community) for m in members}) or [community.timezone]


async def _jobs_of(
    session: AsyncSession, checkin: CheckIn, schedule: Schedule, community: Community
) -> list[Job]:
    assert checkin.id is not None
    if not schedule.local_time:
        return [Job(checkin.id, None, schedule.expression, community.timezone)]
    return [
        Job(checkin.id, zone, schedule.expression, zone)
        for zone in await _zones(session, community, checkin)
    ]


class Scheduling:
    """The core's side of the recurring-sessions loop."""

    def __init__(
        self, store: Store, services: Services, on_outgoing: Callable[[], None] = lambda: None
    ) -> None:
        self.store = store
        self.services = services
        self._on_outgoing = on_outgoing

    async def jobs(self) -> list[Job]:
        """Every job that should exist now, from the database."""
        async with self.store.transaction() as session:
            found: list[Job] = []
            for checkin, schedule, community in await checkins.active_checkins(session=session):
                found += await _jobs_of(session, checkin, schedule, community)
            return found

    async def fire(self, checkin_id: int, zone: str | None, now: datetime) -> int:
        """Run the firing due at or just before ``now``; return how many were asked (0 if it had
        run already, or the check-in is no longer active)."""
        grace = timedelta(seconds=self.services.config.scheduler.misfire_grace)
        async with self.store.transaction() as session:
            found = await checkins.active_checkin(session=session, checkin_id=checkin_id)
            if found is None:
                return 0
            checkin, schedule, community = found
            timezone = zone or community.timezone
            due = self.services.calendar.previous_time(schedule.expression, timezone, now)
            if due is None:
                return 0
            if now - due > grace:
                key = occurrence_key(checkin_id, due, zone)
                if await checkins.occurrence_by_key(session=session, key=key) is None:
                    await checkins.record_missed(
                        session=session,
                        checkin_id=checkin_id,
                        key=key,
                        scheduled_for=due,
                        zone=zone,
                        now=now,
                    )
                return 0
            return await self._run(session, checkin, community, due, zone, now)

    async def _run(
        self,
        session: AsyncSession,
        checkin: CheckIn,
        community: Community,
        due: datetime,
        zone: str | None,
        now: datetime,
    ) -> int:
        remind = self.services.config.scheduler.reminder_after
        run = await run_checkin(
            session,
            community,
            checkin,
            due,
            now,
            zone=zone,
            scheduled=True,
            remind_after=timedelta(seconds=remind) if remind else None,
        )
        if run.already_ran or run.occurrence is None:
            return 0
        if run.outgoing:
            await outbox.enqueue(session=session, rows=[outbox_row(o, now) for o in run.outgoing])
            self._on_outgoing()
        log.info("check-in %s fired for %s: %d asked", checkin.id, due, run.occurrence.sent_count)
        return run.occurrence.sent_count

    async def catch_up(self, now: datetime) -> list[str]:
        """After downtime: run each missed firing once within the grace, else record it missed."""
        grace = timedelta(seconds=self.services.config.scheduler.misfire_grace)
        done: list[str] = []
        for job in await self.jobs():
            async with self.store.transaction() as session:
                found = await checkins.active_checkin(session=session, checkin_id=job.checkin_id)
                if found is None:
                    continue
                checkin, _, community = found
                due = self.services.calendar.previous_time(job.expression, job.timezone, now)
                if due is None or due < checkin.created_at:
                    continue
                key = occurrence_key(job.checkin_id, due, job.zone)
                if await checkins.occurrence_by_key(session=session, key=key) is not None:
                    continue
                if now - due <= grace:
                    await self._run(session, checkin, community, due, job.zone, now)
                    done.append(f"ran {key}")
                else:
                    await checkins.record_missed(
                        session=session,
                        checkin_id=job.checkin_id,
                        key=key,
                        scheduled_for=due,
                        zone=job.zone,
                        now=now,
                    )
                    done.append(f"missed {key}")
        return done


async def upcoming(
    session: AsyncSession,
    services: Services,
    community_id: int | None,
    now: datetime,
    days: int = 7,
) -> list[str]:
    """What copbot will send in the next ``days``: each firing with how many it will ask."""
    end = now + timedelta(days=days)
    rows: list[tuple[datetime, str]] = []
    calendar = services.calendar
    for checkin, schedule, community in await checkins.active_checkins(
        session=session, community_id=community_id
    ):
        for job in await _jobs_of(session, checkin, schedule, community):
            for at in calendar.next_times(job.expression, job.timezone, now, count=200):
                if at >= end:
                    break
                asked = len(await audience_of(session, community, checkin, at, job.zone))
                where = f" (members in {job.zone})" if job.zone else ""
                rows.append(
                    (
                        at,
                        f"{local_time(at, job.timezone)}: {checkin.name}"
                        f"{where} → {asked} member(s)",
                    )
                )
    rows.sort()
    reminders = await outbox.pending_between(
        session=session, platforms=None, kind=CHECKIN_REMINDER, start=now, end=end
    )
    lines = [line for _, line in rows]
    if reminders:
        lines.append(f"plus {reminders} reminder(s) to members who have not answered yet")
    return lines
