"""A pairing group's one conversation on the platform stand-ins: a Slack group DM opened with
``conversations.open`` for several users; on Discord, where bots cannot open group DMs, a
private thread in the home channel with the members added (or, with no home channel, a DM each).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from adapters.discord.sender import DiscordSender
from adapters.slack.runtime import web_client
from adapters.slack.sender import SlackSender
from bot.config import SlackConfig
from bot.direct import DirectChannels
from bot.outbox import OutboxDelivery
from bot.outbox_rows import delivery_of
from bot.ui import Message, Outgoing, Recipient
from storage.engine import Store
from tests.discord_kit import BOB, FACILITATOR
from tests.factories import Harness
from tests.fakes.discord import CHANNEL_ID, GUILD_ID, member
from tests.fakes.slack import FakeSlack
from tests.test_discord import running, said
from tests.test_outbox import put, rows
from tests.test_outbox_uncertain import fast_lane

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


async def test_a_slack_group_gets_one_group_dm_with_its_introduction(store: Store) -> None:
    fake = FakeSlack()
    await fake.start()
    harness = await Harness.start(store)
    sender = SlackSender(
        web_client(SlackConfig(enabled=True, api_base_url=fake.api_url), "xoxb-test"),
        DirectChannels(store),
    )
    delivery = OutboxDelivery(store, {"slack": sender}, harness.clock, fast_lane())
    try:
        group = Recipient("slack", "T1", group=("U1", "U2", "U3"))
        await put(store, Outgoing(group, Message("🤝 Meet your pairing group"), "pair:r:1"))
        await delivery.deliver_due()
        opened = [p for m, p in fake.calls if m == "conversations.open"]
        assert [p["users"] for p in opened] == ["U1,U2,U3"]
        [(channel, users)] = fake.group_dms.items()
        assert users == ["U1", "U2", "U3"] and channel.startswith("G")
        [posted] = fake.history[channel]
        assert posted["text"].startswith("🤝 Meet your pairing group")
        row = (await rows(store))["pair:r:1"]
        assert row.status == "sent" and row.platform_message_id == posted["ts"]
        # After a crash mid-send the outbox finds the introduction in the group DM by its key.
        assert await sender.reconcile(delivery_of(row, None)) == posted["ts"]
    finally:
        await harness.close()
        await fake.stop()


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
