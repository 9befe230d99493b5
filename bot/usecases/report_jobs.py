"""The report's job kinds: the weekly report to its readers, and a report someone asked for.

Both make their files in a ``prepare`` step, before the firing's transaction (which on SQLite
holds the write lock), and only queue the DMs inside it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

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
    leads = [lead.split(":", 1) for lead in entry.leads] if entry is not None else []
    readers = await report_readers.readers(
        session=firing.session,
        community_id=community.id,
        configured_leads=[(platform, user) for platform, user in leads],
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


def asked_subject(community_id: int, week: ReportWeek, member_id: int, platform: str) -> str:
    """The subject of an asked-for report: the community, the week and who asked, where."""
    return f"{community_id}.{week}.{member_id}.{platform}"


def _asked(subject: str) -> tuple[int, ReportWeek, int, str]:
    community, week, member, platform = subject.split(".")
    return int(community), ReportWeek.parse(week), int(member), platform


async def make_asked(
    store: Store, services: Services, subject: str, due: datetime, now: datetime
) -> MadeReport | None:
    """The files of the week someone asked for."""
    community_id, week, _, _ = _asked(subject)
    return await build_report(store, services, community_id, now, week=week)


async def send_asked_report(firing: Firing) -> Fired:
    """Queue the report someone asked for, as a DM to them on the platform they asked from."""
    made: MadeReport | None = firing.prepared
    community_id, week, member_id, platform = _asked(firing.subject)
    community = await firing.session.get(Community, community_id)
    query = select(Identity).where(
        col(Identity.member_id) == member_id, col(Identity.platform) == platform
    )
    identity = (await firing.session.exec(query)).first()
    if made is None or community is None or identity is None:
        return Fired()
    weekly = report_key(community_id, week.name, platform, identity.workspace, identity.user_id)
    outgoing = Outgoing(
        Recipient(platform, identity.workspace, user=identity.user_id),
        report_message(community.name, week, made),
        asked_report_key(weekly, firing.due),
        kind=REPORT_ASKED,
        subject=str(community_id),
    )
    return Fired([outgoing], 1)


JOBS = (
    JobKind(WEEKLY_REPORT, send_weekly_report, recurring=weekly_report_jobs, prepare=make_weekly),
    JobKind(ASKED_REPORT, send_asked_report, prepare=make_asked),
)
