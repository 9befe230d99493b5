"""Pilot and launch on Slack through the local stand-in: the pilot members named with @, the
launch announced in the channel and every member welcomed by DM exactly once."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

from sqlmodel import select

from adapters.slack.roster import SlackRoster
from storage.models import Member
from tests.factories import seed_members
from tests.slack_kit import TEAM
from tests.test_slack import SlackStack, reply_text
from tests.test_slack import stack as stack

# Fewer DMs than Slack's burst of conversations.open (40): no test waits for its pace.
MEMBERS = 30
AT = datetime(2026, 11, 1, tzinfo=UTC)


async def test_a_slack_launch_welcomes_every_member_once(stack: SlackStack) -> None:
    fake, harness = stack.fake, stack.harness
    assert "in its pilot now" in await reply_text(stack, await stack.slack.command("phase pilot"))
    await seed_members(harness.store, MEMBERS, platform="slack", workspace=TEAM, user="U")
    added = await reply_text(stack, await stack.slack.command("pilot add <@U1> <@U2|m2>"))
    assert "m1, m2: in the pilot now" in added and "2 welcome DMs on the way" in added
    await harness.delivery.deliver_due()
    launched = await reply_text(stack, await stack.slack.command("phase launch"))
    # The facilitator (UFAC) is a member too: everyone but the two pilot members now.
    assert f"{MEMBERS - 1} welcome DMs are on their way" in launched
    while await harness.delivery.deliver_due():
        pass
    posts = fake.calls_to("chat.postMessage")
    [announced] = [p for p in posts if p.get("channel") == "C1"]
    assert "is open to everyone" in json.dumps(announced["blocks"], ensure_ascii=False)
    dms = Counter(p["channel"] for p in posts if str(p.get("channel", "")).startswith("D"))
    assert len(dms) == MEMBERS + 1 and set(dms.values()) == {1}
    again = await reply_text(stack, await stack.slack.command("phase launch"))
    assert "launched already" in again
    while await harness.delivery.deliver_due():
        pass
    assert len(fake.calls_to("chat.postMessage")) == len(posts)


async def test_a_slack_launch_welcomes_the_channels_people_copbot_never_met(
    stack: SlackStack,
) -> None:
    fake, harness = stack.fake, stack.harness
    harness.roster.add("slack", SlackRoster(stack.runtime.client, page=10))
    people = {f"UP{i}": {"profile": {"display_name": f"Person {i}"}} for i in range(25)}
    fake.users.update({**people, "UBOT2": {"is_bot": True}, "UGONE": {"deleted": True}})
    # More than one page of each, a bot, someone deactivated and the facilitator in #general.
    fake.channel_members["C1"] = [*people, "UBOT2", "UGONE", "UFAC"]
    said = await reply_text(stack, await stack.slack.command("phase launch"))
    assert "1 welcome DM are on their way" not in said  # plural words stay right
    assert "asking the platform who else is in the home channels" in said
    await harness.run_jobs()
    while await harness.delivery.deliver_due():
        pass
    dms = Counter(
        p["channel"]
        for p in fake.calls_to("chat.postMessage")
        if str(p.get("channel", "")).startswith("D")
    )
    assert set(dms) == {f"D{u}" for u in [*people, "UFAC"]} and set(dms.values()) == {1}
    async with harness.store.read() as session:
        named = (await session.exec(select(Member).where(Member.display_name == "Person 7"))).all()
    assert len(named) == 1
    # users.list: UADMIN, UBOB, the 25, the bot and the gone one (29: three pages of 10).
    assert len(fake.calls_to("users.list")) == 3
    assert len(fake.calls_to("conversations.members")) == 3
    await harness.run_jobs()  # the listing is done once
    assert len(fake.calls_to("users.list")) == 3


async def test_a_listing_slack_could_not_answer_is_asked_again_later(stack: SlackStack) -> None:
    fake, harness = stack.fake, stack.harness
    harness.roster.add("slack", SlackRoster(stack.runtime.client))
    fake.users["UP1"] = {"profile": {"display_name": "Pat"}}
    fake.channel_members["C1"] = ["UP1", "UFAC"]
    fake.script("users.list", 200, {"ok": False, "error": "internal_error"})
    await reply_text(stack, await stack.slack.command("phase launch"))
    await harness.run_jobs()  # Slack could not say: nobody listed, asked again in 5 minutes
    async with harness.store.read() as session:
        assert not (await session.exec(select(Member).where(Member.display_name == "Pat"))).all()
    harness.later(minutes=6)
    await harness.run_jobs()
    while await harness.delivery.deliver_due():
        pass
    dms = [p["channel"] for p in fake.calls_to("chat.postMessage")]
    assert dms.count("DUP1") == 1 and dms.count("DUFAC") == 1
