"""Pilot, then launch: a committed few first (scheduled items reach only them), then everyone,
announced in the home channels and welcomed once each, through the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlmodel import col, func, select

from bot.outbox_keys import LAUNCH_ANNOUNCE, WELCOME
from storage.engine import Store
from storage.models import Community, Member, OutboxRow, Welcome
from tests.factories import DEMO_CONFIG, Harness, config


@pytest.fixture
async def harness(store: Store) -> AsyncIterator[Harness]:
    """The demo community, its weekly report moved out of the way."""
    quiet = config({**DEMO_CONFIG, "reports": {"weekly": "cron 0 3 1 1 *"}})
    harness = await Harness.start(store, quiet)
    yield harness
    await harness.close()


async def rows_of(harness: Harness, kind: str) -> list[OutboxRow]:
    async with harness.store.read() as session:
        query = select(OutboxRow).where(col(OutboxRow.kind) == kind).order_by(col(OutboxRow.id))
        return list((await session.exec(query)).all())


async def cohorts(harness: Harness) -> dict[str, str]:
    async with harness.store.read() as session:
        return {m.display_name: m.cohort for m in (await session.exec(select(Member))).all()}


async def test_a_pilot_then_a_launch_welcomes_everyone_once(harness: Harness) -> None:
    started = await harness.say("phase pilot")
    assert "is in its pilot now" in started and "Nobody is in the pilot yet" in started
    for user in ("alice", "bob", "carol", "dave", "erin"):
        await harness.post(user)  # first lines, but only pilot members are welcomed now
    assert not await rows_of(harness, WELCOME)
    added = await harness.say("pilot add @bob @carol")
    assert "bob, carol: in the pilot now (2 pilot members in all)" in added
    assert "2 welcome DMs on the way" in added
    assert (await cohorts(harness))["bob"] == "pilot"
    listed = await harness.say("pilot list")
    assert "2 pilot members (the pilot is running)" in listed and "• bob" in listed
    about = await harness.say("about")
    assert "In its pilot since" in about and "only the 2 pilot members" in about
    again = await harness.say("pilot add @bob")
    assert "in the pilot already. Nothing changed" in again
    removed = await harness.say("pilot remove @carol")
    assert "carol: out of the pilot (1 pilot member left)" in removed
    await harness.deliver()
    launched = await harness.say("phase launch")
    assert "is launched!" in launched and "#general" in launched
    # bob and carol were welcomed in the pilot; alice, dave and erin now.
    assert "3 welcome DMs are on their way" in launched
    assert len(await rows_of(harness, LAUNCH_ANNOUNCE)) == 1
    await harness.deliver()
    welcomes = await rows_of(harness, WELCOME)
    assert len(welcomes) == 5 and {r.status for r in welcomes} == {"sent"}
    assert len({r.recipient_user for r in welcomes}) == 5
    twice = await harness.say("phase launch")
    assert "launched already" in twice and "Nothing changed" in twice
    assert len(await rows_of(harness, WELCOME)) == 5
    status = await harness.say("phase status")
    assert "Launched on" in status and "Welcome DMs: 5 sent, 0 waiting." in status
    back = await harness.say("phase pilot")
    assert "does not go back to a pilot" in back
    late = await harness.say("pilot add @dave")
    assert "its pilot cohort is history now" in late
    assert (await cohorts(harness)) == {
        "alice": "launch",
        "bob": "pilot",
        "carol": "launch",
        "dave": "launch",
        "erin": "launch",
    }


async def test_pilot_commands_refuse_strangers_and_members_only(harness: Harness) -> None:
    await harness.post("alice")
    await harness.post("bob")
    stranger = await harness.say("pilot add @bob @zed")
    assert "I have not met zed here yet" in stranger and "nothing changed" in stranger
    assert (await cohorts(harness))["bob"] == "launch"  # the whole command changed nothing
    denied = await harness.say("pilot add @alice", user="bob")
    assert "is for facilitators" in denied
    denied = await harness.say("phase launch", user="bob")
    assert "is for facilitators" in denied
    async with harness.store.read() as session:
        community = (await session.exec(select(Community))).one()
    assert community.launched_at is None and community.phase == "launch"
    nobody = await harness.say("pilot list")
    assert "Nobody is in the pilot yet" in nobody
    ready = await harness.say("pilot add @bob")
    assert "Start the pilot with `/cop phase pilot`" in ready


async def test_a_launch_to_many_is_one_fan_out(harness: Harness) -> None:
    await harness.say("phase pilot")
    for n in range(100):
        await harness.post(f"m{n:03}")
    said = await harness.say("phase launch")
    assert "101 welcome DMs are on their way" in said
    async with harness.store.read() as session:
        welcomed = (await session.exec(select(func.count()).select_from(Welcome))).one()
    assert welcomed == 101
    assert len(await rows_of(harness, WELCOME)) == 101
