"""Who is who on Slack: only people Slack confirms become members, and a users.info outage
keeps the last known name and admin rights."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from adapters.slack.people import SlackPeople
from storage.engine import Store
from storage.models import Identity, Member
from tests.factories import Harness, config
from tests.fakes.slack import FakeSlack
from tests.slack_kit import SLACK_CONFIG, SlackClient, eventually, http_runtime

USERS = {
    "UADMIN": {"is_admin": True, "profile": {"display_name": "Ada"}},
    "UCAROL": {"profile": {"display_name": "Carol"}},
}
OUTAGE = {"ok": False, "error": "internal_error"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack(users=USERS)
    slack.missing.add("U0TYPO99")
    await slack.start()
    yield slack
    await slack.stop()


@pytest.fixture
async def harness(store: Store) -> AsyncIterator[Harness]:
    started = await Harness.start(store, config(SLACK_CONFIG))
    yield started
    await started.close()


async def reply(slack: SlackClient, text: str, user: str = "UFAC") -> str:
    name = await slack.command(text, user=user)
    return (await eventually(lambda: slack.replies(name)))[-1]


async def identities(store: Store) -> dict[str, str]:
    async with store.read() as session:
        query = select(Identity.user_id, Member.display_name).join(
            Member, Member.id == Identity.member_id
        )
        return dict((await session.exec(query)).all())


async def test_a_user_slack_does_not_know_gets_no_role_and_is_not_made_a_member(
    fake: FakeSlack, harness: Harness
) -> None:
    runtime, base = http_runtime(harness, fake)
    await runtime.start()
    try:
        slack = SlackClient(base + "/slack/events", fake)
        refused = (
            "I cannot find `U0TYPO99` in this workspace, so nothing changed. "
            "Mention them with @ and pick them from the list."
        )
        assert await reply(slack, "role remove <@U0TYPO99> lead") == refused
        assert await reply(slack, "role add <@U0TYPO99|typo> lead") == refused
        assert "U0TYPO99" not in await identities(harness.store)

        removed = await reply(slack, "role remove <@UCAROL|carol> lead")
        assert removed.startswith("Carol has no lead role given with `/cop role add`")
        assert "UCAROL" not in await identities(harness.store)

        added = await reply(slack, "role add <@UCAROL|carol> lead")
        assert added.startswith("✅ Carol is now a lead.")
        assert (await identities(harness.store))["UCAROL"] == "Carol"
    finally:
        await runtime.stop()


async def test_after_a_restart_an_outage_keeps_the_stored_name_and_admin_rights(
    fake: FakeSlack, harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    first, base = http_runtime(harness, fake)
    await first.start()
    try:
        slack = SlackClient(base + "/slack/events", fake)
        assert (await reply(slack, "checkin list", user="UADMIN")).startswith("No check-ins")
    finally:
        await first.stop()

    restarted, base = http_runtime(harness, fake)  # a new process: nothing cached
    await restarted.start()
    try:
        fake.script("users.info", 200, OUTAGE)
        slack = SlackClient(base + "/slack/events", fake)
        assert (await reply(slack, "checkin list", user="UADMIN")).startswith("No check-ins")
        assert (await identities(harness.store))["UADMIN"] == "Ada"
    finally:
        await restarted.stop()
    assert not any(r.exc_info for r in caplog.records)
    assert any("keeping the stored name and role" in r.getMessage() for r in caplog.records)


async def test_a_failed_lookup_keeps_the_last_answer(fake: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    people = SlackPeople(client, ttl=0)  # every lookup asks Slack again
    known = await people.person("UADMIN")
    assert (known.name, known.is_admin) == ("Ada", True)
    fake.script("users.info", 200, OUTAGE)
    stale = await people.person("UADMIN")
    assert (stale.name, stale.is_admin) == ("Ada", True)
    fake.script("users.info", 503, OUTAGE)
    assert await people.confirmed("UADMIN") == "Ada"
    assert await people.confirmed("U0TYPO99") is None
    fake.script("users.info", 200, OUTAGE)
    never_seen = await people.person("UNEW")
    assert (never_seen.name, never_seen.is_admin) == (None, None)
