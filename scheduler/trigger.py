"""An APScheduler trigger that fires when copbot's calendar says, DST rules included."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger

from bot.schedule import ScheduleCalendar


class CalendarTrigger(BaseTrigger):
    """Fires at the times ``calendar.next_times`` gives for an expression in a timezone.

    The calendar is the one place that decides what "daily 09:00 Europe/Berlin" means on the day
    the clocks change, so the scheduler and ``/cop upcoming`` can never disagree.
    """

    def __init__(self, calendar: ScheduleCalendar, expression: str, timezone: str) -> None:
        self.calendar = calendar
        self.expression = expression
        self.timezone = timezone

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """The first firing after the previous one, or at or after ``now`` for a new job."""
        after = previous_fire_time or now - timedelta(microseconds=1)
        times = self.calendar.next_times(self.expression, self.timezone, after, count=1)
        if not times:
            return None
        # Always strictly later than the previous firing, as an instant: APScheduler would
        # otherwise ask again and again for the same time.
        assert previous_fire_time is None or times[0].timestamp() > previous_fire_time.timestamp()
        return times[0]

    def __str__(self) -> str:
        return f"calendar[{self.expression} {self.timezone}]"
