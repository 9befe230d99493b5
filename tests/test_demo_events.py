"""The demo's events: a rotating series at fair times (one cancelled), a webinar and a clinic
coming up with few going, answered and attended by members around at the time; what the
report's Events sheet and its attention items make of them, on both backends."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.config_events import EventsConfig
from bot.event_rotation import occurrence
from bot.usecases.event_make import EVENT_REMINDER_JOB, EVENT_SERIES_JOB, series_job_key
from reports.demo_events import CLINIC, ROTATE, SERIES, WEBINAR
from reports.demo_history import write_history
from storage.engine import Store
from storage.report_data import report_data
from tests.sql_rows import aware as _aware
from tests.sql_rows import rows as _rows
from tests.workbook_reading import HEADER_ROW, read, rows

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # a Tuesday


async def test_a_rotating_series_at_the_times_copbot_would_choose(store: Store) -> None:
    history = await write_history(store, now=NOW, seed=7)
    [series] = await _rows(store, "SELECT id, first_start, timezone, rotate FROM event_series")
    assert series.rotate == ",".join(ROTATE) and series.timezone == history.timezone
    made = await _rows(
        store,
        "SELECT position, start_at, region, timezone, status, sequence, created_at FROM event "
        "WHERE series_id = :s ORDER BY position",
        s=series.id,
    )
    first = _aware(series.first_start)
    for row in made:
        start, region = occurrence(
            first, series.timezone, "biweekly", row.position, ROTATE, EventsConfig().hours, 60
        )
        assert (_aware(row.start_at), row.region, row.timezone) == (start, region, region)
        local = start.astimezone(ZoneInfo(region))
        assert local.hour >= 9 and local.hour + 1 <= 18  # in that region's working hours
    # Each occurrence made when the one before started; the last one made is still ahead.
    assert all(_aware(b.created_at) == _aware(a.start_at) for a, b in itertools.pairwise(made))
    assert _aware(made[-1].start_at) > NOW >= _aware(made[-2].start_at)
    assert {r.region for r in made} == set(ROTATE)
    cancelled = [r for r in made if r.status == "cancelled"]
    assert len(cancelled) == 1 and cancelled[0].sequence == 1
    assert _aware(cancelled[0].start_at) < NOW
    total = await _rows(store, "SELECT COUNT(*) FROM event")
    assert total[0][0] == history.events == len(made) + 2
    # What copbot would have pending: the job that makes the next occurrence when the latest
    # starts, and the reminders still ahead (of the latest occurrence and of the clinic).
    jobs = await _rows(store, "SELECT key, kind, due_at, status FROM scheduled_job")
    assert {j.status for j in jobs} == {"pending"} and all(_aware(j.due_at) > NOW for j in jobs)
    series_jobs = [j for j in jobs if j.kind == EVENT_SERIES_JOB]
    assert [j.key for j in series_jobs] == [series_job_key(series.id, len(made))]
    assert _aware(series_jobs[0].due_at) == _aware(made[-1].start_at)
    reminded = {j.key.split(":")[1] for j in jobs if j.kind == EVENT_REMINDER_JOB}
    ahead = await _rows(store, "SELECT id FROM event WHERE start_at > :now", now=NOW)
    assert reminded == {str(e.id) for e in ahead}


async def test_answers_and_attendance_from_members_around_with_their_ledger_rows(
    store: Store,
) -> None:
    await write_history(store, now=NOW, seed=7)
    answers = await _rows(
        store,
        "SELECT r.event_id, r.member_id, r.answer, r.answered_at, m.first_seen, e.start_at, "
        "e.status FROM event_rsvp r JOIN member m ON m.id = r.member_id "
        "JOIN event e ON e.id = r.event_id",
    )
    assert Counter(a.answer for a in answers).keys() == {"going", "maybe", "no"}
    assert all(_aware(a.first_seen) <= _aware(a.answered_at) <= NOW for a in answers)
    assert all(_aware(a.answered_at) < _aware(a.start_at) for a in answers)
    came = await _rows(
        store,
        "SELECT a.event_id, a.member_id, a.how, e.start_at, e.status FROM event_attendance a "
        "JOIN event e ON e.id = a.event_id",
    )
    assert came and {c.how for c in came} == {"facilitator"}
    assert all(c.status == "scheduled" and _aware(c.start_at) < NOW for c in came)
    going = {(a.event_id, a.member_id) for a in answers if a.answer == "going"}
    attended = {(c.event_id, c.member_id) for c in came}
    assert len(attended & going) > len(attended - going) > 0  # mostly those going, a few not
    ledger = await _rows(
        store,
        "SELECT kind, event_id, occurred_at, channel, member_id FROM ledger "
        "WHERE kind IN ('rsvp', 'attended')",
    )
    rsvps = [row for row in ledger if row.kind == "rsvp"]
    assert len(rsvps) >= len(answers)  # a change of mind is one more answer given
    assert {r.event_id.split(":")[4] for r in rsvps} == {"going", "maybe", "no"}
    assert {r.event_id for r in ledger if r.kind == "attended"} == {
        f"attended:{e}:{m}" for e, m in attended
    }
    opted = await _rows(store, "SELECT id FROM member WHERE tracking_opted_out")
    assert all(r.member_id != opted[0][0] for r in ledger)


async def test_the_events_sheet_has_regions_a_cancellation_and_few_rsvps(store: Store) -> None:
    history = await write_history(store, now=NOW, seed=10)  # copbot demo's seed
    async with store.read() as session:
        data = await report_data(
            session=session, community_id=history.community_id, week=history.last_full_week, now=NOW
        )
    wb = read(data)
    table = rows(wb, "Events")
    body = table[HEADER_ROW : HEADER_ROW + len(data.events)]
    assert len(body) == len(data.events) >= 7
    assert {row[0] for row in body} == {SERIES, WEBINAR}  # the clinic is after the week
    assert {row[8] for row in body} == {"Held", "Cancelled"}
    assert any("America/New_York" in row[2] for row in body)
    assert all(row[7] is None or 0 < row[7] < 3 for row in body if row[8] == "Held")
    at = next(n for n, row in enumerate(table) if row[0] == "Attendance by region")
    regions = [row[0] for row in table[at + 2 :] if row and row[0]]
    assert {"Europe", "America"} <= set(regions) and regions[0] == "Europe"
    few = [a for a in data.attention if a.kind == "few-rsvps"]
    assert [a.about for a in few] == [CLINIC]
    assert "going" in few[0].detail
    summary = [row for row in rows(wb, "Summary") if row and row[0] == CLINIC]
    assert len(summary) == 1 and few[0].detail in summary[0]  # a line of "What needs attention"
