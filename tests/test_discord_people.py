"""Who is who on Discord: only guild members Discord resolved become members, and an
interaction whose fields have the wrong types gets a short answer, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from storage.engine import Store
from storage.models import Identity, Member
from tests.discord_kit import FACILITATOR, slash
from tests.fakes.discord import member, snowflake
from tests.slack_kit import eventually
from tests.test_discord import DiscordStack, running, said

CAROL = member("100000000000000003", "Carol")
STRANGER = "100000000000000099"
USER = 6  # Discord's option type for a user


def role_add(user_id: str, resolved: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``data`` of ``/cop role add user:<id> role:lead``, as Discord sends it."""
    options = [
        {"name": "user", "type": USER, "value": user_id},
        {"name": "role", "type": 3, "value": "lead"},
    ]
    data: dict[str, Any] = {
        "id": snowflake(),
        "name": "cop",
        "type": 1,
        "options": [
            {"name": "role", "type": 2, "options": [{"name": "add", "type": 1, "options": options}]}
        ],
    }
    if resolved is not None:
        data["resolved"] = resolved
    return data


def resolved(who: dict[str, Any]) -> dict[str, Any]:
    """What Discord adds for a user option naming a guild member."""
    in_guild = {k: v for k, v in who.items() if k != "user"}
    return {"users": {who["user"]["id"]: who["user"]}, "members": {who["user"]["id"]: in_guild}}


@pytest.fixture
async def stack(store: Store) -> AsyncIterator[DiscordStack]:
    async with running(store) as started:
        yield started


async def people(store: Store) -> dict[str, str]:
    async with store.read() as session:
        query = select(Identity.user_id, Member.display_name).join(
            Member, Member.id == Identity.member_id
        )
        return dict((await session.exec(query)).all())


async def test_only_a_member_discord_resolved_gets_a_role(stack: DiscordStack) -> None:
    refused = await stack.interact(2, role_add(STRANGER), FACILITATOR)
    assert said(refused) == (
        f"I cannot find `{STRANGER}` in this workspace, so nothing changed. "
        "Mention them with @ and pick them from the list."
    )
    # A user Discord knows but who is not in the guild: no member object is resolved.
    outsider = resolved(CAROL)
    outsider["members"] = {}
    elsewhere = await stack.interact(2, role_add(CAROL["user"]["id"], outsider), FACILITATOR)
    assert said(elsewhere).startswith("I cannot find `100000000000000003` in this workspace")
    assert set(await people(stack.harness.store)) == {FACILITATOR["user"]["id"]}

    added = await stack.interact(2, role_add(CAROL["user"]["id"], resolved(CAROL)), FACILITATOR)
    assert said(added).startswith("✅ Carol is now a lead.")
    assert (await people(stack.harness.store))[CAROL["user"]["id"]] == "Carol"


MALFORMED: list[dict[str, Any]] = [
    {"id": snowflake(), "name": "cop", "type": 1, "options": [["help"]]},
    {"id": snowflake(), "name": "cop", "type": 1, "options": [{"name": {"x": 1}, "type": 1}]},
    {"id": snowflake(), "name": "cop", "type": 1, "options": {"name": "help"}},
    {
        "id": snowflake(),
        "name": "cop",
        "type": 1,
        "options": [{"name": "tz", "type": 1, "options": [{"name": "zone", "value": {"a": 1}}]}],
    },
]


@pytest.mark.parametrize("data", MALFORMED)
async def test_a_malformed_command_gets_a_short_answer_and_no_traceback(
    stack: DiscordStack, caplog: pytest.LogCaptureFixture, data: dict[str, Any]
) -> None:
    caplog.set_level(logging.WARNING)
    answer = await stack.interact(2, data, FACILITATOR)
    assert said(answer) == "⚠️ I could not read that request from Discord. Nothing was changed."
    assert not any(r.exc_info for r in caplog.records)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and lines[0].startswith("discord: ignored a malformed interaction")
    async with stack.harness.store.read() as session:
        assert (await session.exec(select(func.count()).select_from(Member))).one() == 0


async def test_a_malformed_click_or_form_gets_a_short_answer(
    stack: DiscordStack, caplog: pytest.LogCaptureFixture
) -> None:
    click = await stack.interact(3, {"custom_id": "x" * 500, "component_type": 2}, FACILITATOR)
    form = await stack.interact(5, {"custom_id": "charter:form:0", "components": [1]}, FACILITATOR)
    for answer in (click, form):
        assert said(answer).startswith("⚠️ I could not read that request from Discord.")
    assert not any(r.exc_info for r in caplog.records)


async def test_in_a_dm_a_server_manager_keeps_the_facilitator_rights_last_seen(
    stack: DiscordStack,
) -> None:
    # In the server Discord sends Fran's permissions (Manage Server); in a DM it sends none.
    in_guild = await stack.interact(2, slash("checkin", "list"), FACILITATOR)
    assert said(in_guild).startswith("No check-ins yet.")
    before = len(stack.fake.responses())
    dm = stack.fake.dm_interaction(2, slash("checkin", "list"), FACILITATOR, "900000000000000001")
    await stack.fake.dispatch("INTERACTION_CREATE", dm)
    await eventually(lambda: len(stack.fake.responses()) > before)
    assert said(stack.fake.responses()[before]).startswith("No check-ins yet.")
