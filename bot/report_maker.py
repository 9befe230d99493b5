"""The port through which the core asks for a week's report files; ``reports/`` makes them.

The core gathers the figures (``storage.report_data``) and hands them over; the maker lays out
the workbook, draws the chart and words the summary. Making them is CPU work: callers run it in
a thread, never on the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.ui import Attachment
from storage.report_rows import ReportData


@dataclass(frozen=True)
class MadeReport:
    """One week's report as it is sent: the workbook, its chart and the summary lines."""

    workbook: Attachment
    chart: Attachment
    summary: tuple[str, ...]


class ReportMaker(Protocol):
    """Makes the files of a week's report."""

    def make(self, data: ReportData) -> MadeReport:
        """The workbook, the chart and the summary of ``data`` (blocking: call in a thread)."""
        ...
