"""An ISO week in a community's timezone: its name (``2026-W48``) and its bounds as UTC instants."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_NAME = re.compile(r"^(\d{4})-W(\d{2})$")
# Reports cover weeks of this era only: copbot has no older history, and a year near 1 or 9999
# would overflow the date arithmetic of a report's trends.
FIRST_YEAR, LAST_YEAR = 2000, 9000


@dataclass(frozen=True, order=True)
class ReportWeek:
    """One ISO week (Monday to Sunday), named as ``YYYY-Www``."""

    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> ReportWeek:
        """The week a ``YYYY-Www`` name gives; ValueError (with a message for people) if none."""
        found = _NAME.match(text.strip().upper())
        if found is None:
            raise ValueError(f"`{text}` is not a week; write it as 2026-W48 (year, W, week).")
        year, week = int(found.group(1)), int(found.group(2))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(
                f"{text.strip()} is too far away; pick a week of the years since 2000."
            )
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValueError(f"{year} has no week {week}.") from None
        return cls(year, week)

    @classmethod
    def of(cls, day: date) -> ReportWeek:
        """The week a calendar day falls in."""
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def containing(cls, instant: datetime, timezone: str) -> ReportWeek:
        """The week an instant falls in, on the community's calendar."""
        return cls.of(instant.astimezone(ZoneInfo(timezone)).date())

    @property
    def name(self) -> str:
        """``2026-W48``: also the week part of the workbook's file name."""
        return f"{self.year:04d}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        """The week's first day."""
        return date.fromisocalendar(self.year, self.week, 1)

    def shifted(self, weeks: int) -> ReportWeek:
        """The week so many weeks later (earlier when negative)."""
        return ReportWeek.of(self.monday + timedelta(weeks=weeks))

    def start(self, timezone: str) -> datetime:
        """Monday 00:00 in the timezone, as a UTC instant (inclusive)."""
        return _utc(self.monday, timezone)

    def end(self, timezone: str) -> datetime:
        """The next Monday 00:00 in the timezone, as a UTC instant (exclusive)."""
        return _utc(self.monday + timedelta(weeks=1), timezone)

    def __str__(self) -> str:
        return self.name


def _utc(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)
