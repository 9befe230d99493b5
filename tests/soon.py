"""A calendar that fires soon: the real calendar, except that each expression's next firing after
it is built comes in 100 ms of real time, so the real APScheduler loop fires without a test
waiting for a minute boundary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import Clock
from scheduler.calendar import CronCalendar

SOON = timedelta(milliseconds=100)


class SoonCalendar(CronCalendar):
    """Fires every expression once, 100 ms after APScheduler first asks; firings are due at the
    injected clock's current minute (so the engine's keys and grace work as ever)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._fired: dict[tuple[str, str], datetime] = {}

    def next_times(
        self, expression: str, timezone: str, after: datetime, count: int = 1
    ) -> list[datetime]:
        """The next firing comes in 100 ms of real time the first time; then never again."""
        key = (expression, timezone)
        if key in self._fired:
            return []
        self._fired[key] = datetime.now(UTC) + SOON
        return [self._fired[key]]

    def previous_time(self, expression: str, timezone: str, at: datetime) -> datetime | None:
        """Once the real 100 ms have passed, the firing due is the injected clock's minute;
        before (a catch-up at start), there is none."""
        fires = self._fired.get((expression, timezone))
        if fires is None or datetime.now(UTC) < fires:
            return None
        return self._clock.now().replace(second=0, microsecond=0)
