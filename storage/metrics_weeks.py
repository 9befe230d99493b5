"""Weekly figures for a run of weeks (the Summary's week and the Trends' twelve): acts by kind,
active and peripheral members, and members known; one query each for all the weeks."""

from __future__ import annotations

from sqlalchemy import and_, not_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import (
    REACTION,
    Weeks,
    counted,
    ledger,
    member_weeks,
    of_community,
    rows_of,
)
from storage.models import Member
from storage.report_rows import Definition

DEFINITIONS = (
    Definition(
        "messages",
        "Top-level messages posted in the week, by anyone (members who opted out included).",
    ),
    Definition("replies", "Replies in threads posted in the week, by anyone."),
    Definition("reactions", "Reactions added in the week, by anyone."),
    Definition(
        "active",
        "Members who took part in the week: at least one contribution (a message, a thread reply"
        " or a check-in answer) or an event attended that started in it (an RSVP alone is not"
        " taking part).",
    ),
    Definition(
        "peripheral",
        "Members who only reacted in the week: reactions but no message, reply, answer or"
        " event attended.",
    ),
    Definition(
        "inactive",
        "Members known by the week's end who neither took part nor reacted in it (members who opted"
        " out are left out of active, peripheral and inactive, since their acts are anonymous).",
    ),
    Definition(
        "members",
        "Everyone copbot had seen by the week's end, members who opted out included.",
    ),
)

member = Member.__table__  # type: ignore[attr-defined]


async def acts_by_week(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, dict[str, int]]:
    """Messages, replies and reactions of each week (anonymous ones included), by week index."""
    index = weeks.index_of(ledger.c.occurred_at).label("w")
    query = (
        select(
            index,
            counted(ledger.c.kind == "message").label("messages"),
            counted(ledger.c.kind == "reply").label("replies"),
            counted(ledger.c.kind == REACTION).label("reactions"),
        )
        .where(of_community(community_id), weeks.within(ledger.c.occurred_at))
        .group_by(index)
    )
    rows = await rows_of(session, query)
    return {int(r.w): {k: int(v) for k, v in r._mapping.items() if k != "w"} for r in rows}


async def people_by_week(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, dict[str, int]]:
    """Active and peripheral members of each week (members who opted out are not among them:
    their acts carry no member), by week index."""
    per_member = member_weeks(community_id=community_id, weeks=weeks, name="member_weeks")
    query = select(
        per_member.c.w,
        counted(per_member.c.took_part > 0).label("active"),
        counted(and_(per_member.c.took_part == 0, per_member.c.reacted > 0)).label("peripheral"),
    ).group_by(per_member.c.w)
    rows = await rows_of(session, query)
    return {int(r.w): {"active": int(r.active), "peripheral": int(r.peripheral)} for r in rows}


async def members_by_week(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, dict[str, int]]:
    """Members known at each week's end: all of them, and those who have not opted out."""
    columns = []
    for i in range(weeks.count):
        known = member.c.first_seen < weeks.bounds(i)[1]
        columns.append(counted(known).label(f"known_{i}"))
        columns.append(counted(and_(known, not_(member.c.tracking_opted_out))).label(f"kept_{i}"))
    (row,) = await rows_of(session, select(*columns).where(member.c.community_id == community_id))
    values = row._mapping
    return {
        i: {"members": int(values[f"known_{i}"]), "tracked": int(values[f"kept_{i}"])}
        for i in range(weeks.count)
    }
