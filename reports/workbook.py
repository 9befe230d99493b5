"""The weekly workbook: its sheets in order, streamed (write-only), and its file name."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from typing import BinaryIO

from openpyxl import Workbook

from reports.sheets import (
    activity,
    checkins,
    events,
    members,
    prompts,
    resources,
    stories,
    summary,
    surveys,
    trends,
)
from storage.report_rows import ReportData
from storage.report_week import ReportWeek

SheetWriter = Callable[[Workbook, ReportData], None]
SHEETS: tuple[tuple[str, SheetWriter], ...] = (
    ("Summary", summary.write),
    ("Trends", trends.write),
    ("Members", members.write),
    ("Check-ins", checkins.write),
    ("Prompts", prompts.write),
    ("Events", events.write),
    ("Surveys", surveys.write),
    ("Stories", stories.write),
    ("Resources", resources.write),
    ("Activity", activity.write),
)
_UNSAFE_NAME = re.compile(r"[^a-z0-9]+")
_NAME_LIMIT = 60  # the community part; the whole name stays far below every file system's 255
# Names Windows reserves for devices, whatever their extension.
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def write_workbook(data: ReportData, out: str | os.PathLike[str] | BinaryIO) -> None:
    """Write one week's workbook to a path or a binary file (write-only: rows are streamed)."""
    wb = Workbook(write_only=True)
    for _title, write_sheet in SHEETS:
        write_sheet(wb, data)
    wb.save(out)


def workbook_name(community: str, week: ReportWeek) -> str:
    """``cop-<community>-<YYYY-Www>.xlsx``, the community part safe as a file name on every OS."""
    ascii_name = unicodedata.normalize("NFKD", community).encode("ascii", "ignore").decode()
    slug = _UNSAFE_NAME.sub("-", ascii_name.lower()).strip("-")[:_NAME_LIMIT].strip("-")
    if not slug or slug in _RESERVED:
        slug = f"community-{slug}" if slug else "community"
    return f"cop-{slug}-{week.name}.xlsx"
