"""Job functions: module-level, taking ids only, as APScheduler 3 wants them.

A job names the scheduler it belongs to by id; the scheduler registers itself here while it
runs, which lets several schedulers live in one process (tests run two against one database).
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)


class Fires(Protocol):
    """What a job needs: something that fires a check-in by id."""

    async def fire_now(self, checkin_id: int, zone: str | None) -> int: ...

    async def rebuild(self) -> None: ...


_RUNNING: dict[str, Fires] = {}


def register(scheduler_id: str, scheduler: Fires) -> None:
    """Make a scheduler reachable by its jobs."""
    _RUNNING[scheduler_id] = scheduler


def unregister(scheduler_id: str) -> None:
    """Forget a scheduler that stopped."""
    _RUNNING.pop(scheduler_id, None)


async def fire_checkin(scheduler_id: str, checkin_id: int, zone: str | None) -> None:
    """The job of one check-in (in one timezone)."""
    scheduler = _RUNNING.get(scheduler_id)
    if scheduler is None:
        log.warning("job for check-in %s ran without its scheduler", checkin_id)
        return
    await scheduler.fire_now(checkin_id, zone)


async def refresh_jobs(scheduler_id: str) -> None:
    """Rebuild the jobs from the database (members may have changed timezone)."""
    scheduler = _RUNNING.get(scheduler_id)
    if scheduler is not None:
        await scheduler.rebuild()
