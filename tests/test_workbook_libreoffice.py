"""LibreOffice opens the weekly workbook: it converts to PDF, and people's text shows as written."""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from reports.workbook import workbook_name, write_workbook
from storage.report_rows import Charter, ReportData
from tests.report_samples import WEEK, empty_report, member, sample_report

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not on PATH: install it to run this test"
)
# Comma-separated, double quotes, UTF-8, and (LibreOffice 7.2+) the third sheet: Members.
MEMBERS_AS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,3"


def convert(source: Path, to: str, out: Path) -> subprocess.CompletedProcess[str]:
    """Run soffice headless with a profile of its own (others may run LibreOffice at once)."""
    assert SOFFICE is not None
    return subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(out / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def dirty_report() -> ReportData:
    """The sample with control characters in a name and 40,000 characters in the charter."""
    data = sample_report()
    return replace(
        data,
        members=[member("A\x00d\x07a\x1b\x7f\ufffe", 1), *data.members],
        charter=Charter(purpose="y" * 40_000),
    )


@pytest.mark.parametrize(
    "make", [sample_report, empty_report, dirty_report], ids=["sample", "empty", "dirty"]
)
def test_the_workbook_converts_to_pdf(tmp_path: Path, make: Callable[[], ReportData]) -> None:
    source = tmp_path / workbook_name("Data Stewards", WEEK)
    write_workbook(make(), source)
    done = convert(source, "pdf", tmp_path)
    assert done.returncode == 0, done.stderr
    pdf = source.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf.stat().st_size > 10_000


def test_libreoffice_shows_formula_like_names_as_written(tmp_path: Path) -> None:
    source = tmp_path / "report.xlsx"
    write_workbook(sample_report(), source)
    done = convert(source, MEMBERS_AS_CSV, tmp_path)
    assert done.returncode == 0, done.stderr
    (members,) = tmp_path.glob("report*.csv")
    with members.open(encoding="utf-8", newline="") as lines:
        names = [row[0] for row in csv.reader(lines) if row][4:10]
    # Evaluated, the first would show "y" and the others 1, -2 or an error.
    assert names == ['=HYPERLINK("http://x","y")', "+1", "-2", "@x", " Tabbed", " Carriage"]


def test_libreoffice_reads_the_events_sheet_as_written(tmp_path: Path) -> None:
    source = tmp_path / "report.xlsx"
    write_workbook(sample_report(), source)
    sixth = MEMBERS_AS_CSV.rsplit(",", 1)[0] + ",6"  # the Events sheet
    done = convert(source, sixth, tmp_path)
    assert done.returncode == 0, done.stderr
    (events,) = tmp_path.glob("report*.csv")
    with events.open(encoding="utf-8", newline="") as lines:
        table = list(csv.reader(lines))
    assert table[3][:3] == ["Event", "Starts", "Series/region"]
    body = {row[0]: row for row in table[4:8]}
    assert body['=HYPERLINK("http://x","y")'][7:9] == ["", "Held"]  # text, and no rate
    assert body["Lineage webinar"][7:9] == ["", "Cancelled"]  # not held: no rate
    assert table[4][1:7] == ["2026-11-26 13:00:00", "Series 7, #5 · America", "8", "3", "2", "6"]
    assert table[4][7] == "75%"
    assert table[-3][:3] == ["Europe", "3", "14"]
