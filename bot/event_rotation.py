"""A series' occurrences, and a rotating one's fair times: each occurrence in turn falls in
the working hours of one region, so no one region always meets at night."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.event_times import EventTimeError, check_zone
from bot.words import excerpt

REPEATS = ("weekly", "biweekly", "monthly")
# The same weekday of every month ("the first Thursday"): the one-year plan's webinars; not
# offered by `/cop event add` (yet), whose "monthly" keeps the day of the month.
MONTHLY_WEEKDAY = "monthly-weekday"
_ORDINALS = ("first", "second", "third", "fourth", "last")
MAX_ROTATE = 12
_STEP_DAYS = {"weekly": 7, "biweekly": 14}
_ROTATE_EXAMPLE = '"Europe/Berlin, America/New_York, Asia/Tokyo"'


def parse_rotate(text: str) -> tuple[str, ...]:
    """The zones a series rotates through, from a comma-separated list, each named once."""
    zones: list[str] = []
    for item in text.split(","):
        name = item.strip()
        if not name:
            continue  # "Europe/Berlin, , Asia/Tokyo," is a slip of the keyboard
        try:
            zone = check_zone(name)
        except EventTimeError as error:
            raise EventTimeError(_unknown(name, str(error))) from None
        if zone not in zones:
            zones.append(zone)
    if not zones:
        raise EventTimeError(f"Rotate needs at least one timezone, e.g. {_ROTATE_EXAMPLE}.")
    if len(zones) > MAX_ROTATE:
        raise EventTimeError(
            f"A series rotates through at most {MAX_ROTATE} timezones, and this list has "
            f"{len(zones)}: keep the ones where most members live."
        )
    return tuple(zones)


def _unknown(name: str, hint: str) -> str:
    # check_timezone's hint names the zone itself ('"Europe/Berln" is not a timezone...'),
    # except when it suggests the right case or says what is too long: name it then.
    shown = f'"{excerpt(name)}"'
    if hint.startswith(shown):
        return f"In the rotate list, {hint}"
    return f"In the rotate list, {shown} is not a timezone name. {hint}"


def nominal_start(first: datetime, zone: str, repeat: str, position: int) -> datetime:
    """Occurrence ``position`` (0 = first) of a series: the first's wall time in ``zone``, on
    the day 7 or 14 days (or ``position`` months) on; a time the clocks skip moves on by the
    gap. Aware UTC."""
    if repeat not in (*REPEATS, MONTHLY_WEEKDAY):
        raise ValueError(f"repeat is one of {REPEATS} or {MONTHLY_WEEKDAY}, not {repeat!r}")
    if position < 0:
        raise ValueError("a position counts from 0")
    if position == 0:
        return first.astimezone(UTC)  # as given, even the second of two repeated hours
    place = ZoneInfo(zone)
    local = first.astimezone(place)
    if repeat == "monthly":
        day = _months_later(local.date(), position, local.day)
    elif repeat == MONTHLY_WEEKDAY:
        day = _same_weekday_later(local.date(), position)
    else:
        day = local.date() + timedelta(days=_STEP_DAYS[repeat] * position)
    # fold=0: an hour the clocks repeat is its first; one they skip reads with the offset
    # before the jump, which lands as far past the jump as the gap is long (02:30 -> 03:30).
    wall = datetime.combine(day, local.time().replace(fold=0), tzinfo=place)
    return wall.astimezone(UTC)


def _months_later(start: date, months: int, day: int) -> date:
    # Counted from the first start each time, so the 31st comes back after a short month.
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _same_weekday_later(start: date, months: int) -> date:
    # The n-th such weekday of the month n-th as the first start's; a fifth one, which most
    # months lack, becomes the month's last.
    first = _months_later(start, months, 1)
    day = 1 + (start.weekday() - first.weekday()) % 7 + 7 * ((start.day - 1) // 7)
    while day > calendar.monthrange(first.year, first.month)[1]:
        day -= 7
    return first.replace(day=day)


def weekday_of_month(first: datetime, zone: str) -> str:
    """Which weekday of the month a start is on, as people say it: "first Thursday"."""
    local = first.astimezone(ZoneInfo(zone))
    return f"{_ORDINALS[(local.day - 1) // 7]} {local:%A}"


def fair_start(
    nominal: datetime, region: str, hours: tuple[time, time], duration_minutes: int
) -> datetime:
    """The moment nearest ``nominal`` at which the whole event falls in ``region``'s working
    hours, on the region's own date of ``nominal`` (the hours' start if it is longer than
    they are). Aware UTC."""
    opens, closes = hours
    if opens >= closes:
        raise ValueError("working hours end after they start")
    place = ZoneInfo(region)
    day = nominal.astimezone(place).date()
    # Built as wall times there, then made moments: on a daylight-saving day the window is an
    # hour longer or shorter, and the event's end is measured in real minutes.
    earliest = datetime.combine(day, opens, tzinfo=place).astimezone(UTC)
    end = datetime.combine(day, closes, tzinfo=place).astimezone(UTC)
    latest = end - timedelta(minutes=duration_minutes)
    if latest < earliest or nominal <= earliest:
        return earliest
    return min(nominal.astimezone(UTC), latest)


def occurrence(
    first: datetime,
    zone: str,
    repeat: str,
    position: int,
    rotate: tuple[str, ...],
    hours: tuple[time, time],
    duration_minutes: int,
) -> tuple[datetime, str]:
    """Occurrence ``position``'s start and the region whose hours it keeps ("" when the
    series does not rotate)."""
    nominal = nominal_start(first, zone, repeat, position)
    if not rotate:
        return nominal, ""
    region = rotate[position % len(rotate)]
    return fair_start(nominal, region, hours, duration_minutes), region
