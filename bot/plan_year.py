"""The year a plan covers: twelve months in the community's timezone from a start month, and
when its quarterly evaluations open."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import UsageError
from bot.words import quoted

MONTHS = 12
EVALUATION_DAYS = 14  # each quarterly evaluation survey stays open two weeks
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class PlanYear:
    """Twelve months from ``first`` (the 1st of the start month) in ``timezone``; the year
    ``begins`` then, or later the same month when the plan is applied during it."""

    first: date
    timezone: str
    begins: datetime  # aware UTC

    @property
    def month_label(self) -> str:
        """The start month as typed: ``2027-01``."""
        return f"{self.first:%Y-%m}"

    def month_start(self, index: int) -> date:
        """The 1st of month ``index`` (0 = the start month; 12 = the day after the year)."""
        months = self.first.month - 1 + index
        return date(self.first.year + months // 12, months % 12 + 1, 1)

    def edge(self, index: int) -> datetime:
        """When month ``index`` begins (its midnight, or ``begins`` for the first), in UTC."""
        if index == 0:
            return self.begins
        midnight = datetime.combine(self.month_start(index), time(), ZoneInfo(self.timezone))
        return midnight.astimezone(UTC)

    @property
    def ends(self) -> datetime:
        """When the year is over."""
        return self.edge(MONTHS)

    @property
    def first_day(self) -> date:
        """The local day the year begins on."""
        return self.begins.astimezone(ZoneInfo(self.timezone)).date()

    def month_of(self, at: datetime) -> int | None:
        """Which month of the year an instant falls in (None: before or after it)."""
        if at < self.begins or at >= self.ends:
            return None
        local = at.astimezone(ZoneInfo(self.timezone)).date()
        return (local.year - self.first.year) * 12 + local.month - self.first.month

    def name(self, index: int) -> str:
        """A month as people say it: ``January 2027``."""
        return f"{self.month_start(index):%B %Y}"


def plan_year(typed: str, timezone: str, now: datetime) -> PlanYear:
    """The year from a typed ``YYYY-MM``, which may be this month or a later one; a UsageError
    saying what to type otherwise (nothing is changed)."""
    match = _MONTH.fullmatch(typed.strip())
    this_month = now.astimezone(ZoneInfo(timezone)).date().replace(day=1)
    example = f"`start:{this_month:%Y-%m}`"
    if match is None or int(match[1]) < 1 or not 1 <= int(match[2]) <= 12:
        raise UsageError(
            f"{quoted(typed)} is not a month: write it as YYYY-MM, e.g. {example}. "
            "Nothing was changed."
        )
    first = date(int(match[1]), int(match[2]), 1)
    if first < this_month:
        raise UsageError(
            f"{first:%B %Y} is in the past, so a plan cannot start then. Start this month "
            f"({example}) or a later one. Nothing was changed."
        )
    if (first.year - this_month.year) * 12 + first.month - this_month.month > MONTHS:
        raise UsageError(
            f"{first:%B %Y} is more than a year ahead: a plan starts this month ({example}) or "
            "in one of the next twelve. Nothing was changed."
        )
    midnight = datetime.combine(first, time(), ZoneInfo(timezone)).astimezone(UTC)
    return PlanYear(first, timezone, max(midnight, now))


def evaluation_windows(year: PlanYear) -> list[tuple[int, date, date]]:
    """Each quarterly evaluation survey as (month index, first day, last day), local days: in
    the first month of each quarter of the year, from its first day, for two weeks (it closes
    at the end of its last day)."""
    windows = []
    for index in range(0, MONTHS, 3):
        opens = year.first_day if index == 0 else year.month_start(index)
        windows.append((index, opens, opens + timedelta(days=EVALUATION_DAYS - 1)))
    return windows


def evaluation_times(year: PlanYear) -> list[tuple[int, datetime, datetime]]:
    """Each quarterly evaluation survey as (month index, opens at, closes at), aware UTC: from
    the start of its first day (or the moment the year begins) to the end of its last."""
    place = ZoneInfo(year.timezone)
    times = []
    for index, opens, last in evaluation_windows(year):
        start = max(datetime.combine(opens, time(), place).astimezone(UTC), year.begins)
        end = datetime.combine(last + timedelta(days=1), time(), place).astimezone(UTC)
        times.append((index, start, end))
    return times
