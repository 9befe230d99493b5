"""The Events sheet: events arrive with their capability; until then its header and a note."""

from __future__ import annotations

from openpyxl import Workbook

from reports.sheets.upcoming import write_upcoming
from storage.report_rows import ReportData

COLUMNS = ["Event", "Starts", "RSVPs", "Attended", "Attendance rate"]


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Events sheet."""
    write_upcoming(wb, data, "Events", COLUMNS, "No events yet.")
