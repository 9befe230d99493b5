"""Nomination by reaction on Slack through the local stand-in: a :star: or :bookmark: on a
message asks its author by DM; their yes reads that one message (conversations.history, or
conversations.replies for a reply in a thread) into the modal they edit; only its submission
records anything."""

from __future__ import annotations

import json

from sqlmodel import select

from storage.models import Identity, Nomination, Resource, Story
from tests.slack_kit import (
    TEAM,
    button_payload,
    eventually,
    eventually_async,
    submission_payload,
)
from tests.test_slack import SlackStack, reply_text
from tests.test_slack import stack as stack

STAR_ON_BOBS = {
    "type": "reaction_added",
    "user": "UFAC",
    "reaction": "star",
    "item_user": "UBOB",
    "item": {"type": "message", "channel": "C1", "ts": "1733000000.000500"},
    "event_ts": "1733000100.000100",
}


async def question_to(stack: SlackStack, user: str) -> dict[str, object]:
    """The DM that asks ``user`` about their message, once sent."""
    await stack.harness.core.nominator.settle()
    await stack.harness.delivery.deliver_due()
    return await eventually(
        lambda: next(
            (
                c
                for c in stack.fake.calls_to("chat.postMessage")
                if c["channel"] == f"D{user}" and "Someone marked" in c["text"]
            ),
            None,
        )
    )


async def test_a_star_asks_the_author_and_their_yes_fills_the_modal_with_their_message(
    stack: SlackStack,
) -> None:
    fake, slack = stack.fake, stack.slack
    stack.harness.messages.add("slack", stack.runtime.messages)
    fake.history["C1"] = [
        {"ts": "1733000000.000600", "user": "UCAROL", "text": "a later one"},
        {"ts": "1733000000.000500", "user": "UBOB", "text": "We paired &amp; it <b>worked</b>"},
    ]
    assert await slack.event(STAR_ON_BOBS, "EvStar") == 200
    assert await slack.event({**STAR_ON_BOBS, "user": "UCAROL"}, "EvStar2") == 200
    dm = await question_to(stack, "UBOB")
    assert "as a story worth telling" in dm["text"]
    assert not fake.calls_to("conversations.history")  # nothing is read before the yes
    # The question links to the message it means (chat.getPermalink reads nothing of it).
    assert "The message: https://fake.slack.com/archives/C1/p1733000000000500" in dm["text"]
    (yes, no) = dm["blocks"][-1]["elements"]
    assert (yes["action_id"], no["action_id"]) == ("consent:nomination:1", "decline:nomination:1")
    # Somebody else's yes changes nothing and opens nothing.
    status, _ = await slack.interaction(
        button_payload(yes["action_id"], user="UFAC", response_url=fake.response_url("f"))
    )
    assert status == 200
    assert "Only the author of the message" in (await eventually(lambda: slack.replies("f")))[0]
    status, _ = await slack.interaction(button_payload(yes["action_id"], user="UBOB"))
    assert status == 200
    (opened,) = await eventually(lambda: fake.calls_to("views.open"))
    (read,) = fake.calls_to("conversations.history")
    assert (read["channel"], read["latest"], read["limit"]) == ("C1", "1733000000.000500", "1")
    view = opened["view"]
    assert view["title"]["text"] == "Your story"
    (block,) = view["blocks"]
    assert block["element"]["initial_value"] == "We paired & it <b>worked</b>"
    status, body = await slack.interaction(
        submission_payload(view["callback_id"], {"text": "We paired, and it worked."})
    )
    assert status == 200
    assert "Your story #1 is in" in json.dumps(json.loads(body), ensure_ascii=False)
    async with stack.harness.store.read() as session:
        (story,) = (await session.exec(select(Story))).all()
    assert story.text == "We paired, and it worked."
    said = await reply_text(stack, await slack.command("story list"))
    assert "#1 🌟 story by Bob" in said
    # One question, however many stars.
    assert len([c for c in fake.calls_to("chat.postMessage") if c["channel"] == "DUBOB"]) == 1


async def test_a_bookmark_on_a_reply_reads_it_from_its_thread(stack: SlackStack) -> None:
    fake, slack = stack.fake, stack.slack
    stack.harness.messages.add("slack", stack.runtime.messages)
    fake.history["C1"] = [{"ts": "1733000000.000100", "user": "UFAC", "text": "Links?"}]
    fake.threads[("C1", "1733000000.000100")] = [
        {
            "ts": "1733000000.000200",
            "user": "UBOB",
            "text": "The guide <https://example.org/pairs|example.org/pairs> helped",
        }
    ]
    event = {
        **STAR_ON_BOBS,
        "reaction": "bookmark",
        "item": {"type": "message", "channel": "C1", "ts": "1733000000.000200"},
    }
    assert await slack.event(event, "EvBook") == 200
    dm = await question_to(stack, "UBOB")
    assert "worth keeping in the community's library" in dm["text"]
    yes = dm["blocks"][-1]["elements"][0]["action_id"]
    await slack.interaction(button_payload(yes, user="UBOB"))
    (opened,) = await eventually(lambda: fake.calls_to("views.open"))
    assert fake.calls_to("conversations.replies")[0]["ts"] == "1733000000.000200"
    fields = {b["block_id"]: b["element"].get("initial_value") for b in opened["view"]["blocks"]}
    assert fields == {"url": "https://example.org/pairs", "title": "The guide helped", "tags": None}
    values = {"url": "https://example.org/pairs", "title": "Pairing guide", "tags": "pairs"}
    status, _ = await slack.interaction(submission_payload(opened["view"]["callback_id"], values))
    assert status == 200

    async def titles() -> list[str]:
        async with stack.harness.store.read() as session:
            return [r.title for r in (await session.exec(select(Resource))).all()]

    await eventually_async(titles, ["Pairing guide"])


async def test_when_slack_will_not_give_the_message_the_author_types_it(
    stack: SlackStack,
) -> None:
    fake, slack = stack.fake, stack.slack
    stack.harness.messages.add("slack", stack.runtime.messages)
    fake.script("conversations.history", 200, {"ok": False, "error": "not_in_channel"})
    assert await slack.event(STAR_ON_BOBS, "EvStar") == 200
    dm = await question_to(stack, "UBOB")
    await slack.interaction(button_payload(dm["blocks"][-1]["elements"][0]["action_id"], "UBOB"))
    (opened,) = await eventually(lambda: fake.calls_to("views.open"))
    assert "initial_value" not in opened["view"]["blocks"][0]["element"]


async def test_a_star_on_copbots_own_message_asks_nobody(stack: SlackStack) -> None:
    # Its outbox row may be long pruned (a check-in, a DM): Slack's authorizations say who
    # copbot is, and copbot is nobody's author to ask.
    body = {
        "type": "event_callback",
        "team_id": TEAM,
        "event_id": "EvStarOwn",
        "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
        "event": {**STAR_ON_BOBS, "item_user": "UBOT"},
    }
    assert (await stack.slack.send(json.dumps(body), "application/json")).status == 200
    await stack.harness.core.nominator.settle()
    async with stack.harness.store.read() as session:
        assert (await session.exec(select(Nomination))).all() == []
        names = (await session.exec(select(Identity.user_id))).all()
    assert "UBOT" not in names
