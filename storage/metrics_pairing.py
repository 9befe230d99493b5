"""The report's pairing figures: the groups made in each week's rounds and the members in them
(read from the ``pair_group`` and ``pair_member`` tables)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import Weeks, rows_of
from storage.models import PairGroup, PairMember, PairRound
from storage.report_rows import Definition

DEFINITIONS = (
    Definition(
        "pairing groups made",
        "Groups of two or three opted-in members introduced to each other in the week's "
        "pairing rounds (`/cop pair run` or its rhythm).",
    ),
    Definition(
        "members paired",
        "Members in those groups (a member paired in two rounds of the week counts twice).",
    ),
)

rounds = PairRound.__table__  # type: ignore[attr-defined]
groups = PairGroup.__table__  # type: ignore[attr-defined]
members = PairMember.__table__  # type: ignore[attr-defined]


async def pairs_by_week(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, dict[str, int]]:
    """Groups made and members paired in each week, by week index."""
    index = weeks.index_of(rounds.c.made_at).label("w")
    query = (
        select(
            index,
            func.count(func.distinct(groups.c.id)).label("pair_groups"),
            func.count(members.c.id).label("members_paired"),
        )
        .select_from(rounds)
        .join(groups, groups.c.round_id == rounds.c.id)
        .join(members, members.c.group_id == groups.c.id)
        .where(rounds.c.community_id == community_id, weeks.within(rounds.c.made_at))
        .group_by(index)
    )
    return {
        int(r.w): {"pair_groups": int(r.pair_groups), "members_paired": int(r.members_paired)}
        for r in await rows_of(session, query)
    }
