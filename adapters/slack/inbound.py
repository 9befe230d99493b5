"""Slack payloads to neutral events. Pure functions: no I/O, no Slack client."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.events import (
    Actor,
    ButtonClicked,
    CommandInvoked,
    FormSubmitted,
    HomeOpened,
    MemberJoined,
    MessagePosted,
    Place,
    ReactionAdded,
)
from bot.safe_text import slack_unescape

PLATFORM = "slack"
# Message subtypes that are a person posting; the others are edits, deletions, joins, bots.
COUNTED_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}


_TS = re.compile(r"\d{1,11}(\.\d{1,9})?")
_ID = re.compile(r"[A-Za-z0-9]{1,32}")
_MENTION = re.compile(r"<@([A-Za-z0-9]{1,32})(?:\|[^>]*)?>")
MENTIONS = 5  # a command names one or two people; more are not looked up
FUTURE = timedelta(days=1)  # clocks drift; a day ahead is not a time any event comes from


class PayloadError(ValueError):
    """A payload without the fields its type promises."""


def _get(data: Mapping[str, Any], *path: str) -> Any:
    value: Any = data
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            raise PayloadError(f"missing {'.'.join(path)}")
        value = value[key]
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise PayloadError(f"a {type(value).__name__} where text belongs")
    return value


def _id_of(value: Any) -> str | None:
    """A channel (or team) given as an id or as an object with one."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) else None


def _event(body: Mapping[str, Any]) -> Mapping[str, Any]:
    event = _get(body, "event")
    if not isinstance(event, Mapping):
        raise PayloadError("event is not an object")
    return event


def team_of(body: Mapping[str, Any]) -> str:
    """The workspace (team) id of any payload."""
    for path in (("team_id",), ("team", "id"), ("user", "team_id"), ("event", "team")):
        try:
            value = _get(body, *path)
        except PayloadError:
            continue
        if isinstance(value, str) and value:
            return value
    raise PayloadError("missing team id")


def when(ts: Any, default: datetime) -> datetime:
    """A Slack timestamp (``"1733045400.000100"``) as an aware datetime; ``default`` (now) when
    there is none, a PayloadError when it is not a number or later than Slack could have sent."""
    if ts is None or ts == "":
        return default
    if not isinstance(ts, str) or not _TS.fullmatch(ts):
        raise PayloadError("a timestamp that is not a number")
    at = datetime.fromtimestamp(float(ts), UTC)
    if at > default + FUTURE:
        raise PayloadError(f"a timestamp in the year {at.year}")
    return at


def user_id(value: Any) -> str:
    """A user id as Slack writes them, or a PayloadError (a dict, a 5,000-character string)."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise PayloadError("a user id that is not one")
    return value


def mentioned(text: str) -> list[str]:
    """The users a command's text mentions (``<@U0123>``, ``<@U0123|name>``), first few only."""
    found = dict.fromkeys(_MENTION.findall(text))
    return list(found)[:MENTIONS]


def view_title(body: Mapping[str, Any]) -> str | None:
    """The title of a submitted modal (at most 24 characters), if it has one."""
    view = body.get("view")
    title = view.get("title") if isinstance(view, Mapping) else None
    text = title.get("text") if isinstance(title, Mapping) else None
    return text[:24] if isinstance(text, str) and text else None


def command(body: Mapping[str, Any], actor: Actor, now: datetime) -> CommandInvoked:
    """A ``/cop`` slash command."""
    place = Place(PLATFORM, actor.workspace, _text(_get(body, "channel_id")))
    event_id = str(body.get("trigger_id") or f"cmd-{now.timestamp()}")
    typed = slack_unescape(_text(body.get("text") or ""))
    return CommandInvoked(actor, place, event_id, now, text=typed)


def button(body: Mapping[str, Any], actor: Actor, now: datetime) -> ButtonClicked:
    """A button press (``block_actions``); the first action is the one pressed."""
    actions = _get(body, "actions")
    if not isinstance(actions, list) or not actions:
        raise PayloadError("missing actions")
    channel = _id_of(body.get("channel"))
    container = body.get("container")
    thread = container.get("thread_ts") if isinstance(container, Mapping) else None
    place = Place(PLATFORM, actor.workspace, channel, thread)
    first = actions[0]
    if not isinstance(first, Mapping):
        raise PayloadError("an action that is not an object")
    event_id = str(body.get("trigger_id") or first.get("action_ts") or now.timestamp())
    return ButtonClicked(actor, place, event_id, now, _text(_get(first, "action_id")))


def form_values(view: Mapping[str, Any]) -> dict[str, str]:
    """The typed values of a modal, by field name (our block ids and action ids are the name)."""
    values: dict[str, str] = {}
    state = _get(view, "state", "values")
    if not isinstance(state, Mapping):
        raise PayloadError("view.state.values is not an object")
    for block_id, actions in state.items():
        if not isinstance(actions, Mapping):
            raise PayloadError("a block of view.state.values is not an object")
        for action in actions.values():
            value = action.get("value") if isinstance(action, Mapping) else None
            picked = action.get("selected_option") if isinstance(action, Mapping) else None
            if value is None and isinstance(picked, Mapping):
                value = picked.get("value")  # radio buttons or a static select
            values[str(block_id)] = _text(value or "")
    return values


def submission(body: Mapping[str, Any], actor: Actor, now: datetime) -> FormSubmitted:
    """A modal submitted (``view_submission``); its callback id is our form id."""
    view = _get(body, "view")
    form_id = _text(_get(view, "callback_id"))
    event_id = str(view.get("id") or now.timestamp()) + ":" + str(view.get("hash") or "")
    place = Place(PLATFORM, actor.workspace, None)
    return FormSubmitted(actor, place, event_id, now, form_id, form_values(view))


def message(body: Mapping[str, Any], actor: Actor, now: datetime) -> MessagePosted | None:
    """A message event, or None for what is not a person posting (edits, bots, joins)."""
    event = _event(body)
    if event.get("subtype") not in COUNTED_SUBTYPES or event.get("bot_id"):
        return None
    ts = event.get("ts")
    thread = event.get("thread_ts") if isinstance(event.get("thread_ts"), str) else None
    is_reply = bool(thread) and thread != ts
    channel = _id_of(event.get("channel"))
    place = Place(PLATFORM, actor.workspace, channel, thread if is_reply else None)
    ref = ts if isinstance(ts, str) and ts else None
    return MessagePosted(
        actor, place, _text(_get(body, "event_id")), when(ts, now), is_reply, message_ref=ref
    )


def reaction(body: Mapping[str, Any], actor: Actor, now: datetime) -> ReactionAdded:
    """A ``reaction_added`` event."""
    event = _event(body)
    item = event.get("item")
    channel = _id_of(item.get("channel")) if isinstance(item, Mapping) else None
    ts = item.get("ts") if isinstance(item, Mapping) else None
    place = Place(PLATFORM, actor.workspace, channel)
    return ReactionAdded(
        actor,
        place,
        _text(_get(body, "event_id")),
        when(event.get("event_ts"), now),
        emoji=reacted if isinstance(reacted := event.get("reaction"), str) else "",
        message_ref=ts if isinstance(ts, str) and ts else None,
        message_author=_author(body, event.get("item_user")),
    )


def _author(body: Mapping[str, Any], item_user: Any) -> str | None:
    """A reacted message's author; None for copbot itself (Slack's ``authorizations`` name
    copbot's bot user): its post is nobody's to consent to, even once its outbox row is gone."""
    author = _id_of(item_user)
    found = body.get("authorizations")
    for granted in found if isinstance(found, list) else []:
        if (
            isinstance(granted, Mapping)
            and granted.get("is_bot")
            and granted.get("user_id") == author
        ):
            return None
    return author


def joined(body: Mapping[str, Any], actor: Actor, now: datetime) -> MemberJoined:
    """``member_joined_channel`` (a channel) or ``team_join`` (the workspace)."""
    event = _event(body)
    channel = event.get("channel") if isinstance(event.get("channel"), str) else None
    place = Place(PLATFORM, actor.workspace, channel)
    at = when(event.get("event_ts"), now)
    return MemberJoined(actor, place, _text(_get(body, "event_id")), at)


def home_opened(body: Mapping[str, Any], actor: Actor, now: datetime) -> HomeOpened:
    """``app_home_opened``."""
    place = Place(PLATFORM, actor.workspace, None)
    return HomeOpened(actor, place, str(body.get("event_id") or now.timestamp()), now)


def event_user(body: Mapping[str, Any]) -> str:
    """The user who acted in an Events API payload."""
    event = _event(body)
    user = event.get("user")
    if isinstance(user, Mapping):  # team_join carries the whole user object
        user = user.get("id")
    return user_id(user)
