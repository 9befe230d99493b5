"""How close together a cron schedule's firings come: the check behind ``min_interval_minutes``.

Cron fields are independent, so every day a cron schedule fires on, it fires at the same times
of day: the shortest gap is either between two times of one day, or from the last time of a day
to the first of the next, if it fires on two days in a row. Both are found exactly, by walking
one day of times and a few years of days (leap days and month ends included), not by sampling the
first firings. The gaps are in wall-clock time; a DST change can shorten one once a year.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.schedule import Gap

DAY = 1440  # minutes
_FIRST_DAY = datetime(2000, 1, 1, tzinfo=UTC)
_YEARS_OF_DAYS = 8  # two leap cycles: every pattern of weekdays, month ends and 29 February


def _fires(trigger: BaseTrigger, start: datetime, end: datetime) -> Iterator[datetime]:
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire < end:
        yield fire
        fire = trigger.get_next_fire_time(fire, fire)


def _clock(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def _fires_on_consecutive_days(days: BaseTrigger) -> bool:
    previous = None
    end = _FIRST_DAY + timedelta(days=366 * _YEARS_OF_DAYS)
    for fire in _fires(days, _FIRST_DAY, end):
        if previous is not None and fire - previous == timedelta(days=1):
            return True
        previous = fire
    return False


def shortest_gap(minute: str, hour: str, days: BaseTrigger) -> Gap | None:
    """The closest two firings of a cron schedule with these minute and hour fields, firing on
    the days ``days`` fires (at midnight UTC); None when they are a day or more apart."""
    one_day = CronTrigger(minute=minute, hour=hour, timezone=UTC)
    times = [
        f.hour * 60 + f.minute for f in _fires(one_day, _FIRST_DAY, _FIRST_DAY + timedelta(days=1))
    ]
    best: Gap | None = None
    for earlier, later in itertools.pairwise(times):
        if best is None or later - earlier < best.minutes:
            best = Gap(_clock(earlier), _clock(later), later - earlier)
    if times:
        overnight = DAY - times[-1] + times[0]
        closer = best is None or overnight < best.minutes
        if closer and overnight < DAY and _fires_on_consecutive_days(days):
            best = Gap(_clock(times[-1]), f"{_clock(times[0])} the next day", overnight)
    return best if best is not None and best.minutes < DAY else None
