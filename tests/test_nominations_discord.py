"""Nomination by reaction on Discord through the local stand-in: a ⭐ or 🔖 on a message asks
its author by DM; with the Message Content intent their yes fetches that one message into the
modal, without it the modal asks them for the text or the link."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from storage.engine import Store
from storage.models import Identity, LedgerEntry, Nomination, Resource, Story
from tests.discord_kit import (
    BOB,
    FACILITATOR,
    message_create,
    message_id,
    modal_submit,
    reaction_add,
)
from tests.fakes.discord import BOT_ID, CHANNEL_ID, GUILD_ID, FakeDiscord, member, user
from tests.slack_kit import eventually, eventually_async
from tests.test_discord import DiscordStack, running, said


def bobs_message(fake: FakeDiscord, content: str) -> dict[str, Any]:
    """A message of Bob's in #general, as Discord keeps it (its content, for a fetch)."""
    message = message_create(message_id(), BOB)
    fake.messages[message["id"]] = {**message, "content": content}
    return message


def _question(fake: FakeDiscord) -> dict[str, Any] | None:
    """The DM that asks about a message, once posted."""
    for message in fake.messages.values():
        shown = [message["content"], *(e.get("description", "") for e in message["embeds"])]
        if any("Someone marked" in text for text in shown):
            return message
    return None


async def react(stack: DiscordStack, message: dict[str, Any], emoji: str) -> str:
    """The facilitator reacts to Bob's message; returns the yes button of the question Bob
    gets by DM."""
    reaction = {**reaction_add(message, FACILITATOR, emoji), "message_author_id": BOB["user"]["id"]}
    await stack.fake.dispatch("MESSAGE_REACTION_ADD", reaction)

    async def asked() -> bool:
        await stack.harness.core.nominator.settle()
        await stack.harness.delivery.deliver_due()
        return _question(stack.fake) is not None

    await eventually_async(asked, True)
    posted = _question(stack.fake)
    assert posted is not None
    buttons = [c for row in posted["components"] for c in row["components"]]
    return str(buttons[0]["custom_id"])


async def press(stack: DiscordStack, custom_id: str, who: dict[str, Any]) -> dict[str, Any]:
    before = len(stack.fake.responses())
    data = {"custom_id": custom_id, "component_type": 2}
    dm = f"5{BOB['user']['id'][-17:]}"  # Bob's DM channel, as the stand-in opens it
    await stack.fake.dispatch("INTERACTION_CREATE", stack.fake.dm_interaction(3, data, who, dm))
    await eventually(lambda: len(stack.fake.responses()) > before)
    return stack.fake.responses()[before]


def inputs(modal: dict[str, Any]) -> dict[str, Any]:
    return {
        c["custom_id"]: c.get("value")
        for row in modal["data"]["components"]
        for c in row["components"]
    }


async def test_with_the_message_content_intent_the_story_is_read_after_the_yes(
    store: Store,
) -> None:
    async with running(store, message_content=True) as stack:
        stack.harness.messages.add("discord", stack.runtime.messages)
        message = bobs_message(stack.fake, "Pairing across zones worked for us")
        yes = await react(stack, message, "⭐")
        assert yes == "consent:nomination:1"
        assert not stack.fake.calls_to("GET", f"/messages/{message['id']}")  # not before the yes
        # The question links to the message it means (a jump link reads nothing of it).
        asked = _question(stack.fake)
        assert asked is not None
        link = f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/{message['id']}"
        shown = [asked["content"], *(e.get("description", "") for e in asked["embeds"])]
        assert any(f"The message: {link}" in text for text in shown)
        refused = await press(stack, yes, FACILITATOR)
        assert "Only the author of the message" in said(refused)
        modal = await press(stack, yes, BOB)
        assert modal["type"] == 9, modal
        assert stack.fake.calls_to("GET", f"/messages/{message['id']}")
        assert inputs(modal) == {"text": "Pairing across zones worked for us"}
        thanks = await stack.interact(
            5, modal_submit(yes.replace("consent", "nominated"), {"text": "Pairing worked!"}), BOB
        )
        assert "Your story #1 is in" in said(thanks)
        async with stack.harness.store.read() as session:
            (story,) = (await session.exec(select(Story))).all()
        assert story.text == "Pairing worked!"


async def test_without_the_intent_the_author_types_the_link(store: Store) -> None:
    async with running(store) as stack:
        stack.harness.messages.add("discord", stack.runtime.messages)
        message = bobs_message(stack.fake, "see https://example.org/guide")
        yes = await react(stack, message, "🔖")
        modal = await press(stack, yes, BOB)
        assert modal["type"] == 9
        assert not stack.fake.calls_to("GET", f"/messages/{message['id']}")
        assert inputs(modal) == {"url": None, "title": None, "tags": None}
        form = yes.replace("consent", "nominated")
        bad = await stack.interact(
            5, modal_submit(form, {"url": "ftp://example.org", "title": "Guide", "tags": ""}), BOB
        )
        assert "http:// or https://" in said(bad)
        values = {"url": "https://example.org/guide", "title": "Guide", "tags": "pairs"}
        added = await stack.interact(5, modal_submit(form, values), BOB)
        assert "Added #1 to the library: Guide" in said(added)
        async with stack.harness.store.read() as session:
            assert [r.url for r in (await session.exec(select(Resource))).all()] == [
                "https://example.org/guide"
            ]


async def test_a_star_on_copbots_own_message_asks_nobody(store: Store) -> None:
    async with running(store) as stack:
        message = message_create(message_id(), BOB)
        own = {**reaction_add(message, FACILITATOR, "⭐"), "message_author_id": BOT_ID}
        await stack.fake.dispatch("MESSAGE_REACTION_ADD", own)
        # The reaction is counted, then no question follows.
        await eventually_async(lambda: reactions_counted(stack), 1)
        await stack.harness.core.nominator.settle()
        async with stack.harness.store.read() as session:
            assert (await session.exec(select(Nomination))).all() == []
            assert BOT_ID not in (await session.exec(select(Identity.user_id))).all()


async def test_a_star_on_another_bots_message_asks_nobody(store: Store) -> None:
    async with running(store) as stack:
        helper_bot = {**member("7777", "helperbot"), "user": user("7777", "helperbot", True)}
        await stack.fake.dispatch("GUILD_MEMBER_ADD", {**helper_bot, "guild_id": GUILD_ID})
        await eventually(lambda: stack.runtime.client.get_user(7777))
        message = message_create(message_id(), BOB)
        theirs = {**reaction_add(message, FACILITATOR, "⭐"), "message_author_id": "7777"}
        await stack.fake.dispatch("MESSAGE_REACTION_ADD", theirs)
        await eventually_async(lambda: reactions_counted(stack), 1)
        await stack.harness.core.nominator.settle()
        async with stack.harness.store.read() as session:
            assert (await session.exec(select(Nomination))).all() == []
            assert "7777" not in (await session.exec(select(Identity.user_id))).all()


async def reactions_counted(stack: DiscordStack) -> int:
    async with stack.harness.store.read() as session:
        kinds = (await session.exec(select(LedgerEntry.kind))).all()
    return kinds.count("reaction")


async def test_with_the_intent_no_message_text_is_kept_before_a_yes(store: Store) -> None:
    # With Message Content, Discord sends every message's text; discord.py would keep the last
    # 1,000 messages in memory. copbot keeps none: it counts them, and reads one after a yes.
    async with running(store, message_content=True) as stack:
        message = {**message_create(message_id(), BOB), "content": "a private thought"}
        await stack.fake.dispatch("MESSAGE_CREATE", message)
        await eventually_async(lambda: messages_counted(stack), 1)
        assert list(stack.runtime.client.cached_messages) == []


async def messages_counted(stack: DiscordStack) -> int:
    async with stack.harness.store.read() as session:
        kinds = (await session.exec(select(LedgerEntry.kind))).all()
    return kinds.count("message")
