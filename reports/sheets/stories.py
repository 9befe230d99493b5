"""The Stories sheet: success stories and reflections in the words their authors confirmed,
newest first; a withdrawn story never appears, an opted-out author is "anonymous"."""

from __future__ import annotations

import math

from openpyxl import Workbook

from reports.cells import NOTE_FONT, TOP, WRAP, header, label, local_time, text
from reports.layout import auto_filter, fit, open_sheet
from storage.report_rows import ReportData

COLUMNS = ["Story", "Told by", "Kind", "Confirmed on"]
KINDS = {"story": "Success story", "reflection": "Reflection on practice"}
ANONYMOUS = "anonymous"


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Stories sheet."""
    rows = data.stories
    widths = [fit(COLUMNS[0], [s.text[:120] for s in rows], floor=60.0)]
    widths += [fit(COLUMNS[1], [s.told_by or ANONYMOUS for s in rows], floor=14.0)]
    widths += [fit(name, floor=18.0) for name in COLUMNS[2:]]
    subtitle = "Told with their authors' consent, by the week's end; withdrawn ones never show."
    sheet = open_sheet(wb, data, "Stories", widths, subtitle=subtitle)
    ws = sheet.ws
    sheet.append(header(ws, COLUMNS))
    for story in rows:
        told = text(ws, story.text)
        told.alignment = WRAP  # a story is read whole: its row grows to hold it
        # A column holds about 1.2 characters of proportional text per unit of width.
        per_line = (widths[0] - 2) * 1.2
        lines = sum(max(1, math.ceil(len(part) / per_line)) for part in story.text.split("\n"))
        by = text(ws, story.told_by, one_line=True) if story.told_by else label(ws, ANONYMOUS)
        rest = [by, label(ws, KINDS.get(story.kind, story.kind))]
        rest.append(local_time(ws, story.confirmed_at, data.timezone))
        for cell in rest:
            cell.alignment = TOP  # beside a story of several lines, read from its first
        sheet.append([told, *rest], lines=min(lines, 20))
    auto_filter(sheet, len(COLUMNS), len(rows))
    if not rows:
        sheet.append([label(ws, data.notes.get("Stories", "No stories yet."), font=NOTE_FONT)])
