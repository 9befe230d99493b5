"""The weekly report's job kind: one firing per community at ``[reports] weekly`` in its timezone.

The report itself (metrics, the workbook, delivery to leads) is the reports capability's; until it
exists a firing is recorded (so catch-up and idempotency already hold) and logged.
"""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import Services
from bot.jobs import Fired, Firing, JobKind, Recurring
from storage import directory

log = logging.getLogger(__name__)
WEEKLY_REPORT = "weekly-report"


async def weekly_report_jobs(
    session: AsyncSession, services: Services, subject: str | None
) -> list[Recurring]:
    """One weekly job per community, at the configured time in the community's timezone."""
    expression = services.config.reports.weekly
    return [
        Recurring(WEEKLY_REPORT, str(c.id), expression, c.timezone, since=c.created_at)
        for c in await directory.communities(session=session)
        if subject is None or str(c.id) == subject
    ]


async def send_weekly_report(firing: Firing) -> Fired:
    """The week's report for one community (built by the reports capability, not yet here)."""
    log.info(
        "weekly report for community %s is due (%s); building reports is not part of this "
        "version yet",
        firing.subject,
        firing.due,
    )
    return Fired()


JOBS = (JobKind(WEEKLY_REPORT, send_weekly_report, recurring=weekly_report_jobs),)
