"""CronCalendar: canonical forms, friendly errors, descriptions and DST-correct next times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.schedule import SCHEDULE_FORMS, ScheduleCalendar, ScheduleError
from scheduler.calendar import CronCalendar

CAL = CronCalendar()
NEW_YEAR_2026 = datetime(2026, 1, 1, tzinfo=UTC)


def test_cron_calendar_satisfies_the_protocol() -> None:
    calendar: ScheduleCalendar = CAL
    assert calendar.normalize("daily 09:00") == "daily 09:00"


@pytest.mark.parametrize(
    ("expression", "canonical"),
    [
        ("daily 09:00", "daily 09:00"),
        ("  DAILY   9:00 ", "daily 09:00"),
        ("Weekdays 9:30", "weekdays 09:30"),
        ("weekends 10:00", "weekends 10:00"),
        ("mon,thu 17:00", "mon,thu 17:00"),
        ("Thursday, Monday 17:00", "mon,thu 17:00"),
        ("sun,wed,mon 0:05", "mon,wed,sun 00:05"),
        ("fri,thu,wed,tue,mon 08:00", "weekdays 08:00"),
        ("sat,sunday 23:59", "weekends 23:59"),
        ("sun,sat,fri,thu,wed,tue,mon 07:00", "daily 07:00"),
        ("tue 12:00", "tue 12:00"),
        ("cron 0 9 * * 1", "cron 0 9 * * 1"),
        ("CRON  0   9 *  * MON-FRI", "cron 0 9 * * mon-fri"),
        ("cron */15 8-17 * * 1-5", "cron */15 8-17 * * 1-5"),
        ("cron 0 9 1 jan,jul *", "cron 0 9 1 jan,jul *"),
    ],
)
def test_normalize_gives_the_canonical_form(expression: str, canonical: str) -> None:
    assert CAL.normalize(expression) == canonical
    assert CAL.normalize(canonical) == canonical


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("daily 25:00", '"daily 25:00": 25:00 is not a time of day (use HH:MM, 00:00 to 23:59)'),
        ("daily 24:00", "24:00 is not a time of day"),
        ("daily 9:60", "9:60 is not a time of day"),
        ("daily 9:5", '"9:5" is not a time of day'),
        ("daily 9am", '"9am" is not a time of day'),
        ("daily", "the time of day is missing"),
        ("mon,thu", "the time of day is missing"),
        ("mon,thx 17:00", '"mon,thx 17:00": "thx" is not a day (use mon, tue, wed, thu, fri'),
        ("mon,,thu 17:00", '"" is not a day'),
        ("sometimes 09:00", '"sometimes" is not a day (use daily, weekdays, weekends'),
        ("mon,monday 17:00", "Monday is listed twice"),
        ("sometimes", '"sometimes": this is not a schedule I understand'),
        ("every day 09:00", "this is not a schedule I understand"),
        ("cron 0 9 * *", "a cron schedule needs exactly 5 fields (minute hour day month weekday)"),
        ("cron 0 9 * * 1 2", "exactly 5 fields"),
        ("cron", "exactly 5 fields"),
        ("cron 61 9 * * 1", 'the minute field "61" is not valid'),
        ("cron 0 24 * * 1", 'the hour field "24" is not valid'),
        ("cron 0 9 32 * *", 'the day-of-month field "32" is not valid'),
        ("cron 0 9 * 13 *", 'the month field "13" is not valid'),
        ("cron 0 9 * * 8", 'the weekday field "8" is not valid'),
        ("cron 0 9 * * 5-2", 'the weekday field "5-2" is not valid'),
        ("cron 0 9 * * funday", 'the weekday field "funday" is not valid'),
        ("cron x 9 * * 1", 'the minute field "x" is not valid'),
        ("cron 0 9 31 2 *", "never fires"),
    ],
)
def test_normalize_errors_name_the_problem_and_the_forms(expression: str, problem: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        CAL.normalize(expression)
    assert problem in str(caught.value)
    assert str(caught.value).endswith(f"Schedules look like {SCHEDULE_FORMS}")


@pytest.mark.parametrize("expression", ["", "   "])
def test_an_empty_schedule_is_rejected(expression: str) -> None:
    with pytest.raises(ScheduleError, match="empty") as caught:
        CAL.normalize(expression)
    assert SCHEDULE_FORMS in str(caught.value)


def test_schedule_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        CAL.normalize("sometimes")


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "utc", "Europe", "../etc/passwd"])
def test_unknown_time_zones_are_schedule_errors(zone: str) -> None:
    with pytest.raises(ScheduleError, match=r"not a time zone I know .*Europe/Berlin"):
        CAL.next_times("daily 09:00", zone, NEW_YEAR_2026)
    with pytest.raises(ScheduleError, match="not a time zone I know"):
        CAL.describe("daily 09:00", zone)


@pytest.mark.parametrize(
    ("expression", "zone", "words"),
    [
        ("daily 09:00", "Europe/Berlin", "every day at 09:00 Europe/Berlin"),
        ("weekdays 9:30", "UTC", "every weekday at 09:30 UTC"),
        ("weekends 10:00", "UTC", "every weekend day at 10:00 UTC"),
        ("mon,thu 17:00", "Europe/Berlin", "every Monday and Thursday at 17:00 Europe/Berlin"),
        ("fri,mon,wed 08:00", "UTC", "every Monday, Wednesday and Friday at 08:00 UTC"),
        ("sunday 18:15", "UTC", "every Sunday at 18:15 UTC"),
        ("cron 0 9 * * 1", "Europe/Berlin", "on cron schedule 0 9 * * 1 (Europe/Berlin)"),
    ],
)
def test_describe(expression: str, zone: str, words: str) -> None:
    assert CAL.describe(expression, zone) == words


def test_next_times_are_aware_utc_and_strictly_after() -> None:
    at_nine = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    times = CAL.next_times("daily 09:00", "UTC", at_nine, count=3)
    assert times == [at_nine + timedelta(days=n) for n in (1, 2, 3)]
    assert all(t.tzinfo is UTC for t in times)
    assert CAL.next_times("daily 09:00", "UTC", at_nine - timedelta(microseconds=1)) == [at_nine]
    assert CAL.next_times("daily 09:00", "UTC", at_nine, count=0) == []


def test_next_times_accepts_after_in_any_zone() -> None:
    after = datetime(2026, 1, 5, 8, 59, tzinfo=ZoneInfo("Europe/Berlin"))  # 07:59 UTC
    assert CAL.next_times("daily 08:00", "UTC", after) == [datetime(2026, 1, 5, 8, tzinfo=UTC)]


def test_next_times_rejects_a_naive_after() -> None:
    with pytest.raises(ValueError, match="aware"):
        CAL.next_times("daily 09:00", "UTC", datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("zone", "transitions", "utc_hours"),
    [
        ("Europe/Berlin", [date(2026, 3, 29), date(2026, 10, 25)], {7, 8}),
        ("America/New_York", [date(2026, 3, 8), date(2026, 11, 1)], {13, 14}),
        ("Australia/Sydney", [date(2026, 4, 5), date(2026, 10, 4)], {22, 23}),
    ],
)
def test_daily_nine_is_nine_local_all_year_across_dst(
    zone: str, transitions: list[date], utc_hours: set[int]
) -> None:
    tz = ZoneInfo(zone)
    times = CAL.next_times("daily 09:00", zone, NEW_YEAR_2026, count=365)
    local = [t.astimezone(tz) for t in times]
    assert len(local) == 365
    assert all((t.hour, t.minute, t.second) == (9, 0, 0) for t in local)
    days = [t.date() for t in local]
    assert days == [days[0] + timedelta(days=n) for n in range(365)]  # distinct, no gaps
    assert {t.hour for t in times} == utc_hours  # the UTC time really moves with DST
    for day in transitions:
        i = days.index(day)
        assert local[i - 1].utcoffset() != local[i].utcoffset()
        assert times[i] - times[i - 1] in (timedelta(hours=23), timedelta(hours=25))


def test_a_time_skipped_by_spring_forward_fires_once_an_hour_later() -> None:
    # 02:30 does not exist in Berlin on 29 March 2026; APScheduler 3.11 fires at 01:30 UTC,
    # which is 03:30 CEST, once, and 02:30 CEST (00:30 UTC) again from the next day.
    times = CAL.next_times("daily 02:30", "Europe/Berlin", datetime(2026, 3, 28, tzinfo=UTC), 3)
    assert times == [
        datetime(2026, 3, 28, 1, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        datetime(2026, 3, 30, 0, 30, tzinfo=UTC),
    ]


def test_a_time_repeated_by_fall_back_fires_once() -> None:
    # 02:30 happens twice in Berlin on 25 October 2026; APScheduler 3.11 alone would fire at
    # both 00:30 and 01:30 UTC. The calendar keeps only the first (CEST) one.
    after = datetime(2026, 10, 24, tzinfo=UTC)
    times = CAL.next_times("daily 02:30", "Europe/Berlin", after, 3)
    assert times == [
        datetime(2026, 10, 24, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 26, 1, 30, tzinfo=UTC),
    ]
    between = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
    assert CAL.next_times("daily 02:30", "Europe/Berlin", between) == [times[2]]


def _weekdays(expression: str, zone: str = "Europe/Berlin", count: int = 20) -> set[str]:
    tz = ZoneInfo(zone)
    return {
        t.astimezone(tz).strftime("%a")
        for t in CAL.next_times(expression, zone, NEW_YEAR_2026, count)
    }


def test_cron_weekday_one_is_monday_at_nine_local() -> None:
    times = CAL.next_times("cron 0 9 * * 1", "Europe/Berlin", NEW_YEAR_2026, count=52)
    local = [t.astimezone(ZoneInfo("Europe/Berlin")) for t in times]
    assert all(t.weekday() == 0 and (t.hour, t.minute) == (9, 0) for t in local)
    assert [t.date() for t in local] == [date(2026, 1, 5) + timedelta(weeks=n) for n in range(52)]


@pytest.mark.parametrize(
    ("weekday_field", "days"),
    [
        ("0", {"Sun"}),
        ("7", {"Sun"}),
        ("1-5", {"Mon", "Tue", "Wed", "Thu", "Fri"}),
        ("0-3", {"Sun", "Mon", "Tue", "Wed"}),
        ("5-7", {"Fri", "Sat", "Sun"}),
        ("*/2", {"Sun", "Tue", "Thu", "Sat"}),
        ("1-5/2", {"Mon", "Wed", "Fri"}),
        ("mon,thu", {"Mon", "Thu"}),
        ("sat-sun,3", {"Sat", "Sun", "Wed"}),
    ],
)
def test_cron_weekdays_use_crontab_numbering(weekday_field: str, days: set[str]) -> None:
    assert _weekdays(f"cron 0 9 * * {weekday_field}") == days


def test_cron_day_of_month_or_weekday_like_crontab() -> None:
    # crontab fires on the 13th OR on Fridays; APScheduler 3.x alone would want a Friday the 13th
    times = CAL.next_times("cron 0 9 13 * 5", "UTC", NEW_YEAR_2026, count=4)
    assert [t.date() for t in times] == [
        date(2026, 1, 2),
        date(2026, 1, 9),
        date(2026, 1, 13),
        date(2026, 1, 16),
    ]


def test_mon_thu_gives_mondays_and_thursdays() -> None:
    zone = ZoneInfo("Europe/Berlin")
    times = CAL.next_times("mon,thu 17:00", "Europe/Berlin", NEW_YEAR_2026, count=104)
    local = [t.astimezone(zone) for t in times]
    assert {t.strftime("%a") for t in local} == {"Mon", "Thu"}
    assert all((t.hour, t.minute) == (17, 0) for t in local)
    assert local[0].date() == date(2026, 1, 1)  # New Year's Day 2026 is a Thursday
    assert len({t.date() for t in local}) == 104


@pytest.mark.parametrize(
    ("expression", "days"),
    [
        ("weekdays 09:30", {"Mon", "Tue", "Wed", "Thu", "Fri"}),
        ("weekends 10:00", {"Sat", "Sun"}),
        ("daily 09:00", {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}),
    ],
)
def test_simple_forms_fire_on_their_days(expression: str, days: set[str]) -> None:
    assert _weekdays(expression) == days


def test_the_scheduler_trigger_moves_on_through_a_repeated_hour() -> None:
    """APScheduler calls the trigger with the previous firing; across the autumn change (02:30
    happens twice in Berlin on 25 Oct 2026) it must fire once and move on, not hand back the
    same instant forever."""
    from scheduler.trigger import CalendarTrigger

    trigger = CalendarTrigger(CronCalendar(), "daily 02:30", "Europe/Berlin")
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 10, 23, 12, 0, tzinfo=UTC)
    fired: list[datetime] = []
    previous = None
    for _ in range(5):
        fire = trigger.get_next_fire_time(previous, previous or now)
        assert fire is not None and (previous is None or fire > previous)
        fired.append(fire)
        previous = fire
    days = [f.astimezone(berlin).date().isoformat() for f in fired]
    assert days == ["2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27", "2026-10-28"]
    assert {(f.astimezone(berlin).hour, f.astimezone(berlin).minute) for f in fired} == {(2, 30)}
    # From the first 02:30 of the 25th (the instant APScheduler passes back), the next is the 26th.
    first_pass = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert trigger.get_next_fire_time(first_pass, first_pass) == datetime(
        2026, 10, 26, 1, 30, tzinfo=UTC
    )
