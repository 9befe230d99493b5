"""A known ledger for the report's metric tests, written row by row through a session, and the
plain-Python counts the tests check the queries against (never the queries themselves)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from storage.engine import Store
from storage.models import (
    Answer,
    CheckIn,
    Community,
    Identity,
    LedgerEntry,
    Member,
    Occurrence,
    OutboxRow,
    Schedule,
    Workspace,
)
from storage.report_data import report_data
from storage.report_rows import ReportData
from storage.report_week import ReportWeek

TEAM = "T1"
_ids = itertools.count(1)


@dataclass
class Person:
    """A member as the test made them."""

    name: str
    cohort: str = "launch"
    opted_out: bool = False
    first_seen: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    id: int = 0
    user_id: str = ""


@dataclass
class Act:
    """A ledger row as the test wrote it."""

    who: Person | None  # None: someone who opted out
    kind: str
    at: datetime
    channel: str | None = "C1"
    message_ref: str | None = None
    parent_ref: str | None = None


@dataclass
class Ledger:
    """A community and everything the test wrote for it."""

    timezone: str
    community_id: int = 0
    people: list[Person] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)
    firings: list[Firing] = field(default_factory=list)

    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A wall-clock time on the community's calendar, as a UTC instant."""
        return datetime.combine(day, time(hour, minute), ZoneInfo(self.timezone)).astimezone(UTC)

    def week_back(self, at: datetime, report_monday: date) -> int:
        """How many weeks before the report week an instant's local ISO week is (0: that week)."""
        local = at.astimezone(ZoneInfo(self.timezone)).date()
        monday = local - timedelta(days=local.weekday())
        return (report_monday - monday).days // 7

    def week_end(self, report_monday: date, back: int) -> datetime:
        """The end of the week ``back`` weeks before the report's, from local Mondays."""
        return self.local(report_monday - timedelta(weeks=back - 1), 0)


async def community(store: Store, timezone: str, name: str = "cop") -> Ledger:
    """A community with one Slack workspace."""
    async with store.transaction() as session:
        made = Community(name=name, timezone=timezone, created_at=datetime(2026, 1, 1, tzinfo=UTC))
        session.add(made)
        await session.flush()
        assert made.id is not None
        session.add(Workspace(community_id=made.id, platform="slack", external_id=TEAM))
    return Ledger(timezone, made.id)


async def people(store: Store, ledger: Ledger, *persons: Person) -> list[Person]:
    """Members with one Slack account each."""
    async with store.transaction() as session:
        for person in persons:
            row = Member(
                community_id=ledger.community_id,
                display_name=person.name,
                cohort=person.cohort,
                tracking_opted_out=person.opted_out,
                first_seen=person.first_seen,
            )
            session.add(row)
            await session.flush()
            assert row.id is not None
            person.id, person.user_id = row.id, f"U{row.id}"
            session.add(
                Identity(member_id=row.id, platform="slack", workspace=TEAM, user_id=f"U{row.id}")
            )
    ledger.people += persons
    return list(persons)


async def write(store: Store, ledger: Ledger, *acts: Act) -> None:
    """Ledger rows, each as the ingest path would write it (anonymous when opted out)."""
    async with store.transaction() as session:
        for act in acts:
            member_id = None if act.who is None or act.who.opted_out else act.who.id
            session.add(
                LedgerEntry(
                    community_id=ledger.community_id,
                    member_id=member_id,
                    kind=act.kind,
                    platform="slack",
                    workspace=TEAM,
                    channel=act.channel,
                    event_id=f"ev{next(_ids)}",
                    occurred_at=act.at,
                    message_ref=act.message_ref,
                    parent_ref=act.parent_ref,
                )
            )
    ledger.acts += acts


def post(who: Person | None, at: datetime, channel: str | None = "C1") -> Act:
    """A top-level message with a platform id of its own."""
    return Act(who, "message", at, channel, message_ref=f"m{next(_ids)}")


def reply(who: Person | None, to: Act, at: datetime) -> Act:
    """A reply in a post's thread."""
    return Act(who, "reply", at, to.channel, f"r{next(_ids)}", to.message_ref)


@dataclass
class Firing:
    """A check-in occurrence as the test made it."""

    checkin: str
    at: datetime
    sent: int
    answered_by: list[Person]
    asked: list[Person] = field(default_factory=list)


async def checkin(store: Store, ledger: Ledger, name: str, firings: list[Firing]) -> int:
    """A check-in with occurrences, answers (each also a ledger act) and outbox asks."""
    async with store.transaction() as session:
        schedule = Schedule(
            community_id=ledger.community_id, expression="weekly mon 09:00", created_at=_T0
        )
        session.add(schedule)
        await session.flush()
        assert schedule.id is not None
        made = CheckIn(
            community_id=ledger.community_id,
            schedule_id=schedule.id,
            name=name,
            questions=["Learned?", "Blocked?"],
            created_at=_T0,
        )
        session.add(made)
        await session.flush()
        assert made.id is not None
        for firing in firings:
            occurrence = Occurrence(
                checkin_id=made.id,
                key=f"occ{next(_ids)}",
                scheduled_for=firing.at,
                sent_count=firing.sent,
                created_at=firing.at,
            )
            session.add(occurrence)
            await session.flush()
            for person in firing.answered_by:
                session.add(
                    Answer(
                        occurrence_id=occurrence.id,
                        member_id=person.id,
                        answers=["a", "b"],
                        submitted_at=firing.at + timedelta(hours=1),
                    )
                )
            for person in firing.asked:
                session.add(_ask(made.id, person, firing.at))
    ledger.firings += firings
    for firing in firings:
        await write(
            store,
            ledger,
            *(
                Act(p, "checkin_answer", firing.at + timedelta(hours=1), None)
                for p in firing.answered_by
            ),
        )
    return made.id


def _ask(checkin_id: int, person: Person, at: datetime) -> OutboxRow:
    payload: dict[str, Any] = {}
    return OutboxRow(
        key=f"ask{next(_ids)}",
        kind="checkin-ask",
        subject=str(checkin_id),
        platform="slack",
        workspace=TEAM,
        recipient_user=person.user_id,
        payload=payload,
        status="sent",
        not_before=at,
        created_at=at,
        sent_at=at,
    )


_T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def report(store: Store, ledger: Ledger, week: ReportWeek, now: datetime) -> ReportData:
    """The week's report, read as the report job reads it."""
    async with store.read() as session:
        return await report_data(
            session=session, community_id=ledger.community_id, week=week, now=now
        )
