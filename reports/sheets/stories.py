"""The Stories sheet: stories arrive with their capability; until then its header and a note."""

from __future__ import annotations

from openpyxl import Workbook

from reports.sheets.upcoming import write_upcoming
from storage.report_rows import ReportData

COLUMNS = ["Story", "Told by", "Shared", "Reactions", "Replies"]


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Stories sheet."""
    write_upcoming(wb, data, "Stories", COLUMNS, "No stories yet.")
