"""Schedule expressions as the core sees them; the scheduler package implements the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.words import plural

SCHEDULE_FORMS = (
    '"daily 09:00", "weekdays 09:30", "weekends 10:00", "mon,thu 17:00", '
    '"biweekly tue 10:00 from 2027-01-05" or "cron 0 9 * * 1" (minute hour day month weekday)'
)


class ScheduleError(ValueError):
    """A schedule expression that does not parse; the message speaks to whoever typed it."""


@dataclass(frozen=True)
class Gap:
    """Two firings of a schedule that come closest together: their clock times, the minutes
    between them."""

    first: str  # "09:00"
    second: str  # "09:05", or "00:10 the next day"
    minutes: int


def check_frequency(calendar: ScheduleCalendar, expression: str, minimum: int) -> None:
    """Refuse a schedule with two firings closer than ``minimum`` minutes (ScheduleError)."""
    gap = calendar.shortest_gap(expression)
    if gap is None or gap.minutes >= minimum:
        return
    raise ScheduleError(
        f'"{expression}" fires at {gap.first} and again at {gap.second}, '
        f"{plural(gap.minutes, 'minute')} apart. copbot asks people at most once every "
        f"{plural(minimum, 'minute')} (the operator's `[scheduler] min_interval_minutes`): "
        "pick a schedule whose firings are further apart."
    )


class ScheduleCalendar(Protocol):
    """Understands schedule expressions: validates them, says them in words, finds next times."""

    def normalize(self, expression: str) -> str:
        """Return the canonical form of an expression, or raise ScheduleError."""
        ...

    def shortest_gap(self, expression: str) -> Gap | None:
        """The two firings of a valid expression that come closest together, in wall-clock
        time; None when every two are at least a day apart."""
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
