"""Attendance by region (the Events sheet's second table): the attendances at the report's
events grouped by the region of each attending member's timezone, so that a facilitator sees
whether rotating an event's time brings other regions in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, not_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_events import attendance, event, held
from storage.metrics_sql import Weeks, dialect_of, rows_of
from storage.models import Community, Member
from storage.report_rows import Definition, RegionAttendanceRow

UTC_REGION = "UTC"

DEFINITIONS = (
    Definition(
        "attendance by region",
        "Attendances at the events held in the last 12 weeks, by the region of the attending"
        " member's timezone (its first part: Europe/Berlin is Europe; UTC and Etc zones are"
        " UTC); a member with no timezone, or who opted out, counts in the community's region."
        " Events attended is how many of those events someone from the region attended.",
    ),
)

member = Member.__table__  # type: ignore[attr-defined]
community = Community.__table__  # type: ignore[attr-defined]


def region_of(zone: Any, dialect: str) -> ColumnElement[str]:
    """The region of an IANA timezone column: the part before the first slash; UTC for Etc/*
    zones; a zone without a slash (UTC, GMT) is its own region. The one split written per
    dialect: SQLite has ``instr``/``substr``, PostgreSQL ``split_part``."""
    if dialect == "sqlite":
        first = func.substr(zone, 1, func.instr(zone, "/") - 1)
        has_slash = func.instr(zone, "/") > 0
    else:
        first = func.split_part(zone, "/", 1)
        has_slash = func.strpos(zone, "/") > 0
    return case(
        (zone.like("Etc/%"), literal(UTC_REGION)),
        (has_slash, first),
        else_=zone,
    )


async def region_rows(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> list[RegionAttendanceRow]:
    """Per region: the events held in the report's weeks that its members attended, and their
    attendances; the most attended region first."""
    # An opted-out member's own timezone is not read: they count where the community is.
    own = case((not_(member.c.tracking_opted_out), member.c.timezone), else_=None)
    zone = func.coalesce(func.nullif(own, ""), community.c.timezone)
    region = region_of(zone, dialect_of(session)).label("region")
    query = (
        select(
            region,
            func.count(func.distinct(event.c.id)).label("events"),
            func.count().label("attendances"),
        )
        .select_from(
            attendance.join(event, event.c.id == attendance.c.event_id)
            .join(member, member.c.id == attendance.c.member_id)
            .join(community, community.c.id == event.c.community_id)
        )
        .where(held(community_id), weeks.within(event.c.start_at))
        .group_by(region)
        .order_by(func.count().desc(), region)
    )
    return [
        RegionAttendanceRow(str(name), int(events), int(n))
        for name, events, n in await rows_of(session, query)
    ]
