"""The Surveys sheet: surveys arrive with their capability; until then its header and a note."""

from __future__ import annotations

from openpyxl import Workbook

from reports.sheets.upcoming import write_upcoming
from storage.report_rows import ReportData

COLUMNS = ["Survey", "Sent", "Responses", "Response rate", "Closes"]


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Surveys sheet."""
    write_upcoming(wb, data, "Surveys", COLUMNS, "No surveys yet.")
