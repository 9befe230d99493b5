"""Schedule expressions as the core sees them; the scheduler package implements the calendar."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

SCHEDULE_FORMS = (
    '"daily 09:00", "weekdays 09:30", "weekends 10:00", "mon,thu 17:00" '
    'or "cron 0 9 * * 1" (minute hour day month weekday)'
)


class ScheduleError(ValueError):
    """A schedule expression that does not parse; the message speaks to whoever typed it."""


class ScheduleCalendar(Protocol):
    """Understands schedule expressions: validates them, says them in words, finds next times."""

    def normalize(self, expression: str) -> str:
        """Return the canonical form of an expression, or raise ScheduleError."""
        ...

    def describe(self, expression: str, timezone: str) -> str:
        """Say a valid expression in words: "every Monday and Thursday at 17:00 Europe/Berlin"."""
        ...

    def previous_time(self, expression: str, timezone: str, at: datetime) -> datetime | None:
        """The latest firing at or before ``at``, as an aware UTC datetime, if any."""
        ...

    def next_times(
        self, expression: str, timezone: str, after: datetime, count: int = 1
    ) -> list[datetime]:
        """The next ``count`` firing times strictly after ``after``, as aware UTC datetimes."""
        ...

    def times_between(
        self, expression: str, timezone: str, after: datetime, before: datetime, limit: int
    ) -> list[datetime]:
        """The firing times strictly after ``after`` and before ``before``, at most ``limit``."""
        ...
