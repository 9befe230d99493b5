"""The report's job kinds: the weekly report to its readers, and a report someone asked for.

Both make their files in a ``prepare`` step, before the firing's transaction (which on SQLite
holds the write lock), and only queue the DMs inside it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config_values import accounts
from bot.context import Services
from bot.jobs import Fired, Firing, JobKind, Recurring
from bot.outbox_keys import REPORT_ASKED, REPORT_WEEKLY, asked_report_key, report_key
from bot.report_maker import MadeReport
from bot.ui import Outgoing, Recipient
from bot.usecases.report_build import build_report, last_week, report_message
from storage import directory, report_readers
from storage.engine import Store
from storage.models import Community, Identity
from storage.report_week import ReportWeek

log = logging.getLogger(__name__)
WEEKLY_REPORT = "weekly-report"
ASKED_REPORT = "asked-report"


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


async def make_weekly(
    store: Store, services: Services, subject: str, due: datetime, now: datetime
) -> MadeReport | None:
    """The files of the week before the firing, made once for every reader."""
    return await build_report(store, services, int(subject), now, before=due)


async def send_weekly_report(firing: Firing) -> Fired:
    """Queue the week's report for each reader: leads, and those who subscribed."""
    made: MadeReport | None = firing.prepared
    community = await firing.session.get(Community, int(firing.subject))
    if made is None or community is None or community.id is None:
        return Fired()
    week = last_week(firing.due, community.timezone)
    entry = firing.services.community_config(community.name)
    readers = await report_readers.readers(
        session=firing.session,
        community_id=community.id,
        configured_leads=accounts(entry.leads if entry is not None else ()),
    )
    message = report_message(community.name, week, made)
    outgoing = [
        Outgoing(
            Recipient(platform, workspace, user=user),
            message,
            report_key(community.id, week.name, platform, workspace, user),
            kind=REPORT_WEEKLY,
            subject=str(community.id),
        )
        for _, platform, workspace, user in readers
    ]
    if not outgoing:
        log.info("weekly report of %s for %s: nobody to send it to", community.name, week)
    return Fired(outgoing, len(outgoing))


def asked_subject(community_id: int, week: ReportWeek, identity_id: int) -> str:
    """The subject of an asked-for report: the community, the week and the platform account
    that asked (the DM goes to that account)."""
    return f"{community_id}.{week}.{identity_id}"


def _asked(subject: str) -> tuple[int, ReportWeek, int]:
    community, week, identity = subject.split(".")
    return int(community), ReportWeek.parse(week), int(identity)


async def make_asked(
    store: Store, services: Services, subject: str, due: datetime, now: datetime
) -> MadeReport | None:
    """The files of the week someone asked for."""
    community_id, week, _ = _asked(subject)
    return await build_report(store, services, community_id, now, week=week)


async def send_asked_report(firing: Firing) -> Fired:
    """Queue the report someone asked for, as a DM to them on the platform they asked from."""
    made: MadeReport | None = firing.prepared
    community_id, week, identity_id = _asked(firing.subject)
    community = await firing.session.get(Community, community_id)
    identity = await firing.session.get(Identity, identity_id)
    if made is None or community is None or identity is None:
        return Fired()
    platform, workspace, user = identity.platform, identity.workspace, identity.user_id
    weekly = report_key(community_id, week.name, platform, workspace, user)
    outgoing = Outgoing(
        Recipient(platform, workspace, user=user),
        report_message(community.name, week, made),
        asked_report_key(weekly, firing.due),
        kind=REPORT_ASKED,
        subject=str(community_id),
    )
    return Fired([outgoing], 1)


# A report is worth sending late: after downtime the week's report still goes out within two
# days of its time, and one asked for within a week (the person was told it would come).
WEEKLY_GRACE = 2 * 24 * 3600.0
ASKED_GRACE = 7 * 24 * 3600.0

JOBS = (
    JobKind(
        WEEKLY_REPORT,
        send_weekly_report,
        recurring=weekly_report_jobs,
        grace=WEEKLY_GRACE,
        prepare=make_weekly,
    ),
    JobKind(ASKED_REPORT, send_asked_report, grace=ASKED_GRACE, prepare=make_asked),
)
