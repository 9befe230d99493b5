"""The Trends sheet: the last 12 weeks' key figures in a table, with two native Excel charts."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter

from reports.cells import DATE, NOTE_FONT, header, label, number
from reports.figures import KEY_FIGURES
from reports.layout import HEADER_ROW, Sheet, auto_filter, open_sheet
from storage.report_rows import ReportData

# Contributions by kind, stacked (reactions are shown though they are not contributions).
BY_KIND = ("Messages", "Thread replies", "Reactions", "Check-ins answered", "Prompt replies")
ROWS = ["Week starting", *(figure.label for figure in KEY_FIGURES)]
LABEL_WIDTH = 30.0
WEEK_WIDTH = 11.0
CHART_WIDTH_CM = 15.5
CHART_HEIGHT_CM = 8.0
BAR_CHART_COLUMN = 7  # G: the bar chart sits right of the line chart, the two as wide as the table


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Trends sheet: a row per figure, a column per week (oldest first)."""
    weeks = data.trends
    widths = [LABEL_WIDTH, *(WEEK_WIDTH for _ in weeks)]
    sheet = open_sheet(wb, data, "Trends", widths, freeze="B5")
    ws = sheet.ws
    sheet.append(header(ws, ["Figure", *(week.week.name for week in weeks)]))
    sheet.append([label(ws, ROWS[0]), *(number(ws, week.week.monday, DATE) for week in weeks)])
    for figure in KEY_FIGURES:
        sheet.append(
            [
                label(ws, figure.label),
                *(number(ws, figure.read(week), figure.fmt) for week in weeks),
            ]
        )
    auto_filter(sheet, 1 + len(weeks), len(ROWS))
    if weeks:
        _charts(sheet, len(weeks))
    else:
        sheet.append([label(ws, "No weeks to show yet.", font=NOTE_FONT)])


def _charts(sheet: Sheet, weeks: int) -> None:
    weeks_axis = Reference(sheet.ws, min_col=2, max_col=1 + weeks, min_row=HEADER_ROW)
    anchor_row = HEADER_ROW + len(ROWS) + 3

    # Contributions run several times the active members: each line gets its own axis (members
    # on the left, contributions on the right), or the members' line lies flat along the bottom.
    line = LineChart()
    line.title = "Active members and contributions"
    line.add_data(_row(sheet, "Active members", weeks), from_rows=True, titles_from_data=True)
    line.y_axis.title = "Active members"
    contributions = LineChart()
    contributions.add_data(
        _row(sheet, "Contributions", weeks), from_rows=True, titles_from_data=True
    )
    contributions.y_axis.axId = 200
    contributions.y_axis.title = "Contributions"
    contributions.y_axis.crosses = "max"
    contributions.y_axis.majorGridlines = None
    contributions.y_axis.delete = False
    line.set_categories(weeks_axis)
    _style(line)
    line += contributions
    sheet.ws.add_chart(line, f"A{anchor_row}")

    bars = BarChart()
    bars.type = "col"
    bars.grouping = "stacked"
    bars.overlap = 100  # stacked bars must overlap fully, or Excel draws them side by side
    bars.title = "Contributions by kind"
    bars.y_axis.title = "Per week"
    for name in BY_KIND:
        bars.add_data(_row(sheet, name, weeks), from_rows=True, titles_from_data=True)
    bars.set_categories(weeks_axis)
    _style(bars)
    sheet.ws.add_chart(bars, f"{get_column_letter(BAR_CHART_COLUMN)}{anchor_row}")


def _row(sheet: Sheet, name: str, weeks: int) -> Reference:
    """The row of one figure, its label included (the series' title)."""
    row = HEADER_ROW + 1 + ROWS.index(name)
    return Reference(sheet.ws, min_col=1, max_col=1 + weeks, min_row=row)


def _style(chart: LineChart | BarChart) -> None:
    chart.width = CHART_WIDTH_CM
    chart.height = CHART_HEIGHT_CM
    chart.legend.position = "b"
    # Axes shown: openpyxl 3.1 hides them unless told (its `delete` defaults to True).
    chart.x_axis.delete = False
    chart.y_axis.delete = False
