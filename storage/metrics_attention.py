"""What needs attention this week: at most five things a facilitator can act on, each found by
a query with its definition beside it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_events import event, held, rsvp
from storage.metrics_members import member_levels
from storage.metrics_replies import in_thread_of, someone_else
from storage.metrics_sql import Weeks, dialect_of, epoch, ledger, rows_of
from storage.models import Member
from storage.report_rows import LEVELS, Attention, CheckinRow, Definition

MOST = 5
ANSWER_WITHIN = timedelta(hours=48)
DROP = 2 / 3  # a rate at or below two thirds of the one before has fallen by a third
SOON = timedelta(days=7)  # events this soon after the week's end are worth a nudge
FEW_GOING = 3  # fewer members going than this is few

DEFINITIONS = (
    Definition(
        "unanswered newcomer",
        "A member whose first top-level post ever was in the week, at least 48 hours ago, and"
        " got no reply in its thread from someone else within 48 hours.",
    ),
    Definition(
        "sliding member",
        "A member who was core or active in the 4 weeks before the last 4 and is peripheral"
        " or inactive in the last 4.",
    ),
    Definition(
        "check-in drop",
        "A check-in whose response rate this week is at most two thirds of its rate over the"
        " 4 weeks before.",
    ),
    Definition(
        "few RSVPs",
        "An event (not cancelled) starting in the 7 days after the week's end, not yet begun"
        " when the report was made, that fewer than 3 members said they are going to.",
    ),
)

member = Member.__table__  # type: ignore[attr-defined]


async def unanswered_newcomers(
    *, session: AsyncSession, community_id: int, weeks: Weeks, now: datetime
) -> list[Attention]:
    """Newcomers whose first post (in the week, 48 hours old) got no reply in 48 hours."""
    start, end = weeks.bounds(0)
    dialect = dialect_of(session)
    firsts = (
        select(ledger.c.member_id, func.min(ledger.c.occurred_at).label("at"))
        .where(
            ledger.c.community_id == community_id,
            ledger.c.kind == "message",
            ledger.c.member_id.is_not(None),
        )
        .group_by(ledger.c.member_id)
        .having(
            and_(
                func.min(ledger.c.occurred_at) >= start,
                func.min(ledger.c.occurred_at) < min(end, now - ANSWER_WITHIN),
            )
        )
        .subquery("firsts")
    )
    post, reply = ledger.alias("post"), ledger.alias("reply")
    answered = exists().where(
        in_thread_of(reply, post),
        someone_else(reply, post),
        reply.c.occurred_at >= post.c.occurred_at,
        epoch(reply.c.occurred_at, dialect) - epoch(post.c.occurred_at, dialect)
        <= int(ANSWER_WITHIN.total_seconds()),
    )
    query = (
        select(member.c.display_name, firsts.c.at)
        .select_from(
            firsts.join(
                post,
                and_(
                    post.c.member_id == firsts.c.member_id,
                    post.c.occurred_at == firsts.c.at,
                    post.c.kind == "message",
                    post.c.community_id == community_id,
                ),
            ).join(member, member.c.id == firsts.c.member_id)
        )
        .where(post.c.message_ref.is_not(None), ~answered)
        .distinct()
        .order_by(firsts.c.at, member.c.display_name)
        .limit(MOST)
    )
    zone = ZoneInfo(weeks.timezone)
    return [
        Attention(
            "unanswered-newcomer",
            name,
            f"Posted for the first time on {at.astimezone(zone):%a %d %b %H:%M} and got no"
            " reply within 48 hours: a welcome would help.",
        )
        for name, at in await rows_of(session, query)
    ]


async def sliding_members(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> list[Attention]:
    """Members core or active in the four weeks before, peripheral or inactive now."""
    core, active, peripheral, inactive = LEVELS
    found = member_levels(community_id=community_id, weeks=weeks)
    query = (
        select(member.c.display_name, found.c.level_before, found.c.level)
        .select_from(found.join(member, member.c.id == found.c.member_id))
        .where(found.c.level_before.in_((core, active)), found.c.level.in_((peripheral, inactive)))
        .order_by(case((found.c.level_before == core, 0), else_=1), member.c.display_name)
        .limit(MOST)
    )
    return [
        Attention(
            "sliding-member",
            name,
            f"Was {before} in the 4 weeks before, {level} in the last 4: a word might help.",
        )
        for name, before, level in await rows_of(session, query)
    ]


def checkin_drops(rows: list[CheckinRow]) -> list[Attention]:
    """Check-ins whose rate fell by a third (over the rows the check-in query returned)."""
    return [
        Attention(
            "checkin-drop",
            row.name,
            f"Answered by {row.rate:.0%} this week against {row.previous_rate:.0%} over the"
            " 4 weeks before: ask whether its questions or its time still fit.",
        )
        for row in rows
        if row.rate is not None and row.previous_rate and row.rate <= row.previous_rate * DROP
    ][:MOST]


async def few_rsvps(
    *, session: AsyncSession, community_id: int, weeks: Weeks, now: datetime
) -> list[Attention]:
    """Events of the coming week (not begun by now) with fewer than three members going."""
    start = max(weeks.end, now)
    going = func.count(rsvp.c.member_id)
    query = (
        select(event.c.title, event.c.start_at, going.label("going"))
        .select_from(
            event.outerjoin(rsvp, and_(rsvp.c.event_id == event.c.id, rsvp.c.answer == "going"))
        )
        .where(held(community_id), event.c.start_at >= start, event.c.start_at < weeks.end + SOON)
        .group_by(event.c.id, event.c.title, event.c.start_at)
        .having(going < FEW_GOING)
        .order_by(event.c.start_at, event.c.id)
        .limit(MOST)
    )
    zone = ZoneInfo(weeks.timezone)
    return [
        Attention(
            "few-rsvps",
            title,
            f"Starts {at.astimezone(zone):%a %d %b %H:%M} with"
            f" {'nobody going yet' if n == 0 else f'only {n} going'}: a reminder in its"
            " channel, or a personal invitation, might bring more people.",
        )
        for title, at, n in await rows_of(session, query)
    ]


async def attention(
    *,
    session: AsyncSession,
    community_id: int,
    weeks: Weeks,
    now: datetime,
    checkins: list[CheckinRow],
) -> list[Attention]:
    """At most five items: unanswered newcomers first, then check-in drops, then events with
    few RSVPs (they cannot wait), then sliders."""
    items = await unanswered_newcomers(
        session=session, community_id=community_id, weeks=weeks, now=now
    )
    items += checkin_drops(checkins)
    items += await few_rsvps(session=session, community_id=community_id, weeks=weeks, now=now)
    items += await sliding_members(session=session, community_id=community_id, weeks=weeks)
    return items[:MOST]
