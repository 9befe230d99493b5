"""The Check-ins sheet: one row per check-in, with its response rate and the four weeks before."""

from __future__ import annotations

from openpyxl import Workbook

from reports.cells import INTEGER, NOTE_FONT, PERCENT, POINTS, header, label, number, text
from reports.figures import change
from reports.layout import auto_filter, fit, open_sheet
from storage.report_rows import ReportData

COLUMNS = [
    "Check-in",
    "Questions",
    "Times asked",
    "Sent",
    "Answered",
    "Response rate",
    "Previous rate",
    "Change",
]


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Check-ins sheet."""
    widths = [fit(COLUMNS[0], [c.name for c in data.checkins], floor=24.0)]
    widths += [fit(name, floor=11.0) for name in COLUMNS[1:]]
    subtitle = "Previous rate: the response rate of the four weeks before this one."
    sheet = open_sheet(wb, data, "Check-ins", widths, subtitle=subtitle)
    ws = sheet.ws
    sheet.append(header(ws, COLUMNS), lines=2)
    for checkin in data.checkins:
        sheet.append(
            [
                text(ws, checkin.name, one_line=True),
                number(ws, checkin.questions, INTEGER),
                number(ws, checkin.occurrences),
                number(ws, checkin.sent),
                number(ws, checkin.answered),
                number(ws, checkin.rate, PERCENT),
                number(ws, checkin.previous_rate, PERCENT),
                number(ws, change(checkin.rate, checkin.previous_rate), POINTS),
            ]
        )
    auto_filter(sheet, len(COLUMNS), len(data.checkins))
    if not data.checkins:
        note = data.notes.get("Check-ins", "No check-ins this week.")
        sheet.append([label(ws, note, font=NOTE_FONT)])
