"""The plan's year (months, evaluation windows) and the webinars' monthly rhythm on the same
weekday of each month, across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UsageError
from bot.event_rotation import MONTHLY_WEEKDAY, nominal_start, weekday_of_month
from bot.plan_year import evaluation_times, evaluation_windows, plan_year

BERLIN = "Europe/Berlin"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_a_later_month_begins_at_its_first_midnight_and_runs_twelve_months() -> None:
    year = plan_year("2027-03", BERLIN, NOW)
    assert year.begins == datetime(2027, 2, 28, 23, 0, tzinfo=UTC)  # midnight in Berlin
    assert year.ends == datetime(2028, 2, 29, 23, 0, tzinfo=UTC)
    assert year.name(0) == "March 2027" and year.name(11) == "February 2028"
    assert year.month_of(datetime(2027, 3, 31, 22, 30, tzinfo=UTC)) == 1  # 1 April in Berlin
    assert year.month_of(year.ends) is None


def test_this_month_begins_now() -> None:
    year = plan_year(" 2026-12 ", BERLIN, NOW)
    assert year.begins == NOW and year.first_day == date(2026, 12, 1)


@pytest.mark.parametrize(
    "typed", ["2026-11", "2025-12", "2026-13", "26-12", "december", "0000-01", "2028-01", "9999-12"]
)
def test_a_past_or_malformed_month_is_refused(typed: str) -> None:
    with pytest.raises(UsageError) as caught:
        plan_year(typed, BERLIN, NOW)
    assert "Nothing was changed." in str(caught.value)


def test_a_month_up_to_a_year_ahead_is_fine() -> None:
    assert plan_year("2027-12", BERLIN, NOW).name(11) == "November 2028"


def test_evaluations_open_the_first_month_of_each_quarter_for_two_weeks() -> None:
    windows = evaluation_windows(plan_year("2027-11", BERLIN, NOW))
    assert windows == [
        (0, date(2027, 11, 1), date(2027, 11, 14)),
        (3, date(2028, 2, 1), date(2028, 2, 14)),
        (6, date(2028, 5, 1), date(2028, 5, 14)),
        (9, date(2028, 8, 1), date(2028, 8, 14)),
    ]
    this_month = evaluation_windows(plan_year("2026-12", BERLIN, NOW))
    assert this_month[0] == (0, date(2026, 12, 1), date(2026, 12, 14))


def test_monthly_on_the_same_weekday_keeps_the_wall_time_across_dst() -> None:
    first = datetime(2027, 1, 7, 16, 0, tzinfo=ZoneInfo(BERLIN))  # the first Thursday
    starts = [
        nominal_start(first, BERLIN, MONTHLY_WEEKDAY, p).astimezone(ZoneInfo(BERLIN))
        for p in range(12)
    ]
    assert {s.strftime("%A %H:%M") for s in starts} == {"Thursday 16:00"}
    assert all(s.day <= 7 for s in starts)
    assert [s.date().isoformat() for s in starts[2:4]] == ["2027-03-04", "2027-04-01"]
    assert weekday_of_month(first, BERLIN) == "first Thursday"


def test_a_fifth_weekday_becomes_the_months_last() -> None:
    first = datetime(2026, 12, 29, 18, 0, tzinfo=UTC)  # the fifth Tuesday of December
    assert weekday_of_month(first, "UTC") == "last Tuesday"
    after = nominal_start(first, "UTC", MONTHLY_WEEKDAY, 1)
    assert after == datetime(2027, 1, 26, 18, 0, tzinfo=UTC)  # January's last Tuesday
    assert nominal_start(first, "UTC", MONTHLY_WEEKDAY, 3).day == 30  # March has five


def test_evaluation_times_run_from_the_first_day_to_the_end_of_the_last() -> None:
    [first, second, *_] = evaluation_times(plan_year("2026-12", BERLIN, NOW))
    assert first == (0, NOW, datetime(2026, 12, 14, 23, 0, tzinfo=UTC))
    assert second == (
        3,
        datetime(2027, 2, 28, 23, 0, tzinfo=UTC),
        datetime(2027, 3, 14, 23, 0, tzinfo=UTC),
    )
