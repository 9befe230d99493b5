"""Cells of the workbook: people's text that stays text, numbers and local times with formats.

Every text that comes from people (display names, the charter, check-in names, attention texts)
goes through ``text``: it is written as a string cell (never a formula, whatever it starts with)
with Excel's quote prefix on, so that editing the cell in Excel or LibreOffice does not turn
``=HYPERLINK(...)``, ``+1``, ``-2`` or ``@x`` into a formula either; characters that XML cannot
hold are removed and the text is cut to the 32,767 characters a cell can hold.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.safe_text import BIDI

CELL_LIMIT = 32_767  # Excel's limit, in UTF-16 code units
ELLIPSIS = "…"
# What spreadsheet programs read as the start of a formula when a cell is typed or pasted.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# XML 1.0 allows tab, LF and CR among the controls; the rest (and lone surrogates, U+FFFE and
# U+FFFF) make the file unreadable. C1 controls and bidi overrides are legal XML but hide text.
_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff" + "".join(sorted(BIDI)) + "]"
)
_LINE_BREAKS = re.compile("[\t\n]")

INTEGER = "#,##0"
CHANGE = "+#,##0;-#,##0;0"
PERCENT = "0.0%"
POINTS = "+0.0%;-0.0%;0.0%"  # a change of a rate, in percentage points
MINUTES = "0.0"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"

FONT = "Calibri"  # the workbook's default; a font without a name shows in a serif elsewhere
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
TITLE_FONT = Font(name=FONT, bold=True, size=14)
SECTION_FONT = Font(name=FONT, bold=True, size=12, color="305496")
BOLD = Font(name=FONT, bold=True)
NOTE_FONT = Font(name=FONT, italic=True, color="595959")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def clean_text(value: str, *, one_line: bool = False) -> str:
    """The text without characters XML cannot hold, CR as LF, cut to what one cell holds.

    ``one_line`` (names, ids): tabs and line breaks become spaces, so that a row stays one line.
    """
    text = _ILLEGAL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if one_line:
        text = _LINE_BREAKS.sub(" ", text)
    if _utf16_length(text) <= CELL_LIMIT:
        return text
    # Cut by UTF-16 units (Excel's count), never inside a surrogate pair: a character beyond
    # U+FFFF counts two.
    kept, used = [], 0
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > CELL_LIMIT - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept) + ELLIPSIS


def text(
    ws: WriteOnlyWorksheet, value: str, *, font: Font | None = None, one_line: bool = False
) -> WriteOnlyCell:
    """People's text as a string cell, quote-prefixed, that no program reads as a formula."""
    cell = WriteOnlyCell(ws)
    cell.value = clean_text(value, one_line=one_line)
    cell.data_type = "s"  # a string starting with "=" would otherwise be written as a formula
    cell.quotePrefix = True
    cell.alignment = TOP
    if font is not None:
        cell.font = font
    return cell


def label(
    ws: WriteOnlyWorksheet, value: str, *, font: Font | None = None, wrap: bool = False
) -> WriteOnlyCell:
    """A cell of copbot's own words (a title, a label, a note)."""
    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if wrap:
        cell.alignment = WRAP
    return cell


def header(ws: WriteOnlyWorksheet, names: list[str]) -> list[WriteOnlyCell]:
    """A table's header row: bold white on blue, wrapped."""
    cells = []
    for name in names:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    return cells


def number(ws: WriteOnlyWorksheet, value: float | date | None, fmt: str = INTEGER) -> WriteOnlyCell:
    """A number (or a day) with its format; an empty cell for None (nothing to measure)."""
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = fmt
    return cell


def local_time(
    ws: WriteOnlyWorksheet, instant: datetime | None, timezone: str, fmt: str = DATETIME
) -> WriteOnlyCell:
    """An instant as the community's wall-clock time without a zone (Excel has none)."""
    cell = WriteOnlyCell(ws, value=naive_local(instant, timezone))
    cell.number_format = fmt
    return cell


def naive_local(instant: datetime | None, timezone: str) -> datetime | None:
    """The instant on the community's clock, zone dropped; naive instants are taken as UTC."""
    if instant is None:
        return None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=ZoneInfo("UTC"))
    return instant.astimezone(ZoneInfo(timezone)).replace(tzinfo=None, microsecond=0)


def _utf16_length(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2
