"""The frame every sheet shares: a title, a line saying whose week and which clock, page set-up.

Sheets are write-only (streamed row by row), so column widths and frozen panes must be set before
the first row is written: ``open_sheet`` does both, then writes the two title rows. Each table's
header is then row ``HEADER_ROW``, frozen with the title above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reports.cells import NOTE_FONT, TITLE_FONT, label, text
from storage.report_rows import ReportData

HEADER_ROW = 4  # title, subtitle, a blank row, then the table's header
MIN_WIDTH = 8.0
MAX_WIDTH = 60.0
LINE_HEIGHT = 15.0  # points, for the default 11-point font


@dataclass
class Sheet:
    """A write-only sheet and the number of rows written so far (the stream does not say)."""

    ws: WriteOnlyWorksheet
    rows: int = 0

    def append(
        self,
        cells: Sequence[WriteOnlyCell | float | str | None],
        *,
        merge: Sequence[tuple[int, int]] = (),
        lines: int = 1,
    ) -> int:
        """Write the next row, merging each (first, last) span of columns; return its number."""
        self.rows += 1
        if lines > 1:  # wrapped text: Excel does not grow a merged row by itself
            self.ws.row_dimensions[self.rows].height = LINE_HEIGHT * lines
        for span in merge:
            first, last = (get_column_letter(column) for column in span)
            self.ws.merged_cells.add(f"{first}{self.rows}:{last}{self.rows}")
        self.ws.append(list(cells))
        return self.rows


def open_sheet(
    wb: Workbook,
    data: ReportData,
    title: str,
    widths: list[float],
    *,
    freeze: str | None = None,
    subtitle: str = "",
) -> Sheet:
    """A new sheet with its widths, frozen rows, landscape page fit to width, and title rows."""
    ws: WriteOnlyWorksheet = wb.create_sheet(title)
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = freeze = freeze or f"A{HEADER_ROW + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # Each printed page repeats the rows that stay on screen.
    ws.print_title_rows = f"1:{coordinate_from_string(freeze)[1] - 1}"
    sheet = Sheet(ws)
    sheet.append([text(ws, f"{title}: {data.community}, week {week_span(data)}", font=TITLE_FONT)])
    sheet.append([label(ws, subtitle or clock_note(data), font=NOTE_FONT)])
    sheet.append([])
    return sheet


def week_span(data: ReportData) -> str:
    """``2026-W48 (Mon 23 Nov – Sun 29 Nov 2026)``."""
    monday = data.week.monday
    sunday = monday + timedelta(days=6)
    return f"{data.week.name} (Mon {monday:%d %b} – Sun {sunday:%d %b %Y})"


def clock_note(data: ReportData) -> str:
    """Which clock the sheet's times and days are on."""
    return f"Days and times are local to {data.timezone} (cells hold local times, no zone)."


def fit(header: str, values: list[str] | None = None, *, floor: float = MIN_WIDTH) -> float:
    """A column width for a header (wrapped on two lines at most) and the column's longest text."""
    words = header.split()
    half = max(len(header) / 2, *(len(word) for word in words)) if words else 0
    longest = max((len(value) for value in values or []), default=0)
    return min(MAX_WIDTH, max(floor, half + 2, longest + 2))


def auto_filter(sheet: Sheet, columns: int, rows: int) -> None:
    """A filter on the table under the header (on the header alone when it has no rows)."""
    last = get_column_letter(columns)
    sheet.ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + rows}"
