"""An event as an iCalendar file (.ics) that people import into their own calendar app.

One VCALENDAR holding one VEVENT (and, when the event was given in a zone, that zone's
VTIMEZONE), sent as an iTIP REQUEST, or CANCEL once the event is cancelled. The UID stays the
same for every version of an event and SEQUENCE counts them, so a calendar app updates (or
removes) the entry it imported instead of adding a second one. The icalendar library escapes
``,``, ``;``, ``\\`` and newlines, folds lines at 75 octets and writes CRLF line endings.
Pure: no database, no clock (the caller hands in the stamp).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, vCalAddress

from bot.safe_text import printable

PRODID = "-//copbot//events//EN"
# Organizer is required in an iTIP REQUEST, and an address is required in an ORGANIZER; copbot
# has no mailbox, so the address is one that can never deliver (RFC 2606 reserves .invalid).
ORGANIZER_ADDRESS = "mailto:noreply@copbot.invalid"
MAX_FILE_NAME = 60
_UID_SLUG = 40  # a community's part of a UID: long enough to tell communities apart
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class CalendarEntry:
    """What an event's calendar file says: its identity, version, time and words."""

    uid: str  # stable per event (see calendar_uid); the same for every sequence
    title: str
    start: datetime  # aware
    duration_minutes: int
    timezone: str  # the IANA zone the event was given in; "" or "UTC" writes UTC times
    sequence: int
    description: str = ""
    link: str = ""
    cancelled: bool = False
    organizer_name: str = ""  # the community's name, shown as the organizer

    def __post_init__(self) -> None:
        # Programming errors: the use case validated what people typed before building this.
        if self.start.tzinfo is None:
            raise ValueError("calendar entry start must be aware")
        if self.duration_minutes < 1:
            raise ValueError(f"calendar entry duration: {self.duration_minutes}")
        if self.sequence < 0:
            raise ValueError(f"calendar entry sequence: {self.sequence}")


def _slug(text: str, limit: int) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens, at most ``limit`` long."""
    # NFKD splits "é" into "e" and a combining accent, which the ASCII encoding then drops.
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-")


def calendar_uid(event_id: int, community_name: str) -> str:
    """The event's UID in every calendar file made for it: ``event-<id>@<community>.copbot``."""
    return f"event-{event_id}@{_slug(community_name, _UID_SLUG) or 'community'}.copbot"


def ics_name(title: str) -> str:
    """A file name for the event's calendar file: ``<slug of title>.ics``, ASCII only."""
    slug = _slug(title, MAX_FILE_NAME - len(".ics"))
    return f"{slug or 'event'}.ics"


def _zone(name: str) -> tzinfo:
    """The event's zone, or UTC when none was given (or tzdata no longer knows it: the
    instant stays right, only the zone's name is lost)."""
    if name.strip().upper() in ("", "UTC"):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _vtimezone(zone: ZoneInfo, start: datetime, end: datetime) -> Timezone:
    """The zone's VTIMEZONE with every offset change in the years the event touches."""
    # A window of whole years keeps the component short (no rules back to 1970) while still
    # holding both the standard and the daylight observance around the event's date.
    first = date(start.year, 1, 1)
    last = date(min(end.year + 1, 9999), 1, 1)
    return Timezone.from_tzinfo(zone, tzid=zone.key, first_date=first, last_date=last)


def _local(instant: datetime, zone: tzinfo) -> datetime:
    """The instant in the event's zone, or in UTC when the zone's clock shows that time twice
    and this is the second time (the hour after a DST change in autumn): RFC 5545 3.3.5 reads
    an ambiguous local time as its first occurrence, which would put the instant an hour early."""
    local = instant.astimezone(zone)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return instant.astimezone(UTC)
    return local


def _web_address(link: str) -> bool:
    """Whether a link is an http(s) address, fit for URL (whose value must be a URI)."""
    parts = urlsplit(link)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in link


def _organizer(name: str) -> vCalAddress:
    organizer = vCalAddress(ORGANIZER_ADDRESS)
    # A parameter value cannot hold a double quote (RFC 5545 3.1); RFC 6868's ^' escape for
    # one is not read by every app, so a plain apostrophe stands in.
    organizer.params["CN"] = printable(name, multiline=False).replace('"', "'") or "copbot"
    return organizer


def _event(entry: CalendarEntry, stamp: datetime) -> tuple[Event, Timezone | None]:
    zone = _zone(entry.timezone)
    start = _local(entry.start, zone)
    # The end is an instant plus a duration: across a DST change it is still the right hour.
    end = _local(entry.start + timedelta(minutes=entry.duration_minutes), zone)
    link = printable(entry.link, multiline=False).strip()
    description = "\n".join(part for part in (printable(entry.description).strip(), link) if part)
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", printable(entry.title).strip())
    if description:
        event.add("description", description)
    if link:
        event.add("location", link)
        if _web_address(link):
            event.add("url", link)
    event.add("sequence", entry.sequence)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("organizer", _organizer(entry.organizer_name))
    vtimezone = _vtimezone(zone, start, end) if isinstance(zone, ZoneInfo) else None
    if vtimezone is not None and start.tzinfo is UTC and end.tzinfo is UTC:
        vtimezone = None  # both times fell in the repeated hour: nothing names the zone
    return event, vtimezone


def ics_file(entry: CalendarEntry, stamp: datetime) -> bytes:
    """The event's whole calendar file (a VCALENDAR with one VEVENT), stamped at ``stamp``."""
    if stamp.tzinfo is None:
        raise ValueError("calendar file stamp must be aware")  # else it reads as local time
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if entry.cancelled else "REQUEST")
    event, vtimezone = _event(entry, stamp)
    # The zone comes before the event that names it, as every app that reads in one pass needs.
    if vtimezone is not None:
        calendar.add_component(vtimezone)
    calendar.add_component(event)
    return calendar.to_ical()
