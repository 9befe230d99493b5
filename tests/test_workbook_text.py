"""People's text in the workbook stays text and cannot break the file; the file's name is safe."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports.cells import CELL_LIMIT, clean_text
from reports.workbook import workbook_name, write_workbook
from storage.report_rows import Attention, Charter, CheckinRow
from storage.report_week import ReportWeek
from tests.report_samples import HOSTILE_NAMES, WEEK, member, sample_report
from tests.workbook_reading import HEADER_ROW, read, rows

# What each hostile name reads back as: one-line cells turn tabs and line breaks into spaces.
SHOWN = {name: name.replace("\t", " ").replace("\r", " ") for name in HOSTILE_NAMES}


def test_names_that_look_like_formulas_stay_text() -> None:
    data = sample_report()
    ws = read(data)["Members"]
    cells = [ws.cell(HEADER_ROW + 1 + n, 1) for n in range(len(HOSTILE_NAMES))]
    assert [cell.value for cell in cells] == [SHOWN[name] for name in HOSTILE_NAMES]
    assert cells[0].value == '=HYPERLINK("http://x","y")'
    for cell in cells:
        assert cell.data_type == "s", cell.value  # a string, never a formula ("f")
        assert cell.quotePrefix, cell.value  # and typing over it in Excel keeps it text


def test_the_file_holds_no_formula_at_all() -> None:
    out = io.BytesIO()
    write_workbook(sample_report(), out)
    with zipfile.ZipFile(out) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 10
        for name in sheets:
            xml = archive.read(name).decode()
            assert "<f>" not in xml and "<f " not in xml, name
        members = archive.read("xl/worksheets/sheet3.xml").decode()
        assert '<t>=HYPERLINK("http://x","y")</t>' in members  # an inline string


def test_other_texts_from_people_stay_text_too() -> None:
    data = replace(
        sample_report(),
        charter=Charter(audience="=SUM(A1:A9)", purpose="+cmd|' /C calc'!A0"),
        checkins=[CheckinRow("@everyone check", 1, 1, 2, 1, None)],
        attention=[Attention("sliding-member", "-Bob", "=1+1 nobody replied")],
    )
    ws = read(data)["Summary"]
    texts = {
        cell.value: cell
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value[:1] in "=+-@"
    }
    assert {"=SUM(A1:A9)", "+cmd|' /C calc'!A0", "-Bob", "=1+1 nobody replied"} <= set(texts)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in texts.values())
    checkin = read(data)["Check-ins"].cell(HEADER_ROW + 1, 1)
    assert (checkin.value, checkin.data_type) == ("@everyone check", "s")


def test_control_characters_are_removed_and_the_file_opens() -> None:
    data = sample_report()
    dirty = "A\x00d\x07a\x1b\x7f\x9b\ufffe\u202e!"
    data = replace(
        data,
        members=[member(dirty, 1)],
        charter=Charter(purpose="line one\r\nline two\x0b\x0c"),
    )
    wb = read(data)
    assert wb["Members"].cell(HEADER_ROW + 1, 1).value == "Ada!"
    purpose = next(row for row in rows(wb, "Summary") if row[0] == "Purpose")
    assert purpose[1] == "line one\nline two"


def test_a_text_longer_than_a_cell_is_cut_to_the_limit() -> None:
    long = "x" * 40_000
    data = replace(sample_report(), charter=Charter(purpose=long), members=[member(long, 1)])
    wb = read(data)
    name = wb["Members"].cell(HEADER_ROW + 1, 1).value
    assert len(name) == CELL_LIMIT
    assert name.endswith("…") and name.startswith("x" * 1000)
    purpose = next(row for row in rows(wb, "Summary") if row[0] == "Purpose")
    assert len(purpose[1]) == CELL_LIMIT


def test_characters_beyond_the_basic_plane_count_twice_toward_the_limit() -> None:
    cut = clean_text("😀" * 20_000)
    assert len(cut.encode("utf-16-le")) // 2 <= CELL_LIMIT
    assert cut.endswith("…") and set(cut[:-1]) == {"😀"}
    assert clean_text("short") == "short"


@pytest.mark.parametrize(
    ("community", "expected"),
    [
        ("Data Stewards", "cop-data-stewards-2026-W48.xlsx"),
        ("../../etc/passwd", "cop-etc-passwd-2026-W48.xlsx"),
        ('a<b>c:d"e/f\\g|h?i*j', "cop-a-b-c-d-e-f-g-h-i-j-2026-W48.xlsx"),
        ("Équipe Données", "cop-equipe-donnees-2026-W48.xlsx"),
        ("CON", "cop-community-con-2026-W48.xlsx"),
        ("日本語", "cop-community-2026-W48.xlsx"),
        ("  ...  ", "cop-community-2026-W48.xlsx"),
    ],
)
def test_the_file_name_is_safe_on_every_system(community: str, expected: str) -> None:
    assert workbook_name(community, WEEK) == expected


def test_a_long_community_name_makes_a_short_file_name() -> None:
    name = workbook_name("a" * 300, ReportWeek(2027, 1))
    assert re.fullmatch(r"cop-a{1,60}-2027-W01\.xlsx", name)


def test_the_workbook_can_be_written_to_a_path(tmp_path: Path) -> None:
    path = tmp_path / workbook_name("Data Stewards", WEEK)
    write_workbook(sample_report(), path)
    assert load_workbook(path).sheetnames[0] == "Summary"
