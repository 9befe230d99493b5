"""LibreOffice opens the weekly workbook: it converts to PDF, and people's text shows as written."""

from __future__ import annotations

import csv
import shutil
import subprocess
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
# Comma-separated, double quotes, UTF-8, and (LibreOffice 7.2+) every sheet to a file of its own.
SHEETS_AS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One LibreOffice profile for this module's conversions (making one takes longer than a
    conversion), of this test process's own: others may run LibreOffice at once."""
    return tmp_path_factory.mktemp("libreoffice-profile")


def convert(
    source: Path | list[Path], to: str, out: Path, profile: Path
) -> subprocess.CompletedProcess[str]:
    """Run soffice headless on one file or several (one start for them all), with the given
    profile."""
    sources = source if isinstance(source, list) else [source]
    assert SOFFICE is not None
    return subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            *map(str, sources),
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


MADE = {"sample": sample_report, "empty": empty_report, "dirty": dirty_report}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory, profile: Path) -> dict[str, Path]:
    """Each workbook converted to PDF, the three in one LibreOffice start."""
    out = tmp_path_factory.mktemp("pdfs")
    sources = {name: out / f"{name}-{workbook_name('Data Stewards', WEEK)}" for name in MADE}
    for name, source in sources.items():
        write_workbook(MADE[name](), source)
    done = convert(list(sources.values()), "pdf", out, profile)
    assert done.returncode == 0, done.stderr
    return sources


@pytest.mark.parametrize("name", list(MADE))
def test_the_workbook_converts_to_pdf(pdfs: dict[str, Path], name: str) -> None:
    pdf = pdfs[name].with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf.stat().st_size > 10_000


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory, profile: Path) -> dict[str, list[list[str]]]:
    """The sample workbook's sheets as LibreOffice reads them, exported in one conversion."""
    out = tmp_path_factory.mktemp("sheets")
    source = out / "report.xlsx"
    write_workbook(sample_report(), source)
    done = convert(source, SHEETS_AS_CSV, out, profile)
    assert done.returncode == 0, done.stderr
    read: dict[str, list[list[str]]] = {}
    for sheet in out.glob("report-*.csv"):
        with sheet.open(encoding="utf-8", newline="") as lines:
            read[sheet.stem.removeprefix("report-")] = list(csv.reader(lines))
    return read


def test_libreoffice_shows_formula_like_names_as_written(
    sheets: dict[str, list[list[str]]],
) -> None:
    names = [row[0] for row in sheets["Members"] if row][4:10]
    # Evaluated, the first would show "y" and the others 1, -2 or an error.
    assert names == ['=HYPERLINK("http://x","y")', "+1", "-2", "@x", " Tabbed", " Carriage"]


def test_libreoffice_reads_the_events_sheet_as_written(sheets: dict[str, list[list[str]]]) -> None:
    table = sheets["Events"]
    assert table[3][:3] == ["Event", "Starts", "Series/region"]
    body = {row[0]: row for row in table[4:8]}
    assert body['=HYPERLINK("http://x","y")'][7:9] == ["", "Held"]  # text, and no rate
    assert body["Lineage webinar"][7:9] == ["", "Cancelled"]  # not held: no rate
    assert table[4][1:7] == ["2026-11-26 13:00:00", "Series 7, #5 · America", "8", "3", "2", "6"]
    assert table[4][7] == "75%"
    assert table[-3][:3] == ["Europe", "3", "14"]
