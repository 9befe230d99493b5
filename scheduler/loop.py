"""The recurring-sessions loop: APScheduler 3.11's AsyncIOScheduler, run by the leader only.

The database holds the schedules. Jobs are rebuilt from it when this process starts leading,
whenever a schedule changes, and every few minutes (members change timezone); ids are stable and
``replace_existing`` is on, so a rebuild never duplicates a job.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC
from uuid import uuid4

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.scheduling import Scheduling
from scheduler import jobs
from scheduler.leader import Leader
from scheduler.trigger import CalendarTrigger

log = logging.getLogger(__name__)
REFRESH = "refresh-jobs"


class RecurringSessions:
    """Leads (or waits to lead), keeps APScheduler's jobs in step with the database, fires."""

    def __init__(
        self,
        scheduling: Scheduling,
        clock: Clock,
        leader: Leader,
        *,
        retry_every: float = 5.0,
        refresh_every: float = 600.0,
    ) -> None:
        self.scheduling = scheduling
        self.clock = clock
        self.leader = leader
        self.id = uuid4().hex
        self._retry_every = retry_every
        self._refresh_every = refresh_every
        self._aps: AsyncIOScheduler | None = None
        self._stop = asyncio.Event()
        self._firing: set[asyncio.Task[int]] = set()

    @property
    def leading(self) -> bool:
        """Whether this process runs the scheduler right now."""
        return self._aps is not None

    async def run(self) -> None:
        """Lead when possible, until stopped; an error gives the lead up and tries again."""
        while not self._stop.is_set():
            try:
                if await self.leader.acquire():
                    await self._lead()
                    continue
            except Exception:
                log.exception("scheduler failed; giving the lead up and trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self._retry_every)

    async def _lead(self) -> None:
        jobs.register(self.id, self)
        self._aps = AsyncIOScheduler(timezone=UTC, event_loop=asyncio.get_running_loop())
        self._aps.start()
        try:
            for line in await self.scheduling.catch_up(self.clock.now()):
                log.info("catch-up: %s", line)
            await self.rebuild()
            self._aps.add_job(
                jobs.refresh_jobs,
                IntervalTrigger(seconds=self._refresh_every),
                args=[self.id],
                id=REFRESH,
                replace_existing=True,
            )
            while not self._stop.is_set() and await self.leader.held():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), self._retry_every)
        finally:
            aps, self._aps = self._aps, None
            aps.pause()  # no new firings
            # A firing under way finishes before the scheduler shuts down (shutting down first
            # would cancel it); its occurrence and messages commit together.
            if self._firing:
                await asyncio.wait(self._firing, timeout=30)
            aps.shutdown(wait=False)
            jobs.unregister(self.id)
            await self.leader.release()

    async def rebuild(self) -> None:
        """Make APScheduler's jobs match the database."""
        if self._aps is None:
            return
        wanted = await self.scheduling.jobs()
        grace = self.scheduling.services.config.scheduler.misfire_grace
        calendar = self.scheduling.services.calendar
        for job in wanted:
            self._aps.add_job(
                jobs.fire_checkin,
                CalendarTrigger(calendar, job.expression, job.timezone),
                args=[self.id, job.checkin_id, job.zone],
                id=job.id,
                replace_existing=True,
                misfire_grace_time=grace,
                coalesce=True,
                max_instances=1,
            )
        keep = {job.id for job in wanted} | {REFRESH}
        for existing in self._aps.get_jobs():
            if existing.id not in keep:
                existing.remove()

    async def fire_now(self, checkin_id: int, zone: str | None) -> int:
        """Fire one check-in (called by its job)."""
        task = asyncio.current_task()
        assert task is not None
        self._firing.add(task)
        try:
            return await self.scheduling.fire(checkin_id, zone, self.clock.now())
        finally:
            self._firing.discard(task)

    def schedules_changed(self) -> None:
        """A check-in or a member's timezone changed: rebuild the jobs soon."""
        if self._aps is not None:
            asyncio.get_running_loop().create_task(self.rebuild())

    def next_runs(self) -> dict[str, object]:
        """Job id to its next run time (for logs and tests)."""
        if self._aps is None:
            return {}
        return {job.id: job.next_run_time for job in self._aps.get_jobs()}

    def stop(self) -> None:
        """Stop leading; a firing under way finishes first."""
        self._stop.set()
