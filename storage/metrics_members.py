"""Members in the report: each one's level of participation over the last four weeks (and the
four before, for who is sliding), the Members sheet's rows, and the anonymous totals."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, func, not_, select
from sqlalchemy.sql import Subquery
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import (
    CONTRIBUTIONS,
    REACTION,
    Weeks,
    counted,
    ledger,
    member_weeks,
    of_community,
    rows_of,
)
from storage.models import Identity, Member
from storage.report_rows import LEVELS, AnonymousTotals, Definition, Levels, MemberRow

SPAN = 4  # a level is read over this many weeks
CORE_WEEKS = 3  # weeks with a contribution, of the SPAN, that make a member core

DEFINITIONS = (
    Definition(
        "core",
        "Members who took part (contributed or attended an event) in at least 3 of the last 4"
        " weeks.",
    ),
    Definition(
        "active (level)",
        "Members who took part (contributed or attended an event) in 1 or 2 of the last 4 weeks.",
    ),
    Definition("peripheral (level)", "Members who only reacted in the last 4 weeks."),
    Definition(
        "inactive (level)",
        "Members who neither took part nor reacted in the last 4 weeks (an RSVP alone leaves a"
        " member inactive).",
    ),
    Definition(
        "last active",
        "When the member last contributed (a message, reply or check-in answer), up to the"
        " week's end.",
    ),
    Definition(
        "anonymous",
        "Members who opted out of tracking and what was done anonymously in the week: their"
        " acts count in the totals, never under a name.",
    ),
)

member = Member.__table__  # type: ignore[attr-defined]
identity = Identity.__table__  # type: ignore[attr-defined]


def _level(weeks: ColumnElement[int], reacted: ColumnElement[int]) -> ColumnElement[str]:
    core, active, peripheral, inactive = LEVELS
    return case(
        (weeks >= CORE_WEEKS, core),
        (weeks >= 1, active),
        (reacted > 0, peripheral),
        else_=inactive,
    )


def member_levels(*, community_id: int, weeks: Weeks) -> Subquery:
    """Each tracked member known by the week's end with ``level`` (the report's four weeks)
    and ``level_before`` (the four weeks before them)."""
    eight = Weeks(weeks.week, weeks.timezone, 2 * SPAN)
    acts = member_weeks(community_id=community_id, weeks=eight, name="acts")
    recent, before = acts.c.w < SPAN, acts.c.w >= SPAN
    return (
        select(
            member.c.id.label("member_id"),
            _level(
                counted(and_(recent, acts.c.took_part > 0)),
                counted(and_(recent, acts.c.reacted > 0)),
            ).label("level"),
            _level(
                counted(and_(before, acts.c.took_part > 0)),
                counted(and_(before, acts.c.reacted > 0)),
            ).label("level_before"),
        )
        .select_from(member.outerjoin(acts, acts.c.member_id == member.c.id))
        .where(
            member.c.community_id == community_id,
            not_(member.c.tracking_opted_out),
            member.c.first_seen < weeks.end,
        )
        .group_by(member.c.id)
        .subquery("levels")
    )


async def levels(*, session: AsyncSession, community_id: int, weeks: Weeks) -> Levels:
    """How many tracked members are at each level over the report's four weeks."""
    found = member_levels(community_id=community_id, weeks=weeks)
    query = select(found.c.level, func.count()).group_by(found.c.level)
    counts = {str(level): int(n) for level, n in await rows_of(session, query)}
    return Levels(*(counts.get(level, 0) for level in LEVELS))


async def member_rows(
    *,
    session: AsyncSession,
    community_id: int,
    weeks: Weeks,
    checkins: dict[int, tuple[int, int]],
    prompt_replies: dict[int, int] | None = None,
    events_attended: dict[int, int] | None = None,
) -> list[MemberRow]:
    """One row per tracked member known by the week's end: their account (the first one
    recorded), cohort, level, the week's acts, first seen and last active."""
    start, end = weeks.bounds(0)
    level = member_levels(community_id=community_id, weeks=weeks)
    week_acts = (
        select(
            ledger.c.member_id,
            counted(ledger.c.kind == "message").label("messages"),
            counted(ledger.c.kind == "reply").label("replies"),
            counted(ledger.c.kind == REACTION).label("reactions"),
        )
        .where(
            of_community(community_id), ledger.c.occurred_at >= start, ledger.c.occurred_at < end
        )
        .group_by(ledger.c.member_id)
        .subquery("week_acts")
    )
    last = (
        select(ledger.c.member_id, func.max(ledger.c.occurred_at).label("at"))
        .where(
            of_community(community_id),
            ledger.c.kind.in_(CONTRIBUTIONS),
            ledger.c.occurred_at < end,
        )
        .group_by(ledger.c.member_id)
        .subquery("last")
    )
    first_account = (
        select(identity.c.member_id, func.min(identity.c.id).label("id"))
        .group_by(identity.c.member_id)
        .subquery("first_account")
    )
    query = (
        select(
            member.c.id,
            member.c.display_name,
            identity.c.platform,
            identity.c.user_id,
            member.c.cohort,
            level.c.level,
            func.coalesce(week_acts.c.messages, 0).label("messages"),
            func.coalesce(week_acts.c.replies, 0).label("replies"),
            func.coalesce(week_acts.c.reactions, 0).label("reactions"),
            member.c.first_seen,
            last.c.at.label("last_active"),
        )
        .select_from(
            member.join(level, level.c.member_id == member.c.id)
            .outerjoin(first_account, first_account.c.member_id == member.c.id)
            .outerjoin(identity, identity.c.id == first_account.c.id)
            .outerjoin(week_acts, week_acts.c.member_id == member.c.id)
            .outerjoin(last, last.c.member_id == member.c.id)
        )
        .order_by(func.lower(member.c.display_name), member.c.id)
    )
    return [
        MemberRow(
            display_name=r.display_name,
            platform=r.platform or "",
            user_id=r.user_id or "",
            cohort=r.cohort,
            level=r.level,
            messages=int(r.messages),
            replies=int(r.replies),
            reactions=int(r.reactions),
            checkins_answered=checkins.get(r.id, (0, 0))[0],
            checkins_sent=checkins.get(r.id, (0, 0))[1],
            prompt_replies=(prompt_replies or {}).get(r.id, 0),
            events_attended=(events_attended or {}).get(r.id, 0),
            first_seen=r.first_seen,
            last_active=r.last_active,
        )
        for r in await rows_of(session, query)
    ]


async def anonymous_totals(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> AnonymousTotals:
    """Members who opted out (known by the week's end) and the week's anonymous acts."""
    start, end = weeks.bounds(0)
    people = select(func.count()).where(
        member.c.community_id == community_id,
        member.c.tracking_opted_out,
        member.c.first_seen < end,
    )
    acts = select(
        counted(ledger.c.kind == "message"),
        counted(ledger.c.kind == "reply"),
        counted(ledger.c.kind == REACTION),
    ).where(
        of_community(community_id),
        ledger.c.member_id.is_(None),
        ledger.c.occurred_at >= start,
        ledger.c.occurred_at < end,
    )
    ((members,),) = await rows_of(session, people)
    ((messages, replies, reactions),) = await rows_of(session, acts)
    return AnonymousTotals(int(members), int(messages), int(replies), int(reactions))
