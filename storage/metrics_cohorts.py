"""Pilot and launch cohorts: how many joined, how many ever contributed, how many contributed
this week, and how many of those active before the report's four weeks stayed active in them."""

from __future__ import annotations

from sqlalchemy import func, not_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_members import SPAN
from storage.metrics_sql import CONTRIBUTIONS, Weeks, counted, flag, ledger, of_community, rows_of
from storage.models import Member
from storage.report_rows import CohortRow, Definition

COHORTS = ("pilot", "launch")

DEFINITIONS = (
    Definition(
        "cohort joined",
        "Tracked members of the cohort that copbot had seen by the week's end.",
    ),
    Definition(
        "cohort active ever",
        "Of those, the members who contributed at least once by the week's end (conversion"
        " is this over joined).",
    ),
    Definition("cohort active this week", "Of those, the members who contributed in the week."),
    Definition(
        "cohort retained",
        "Members who contributed before the last 4 weeks and contributed again in them"
        " (retention is this over those who contributed before).",
    ),
)

member = Member.__table__  # type: ignore[attr-defined]


async def cohort_rows(*, session: AsyncSession, community_id: int, weeks: Weeks) -> list[CohortRow]:
    """One row per cohort, pilot first (a cohort with nobody in it shows zeros)."""
    week_start = weeks.bounds(0)[0]
    span_start = weeks.bounds(SPAN - 1)[0]
    at = ledger.c.occurred_at
    flags = (
        select(
            ledger.c.member_id,
            func.max(flag(at >= week_start)).label("this_week"),
            func.max(flag(at >= span_start)).label("recent"),
            func.max(flag(at < span_start)).label("before"),
        )
        .where(
            of_community(community_id),
            ledger.c.member_id.is_not(None),
            ledger.c.kind.in_(CONTRIBUTIONS),
            at < weeks.end,
        )
        .group_by(ledger.c.member_id)
        .subquery("flags")
    )
    query = (
        select(
            member.c.cohort,
            func.count().label("joined"),
            counted(flags.c.member_id.is_not(None)).label("ever"),
            counted(flags.c.this_week == 1).label("this_week"),
            counted((flags.c.before == 1) & (flags.c.recent == 1)).label("retained"),
            counted(flags.c.before == 1).label("before"),
        )
        .select_from(member.outerjoin(flags, flags.c.member_id == member.c.id))
        .where(
            member.c.community_id == community_id,
            not_(member.c.tracking_opted_out),
            member.c.first_seen < weeks.end,
        )
        .group_by(member.c.cohort)
    )
    found = {r.cohort: r for r in await rows_of(session, query)}
    rows = []
    for cohort in COHORTS:
        r = found.get(cohort)
        rows.append(
            CohortRow(
                cohort=cohort,
                joined=int(r.joined) if r else 0,
                active_ever=int(r.ever) if r else 0,
                active_this_week=int(r.this_week) if r else 0,
                retained=int(r.retained) if r else 0,
                active_before=int(r.before) if r else 0,
            )
        )
    return rows
