"""The config's ``[events]`` section: when events remind those going, and what working hours
a rotating series aims for."""

from __future__ import annotations

import re
from datetime import time

from pydantic import Field, field_validator

from bot.config_outbox import Section
from bot.config_values import Duration

_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def parse_hours(text: str) -> tuple[time, time]:
    """Read working hours such as ``09:00-18:00`` (start before end, within one day)."""
    found = _HOURS.match(text.strip())
    if found is None:
        raise ValueError('expected working hours as "HH:MM-HH:MM", e.g. "09:00-18:00"')
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise ValueError(f"{text!r} is not a time of day")
    start, end = time(h1, m1), time(23, 59) if h2 == 24 else time(h2, m2)
    if start >= end:
        raise ValueError(f"working hours {text!r} end before they start")
    return start, end


class EventsConfig(Section):
    """How events remind, and the working hours a rotating series keeps to."""

    # How long before an event its reminders go to those going (each a duration: "24h", "1h").
    reminders: tuple[Duration, ...] = Field(default=(24 * 3600, 3600), max_length=5)
    working_hours: str = "09:00-18:00"

    @field_validator("reminders")
    @classmethod
    def _positive(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(seconds < 60 or seconds > 30 * 86400 for seconds in value):
            raise ValueError("each reminder is between 1 minute and 30 days before the event")
        return tuple(sorted(set(value), reverse=True))

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        parse_hours(value)
        return value

    @property
    def hours(self) -> tuple[time, time]:
        """The working hours as times of day."""
        return parse_hours(self.working_hours)
