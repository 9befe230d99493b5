"""Check-ins in the report: sent and answered each week, each check-in's week beside its four
weeks before, and each member's asks and answers."""

from __future__ import annotations

from sqlalchemy import String, and_, case, cast, func, or_, select
from sqlalchemy.sql import Subquery
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import Weeks, counted, rows_of
from storage.models import Answer, CheckIn, Identity, Occurrence, OutboxRow
from storage.report_rows import CheckinRow, Definition

# The outbox kind of the DM that asks one member to answer (bot.outbox_keys.CHECKIN_ASK; storage
# may not import the core, and a test keeps the two equal).
ASK_KIND = "checkin-ask"
PREVIOUS = 4  # weeks a check-in's rate is compared with

DEFINITIONS = (
    Definition(
        "check-ins sent",
        "Check-in requests sent for the week's occurrences: one per member asked (a DM, or"
        " a member of the audience of a check-in posted in a channel).",
    ),
    Definition(
        "check-ins answered",
        "Answers submitted to the week's check-in occurrences, whenever they were submitted.",
    ),
    Definition(
        "response rate",
        "Check-ins answered over check-ins sent, for the week's occurrences.",
    ),
    Definition(
        "member check-ins sent",
        "For one member: the check-in DMs queued for them in the week, read from the outbox,"
        " which keeps sent messages for 30 days (older weeks show 0; channel check-ins ask"
        " nobody by DM).",
    ),
)

occurrence = Occurrence.__table__  # type: ignore[attr-defined]
checkin = CheckIn.__table__  # type: ignore[attr-defined]
answer = Answer.__table__  # type: ignore[attr-defined]
outbox = OutboxRow.__table__  # type: ignore[attr-defined]
identity = Identity.__table__  # type: ignore[attr-defined]


def _answers_per_occurrence() -> Subquery:
    return (
        select(answer.c.occurrence_id, func.count().label("n"))
        .group_by(answer.c.occurrence_id)
        .subquery("answers")
    )


def _occurrences(weeks: Weeks) -> Subquery:
    """The occurrences in the weeks, with their week index, asks and answers."""
    answers = _answers_per_occurrence()
    return (
        select(
            occurrence.c.id,
            occurrence.c.checkin_id,
            weeks.index_of(occurrence.c.scheduled_for).label("w"),
            occurrence.c.sent_count.label("sent"),
            func.coalesce(answers.c.n, 0).label("answered"),
        )
        .select_from(occurrence.outerjoin(answers, answers.c.occurrence_id == occurrence.c.id))
        .where(weeks.within(occurrence.c.scheduled_for))
        .subquery("occurrences")
    )


async def checkins_by_week(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, dict[str, int]]:
    """Check-ins sent and answered for the occurrences of each week, by week index."""
    found = _occurrences(weeks)
    query = (
        select(
            found.c.w,
            func.coalesce(func.sum(found.c.sent), 0).label("sent"),
            func.coalesce(func.sum(found.c.answered), 0).label("answered"),
        )
        .select_from(found.join(checkin, checkin.c.id == found.c.checkin_id))
        .where(checkin.c.community_id == community_id)
        .group_by(found.c.w)
    )
    return {
        int(r.w): {"checkins_sent": int(r.sent), "checkins_answered": int(r.answered)}
        for r in await rows_of(session, query)
    }


async def checkin_rows(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> list[CheckinRow]:
    """Each check-in's week (occurrences, sent, answered) and its rate over the four weeks
    before; check-ins deleted before the week with nothing in it are left out."""
    found = _occurrences(Weeks(weeks.week, weeks.timezone, 1 + PREVIOUS))
    now, before = found.c.w == 0, found.c.w > 0
    query = (
        select(
            checkin.c.name,
            checkin.c.questions,
            counted(now).label("occurrences"),
            func.coalesce(func.sum(case((now, found.c.sent), else_=0)), 0).label("sent"),
            func.coalesce(func.sum(case((now, found.c.answered), else_=0)), 0).label("answered"),
            func.coalesce(func.sum(case((before, found.c.sent), else_=0)), 0).label("sent_before"),
            func.coalesce(func.sum(case((before, found.c.answered), else_=0)), 0).label(
                "answered_before"
            ),
        )
        .select_from(checkin.outerjoin(found, found.c.checkin_id == checkin.c.id))
        .where(checkin.c.community_id == community_id)
        .group_by(checkin.c.id)
        .having(or_(checkin.c.status != "deleted", func.count(found.c.id) > 0))
        .order_by(checkin.c.name, checkin.c.id)
    )
    return [
        CheckinRow(
            name=r.name,
            questions=len(r.questions or []),
            occurrences=int(r.occurrences),
            sent=int(r.sent),
            answered=int(r.answered),
            previous_rate=int(r.answered_before) / int(r.sent_before) if r.sent_before else None,
        )
        for r in await rows_of(session, query)
    ]


async def member_checkins(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, tuple[int, int]]:
    """Per member: check-in DMs queued for them in the report week (from the outbox) and their
    answers to the week's occurrences, as (answered, sent)."""
    start, end = weeks.bounds(0)
    ours = select(cast(checkin.c.id, String)).where(checkin.c.community_id == community_id)
    sent = (
        select(identity.c.member_id, func.count().label("n"))
        .select_from(
            outbox.join(
                identity,
                and_(
                    identity.c.platform == outbox.c.platform,
                    identity.c.workspace == outbox.c.workspace,
                    identity.c.user_id == outbox.c.recipient_user,
                ),
            )
        )
        .where(
            outbox.c.kind == ASK_KIND,
            outbox.c.subject.in_(ours),
            outbox.c.status != "cancelled",  # withdrawn before it went: nobody was asked
            outbox.c.created_at >= start,
            outbox.c.created_at < end,
        )
        .group_by(identity.c.member_id)
    )
    answered = (
        select(answer.c.member_id, func.count().label("n"))
        .select_from(
            answer.join(occurrence, occurrence.c.id == answer.c.occurrence_id).join(
                checkin, checkin.c.id == occurrence.c.checkin_id
            )
        )
        .where(
            checkin.c.community_id == community_id,
            occurrence.c.scheduled_for >= start,
            occurrence.c.scheduled_for < end,
        )
        .group_by(answer.c.member_id)
    )
    found: dict[int, tuple[int, int]] = {}
    for member_id, n in await rows_of(session, answered):
        found[int(member_id)] = (int(n), 0)
    for member_id, n in await rows_of(session, sent):
        found[int(member_id)] = (found.get(int(member_id), (0, 0))[0], int(n))
    return found
