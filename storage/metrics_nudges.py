"""The report's nudge figure: how many quiet members were nudged in each week (read from the
``nudge`` table: one row per nudge sent)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import Weeks, rows_of
from storage.models import Nudge
from storage.report_rows import Definition

DEFINITIONS = (
    Definition(
        "nudges sent",
        "Quiet members invited back by a nudge DM in the week (`/cop nudge send` or its rhythm):"
        " at most one a member in 4 weeks.",
    ),
)

nudge = Nudge.__table__  # type: ignore[attr-defined]


async def nudges_by_week(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, dict[str, int]]:
    """Nudges sent in each week, by week index."""
    index = weeks.index_of(nudge.c.sent_at).label("w")
    query = (
        select(index, func.count().label("nudges_sent"))
        .where(nudge.c.community_id == community_id, weeks.within(nudge.c.sent_at))
        .group_by(index)
    )
    return {int(r.w): {"nudges_sent": int(r[1])} for r in await rows_of(session, query)}
