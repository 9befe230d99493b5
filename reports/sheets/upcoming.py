"""A sheet for a capability still to come: its table's header, and a note until it has rows."""

from __future__ import annotations

from openpyxl import Workbook

from reports.cells import NOTE_FONT, header, label
from reports.layout import auto_filter, fit, open_sheet
from storage.report_rows import ReportData


def write_upcoming(
    wb: Workbook, data: ReportData, title: str, columns: list[str], default_note: str
) -> None:
    """Write a sheet with its header and the note ``ReportData.notes`` has for it."""
    sheet = open_sheet(wb, data, title, [fit(name, floor=14.0) for name in columns])
    sheet.append(header(sheet.ws, columns))
    auto_filter(sheet, len(columns), 0)
    note = data.notes.get(title, default_note)
    sheet.append([label(sheet.ws, note, font=NOTE_FONT)])
