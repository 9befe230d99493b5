"""``copbot demo``: a demo community with 12 weeks of history in its own SQLite file, its latest
report and chart, and a config to explore it in the console."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.progress import progress
from reports.demo_store import DEMO_DATABASE, demo_url, make_demo_store
from reports.maker import WorkbookMaker
from storage.report_data import report_data

DEMO_CONFIG = """\
# The demo community's own config, written by `copbot demo`: explore it with
#   copbot run --config {config}
# and try /cop stats, /cop report week:{week} or /cop checkin list (you are alice, its lead).
[storage]
url = {url}

[console]
user = "alice"

[[communities]]
name = {community}
timezone = {timezone}
console_workspace = "local"
leads = ["console:alice"]
"""


class DemoError(Exception):
    """The demo could not be made (a folder that cannot be written); the message says why."""


@dataclass(frozen=True)
class Demo:
    """What ``copbot demo`` made: its database and config, and its latest report."""

    database: Path
    config: Path
    workbook: Path
    chart: Path
    summary: tuple[str, ...]
    members: int
    ledger_rows: int


async def run_demo(folder: Path, now: datetime) -> Demo:
    """Create a demo community with 12 weeks of history in its own SQLite file in ``folder``
    and write its latest report there, with a config to explore it."""
    with progress(4, "copbot demo") as bar:
        try:
            store, history = await make_demo_store(folder, now=now)
        except OSError as error:
            raise DemoError(f"Cannot make the demo in {folder}: {error.strerror}.") from None
        bar.advance()
        try:
            async with store.read() as session:
                data = await report_data(
                    session=session,
                    community_id=history.community_id,
                    week=history.last_full_week,
                    now=now,
                )
        finally:
            await store.close()
        bar.advance()
        made = await asyncio.to_thread(WorkbookMaker().make, data)
        bar.advance()
        workbook = folder / made.workbook.name
        workbook.write_bytes(made.workbook.content)
        chart = folder / made.chart.name
        chart.write_bytes(made.chart.content)
        config = folder / "copbot.toml"
        config.write_text(
            DEMO_CONFIG.format(
                config=config,
                week=history.last_full_week,
                # TOML strings, escaped as JSON escapes them (a Windows path has backslashes).
                url=json.dumps(demo_url(folder)),
                community=json.dumps(history.community),
                timezone=json.dumps(history.timezone),
            ),
            encoding="utf-8",
        )
        bar.advance()
    return Demo(
        folder / DEMO_DATABASE,
        config,
        workbook,
        chart,
        made.summary,
        history.members,
        history.ledger_rows,
    )
