"""A series' occurrences and a rotating one's fair times (bot/event_rotation.py), on the real
zoneinfo database, across the daylight-saving changes of both hemispheres."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.event_rotation import (
    MAX_ROTATE,
    REPEATS,
    fair_start,
    nominal_start,
    occurrence,
    parse_rotate,
)
from bot.event_times import EventTimeError, describe

BERLIN, NEW_YORK, TOKYO = "Europe/Berlin", "America/New_York", "Asia/Tokyo"
WORKING = (time(9, 0), time(18, 0))


def wall(zone: str, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall time there (the first, if the clocks repeat it)."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


# parse_rotate


def test_a_rotate_list_is_read_into_zone_names() -> None:
    assert parse_rotate("Europe/Berlin, America/New_York,Asia/Tokyo") == (BERLIN, NEW_YORK, TOKYO)


def test_empty_items_are_skipped_and_a_zone_named_twice_is_kept_once() -> None:
    text = " Asia/Tokyo,, Europe/Berlin , ,Asia/Tokyo,Europe/Berlin,"
    assert parse_rotate(text) == (TOKYO, BERLIN)


def test_an_unknown_zone_is_named_with_the_hint_of_what_to_write() -> None:
    with pytest.raises(EventTimeError) as raised:
        parse_rotate("Europe/Berlin, Europe/Berln")
    assert str(raised.value) == (
        'In the rotate list, "Europe/Berln" is not a timezone. Did you mean Europe/Berlin?'
    )


@pytest.mark.parametrize(
    ("item", "hint"),
    [
        ("europe/berlin", "Did you mean Europe/Berlin? Timezone names are case-sensitive."),
        ("EST", "write an Area/City name, e.g. America/New_York."),
        ("Mars/Olympus", "is not a timezone: write an Area/City name"),
    ],
)
def test_each_kind_of_wrong_zone_names_the_item(item: str, hint: str) -> None:
    with pytest.raises(EventTimeError) as raised:
        parse_rotate(f"Asia/Tokyo, {item}")
    message = str(raised.value)
    assert message.startswith(f'In the rotate list, "{item}"')
    assert hint in message


@pytest.mark.parametrize("text", ["", "  ", ", ,,"])
def test_a_rotate_list_without_a_zone_is_refused(text: str) -> None:
    with pytest.raises(EventTimeError, match="at least one timezone"):
        parse_rotate(text)


def test_a_rotate_list_has_at_most_twelve_zones() -> None:
    zones = [
        "Europe/Berlin",
        "Europe/London",
        "Europe/Lisbon",
        "Europe/Athens",
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "Asia/Tokyo",
        "Asia/Kolkata",
        "Australia/Sydney",
        "Pacific/Auckland",
        "Africa/Nairobi",
    ]
    assert len(parse_rotate(",".join(zones[:MAX_ROTATE]))) == 12
    assert len(parse_rotate(",".join(zones[:MAX_ROTATE] + zones[:3]))) == 12  # repeats count once
    with pytest.raises(EventTimeError, match="at most 12 timezones, and this list has 13"):
        parse_rotate(",".join(zones))


# nominal_start


def test_a_berlin_weekly_series_keeps_18_00_in_berlin_across_daylight_saving() -> None:
    first = wall(BERLIN, 2027, 3, 15, 18).astimezone(UTC)
    starts = [nominal_start(first, BERLIN, "weekly", p) for p in range(4)]
    assert [local(s, BERLIN).replace(tzinfo=None) for s in starts] == [
        datetime(2027, 3, 15, 18),
        datetime(2027, 3, 22, 18),
        datetime(2027, 3, 29, 18),
        datetime(2027, 4, 5, 18),
    ]
    # The moment moves by an hour when the clocks do (28 March): 17:00 UTC, then 16:00 UTC.
    assert [s.hour for s in starts] == [17, 17, 16, 16]
    assert all(s.tzinfo is UTC for s in starts)


def test_and_back_again_in_autumn() -> None:
    first = wall(BERLIN, 2027, 10, 25, 18)
    starts = [nominal_start(first, BERLIN, "weekly", p) for p in range(2)]
    assert [s.hour for s in starts] == [16, 17]
    assert [local(s, BERLIN).hour for s in starts] == [18, 18]


def test_occurrence_without_rotate_is_the_nominal_start_and_no_region() -> None:
    first = wall(BERLIN, 2027, 3, 15, 18)
    start, region = occurrence(first, BERLIN, "weekly", 2, (), WORKING, 60)
    assert (start, region) == (wall(BERLIN, 2027, 3, 29, 18).astimezone(UTC), "")
    assert describe(start, BERLIN) == "Mon 29 Mar 2027, 18:00 CEST (Europe/Berlin, UTC+02:00)"


def test_a_biweekly_series_steps_fourteen_days() -> None:
    first = wall(NEW_YORK, 2027, 3, 1, 12)
    starts = [local(nominal_start(first, NEW_YORK, "biweekly", p), NEW_YORK) for p in range(3)]
    assert [(s.date(), s.hour) for s in starts] == [
        (date(2027, 3, 1), 12),
        (date(2027, 3, 15), 12),
        (date(2027, 3, 29), 12),
    ]


def test_a_monthly_series_on_the_31st_takes_each_months_last_day_and_comes_back() -> None:
    first = wall(BERLIN, 2027, 1, 31, 18)
    days = [local(nominal_start(first, BERLIN, "monthly", p), BERLIN).date() for p in range(14)]
    assert [d.day for d in days] == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 29]
    assert days[-1] == date(2028, 2, 29)  # a leap year
    assert all(
        local(nominal_start(first, BERLIN, "monthly", p), BERLIN).hour == 18 for p in range(14)
    )


def test_a_monthly_series_crosses_the_year() -> None:
    first = wall(TOKYO, 2027, 11, 30, 10)
    assert local(nominal_start(first, TOKYO, "monthly", 3), TOKYO) == wall(TOKYO, 2028, 2, 29, 10)
    assert local(nominal_start(first, TOKYO, "monthly", 14), TOKYO) == wall(TOKYO, 2029, 1, 30, 10)


def test_an_occurrence_in_the_spring_gap_moves_on_by_the_gap() -> None:
    first = wall(BERLIN, 2027, 3, 21, 2, 30)
    starts = [local(nominal_start(first, BERLIN, "weekly", p), BERLIN) for p in range(3)]
    assert [s.replace(tzinfo=None) for s in starts] == [
        datetime(2027, 3, 21, 2, 30),
        datetime(2027, 3, 28, 3, 30),  # 02:30 does not exist that night
        datetime(2027, 4, 4, 2, 30),  # and the next one is back at 02:30
    ]


def test_the_gap_is_the_zones_own_half_hour_on_lord_howe() -> None:
    first = wall("Australia/Lord_Howe", 2027, 9, 26, 2, 10)
    start = local(nominal_start(first, "Australia/Lord_Howe", "weekly", 1), "Australia/Lord_Howe")
    assert start.replace(tzinfo=None) == datetime(2027, 10, 3, 2, 40)


def test_an_occurrence_in_the_hour_the_clocks_repeat_is_the_first_of_the_two() -> None:
    first = wall(BERLIN, 2027, 10, 24, 2, 30)
    start = nominal_start(first, BERLIN, "weekly", 1)
    assert start == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert describe(start, BERLIN) == "Sun 31 Oct 2027, 02:30 CEST (Europe/Berlin, UTC+02:00)"


def test_the_first_occurrence_is_the_first_start_as_given_even_the_second_of_two_hours() -> None:
    second_half = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)  # 02:30 CET, after the clocks go back
    assert nominal_start(second_half, BERLIN, "weekly", 0) == second_half
    assert local(nominal_start(second_half, BERLIN, "weekly", 1), BERLIN).hour == 2


def test_a_repeat_or_position_that_is_no_such_thing_is_a_programming_error() -> None:
    first = wall(BERLIN, 2027, 3, 1, 18)
    with pytest.raises(ValueError, match="repeat"):
        nominal_start(first, BERLIN, "daily", 1)
    with pytest.raises(ValueError, match="position"):
        nominal_start(first, BERLIN, "weekly", -1)


# fair_start


@pytest.mark.parametrize(
    ("nominal_hour", "duration", "expected_hour"),
    [
        (12, 60, 12),  # inside: kept
        (9, 60, 9),  # at the opening: kept
        (17, 60, 17),  # ending as the hours end: kept
        (7, 60, 9),  # too early: the hours' start that day
        (2, 60, 9),
        (18, 60, 17),  # too late: the latest start that still ends in time
        (23, 90, 16.5),
        (12, 9 * 60, 9),  # exactly as long as the hours
        (12, 10 * 60, 9),  # longer than the hours: their start
    ],
)
def test_fair_start_is_the_nearest_moment_in_the_regions_hours(
    nominal_hour: int, duration: int, expected_hour: float
) -> None:
    nominal = wall(TOKYO, 2027, 6, 1, nominal_hour)
    start = local(fair_start(nominal.astimezone(UTC), TOKYO, WORKING, duration), TOKYO)
    assert start.date() == date(2027, 6, 1)
    assert start.hour + start.minute / 60 == expected_hour
    assert start.tzinfo is not None


def test_fair_start_keeps_the_regions_own_date() -> None:
    # 18:00 in Berlin is 02:00 the next morning in Tokyo: that Tokyo day's 09:00.
    nominal = wall(BERLIN, 2027, 3, 15, 18)
    start = fair_start(nominal, TOKYO, WORKING, 60)
    assert local(start, TOKYO) == wall(TOKYO, 2027, 3, 16, 9)
    assert start.tzinfo is UTC


def test_fair_start_measures_a_short_night_in_real_minutes() -> None:
    # 00:00-06:00 in Berlin on 28 March 2027 lasts five hours: the clocks skip 02:00-03:00.
    night = (time(0, 0), time(6, 0))
    nominal = wall(BERLIN, 2027, 3, 28, 5)
    fits = fair_start(nominal, BERLIN, night, 5 * 60)
    assert local(fits, BERLIN) == wall(BERLIN, 2027, 3, 28, 0)
    four = fair_start(nominal, BERLIN, night, 4 * 60)
    assert local(four, BERLIN) == wall(BERLIN, 2027, 3, 28, 1)  # ends at 06:00, 4 real hours on
    too_long = fair_start(nominal, BERLIN, night, 5 * 60 + 1)
    assert local(too_long, BERLIN) == wall(BERLIN, 2027, 3, 28, 0)


def test_fair_start_measures_a_long_night_in_real_minutes() -> None:
    # 00:00-06:00 on 31 October 2027 lasts seven hours: 02:00-03:00 comes twice.
    night = (time(0, 0), time(6, 0))
    nominal = wall(BERLIN, 2027, 10, 31, 5)
    start = fair_start(nominal, BERLIN, night, 7 * 60)
    assert local(start, BERLIN) == wall(BERLIN, 2027, 10, 31, 0)
    assert local(start + timedelta(hours=7), BERLIN).hour == 6


def test_fair_start_refuses_hours_that_end_before_they_start() -> None:
    with pytest.raises(ValueError, match="working hours"):
        fair_start(wall(TOKYO, 2027, 6, 1, 12), TOKYO, (time(18), time(9)), 60)


# occurrence


def assert_in_hours(start: datetime, duration: int, region: str) -> None:
    opens, closes = WORKING
    begins, ends = local(start, region), local(start + timedelta(minutes=duration), region)
    assert begins.date() == ends.date(), describe(start, region)
    assert opens <= begins.time() and ends.time() <= closes, describe(start, region)


@pytest.mark.parametrize("duration", [30, 60, 90, 240, 9 * 60])
@pytest.mark.parametrize(
    "first",
    [
        wall(BERLIN, 2027, 3, 1, 18),  # across the US change (14 March) and the EU one (28 March)
        wall(BERLIN, 2027, 10, 4, 18),  # across the EU change (31 October) and the US one (7 Nov)
    ],
)
def test_each_occurrence_of_a_rotating_series_is_in_its_regions_hours(
    first: datetime, duration: int
) -> None:
    rotate = parse_rotate("Europe/Berlin, America/New_York,Asia/Tokyo")
    seen = []
    for position in range(12):
        start, region = occurrence(first, BERLIN, "weekly", position, rotate, WORKING, duration)
        assert region == rotate[position % 3]
        assert start.tzinfo is UTC
        assert_in_hours(start, duration, region)
        seen.append(start)
    assert seen == sorted(seen)  # a week apart, each region's hours move it less than that


def test_a_rotating_series_position_by_position() -> None:
    first = wall(BERLIN, 2027, 3, 1, 18)
    rotate = (BERLIN, NEW_YORK, TOKYO)
    shown = [describe(*occurrence_at(first, rotate, position)) for position in (0, 1, 2, 4, 5, 6)]
    assert shown == [
        # Position 0 keeps to the hours too: 18:00 would end at 19:00 in Berlin.
        "Mon 1 Mar 2027, 17:00 CET (Europe/Berlin, UTC+01:00)",
        "Mon 8 Mar 2027, 12:00 EST (America/New_York, UTC-05:00)",
        "Tue 16 Mar 2027, 09:00 JST (Asia/Tokyo, UTC+09:00)",
        # After the US change (14 March), before the EU one: 12:00 in New York.
        "Mon 29 Mar 2027, 12:00 EDT (America/New_York, UTC-04:00)",
        "Tue 6 Apr 2027, 09:00 JST (Asia/Tokyo, UTC+09:00)",
        "Mon 12 Apr 2027, 17:00 CEST (Europe/Berlin, UTC+02:00)",
    ]


def occurrence_at(first: datetime, rotate: tuple[str, ...], position: int) -> tuple[datetime, str]:
    return occurrence(first, BERLIN, "weekly", position, rotate, WORKING, 60)


def test_a_single_region_rotation_still_keeps_to_its_hours() -> None:
    first = wall(BERLIN, 2027, 3, 1, 20)
    start, region = occurrence(first, BERLIN, "monthly", 1, (BERLIN,), WORKING, 60)
    assert (local(start, BERLIN), region) == (wall(BERLIN, 2027, 4, 1, 17), BERLIN)


# The property: any series, any few zones, any length of a few hours.

PROPERTY_ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "UTC",
)
HOURS = st.sampled_from(
    [WORKING, (time(8, 0), time(12, 30)), (time(0, 0), time(4, 0)), (time(22, 0), time(23, 59))]
)


# Days around the clock changes of those zones, so that a window a change shortens or
# lengthens is drawn often, not once in a few thousand tries.
CHANGE_DAYS = tuple(
    datetime.fromisoformat(day)
    for day in (
        "2027-03-14",
        "2027-03-28",
        "2027-04-04",
        "2027-09-05",
        "2027-09-26",
        "2027-10-03",
        "2027-10-31",
        "2027-11-07",
        "2028-03-26",
        "2028-04-01",
    )
)
FIRST_WALLS = st.one_of(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31)),
    st.builds(
        lambda day, minutes: day + timedelta(minutes=minutes),
        st.sampled_from(CHANGE_DAYS),
        st.integers(min_value=-36 * 60, max_value=36 * 60),
    ),
)


@settings(max_examples=800, deadline=None)
@given(
    zone=st.sampled_from(PROPERTY_ZONES),
    first_wall=FIRST_WALLS,
    rotate=st.lists(st.sampled_from(PROPERTY_ZONES), min_size=0, max_size=4, unique=True),
    repeat=st.sampled_from(REPEATS),
    position=st.integers(min_value=0, max_value=30),
    duration=st.integers(min_value=15, max_value=240),
    hours=HOURS,
)
def test_every_occurrence_is_in_its_regions_hours_whenever_it_can_be(
    zone: str,
    first_wall: datetime,
    rotate: list[str],
    repeat: str,
    position: int,
    duration: int,
    hours: tuple[time, time],
) -> None:
    first = first_wall.replace(second=0, microsecond=0, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    start, region = occurrence(first, zone, repeat, position, tuple(rotate), hours, duration)
    nominal = nominal_start(first, zone, repeat, position)
    assert start.tzinfo is UTC and nominal.tzinfo is UTC
    if not rotate:
        assert (start, region) == (nominal, "")
        assert_keeps_the_wall_time(first, start, zone)
        return
    assert region == rotate[position % len(rotate)]
    assert_fair(start, nominal, region, hours, duration)


def assert_fair(
    start: datetime, nominal: datetime, region: str, hours: tuple[time, time], duration: int
) -> None:
    """``start`` is in the region's hours on its date of ``nominal`` when the event can be,
    and as near ``nominal`` as it can be."""
    place = ZoneInfo(region)
    day = nominal.astimezone(place).date()
    opens = datetime.combine(day, hours[0], tzinfo=place).astimezone(UTC)
    closes = datetime.combine(day, hours[1], tzinfo=place).astimezone(UTC)
    end = start + timedelta(minutes=duration)
    begins_there, ends_there = start.astimezone(place), end.astimezone(place)
    assert start.tzinfo is UTC
    assert begins_there.date() == day
    if closes - opens < timedelta(minutes=duration):
        assert start == opens  # it cannot fit that day: it starts as the hours do
        return
    # Start and end are inside the hours, as moments and as the clock on the wall reads.
    assert opens <= start and end <= closes
    assert ends_there.date() == day
    assert hours[0] <= begins_there.time() and ends_there.time() <= hours[1]
    # And it is the nearest such moment: kept if it fitted, else moved just far enough.
    if opens <= nominal and nominal + timedelta(minutes=duration) <= closes:
        assert start == nominal
    elif nominal < opens:
        assert start == opens
    else:
        assert end == closes


# Each zone on a day it changes its clocks, some at night, some at midnight, by half an hour.
CHANGES = (
    ("America/New_York", "2027-03-14"),
    ("America/New_York", "2027-11-07"),
    ("Europe/Berlin", "2027-03-28"),
    ("Europe/Berlin", "2027-10-31"),
    ("Australia/Sydney", "2027-04-04"),
    ("Australia/Sydney", "2027-10-03"),
    ("Australia/Lord_Howe", "2027-04-04"),
    ("Australia/Lord_Howe", "2027-10-03"),
    ("America/Santiago", "2027-04-03"),
    ("America/Santiago", "2027-09-05"),
    ("Pacific/Chatham", "2027-04-04"),
    ("Pacific/Chatham", "2027-09-26"),
    ("America/St_Johns", "2028-03-12"),
)


@settings(max_examples=500, deadline=None)
@given(
    change=st.sampled_from(CHANGES),
    minutes=st.integers(min_value=-6 * 60, max_value=30 * 60),
    duration=st.integers(min_value=15, max_value=240),
    hours=HOURS,
)
def test_fair_start_on_the_days_the_clocks_change(
    change: tuple[str, str], minutes: int, duration: int, hours: tuple[time, time]
) -> None:
    region, day = change
    midnight = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(region)).astimezone(UTC)
    nominal = midnight + timedelta(minutes=minutes)
    assert_fair(fair_start(nominal, region, hours, duration), nominal, region, hours, duration)


def assert_keeps_the_wall_time(first: datetime, start: datetime, zone: str) -> None:
    place = ZoneInfo(zone)
    wanted = first.astimezone(place).time().replace(fold=0)
    got = start.astimezone(place)
    if got.time().replace(fold=0) == wanted:
        return
    # Only a time the clocks skip that day moves, and then by the gap.
    skipped = datetime.combine(got.date(), wanted)
    assert skipped.replace(tzinfo=place).astimezone(UTC) == start
