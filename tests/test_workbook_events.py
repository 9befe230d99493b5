"""The Events sheet read back: one row per event with its answers, attendance and rate, then
attendance by region; a note when there are no events."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from openpyxl.workbook.workbook import Workbook

from storage.report_rows import ReportData
from tests.report_samples import GENERATED, empty_report, sample_report
from tests.workbook_reading import HEADER_ROW, read, row_of, rows

COLUMNS = (
    "Event",
    "Starts",
    "Series/region",
    "Going",
    "Maybe",
    "Can't go",
    "Attended",
    "Attendance rate",
    "Status",
)


@pytest.fixture(scope="module")
def sample() -> ReportData:
    return sample_report()


@pytest.fixture(scope="module")
def wb(sample: ReportData) -> Workbook:
    return read(sample)


def test_one_row_per_event_newest_first(wb: Workbook, sample: ReportData) -> None:
    table = rows(wb, "Events")
    assert table[HEADER_ROW - 1][: len(COLUMNS)] == COLUMNS
    body = table[HEADER_ROW : HEADER_ROW + len(sample.events)]
    assert [row[2:] for row in body] == [
        ("Series 7, #5 · America", 8, 3, 2, 6, pytest.approx(0.75), "Held"),
        ("Series 7, #4 · Europe", 5, 1, 0, 7, pytest.approx(1.4), "Held"),
        ("One-off", 4, 2, 1, 0, None, "Cancelled"),  # not held: no rate
        ("One-off", 0, 0, 0, 2, None, "Held"),  # nobody said going: no rate
    ]
    # Thursday 13:00 in New York, as a local time without a zone.
    assert body[0][:2] == ("Data quality clinic", datetime(2026, 11, 26, 13, 0))
    ws = wb["Events"]
    assert ws.cell(HEADER_ROW + 1, 8).number_format == "0.0%"
    assert ws.cell(HEADER_ROW + 1, 2).number_format == "yyyy-mm-dd hh:mm"


def test_a_title_that_looks_like_a_formula_stays_text(wb: Workbook) -> None:
    cell = wb["Events"].cell(HEADER_ROW + 4, 1)
    assert cell.value == '=HYPERLINK("http://x","y")'
    assert cell.data_type == "s" and cell.quotePrefix


def test_attendance_by_region_follows_the_events(wb: Workbook, sample: ReportData) -> None:
    table = rows(wb, "Events")
    at = next(n for n, row in enumerate(table) if row[0] == "Attendance by region")
    assert at > HEADER_ROW + len(sample.events)  # outside the events' filter
    assert table[at + 1][:3] == ("Region", "Events attended", "Attendances")
    assert [row[:3] for row in table[at + 2 : at + 5]] == [
        ("Europe", 3, 14),
        ("America", 2, 6),
        ("UTC", 1, 1),
    ]


def test_the_header_is_frozen_and_the_events_filter(wb: Workbook) -> None:
    ws = wb["Events"]
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:I8"
    assert ws.column_dimensions["A"].width >= len('=HYPERLINK("http://x","y")')


def test_an_event_still_to_start_is_scheduled() -> None:
    data = sample_report()
    soon = replace(data.events[0], starts_at=GENERATED + timedelta(hours=2))
    wb = read(replace(data, events=[soon]))
    assert rows(wb, "Events")[HEADER_ROW][8] == "Scheduled"


def test_no_events_shows_the_note_and_no_regions() -> None:
    wb = read(empty_report())
    table = rows(wb, "Events")
    assert table[HEADER_ROW][0] == "No events yet."
    assert wb["Events"].auto_filter.ref == "A4:I4"
    assert not any(row and row[0] == "Attendance by region" for row in table)
    assert row_of(wb, "Summary", "Events held")[1:3] == (0, 0)


def test_summary_and_trends_show_the_events_figures(wb: Workbook, sample: ReportData) -> None:
    summary = row_of(wb, "Summary", "Event attendance")
    assert summary[1:3] == (sample.this_week.event_attendance, sample.last_week.event_attendance)
    assert sample.this_week.event_attendance or sample.last_week.event_attendance
