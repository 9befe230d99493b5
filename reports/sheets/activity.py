"""The Activity sheet: acts by weekday (rows) and hour (columns) on the community's clock,
coloured from quiet (white) to busy (green)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from reports.cells import BOLD, header, label, number
from reports.layout import HEADER_ROW, auto_filter, open_sheet
from storage.report_rows import ReportData

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOURS = range(24)
COLUMNS = ["Day", *(f"{hour:02d}:00" for hour in HOURS), "Total"]
QUIET, BUSY = "FFFFFF", "63BE7B"


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Activity sheet."""
    widths = [12.0, *(6.5 for _ in HOURS), 9.0]
    subtitle = (
        f"Messages, replies and reactions in each hour, on {data.timezone} time "
        "(hours are local; 00:00 is midnight to 1 am)."
    )
    sheet = open_sheet(wb, data, "Activity", widths, freeze="B5", subtitle=subtitle)
    ws = sheet.ws
    grid = [[0] * len(HOURS) for _ in WEEKDAYS]
    for cell in data.activity:  # at most 7 x 24 cells, already counted by the query
        grid[cell.weekday][cell.hour] += cell.acts
    sheet.append(header(ws, COLUMNS))
    for day, counts in zip(WEEKDAYS, grid, strict=True):
        sheet.append(
            [
                label(ws, day, font=BOLD),
                *(number(ws, count) for count in counts),
                number(ws, sum(counts)),
            ]
        )
    auto_filter(sheet, len(COLUMNS), len(WEEKDAYS))
    first = f"B{HEADER_ROW + 1}"
    last = f"{get_column_letter(1 + len(HOURS))}{HEADER_ROW + len(WEEKDAYS)}"
    ws.conditional_formatting.add(
        f"{first}:{last}",
        ColorScaleRule(start_type="min", start_color=QUIET, end_type="max", end_color=BUSY),
    )
