"""The scheduler loop: APScheduler 3.11's AsyncIOScheduler, run by the leader only.

The database holds the jobs. They are rebuilt from it when this process starts leading, whenever
a schedule changes (here, or on another process: PostgreSQL ``NOTIFY``), and every few minutes
(members change timezone); ids are stable and ``replace_existing`` is on, so a rebuild never
duplicates a job. One task rebuilds, so rebuilds never overlap and the newest one always wins.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC
from uuid import uuid4

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.clock import Clock
from bot.jobs import Job, Recurring
from bot.scheduling import Scheduling
from scheduler import jobs
from scheduler.leader import Leader
from scheduler.trigger import CalendarTrigger

log = logging.getLogger(__name__)
FIRING_WAIT = 30.0  # seconds a firing under way gets to finish when the lead is given up


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
        self._changed = asyncio.Event()
        self._firing: set[asyncio.Task[object]] = set()
        self._firing_ids: set[str] = set()  # the jobs firing now, by id
        self.rebuilds = 0  # how many rebuilds finished (for logs and tests)
        # Set once the start-up catch-up has recorded what was missed (or it is not this
        # process's to do): input waits for it, so that it sees what the catch-up found.
        self.caught_up = asyncio.Event()

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
            self.caught_up.set()  # another process leads, or the database is away for now
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self._retry_every)

    async def _lead(self) -> None:
        jobs.register(self.id, self)
        aps = AsyncIOScheduler(timezone=UTC, event_loop=asyncio.get_running_loop())
        aps.start()
        self._aps = aps
        keeper: asyncio.Task[None] | None = None
        try:
            await self.leader.listen(self.schedules_changed)
            try:
                for line in await self.scheduling.catch_up(self.clock.now()):
                    log.info("catch-up: %s", line)
            finally:
                self.caught_up.set()
            self._changed.clear()
            await self._rebuild(aps)
            keeper = asyncio.create_task(self._keep_in_step(aps), name="scheduler-rebuild")
            while not self._stop.is_set() and await self.leader.held():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), self._retry_every)
        finally:
            self._aps = None
            aps.pause()  # no new firings
            if keeper is not None:
                keeper.cancel()
                await asyncio.gather(keeper, return_exceptions=True)
            # A firing under way finishes before the scheduler shuts down (shutting down first
            # would cancel it); its occurrence and messages commit together.
            if self._firing:
                await asyncio.wait(self._firing, timeout=FIRING_WAIT)
            aps.shutdown(wait=False)
            jobs.unregister(self.id)
            await self.leader.release()

    async def _keep_in_step(self, aps: AsyncIOScheduler) -> None:
        """Rebuild on every change (coalesced) and every ``refresh_every`` seconds."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), self._refresh_every)
            self._changed.clear()
            try:
                await self._rebuild(aps)
            except Exception as error:
                # The database may be away for a moment; try again soon, not at the refresh.
                log.warning("scheduler: rebuilding the jobs failed (%s); retrying", error)
                await asyncio.sleep(self._retry_every)
                self._changed.set()

    async def _rebuild(self, aps: AsyncIOScheduler) -> None:
        """Make APScheduler's jobs match the database."""
        wanted = await self.scheduling.jobs()
        before = {job.id for job in aps.get_jobs()}
        for job in wanted:
            if not isinstance(job, Recurring) and job.id in self._firing_ids:
                # A one-off job firing now is pending until its firing commits; added again,
                # APScheduler would start it a second time (and skip it, with a warning).
                continue
            self._add(aps, job)
        keep = {job.id for job in wanted}
        for existing in aps.get_jobs():
            if existing.id not in keep:
                existing.remove()
        self.rebuilds += 1
        added, removed = sorted(keep - before), sorted(before - keep)
        if added or removed:
            log.info(
                "scheduler: %d %s; added %s; removed %s",
                len(keep),
                "job" if len(keep) == 1 else "jobs",
                ", ".join(added) or "none",
                ", ".join(removed) or "none",
            )

    def _add(self, aps: AsyncIOScheduler, job: Job) -> None:
        if isinstance(job, Recurring):
            trigger: CalendarTrigger | DateTrigger = CalendarTrigger(
                self.scheduling.services.calendar, job.expression, job.timezone
            )
            # APScheduler drops a firing later than the grace; the engine records it missed
            # at the next catch-up.
            grace: int | None = self.scheduling.services.config.scheduler.misfire_grace
        else:
            trigger = DateTrigger(run_date=job.due_at)
            grace = None  # always run: the engine itself decides between late and missed
        aps.add_job(
            jobs.fire_job,
            trigger,
            args=[self.id, job.id],
            id=job.id,
            replace_existing=True,
            misfire_grace_time=grace,
            coalesce=True,
            max_instances=1,
        )

    async def fire_now(self, job_id: str) -> int:
        """Fire one job (called by its APScheduler job); a firing that scheduled more jobs
        (a reminder) asks for a rebuild."""
        task = asyncio.current_task()
        assert task is not None
        self._firing.add(task)
        self._firing_ids.add(job_id)
        try:
            outcome = await self.scheduling.attempt(job_id, self.clock.now())
        finally:
            self._firing.discard(task)
            self._firing_ids.discard(job_id)
        if outcome.schedules_changed:
            self.schedules_changed()
        return outcome.count

    def schedules_changed(self) -> None:
        """A schedule changed (here or elsewhere): rebuild the jobs soon, once."""
        self._changed.set()

    def next_runs(self) -> dict[str, object]:
        """Job id to its next run time (for logs and tests)."""
        if self._aps is None:
            return {}
        return {job.id: job.next_run_time for job in self._aps.get_jobs()}

    def stop(self) -> None:
        """Stop leading; a firing under way finishes first."""
        self._stop.set()
