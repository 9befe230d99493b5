"""Events' calendar files (.ics): read back with icalendar, and checked line by line as a
calendar app reads them (CRLF, 75-octet lines, balanced components, one VEVENT)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from bot.event_calendar import CalendarEntry, calendar_uid, ics_file, ics_name

STAMP = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
JULY_EVENING = datetime(2026, 7, 10, 16, 0, tzinfo=UTC)  # 18:00 in Berlin (CEST)


def entry(**changes: Any) -> CalendarEntry:
    values: dict[str, Any] = {
        "uid": calendar_uid(12, "Data Folk"),
        "title": "Office hours",
        "start": JULY_EVENING,
        "duration_minutes": 60,
        "timezone": "Europe/Berlin",
        "sequence": 0,
        "organizer_name": "Data Folk",
    }
    return CalendarEntry(**(values | changes))


def lines(data: bytes) -> list[bytes]:
    """The file's physical lines, after checking that each ends in CRLF."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "a bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "a bare CR"
    return data[:-2].split(b"\r\n")


def check_structure(data: bytes) -> None:
    """What an importer needs: short lines of whole UTF-8 characters, balanced components."""
    stack: list[str] = []
    vevents = 0
    for line in lines(data):
        assert len(line) <= 75, line
        text = line.decode("utf-8")  # folding never splits a character
        if text.startswith("BEGIN:"):
            stack.append(text[6:])
            vevents += text == "BEGIN:VEVENT"
        elif text.startswith("END:"):
            assert stack.pop() == text[4:]
    assert stack == []
    assert vevents == 1


def parsed(data: bytes) -> tuple[Calendar, Any]:
    calendar = Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def unfolded(data: bytes) -> str:
    return data.decode("utf-8").replace("\r\n ", "")


def test_the_calendar_says_who_made_it_and_asks_to_add_the_event() -> None:
    data = ics_file(entry(), STAMP)
    calendar, event = parsed(data)
    check_structure(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//copbot//events//EN"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["UID"]) == "event-12@data-folk.copbot"
    assert event["DTSTAMP"].dt == STAMP
    assert "DTSTAMP:20260601T080000Z" in unfolded(data)
    assert event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]) == "Office hours"


def test_the_start_keeps_its_instant_and_its_zone() -> None:
    data = ics_file(entry(), STAMP)
    _, event = parsed(data)
    start = event["DTSTART"].dt
    assert start.tzinfo.key == "Europe/Berlin"
    assert start == JULY_EVENING
    assert start.utcoffset() == timedelta(hours=2)  # July in Berlin is summer time
    assert "DTSTART;TZID=Europe/Berlin:20260710T180000" in unfolded(data)


@pytest.mark.parametrize(
    ("zone", "start", "offset"),
    [
        ("Europe/Berlin", datetime(2026, 1, 15, 17, tzinfo=UTC), timedelta(hours=1)),
        ("America/New_York", datetime(2026, 7, 1, 15, tzinfo=UTC), timedelta(hours=-4)),
        ("Australia/Sydney", datetime(2026, 7, 1, 1, tzinfo=UTC), timedelta(hours=10)),
        ("Asia/Kolkata", datetime(2026, 7, 1, 9, tzinfo=UTC), timedelta(hours=5, minutes=30)),
    ],
)
def test_each_zone_gives_its_own_offset_on_the_day(
    zone: str, start: datetime, offset: timedelta
) -> None:
    data = ics_file(entry(timezone=zone, start=start), STAMP)
    check_structure(data)
    calendar, event = parsed(data)
    assert event["DTSTART"].dt.tzinfo.key == zone
    assert event["DTSTART"].dt == start
    assert event["DTSTART"].dt.utcoffset() == offset
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [zone]


def test_the_zone_comes_before_the_event_with_both_observances_of_the_year() -> None:
    data = ics_file(entry(), STAMP)
    calendar, _ = parsed(data)
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Berlin"
    text = unfolded(data)
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    summer: list[Any] = vtimezone.walk("DAYLIGHT")
    assert summer and vtimezone.walk("STANDARD")
    # The observance in force on the event's day: summer time began on 29 March 2026.
    [spring] = [c for c in summer if c["DTSTART"].dt.date() == date(2026, 3, 29)]
    assert spring["TZOFFSETTO"].td == timedelta(hours=2)
    assert spring["TZOFFSETFROM"].td == timedelta(hours=1)


def test_the_end_is_the_start_plus_the_duration_in_the_same_zone() -> None:
    data = ics_file(entry(duration_minutes=90), STAMP)
    _, event = parsed(data)
    end = event["DTEND"].dt
    assert end.tzinfo.key == "Europe/Berlin"
    assert end - event["DTSTART"].dt == timedelta(minutes=90)
    assert "DTEND;TZID=Europe/Berlin:20260710T193000" in unfolded(data)


def test_an_event_across_the_autumn_change_ends_after_its_real_duration() -> None:
    # 25 October 2026, 00:30 CEST (22:30 UTC the day before), four hours: the clocks go back
    # an hour on the way, so it ends at 03:30 CET, three hours later on the wall clock.
    start = datetime(2026, 10, 24, 22, 30, tzinfo=UTC)
    data = ics_file(entry(start=start, duration_minutes=240), STAMP)
    _, event = parsed(data)
    assert event["DTEND"].dt == start + timedelta(hours=4)
    assert event["DTSTART"].dt.utcoffset() == timedelta(hours=2)
    assert event["DTEND"].dt.utcoffset() == timedelta(hours=1)
    assert "DTSTART;TZID=Europe/Berlin:20261025T003000" in unfolded(data)
    assert "DTEND;TZID=Europe/Berlin:20261025T033000" in unfolded(data)


def test_an_end_in_the_repeated_hour_of_autumn_is_written_in_utc() -> None:
    # 01:30 CEST plus two hours is 02:30 CET; "02:30 in Berlin" that night means CEST (RFC 5545
    # takes the first occurrence), an hour early, so the end is written as a UTC instant.
    start = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    data = ics_file(entry(start=start, duration_minutes=120), STAMP)
    check_structure(data)
    calendar, event = parsed(data)
    assert event["DTEND"].dt == start + timedelta(hours=2)
    assert "DTEND:20261025T013000Z" in unfolded(data)
    assert "DTSTART;TZID=Europe/Berlin:20261025T013000" in unfolded(data)
    assert event["DTSTART"].dt == start
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


@pytest.mark.parametrize("zone", ["", "UTC", "utc", "Mars/Olympus_Mons", "../etc/passwd"])
def test_without_a_known_zone_the_times_are_utc(zone: str) -> None:
    data = ics_file(entry(timezone=zone), STAMP)
    check_structure(data)
    calendar, event = parsed(data)
    text = unfolded(data)
    assert "DTSTART:20260710T160000Z" in text
    assert "DTEND:20260710T170000Z" in text
    assert "TZID" not in text
    assert calendar.walk("VTIMEZONE") == []
    assert event["DTSTART"].dt == JULY_EVENING


def test_a_new_version_keeps_the_uid_and_counts_up_the_sequence() -> None:
    first = parsed(ics_file(entry(sequence=0), STAMP))[1]
    moved = parsed(ics_file(entry(sequence=3, start=JULY_EVENING + timedelta(days=1)), STAMP))[1]
    assert calendar_uid(12, "Data Folk") == calendar_uid(12, "Data Folk")
    assert str(first["UID"]) == str(moved["UID"])
    assert moved["SEQUENCE"] == 3


def test_a_cancelled_event_cancels_the_imported_one() -> None:
    data = ics_file(entry(cancelled=True, sequence=4), STAMP)
    check_structure(data)
    calendar, event = parsed(data)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == "event-12@data-folk.copbot"
    assert event["SEQUENCE"] == 4


def test_peoples_commas_semicolons_newlines_and_emoji_are_escaped_and_come_back() -> None:
    title = "Lunch, learn; chat 🎉 Café"
    description = "Bring: laptops, ideas; snacks\nSecond line \\ with a backslash 🚀"
    data = ics_file(entry(title=title, description=description), STAMP)
    check_structure(data)
    text = unfolded(data)
    assert "SUMMARY:Lunch\\, learn\\; chat 🎉 Café\r\n" in text
    assert "laptops\\, ideas\\; snacks\\nSecond line \\\\ with" in text
    _, event = parsed(data)
    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]) == description


def test_control_characters_go_but_line_breaks_stay() -> None:
    data = ics_file(entry(title="Talk\x1b[31m\x00\u202e", description="one\r\ntwo\x07\x7f"), STAMP)
    _, event = parsed(data)
    assert str(event["SUMMARY"]) == "Talk[31m"
    assert str(event["DESCRIPTION"]) == "one\ntwo"


def test_the_link_is_the_location_the_url_and_the_last_line_of_the_description() -> None:
    link = "https://meet.example/room?a=1,b=2;c"
    data = ics_file(entry(description="Agenda inside.", link=link), STAMP)
    check_structure(data)
    _, event = parsed(data)
    assert str(event["DESCRIPTION"]) == f"Agenda inside.\n{link}"
    assert str(event["LOCATION"]) == link
    assert str(event["URL"]) == link


def test_a_link_alone_is_the_whole_description() -> None:
    _, event = parsed(ics_file(entry(link="https://meet.example/x"), STAMP))
    assert str(event["DESCRIPTION"]) == "https://meet.example/x"


def test_a_place_that_is_not_a_web_address_is_a_location_but_no_url() -> None:
    _, event = parsed(ics_file(entry(link="Room 4, second floor"), STAMP))
    assert str(event["LOCATION"]) == "Room 4, second floor"
    assert "URL" not in event


def test_without_words_or_link_there_is_no_description_location_or_url() -> None:
    _, event = parsed(ics_file(entry(), STAMP))
    for name in ("DESCRIPTION", "LOCATION", "URL"):
        assert name not in event


def test_the_community_is_the_organizer_with_an_address_that_never_delivers() -> None:
    _, event = parsed(ics_file(entry(organizer_name='The "Data, Folk"; Berlin'), STAMP))
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:noreply@copbot.invalid"
    assert organizer.params["CN"] == "The 'Data, Folk'; Berlin"
    _, unnamed = parsed(ics_file(entry(organizer_name=""), STAMP))
    assert unnamed["ORGANIZER"].params["CN"] == "copbot"


def test_a_long_title_is_folded_into_short_lines_and_read_back_whole() -> None:
    title = ("Quarterly community retrospective, " * 9)[:299] + "!"
    data = ics_file(entry(title=title), STAMP)
    check_structure(data)
    assert any(line.startswith(b" ") for line in lines(data))
    assert str(parsed(data)[1]["SUMMARY"]) == title


def test_folding_never_splits_an_emoji() -> None:
    title = "🎉é" * 80  # 4 + 2 octets each, so a fold falls inside a character if done wrong
    data = ics_file(entry(title=title, description="ü" * 200), STAMP)
    check_structure(data)
    assert str(parsed(data)[1]["SUMMARY"]) == title


@settings(max_examples=60, deadline=None)
@given(title=st.text(max_size=200), description=st.text(max_size=300))
def test_any_text_makes_a_file_that_imports_and_reads_back(title: str, description: str) -> None:
    data = ics_file(entry(title=title, description=description), STAMP)
    check_structure(data)
    _, event = parsed(data)
    assert event["DTSTART"].dt == JULY_EVENING
    assert "\x00" not in str(event["SUMMARY"])


def test_uids_are_safe_and_tell_events_and_communities_apart() -> None:
    assert calendar_uid(12, "Data Folk") == "event-12@data-folk.copbot"
    assert calendar_uid(7, "Ünïcode Ça; <script>, x") == "event-7@unicode-ca-script-x.copbot"
    assert calendar_uid(7, "🎉🎉") == "event-7@community.copbot"
    assert calendar_uid(7, "") == "event-7@community.copbot"
    assert calendar_uid(7, "A") != calendar_uid(8, "A")
    long = calendar_uid(3, "x" * 500)
    assert re.fullmatch(r"[A-Za-z0-9.@-]+", long) and len(long) < 75


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Office hours", "office-hours.ics"),
        ("Lunch, learn; chat 🎉 Café!", "lunch-learn-chat-cafe.ics"),
        ("../../etc/passwd", "etc-passwd.ics"),
        ("", "event.ics"),
        ("🎉 ✨", "event.ics"),
    ],
)
def test_file_names_are_plain_ascii_slugs(title: str, name: str) -> None:
    assert ics_name(title) == name


def test_a_long_title_gives_a_file_name_of_at_most_sixty_characters() -> None:
    name = ics_name("word " * 100)
    assert len(name) <= 60
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.ics", name)


def test_times_must_be_aware() -> None:
    with pytest.raises(ValueError):
        entry(start=datetime(2026, 7, 10, 16))
    with pytest.raises(ValueError):
        ics_file(entry(), datetime(2026, 6, 1))
    with pytest.raises(ValueError):
        entry(duration_minutes=0)


def test_the_zone_of_the_start_given_does_not_matter_only_its_instant() -> None:
    tokyo = JULY_EVENING.astimezone(ZoneInfo("Asia/Tokyo"))
    assert ics_file(entry(start=tokyo), STAMP) == ics_file(entry(), STAMP)
