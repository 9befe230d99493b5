"""Reading a weekly workbook back in tests: from its bytes, its rows, a row by its label."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from reports.workbook import write_workbook
from storage.report_rows import ReportData

SHEETS = [
    "Summary",
    "Trends",
    "Members",
    "Check-ins",
    "Prompts",
    "Events",
    "Surveys",
    "Stories",
    "Resources",
    "Activity",
]
HEADER_ROW = 4


def read(data: ReportData) -> Workbook:
    """The workbook written for data, loaded back from its bytes."""
    out = io.BytesIO()
    write_workbook(data, out)
    out.seek(0)
    return load_workbook(out)


def rows(wb: Workbook, sheet: str) -> list[tuple[Any, ...]]:
    return list(wb[sheet].iter_rows(values_only=True))


def row_of(wb: Workbook, sheet: str, first: str) -> tuple[Any, ...]:
    """The first row whose first cell is ``first``."""
    return next(row for row in rows(wb, sheet) if row and row[0] == first)
