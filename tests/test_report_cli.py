"""``copbot demo`` and ``copbot report``: a real report seconds after installing, and any week's
workbook from the configured store; mistakes are messages, not tracebacks."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from reports.workbook import SHEETS
from tests.test_workbook_libreoffice import SOFFICE, convert


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``copbot demo`` run once for this module: its folder and what it printed."""
    folder = tmp_path_factory.mktemp("demo") / "copbot-demo"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["demo", "--out", str(folder)]) == 0
    assert err.getvalue() == ""  # piped: no progress bar, no log lines
    return folder, out.getvalue()


def test_demo_makes_a_community_and_its_latest_report(demo: tuple[Path, str]) -> None:
    folder, printed = demo
    [workbook] = folder.glob("cop-demo-*.xlsx")
    assert printed.startswith("✓ made the demo community: 60 members, ")
    assert f"✓ wrote {workbook} and its chart {workbook.with_suffix('.png')}" in printed
    assert "active members this week" in printed
    assert f"Explore it: copbot run --config {folder / 'copbot.toml'}" in printed
    assert load_workbook(workbook, read_only=True).sheetnames == [s for s, _ in SHEETS]
    assert workbook.with_suffix(".png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not on PATH")
def test_the_demo_workbook_converts_with_libreoffice(
    demo: tuple[Path, str], tmp_path: Path
) -> None:
    [workbook] = demo[0].glob("cop-demo-*.xlsx")
    done = convert(workbook, "pdf", tmp_path, tmp_path / "profile")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / workbook.with_suffix(".pdf").name).read_bytes().startswith(b"%PDF")


def test_report_writes_any_week_from_the_configured_store(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(demo[0] / "copbot.toml")
    args = ["report", "--config", config, "--community", "demo", "--week", "2026-W40"]
    assert main([*args, "--out", str(tmp_path)]) == 0
    written = tmp_path / "cop-demo-2026-W40.xlsx"
    assert (
        f"✓ wrote {written} and its chart {written.with_suffix('.png')}" in capsys.readouterr().out
    )
    summary = load_workbook(written, read_only=True)["Summary"]
    assert "2026-W40" in str(next(summary.iter_rows(max_row=1, values_only=True))[0])


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (
            ["--community", "nobody"],
            "There is no community called 'nobody' in this store; there is demo.",
        ),
        (["--community", "demo", "--week", "2026-W99"], "--week: 2026 has no week 99."),
        (["--community", "demo", "--week", "soon"], "--week: `soon` is not a week"),
    ],
)
def test_report_mistakes_are_messages(
    demo: tuple[Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    says: str,
) -> None:
    config = str(demo[0] / "copbot.toml")
    assert main(["report", "--config", config, *extra, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_report_refuses_a_week_to_come_and_an_out_that_is_not_a_workbook(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(demo[0] / "copbot.toml")
    base = ["report", "--config", config, "--community", "demo"]
    assert main([*base, "--week", "2999-W01", "--out", str(tmp_path)]) == 2
    assert "--week: 2999-W01 has not begun yet." in capsys.readouterr().err
    assert main([*base, "--out", str(tmp_path / "chart.png")]) == 2
    assert "is neither a folder nor a .xlsx file" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    assert main([*base, "--week", "2026-W40", "--out", str(tmp_path / "new")]) == 0
    assert (tmp_path / "new" / "cop-demo-2026-W40.xlsx").exists()
