"""Schedules from a first date ("mon 09:30 from 2027-01-04") and every other week
("biweekly tue 10:00 from 2027-01-05"), DST-correct."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.schedule import ScheduleError
from scheduler.calendar import CronCalendar

BERLIN = "Europe/Berlin"


def test_biweekly_reads_back_in_canonical_form_and_in_words() -> None:
    calendar = CronCalendar()
    expression = calendar.normalize("Biweekly  TUE 10:00 from 2026-03-17")
    assert expression == "biweekly tue 10:00 from 2026-03-17"
    assert calendar.describe(expression, BERLIN) == (
        "every other Tuesday at 10:00 Europe/Berlin, starting 17 March 2026"
    )
    assert calendar.shortest_gap(expression) is None


def test_biweekly_fires_every_other_week_at_the_same_wall_time_across_dst() -> None:
    calendar = CronCalendar()
    expression = "biweekly tue 10:00 from 2026-03-17"  # Berlin springs forward on 29 March
    times = calendar.next_times(expression, BERLIN, datetime(2026, 3, 1, tzinfo=UTC), 4)
    local = [t.astimezone(ZoneInfo(BERLIN)) for t in times]
    assert [t.date().isoformat() for t in local] == [
        "2026-03-17",
        "2026-03-31",
        "2026-04-14",
        "2026-04-28",
    ]
    assert {t.strftime("%H:%M") for t in local} == {"10:00"}
    assert {t.utcoffset().total_seconds() / 3600 for t in local if t.utcoffset()} == {1.0, 2.0}


def test_biweekly_counts_weeks_from_the_week_of_its_first_date() -> None:
    calendar = CronCalendar()
    # The first date is a Wednesday: that week's Monday is skipped (before it), its Thursday kept.
    expression = calendar.normalize("biweekly mon,thu 09:00 from 2026-12-02")
    times = calendar.next_times(expression, "UTC", datetime(2026, 11, 1, tzinfo=UTC), 4)
    assert [t.date().isoformat() for t in times] == [
        "2026-12-03",
        "2026-12-14",
        "2026-12-17",
        "2026-12-28",
    ]
    at = datetime(2026, 12, 27, tzinfo=UTC)
    assert calendar.previous_time(expression, "UTC", at) == datetime(2026, 12, 17, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("biweekly tue 10:00", "every other week reads"),
        ("biweekly tue 10:00 from 2026-13-01", '"2026-13-01" is not a date'),
        ("biweekly xx 10:00 from 2026-01-05", '"xx" is not a day'),
        ("biweekly tue 25:00 from 2026-01-05", "is not a time of day"),
        ("cron 0 9 * * 1 from 2027-01-04", 'a cron schedule takes no "from" date (day names do)'),
        ("mon 09:00 from 2027-02-30", '"2027-02-30" is not a date'),
    ],
)
def test_a_biweekly_schedule_that_does_not_parse_says_why(typed: str, says: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        CronCalendar().normalize(typed)
    assert says in str(caught.value)


def test_a_weekly_schedule_from_a_date_fires_nothing_before_it() -> None:
    calendar = CronCalendar()
    expression = calendar.normalize("mon 09:30 from 2027-01-06")
    assert expression == "mon 09:30 from 2027-01-06"
    assert calendar.describe(expression, "UTC") == (
        "every Monday at 09:30 UTC, starting 6 January 2027"
    )
    times = calendar.next_times(expression, "UTC", datetime(2026, 12, 1, tzinfo=UTC), 2)
    assert [t.date().isoformat() for t in times] == ["2027-01-11", "2027-01-18"]
    assert calendar.normalize("daily 09:00") == "daily 09:00"  # no date, as before


def test_a_first_date_years_ahead_is_reached_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scheduler asks for a rhythm's last firing every tick: a far first date must not make
    it step through every week before it (a "from 9000-01-01" would hang the scheduler)."""
    asked = []
    real = CronTrigger.get_next_fire_time

    def counted(self: CronTrigger, previous: datetime | None, now: datetime) -> datetime | None:
        asked.append(now)
        return real(self, previous, now)

    monkeypatch.setattr(CronTrigger, "get_next_fire_time", counted)
    calendar = CronCalendar()
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    expression = calendar.normalize("daily 09:00 from 2099-03-02")
    assert calendar.previous_time(expression, BERLIN, now) is None
    assert calendar.next_times(expression, BERLIN, now, 1) == [datetime(2099, 3, 2, 8, tzinfo=UTC)]
    biweekly = "biweekly tue 10:00 from 2099-03-03"
    assert calendar.times_between(biweekly, BERLIN, now, datetime(2099, 3, 20, tzinfo=UTC), 5) == [
        datetime(2099, 3, 3, 9, tzinfo=UTC),
        datetime(2099, 3, 17, 9, tzinfo=UTC),
    ]
    assert len(asked) < 40


def test_a_first_date_at_the_end_of_time_fires_never_and_raises_nothing() -> None:
    calendar = CronCalendar()
    now = datetime(2026, 12, 1, tzinfo=UTC)
    expression = calendar.normalize("daily 23:00 from 9999-12-31")  # 1 January 10000 in UTC
    assert calendar.next_times(expression, "Pacific/Pago_Pago", now, 2) == []
    assert calendar.previous_time(expression, "Pacific/Pago_Pago", now) is None
