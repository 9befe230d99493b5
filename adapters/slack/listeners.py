"""Bolt listeners: acknowledge first, translate to a neutral event, hand it to the core, render."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound, render
from adapters.slack.admission import CommandSlots
from adapters.slack.people import SlackPeople
from adapters.slack.replies import ResponseUrls
from bot.clock import Clock
from bot.core import Copbot, Response
from bot.errors import StoreUnavailable
from bot.events import (
    CommandInvoked,
    InboundEvent,
    MemberJoined,
    MemberLeft,
    MessagePosted,
    ReactionAdded,
)
from bot.ui import FormErrors, HomeView, Message, Reply, ShowForm

log = logging.getLogger(__name__)
Respond = Callable[..., Awaitable[Any]]
SORRY = "⚠️ I could not read that request from Slack. Nothing was changed."


async def _show(
    responses: list[Response],
    *,
    client: AsyncWebClient,
    respond: Respond | None,
    trigger_id: str | None,
    user: str,
) -> None:
    """Show the core's responses to the person who acted; a Slack failure is logged, not raised
    (what the core did is already committed)."""
    try:
        await _show_each(responses, client, respond, trigger_id, user)
    except (SlackApiError, aiohttp.ClientError, OSError, TimeoutError) as error:
        log.warning("slack: could not show a response to %s: %s", user, error)


async def _show_each(
    responses: list[Response],
    client: AsyncWebClient,
    respond: Respond | None,
    trigger_id: str | None,
    user: str,
) -> None:
    for response in responses:
        if isinstance(response, ShowForm) and trigger_id:
            await client.views_open(trigger_id=trigger_id, view=render.modal(response.form))
        elif isinstance(response, Reply):
            kind = "ephemeral" if response.ephemeral else "in_channel"
            text, blocks = render.fallback_text(response.message), render.blocks(response.message)
            if respond is not None:
                await respond(text=text, blocks=blocks, response_type=kind, replace_original=False)
            else:
                await client.chat_postMessage(channel=user, text=text, blocks=blocks)
        elif isinstance(response, HomeView):
            await client.views_publish(user_id=user, view=render.home(response.message))


# Events API types that become ledger rows, and how each is translated.
COUNTED_EVENTS: dict[str, Callable[..., InboundEvent | None]] = {
    "message": inbound.message,
    "reaction_added": inbound.reaction,
    "member_joined_channel": inbound.joined,
    "team_join": inbound.joined,
}
SUBSCRIBED_EVENTS = (*COUNTED_EVENTS, "app_home_opened")
ACK_WITHIN = 2.5  # seconds; Slack retries an event it has no answer to within 3


def _countable(body: Mapping[str, Any]) -> Callable[..., InboundEvent | None] | None:
    event = body.get("event") if body.get("type") == "event_callback" else None
    return COUNTED_EVENTS.get(str(event.get("type"))) if isinstance(event, Mapping) else None


def ack_after_commit(
    core: Copbot, people: SlackPeople, clock: Clock, ack_within: float
) -> Callable[..., Awaitable[BoltResponse]]:
    """A global Bolt middleware that answers countable events itself, once their ledger row is
    committed: Bolt's event listeners are acknowledged before they run (``auto_acknowledgement``
    without ``process_before_response``), which would lose an event the database cannot take.
    When it cannot, Slack gets a 503 (HTTP) or no ack (Socket Mode) and delivers it again; the
    event id makes the redelivery count once. Commands and clicks are untouched: they still ack
    first and work after."""

    async def count_then_ack(body: dict[str, Any], next: Callable[[], Awaitable[Any]]) -> Any:
        translate = _countable(body)
        if translate is None:
            return await next()
        try:
            actor = await people.actor(inbound.team_of(body), inbound.event_user(body))
            event = translate(body, actor, clock.now())
        except (inbound.PayloadError, KeyError, TypeError) as error:
            log.warning("slack: ignored a malformed %s event: %s", translate.__name__, error)
            return BoltResponse(status=200, body="")  # bad input: a redelivery would not help
        if event is None or not isinstance(
            event, MessagePosted | ReactionAdded | MemberJoined | MemberLeft
        ):
            return BoltResponse(status=200, body="")
        counting = asyncio.ensure_future(core.count(event))
        try:
            # Shielded: past Slack's deadline the commit may still land; the retry is a duplicate.
            await asyncio.wait_for(asyncio.shield(counting), ack_within)
        except (StoreUnavailable, TimeoutError):
            counting.add_done_callback(_quiet)
            return BoltResponse(status=503, body="copbot cannot save right now; retry later")
        return BoltResponse(status=200, body="")

    return count_then_ack


def _quiet(task: asyncio.Future[None]) -> None:
    # The outcome of a commit Slack no longer waits for: its redelivery decides.
    if not task.cancelled():
        task.exception()


def _reply_to(replies: ResponseUrls, url: object) -> Respond | None:
    """A ``respond()`` for one response URL on the shared session, or None without a URL."""
    if not url:
        return None

    async def respond(**message: Any) -> Any:
        return await replies.post(str(url), **message)

    return respond


def register(
    app: AsyncApp,
    core: Copbot,
    people: SlackPeople,
    clock: Clock,
    replies: ResponseUrls,
    ack_within: float = ACK_WITHIN,
) -> None:
    """Attach copbot's listeners to a Bolt app: /cop, buttons, modals and the Events API."""

    slots = CommandSlots()

    async def command_event(body: dict[str, Any]) -> CommandInvoked | None:
        try:
            actor = await people.actor(inbound.team_of(body), inbound.user_id(body.get("user_id")))
            event = inbound.command(body, actor, clock.now())
        except inbound.PayloadError as error:
            log.warning("slack: ignored a malformed slash command: %s", error)
            return None
        # The core only stores people Slack confirmed: ask about each one mentioned.
        named = {u: await people.confirmed(u) for u in inbound.mentioned(event.text)}
        confirmed = {user: name for user, name in named.items() if name is not None}
        return dataclasses.replace(event, people=confirmed)

    @app.command("/cop")
    async def on_command(ack: Any, body: dict[str, Any], client: Any) -> None:
        # Slack always sends a response_url; without one the answer goes to a DM.
        respond = _reply_to(replies, body.get("response_url"))
        async with slots.slot():  # under a burst, wait (briefly) here rather than after the ack
            await ack()  # within Slack's 3 seconds, before any work
            event = await command_event(body)
            responses = await core.handle(event) if event is not None else []
        if event is None:
            if respond is not None:
                await respond(text=SORRY, response_type="ephemeral")
            return
        await _show(
            responses,
            client=client,
            respond=respond,
            trigger_id=body.get("trigger_id"),
            user=event.actor.user,
        )

    @app.action(re.compile(".+"))
    async def on_button(ack: Any, body: dict[str, Any], client: Any) -> None:
        await ack()
        try:
            actor = await people.actor(inbound.team_of(body), inbound.user_id(body["user"]["id"]))
            event = inbound.button(body, actor, clock.now())
        except (inbound.PayloadError, KeyError, TypeError):
            log.warning("malformed block_actions payload")
            return
        responses = await core.handle(event)
        await _show(
            responses,
            client=client,
            respond=_reply_to(replies, body.get("response_url")),
            trigger_id=body.get("trigger_id"),
            user=actor.user,
        )

    @app.view(re.compile(".+"))
    async def on_submit(ack: Any, body: dict[str, Any], client: Any) -> None:
        try:
            actor = await people.actor(inbound.team_of(body), inbound.user_id(body["user"]["id"]))
            event = inbound.submission(body, actor, clock.now())
        except (inbound.PayloadError, KeyError, TypeError, AttributeError):
            log.warning("malformed view_submission payload")
            await ack(response_action="update", view=render.notice("copbot", Message(SORRY)))
            return
        # The core decides before the ack: errors go back inline, under their fields.
        responses = await core.handle(event)
        rejected = next((r for r in responses if isinstance(r, FormErrors)), None)
        reply = next((r for r in responses if isinstance(r, Reply)), None)
        following = next((r for r in responses if isinstance(r, ShowForm)), None)
        if rejected is not None:
            await ack(response_action="errors", errors=render.modal_errors(rejected))
        elif following is not None:  # the form's next page, in place of this one
            await ack(response_action="update", view=render.modal(following.form))
        elif reply is not None:
            title = inbound.view_title(body) or "copbot"
            await ack(response_action="update", view=render.notice(title, reply.message))
        else:
            await ack()

    app.middleware(ack_after_commit(core, people, clock, ack_within))

    @app.event("app_home_opened")
    async def on_home(body: dict[str, Any], client: Any) -> None:
        try:
            actor = await people.actor(inbound.team_of(body), inbound.event_user(body))
        except inbound.PayloadError:
            log.warning("malformed app_home_opened event")
            return
        responses = await core.handle(inbound.home_opened(body, actor, clock.now()))
        await _show(responses, client=client, respond=None, trigger_id=None, user=actor.user)
