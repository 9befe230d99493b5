"""Slash commands: replies share one connection to Slack; a burst waits for a slot, briefly."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adapters.slack.admission import CommandSlots
from storage.engine import Store
from tests.fakes.slack import FakeSlack
from tests.slack_kit import SlackClient, eventually, slack_over_http


@pytest.fixture
async def slack(store: Store) -> AsyncIterator[SlackClient]:
    async with slack_over_http(
        store, FakeSlack(users={"UBOB": {"profile": {"display_name": "Bob"}}})
    ) as client:
        yield client


async def test_replies_to_commands_reuse_one_connection_to_slack(slack: SlackClient) -> None:
    for _ in range(3):
        # One after the other (each answered before the next is sent), as people type them.
        name = await slack.command("help", user="UBOB")
        texts = await eventually(lambda name=name: slack.replies(name))
        assert texts[0].startswith("Hi Bob! Here is what you can do as a member of demo")
    kinds = {r["response_type"] for r in slack.fake.responses}
    assert kinds == {"ephemeral"}
    # Bolt's respond() opened a new HTTP session, and connection, for every reply.
    assert len(slack.fake.response_peers) == 3 and len(set(slack.fake.response_peers)) == 1


async def test_a_command_without_a_response_url_is_still_acknowledged(slack: SlackClient) -> None:
    body = "command=%2Fcop&text=help&team_id=T1&user_id=UBOB&channel_id=C1&trigger_id=t1"
    response = await slack.send(body, "application/x-www-form-urlencoded")
    assert response.status == 200
    # Nowhere to reply to: copbot DMs the answer instead.
    posted = await eventually(lambda: slack.fake.calls_to("chat.postMessage"))
    assert posted[0]["channel"] == "UBOB" and posted[0]["text"].startswith("Hi Bob!")


async def test_a_command_waits_for_a_free_slot_before_its_ack() -> None:
    slots = CommandSlots(size=1, max_wait=30)
    order: list[str] = []
    first_may_finish = asyncio.Event()

    async def command(name: str, until: asyncio.Event | None = None) -> None:
        async with slots.slot():
            order.append(f"{name} acked")
            if until is not None:
                await until.wait()
        order.append(f"{name} done")

    first = asyncio.create_task(command("first", first_may_finish))
    second = asyncio.create_task(command("second"))
    for _ in range(5):
        await asyncio.sleep(0)
    assert order == ["first acked"]  # the second waits, not yet acknowledged
    first_may_finish.set()
    await asyncio.gather(first, second)
    assert order == ["first acked", "first done", "second acked", "second done"]


async def test_a_command_is_acked_in_time_even_when_no_slot_frees_up() -> None:
    slots = CommandSlots(size=1, max_wait=0.01)  # Slack's 3 s must never be missed
    stuck = asyncio.Event()
    async with slots.slot(), slots.slot():
        stuck.set()
    assert stuck.is_set()
