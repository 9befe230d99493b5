"""The Activity sheet: the report week's acts by weekday and hour on the community's clock.

SQLite knows no timezones, so the week is split in Python into the spans in which the zone's
UTC offset is constant (zoneinfo says where daylight saving time changes it), and the query
shifts each act by its span's offset (CASE) before counting hours since local Monday 00:00.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, ColumnElement, case, func, literal_column, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import Weeks, dialect_of, epoch, ledger, of_community, rows_of
from storage.report_rows import ActivityCell, Definition

DEFINITIONS = (
    Definition(
        "activity",
        "Messages, replies, reactions and check-in answers in the week, by weekday and hour"
        " on the community's clock (joins and leaves are not acts).",
    ),
)
ACTS = ("message", "reply", "reaction", "checkin_answer")


def offset_spans(start: datetime, end: datetime, timezone: str) -> list[tuple[datetime, int]]:
    """Where each span of constant UTC offset begins, with the offset in seconds, from
    ``start`` to ``end`` (UTC instants): one span, or more when DST changes in between."""
    zone = ZoneInfo(timezone)

    def offset(at: datetime) -> int:
        delta = at.astimezone(zone).utcoffset()
        return int(delta.total_seconds()) if delta else 0

    spans = [(start, offset(start))]
    at = start
    while at < end:
        step = min(at + timedelta(hours=1), end)
        if offset(step) != spans[-1][1]:
            # The change lies within this hour: find its minute by halving.
            low, high = at, step
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if offset(middle) == spans[-1][1] else (low, middle)
            spans.append((high, offset(high)))
        at = step
    return spans


def _inline(value: int) -> ColumnElement[int]:
    # Numbers computed here, inlined: a CASE of bare parameters has no type on PostgreSQL.
    return literal_column(str(value), BigInteger)


def local_hour(instant: Any, start: datetime, end: datetime, timezone: str, dialect: str) -> Any:
    """Hours from local Monday 00:00 to a time column, on the wall clock (0 .. 167)."""
    spans = offset_spans(start, end, timezone)
    first = spans[0][1]
    if len(spans) == 1:
        shift: ColumnElement[int] = _inline(0)
    else:
        whens = [
            (instant < begins, _inline(spans[n][1] - first))
            for n, (begins, _) in enumerate(spans[1:])
        ]
        shift = case(*whens, else_=_inline(spans[-1][1] - first))
    seconds = epoch(instant, dialect) - _inline(int(start.timestamp())) + shift
    return seconds // _inline(3600)


async def activity_cells(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> list[ActivityCell]:
    """The report week's acts by weekday (0 Monday) and hour, only the hours with acts."""
    start, end = weeks.bounds(0)
    hour = local_hour(ledger.c.occurred_at, start, end, weeks.timezone, dialect_of(session))
    query = (
        select(hour.label("hour"), func.count().label("acts"))
        .where(
            of_community(community_id),
            ledger.c.kind.in_(ACTS),
            ledger.c.occurred_at >= start,
            ledger.c.occurred_at < end,
        )
        .group_by(hour)
        .order_by(hour)
    )
    return [
        ActivityCell(weekday=int(h) // 24, hour=int(h) % 24, acts=int(n))
        for h, n in await rows_of(session, query)
    ]
