"""Job functions: module-level, taking ids only, as APScheduler 3 wants them.

A job names the scheduler it belongs to by id; the scheduler registers itself here while it
runs, which lets several schedulers live in one process (tests run two against one database).
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)


class Fires(Protocol):
    """What a job needs: something that fires a job by its id."""

    async def fire_now(self, job_id: str) -> int: ...


_RUNNING: dict[str, Fires] = {}


def register(scheduler_id: str, scheduler: Fires) -> None:
    """Make a scheduler reachable by its jobs."""
    _RUNNING[scheduler_id] = scheduler


def unregister(scheduler_id: str) -> None:
    """Forget a scheduler that stopped."""
    _RUNNING.pop(scheduler_id, None)


async def fire_job(scheduler_id: str, job_id: str) -> None:
    """The function of every job, whatever its kind: the engine resolves the id."""
    scheduler = _RUNNING.get(scheduler_id)
    if scheduler is None:
        log.warning("job %s ran without its scheduler", job_id)
        return
    await scheduler.fire_now(job_id)
