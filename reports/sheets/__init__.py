"""One module per sheet of the weekly workbook, each writing its sheet from a ReportData."""
