"""The report's onboarding figure: how many members were welcomed in each week (read from the
``welcome`` table: one row per member ever welcomed)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import Weeks, rows_of
from storage.models import Welcome
from storage.report_rows import Definition

DEFINITIONS = (
    Definition(
        "members welcomed",
        "Members sent the welcome DM in the week (on joining, on their first message, or at"
        " the launch): once per member ever.",
    ),
)

welcome = Welcome.__table__  # type: ignore[attr-defined]


async def welcomes_by_week(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, dict[str, int]]:
    """Members welcomed in each week, by week index."""
    index = weeks.index_of(welcome.c.welcomed_at).label("w")
    query = (
        select(index, func.count().label("members_welcomed"))
        .where(welcome.c.community_id == community_id, weeks.within(welcome.c.welcomed_at))
        .group_by(index)
    )
    return {int(r.w): {"members_welcomed": int(r[1])} for r in await rows_of(session, query)}
