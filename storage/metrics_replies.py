"""How long top-level posts wait for their first reply: the median of each week, in SQL (rank
the delays with ``row_number`` and ``count`` over the week, then average the middle one or two).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.sql import Subquery
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import Weeks, dialect_of, epoch, ledger, rows_of
from storage.report_rows import Definition

DEFINITIONS = (
    Definition(
        "median time to first reply",
        "For the week's top-level posts that got a reply in their thread from someone else,"
        " the median of the minutes until the first such reply (posts never answered are left"
        " out; see the newcomers in need of attention).",
    ),
)


def someone_else(reply: Any, post: Any) -> ColumnElement[bool]:
    """The reply is not the poster's own (an anonymous act counts as someone else's)."""
    return or_(
        reply.c.member_id.is_(None),
        post.c.member_id.is_(None),
        reply.c.member_id != post.c.member_id,
    )


def in_thread_of(reply: Any, post: Any) -> ColumnElement[bool]:
    """The reply is in the post's thread (Slack's ts is unique within a channel only)."""
    return and_(
        reply.c.kind == "reply",
        reply.c.platform == post.c.platform,
        reply.c.workspace == post.c.workspace,
        reply.c.channel == post.c.channel,
        reply.c.parent_ref == post.c.message_ref,
    )


def first_replies(*, community_id: int, weeks: Weeks, dialect: str) -> Subquery:
    """The weeks' top-level posts that got a reply from someone else: their week index and
    the seconds until the first such reply."""
    post, reply = ledger.alias("post"), ledger.alias("reply")
    index = weeks.index_of(post.c.occurred_at).label("w")
    delay = func.min(epoch(reply.c.occurred_at, dialect)) - func.min(
        epoch(post.c.occurred_at, dialect)
    )
    return (
        select(post.c.id, index, delay.label("seconds"))
        .select_from(post.join(reply, and_(in_thread_of(reply, post), someone_else(reply, post))))
        .where(
            post.c.community_id == community_id,
            post.c.kind == "message",
            post.c.message_ref.is_not(None),
            weeks.within(post.c.occurred_at),
            reply.c.occurred_at >= post.c.occurred_at,
        )
        .group_by(post.c.id, post.c.occurred_at)
        .subquery("first_replies")
    )


async def median_first_reply(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, float]:
    """The median minutes to a first reply, by week index (weeks with no answered post absent)."""
    found = first_replies(community_id=community_id, weeks=weeks, dialect=dialect_of(session))
    ranked = select(
        found.c.w,
        found.c.seconds,
        func.row_number().over(partition_by=found.c.w, order_by=found.c.seconds).label("rn"),
        func.count().over(partition_by=found.c.w).label("n"),
    ).subquery("ranked")
    middle = or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    query = (
        select(ranked.c.w, func.avg(ranked.c.seconds).label("seconds"))
        .where(middle)
        .group_by(ranked.c.w)
    )
    return {int(w): float(seconds) / 60 for w, seconds in await rows_of(session, query)}
