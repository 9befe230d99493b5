"""The weekly workbook read back with openpyxl: the Summary and Trends sheets against the sample."""

from __future__ import annotations

from typing import Any

import pytest
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.workbook.workbook import Workbook

from storage.report_rows import ReportData, WeekFigures
from tests.report_samples import sample_report
from tests.workbook_reading import HEADER_ROW, SHEETS, read, row_of, rows


def figures(week: WeekFigures) -> dict[str, float | None]:
    """The key figures as the test counts them, written out by hand."""
    return {
        "Members": week.members,
        "Active members": week.active,
        "Peripheral members": week.peripheral,
        "Inactive members": week.inactive,
        "New members": week.new,
        "Returning members": week.returning,
        "Churned members": week.churned,
        "Messages": week.messages,
        "Thread replies": week.replies,
        "Contributions": week.messages + week.replies,
        "Reactions": week.reactions,
        "Check-ins sent": week.checkins_sent,
        "Check-ins answered": week.checkins_answered,
        "Check-in response rate": (
            week.checkins_answered / week.checkins_sent if week.checkins_sent else None
        ),
        "Median first reply (minutes)": week.median_first_reply_minutes,
        "Prompt replies": week.prompt_replies,
        "Prompt repliers": week.prompt_repliers,
        "Events held": week.events_held,
        "Event attendance": week.event_attendance,
        "Nudges sent": week.nudges_sent,
        "Members welcomed": week.members_welcomed,
        "Survey responses": week.survey_responses,
    }


@pytest.fixture(scope="module")
def sample() -> ReportData:
    return sample_report()


@pytest.fixture(scope="module")
def wb(sample: ReportData) -> Workbook:
    return read(sample)


def test_the_sheets_come_in_order(wb: Workbook) -> None:
    assert wb.sheetnames == SHEETS


def test_summary_shows_the_charter_as_its_header(wb: Workbook, sample: ReportData) -> None:
    assert "Data Stewards" in rows(wb, "Summary")[0][0]
    assert "2026-W48" in rows(wb, "Summary")[0][0]
    assert "America/New_York" in rows(wb, "Summary")[1][0]
    charter = sample.charter
    for name, value in [
        ("Audience", charter.audience),
        ("Domain", charter.domain),
        ("Purpose", charter.purpose),
        ("Goals", charter.goals),
        ("Outcomes", charter.outcomes),
    ]:
        assert row_of(wb, "Summary", name)[1] == value


def test_summary_key_figures_beside_last_week_and_the_average(
    wb: Workbook, sample: ReportData
) -> None:
    now, last = figures(sample.this_week), figures(sample.last_week)
    average = figures(sample.four_week_average)
    for name, value in now.items():
        row = row_of(wb, "Summary", name)
        assert row[1:4] == pytest.approx((value, last[name], average[name])), name
        assert row[4] == pytest.approx(value - last[name]), name  # type: ignore[operator]
        assert row[5] == pytest.approx(value - average[name]), name  # type: ignore[operator]
    assert row_of(wb, "Summary", "Active members")[1:6] == (21, 20, 19, 1, 2)


def test_summary_formats_rates_and_minutes(wb: Workbook) -> None:
    ws = wb["Summary"]
    rate = next(r for r in ws.iter_rows() if r[0].value == "Check-in response rate")
    minutes = next(r for r in ws.iter_rows() if r[0].value == "Median first reply (minutes)")
    assert [c.number_format for c in rate[1:4]] == ["0.0%"] * 3
    assert [c.number_format for c in minutes[1:4]] == ["0.0"] * 3
    members = next(r for r in ws.iter_rows() if r[0].value == "Members")
    assert members[4].number_format.startswith("+")


def test_summary_lists_at_most_five_things_needing_attention(
    wb: Workbook, sample: ReportData
) -> None:
    table = rows(wb, "Summary")
    start = next(i for i, row in enumerate(table) if row[0] == "What needs attention") + 1
    shown = [(row[0], row[3]) for row in table[start : start + 5]]
    assert shown == [(item.about, item.detail) for item in sample.attention[:5]]
    assert table[start + 5][0] is None  # the sixth is left out
    assert not any(row[0] == "Extra" for row in table)


def test_summary_shows_levels_cohorts_and_definitions(wb: Workbook, sample: ReportData) -> None:
    assert row_of(wb, "Summary", "Core")[1] == sample.levels.core
    assert row_of(wb, "Summary", "Inactive")[1] == sample.levels.inactive
    pilot = row_of(wb, "Summary", "Pilot")
    assert pilot[1:6] == pytest.approx((12, 10, 10 / 12, 6, 5))
    assert row_of(wb, "Summary", "Launch")[3] == pytest.approx(17 / 39)
    (page_break,) = wb["Summary"].row_breaks.brk  # printed: key figures end the first page
    assert rows(wb, "Summary")[page_break.id][0] == "Participation over the last four weeks"
    table = rows(wb, "Summary")
    start = next(i for i, row in enumerate(table) if row[0] == "Definitions") + 1
    shown = [(row[0], row[1]) for row in table[start:]]
    assert shown == [(d.metric, d.sentence) for d in sample.definitions]


def test_trends_has_twelve_weeks_of_every_figure(wb: Workbook, sample: ReportData) -> None:
    table = rows(wb, "Trends")
    assert table[HEADER_ROW - 1][1:] == tuple(week.week.name for week in sample.trends)
    assert len(sample.trends) == 12
    starting = row_of(wb, "Trends", "Week starting")[1:]
    assert [d.date() for d in starting] == [week.week.monday for week in sample.trends]
    for name in figures(sample.this_week):
        expected = [figures(week)[name] for week in sample.trends]
        assert list(row_of(wb, "Trends", name)[1:]) == pytest.approx(expected), name


def test_trends_has_a_line_chart_and_a_stacked_bar_chart(wb: Workbook) -> None:
    charts = wb["Trends"]._charts
    assert [type(chart).__name__ for chart in charts] == ["LineChart", "BarChart"]
    line, bars = charts
    labels = {cell.row: cell.value for cell in wb["Trends"]["A"]}

    def titles(chart: Any) -> list[str]:
        """The labels of the rows a chart's series take their titles from."""
        refs = [series.tx.strRef.f.replace("$", "").split("!")[1] for series in chart.series]
        return [labels[coordinate_from_string(ref)[1]] for ref in refs]

    assert titles(line) == ["Active members"]
    (_, contributions) = line._charts  # on an axis of its own, at the right
    assert titles(contributions) == ["Contributions"]
    assert contributions.y_axis.axId != line.y_axis.axId
    assert line.series[0].val.numRef.f.replace("$", "") == "'Trends'!B7:M7"
    weeks = line.series[0].cat.numRef or line.series[0].cat.strRef
    assert weeks.f.replace("$", "") == "'Trends'!B4:M4"
    assert bars.grouping == "stacked"
    assert titles(bars) == [
        "Messages",
        "Thread replies",
        "Reactions",
        "Check-ins answered",
        "Prompt replies",
    ]
