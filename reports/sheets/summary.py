"""The Summary sheet: the charter, what needs attention, the key figures beside last week's and
the 4-week average, participation levels, the pilot and launch cohorts, and the definitions."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.pagebreak import Break

from reports.cells import (
    BOLD,
    INTEGER,
    NOTE_FONT,
    PERCENT,
    SECTION_FONT,
    WRAP,
    header,
    label,
    naive_local,
    number,
    text,
)
from reports.figures import KEY_FIGURES, change
from reports.layout import Sheet, clock_note, open_sheet
from storage.report_rows import ReportData

WIDTHS = [32.0, 13.0, 13.0, 13.0, 13.0, 15.0, 20.0, 20.0]
WIDE = (2, len(WIDTHS))  # long text spans columns B to H
WIDE_CHARS = int(sum(WIDTHS[1:]) * 0.95)  # about how many characters fit on one line there
MAX_ATTENTION = 5
ATTENTION_KINDS = {
    "unanswered-newcomer": "Newcomer not answered",
    "sliding-member": "Member sliding",
    "checkin-drop": "Check-in falling",
    "few-rsvps": "Few RSVPs",
}


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Summary sheet."""
    generated = naive_local(data.generated_at, data.timezone)
    sheet = open_sheet(
        wb,
        data,
        "Summary",
        WIDTHS,
        freeze="A4",
        subtitle=f"Made {generated:%Y-%m-%d %H:%M}. {clock_note(data)}",
    )
    _charter(sheet, data)
    _attention(sheet, data)  # first after the charter: what a facilitator can act on today
    _key_figures(sheet, data)
    _levels(sheet, data)
    _cohorts(sheet, data)
    _definitions(sheet, data)


def _section(sheet: Sheet, title: str) -> None:
    sheet.append([label(sheet.ws, title, font=SECTION_FONT)])


def _wide_text(sheet: Sheet, first: str, value: str) -> None:
    """A label in A and a long text across B:H, wrapped, the row as tall as the text needs."""
    ws = sheet.ws
    cell = text(ws, value)
    cell.alignment = WRAP
    lines = max(1, sum(1 + len(line) // WIDE_CHARS for line in value.split("\n")))
    sheet.append([text(ws, first, font=BOLD), cell], merge=[WIDE], lines=min(lines, 20))


def _charter(sheet: Sheet, data: ReportData) -> None:
    _section(sheet, "Charter")
    charter = data.charter
    parts = (
        ("Audience", charter.audience),
        ("Domain", charter.domain),
        ("Purpose", charter.purpose),
        ("Goals", charter.goals),
        ("Outcomes", charter.outcomes),
    )
    for name, value in parts:
        if value.strip():
            _wide_text(sheet, name, value)
        else:
            sheet.append([label(sheet.ws, name, font=BOLD), _not_set(sheet)])
    sheet.append([])


def _not_set(sheet: Sheet) -> WriteOnlyCell:
    return label(sheet.ws, "Not set yet (/cop charter sets it).", font=NOTE_FONT)


def _key_figures(sheet: Sheet, data: ReportData) -> None:
    ws = sheet.ws
    _section(sheet, "Key figures")
    sheet.append(
        header(
            ws,
            [
                "Figure",
                "This week",
                "Last week",
                "4-week average",
                "Change from last week",
                "Change from average",
            ],
        ),
        lines=2,
    )
    for figure in KEY_FIGURES:
        now = figure.read(data.this_week)
        last = figure.read(data.last_week)
        average = figure.read(data.four_week_average)
        sheet.append(
            [
                label(ws, figure.label),
                number(ws, now, figure.fmt),
                number(ws, last, figure.fmt),
                number(ws, average, figure.fmt),
                number(ws, change(now, last), figure.change_fmt),
                number(ws, change(now, average), figure.change_fmt),
            ]
        )
    sheet.append([])


def _attention(sheet: Sheet, data: ReportData) -> None:
    ws = sheet.ws
    _section(sheet, "What needs attention")
    items = data.attention[:MAX_ATTENTION]
    if not items:
        sheet.append([label(ws, "Nothing needs attention this week.", font=NOTE_FONT)])
    for item in items:
        detail = text(ws, item.detail)
        detail.alignment = WRAP
        kind = ATTENTION_KINDS.get(item.kind, item.kind)
        lines = 1 + len(item.detail) // int(sum(WIDTHS[3:]) * 0.95)
        sheet.append(
            [text(ws, item.about, font=BOLD, one_line=True), label(ws, kind), None, detail],
            merge=[(2, 3), (4, len(WIDTHS))],
            lines=min(lines, 10),
        )
    sheet.append([])


def _levels(sheet: Sheet, data: ReportData) -> None:
    ws = sheet.ws
    # Printed, the first page ends with the key figures; the rest starts on a page of its own.
    ws.row_breaks.append(Break(id=sheet.rows))
    _section(sheet, "Participation over the last four weeks")
    sheet.append(header(ws, ["Level", "Members"]))
    levels = data.levels
    for name, count in (
        ("Core", levels.core),
        ("Active", levels.active),
        ("Peripheral", levels.peripheral),
        ("Inactive", levels.inactive),
    ):
        sheet.append([label(ws, name), number(ws, count)])
    sheet.append([])


def _cohorts(sheet: Sheet, data: ReportData) -> None:
    ws = sheet.ws
    _section(sheet, "Pilot and launch cohorts")
    names = ["Cohort", "Joined", "Active ever", "Conversion", "Active this week", "Retained"]
    sheet.append(header(ws, names), lines=2)
    if not data.cohorts:
        sheet.append([label(ws, "No members yet.", font=NOTE_FONT)])
    for cohort in data.cohorts:
        sheet.append(
            [
                text(ws, cohort.cohort.capitalize(), one_line=True),
                number(ws, cohort.joined),
                number(ws, cohort.active_ever),
                number(ws, cohort.conversion, PERCENT),
                number(ws, cohort.active_this_week, INTEGER),
                number(ws, cohort.retained),
            ]
        )
    sheet.append([])


def _definitions(sheet: Sheet, data: ReportData) -> None:
    _section(sheet, "Definitions")
    if not data.definitions:
        sheet.append([label(sheet.ws, "No definitions given.", font=NOTE_FONT)])
    for definition in data.definitions:
        _wide_text(sheet, definition.metric, definition.sentence)
