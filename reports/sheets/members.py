"""The Members sheet: one row per member who has not opted out, then the opted-out ones' totals."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reports.cells import BOLD, NOTE_FONT, header, label, local_time, number, text
from reports.layout import auto_filter, clock_note, fit, open_sheet
from storage.report_rows import MemberRow, ReportData

COLUMNS = [
    "Display name",
    "Platform",
    "Platform user id",
    "Cohort",
    "Level",
    "Messages",
    "Thread replies",
    "Reactions",
    "Check-ins answered",
    "Check-ins sent",
    "Prompt replies",
    "Events attended",
    "First seen",
    "Last active",
]
NUMBER_WIDTH = 11.0
TIME_WIDTH = 17.0


def write(wb: Workbook, data: ReportData) -> None:
    """Write the Members sheet (streamed: a community can have thousands of members)."""
    texts = [[m.display_name, m.platform, m.user_id, m.cohort, m.level] for m in data.members]
    widths = [fit(name, [row[index] for row in texts]) for index, name in enumerate(COLUMNS[:5])]
    widths += [fit(name, floor=NUMBER_WIDTH) for name in COLUMNS[5:12]]
    widths += [TIME_WIDTH, TIME_WIDTH]
    subtitle = (
        f"Members who opted out are only in the last row, counted together. {clock_note(data)}"
    )
    sheet = open_sheet(wb, data, "Members", widths, subtitle=subtitle)
    ws = sheet.ws
    sheet.append(header(ws, COLUMNS), lines=2)
    for member in data.members:
        sheet.append(_row(sheet.ws, member, data.timezone))
    auto_filter(sheet, len(COLUMNS), len(data.members))
    if not data.members:
        sheet.append([label(ws, "No members yet.", font=NOTE_FONT)])
    anonymous = data.anonymous
    sheet.append([])  # outside the filtered table, so sorting it never moves the totals
    sheet.append(
        [
            label(ws, f"Opted out ({anonymous.members}, not named)", font=BOLD),
            None,
            None,
            None,
            None,
            number(ws, anonymous.messages),
            number(ws, anonymous.replies),
            number(ws, anonymous.reactions),
        ]
    )


def _row(
    ws: WriteOnlyWorksheet, member: MemberRow, timezone: str
) -> list[WriteOnlyCell | str | int]:
    # Counts and copbot's own words (platform, cohort, level) go in unstyled: a styled cell costs
    # several times as much to write, and a sheet may have thousands of rows.
    return [
        text(ws, member.display_name, one_line=True),
        member.platform,
        text(ws, member.user_id, one_line=True),  # Discord's ids are too long for a number cell
        member.cohort,
        member.level,
        member.messages,
        member.replies,
        member.reactions,
        member.checkins_answered,
        member.checkins_sent,
        member.prompt_replies,
        member.events_attended,
        local_time(ws, member.first_seen, timezone),
        local_time(ws, member.last_active, timezone),
    ]
