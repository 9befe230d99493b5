"""The Prompts sheet: each discussion prompt posted in the report's weeks, newest first, with
the replies its thread drew (their text is never stored)."""

from __future__ import annotations

from openpyxl import Workbook

from reports.cells import NOTE_FONT, header, label, local_time, number, text
from reports.layout import auto_filter, fit, open_sheet
from storage.report_rows import ReportData

COLUMNS = ["Prompt", "Kind", "Posted", "Replies", "Distinct repliers"]
KINDS = {
    "discuss": "Discussion",
    "reflect": "Reflect on practice",
    "research": "Unpack research",
    "share": "Share resources",
}


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Prompts sheet."""
    widths = [fit(COLUMNS[0], [p.text for p in data.prompts], floor=40.0)]
    widths += [fit(name, floor=14.0) for name in COLUMNS[1:]]
    subtitle = "Prompts posted in the last 12 weeks; replies counted up to the week's end."
    sheet = open_sheet(wb, data, "Prompts", widths, subtitle=subtitle)
    ws = sheet.ws
    sheet.append(header(ws, COLUMNS))
    for prompt in data.prompts:
        sheet.append(
            [
                text(ws, prompt.text),
                label(ws, KINDS.get(prompt.kind, prompt.kind)),
                local_time(ws, prompt.posted_at, data.timezone),
                number(ws, prompt.replies),
                number(ws, prompt.repliers),
            ]
        )
    auto_filter(sheet, len(COLUMNS), len(data.prompts))
    if not data.prompts:
        note = data.notes.get("Prompts", "No prompts yet.")
        sheet.append([label(ws, note, font=NOTE_FONT)])
