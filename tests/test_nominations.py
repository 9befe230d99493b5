"""Nomination by reaction, with consent, on the console: a configured reaction asks the
message's author privately (once per message and kind); only their yes, through a form they
edit, records a story (a reflection, in a reflect prompt's thread) or a resource."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlmodel import col, select

from bot.config import ConfigError
from bot.events import MessagePosted, ReactionAdded
from bot.outbox_keys import NOMINATION
from bot.spool import decode, encode
from bot.ui import FormErrors, Reply, ShowForm
from storage.engine import Store
from storage.models import LedgerEntry, Nomination, OutboxRow, Resource, Story
from tests.factories import DEMO_CONFIG, START, Harness, actor, config, event_id, place, text_of
from tests.test_prompts import MONDAY, fire_on, posted_id


async def react(
    harness: Harness, user: str, emoji: str, message: str, author: str, thread: str | None = None
) -> None:
    """``user`` reacts with ``emoji`` to ``author``'s message ``message``; the question is
    queued once the nomination's task is done."""
    event = ReactionAdded(
        actor(user),
        place(thread=thread),
        event_id(),
        harness.clock.now(),
        emoji=emoji,
        message_ref=message,
        message_author=author,
    )
    await harness.core.handle(event)
    await harness.core.nominator.settle()


async def questions(harness: Harness) -> list[OutboxRow]:
    async with harness.store.read() as session:
        query = select(OutboxRow).where(col(OutboxRow.kind) == NOMINATION)
        return list((await session.exec(query.order_by(col(OutboxRow.id)))).all())


async def stored(harness: Harness, table: type[Story] | type[Resource]) -> list:  # type: ignore[type-arg]
    async with harness.store.read() as session:
        return list((await session.exec(select(table))).all())


async def test_a_star_asks_the_author_once_and_only_their_yes_records_the_story(
    harness: Harness,
) -> None:
    await react(harness, "carol", "star", "m100", "bob")
    await react(harness, "dave", "⭐", "m100", "bob")  # Discord's character: the same message
    (asked,) = await questions(harness)
    assert asked.recipient_user == "bob"
    shown = await harness.deliver()
    assert "[copbot → DM to bob]" in shown
    assert "as a story worth telling. May it enter the community's report?" in shown
    assert "I have not read it" in shown
    yes = asked.payload["buttons"][0]["action_id"]
    assert yes == "consent:nomination:1"
    # Somebody else presses bob's button: nothing changes.
    (refused,) = await harness.click(yes, "carol")
    assert isinstance(refused, Reply) and "Only the author of the message" in refused.message.text
    (form,) = await harness.click(yes, "bob")
    assert isinstance(form, ShowForm) and form.form.title == "Your story"
    (field,) = form.form.fields
    assert field.initial == ""  # the console cannot read the message: bob writes it
    said = text_of(
        await harness.submit(form.form.form_id, {"text": "Our first pair review!"}, "bob")
    )
    assert said.startswith("🌟 Thank you! Your story #1 is in")
    assert "`/cop story withdraw 1`" in said
    (story,) = await stored(harness, Story)
    assert (story.text, story.kind) == ("Our first pair review!", "story")
    # A second submission of the same form records nothing more.
    again = text_of(await harness.submit(form.form.form_id, {"text": "Again"}, "bob"))
    assert "You said yes to this one already" in again
    assert len(await stored(harness, Story)) == 1
    listed = await harness.say("story list", user="alice")
    assert "• #1 🌟 story by bob, " in listed and "Our first pair review!" in listed
    async with harness.store.read() as session:
        kinds = (await session.exec(select(LedgerEntry.kind))).all()
    assert kinds.count("story") == 1


async def test_no_thanks_records_nothing_and_asks_no_more(harness: Harness) -> None:
    await react(harness, "carol", "star", "m7", "bob")
    (asked,) = await questions(harness)
    no = asked.payload["buttons"][1]["action_id"]
    assert "Nothing was added" in text_of(await harness.click(no, "bob"))
    await react(harness, "dave", "star", "m7", "bob")
    assert len(await questions(harness)) == 1
    assert await stored(harness, Story) == []
    async with harness.store.read() as session:
        (nomination,) = (await session.exec(select(Nomination))).all()
    assert nomination.answer == "no"


async def test_other_reactions_and_bots_nominate_nothing(harness: Harness) -> None:
    await react(harness, "carol", "thumbsup", "m1", "bob")
    await harness.core.handle(
        ReactionAdded(
            actor("bot", bot=True),
            place(),
            event_id(),
            harness.clock.now(),
            emoji="star",
            message_ref="m2",
            message_author="bob",
        )
    )
    await harness.core.handle(  # a platform that did not say who wrote the message
        ReactionAdded(
            actor("carol"), place(), event_id(), harness.clock.now(), emoji="star", message_ref="m3"
        )
    )
    await harness.core.nominator.settle()
    assert await questions(harness) == []


async def test_a_bookmark_adds_a_link_the_author_types_in_and_bad_links_are_refused(
    harness: Harness,
) -> None:
    await react(harness, "carol", "bookmark", "m5", "bob")
    (asked,) = await questions(harness)
    assert "worth keeping in the community's library" in asked.payload["text"]
    (form,) = await harness.click(asked.payload["buttons"][0]["action_id"], "bob")
    assert isinstance(form, ShowForm) and form.form.title == "Add to the library"
    assert [f.name for f in form.form.fields] == ["url", "title", "tags"]
    form_id = form.form.form_id
    for bad in ("ftp://example.org", "https://example.org/" + "a" * 1981):
        (errors,) = await harness.submit(form_id, {"url": bad, "title": "T", "tags": ""}, "bob")
        assert isinstance(errors, FormErrors) and errors.errors[0][0] == "url"
    assert "2,001 characters; at most 2,000 fit" in errors.errors[0][1]
    # The form comes back with what was typed: only the link needs typing again.
    assert [f.initial for f in errors.form.fields][1:] == ["T", ""]
    assert await stored(harness, Resource) == []
    values = {"url": "https://example.org/guide", "title": "Pairing guide", "tags": "pairs"}
    assert "Only the author of the message" in text_of(
        await harness.submit(form_id, values, "carol")
    )
    assert await stored(harness, Resource) == []
    said = text_of(await harness.submit(form_id, values, "bob"))
    assert said.startswith("📚 Added #1 to the library: Pairing guide (tags: pairs)")
    assert "Pairing guide" in await harness.say("resource find pairs", user="dave")


async def test_a_star_on_a_reply_to_a_reflect_prompt_nominates_a_reflection(
    harness: Harness,
) -> None:
    await harness.say('prompt add text:"What changed in your practice?" kind:reflect')
    await harness.say('prompt schedule schedule:"mon 10:00" channel:#general')
    await fire_on(harness, MONDAY)
    thread = await posted_id(harness)
    reply = MessagePosted(
        actor("bob"),
        place(thread=thread),
        event_id(),
        harness.clock.now(),
        is_reply=True,
        message_ref="r1",
    )
    await harness.core.handle(reply)
    await react(harness, "carol", "star", thread, "copbot")  # copbot's own post: nobody's
    assert await questions(harness) == []
    await react(harness, "carol", "star", "r1", "bob", thread=thread)
    (asked,) = await questions(harness)
    assert "as a reflection on practice worth telling" in asked.payload["text"]
    (form,) = await harness.click(asked.payload["buttons"][0]["action_id"], "bob")
    assert isinstance(form, ShowForm) and form.form.title == "Your reflection"
    await harness.submit(form.form.form_id, {"text": "I ask before I tell now."}, "bob")
    (story,) = await stored(harness, Story)
    assert story.kind == "reflection"


async def test_a_story_told_directly_is_withdrawn_by_its_author_only(harness: Harness) -> None:
    said = await harness.say('story add text:"We shipped the guide together"', user="bob")
    assert said.startswith("🌟 Thank you! Your story #1 is in")
    assert "only its author can" in await harness.say("story withdraw 1", user="alice")
    assert "✅ Story #1 is withdrawn" in await harness.say("story withdraw 1", user="bob")
    assert "No stories yet" in await harness.say("story list", user="alice")
    (story,) = await stored(harness, Story)
    assert story.text == "" and story.withdrawn_at is not None
    assert "is for facilitators" in await harness.say("story list", user="bob")
    assert "`text` cannot be empty" in await harness.say('story add text:"  "', user="bob")


def test_a_spooled_reaction_keeps_what_a_nomination_needs_and_old_lines_still_read() -> None:
    reaction = ReactionAdded(
        actor("carol"),
        place(),
        "ev-1",
        START,
        emoji="star",
        message_ref="1733000000.000500",
        message_author="UBOB",
    )
    assert decode(encode(reaction)) == reaction
    # A line spooled by a copbot from before these fields: the defaults fill them in.
    old = json.loads(encode(reaction))
    for name in ("emoji", "message_ref", "message_author"):
        del old[name]
    assert decode(json.dumps(old)) == ReactionAdded(actor("carol"), place(), "ev-1", START)


def test_the_reactions_are_configured_checked_and_can_be_turned_off() -> None:
    cfg = config({**DEMO_CONFIG, "resources": {"reaction": ":books:"}, "stories": {"reaction": ""}})
    assert cfg.resources.matches("books") and cfg.resources.matches("📚")
    assert not cfg.resources.matches("bookmark") and not cfg.stories.matches("star")
    assert config().stories.matches("⭐") and config().resources.matches("bookmark")
    with pytest.raises(ConfigError) as caught:
        config({**DEMO_CONFIG, "stories": {"reaction": "gold star", "emoji": "x"}})
    said = str(caught.value)
    assert "stories.reaction" in said and 'expected an emoji name such as "bookmark"' in said
    assert "stories.emoji" in said  # an unknown key, reported in the same breath


async def test_with_the_reactions_off_nobody_is_asked(store: Store) -> None:
    off = {**DEMO_CONFIG, "resources": {"reaction": ""}, "stories": {"reaction": ""}}
    harness = await Harness.start(store, config(off))
    try:
        await react(harness, "carol", "star", "m1", "bob")
        await react(harness, "carol", "bookmark", "m1", "bob")
        assert await questions(harness) == []
    finally:
        await harness.close()


async def test_forged_question_ids_are_answered_not_crashed(harness: Harness) -> None:
    await react(harness, "carol", "star", "m9", "bob")
    for number in ("²", "99999999999999999999"):
        for click in ("consent", "decline"):
            said = text_of(await harness.click(f"{click}:nomination:{number}", "bob"))
            assert "This question is no longer open" in said, said
        submitted = await harness.submit(f"nominated:nomination:{number}", {"text": "x"}, "bob")
        assert "This question is no longer open" in text_of(submitted)
    assert await stored(harness, Story) == []


async def test_a_form_submitted_several_times_at_once_records_one_story(harness: Harness) -> None:
    # A double click on Submit, or a retry: concurrent submissions, one yes, one story.
    await react(harness, "carol", "star", "m100", "bob")
    (asked,) = await questions(harness)
    (form,) = await harness.click(asked.payload["buttons"][0]["action_id"], "bob")
    assert isinstance(form, ShowForm)
    submitted = [harness.submit(form.form.form_id, {"text": f"take {n}"}, "bob") for n in range(3)]
    said = [text_of(r) for r in await asyncio.gather(*submitted)]
    assert len(await stored(harness, Story)) == 1
    assert sum("Thank you!" in s for s in said) == 1
    assert sum("You said yes to this one already" in s for s in said) == 2


async def test_an_author_who_opted_out_is_never_asked(harness: Harness) -> None:
    await harness.post("bob")
    await harness.say("privacy optout confirm:yes", user="bob")
    await react(harness, "carol", "star", "m300", "bob")
    await react(harness, "carol", "bookmark", "m301", "bob")
    assert await questions(harness) == []
    async with harness.store.read() as session:
        assert (await session.exec(select(Nomination))).all() == []
