"""The calendar of schedule expressions, built on APScheduler 3.11's ``CronTrigger``.

``CronCalendar`` implements ``bot.schedule.ScheduleCalendar``. Two APScheduler 3.x quirks are
handled here so that ``cron`` expressions mean what they mean in a crontab:

* 3.x numbers weekdays from 0 = Monday even in ``from_crontab`` (and rejects 7), so crontab
  weekday numbers (0 and 7 = Sunday) are turned into day names before APScheduler sees them.
* crontab fires when EITHER a restricted day of month OR a restricted weekday matches; 3.x
  requires both, so such expressions become an ``OrTrigger`` of the two halves.

Across a DST fall-back, APScheduler fires a repeated wall-clock time twice (once per offset);
``next_times`` keeps only the first. A wall-clock time skipped by spring-forward (02:30 in
Europe/Berlin on 29 March 2026) fires once, one hour later by the clock (01:30 UTC, 03:30 CEST).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.schedule import SCHEDULE_FORMS, Gap, ScheduleError
from scheduler import frequency

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_LOOKUP = {name.lower(): i for names in (DAYS, DAY_NAMES) for i, name in enumerate(names)}
_WORDS = {  # canonical word: (the days it stands for, how describe says it)
    "daily": (frozenset(range(7)), "every day"),
    "weekdays": (frozenset(range(5)), "every weekday"),
    "weekends": (frozenset({5, 6}), "every weekend day"),
}
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_TIME_HINT = "use HH:MM, 00:00 to 23:59"
_BIWEEKLY_HINT = '"biweekly tue 10:00 from 2027-01-05"'
_CRON_FIELDS = dict(
    minute="minute", hour="hour", day="day-of-month", month="month", day_of_week="weekday"
)
_CRON_WEEKDAY_NUMBERS = re.compile(r"(?:\*|(\d+)(?:-(\d+))?)(?:/(\d+))?")


@dataclass(frozen=True)
class _Schedule:
    days: frozenset[int] = frozenset()
    hour: int = 0
    minute: int = 0
    cron: tuple[str, ...] = ()
    # "... from YYYY-MM-DD": nothing before this date; with ``biweekly``, only every other
    # week, counted from this date's week (Monday to Sunday).
    since: date | None = None
    biweekly: bool = False

    def canonical(self) -> str:
        if self.cron:
            return "cron " + " ".join(self.cron)
        if self.since is not None:
            weekly = _Schedule(self.days, self.hour, self.minute).canonical()
            every = "biweekly " if self.biweekly else ""
            return f"{every}{weekly} from {self.since.isoformat()}"
        time = f"{self.hour:02d}:{self.minute:02d}"
        for word, (days, _) in _WORDS.items():
            if self.days == days:
                return f"{word} {time}"
        return ",".join(DAYS[d] for d in sorted(self.days)) + " " + time


def _error(expression: str, problem: str) -> ScheduleError:
    return ScheduleError(f'"{expression.strip()}": {problem}. Schedules look like {SCHEDULE_FORMS}')


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScheduleError(
            f'"{name}" is not a time zone I know '
            "(use an IANA name such as Europe/Berlin, America/New_York or UTC)"
        ) from None


def _parse(expression: str) -> _Schedule:
    text = re.sub(r"\s*,\s*", ",", " ".join(expression.lower().split()))
    if not text:
        raise ScheduleError(f"The schedule is empty. Schedules look like {SCHEDULE_FORMS}")
    head, _, rest = text.partition(" ")
    if head == "cron":
        return _parse_cron(expression, rest.split())
    biweekly = head == "biweekly"
    if biweekly:
        head, _, rest = rest.partition(" ")
    rest, since = _parse_since(expression, rest, biweekly)
    if not rest and (head in _WORDS or all(d in _DAY_LOOKUP for d in head.split(","))):
        raise _error(expression, f"the time of day is missing ({_TIME_HINT})")
    if not rest or " " in rest:
        raise _error(expression, "this is not a schedule I understand")
    days = _parse_days(expression, head)
    return _Schedule(days, *_parse_time(expression, rest), since=since, biweekly=biweekly)


def _parse_since(expression: str, rest: str, biweekly: bool) -> tuple[str, date | None]:
    """Split "10:00 from 2027-01-05" into the time and the first date (required by biweekly)."""
    time, found, first = rest.partition(" from ")
    if not found:
        if biweekly:
            raise _error(expression, f"every other week reads {_BIWEEKLY_HINT}")
        return rest, None
    try:
        return time, date.fromisoformat(first)
    except ValueError:
        problem = f'"{first}" is not a date (write the first day as YYYY-MM-DD)'
        raise _error(expression, problem) from None


def _kept(schedule: _Schedule, local_day: date) -> bool:
    """Whether a weekly firing on this local day is on or after the first date and, for a
    biweekly rhythm, in one of its weeks."""
    first = schedule.since
    if first is None:
        return True
    monday = first - timedelta(days=first.weekday())
    weeks = (local_day - monday).days // 7
    return local_day >= first and not (schedule.biweekly and weeks % 2)


def _parse_days(expression: str, word: str) -> frozenset[int]:
    if word in _WORDS:
        return _WORDS[word][0]
    days: list[int] = []
    for name in word.split(","):
        if name not in _DAY_LOOKUP:
            hint = ", ".join(DAYS) if "," in word else "daily, weekdays, weekends or days: mon,thu"
            raise _error(expression, f'"{name}" is not a day (use {hint})')
        if _DAY_LOOKUP[name] in days:
            raise _error(expression, f"{DAY_NAMES[_DAY_LOOKUP[name]]} is listed twice")
        days.append(_DAY_LOOKUP[name])
    return frozenset(days)


def _parse_time(expression: str, word: str) -> tuple[int, int]:
    match = _TIME.fullmatch(word)
    if match is None:
        raise _error(expression, f'"{word}" is not a time of day ({_TIME_HINT})')
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise _error(expression, f"{word} is not a time of day ({_TIME_HINT})")
    return hour, minute


def _parse_cron(expression: str, fields: list[str]) -> _Schedule:
    if "from" in fields:  # a first date is for day names: cron has its own day fields
        raise _error(expression, 'a cron schedule takes no "from" date (day names do)')
    if len(fields) != 5:
        problem = "a cron schedule needs exactly 5 fields (minute hour day month weekday)"
        raise _error(expression, f"{problem}, not {len(fields)}")
    for (name, label), value in zip(_CRON_FIELDS.items(), fields, strict=True):
        try:  # one field at a time, so the message can say which field is wrong
            aps_value = _crontab_weekdays(value) if name == "day_of_week" else value
            CronTrigger(**{name: aps_value}, timezone=UTC)
        except ValueError as exc:
            reason = str(exc).rpartition(": ")[2]
            raise _error(
                expression, f'the {label} field "{value}" is not valid ({reason})'
            ) from None
    schedule = _Schedule(cron=tuple(fields))
    if _trigger(schedule, UTC).get_next_fire_time(None, datetime.now(UTC)) is None:
        raise _error(expression, "this cron schedule never fires (no such date)")
    return schedule


def _crontab_weekdays(field: str) -> str:
    """Crontab weekday numbers (0 and 7 = Sunday) as names, which APScheduler 3.x reads right."""
    parts: list[str] = []
    for part in field.split(","):
        match = _CRON_WEEKDAY_NUMBERS.fullmatch(part)
        if match is None or part == "*":
            parts.append(part)  # names (mon-fri) mean the same to both; APScheduler validates them
            continue
        first = int(match[1] or 0)
        last = int(match[2] or (7 if match[1] is None or match[3] else first))
        step = int(match[3] or 1)
        if last > 7 or first > last or step == 0:
            raise ValueError(f"{part}: weekday numbers go low-high from 0 to 7, 0 and 7 are Sunday")
        parts.extend(DAYS[(n - 1) % 7] for n in range(first, last + 1, step))
    return ",".join(dict.fromkeys(parts))


def _trigger(schedule: _Schedule, zone: tzinfo) -> BaseTrigger:
    if not schedule.cron:
        weekdays = ",".join(DAYS[d] for d in sorted(schedule.days))
        return CronTrigger(
            day_of_week=weekdays, hour=schedule.hour, minute=schedule.minute, timezone=zone
        )
    minute, hour, day, month, weekday = schedule.cron
    names = _crontab_weekdays(weekday)
    if day.startswith("*") or weekday.startswith("*"):
        return CronTrigger.from_crontab(f"{minute} {hour} {day} {month} {names}", timezone=zone)
    halves = (f"{day} {month} *", f"* {month} {names}")  # crontab: a day of month OR a weekday
    return OrTrigger([CronTrigger.from_crontab(f"{minute} {hour} {h}", zone) for h in halves])


class CronCalendar:
    """Schedule expressions ("daily 09:00", "mon,thu 17:00", "cron 0 9 * * 1") on APScheduler."""

    def normalize(self, expression: str) -> str:
        """Return the canonical form of an expression, or raise ScheduleError."""
        return _parse(expression).canonical()

    def shortest_gap(self, expression: str) -> Gap | None:
        """The two firings that come closest together; None when they are a day or more apart."""
        schedule = _parse(expression)
        if not schedule.cron:
            return None  # one time of day
        minute, hour, *days = schedule.cron
        return frequency.shortest_gap(
            minute, hour, _trigger(_Schedule(cron=("0", "0", *days)), UTC)
        )

    def describe(self, expression: str, timezone: str) -> str:
        """Say an expression in words, e.g. "every Monday and Thursday at 17:00 Europe/Berlin"."""
        schedule = _parse(expression)
        _zone(timezone)
        if schedule.cron:
            return f"on cron schedule {' '.join(schedule.cron)} ({timezone})"
        at = f"at {schedule.hour:02d}:{schedule.minute:02d} {timezone}"
        first = schedule.since
        since = f", starting {first.day} {first:%B %Y}" if first else ""
        for days, words in _WORDS.values():
            if schedule.days == days:
                words = f"{words} of every other week" if schedule.biweekly else words
                return f"{words} {at}{since}"
        names = [DAY_NAMES[d] for d in sorted(schedule.days)]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"every {'other ' if schedule.biweekly else ''}{listed} {at}{since}"

    def previous_time(self, expression: str, timezone: str, at: datetime) -> datetime | None:
        """The latest firing at or before ``at`` (looking back at most about a year), in UTC."""
        for lookback in (
            timedelta(hours=2),
            timedelta(days=1),
            timedelta(days=8),
            timedelta(days=32),
            timedelta(days=400),
        ):
            latest = None
            for fire in self._times(expression, timezone, at - lookback):
                if fire > at:
                    break
                latest = fire
            if latest is not None:
                return latest
        return None

    def next_times(
        self, expression: str, timezone: str, after: datetime, count: int = 1
    ) -> list[datetime]:
        """The next ``count`` firing times strictly after ``after``, as aware UTC datetimes."""
        return list(itertools.islice(self._times(expression, timezone, after), count))

    def times_between(
        self, expression: str, timezone: str, after: datetime, before: datetime, limit: int
    ) -> list[datetime]:
        """The firing times strictly after ``after`` and before ``before``, at most ``limit``."""
        times = itertools.takewhile(lambda t: t < before, self._times(expression, timezone, after))
        return list(itertools.islice(times, limit))

    def _times(self, expression: str, timezone: str, after: datetime) -> Iterator[datetime]:
        if after.tzinfo is None or after.utcoffset() is None:
            raise ValueError("next_times needs an aware datetime for 'after'")
        schedule, zone = _parse(expression), _zone(timezone)
        trigger = _trigger(schedule, zone)
        if schedule.since is not None:  # start on the first date, not at each firing before it
            midnight = datetime.combine(schedule.since, datetime.min.time(), zone)
            after = max(after, midnight - timedelta(microseconds=1))
        floor = after.timestamp()  # compared as instants: an ambiguous local time is not one
        previous = after
        while True:
            try:  # time ends with the year 9999 in UTC ("from 9999-12-31" west of Greenwich)
                fire = trigger.get_next_fire_time(previous, previous)
                utc = fire and fire.astimezone(UTC)
            except OverflowError:
                return
            if fire is None or utc is None:
                return
            if fire.timestamp() <= floor:
                # No progress (APScheduler can hand back a repeated wall-clock time): step on.
                previous = datetime.fromtimestamp(floor + 1, UTC)
                continue
            previous = fire
            floor = fire.timestamp()
            if fire.fold and fire.replace(fold=0).utcoffset() != fire.utcoffset():
                continue  # the second pass of a wall-clock time repeated by DST fall-back
            if _kept(schedule, fire.date()):  # fire is in the zone: its local day
                yield utc
