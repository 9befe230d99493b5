"""The console hands files over by saving them: a report and its chart land in the reports
folder, one folder a reader, and the message says where."""

from __future__ import annotations

import io
from pathlib import Path

from adapters.console.render import Screen
from adapters.console.sender import ConsoleSender
from bot.config import parse_config
from bot.outbox import outbox_row
from bot.ui import Attachment, Message, Outgoing, Recipient
from storage import outbox
from storage.engine import Store
from tests.factories import START, Harness

WORKBOOK = Attachment("cop-demo-2026-W49.xlsx", b"PK\x03\x04workbook")
CHART = Attachment("cop-demo-2026-W49.png", b"\x89PNG chart", "image/png")


async def send_report(store: Store, folder: Path, reader: str) -> str:
    out = io.StringIO()
    harness = await Harness.start(store, senders={"console": ConsoleSender(Screen(out), folder)})
    try:
        report = Outgoing(
            Recipient("console", "local", user=reader),
            Message("📊 Your weekly report", attachment=WORKBOOK, image=CHART),
            f"report:demo:2026-W49:{reader}",
        )
        async with store.transaction() as session:
            await outbox.enqueue(session=session, rows=[outbox_row(report, START)])
        await harness.delivery.deliver_due()
    finally:
        await harness.close()
    return out.getvalue()


async def test_a_report_and_its_chart_are_saved_and_their_paths_shown(
    store: Store, tmp_path: Path
) -> None:
    shown = await send_report(store, tmp_path / "reports", "lena")
    saved = tmp_path / "reports" / "lena"
    assert (saved / WORKBOOK.name).read_bytes() == WORKBOOK.content
    assert (saved / CHART.name).read_bytes() == CHART.content
    assert f"📎 {WORKBOOK.name} (12 bytes): {saved / WORKBOOK.name}" in shown
    assert f"📎 {CHART.name} (10 bytes): {saved / CHART.name}" in shown


async def test_a_reader_named_like_a_path_stays_inside_the_folder(
    store: Store, tmp_path: Path
) -> None:
    await send_report(store, tmp_path / "reports", "../../etc")
    inside = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.xlsx"))
    assert inside == ["reports/_.._etc/cop-demo-2026-W49.xlsx"]


def test_the_reports_folder_is_beside_the_database_unless_configured(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/c.db"
    plain = parse_config({"storage": {"url": url}}, source="x", calendar=None)
    assert plain.reports.folder(plain.storage.url) == tmp_path / "copbot-reports"
    out = {"reports": {"out_dir": str(tmp_path / "out")}}
    chosen = parse_config(out, source="x", calendar=None)
    assert chosen.reports.folder(chosen.storage.url) == tmp_path / "out"
