"""The Surveys sheet: each survey open in the report's weeks, newest first, with its response
rate and the mean of each scale question. It names no one: who answered is never shown."""

from __future__ import annotations

from openpyxl import Workbook

from reports.cells import NOTE_FONT, PERCENT, header, label, local_time, number, text
from reports.layout import auto_filter, clock_note, fit, open_sheet
from storage.report_rows import ReportData

COLUMNS = [
    "Survey",
    "Anonymous",
    "Sent",
    "Responses",
    "Response rate",
    "Opens",
    "Closes",
    "Status",
    "Scale means",
]
STATUS = {"scheduled": "Not sent yet", "open": "Open", "closed": "Closed"}


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Surveys sheet."""
    widths = [fit(COLUMNS[0], [s.title for s in data.surveys], floor=30.0)]
    widths += [fit(name, floor=12.0) for name in COLUMNS[1:5]]
    widths += [fit(name, floor=18.0) for name in COLUMNS[5:7]]
    widths.append(fit(COLUMNS[7], list(STATUS.values()), floor=12.0))
    widths.append(fit(COLUMNS[8], [s.scale_means for s in data.surveys], floor=20.0))
    subtitle = f"Surveys open in the last 12 weeks, newest first. {clock_note(data)}"
    sheet = open_sheet(wb, data, "Surveys", widths, subtitle=subtitle)
    ws = sheet.ws
    sheet.append(header(ws, COLUMNS))
    for row in data.surveys:
        sheet.append(
            [
                text(ws, row.title, one_line=True),
                label(ws, "Yes" if row.anonymous else "No"),
                number(ws, row.sent),
                number(ws, row.responses),
                number(ws, row.rate, PERCENT),
                local_time(ws, row.opens_at, data.timezone),
                local_time(ws, row.closes_at, data.timezone),
                label(ws, STATUS.get(row.status, row.status)),
                label(ws, row.scale_means),
            ]
        )
    auto_filter(sheet, len(COLUMNS), len(data.surveys))
    if not data.surveys:
        sheet.append([label(ws, data.notes.get("Surveys", "No surveys yet."), font=NOTE_FONT)])
