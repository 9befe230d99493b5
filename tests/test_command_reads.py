"""Commands that only read answer while a writer holds the lock; new or renamed people are saved."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.events import Actor, CommandInvoked
from storage.models import Member
from tests.factories import WORKSPACE, Harness, event_id, place, text_of

# Each read-only command with what its answer starts with, or contains.
READ_ONLY = [
    ("help", "Hi alice! Here is what you can do as a facilitator of demo"),
    ("about", "*demo*, a community of practice."),
    ("me", "Timezone: Europe/Berlin (the community's; set yours with /cop tz)"),
    ("privacy status", "📊 Tracking is on"),
    ("upcoming", "Nothing is scheduled for the next 7 days."),
    ("checkin list", "No check-ins yet."),
    ("role list", "Roles in demo:"),
    ("charter", "[form Community charter]"),
]


@pytest.mark.parametrize(("line", "expected"), READ_ONLY)
async def test_read_only_commands_answer_while_another_transaction_writes(
    harness: Harness, line: str, expected: str
) -> None:
    assert "Hi alice!" in await harness.say("help")  # copbot meets alice first
    async with harness.store.transaction() as writer:
        # Holds SQLite's write lock (PostgreSQL: the community row's) until the block ends.
        await writer.exec(text("UPDATE community SET timezone = 'Asia/Tokyo'"))
        # Before, every command waited 5 s for the lock, then said "Something went wrong".
        answer = await asyncio.wait_for(harness.say(line), 3)
    assert expected in answer


async def test_someone_new_is_saved_on_their_first_read_only_command(harness: Harness) -> None:
    assert (await harness.say("help", user="zoe")).startswith("Hi zoe! Here is what you can do")
    async with harness.store.read() as session:
        names = (await session.exec(select(Member.display_name))).all()
    assert "zoe" in names


async def test_a_new_display_name_is_saved_and_shown(harness: Harness) -> None:
    await harness.say("help", user="zoe")
    renamed = Actor("console", WORKSPACE, "zoe", display_name="Zoë Q.")
    event = CommandInvoked(renamed, place(), event_id(), harness.clock.now(), text="help")
    assert text_of(await harness.core.handle(event)).startswith("Hi Zoë Q.! Here is what")
    async with harness.store.read() as session:
        names = (await session.exec(select(Member.display_name))).all()
    assert "Zoë Q." in names and "zoe" not in names


async def test_a_role_granted_a_moment_ago_counts_in_a_read_only_command(
    harness: Harness,
) -> None:
    assert "as a member of demo" in await harness.say("help", user="bob")
    await harness.say("role add @bob lead")
    await harness.say("role add @bob facilitator")
    assert "as a facilitator and lead of demo" in await harness.say("help", user="bob")
    assert "Roles: facilitator, lead, member" in await harness.say("me", user="bob")
