"""The job engine: which jobs exist, and firing one (on time, late, or never twice).

The database holds the schedules; the scheduler package turns ``jobs()`` into timers and calls
``fire`` with a job id. Firing on time and catching up after downtime take one path: find the
firing due, claim its key, then run it within the grace period or record it missed.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import Services
from bot.jobs import ONCE, Fired, Firing, Job, JobKind, JobRegistry, OneOff, Recurring, parse_job_id
from bot.outbox import outbox_row
from storage import jobs as job_store
from storage import outbox
from storage.availability import unavailable
from storage.engine import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """How one attempt to fire went: ran, missed, or nothing to do (``key`` is then empty)."""

    status: str = ""  # ran | missed | "" (not due, already fired, or gone)
    key: str = ""
    count: int = 0
    # The firing scheduled new jobs (a check-in its reminder): the scheduler should rebuild.
    schedules_changed: bool = False


NOTHING = Outcome()


class Scheduling:
    """The core's side of the scheduler."""

    def __init__(
        self,
        store: Store,
        services: Services,
        registry: JobRegistry,
        on_outgoing: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.services = services
        self.registry = registry
        self._on_outgoing = on_outgoing

    async def jobs(self) -> list[Job]:
        """Every job that should exist now, from the database: recurring ones, then one-offs."""
        async with self.store.transaction() as session:
            found: list[Job] = []
            for kind in self.registry.recurring:
                assert kind.recurring is not None
                found += await kind.recurring(session, self.services, None)
            found += [
                OneOff(row.id, row.kind, row.subject, row.due_at)
                for row in await job_store.pending_once(session=session)
                if row.id is not None and self.registry.get(row.kind) is not None
            ]
            return found

    async def fire(self, job: Job | str, now: datetime) -> int:
        """Fire the firing of a job (or job id) due at or just before ``now``; return how many
        it reached (0 if it ran already, is not due, or its subject is gone)."""
        return (await self.attempt(job, now)).count

    async def catch_up(self, now: datetime) -> list[str]:
        """After downtime: run each missed firing once within the grace, else record it missed."""
        done: list[str] = []
        for job in await self.jobs():
            outcome = await self.attempt(job, now)
            if outcome.status:
                done.append(f"{outcome.status} {outcome.key}")
        return done

    async def attempt(self, job: Job | str, now: datetime) -> Outcome:
        """The one path of every firing: resolve, claim the firing's key, run or record missed.
        A use case that fails is logged in one line and, for a one-off job, settled as failed,
        so that no job stops the others (the database being away is not such a failure)."""
        try:
            return await self._attempt(job, now)
        except Exception as error:
            if unavailable(error):
                raise
            job_id = job if isinstance(job, str) else job.id
            log.warning(
                "job %s failed: %s: %s",
                job_id,
                type(error).__name__,
                error,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            await self._settle_failed(job)
            return Outcome("failed", job_id)

    async def _settle_failed(self, job: Job | str) -> None:
        """A one-off job whose use case failed is not tried again and again; a recurring one
        is, at the next catch-up within its grace."""
        row_id = job.row_id if isinstance(job, OneOff) else None
        if isinstance(job, str) and parse_job_id(job)[0] == ONCE:
            row_id = int(parse_job_id(job)[1])
        if row_id is not None:
            async with self.store.transaction() as session:
                await job_store.settle_once(
                    session=session, row_id=row_id, status="failed", now=self.services.clock.now()
                )

    async def _attempt(self, job: Job | str, now: datetime) -> Outcome:
        prepared = await self._prepared(job, now)
        fired = Fired()
        async with self.store.transaction() as session:
            resolved = await self._resolve(session, job) if isinstance(job, str) else job
            kind = self.registry.get(resolved.kind) if resolved is not None else None
            if resolved is None or kind is None:
                return NOTHING
            firing = await self._due(session, resolved, now)
            if firing is None:
                return NOTHING
            grace = (
                self.services.config.scheduler.misfire_grace if kind.grace is None else kind.grace
            )
            late = now - firing.due > timedelta(seconds=grace)
            if not await self._claim(session, resolved, firing, "missed" if late else "ran"):
                return NOTHING  # fired already, here or by another process
            if late:
                if kind.missed is not None:
                    await kind.missed(firing)
                log.info("job %s missed (due %s, now %s)", firing.key, firing.due, now)
                return Outcome("missed", firing.key)
            if prepared is not None:
                firing = dataclasses.replace(firing, prepared=prepared)
            fired = await kind.fire(firing)
            if fired.outgoing:
                rows = [outbox_row(o, now) for o in fired.outgoing]
                await outbox.enqueue(session=session, rows=rows)
        if fired.outgoing:
            self._on_outgoing()
        return Outcome("ran", firing.key, fired.count, fired.schedules_changed)

    async def _prepared(self, job: Job | str, now: datetime) -> Any:
        """What a kind with a ``prepare`` step makes before its firing's transaction, when a
        read finds the firing due, not yet run and not too late; None otherwise. If another
        process claims the firing meanwhile, the claim below fails and the work is dropped."""
        if not self._may_prepare(job):
            return None
        async with self.store.read() as session:
            resolved = await self._resolve(session, job) if isinstance(job, str) else job
            kind = self.registry.get(resolved.kind) if resolved is not None else None
            if resolved is None or kind is None or kind.prepare is None:
                return None
            firing = await self._due(session, resolved, now)
        grace = self.services.config.scheduler.misfire_grace if kind.grace is None else kind.grace
        if firing is None or now - firing.due > timedelta(seconds=grace):
            return None
        return await kind.prepare(self.store, self.services, firing.subject, firing.due, now)

    def _may_prepare(self, job: Job | str) -> bool:
        """Whether the job's kind may have a ``prepare`` step (a one-off job id does not say
        its kind), so that other firings skip the extra read."""
        name = job.kind if not isinstance(job, str) else parse_job_id(job)[0]
        if name == ONCE:
            return self.registry.prepares
        kind = self.registry.get(name)
        return kind is not None and kind.prepare is not None

    async def _resolve(self, session: AsyncSession, job_id: str) -> Job | None:
        """The job with this id, as the database has it now (None if it no longer exists)."""
        kind_name, subject, _ = parse_job_id(job_id)
        if kind_name == ONCE:
            row = await job_store.once_by_id(session=session, row_id=int(subject))
            if row is None or row.id is None:
                return None
            return OneOff(row.id, row.kind, row.subject, row.due_at)
        kind: JobKind | None = self.registry.get(kind_name)
        if kind is None or kind.recurring is None:
            return None
        wanted = await kind.recurring(session, self.services, subject)
        return next((j for j in wanted if j.id == job_id), None)

    async def _due(self, session: AsyncSession, job: Job, now: datetime) -> Firing | None:
        """The firing due at or before ``now`` that has not been recorded yet, if any."""
        if isinstance(job, OneOff):
            row = await job_store.once_by_id(session=session, row_id=job.row_id)
            if row is None or row.status != "pending" or row.due_at > now:
                return None
            return Firing(
                session, self.services, job.kind, job.subject, None, row.due_at, now, row.key
            )
        due = self.services.calendar.previous_time(job.expression, job.timezone, now)
        if due is None or (job.since is not None and due < job.since):
            return None
        key = job.key(due)
        if await job_store.run_of(session=session, key=key) is not None:
            return None
        return Firing(session, self.services, job.kind, job.subject, job.zone, due, now, key)

    async def _claim(self, session: AsyncSession, job: Job, firing: Firing, status: str) -> bool:
        if isinstance(job, OneOff):
            settled = "done" if status == "ran" else status
            return await job_store.settle_once(
                session=session, row_id=job.row_id, status=settled, now=firing.now
            )
        assert isinstance(job, Recurring)
        return await job_store.record_run(
            session=session,
            key=firing.key,
            kind=job.kind,
            subject=job.subject,
            scheduled_for=firing.due,
            status=status,
            now=firing.now,
        )
