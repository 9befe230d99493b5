"""Nominations with consent: a reaction suggested someone's message as a resource or a story;
its author alone says yes (and edits what is kept) or no. The message is read, if the
platform allows, only after their yes."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping

from bot.context import CommandContext
from bot.ids import InteractionId, interaction_id
from bot.knowledge_input import BadInput, checked_story, checked_tags, checked_title, checked_url
from bot.outbox_keys import NOMINATION, nomination_key
from bot.ui import (
    Button,
    Effect,
    Field,
    Form,
    FormErrors,
    Message,
    Outgoing,
    Recipient,
    Reply,
    ShowForm,
)
from bot.usecases.resources import added, record_resource
from bot.usecases.stories import record_story, recorded
from storage import nominations
from storage.models import Nomination
from storage.models.knowledge import MAX_STORY, MAX_TITLE, MAX_URL

log = logging.getLogger(__name__)
# How long a click waits for the platform to give the message's text: the form must open
# within the platform's 3 seconds, so past this it opens empty for the author to fill in.
READ_WAIT = 1.5
_URL = re.compile(r"https?://[^\s<>|\"]+")
# A nomination's number as copbot wrote it: ASCII digits ("²" is a digit to isdigit()) that an
# INTEGER column holds, so that a forged id is "no longer open", not a crash.
_NUMBER = re.compile(r"[0-9]{1,9}")
NOT_YOURS = "🔒 Only the author of the message can answer this. Nothing changed."
GONE = "This question is no longer open. Nothing changed."
ALREADY = "You said yes to this one already: it is in. Nothing changed."


def ask_author(nomination: Nomination, link: str | None = None) -> Outgoing:
    """The private question to the message's author: may it be added? With a link to the
    message, where the platform has one, so that they know which one is meant."""
    assert nomination.id is not None
    if nomination.kind == "resource":
        text = (
            "🔖 Someone marked a message of yours as worth keeping in the community's library. "
            "May I add its link? I have not read it: only your yes lets me, and you can edit "
            "the link, title and tags first."
        )
    else:
        what = "reflection on practice" if nomination.reflection else "story"
        text = (
            f"⭐ Someone marked a message of yours as a {what} worth telling. May it enter the "
            "community's report? I have not read it: only your yes lets me, you can edit the "
            "text first, and `/cop story withdraw` takes it out any time."
        )
    if link:
        text += f"\nThe message: {link}"
    buttons = (
        Button("Yes, add it", interaction_id("consent", "nomination", nomination.id), "primary"),
        Button("No, thanks", interaction_id("decline", "nomination", nomination.id)),
    )
    return Outgoing(
        Recipient(nomination.platform, nomination.workspace, user=nomination.author_user),
        Message(text, buttons=buttons),
        nomination_key(
            nomination.kind, nomination.platform, nomination.workspace, nomination.message_ref
        ),
        kind=NOMINATION,
        subject=str(nomination.id),
    )


async def _open(ctx: CommandContext, target: InteractionId) -> Nomination | Reply:
    """The nomination a button or form is about, if it is the actor's to answer."""
    found = None
    if _NUMBER.fullmatch(target.id):
        found = await nominations.nomination_in(session=ctx.session, nomination_id=int(target.id))
    if found is None or found.community_id != ctx.community_id:
        return Reply(Message(GONE))
    actor = ctx.actor
    if (actor.platform, actor.workspace, actor.user) != (
        found.platform,
        found.workspace,
        found.author_user,
    ):
        return Reply(Message(NOT_YOURS))
    if found.answer == "yes":
        return Reply(Message(ALREADY))
    return found


async def _read(ctx: CommandContext, nomination: Nomination) -> str:
    """The message's text, read now that its author said yes; "" when the platform will not
    say (the form then asks for it)."""
    reader = ctx.services.messages
    if reader is None:
        return ""
    try:
        text = await asyncio.wait_for(
            reader.text_of(
                nomination.platform,
                nomination.workspace,
                nomination.channel,
                nomination.message_ref,
            ),
            READ_WAIT,
        )
    except Exception as error:  # a slow or failing platform: the author types it instead
        log.warning("could not read nominated message %s: %r", nomination.message_ref, error)
        return ""
    return text or ""


def _read_resource(text: str) -> dict[str, str]:
    """A resource's fields as a message suggests them: its first link, the rest as title."""
    link = _URL.search(text)
    url = link.group().rstrip(".,;:!?)>") if link else ""
    title = " ".join(_URL.sub(" ", text).split())
    return {"url": url[:MAX_URL], "title": title[:MAX_TITLE], "tags": ""}


def _resource_form(nomination_id: int, values: Mapping[str, str]) -> Form:
    def given(name: str, limit: int) -> str:
        return values.get(name, "")[:limit]

    return Form(
        interaction_id("nominated", "nomination", nomination_id),
        "Add to the library",
        (
            Field(
                "url",
                "Link (http:// or https://)",
                "short",
                initial=given("url", MAX_URL),
                max_length=MAX_URL,
            ),
            Field(
                "title", "Title", "short", initial=given("title", MAX_TITLE), max_length=MAX_TITLE
            ),
            Field(
                "tags",
                "Tags, separated by commas",
                "short",
                required=False,
                initial=given("tags", 300),
                max_length=300,
            ),
        ),
        submit_label="Add it",
    )


def _story_form(nomination: Nomination, text: str) -> Form:
    assert nomination.id is not None
    what = "reflection" if nomination.reflection else "story"
    return Form(
        interaction_id("nominated", "nomination", nomination.id),
        f"Your {what}",
        (
            Field(
                "text",
                f"Your {what}, as it may be shown",
                initial=text.strip()[:MAX_STORY],
                max_length=MAX_STORY,
                placeholder="Edit it as you like: only what you submit is kept.",
            ),
        ),
        submit_label="Share it",
    )


async def consent(ctx: CommandContext, target: InteractionId) -> list[Effect]:
    """The author said yes: the form to edit what is kept, filled in where the platform lets
    copbot read the message."""
    found = await _open(ctx, target)
    if isinstance(found, Reply):
        return [found]
    assert found.id is not None
    text = await _read(ctx, found)
    if found.kind == "resource":
        form = _resource_form(found.id, _read_resource(text))
    else:
        form = _story_form(found, text)
    return [ShowForm(form)]


async def decline(ctx: CommandContext, target: InteractionId) -> list[Effect]:
    """The author said no: nothing is recorded, and they are not asked again."""
    found = await _open(ctx, target)
    if isinstance(found, Reply):
        return [found]
    await nominations.answer(session=ctx.session, nomination=found, said="no")
    return [Reply(Message("👍 Nothing was added, and I will not ask about that message again."))]


async def confirm(
    ctx: CommandContext, target: InteractionId, values: Mapping[str, str]
) -> list[Effect]:
    """The author submitted the form: what they confirmed is recorded."""
    found = await _open(ctx, target)
    if isinstance(found, Reply):
        return [found]
    assert found.id is not None
    try:
        if found.kind == "resource":
            url = checked_url(values.get("url", ""))
            title = checked_title(values.get("title", ""))
            tags = checked_tags(values.get("tags", ""))
        else:
            text = checked_story(values.get("text", ""))
    except BadInput as bad:
        # The form again with what they typed, so that only the wrong field needs retyping.
        form = (
            _resource_form(found.id, values)
            if found.kind == "resource"
            else _story_form(found, values.get("text", ""))
        )
        return [FormErrors(form, ((bad.field, bad.message),))]
    if not await nominations.say_yes(session=ctx.session, nomination=found):
        return [Reply(Message(ALREADY))]
    if found.kind == "resource":
        resource = await record_resource(ctx, url, title, tags, found.channel)
        return [Reply(Message(added(resource)))]
    kind = "reflection" if found.reflection else "story"
    story = await record_story(ctx, text, kind, found.channel)
    return [Reply(Message(recorded(story)))]
