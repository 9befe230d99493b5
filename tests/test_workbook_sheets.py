"""The weekly workbook read back: Members, Check-ins, the sheets to come, Activity, the frame."""

from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl.workbook.workbook import Workbook

from storage.report_rows import ReportData
from tests.report_samples import empty_report, sample_report
from tests.workbook_reading import HEADER_ROW, SHEETS, read, row_of, rows


@pytest.fixture(scope="module")
def sample() -> ReportData:
    return sample_report()


@pytest.fixture(scope="module")
def wb(sample: ReportData) -> Workbook:
    return read(sample)


def test_members_has_one_row_per_member_then_the_opted_out_totals(
    wb: Workbook, sample: ReportData
) -> None:
    table = rows(wb, "Members")
    body = table[HEADER_ROW : HEADER_ROW + len(sample.members)]
    for row, member in zip(body, sample.members, strict=True):
        assert row[1:12] == (
            member.platform,
            member.user_id,
            member.cohort,
            member.level,
            member.messages,
            member.replies,
            member.reactions,
            member.checkins_answered,
            member.checkins_sent,
            member.prompt_replies,
            member.events_attended,
        )
    names = [row[0] for row in body]
    assert names[6:] == ["Ada Lovelace", "Grace Hopper", "Émilie du Châtelet"]
    totals = table[HEADER_ROW + len(sample.members) + 1]
    assert totals[0] == "Opted out (2, not named)"
    assert totals[5:8] == (7, 3, 11)


def test_members_times_are_local_and_naive(wb: Workbook) -> None:
    first = rows(wb, "Members")[HEADER_ROW]
    # 14:30 UTC on 1 September is 10:30 in New York (summer time); no zone in the cell.
    assert first[12] == datetime(2026, 9, 1, 10, 30)
    assert first[13] is None  # never active
    second = rows(wb, "Members")[HEADER_ROW + 1]
    # Monday 04:30 UTC is still Sunday 23:30 in New York: the week's last evening.
    assert second[13] == datetime(2026, 11, 29, 23, 30)
    assert wb["Members"].cell(HEADER_ROW + 1, 13).number_format == "yyyy-mm-dd hh:mm"


def test_checkins_have_their_rates(wb: Workbook, sample: ReportData) -> None:
    for checkin in sample.checkins:
        row = row_of(wb, "Check-ins", checkin.name)
        rate = checkin.answered / checkin.sent if checkin.sent else None
        assert row[1:7] == pytest.approx(
            (
                checkin.questions,
                checkin.occurrences,
                checkin.sent,
                checkin.answered,
                rate,
                checkin.previous_rate,
            )
        )
    assert row_of(wb, "Check-ins", "Monday standup")[7] == pytest.approx(0.75 - 0.9)
    ws = wb["Check-ins"]
    assert ws.cell(HEADER_ROW + 1, 6).number_format == "0.0%"


@pytest.mark.parametrize(
    ("sheet", "note"),
    [
        ("Prompts", "No prompts yet."),
        ("Surveys", "No surveys yet."),
        ("Stories", "No stories yet."),
        ("Resources", "No resources yet."),
    ],
)
def test_sheets_still_to_come_show_their_header_and_note(
    wb: Workbook, sheet: str, note: str
) -> None:
    table = rows(wb, sheet)
    assert table[HEADER_ROW - 1][0] is not None
    assert table[HEADER_ROW][0] == note


def test_a_note_from_the_data_replaces_the_default() -> None:
    data = sample_report()
    data.notes["Surveys"] = "Surveys arrive in the spring."
    assert rows(read(data), "Surveys")[HEADER_ROW][0] == "Surveys arrive in the spring."


def test_activity_is_weekday_by_hour_with_a_colour_scale(wb: Workbook, sample: ReportData) -> None:
    table = rows(wb, "Activity")
    expected = [[0] * 24 for _ in range(7)]
    for cell in sample.activity:
        expected[cell.weekday][cell.hour] += cell.acts
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    grid = table[HEADER_ROW : HEADER_ROW + 7]
    assert [row[0] for row in grid] == days
    assert [list(row[1:25]) for row in grid] == expected
    assert [row[25] for row in grid] == [sum(day) for day in expected]
    assert grid[6][24] == 5  # Sunday 23:00 local
    rules = wb["Activity"].conditional_formatting
    (scaled,) = list(rules)
    assert str(scaled.sqref) == "B5:Y11"
    assert scaled.rules[0].type == "colorScale"


@pytest.mark.parametrize(
    ("sheet", "frozen", "filtered"),
    [
        ("Summary", "A4", None),
        ("Trends", "B5", "A4:M29"),
        ("Members", "A5", "A4:N13"),
        ("Check-ins", "A5", "A4:H7"),
        ("Prompts", "A5", "A4:E4"),
        ("Activity", "B5", "A4:Z11"),
    ],
)
def test_every_sheet_freezes_its_header_and_filters_its_table(
    wb: Workbook, sheet: str, frozen: str, filtered: str | None
) -> None:
    ws = wb[sheet]
    assert ws.freeze_panes == frozen
    assert ws.auto_filter.ref == filtered
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_columns_are_wide_enough_for_their_texts(wb: Workbook, sample: ReportData) -> None:
    members = wb["Members"]
    longest = max(len(m.display_name) for m in sample.members)
    assert members.column_dimensions["A"].width >= longest
    assert members.column_dimensions["M"].width >= len("2026-09-01 10:30")
    summary = wb["Summary"]
    assert summary.column_dimensions["A"].width >= len("Median first reply (minutes)")


def test_no_cell_holds_a_timezone(wb: Workbook) -> None:
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, datetime):
                    assert value.tzinfo is None


def test_an_empty_week_still_makes_every_sheet() -> None:
    wb = read(empty_report())
    assert wb.sheetnames == SHEETS
    assert row_of(wb, "Summary", "Active members")[1:5] == (0, 0, 0, 0)
    assert row_of(wb, "Summary", "Check-in response rate")[1:5] == (None, None, None, None)
    assert row_of(wb, "Summary", "Purpose")[1].startswith("Not set yet")
    assert any(row[0] == "Nothing needs attention this week." for row in rows(wb, "Summary"))
    assert rows(wb, "Summary")[-1][0] == "No definitions given."
    assert wb["Trends"]._charts == []
    assert rows(wb, "Members")[HEADER_ROW][0] == "No members yet."
    assert row_of(wb, "Members", "Opted out (0, not named)")[5:8] == (0, 0, 0)
    assert rows(wb, "Check-ins")[HEADER_ROW][0] == "No check-ins this week."
    activity = rows(wb, "Activity")[HEADER_ROW : HEADER_ROW + 7]
    assert all(value == 0 for row in activity for value in row[1:])
