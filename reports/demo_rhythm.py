"""When people post: a working week in the community's timezone, busiest on weekday mornings,
quiet at night and at weekends; daylight saving is the zone's own."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

HOUR = timedelta(hours=1)
# How busy each local hour of a weekday is, relative to the busiest.
WEEKDAY_HOURS = (
    0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.2, 0.5, 1.0, 1.0, 0.95,
    0.7, 0.85, 0.9, 0.85, 0.75, 0.6, 0.45, 0.35, 0.3, 0.25, 0.15, 0.07,
)  # fmt: skip
WEEKEND = 0.12  # a Saturday or Sunday hour against the same weekday hour
FRIDAY_AFTERNOON = 0.7  # people leave early


def hour_weights() -> list[float]:
    """How busy each of the week's 168 local hours is, Monday 00:00 first."""
    weights = []
    for day in range(7):
        for hour, busy in enumerate(WEEKDAY_HOURS):
            if day >= 5:
                busy *= WEEKEND
            elif day == 4 and hour >= 14:
                busy *= FRIDAY_AFTERNOON
            weights.append(busy)
    return weights


class WeekRhythm:
    """Draws instants in one week, as often in each hour as people there are around."""

    def __init__(self, monday: date, timezone: str) -> None:
        zone = ZoneInfo(timezone)
        # Each local hour's start as a UTC instant: wall-clock hours, so 09:00 stays 09:00
        # across a change of daylight saving time.
        self.starts = [
            datetime.combine(monday + timedelta(days=day), time(hour), tzinfo=zone).astimezone(UTC)
            for day in range(7)
            for hour in range(24)
        ]
        total = 0.0
        self._cumulative = []
        for weight in hour_weights():
            total += weight
            self._cumulative.append(total)
        self._hours = range(len(self.starts))

    def instants(self, rng: random.Random, count: int) -> list[datetime]:
        """``count`` instants (UTC) in the week, drawn by the week's rhythm."""
        hours = rng.choices(self._hours, cum_weights=self._cumulative, k=count)
        return [self.starts[h] + HOUR * rng.random() for h in hours]


def poisson(rng: random.Random, mean: float) -> int:
    """A count with this mean (Knuth's method for small means, a rounded normal for large)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, mean**0.5)))
    limit, count, product = 2.718281828459045**-mean, 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def instant_in(monday: date, fraction: float, timezone: str) -> datetime:
    """The instant (UTC) so far through a week by its rhythm: the day by the fraction, the hour
    in that day as its busy hours come, so that people turn up in working hours, not at 3 am."""
    position = min(max(fraction, 0.0), 0.999999) * 7
    day = int(position)
    target = (position - day) * sum(WEEKDAY_HOURS)
    hour, into = len(WEEKDAY_HOURS) - 1, 1.0
    for number, weight in enumerate(WEEKDAY_HOURS):
        if target <= weight:
            hour, into = number, target / weight
            break
        target -= weight
    start = datetime.combine(monday + timedelta(days=day), time(hour), tzinfo=ZoneInfo(timezone))
    return start.astimezone(UTC) + HOUR * into
