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
        return times[0] if times else None

    def __str__(self) -> str:
        return f"calendar[{self.expression} {self.timezone}]"
