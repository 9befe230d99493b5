"""copbot on Discord: the real discord.py against the local fake gateway and REST API."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import discord
import pytest
from sqlmodel import select

from adapters.discord.runtime import DiscordRuntime
from bot.commands.catalog import build_catalog
from bot.config import DiscordConfig
from bot.core import Copbot
from bot.outbox import outbox_row
from bot.ui import Attachment, Message, Outgoing, Recipient
from storage import outbox
from storage.engine import Store
from storage.models import Answer, LedgerEntry, OutboxRow, Welcome
from tests.discord_kit import (
    BOB,
    DISCORD_CONFIG,
    FACILITATOR,
    message_create,
    message_id,
    modal_submit,
    reaction_add,
    slash,
)
from tests.factories import ACTS, Harness, config, welcomed_users
from tests.fakes.discord import APP_ID, CHANNEL_ID, GUILD_ID, FakeDiscord, member, snowflake
from tests.slack_kit import eventually, eventually_async


@dataclass
class DiscordStack:
    fake: FakeDiscord
    harness: Harness
    runtime: DiscordRuntime

    async def interact(
        self, kind: int, data: dict[str, Any], who: dict[str, Any]
    ) -> dict[str, Any]:
        """Send an interaction and return copbot's answer to it."""
        before = len(self.fake.responses())
        await self.fake.dispatch("INTERACTION_CREATE", self.fake.interaction(kind, data, who))
        await eventually(lambda: len(self.fake.responses()) > before)
        return self.fake.responses()[before]


@asynccontextmanager
async def running(
    store: Store,
    core: Callable[[Copbot], Any] | None = None,
    cfg: dict[str, Any] | None = None,
    **settings: Any,
) -> AsyncIterator[DiscordStack]:
    """copbot's Discord runtime, started against a fresh fake Discord (its core handed to the
    runtime through ``core``, if given, such as a recorder in front of it; the demo community
    of ``DISCORD_CONFIG`` unless ``cfg`` says otherwise)."""
    fake = FakeDiscord()
    await fake.start()
    harness = await Harness.start(store, config(cfg or DISCORD_CONFIG))
    options = DiscordConfig(
        enabled=True,
        api_base_url=fake.api_url,
        gateway_url=fake.gateway_url,
        guild_ready_timeout=0.05,
        **settings,
    )
    handler = core(harness.core) if core else harness.core
    runtime = DiscordRuntime(options, "test-token", handler, store, harness.clock, build_catalog())
    harness.delivery.add_sender(runtime.sender)
    harness.voice.add("discord", runtime.voice)
    try:
        await runtime.start()
        yield DiscordStack(fake, harness, runtime)
    finally:
        await runtime.stop()
        await harness.close()
        await fake.stop()


@pytest.fixture
async def stack(store: Store) -> AsyncIterator[DiscordStack]:
    async with running(store) as started:
        yield started


def said(response: dict[str, Any]) -> str:
    data = response["data"]
    return data.get("content") or data["embeds"][0]["description"]


async def test_the_command_tree_is_synced_once(stack: DiscordStack) -> None:
    synced = stack.fake.commands[f"applications/{APP_ID}"]
    assert [c["name"] for c in synced] == ["cop"]
    groups = {o["name"]: o for o in synced[0]["options"]}
    assert groups["checkin"]["type"] == 2
    add = next(o for o in groups["checkin"]["options"] if o["name"] == "add")
    options = {o["name"]: o for o in add["options"]}
    assert options["share"]["type"] == 7 and options["local_time"]["type"] == 5
    assert [c["value"] for c in options["audience"]["choices"]] == ["members", "pilot", "everyone"]
    assert [o["required"] for o in add["options"]][:3] == [True, True, True]
    # A second start finds the same tree and does not sync again.
    puts = len(stack.fake.calls_to("PUT", "/commands"))
    assert await stack.runtime.sync_commands() is False
    assert len(stack.fake.calls_to("PUT", "/commands")) == puts == 1


async def test_help_as_an_interaction(stack: DiscordStack) -> None:
    answer = await stack.interact(2, slash("help"), BOB)
    assert answer["type"] == 4 and answer["data"]["flags"] == 64  # ephemeral
    assert said(answer).startswith("Hi Bob! Here is what you can do as a member of demo")


async def test_manage_server_makes_a_facilitator(stack: DiscordStack) -> None:
    denied = await stack.interact(2, slash("checkin", "list"), BOB)
    assert said(denied).startswith("🔒 `/cop checkin list` is for facilitators.")
    allowed = await stack.interact(2, slash("checkin", "list"), FACILITATOR)
    assert said(allowed).startswith("No check-ins yet.")


async def test_a_bad_option_gets_a_private_message(stack: DiscordStack) -> None:
    answer = await stack.interact(2, slash("tz", zone="Mars/Olympus"), BOB)
    assert '"Mars/Olympus" is not a timezone' in said(answer)
    assert answer["data"]["flags"] == 64


async def bob_posts(stack: DiscordStack) -> None:
    """Bob posts, and is a member once his message is counted (the gateway does not wait for
    the count: a run before it would ask one member fewer)."""
    await stack.fake.dispatch("MESSAGE_CREATE", message_create(message_id(), BOB))

    async def counted() -> int:
        async with stack.harness.store.read() as session:
            return len((await session.exec(select(LedgerEntry.id).where(ACTS))).all())

    await eventually_async(counted, 1)


async def test_a_checkin_from_creation_to_answer(stack: DiscordStack) -> None:
    fake, harness = stack.fake, stack.harness
    await bob_posts(stack)
    created = await stack.interact(
        2,
        slash(
            "checkin",
            "add",
            name="standup",
            schedule="daily 09:00",
            questions="Learned?|Blocked?",
            share=CHANNEL_ID,
        ),
        FACILITATOR,
    )
    assert said(created).startswith("✅ Check-in created: #1 *standup*")
    ran = await stack.interact(2, slash("checkin", "run", id=1), FACILITATOR)
    assert said(ran).startswith("📨 Queued standup for 2 members;")
    await harness.delivery.deliver_due()

    opened = fake.calls_to("POST", "/users/@me/channels")
    assert sorted(str(b["recipient_id"]) for b in opened) == sorted(
        [BOB["user"]["id"], FACILITATOR["user"]["id"]]
    )
    dms = [b for m, p, b in fake.calls if m == "POST" and p.startswith("/channels/5")]
    dms = [b for b in dms if "Welcome" not in json.dumps(b)]  # Bob's welcome came first
    button = dms[0]["components"][0]["components"][0]
    assert button["label"] == "Answer" and button["custom_id"] == "answer:occurrence:1"
    assert all(len(b["nonce"]) == 25 and b["enforce_nonce"] for b in dms)

    # Bob presses Answer in his DM, as Discord sends it: no guild, a user, the DM channel.
    bob_dm = f"5{BOB['user']['id'][-17:]}"  # the DM channel the fake opened for Bob
    before = len(fake.responses())
    await fake.dispatch(
        "INTERACTION_CREATE",
        fake.dm_interaction(
            3, {"custom_id": "answer:occurrence:1", "component_type": 2}, BOB, bob_dm
        ),
    )
    await eventually(lambda: len(fake.responses()) > before)
    shown = fake.responses()[before]
    assert shown["type"] == 9  # a modal
    assert shown["data"]["title"] == "standup"
    labels = [row["components"][0]["label"] for row in shown["data"]["components"]]
    assert labels == ["Learned?", "Blocked?"]

    refused = await stack.interact(
        5, modal_submit("answer:occurrence:1", {"q1": "a", "q2": ""}), BOB
    )
    assert "Nothing was saved yet" in said(refused) and refused["data"]["flags"] == 64
    thanks = await stack.interact(
        5, modal_submit("answer:occurrence:1", {"q1": "fixtures", "q2": "none"}), BOB
    )
    assert said(thanks) == "🙏 Thanks, Bob! Your answers to standup are in."
    async with harness.store.transaction() as session:
        assert [a.answers for a in (await session.exec(select(Answer))).all()] == [
            ["fixtures", "none"]
        ]

    # The summary goes into a thread started from the check-in's message in #general.
    await harness.delivery.deliver_due()
    assert len(fake.threads) == 1
    thread = next(iter(fake.threads))
    in_thread = [b for m, p, b in fake.calls if m == "POST" and p == f"/channels/{thread}/messages"]
    assert "Bob answered:" in (
        in_thread[0].get("content") or in_thread[0]["embeds"][0]["description"]
    )

    # Bob edits his answers: the message in the thread is edited, nothing new is posted.
    harness.later(minutes=2)
    await stack.interact(
        5, modal_submit("answer:occurrence:1", {"q1": "fixtures and marks", "q2": "none"}), BOB
    )
    await harness.delivery.deliver_due()
    (shared,) = [m for m in fake.messages.values() if m["channel_id"] == thread]
    edits = [(p, b) for m, p, b in fake.calls if m == "PATCH"]
    assert [p for p, _ in edits] == [f"/channels/{thread}/messages/{shared['id']}"]
    assert "fixtures and marks" in (shared["content"] or shared["embeds"][0]["description"])
    assert shared["edited_timestamp"] is not None
    posted = [b for m, p, b in fake.calls if m == "POST" and p == f"/channels/{thread}/messages"]
    assert len(posted) == 1


async def test_messages_and_reactions_are_counted_once(stack: DiscordStack) -> None:
    fake = stack.fake
    first = message_create(message_id(), BOB)
    await fake.dispatch("MESSAGE_CREATE", first)
    await fake.dispatch("MESSAGE_CREATE", first)  # replayed after a resume
    robot = member("100000000000000099", "Robot")
    await fake.dispatch("MESSAGE_CREATE", message_create(message_id(), robot, bot=True))
    reaction = reaction_add(first, BOB, "👍")
    await fake.dispatch("MESSAGE_REACTION_ADD", reaction)
    await fake.dispatch("MESSAGE_REACTION_ADD", reaction)

    async def kinds() -> list[str]:
        async with stack.harness.store.transaction() as session:
            return sorted(
                e.kind for e in (await session.exec(select(LedgerEntry).where(ACTS))).all()
            )

    await eventually_async(kinds, ["message", "reaction"])


async def test_shards_run_on_an_auto_sharded_client(store: Store) -> None:
    async with running(store, shard_count=1, shard_ids=(0,)) as sharded:
        assert isinstance(sharded.runtime.client, discord.AutoShardedClient)
        assert sharded.runtime.client.shard_ids == [0]
        answer = await sharded.interact(2, slash("about"), BOB)
        assert said(answer).startswith("*demo*")


async def test_a_channel_copbot_may_not_post_in_fails_that_message_only(
    stack: DiscordStack,
) -> None:
    stack.fake.forbidden_channels.add(CHANNEL_ID)
    await bob_posts(stack)
    await stack.interact(
        2,
        slash("checkin", "add", name="s", schedule="daily 09:00", questions="Q", share=CHANNEL_ID),
        FACILITATOR,
    )
    await stack.interact(2, slash("checkin", "run", id=1), FACILITATOR)
    await stack.harness.delivery.deliver_due()
    async with stack.harness.store.transaction() as session:
        rows = {r.key.rsplit(":", 1)[-1]: r for r in (await session.exec(select(OutboxRow))).all()}
    assert rows["thread"].status == "failed" and rows["thread"].last_error.startswith("403")
    assert {r.status for k, r in rows.items() if k != "thread"} == {"sent"}


async def test_joins_leaves_and_thread_replies_are_counted(stack: DiscordStack) -> None:
    fake = stack.fake
    newcomer = member("100000000000000077", "Nia")
    await fake.dispatch("GUILD_MEMBER_ADD", {**newcomer, "guild_id": GUILD_ID})
    await fake.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": GUILD_ID, "user": newcomer["user"]})
    thread_id = snowflake()
    await fake.dispatch(
        "THREAD_CREATE",
        {
            "id": thread_id,
            "type": 11,
            "guild_id": GUILD_ID,
            "parent_id": CHANNEL_ID,
            "name": "t",
            "owner_id": BOB["user"]["id"],
            "newly_created": True,
            "message_count": 0,
            "member_count": 1,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": "2026-11-28T10:00:00+00:00",
                "locked": False,
            },
        },
    )
    reply = {**message_create(message_id(), BOB), "channel_id": thread_id}
    await fake.dispatch("MESSAGE_CREATE", reply)
    # A forum post's first message has the thread's id: it is the post, not a reply.
    await fake.dispatch(
        "MESSAGE_CREATE", {**message_create(thread_id, BOB), "channel_id": thread_id}
    )

    async def kinds() -> list[tuple[str, str | None, str | None, str | None]]:
        async with stack.harness.store.transaction() as session:
            rows = (await session.exec(select(LedgerEntry).where(ACTS))).all()
        return sorted((e.kind, e.channel, e.message_ref, e.parent_ref) for e in rows)

    # The reply keeps its own id and its parent's: the thread's, which is its starter message's.
    expected = [
        ("message", CHANNEL_ID, thread_id, None),
        ("reply", CHANNEL_ID, reply["id"], thread_id),
    ]
    await eventually_async(
        kinds, [("join", None, None, None), ("leave", None, None, None), *expected]
    )


async def test_a_report_goes_as_an_attachment(stack: DiscordStack) -> None:
    report = Outgoing(
        Recipient("discord", GUILD_ID, user=BOB["user"]["id"]),
        Message("📊 Weekly report", attachment=Attachment("cop-demo-2026-W49.xlsx", b"PK\x03\x04")),
        "report:demo:2026-W49:bob",
    )
    async with stack.harness.store.transaction() as session:
        await outbox.enqueue(session=session, rows=[outbox_row(report, stack.harness.clock.now())])
    await stack.harness.delivery.deliver_due()
    upload = next(b for m, p, b in stack.fake.calls if m == "POST" and p.startswith("/channels/5"))
    assert upload["payload_json"]["content"] == "📊 Weekly report"
    assert upload["files[0]"] == 4  # bytes received


async def test_a_report_shows_its_chart_in_the_embed(stack: DiscordStack) -> None:
    report = Outgoing(
        Recipient("discord", GUILD_ID, user=BOB["user"]["id"]),
        Message(
            "📊 Weekly report",
            attachment=Attachment("cop-demo-2026-W49.xlsx", b"PK\x03\x04"),
            image=Attachment("cop-demo-2026-W49.png", b"\x89PNG-chart", "image/png"),
        ),
        "report:demo:2026-W49:bob",
    )
    async with stack.harness.store.transaction() as session:
        await outbox.enqueue(session=session, rows=[outbox_row(report, stack.harness.clock.now())])
    await stack.harness.delivery.deliver_due()
    upload = next(b for m, p, b in stack.fake.calls if m == "POST" and p.startswith("/channels/5"))
    [embed] = upload["payload_json"]["embeds"]
    assert embed["description"] == "📊 Weekly report"
    assert embed["image"]["url"] == "attachment://cop-demo-2026-W49.png"
    assert (upload["files[0]"], upload["files[1]"]) == (4, 10)  # bytes received, both files


async def test_commands_sync_to_configured_guilds(store: Store) -> None:
    async with running(store, command_guilds=(GUILD_ID,)) as per_guild:
        synced = per_guild.fake.commands
        assert [c["name"] for c in synced[f"applications/{APP_ID}/guilds/{GUILD_ID}"]] == ["cop"]
        assert f"applications/{APP_ID}" not in synced


async def test_system_messages_and_replayed_leaves_count_as_nothing_new(
    stack: DiscordStack,
) -> None:
    fake = stack.fake
    joined_notice = {**message_create(message_id(), BOB), "type": 7}  # "Bob joined the server"
    await fake.dispatch("MESSAGE_CREATE", joined_notice)
    leave = {"guild_id": GUILD_ID, "user": BOB["user"]}
    await fake.dispatch("GUILD_MEMBER_REMOVE", leave)
    await fake.dispatch("GUILD_MEMBER_REMOVE", leave)  # replayed after a resume

    async def kinds() -> list[str]:
        async with stack.harness.store.transaction() as session:
            return sorted(
                e.kind for e in (await session.exec(select(LedgerEntry).where(ACTS))).all()
            )

    await eventually_async(kinds, ["leave"])
    await asyncio.sleep(0.2)  # nothing else arrives late
    assert await kinds() == ["leave"]


NIA_ID = "100000000000000077"


async def test_discord_a_member_join_and_a_first_message_welcome(store: Store) -> None:
    async with running(store) as stack:
        newcomer = member(NIA_ID, "Nia")
        await stack.fake.dispatch("GUILD_MEMBER_ADD", {**newcomer, "guild_id": GUILD_ID})
        await eventually_async(lambda: welcomed_users(stack.harness), [NIA_ID])
        await stack.fake.dispatch("MESSAGE_CREATE", message_create(message_id(), BOB))
        await eventually_async(lambda: welcomed_users(stack.harness), [NIA_ID, BOB["user"]["id"]])
        await stack.harness.delivery.deliver_due()
        dms = [
            b
            for m, p, b in stack.fake.calls
            if m == "POST" and p.startswith("/channels/5") and "Welcome" in json.dumps(b)
        ]
        assert len(dms) == 2
        labels = [c["label"] for c in dms[0]["components"][0]["components"]]
        assert labels == ["🕘 Set my timezone", "🤝 Join pairing"]
        await stack.fake.dispatch("MESSAGE_CREATE", message_create(message_id(), BOB))
        await stack.harness.core.welcomer.settle()
        async with stack.harness.store.read() as session:
            causes = sorted((await session.exec(select(Welcome.cause))).all())
        assert causes == ["join", "message"]
