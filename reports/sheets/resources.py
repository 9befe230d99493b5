"""The Resources sheet: the community's library at the report week's end, newest first; an
opted-out member who shared a link is never named."""

from __future__ import annotations

from openpyxl import Workbook

from reports.cells import NOTE_FONT, header, label, local_time, text
from reports.layout import auto_filter, fit, open_sheet
from storage.report_rows import ReportData

COLUMNS = ["Title", "Link", "Tags", "Shared by", "Shared on"]
NOT_NAMED = "a member (opted out)"


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Resources sheet."""
    rows = data.resources
    widths = [
        fit(COLUMNS[0], [r.title for r in rows], floor=30.0),
        fit(COLUMNS[1], [r.url[:80] for r in rows], floor=30.0),
        fit(COLUMNS[2], [r.tags for r in rows], floor=14.0),
        fit(COLUMNS[3], [r.shared_by or NOT_NAMED for r in rows], floor=14.0),
        fit(COLUMNS[4], floor=16.0),
    ]
    subtitle = "The library as it stood at the week's end: `/cop resource find` searches it."
    sheet = open_sheet(wb, data, "Resources", widths, subtitle=subtitle)
    ws = sheet.ws
    sheet.append(header(ws, COLUMNS))
    for resource in rows:
        sheet.append(
            [
                text(ws, resource.title, one_line=True),
                text(ws, resource.url, one_line=True),
                text(ws, resource.tags, one_line=True),
                text(ws, resource.shared_by, one_line=True)
                if resource.shared_by
                else label(ws, NOT_NAMED),
                local_time(ws, resource.shared_at, data.timezone),
            ]
        )
    auto_filter(sheet, len(COLUMNS), len(rows))
    if not rows:
        sheet.append([label(ws, data.notes.get("Resources", "No resources yet."), font=NOTE_FONT)])
