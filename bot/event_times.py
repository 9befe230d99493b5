"""An event's start, length, link and zone as a person types them, checked once, and the start
written out for them; daylight saving's gaps and overlaps are named, never guessed."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.timezones import check_timezone
from bot.words import excerpt


class EventTimeError(ValueError):
    """Bad event input; str(error) is the message for the person who typed it."""


# "2026-12-08 18:00" or "2026-12-08T18:00"; an hour may be written with one digit ("9:30").
_START = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:\s+|T)(\d{1,2}):(\d{2})")
MAX_YEARS_AHEAD = 2
MAX_DURATION = 24 * 60
MAX_LINK = 500
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def check_zone(name: str) -> str:
    """The zone's IANA name, or EventTimeError saying what to write instead."""
    try:
        return check_timezone(name)
    except ValueError as error:
        raise EventTimeError(str(error)) from None


def parse_start(text: str, zone: str, now: datetime) -> datetime:
    """Read ``YYYY-MM-DD HH:MM`` as a wall time in ``zone``: the start as an aware UTC moment,
    in the next two years; a time the clocks skip is refused, one they repeat is the first."""
    place = ZoneInfo(check_zone(zone))
    _require_aware(now)
    example = _example(now, place)
    found = _START.fullmatch(text.strip())
    if found is None:
        raise EventTimeError(
            f'I could not read "{excerpt(text)}" as a start: write it as "{example}".'
        )
    year, month, day, hour, minute = (int(part) for part in found.groups())
    # Checked before any zone is applied: year 1 or 9999 overflows the conversions.
    if year < now.year - 1:
        raise EventTimeError(
            f'"{excerpt(text)}" is in the past; pick a later one, e.g. "{example}".'
        )
    if year > now.year + MAX_YEARS_AHEAD + 1:
        raise EventTimeError(
            f'"{excerpt(text)}" is more than {MAX_YEARS_AHEAD} years away; '
            f'pick a nearer one, e.g. "{example}".'
        )
    try:
        wall = datetime(year, month, day, hour, minute)
    except ValueError:
        raise EventTimeError(
            f'"{excerpt(text)}" is not a day and time of day: write it as "{example}".'
        ) from None
    start = wall.replace(tzinfo=place)
    gap = _gap(wall, place)
    if gap is not None:
        # fold=0 reads a skipped time with the offset before the jump: as late as the gap is long.
        later = _wall(start.astimezone(UTC).astimezone(place))
        raise EventTimeError(
            f"{_wall(wall)} does not exist in {place.key}: the clocks jump from "
            f"{_clock(gap[0], wall)} to {_clock(gap[1], wall)} that night. "
            f'Pick another time, e.g. "{later}".'
        )
    if start <= now:
        here = _wall(now.astimezone(place))
        raise EventTimeError(
            f"That start ({_wall(wall)} {place.key}) is in the past; it is {here} there now. "
            f'Pick a later one, e.g. "{example}".'
        )
    # Counted in days there, so that the message can name the last day that is accepted.
    last_day = _years_later(now.astimezone(place).date(), MAX_YEARS_AHEAD)
    if wall.date() > last_day:
        raise EventTimeError(
            f"That start ({_wall(wall)} {place.key}) is more than {MAX_YEARS_AHEAD} years "
            f"away: pick a day up to {last_day.isoformat()}."
        )
    return start.astimezone(UTC)


def _gap(wall: datetime, place: ZoneInfo) -> tuple[datetime, datetime] | None:
    """If the naive ``wall`` time never happens in ``place`` (a daylight-saving gap), the
    wall times the clocks jump from and to; else None."""
    first = wall.replace(tzinfo=place, fold=0)
    if _naive(first.astimezone(UTC).astimezone(place)) == wall:
        return None
    # Inside a gap fold=0 reads the wall time with the offset before the jump and fold=1 with
    # the one after; the jump lies between those two instants. Bisect it to the second.
    low, high = sorted(
        moment.astimezone(UTC) for moment in (first, wall.replace(tzinfo=place, fold=1))
    )
    before = low.astimezone(place).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(place).utcoffset() == before:
            low = middle
        else:
            high = middle
    jump = _naive(high.replace(microsecond=0))
    after = high.astimezone(place).utcoffset()
    assert before is not None and after is not None  # a ZoneInfo always knows its offset
    return jump + before, jump + after


def check_duration(minutes: int) -> int:
    """An event's length in minutes, 1 to 1440 (24 hours)."""
    if not 1 <= minutes <= MAX_DURATION:
        raise EventTimeError(
            f"An event lasts at least 1 minute and at most 24 hours ({MAX_DURATION} minutes): "
            "write its length in minutes, e.g. 60."
        )
    return minutes


def check_link(text: str) -> str:
    """A web link (http or https, with a host), without the spaces around it."""
    link = text.strip()
    hint = 'write the whole web address, e.g. "https://meet.example.org/cop".'
    if not link:
        raise EventTimeError(f"A link is needed: {hint}")
    if len(link) > MAX_LINK:
        raise EventTimeError(f"A link has at most {MAX_LINK} characters: use a shorter one.")
    if any(c.isspace() or unicodedata.category(c)[0] in "CZ" for c in link):
        raise EventTimeError(f'The link "{excerpt(link)}" has spaces or hidden characters: {hint}')
    try:
        parts = urlsplit(link)
        scheme, host, _port = parts.scheme, parts.hostname, parts.port  # .port checks the number
    except ValueError:  # an unclosed "[" of an IPv6 host, a port that is no number
        scheme, host = "", None
    if scheme not in ("http", "https") or not host:
        raise EventTimeError(f'"{excerpt(link)}" is not a web link: {hint}')
    return link


def describe(instant: datetime, zone: str) -> str:
    """E.g. ``Tue 8 Dec 2026, 18:00 CET (Europe/Berlin, UTC+01:00)``: the start as shown where
    a platform cannot show each reader their own time."""
    _require_aware(instant)
    place = ZoneInfo(check_zone(zone))
    local = instant.astimezone(place)
    day = f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}"
    if place.key == "UTC":
        return f"{day}, {local:%H:%M} UTC"
    name = local.tzname() or ""
    # Zones without an abbreviation of their own report their offset ("+04"): say it once.
    shown = "" if name[:1] in ("+", "-", "") else f" {name}"
    return f"{day}, {local:%H:%M}{shown} ({place.key}, UTC{_offset(local.utcoffset())})"


def _offset(offset: timedelta | None) -> str:
    seconds = int((offset or timedelta()).total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def _example(now: datetime, place: ZoneInfo) -> str:
    # A week from today at 18:00 there: a start that reads right and would be accepted.
    day = now.astimezone(place).date() + timedelta(days=7)
    return f"{day.isoformat()} 18:00"


def _years_later(moment: date, years: int) -> date:
    # 29 February steps back to the 28th in a year without one.
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def _clock(edge: datetime, day: datetime) -> str:
    # A jump's edge as a time of day, with its date only when that is another day.
    return f"{edge:%H:%M}" if edge.date() == day.date() else _wall(edge)


def _wall(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None, fold=0)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("expected an aware datetime")  # a programming error, not a person's
