"""The report's event figures: events held and attendances by week, each member's attendances in
the report week, and each event of the report's weeks with its answers and attendance (the
Events sheet). Attendance is read from ``event_attendance``, answers from ``event_rsvp`` (one
current answer a member), not from the ledger's ``rsvp`` and ``attended`` rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.sql import Subquery
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import Weeks, counted, rows_of
from storage.models import Event, EventAttendance, EventRsvp
from storage.report_rows import Definition, EventReportRow

CANCELLED = "cancelled"

DEFINITIONS = (
    Definition("events held", "Events that started in the week, cancelled ones left out."),
    Definition(
        "event attendance",
        "Attendances at the events held in the week: one for each member recorded as there (by"
        " a facilitator, or by Discord's voice channel), members who opted out included.",
    ),
    Definition(
        "going, maybe, can't go",
        "For one event: the members whose current answer is going, maybe or can't go (a member"
        " who changed their answer counts once, under the last one).",
    ),
    Definition(
        "attendance rate",
        "For one event: the members who attended over those whose answer is going (it can pass"
        " 100% when people come without saying so; empty when nobody said going, or the event"
        " was cancelled).",
    ),
    Definition(
        "events attended",
        "For one member: the events held in the week that they were recorded as attending.",
    ),
)

event = Event.__table__  # type: ignore[attr-defined]
rsvp = EventRsvp.__table__  # type: ignore[attr-defined]
attendance = EventAttendance.__table__  # type: ignore[attr-defined]


def held(community_id: int) -> ColumnElement[bool]:
    """The community's events that were not cancelled."""
    return and_(event.c.community_id == community_id, event.c.status != CANCELLED)


async def events_by_week(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, dict[str, int]]:
    """Events held (started, not cancelled) and their attendances in each week, by week index."""
    index = weeks.index_of(event.c.start_at).label("w")
    query = (
        select(
            index,
            func.count(func.distinct(event.c.id)).label("events_held"),
            func.count(attendance.c.member_id).label("event_attendance"),
        )
        .select_from(event.outerjoin(attendance, attendance.c.event_id == event.c.id))
        .where(held(community_id), weeks.within(event.c.start_at))
        .group_by(index)
    )
    rows = await rows_of(session, query)
    return {int(r.w): {"events_held": int(r[1]), "event_attendance": int(r[2])} for r in rows}


async def member_events_attended(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, int]:
    """Each member's attendances at the events held in the report week."""
    start, end = weeks.bounds(0)
    query = (
        select(attendance.c.member_id, func.count())
        .select_from(attendance.join(event, event.c.id == attendance.c.event_id))
        .where(held(community_id), event.c.start_at >= start, event.c.start_at < end)
        .group_by(attendance.c.member_id)
    )
    return {int(m): int(n) for m, n in await rows_of(session, query)}


def _answers(events: Select[Any]) -> Subquery:
    """The current answers to some events, counted by answer."""
    return (
        select(
            rsvp.c.event_id,
            counted(rsvp.c.answer == "going").label("going"),
            counted(rsvp.c.answer == "maybe").label("maybe"),
            counted(rsvp.c.answer == "no").label("cant_go"),
        )
        .where(rsvp.c.event_id.in_(events))
        .group_by(rsvp.c.event_id)
        .subquery("answers")
    )


def _attended(events: Select[Any]) -> Subquery:
    """The attendances at some events, by event."""
    return (
        select(attendance.c.event_id, func.count().label("attended"))
        .where(attendance.c.event_id.in_(events))
        .group_by(attendance.c.event_id)
        .subquery("attended")
    )


async def event_rows(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> list[EventReportRow]:
    """The events that started in the report's weeks (up to the report week's end), newest
    first, cancelled ones included and marked, with their answers and attendances."""
    in_weeks = and_(event.c.community_id == community_id, weeks.within(event.c.start_at))
    # The answers and attendances of these events only, not of every event ever.
    ours = select(event.c.id).where(in_weeks)
    answers, came = _answers(ours), _attended(ours)
    query = (
        select(
            event.c.title,
            event.c.start_at,
            event.c.status,
            event.c.series_id,
            event.c.position,
            event.c.region,
            func.coalesce(answers.c.going, 0),
            func.coalesce(answers.c.maybe, 0),
            func.coalesce(answers.c.cant_go, 0),
            func.coalesce(came.c.attended, 0),
        )
        .select_from(
            event.outerjoin(answers, answers.c.event_id == event.c.id).outerjoin(
                came, came.c.event_id == event.c.id
            )
        )
        .where(in_weeks)
        .order_by(event.c.start_at.desc(), event.c.id.desc())
    )
    return [
        EventReportRow(
            title=title,
            starts_at=starts,
            status=status,
            series_id=series,
            position=int(position),
            region=region or "",
            going=int(going),
            maybe=int(maybe),
            cant_go=int(cant_go),
            attended=int(attended),
        )
        for title, starts, status, series, position, region, going, maybe, cant_go, attended in (
            await rows_of(session, query)
        )
    ]
