"""The Resources sheet: resources arrive with their capability; until then its header and a note."""

from __future__ import annotations

from openpyxl import Workbook

from reports.sheets.upcoming import write_upcoming
from storage.report_rows import ReportData

COLUMNS = ["Resource", "Shared by", "Shared", "Reactions", "Replies"]


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Resources sheet."""
    write_upcoming(wb, data, "Resources", COLUMNS, "No resources yet.")
