"""Jobs of any kind: what copbot does at a time of its own, declared by kind in one registry.

A kind names the use case that fires it and how its due times are found: recurring jobs follow a
schedule expression in a timezone (the community's, or one member zone), one-off jobs wait for one
instant in the ``scheduled_job`` table. The scheduler knows kinds only through this registry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import Services
from bot.ui import Outgoing
from storage.engine import Store

ONCE = "once"


def firing_key(kind: str, subject: str, due: datetime, zone: str | None = None) -> str:
    """The idempotency key of one firing of a recurring job (kind, subject, minute, zone)."""
    key = f"{kind}:{subject}:{due:%Y-%m-%dT%H:%M}"
    return f"{key}:{zone}" if zone else key


@dataclass(frozen=True)
class Recurring:
    """A recurring job: a kind's subject on a schedule, in one timezone."""

    kind: str
    subject: str
    expression: str
    timezone: str
    zone: str | None = None  # set when the job serves the members living in one zone
    since: datetime | None = None  # no firing before this (catch-up never reaches back further)

    @property
    def id(self) -> str:
        """A stable id, so that rebuilding replaces a job instead of adding one."""
        return f"{self.kind}:{self.subject}" + (f":{self.zone}" if self.zone else "")

    def key(self, due: datetime) -> str:
        """The idempotency key of the firing due at ``due``."""
        return firing_key(self.kind, self.subject, due, self.zone)


@dataclass(frozen=True)
class OneOff:
    """A one-off job: a kind's subject at one instant (a row of ``scheduled_job``)."""

    row_id: int
    kind: str
    subject: str
    due_at: datetime

    @property
    def id(self) -> str:
        """A stable id for the scheduler."""
        return f"{ONCE}:{self.row_id}"


Job = Recurring | OneOff


@dataclass(frozen=True)
class Firing:
    """What a kind's use case is handed when its job fires, inside the firing's transaction."""

    session: AsyncSession
    services: Services
    kind: str
    subject: str
    zone: str | None
    due: datetime
    now: datetime
    key: str
    # What the kind's ``prepare`` made outside the transaction (a report's files), if it has one.
    prepared: Any = None


@dataclass(frozen=True)
class Fired:
    """What a firing produced: messages to send, and how many people it reached."""

    outgoing: list[Outgoing] = field(default_factory=list)
    count: int = 0
    # A firing that scheduled new jobs (a check-in schedules its reminder) asks for a rebuild.
    schedules_changed: bool = False


FireJob = Callable[[Firing], Awaitable[Fired]]
# Work too long to hold the firing's transaction open for (on SQLite, the write lock): done
# before it, once the firing is known to be due and not yet run; handed to ``fire``.
PrepareJob = Callable[[Store, Services, str, datetime, datetime], Awaitable[Any]]
MissJob = Callable[[Firing], Awaitable[None]]
ListJobs = Callable[[AsyncSession, Services, str | None], Awaitable[list[Recurring]]]


@dataclass(frozen=True)
class JobKind:
    """One kind of job: the use case that fires it and, for recurring kinds, where its jobs are."""

    name: str
    fire: FireJob
    # Recurring kinds list their jobs (all, or one subject's); one-off kinds have none here.
    recurring: ListJobs | None = None
    # Called instead of ``fire`` for a firing too late to run (recorded as missed).
    missed: MissJob | None = None
    # Seconds a firing may be late and still run; None: ``[scheduler] misfire_grace``.
    grace: float | None = None
    # Called with (store, services, subject, due, now) before the firing's transaction.
    prepare: PrepareJob | None = None


class JobRegistry:
    """Every job kind copbot knows, by name."""

    def __init__(self, kinds: Iterable[JobKind] = ()) -> None:
        self._kinds: dict[str, JobKind] = {}
        for kind in kinds:
            self.add(kind)

    def add(self, kind: JobKind) -> None:
        """Register a kind; a name registered twice is a programming error."""
        if kind.name in self._kinds or ":" in kind.name:
            raise ValueError(f"job kind {kind.name!r} is registered twice or has a colon")
        self._kinds[kind.name] = kind

    def get(self, name: str) -> JobKind | None:
        """The kind with this name."""
        return self._kinds.get(name)

    @property
    def recurring(self) -> Sequence[JobKind]:
        """The kinds whose jobs follow schedules."""
        return [k for k in self._kinds.values() if k.recurring is not None]

    @property
    def prepares(self) -> bool:
        """Whether any kind has a ``prepare`` step."""
        return any(k.prepare is not None for k in self._kinds.values())

    @property
    def names(self) -> list[str]:
        """Every registered kind's name."""
        return sorted(self._kinds)


def parse_job_id(job_id: str) -> tuple[str, str, str | None]:
    """Split a recurring job id into kind, subject and zone (zones such as America/New_York
    hold no colon; subjects hold none either)."""
    kind, _, rest = job_id.partition(":")
    subject, _, zone = rest.partition(":")
    return kind, subject, zone or None
