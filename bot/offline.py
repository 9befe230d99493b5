"""Commands that work on the store without running the bot: ``db upgrade``, ``schedule list``
and ``report``. The command line hands in what lives outside the core (the calendar, the
report maker)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.bootstrap import StartupError
from bot.clock import SystemClock
from bot.commands.catalog import build_catalog
from bot.config import Config
from bot.context import Services
from bot.progress import progress
from bot.report_maker import ReportMaker
from bot.schedule import ScheduleCalendar
from bot.store_startup import open_store, prepare_database
from bot.usecases.report_build import last_week
from bot.usecases.upcoming import upcoming
from storage.directory import communities, community_named
from storage.migrate import current_revision, pending_revisions, upgrade
from storage.report_data import report_data
from storage.report_rows import ReportData
from storage.report_week import ReportWeek


async def db_upgrade(config: Config) -> str | None:
    """Apply every migration and return the revision reached."""
    store = await open_store(config)
    try:
        pending = await pending_revisions(store.engine)
        with progress(len(pending), "db upgrade") as bar:
            for revision in pending:  # one at a time, so that the bar moves
                await upgrade(store.engine, revision)
                bar.advance()
        return await current_revision(store.engine)
    finally:
        await store.close()


async def schedule_list(config: Config, calendar: ScheduleCalendar, days: int = 7) -> list[str]:
    """What copbot will send in the next ``days``, for every community (``schedule list``)."""
    store = await open_store(config)
    services = Services(config, calendar, SystemClock(), build_catalog())
    try:
        await prepare_database(store)
        lines: list[str] = []
        async with store.transaction() as session:
            for community in await communities(session=session):
                found = await upcoming(session, services, community.id, services.clock.now(), days)
                lines.append(f"{community.name}:")
                lines += [f"  {line}" for line in found] or ["  nothing scheduled"]
        return lines
    finally:
        await store.close()


@dataclass(frozen=True)
class WrittenReport:
    """Where ``copbot report`` put the workbook and its chart, and the summary it printed."""

    workbook: Path
    chart: Path
    summary: tuple[str, ...]


async def write_report(
    config: Config,
    community: str,
    week: str | None,
    out: Path | None,
    now: datetime,
    maker: ReportMaker,
) -> WrittenReport:
    """Write one week's workbook (and its chart beside it) from the configured store; the week
    is the last whole one when none is given; ``out`` is a file or a folder."""
    if out is not None and out.suffix and out.suffix.lower() != ".xlsx":
        raise StartupError(f"--out: {out} is neither a folder nor a .xlsx file.")
    with progress(3, "copbot report") as bar:
        data = await _figures(config, community, week, now)
        bar.advance()
        made = await asyncio.to_thread(maker.make, data)
        bar.advance()
        target = out or Path(made.workbook.name)
        if target.is_dir() or not target.suffix:  # a folder, there or to make
            target = target / made.workbook.name
        chart = target.with_suffix(".png")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(made.workbook.content)
            chart.write_bytes(made.chart.content)
        except OSError as error:
            raise StartupError(f"Cannot write the report to {target}: {error.strerror}.") from None
        bar.advance()
    return WrittenReport(target, chart, made.summary)


async def _figures(config: Config, community: str, week: str | None, now: datetime) -> ReportData:
    """The report's figures for a community named on the command line."""
    store = await open_store(config)
    try:
        await prepare_database(store)
        async with store.read() as session:
            found = await community_named(session=session, name=community)
            if found is None or found.id is None:
                names = ", ".join(c.name for c in await communities(session=session))
                raise StartupError(
                    f"There is no community called {community!r} in this store"
                    + (f"; there is {names}." if names else "; it has none yet.")
                )
            chosen = _week(week) if week else last_week(now, found.timezone)
            if chosen.start(found.timezone) > now:
                raise StartupError(f"--week: {chosen} has not begun yet.")
            return await report_data(session=session, community_id=found.id, week=chosen, now=now)
    finally:
        await store.close()


def _week(text: str) -> ReportWeek:
    try:
        return ReportWeek.parse(text)
    except ValueError as error:
        raise StartupError(f"--week: {error}") from None
