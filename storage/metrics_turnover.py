"""New, returning and churned members of each week in a run: one query over the weeks in which
each member contributed (with "some time before" as one bucket)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, literal_column, select, union_all
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import CONTRIBUTIONS, EARLIER, Weeks, ledger, of_community, rows_of
from storage.report_rows import Definition

QUIET = 4  # weeks without a contribution before a member counts as gone
CHURN_SPAN = 4  # churned: last active in the four weeks that ended QUIET weeks ago

DEFINITIONS = (
    Definition("new", "Members whose first contribution ever was in the week."),
    Definition(
        "returning",
        "Members active in the week who were not active in the 4 weeks before it but were"
        " active at some time before those.",
    ),
    Definition(
        "churned",
        "Members active in some week 4 to 7 weeks before the week (the four weeks that ended"
        " four weeks ago) but in none of the weeks since, the week itself included.",
    ),
)


async def turnover_by_week(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, dict[str, int]]:
    """New, returning and churned members of each week of ``weeks``, by week index."""
    # Enough weeks behind the earliest one to look QUIET + CHURN_SPAN weeks back from it.
    history = Weeks(weeks.week, weeks.timezone, weeks.count + QUIET + CHURN_SPAN)
    index = history.index_of(ledger.c.occurred_at).label("w")
    active = (
        select(ledger.c.member_id.label("m"), index)
        .where(
            of_community(community_id),
            ledger.c.member_id.is_not(None),
            ledger.c.kind.in_(CONTRIBUTIONS),
            ledger.c.occurred_at < history.end,
        )
        .group_by(ledger.c.member_id, index)
        .cte("active_weeks")
    )
    week = weeks.indices()
    other = active.alias("other")

    def active_between(first: Any, last: Any) -> ColumnElement[bool]:
        """The same member contributed in a week between two indices (inclusive)."""
        return exists().where(other.c.m == active.c.m, other.c.w >= first, other.c.w <= last)

    oldest = (
        select(active.c.m, func.max(active.c.w).label("w")).group_by(active.c.m).subquery("first")
    )
    new = (
        select(_named("new"), oldest.c.w, func.count().label("n"))
        .where(oldest.c.w < weeks.count)
        .group_by(oldest.c.w)
    )
    returning = (
        select(_named("returning"), week.c.w, func.count().label("n"))
        .select_from(week.join(active, active.c.w == week.c.w))
        .where(
            ~active_between(week.c.w + 1, week.c.w + QUIET),
            active_between(week.c.w + QUIET + 1, EARLIER),
        )
        .group_by(week.c.w)
    )
    gone = (
        select(week.c.w, active.c.m)
        .select_from(
            week.join(
                active,
                and_(active.c.w >= week.c.w + QUIET, active.c.w < week.c.w + QUIET + CHURN_SPAN),
            )
        )
        .where(~active_between(week.c.w, week.c.w + QUIET - 1))
        .distinct()
        .subquery("gone")
    )
    churned = select(_named("churned"), gone.c.w, func.count().label("n")).group_by(gone.c.w)
    found: dict[int, dict[str, int]] = {
        i: {"new": 0, "returning": 0, "churned": 0} for i in range(weeks.count)
    }
    for what, w, n in await rows_of(session, union_all(new, returning, churned)):
        found[int(w)][str(what)] = int(n)
    return found


def _named(what: str) -> ColumnElement[str]:
    """Which figure a row of the union gives, as an inline constant (no untyped parameter)."""
    return literal_column(f"'{what}'").label("what")
