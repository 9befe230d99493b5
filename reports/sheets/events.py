"""The Events sheet: each event that started in the report's weeks, newest first, with its
answers, attendance and rate; then attendance by the region of the members who came."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment

from reports.cells import NOTE_FONT, PERCENT, SECTION_FONT, header, label, local_time, number, text
from reports.layout import Sheet, auto_filter, clock_note, fit, open_sheet
from storage.report_rows import EventReportRow, ReportData

COLUMNS = [
    "Event",
    "Starts",
    "Series/region",
    "Going",
    "Maybe",
    "Can't go",
    "Attended",
    "Attendance rate",
    "Status",
]
REGION_COLUMNS = ["Region", "Events attended", "Attendances"]
ONE_OFF = "One-off"
LEFT = Alignment(horizontal="left")
INDENTED = (COLUMNS.index("Series/region"), COLUMNS.index("Status"))
CANCELLED = "cancelled"


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Events sheet."""
    places = [series_and_region(e) for e in data.events]
    regions = [r.region for r in data.event_regions]
    widths = [
        fit(COLUMNS[0], [e.title for e in data.events] + regions, floor=30.0),
        fit(COLUMNS[1], floor=18.0),  # a local time, yyyy-mm-dd hh:mm, and the indent beside it
        fit(COLUMNS[2], places, floor=14.0),
    ]
    widths += [fit(name, floor=10.0) for name in COLUMNS[3:-1]]
    widths.append(fit(COLUMNS[-1], ["Scheduled", "Cancelled"], floor=10.0) + 1)  # and its indent
    subtitle = f"Events that started in the last 12 weeks, newest first. {clock_note(data)}"
    sheet = open_sheet(wb, data, "Events", widths, subtitle=subtitle)
    ws = sheet.ws
    sheet.append(_indented(header(ws, COLUMNS)), lines=2)
    for row, place in zip(data.events, places, strict=True):
        sheet.append(
            _indented(
                [
                    text(ws, row.title, one_line=True),
                    local_time(ws, row.starts_at, data.timezone),
                    label(ws, place),
                    number(ws, row.going),
                    number(ws, row.maybe),
                    number(ws, row.cant_go),
                    number(ws, row.attended),
                    # A cancelled event has no rate: 0% would read as nobody came.
                    number(ws, None if row.status == CANCELLED else row.attendance_rate, PERCENT),
                    # A cancelled event's status in grey, so the eye skips its zeros.
                    label(
                        ws, status(row, data), font=NOTE_FONT if row.status == CANCELLED else None
                    ),
                ]
            )
        )
    auto_filter(sheet, len(COLUMNS), len(data.events))
    if not data.events:
        sheet.append([label(ws, data.notes.get("Events", "No events yet."), font=NOTE_FONT)])
    _regions(sheet, data)


def _indented(cells: list[WriteOnlyCell]) -> list[WriteOnlyCell]:
    """A row with its text columns that follow right-aligned figures (the series after the
    start, the status after the rate) indented, so the two never run together."""
    for at in INDENTED:
        old = cells[at].alignment
        cells[at].alignment = Alignment(
            horizontal="left", vertical=old.vertical, wrap_text=old.wrap_text, indent=1
        )
    return cells


def _regions(sheet: Sheet, data: ReportData) -> None:
    """The attendance-by-region table, below the events and outside their filter (sorting the
    events never moves it)."""
    if not data.event_regions:
        return
    ws = sheet.ws
    sheet.append([])
    sheet.append([label(ws, "Attendance by region", font=SECTION_FONT)])
    sheet.append(header(ws, REGION_COLUMNS))
    for region in data.event_regions:
        name = text(ws, region.region, one_line=True)
        counts = [number(ws, region.events), number(ws, region.attendances)]
        for cell in counts:
            # Under their headers, at the left of columns as wide as the events' start and
            # series, not far off at their right where the two counts would run together.
            cell.alignment = LEFT
        sheet.append([name, *counts])


def series_and_region(row: EventReportRow) -> str:
    """``Series 3, #2 · Europe`` for an occurrence of a series, ``One-off`` for an event alone."""
    parts = [f"Series {row.series_id}, #{row.position + 1}"] if row.series_id is not None else []
    if row.region:
        parts.append(row.region)
    return " · ".join(parts) or ONE_OFF


def status(row: EventReportRow, data: ReportData) -> str:
    """Cancelled, held (it has started by the time the report was made) or scheduled."""
    if row.status == CANCELLED:
        return "Cancelled"
    return "Held" if row.starts_at <= data.generated_at else "Scheduled"
