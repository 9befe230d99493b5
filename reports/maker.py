"""The report maker the composition root hands the core: the workbook, its chart, the summary."""

from __future__ import annotations

import io

from bot.report_maker import MadeReport
from bot.ui import Attachment
from storage.report_rows import ReportData

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookMaker:
    """Makes a week's report files with openpyxl and matplotlib (blocking: run in a thread)."""

    def make(self, data: ReportData) -> MadeReport:
        """The workbook, the chart and the summary lines of one week's report."""
        # Imported when a report is first made, not when copbot starts: matplotlib and
        # openpyxl take about 0.4 s to load, which every `copbot run` would pay.
        from reports.chart import trend_chart_png
        from reports.summary import summary_lines
        from reports.workbook import workbook_name, write_workbook

        buffer = io.BytesIO()
        write_workbook(data, buffer)
        name = workbook_name(data.community, data.week)
        chart = Attachment(name.removesuffix(".xlsx") + ".png", trend_chart_png(data), "image/png")
        return MadeReport(
            Attachment(name, buffer.getvalue(), XLSX), chart, tuple(summary_lines(data))
        )
