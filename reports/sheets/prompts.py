"""The Prompts sheet: prompts arrive with their capability; until then its header and a note."""

from __future__ import annotations

from openpyxl import Workbook

from reports.sheets.upcoming import write_upcoming
from storage.report_rows import ReportData

COLUMNS = ["Prompt", "Posted", "Replies", "Distinct repliers", "Reactions"]


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Prompts sheet."""
    write_upcoming(wb, data, "Prompts", COLUMNS, "No prompts yet.")
