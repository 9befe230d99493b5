"""Making one week's report: the figures read in SQL, the files made in a thread."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from bot.context import Services
from bot.report_maker import MadeReport
from bot.ui import Message
from storage.engine import Store
from storage.models import Community
from storage.report_data import report_data
from storage.report_week import ReportWeek

log = logging.getLogger(__name__)


async def build_report(
    store: Store,
    services: Services,
    community_id: int,
    now: datetime,
    week: ReportWeek | None = None,
    before: datetime | None = None,
) -> MadeReport | None:
    """One week's report (by default the last whole week before ``before``, or ``now``);
    None if the community is gone or this copbot cannot make reports."""
    maker = services.report_maker
    if maker is None:
        log.warning("reports: no report maker is configured; the report is not made")
        return None
    async with store.read() as session:
        community = await session.get(Community, community_id)
        if community is None:
            return None
        week = week or last_week(before or now, community.timezone)
        data = await report_data(session=session, community_id=community_id, week=week, now=now)
    # Laying out a workbook takes seconds for a large community: never on the event loop.
    return await asyncio.to_thread(maker.make, data)


def last_week(now: datetime, timezone: str) -> ReportWeek:
    """The last whole week before ``now`` on the community's calendar."""
    return ReportWeek.containing(now, timezone).shifted(-1)


def report_message(community: str, week: ReportWeek, made: MadeReport) -> Message:
    """The DM a report goes out as: who and when, the summary, the workbook and its chart."""
    sunday = week.monday + timedelta(days=6)
    heading = (
        f"📊 {community}: the weekly report for {week} "
        f"({week.monday:%a %d %b} to {sunday:%a %d %b %Y})"
    )
    return Message("\n".join([heading, *made.summary]), attachment=made.workbook, image=made.chart)
