"""Times as people read them: in their community's timezone, with the zone named."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def local_time(at: datetime, timezone: str, *, with_day: bool = True) -> str:
    """E.g. ``Tue 01 Dec 10:30 Europe/Berlin`` (or ``10:30 Europe/Berlin``)."""
    moment = at.astimezone(ZoneInfo(timezone))
    shown = moment.strftime("%a %d %b %H:%M" if with_day else "%H:%M")
    return f"{shown} {timezone}"


def local_day(at: datetime, timezone: str) -> str:
    """E.g. ``01 Dec 2026``: the day in the community's timezone."""
    return at.astimezone(ZoneInfo(timezone)).strftime("%d %b %Y")
