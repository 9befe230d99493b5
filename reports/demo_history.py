"""Twelve weeks of plausible history for a demo community, written into a store in bulk: members in
a pilot and a launch cohort with uneven habits (a core, a periphery, newcomers, churn), their
messages, thread replies and reactions, a charter, roles, two check-ins with their answers,
events (a rotating series, a webinar, one coming up) with their answers and attendance, and the
welcomes, pairing rounds and nudges of the launch, and two surveys with their answers.

Deterministic for a seed and a ``now`` (no wall clock); the same generator at a larger ``Scale``
makes the report benchmark's store. Write it into a store nobody else writes to meanwhile: ids
are chosen here, after the highest ones already there.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime
from typing import TextIO

from sqlmodel import col, func, select

from bot.progress import progress
from reports.demo_acts import LEDGER_COLUMNS, Placed, WeekOfActs
from reports.demo_care import write_care
from reports.demo_checkins import plan_checkins
from reports.demo_events import plan_events
from reports.demo_knowledge import write_knowledge
from reports.demo_members import facilitator_of, write_members
from reports.demo_people import (
    WORKSPACES,
    Person,
    Scale,
    event_groups_for,
    plan_people,
    with_home_zones,
)
from reports.demo_rhythm import instant_in
from reports.demo_setting import intensity_for, pulses
from reports.demo_surveys import write_surveys
from storage import directory
from storage.bulk_rows import follow_ids, insert_rows
from storage.engine import Store
from storage.models import (
    CheckIn,
    Event,
    EventSeries,
    Member,
    Occurrence,
    Schedule,
    Workspace,
)
from storage.report_week import ReportWeek

DEMO = Scale()
BENCHMARK = Scale(
    members=5000,
    pilot=500,
    checkins=20,
    ledger_rows=1_000_000,
    event_groups=event_groups_for(5000),
)


@dataclass(frozen=True)
class History:
    """What was written: the community, the weeks it spans and how many rows of each kind."""

    community_id: int
    community: str
    timezone: str
    first_week: ReportWeek  # the first week with history
    last_full_week: ReportWeek  # the latest complete week before ``now``: the one to report
    members: int
    ledger_rows: int
    checkins: int
    occurrences: int
    answers: int
    events: int


async def write_history(
    store: Store,
    *,
    now: datetime,
    seed: int = 10,
    scale: Scale = DEMO,
    name: str = "demo",
    timezone: str = "Europe/Berlin",
    stream: TextIO | None = None,
    fast: bool = True,
) -> History:
    """Create community ``name`` with ``scale.weeks`` full weeks of history before the week of
    ``now`` (and that week up to ``now``), showing a progress bar on a terminal. ``fast``:
    each backend's bulk path (False: SQLAlchemy Core's executemany, to compare)."""
    rng = random.Random(seed)
    people = plan_people(rng, scale)
    # Timezones from a stream of their own, so that everything drawn from the seed's main
    # stream (the acts, the check-ins) stays as it was before members had timezones.
    people = with_home_zones(random.Random(f"{seed}:zones"), people)
    this_week = ReportWeek.containing(now, timezone)
    first = this_week.shifted(-scale.weeks)
    mondays = [first.shifted(n).monday for n in range(scale.weeks + 1)]
    with progress(len(mondays) + 2, f"Writing {scale.weeks} weeks of {name}", stream=stream) as bar:
        community_id, ids = await _community(store, name, timezone, first.start(timezone))
        placed = [_placed(p, ids["member"] + p.index, first, timezone) for p in people]
        await write_members(store, community_id, placed, fast)
        bar.advance()
        week_pulses = pulses(rng, scale)
        intensity = intensity_for(scale, people, week_pulses)
        acts = WeekOfActs(rng, community_id, WORKSPACES, timezone, now, intensity)
        written = 0
        for number, pulse in enumerate(week_pulses):
            rows = acts.rows(placed, mondays[number], pulse, number)
            written += await insert_rows(
                store=store, table="ledger", rows=rows, columns=LEDGER_COLUMNS, fast=fast
            )
            bar.advance()
        count = {"checkins": 0, "occurrences": 0, "answers": 0}
        for checkin in plan_checkins(
            rng,
            count=scale.checkins,
            community_id=community_id,
            timezone=timezone,
            mondays=mondays,
            members=placed,
            creator=facilitator_of(placed),
            now=now,
            first_ids=ids,
        ):
            for table, table_rows in (
                ("schedule", checkin.schedules),
                ("checkin", checkin.checkins),
                ("occurrence", checkin.occurrences),
                ("answer", checkin.answers),
                ("outbox", checkin.asks),
            ):
                await insert_rows(store=store, table=table, rows=table_rows, fast=fast)
            count["checkins"] += len(checkin.checkins)
            count["occurrences"] += len(checkin.occurrences)
            count["answers"] += len(checkin.answers)
        count["events"], event_rows = await _events(
            store, rng, scale, community_id, timezone, mondays, placed, now, ids, fast
        )
        written += event_rows
        care = await write_care(
            store, rng, community_id, timezone, mondays, scale.launch_week, placed, now, fast
        )
        # A stream of its own, so that the rest of the history stays as it was before.
        knowledge = await write_knowledge(
            store, random.Random(f"{seed}:knowledge"), community_id, placed, now, fast
        )
        written += await insert_rows(
            store=store, table="ledger", rows=care + knowledge, columns=LEDGER_COLUMNS, fast=fast
        )
        facilitator = facilitator_of(placed)
        surveyed = await write_surveys(
            store, seed, community_id, timezone, placed, facilitator, now, fast
        )
        written += await insert_rows(
            store=store, table="ledger", rows=surveyed, columns=LEDGER_COLUMNS, fast=fast
        )
        await follow_ids(
            store=store,
            tables=[
                "member",
                "schedule",
                "checkin",
                "occurrence",
                "event_series",
                "event",
                "survey",
            ],
        )
        bar.advance()
    return History(
        community_id=community_id,
        community=name,
        timezone=timezone,
        first_week=first,
        last_full_week=this_week.shifted(-1),
        members=len(placed),
        ledger_rows=written,
        checkins=count["checkins"],
        occurrences=count["occurrences"],
        answers=count["answers"],
        events=count["events"],
    )


async def _community(
    store: Store, name: str, timezone: str, start: datetime
) -> tuple[int, dict[str, int]]:
    """The community and its workspaces, and the first free id of each table given ids here."""
    async with store.transaction() as session:
        community = await directory.add_community(
            session=session, name=name, timezone=timezone, now=start
        )
        assert community.id is not None
        for platform, workspace in WORKSPACES.items():
            session.add(
                Workspace(community_id=community.id, platform=platform, external_id=workspace)
            )
        ids = {}
        for key, table in (
            ("member", Member),
            ("schedule", Schedule),
            ("checkin", CheckIn),
            ("occurrence", Occurrence),
            ("event_series", EventSeries),
            ("event", Event),
        ):
            top = (await session.exec(select(func.max(col(table.id))))).one()
            ids[key] = (top or 0) + 1
        return community.id, ids


async def _events(
    store: Store,
    rng: random.Random,
    scale: Scale,
    community_id: int,
    timezone: str,
    mondays: list[date],
    placed: list[Placed],
    now: datetime,
    ids: dict[str, int],
    fast: bool,
) -> tuple[int, int]:
    """The events with their answers, attendance, announcements and the jobs still ahead of them
    (reminders, the series' next occurrence); how many events, and how many ledger rows their
    answers and attendances made."""
    made = ledger_rows = 0
    for group in plan_events(
        rng,
        groups=scale.event_groups,
        community_id=community_id,
        timezone=timezone,
        mondays=mondays,
        members=placed,
        facilitator=facilitator_of(placed),
        now=now,
        first_ids=ids,
    ):
        for table, table_rows in (
            ("event_series", group.series),
            ("event", group.events),
            ("event_rsvp", list(group.rsvps.values())),
            ("event_attendance", group.attendances),
            ("outbox", group.announcements),
            ("scheduled_job", group.jobs),
        ):
            await insert_rows(store=store, table=table, rows=table_rows, fast=fast)
        group.ledger.sort(key=lambda row: row[7])  # in the order copbot counted them
        ledger_rows += await insert_rows(
            store=store, table="ledger", rows=group.ledger, columns=LEDGER_COLUMNS, fast=fast
        )
        made += len(group.events)
    return made, ledger_rows


def _placed(person: Person, member_id: int, first: ReportWeek, timezone: str) -> Placed:
    monday = first.shifted(person.joined_week).monday
    until = None
    if person.last_week is not None:
        until = first.shifted(person.last_week + 1).start(timezone)
    return Placed(person, member_id, instant_in(monday, person.joined_offset, timezone), until)
