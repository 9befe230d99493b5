"""Events for the report's metric tests: each with its current answers and attendances, and the
ledger rows the core writes beside them ("rsvp" for each answer given, "attended" at the
event's start for each member who came)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from storage.engine import Store
from storage.models import Event, EventAttendance, EventRsvp, EventSeries, Member
from tests.report_kit import TEAM, Act, Ledger, Person, write

_T0 = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Held:
    """An event as the test made it."""

    title: str
    at: datetime
    going: list[Person] = field(default_factory=list)
    maybe: list[Person] = field(default_factory=list)
    no: list[Person] = field(default_factory=list)
    came: list[Person] = field(default_factory=list)
    status: str = "scheduled"
    series: int | None = None  # an id from ``series``
    position: int = 0
    region: str = ""
    id: int = 0


async def series(store: Store, ledger: Ledger) -> int:
    """A weekly series."""
    async with store.transaction() as session:
        made = EventSeries(
            community_id=ledger.community_id,
            repeat="weekly",
            first_start=_T0,
            timezone=ledger.timezone,
            created_at=_T0,
        )
        session.add(made)
        await session.flush()
        assert made.id is not None
        return made.id


async def events(store: Store, ledger: Ledger, *held: Held, ledger_rows: bool = True) -> None:
    """The events with their answers and attendances and (``ledger_rows``) the ledger's rows."""
    async with store.transaction() as session:
        for item in held:
            row = Event(
                community_id=ledger.community_id,
                series_id=item.series,
                position=item.position,
                title=item.title,
                start_at=item.at,
                timezone=ledger.timezone,
                region=item.region,
                platform="slack",
                workspace=TEAM,
                channel="C9",
                status=item.status,
                created_at=_T0,
                updated_at=_T0,
            )
            session.add(row)
            await session.flush()
            assert row.id is not None
            item.id = row.id
            for answer, who in _answers(item):
                session.add(
                    EventRsvp(
                        event_id=row.id,
                        member_id=who.id,
                        answer=answer,
                        answered_at=item.at - timedelta(days=1),
                    )
                )
            for who in item.came:
                session.add(EventAttendance(event_id=row.id, member_id=who.id, recorded_at=item.at))
    if ledger_rows:
        acts = [
            Act(who, "rsvp", e.at - timedelta(days=1), "C9") for e in held for _, who in _answers(e)
        ]
        acts += [Act(who, "attended", e.at, "C9") for e in held for who in e.came]
        await write(store, ledger, *acts)


def _answers(item: Held) -> list[tuple[str, Person]]:
    return [
        *(("going", p) for p in item.going),
        *(("maybe", p) for p in item.maybe),
        *(("no", p) for p in item.no),
    ]


async def timezones(store: Store, *zones: tuple[Person, str | None]) -> None:
    """Set members' own timezones."""
    async with store.transaction() as session:
        for person, zone in zones:
            row = await session.get(Member, person.id)
            assert row is not None
            row.timezone = zone
            session.add(row)
