"""The welcome's edges found in review: a workspace join where home channels are named, a first
message elsewhere before one at home, pilot members added before the pilot starts, a welcome text
that its charter answers make long, and the people's own counts that leave copbot's rows out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import select

from bot.events import MemberJoined, MessagePosted, Place
from storage import ledger
from storage.engine import Store
from storage.models import Charter, Community, Welcome
from tests.factories import WORKSPACE, Harness, actor, config, event_id, place

HOME: dict[str, Any] = {
    "communities": [
        {
            "name": "demo",
            "timezone": "Europe/Berlin",
            "console_workspace": WORKSPACE,
            "facilitators": ["console:alice"],
            "home_channels": ["console:cop"],
        }
    ],
    "reports": {"weekly": "cron 0 3 1 1 *"},
}


@pytest.fixture
async def homed(store: Store) -> AsyncIterator[Harness]:
    """A community that counts only its #cop channel."""
    harness = await Harness.start(store, config(HOME))
    yield harness
    await harness.close()


async def welcomed(harness: Harness) -> list[int]:
    async with harness.store.read() as session:
        return [w.member_id for w in (await session.exec(select(Welcome))).all()]


async def test_where_home_channels_are_named_only_joining_one_welcomes(homed: Harness) -> None:
    at = homed.clock.now()
    await homed.core.handle(MessagePosted(actor("alice"), place("cop"), event_id(), at))
    count = len(await welcomed(homed))
    # Joining the workspace (Slack's team_join, a Discord member join): not the community.
    everyone = Place("console", WORKSPACE, None)
    await homed.core.handle(MemberJoined(actor("newhire"), everyone, event_id(), at))
    assert len(await welcomed(homed)) == count
    await homed.core.handle(MemberJoined(actor("newhire"), place("cop"), event_id(), at))
    assert len(await welcomed(homed)) == count + 1


async def test_a_first_message_elsewhere_does_not_hide_the_first_at_home(homed: Harness) -> None:
    at = homed.clock.now()
    await homed.core.handle(MessagePosted(actor("zoe"), place("random"), event_id(), at))
    before = len(await welcomed(homed))
    await homed.core.handle(MessagePosted(actor("zoe"), place("cop"), event_id(), at))
    assert len(await welcomed(homed)) == before + 1


async def test_pilot_members_added_before_the_pilot_are_welcomed_when_it_starts(
    harness: Harness,
) -> None:
    await harness.say("me", user="bob")  # known, not welcomed: commands are not first messages
    await harness.say("pilot add @bob")
    assert await welcomed(harness) == []
    started = await harness.say("phase pilot")
    assert "1 welcome DM on the way to the pilot members" in started
    assert len(await welcomed(harness)) == 1
    sent = await harness.deliver()
    assert "Welcome to demo, bob" in sent


async def test_a_long_charter_in_the_welcome_text_still_fits_one_message(store: Store) -> None:
    long = {**HOME, "communities": [{**HOME["communities"][0], "welcome": "{purpose} " * 5}]}
    harness = await Harness.start(store, config(long))
    try:
        await harness.say("me")
        async with harness.store.transaction() as session:
            community = (await session.exec(select(Community))).one()
            session.add(
                Charter(
                    community_id=community.id or 0,
                    purpose="x" * 1000,
                    updated_at=harness.clock.now(),
                )
            )
        shown = await harness.say("welcome preview")
        assert "x" * 200 in shown and "…" in shown
    finally:
        await harness.close()


async def test_copbots_own_rows_are_not_the_communitys_activity(harness: Harness) -> None:
    await harness.post("bob")  # bob's message, and his welcome
    async with harness.store.read() as session:
        community = (await session.exec(select(Community))).one()
        active, kinds = await ledger.community_week(
            session=session,
            community_id=community.id or 0,
            since=harness.clock.now().replace(year=2020),
        )
    assert active == 1 and kinds == {"message": 1}
