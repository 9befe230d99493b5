"""Queries about events: the events and series themselves, the answers people give, who came."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    Event,
    EventAttendance,
    EventRsvp,
    EventSeries,
    Identity,
    Member,
    OutboxRow,
)

ANSWERS = ("going", "maybe", "no")
EVENT_NATIVE_KIND = "event-native"  # the outbox kind of a native event (bot/outbox_keys.py)
LISTED = 100  # events one list shows at most


@dataclass(frozen=True)
class Counts:
    """How many answered each way, and how many came."""

    going: int = 0
    maybe: int = 0
    no: int = 0
    attended: int = 0


async def add_event(*, session: AsyncSession, event: Event) -> Event:
    """Store a new event and give it its id."""
    session.add(event)
    await session.flush()
    return event


async def event_in(*, session: AsyncSession, community_id: int, event_id: int) -> Event | None:
    """One community's event by its number."""
    event = await session.get(Event, event_id)
    return event if event is not None and event.community_id == community_id else None


async def event_by_id(*, session: AsyncSession, event_id: int) -> Event | None:
    """An event by its id, whichever community it belongs to (for jobs and buttons)."""
    return await session.get(Event, event_id)


async def event_to_answer(
    *, session: AsyncSession, community_id: int, event_id: int
) -> Event | None:
    """One community's event, locked until the transaction ends (PostgreSQL; SQLite holds its
    write lock already), so that answers given at the same moment count one after another and
    the last edit of the announcement shows every one of them."""
    query = (
        select(Event)
        .where(col(Event.id) == event_id, col(Event.community_id) == community_id)
        .with_for_update()
    )
    return (await session.exec(query)).first()


async def event_by_native(
    *, session: AsyncSession, platform: str, workspace: str, native_id: str
) -> Event | None:
    """The event whose platform-native scheduled event has this id (its outbox row's sent id)."""
    query = (
        select(Event)
        .join(OutboxRow, col(OutboxRow.key) == col(Event.native_key))
        .where(
            col(OutboxRow.kind) == EVENT_NATIVE_KIND,  # ix_outbox_kind_subject narrows it
            col(OutboxRow.platform) == platform,
            col(OutboxRow.workspace) == workspace,
            col(OutboxRow.platform_message_id) == native_id,
        )
        .with_for_update(of=Event)
    )
    return (await session.exec(query)).first()


async def held_in_voice(
    *,
    session: AsyncSession,
    platform: str,
    workspace: str,
    channel: str,
    since: datetime,
    until: datetime,
) -> list[Event]:
    """The scheduled (not cancelled) events held in a voice channel that start between
    ``since`` and ``until``, soonest first."""
    query = (
        select(Event)
        .where(
            col(Event.voice_channel) == channel,
            col(Event.start_at) >= since,
            col(Event.start_at) <= until,
            col(Event.platform) == platform,
            col(Event.workspace) == workspace,
            col(Event.status) == "scheduled",
        )
        .order_by(col(Event.start_at), col(Event.id))
    )
    return list((await session.exec(query)).all())


async def events_from(
    *, session: AsyncSession, community_id: int, since: datetime
) -> list[tuple[Event, Counts]]:
    """A community's events starting from ``since``, soonest first, each with its counts."""
    events = (
        await session.exec(
            select(Event)
            .where(col(Event.community_id) == community_id, col(Event.start_at) >= since)
            .order_by(col(Event.start_at), col(Event.id))
            .limit(LISTED)
        )
    ).all()
    counts = await counts_of(session=session, event_ids=[e.id for e in events if e.id])
    return [(e, counts.get(e.id or 0, Counts())) for e in events]


async def counts_of(*, session: AsyncSession, event_ids: Iterable[int]) -> dict[int, Counts]:
    """Answers by kind and attendance, per event, counted in SQL."""
    ids = list(event_ids)
    if not ids:
        return {}
    answers: dict[int, dict[str, int]] = {i: {} for i in ids}
    rows = await session.exec(
        select(EventRsvp.event_id, EventRsvp.answer, func.count())
        .where(col(EventRsvp.event_id).in_(ids))
        .group_by(col(EventRsvp.event_id), col(EventRsvp.answer))
    )
    for event_id, answer, count in rows.all():
        answers[event_id][answer] = count
    came = dict(
        (
            await session.exec(
                select(EventAttendance.event_id, func.count())
                .where(col(EventAttendance.event_id).in_(ids))
                .group_by(col(EventAttendance.event_id))
            )
        ).all()
    )
    return {
        i: Counts(
            going=answers[i].get("going", 0),
            maybe=answers[i].get("maybe", 0),
            no=answers[i].get("no", 0),
            attended=came.get(i, 0),
        )
        for i in ids
    }


async def rsvp_of(*, session: AsyncSession, event_id: int, member_id: int) -> EventRsvp | None:
    """A member's current answer to an event."""
    return await session.get(EventRsvp, (event_id, member_id))


async def set_rsvp(
    *, session: AsyncSession, event_id: int, member_id: int, answer: str, source: str, at: datetime
) -> None:
    """Record a member's answer, replacing any before (one row per member and event)."""
    rsvp = await rsvp_of(session=session, event_id=event_id, member_id=member_id)
    if rsvp is None:
        rsvp = EventRsvp(event_id=event_id, member_id=member_id, answer=answer, answered_at=at)
    rsvp.answer, rsvp.source, rsvp.answered_at = answer, source, at
    session.add(rsvp)
    await session.flush()


async def clear_rsvp(*, session: AsyncSession, event_id: int, member_id: int) -> None:
    """Forget a member's answer (an *Interested* taken back)."""
    await session.exec(
        delete(EventRsvp).where(
            col(EventRsvp.event_id) == event_id, col(EventRsvp.member_id) == member_id
        )
    )


async def accounts_answering(
    *, session: AsyncSession, event: Event, answers: Sequence[str], pilot_only: bool = False
) -> list[tuple[int, str, str, str]]:
    """(member, platform, workspace, user) of those who answered one of ``answers``, on the
    platform and workspace where the event was announced (``pilot_only``: of the pilot cohort)."""
    query = (
        select(Identity.member_id, Identity.platform, Identity.workspace, Identity.user_id)
        .join(EventRsvp, col(EventRsvp.member_id) == col(Identity.member_id))
        .where(
            col(EventRsvp.event_id) == event.id,
            col(EventRsvp.answer).in_(answers),
            col(Identity.platform) == event.platform,
            col(Identity.workspace) == event.workspace,
        )
        .order_by(col(Identity.member_id))
    )
    if pilot_only:
        query = query.join(Member, col(Member.id) == col(Identity.member_id)).where(
            col(Member.cohort) == "pilot"
        )
    return list((await session.exec(query)).all())


async def record_attendance(
    *,
    session: AsyncSession,
    event_id: int,
    member_ids: Iterable[int],
    how: str,
    recorded_by: int | None,
    at: datetime,
) -> int:
    """Record who came (someone recorded twice stays one row); how many were new."""
    rows = [
        {
            "event_id": event_id,
            "member_id": m,
            "how": how,
            "recorded_by": recorded_by,
            "recorded_at": at,
        }
        for m in dict.fromkeys(member_ids)
    ]
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(EventAttendance).values(rows).on_conflict_do_nothing()
    result = await session.exec(statement)
    return int(result.rowcount or 0)


async def members_by_id(*, session: AsyncSession, member_ids: Iterable[int]) -> list[Member]:
    """Members by id, in the order given."""
    ids = list(dict.fromkeys(member_ids))
    found = {
        m.id: m for m in (await session.exec(select(Member).where(col(Member.id).in_(ids)))).all()
    }
    return [found[i] for i in ids if i in found]


async def add_series(*, session: AsyncSession, series: EventSeries) -> EventSeries:
    """Store a new series and give it its id."""
    session.add(series)
    await session.flush()
    return series


async def series_by_id(*, session: AsyncSession, series_id: int) -> EventSeries | None:
    """A series by its id."""
    return await session.get(EventSeries, series_id)


async def latest_of_series(*, session: AsyncSession, series_id: int) -> Event | None:
    """The series' occurrence furthest along (the one the next is made from)."""
    query = (
        select(Event)
        .where(col(Event.series_id) == series_id)
        .order_by(col(Event.position).desc())
        .limit(1)
    )
    return (await session.exec(query)).first()
