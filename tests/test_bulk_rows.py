"""Bulk inserts for generated histories: each backend's own bulk path and SQLAlchemy Core's
store the same values as the ORM reads them back, and ids given here are followed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from storage.bulk_rows import follow_ids, insert_rows
from storage.engine import Store
from storage.models import Answer, CheckIn, Community, LedgerEntry, Member, Occurrence, Schedule

AT = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)


async def _community(store: Store) -> int:
    async with store.transaction() as session:
        community = Community(name="bulk", timezone="Europe/Berlin", created_at=AT)
        session.add(community)
        await session.flush()
        assert community.id is not None
        return community.id


@pytest.mark.parametrize("fast", [True, False], ids=["bulk-path", "core"])
async def test_rows_read_back_as_written(store: Store, fast: bool) -> None:
    community = await _community(store)
    members = [
        {"id": 10 + n, "community_id": community, "display_name": name, "timezone": None,
         "cohort": cohort, "tracking_opted_out": opted, "away_until": None,
         "first_seen": AT + timedelta(minutes=n), "platform_admin": None}
        for n, (name, cohort, opted) in enumerate(
            [("Lena Fischer", "pilot", False), ("=HYPERLINK(\"x\")", "launch", True)]
        )
    ]  # fmt: skip
    assert await insert_rows(store=store, table="member", rows=members, fast=fast) == 2
    ledger = [
        (community, 10, "message", "slack", "T1", "C1", f"Ev{n}", AT + timedelta(seconds=n),
         f"1764545400.00000{n}", None)
        for n in range(3)
    ]  # fmt: skip
    columns = ("community_id", "member_id", "kind", "platform", "workspace", "channel")
    columns += ("event_id", "occurred_at", "message_ref", "parent_ref")
    assert (
        await insert_rows(store=store, table="ledger", rows=ledger, columns=columns, fast=fast) == 3
    )
    schedule = {"id": 5, "community_id": community, "expression": "mon 09:30",
                "local_time": False, "active": True, "created_at": AT}  # fmt: skip
    checkin = {"id": 6, "community_id": community, "schedule_id": 5, "name": "weekly",
               "questions": ["How was it?", "Ünïcödé?"], "audience": "members", "via": "dm",
               "share_platform": None, "share_workspace": None, "share_channel": None,
               "status": "active", "created_by": 10, "created_at": AT}  # fmt: skip
    occurrence = {"id": 7, "checkin_id": 6, "key": "checkin:6:x", "scheduled_for": AT,
                  "status": "open", "zone": None, "sent_count": 2, "created_at": AT}  # fmt: skip
    answer = {"occurrence_id": 7, "member_id": 10, "answers": ["fine 🎉", ""],
              "submitted_at": AT + timedelta(hours=1)}  # fmt: skip
    for table, row in (("schedule", schedule), ("checkin", checkin), ("occurrence", occurrence)):
        await insert_rows(store=store, table=table, rows=[row], fast=fast)
    await insert_rows(store=store, table="answer", rows=[answer], fast=fast)
    await follow_ids(store=store, tables=["member", "schedule", "checkin", "occurrence"])

    async with store.transaction() as session:
        read = (await session.exec(select(Member).order_by(col(Member.id)))).all()
        assert [
            (m.id, m.display_name, m.cohort, m.tracking_opted_out, m.first_seen) for m in read
        ] == [
            (10, "Lena Fischer", "pilot", False, AT),
            (11, '=HYPERLINK("x")', "launch", True, AT + timedelta(minutes=1)),
        ]
        acts = (await session.exec(select(LedgerEntry).order_by(col(LedgerEntry.event_id)))).all()
        assert [(a.event_id, a.occurred_at, a.message_ref) for a in acts] == [
            (f"Ev{n}", AT + timedelta(seconds=n), f"1764545400.00000{n}") for n in range(3)
        ]
        assert (await session.exec(select(CheckIn))).one().questions == ["How was it?", "Ünïcödé?"]
        got = (await session.exec(select(Answer))).one()
        assert (got.answers, got.submitted_at) == (["fine 🎉", ""], AT + timedelta(hours=1))
        # The next rows made the usual way get fresh ids, past those given above.
        fresh = Member(community_id=community, display_name="New", first_seen=AT)
        later = Schedule(community_id=community, expression="daily 09:00", created_at=AT)
        session.add_all([fresh, later])
        await session.flush()
        assert fresh.id == 12 and later.id == 6
        occurrence_row = Occurrence(
            checkin_id=6, key="checkin:6:y", scheduled_for=AT, created_at=AT
        )
        session.add(occurrence_row)
        await session.flush()
        assert occurrence_row.id == 8


async def test_nothing_to_insert_is_a_no_op(store: Store) -> None:
    assert await insert_rows(store=store, table="member", rows=[]) == 0
