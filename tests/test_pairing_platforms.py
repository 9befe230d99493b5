"""A pairing group's one conversation on the platform stand-ins: a Slack group DM opened with
``conversations.open`` for several users; on Discord, where bots cannot open group DMs, a
private thread in the home channel with the members added (or, with no home channel, a DM each).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from adapters.discord.sender import DiscordSender
from bot.direct import DirectChannels
from bot.outbox_rows import delivery_of
from storage.engine import Store
from tests.discord_kit import BOB, FACILITATOR
from tests.fakes.discord import CHANNEL_ID, GUILD_ID, member
from tests.test_discord import running, said
from tests.test_outbox import rows
from tests.test_prompt_platforms import slack_says
from tests.test_slack import SlackStack
from tests.test_slack import stack as stack

CAROL = member("100000000000000003", "Carol")
HOME: dict[str, Any] = {
    "communities": [
        {
            "name": "demo",
            "timezone": "Europe/Berlin",
            "discord_guild_id": GUILD_ID,
            "home_channels": [f"discord:{CHANNEL_ID}"],
        }
    ]
}


async def test_a_slack_group_gets_one_group_dm_with_its_introduction(stack: SlackStack) -> None:
    for user in ("UBOB", "UFAC", "UCAROL"):
        assert (await slack_says(stack, "pair join", user)).startswith("🤝 You are in pairing")
    ran = await slack_says(stack, "pair run")
    assert ran.startswith("✅ Paired 3 members in 1 group: ") and "Bob" in ran
    await stack.harness.delivery.deliver_due()
    fake = stack.fake
    groups = [p["users"] for m, p in fake.calls if m == "conversations.open" and "," in p["users"]]
    assert len(groups) == 1 and sorted(groups[0].split(",")) == ["UBOB", "UCAROL", "UFAC"]
    [(channel, users)] = fake.group_dms.items()
    assert users == ["UBOB", "UCAROL", "UFAC"] and channel.startswith("G")
    [posted] = fake.history[channel]
    assert posted["text"].startswith("🤝 Meet your pairing group in demo!")
    assert "💬 To get you started: " in posted["text"]
    [row] = [r for r in (await rows(stack.harness.store)).values() if r.kind == "pair-intro"]
    assert row.status == "sent" and row.platform_message_id == posted["ts"]
    # After a crash mid-send the outbox finds the introduction in the group DM by its key.
    assert await stack.runtime.sender.reconcile(delivery_of(row, None)) == posted["ts"]


async def join(stack: Any, *people: dict[str, Any]) -> None:
    for person in people:
        answer = await stack.interact(2, pair("join"), person)
        assert said(answer).startswith("🤝 You are in pairing")


def pair(verb: str) -> dict[str, Any]:
    return {
        "name": "cop",
        "type": 1,
        "options": [{"name": "pair", "type": 2, "options": [{"name": verb, "type": 1}]}],
    }


async def test_a_discord_group_meets_in_a_private_thread_of_the_home_channel(
    store: Store,
) -> None:
    async with running(store, cfg=HOME) as stack:
        fake = stack.fake
        await join(stack, BOB, FACILITATOR, CAROL)
        ran = said(await stack.interact(2, pair("run"), FACILITATOR))
        assert ran.startswith("✅ Paired 3 members in 1 group: ") and "by DM" not in ran
        await stack.harness.delivery.deliver_due()
        [thread] = fake.private_threads.values()
        assert thread["type"] == 12 and thread["parent_id"] == CHANNEL_ID
        assert thread["thread_metadata"]["invitable"] is False
        people = {p["user"]["id"] for p in (BOB, FACILITATOR, CAROL)}
        assert set(thread["member_ids"]) == people
        posts = fake.calls_to("POST", f"/channels/{thread['id']}/messages")
        assert len(posts) == 1 and "Meet your pairing group in demo" in str(posts[0])
        assert fake.calls_to("POST", "/users/@me/channels") == []  # no DMs
        # Sent again (a retry after a cut-off): the same thread, and Discord shows one post;
        # after a restart too, when the thread is found among the guild's active threads.
        [row] = [r for r in (await rows(store)).values() if r.kind == "pair-intro"]
        await stack.runtime.sender.send(delivery_of(row, None))
        restarted = DiscordSender(stack.runtime.client, DirectChannels(store))
        await restarted.send(replace(delivery_of(row, None), attempt=2))
        assert len(fake.calls_to("GET", f"/guilds/{GUILD_ID}/threads/active")) == 1
        assert len(fake.private_threads) == 1
        assert len({m["id"] for m in fake.by_nonce.values()}) == 1


async def test_with_no_discord_home_channel_each_member_gets_a_dm(store: Store) -> None:
    async with running(store) as stack:
        await join(stack, BOB, FACILITATOR)
        ran = said(await stack.interact(2, pair("run"), FACILITATOR))
        assert "introduced by DM to each member instead" in ran and "home_channels" in ran
        await stack.harness.delivery.deliver_due()
        assert stack.fake.private_threads == {}
        opened = stack.fake.calls_to("POST", "/users/@me/channels")
        assert len(opened) == 2
        dms = [b for m, p, b in stack.fake.calls if m == "POST" and p.startswith("/channels/5")]
        assert len(dms) == 2 and all("you are paired with" in str(b) for b in dms)
