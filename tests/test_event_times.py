"""An event's start, length, link and zone as people type them (bot/event_times.py): the
real zoneinfo database, daylight saving's gaps and overlaps, and the words people read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.event_times import (
    EventTimeError,
    check_duration,
    check_link,
    check_zone,
    describe,
    parse_start,
)

NOW = datetime(2026, 12, 1, 18, 57, tzinfo=UTC)
BERLIN = "Europe/Berlin"


def utc(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def error_of(text: str, zone: str = BERLIN, now: datetime = NOW) -> str:
    with pytest.raises(EventTimeError) as raised:
        parse_start(text, zone, now)
    return str(raised.value)


@pytest.mark.parametrize(
    "text", ["2026-12-08 18:00", "2026-12-08T18:00", "  2026-12-08 18:00 \n", "2026-12-08  18:00"]
)
def test_a_start_is_read_as_a_wall_time_there_and_returned_in_utc(text: str) -> None:
    start = parse_start(text, BERLIN, NOW)
    assert start == datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
    assert start.tzinfo is UTC


def test_an_hour_of_one_digit_is_read_too() -> None:
    assert parse_start("2026-12-08 9:30", BERLIN, NOW) == datetime(2026, 12, 8, 8, 30, tzinfo=UTC)


def test_the_same_words_are_another_moment_in_another_zone() -> None:
    tokyo = parse_start("2026-12-08 18:00", "Asia/Tokyo", NOW)
    new_york = parse_start("2026-12-08 18:00", "America/New_York", NOW)
    assert tokyo == datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    assert new_york == datetime(2026, 12, 8, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "tomorrow 5pm",
        "",
        "2026-12-08",
        "08.12.2026 18:00",
        "2026-12-08 18:00:00",
        "2026-12-8 18:00",
    ],
)
def test_what_is_not_a_start_gets_the_form_to_write(text: str) -> None:
    message = error_of(text)
    assert message.startswith(f'I could not read "{text.strip()}" as a start')
    # The example is a week from today there, at 18:00: it would be accepted as written.
    assert message.endswith('write it as "2026-12-08 18:00".')
    parse_start("2026-12-08 18:00", BERLIN, NOW)


def test_the_spec_example_reads_as_the_brief_says() -> None:
    assert error_of("tomorrow 5pm") == (
        'I could not read "tomorrow 5pm" as a start: write it as "2026-12-08 18:00".'
    )


def test_a_long_or_hidden_input_is_echoed_short_and_printable() -> None:
    message = error_of("x" * 500 + "\x1b[31m")
    assert "\x1b" not in message and len(message) < 150


@pytest.mark.parametrize("text", ["2027-02-30 10:00", "2027-13-01 10:00", "2027-01-01 24:00"])
def test_a_day_or_time_that_no_calendar_has_is_refused(text: str) -> None:
    assert error_of(text).startswith(f'"{text}" is not a day and time of day')


def test_a_time_in_the_spring_gap_is_refused_with_the_jump_named() -> None:
    assert error_of("2027-03-28 02:30") == (
        "2027-03-28 02:30 does not exist in Europe/Berlin: the clocks jump from 02:00 to 03:00 "
        'that night. Pick another time, e.g. "2027-03-28 03:30".'
    )


@pytest.mark.parametrize(
    ("zone", "text", "jump", "instead"),
    [
        ("America/New_York", "2027-03-14 02:15", "from 02:00 to 03:00", "2027-03-14 03:15"),
        # Chile jumps at midnight, Lord Howe by half an hour: the edges are computed.
        ("America/Santiago", "2027-09-05 00:30", "from 00:00 to 01:00", "2027-09-05 01:30"),
        ("Australia/Lord_Howe", "2027-10-03 02:10", "from 02:00 to 02:30", "2027-10-03 02:40"),
        ("Europe/London", "2027-03-28 01:00", "from 01:00 to 02:00", "2027-03-28 02:00"),
    ],
)
def test_each_zones_own_gap_is_found(zone: str, text: str, jump: str, instead: str) -> None:
    message = error_of(text, zone)
    assert f"does not exist in {zone}: the clocks jump {jump} that night" in message
    assert message.endswith(f'e.g. "{instead}".')
    parse_start(instead, zone, NOW)  # the suggestion is accepted


def test_the_edges_of_a_gap_are_real_times() -> None:
    assert parse_start("2027-03-28 01:59", BERLIN, NOW) == datetime(2027, 3, 28, 0, 59, tzinfo=UTC)
    assert parse_start("2027-03-28 03:00", BERLIN, NOW) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert "does not exist" in error_of("2027-03-28 02:00")
    assert "does not exist" in error_of("2027-03-28 02:59")


def test_an_hour_the_clocks_repeat_is_its_first_and_the_echo_says_which() -> None:
    start = parse_start("2027-10-31 02:30", BERLIN, NOW)
    assert start == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # CEST, before the clocks go back
    assert describe(start, BERLIN) == "Sun 31 Oct 2027, 02:30 CEST (Europe/Berlin, UTC+02:00)"
    second = start + timedelta(hours=1)
    assert describe(second, BERLIN) == "Sun 31 Oct 2027, 02:30 CET (Europe/Berlin, UTC+01:00)"


def test_a_start_at_or_before_now_is_in_the_past() -> None:
    now_there = "2026-12-01 19:57"  # 18:57 UTC is 19:57 in Berlin
    message = error_of(now_there)
    assert message == (
        "That start (2026-12-01 19:57 Europe/Berlin) is in the past; it is 2026-12-01 19:57 "
        'there now. Pick a later one, e.g. "2026-12-08 18:00".'
    )
    assert "in the past" in error_of("2026-11-30 10:00")
    assert parse_start("2026-12-01 19:58", BERLIN, NOW) == NOW + timedelta(minutes=1)


def test_a_start_more_than_two_years_away_is_refused() -> None:
    assert parse_start("2028-12-01 23:59", BERLIN, NOW) == datetime(2028, 12, 1, 22, 59, tzinfo=UTC)
    assert error_of("2028-12-02 00:00") == (
        "That start (2028-12-02 00:00 Europe/Berlin) is more than 2 years away: "
        "pick a day up to 2028-12-01."
    )


def test_two_years_from_the_29th_of_february_ends_on_the_28th() -> None:
    leap = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    assert parse_start("2030-02-28 10:00", "UTC", leap)
    assert "pick a day up to 2030-02-28" in error_of("2030-03-01 10:00", "UTC", leap)


def test_the_zone_is_checked_and_now_must_be_aware() -> None:
    assert "Did you mean Europe/Berlin?" in error_of("2026-12-08 18:00", "europe/berlin")
    with pytest.raises(ValueError, match="aware"):
        parse_start("2026-12-08 18:00", BERLIN, datetime(2026, 12, 1))


# Zones with every kind of rule: none, northern and southern daylight saving, half hours,
# a half-hour change, a change at midnight, and 45-minute offsets.
ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "America/St_Johns",
)


# Nights when a zone changes its clocks, so that its gaps and overlaps are drawn often.
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
ANY_NIGHT = st.tuples(
    st.sampled_from(ZONES),
    st.datetimes(min_value=datetime(2026, 12, 3), max_value=datetime(2028, 11, 29)),
)
CHANGE_NIGHT = st.builds(
    lambda change, minutes: (
        change[0],
        datetime.fromisoformat(change[1]) + timedelta(minutes=minutes),
    ),
    st.sampled_from(CHANGES),
    st.integers(min_value=-60, max_value=5 * 60),
)


@settings(max_examples=400, deadline=None)
@given(zone_and_wall=st.one_of(ANY_NIGHT, CHANGE_NIGHT))
def test_every_wall_time_is_read_back_exactly_or_named_as_skipped(
    zone_and_wall: tuple[str, datetime],
) -> None:
    zone, wall = zone_and_wall
    wall = wall.replace(second=0, microsecond=0)
    text = f"{wall:%Y-%m-%d %H:%M}"
    place = ZoneInfo(zone)
    try:
        start = parse_start(text, zone, NOW)
    except EventTimeError as error:
        # Only a time that does not exist there is refused in this range.
        round_trip = wall.replace(tzinfo=place).astimezone(UTC).astimezone(place)
        assert round_trip.replace(tzinfo=None) != wall
        assert f"{text} does not exist in {zone}" in str(error)
        event("skipped by the clocks")
        return
    local = start.astimezone(place)
    assert local.replace(tzinfo=None, fold=0) == wall
    # Of two moments with that wall time, the first.
    assert local.fold == 0
    if (start + timedelta(hours=1)).astimezone(place).replace(tzinfo=None) == wall:
        event("repeated by the clocks")
    assert describe(start, zone).split(", ")[1].startswith(f"{wall:%H:%M}")


@pytest.mark.parametrize("minutes", [1, 60, 1440])
def test_a_length_of_one_minute_to_a_day_is_kept(minutes: int) -> None:
    assert check_duration(minutes) == minutes


@pytest.mark.parametrize("minutes", [0, -5, 1441, 10_000])
def test_a_length_outside_a_day_is_refused(minutes: int) -> None:
    with pytest.raises(EventTimeError, match=r"at most 24 hours \(1440 minutes\)"):
        check_duration(minutes)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("https://meet.example.org/cop?id=7#x", "https://meet.example.org/cop?id=7#x"),
        ("http://localhost:8080/room", "http://localhost:8080/room"),
        ("  https://zoom.us/j/123  ", "https://zoom.us/j/123"),
        ("HTTPS://Example.org", "HTTPS://Example.org"),
        ("https://[2001:db8::1]/x", "https://[2001:db8::1]/x"),
        ("https://bücher.example/raum", "https://bücher.example/raum"),
    ],
)
def test_a_web_link_is_kept(text: str, kept: str) -> None:
    assert check_link(text) == kept


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "meet.example.org/cop",
        "ftp://example.org/file",
        "javascript:alert(1)",
        "https://",
        "https:///path",
        "http://[::1",
        "http://example.org:99999/",
        "http://example.org:port/",
        "https://exa mple.org",
        "https://example.org/\x00",
        "https://example.org/\u202e",
        "https://example.org/\u200b",
        "https://example.org/" + "a" * 481,
    ],
)
def test_what_is_not_a_web_link_is_refused(text: str) -> None:
    with pytest.raises(EventTimeError) as raised:
        check_link(text)
    message = str(raised.value)
    assert "https://" in message or "at most 500 characters" in message
    assert "\x00" not in message and "\u202e" not in message


def test_a_link_of_500_characters_is_kept() -> None:
    link = "https://example.org/" + "a" * 480
    assert len(link) == 500 and check_link(link) == link


def test_a_zone_is_checked_as_the_rest_of_copbot_checks_it() -> None:
    assert check_zone(" Europe/Berlin ") == BERLIN
    assert check_zone("UTC") == "UTC"
    with pytest.raises(EventTimeError, match="Did you mean Europe/Berlin"):
        check_zone("Europe/Berln")
    with pytest.raises(EventTimeError, match=r"e\.g\. America/New_York"):
        check_zone("EST")
    assert issubclass(EventTimeError, ValueError)


@pytest.mark.parametrize(
    ("instant", "zone", "shown"),
    [
        (
            utc(2026, 12, 8, 17),
            BERLIN,
            "Tue 8 Dec 2026, 18:00 CET (Europe/Berlin, UTC+01:00)",
        ),
        (
            utc(2027, 7, 1, 16),
            BERLIN,
            "Thu 1 Jul 2027, 18:00 CEST (Europe/Berlin, UTC+02:00)",
        ),
        (utc(2026, 12, 8, 17), "UTC", "Tue 8 Dec 2026, 17:00 UTC"),
        (
            utc(2026, 12, 8, 23),
            "America/New_York",
            "Tue 8 Dec 2026, 18:00 EST (America/New_York, UTC-05:00)",
        ),
        (
            utc(2026, 12, 8, 17),
            "Asia/Kolkata",
            "Tue 8 Dec 2026, 22:30 IST (Asia/Kolkata, UTC+05:30)",
        ),
        (
            utc(2026, 12, 8, 17),
            "America/St_Johns",
            "Tue 8 Dec 2026, 13:30 NST (America/St_Johns, UTC-03:30)",
        ),
        # A zone whose abbreviation is its offset says the offset once.
        (utc(2026, 12, 8, 17), "Asia/Dubai", "Tue 8 Dec 2026, 21:00 (Asia/Dubai, UTC+04:00)"),
        (
            utc(2026, 12, 8, 17),
            "Asia/Kathmandu",
            "Tue 8 Dec 2026, 22:45 (Asia/Kathmandu, UTC+05:45)",
        ),
        # The day is the zone's own: Tokyo is already on Wednesday.
        (
            utc(2026, 12, 8, 17),
            "Asia/Tokyo",
            "Wed 9 Dec 2026, 02:00 JST (Asia/Tokyo, UTC+09:00)",
        ),
    ],
)
def test_describe_names_day_date_time_abbreviation_zone_and_offset(
    instant: datetime, zone: str, shown: str
) -> None:
    assert describe(instant, zone) == shown


def test_describe_needs_an_aware_moment_and_a_real_zone() -> None:
    with pytest.raises(ValueError, match="aware"):
        describe(datetime(2026, 12, 8, 17), BERLIN)
    with pytest.raises(EventTimeError):
        describe(NOW, "Mars/Olympus")


@pytest.mark.parametrize(
    ("text", "zone"), [("9999-12-31 23:30", "America/New_York"), ("0001-01-01 00:30", "Asia/Tokyo")]
)
def test_a_start_at_the_ends_of_the_calendar_is_refused_not_a_crash(text: str, zone: str) -> None:
    with pytest.raises(EventTimeError, match=r"in the past|years away"):
        parse_start(text, zone, NOW)
