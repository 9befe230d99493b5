"""Slack payloads to neutral events. Pure functions: no I/O, no Slack client."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
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

PLATFORM = "slack"
# Message subtypes that are a person posting; the others are edits, deletions, joins, bots.
COUNTED_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}


class PayloadError(ValueError):
    """A payload without the fields its type promises."""


def _get(data: Mapping[str, Any], *path: str) -> Any:
    value: Any = data
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            raise PayloadError(f"missing {'.'.join(path)}")
        value = value[key]
    return value


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
    """A Slack timestamp (``"1733045400.000100"``) as an aware datetime."""
    try:
        return datetime.fromtimestamp(float(ts), UTC)
    except (TypeError, ValueError):
        return default


def command(body: Mapping[str, Any], actor: Actor, now: datetime) -> CommandInvoked:
    """A ``/cop`` slash command."""
    place = Place(PLATFORM, actor.workspace, str(_get(body, "channel_id")))
    event_id = str(body.get("trigger_id") or f"cmd-{now.timestamp()}")
    return CommandInvoked(actor, place, event_id, now, text=str(body.get("text") or ""))


def button(body: Mapping[str, Any], actor: Actor, now: datetime) -> ButtonClicked:
    """A button press (``block_actions``); the first action is the one pressed."""
    actions = _get(body, "actions")
    if not isinstance(actions, list) or not actions:
        raise PayloadError("missing actions")
    channel = (body.get("channel") or {}).get("id")
    thread = (body.get("container") or {}).get("thread_ts")
    place = Place(PLATFORM, actor.workspace, channel, thread)
    event_id = str(body.get("trigger_id") or actions[0].get("action_ts") or now.timestamp())
    return ButtonClicked(actor, place, event_id, now, str(_get(actions[0], "action_id")))


def form_values(view: Mapping[str, Any]) -> dict[str, str]:
    """The typed values of a modal, by field name (our block ids and action ids are the name)."""
    values: dict[str, str] = {}
    state = _get(view, "state", "values")
    for block_id, actions in state.items():
        for action in actions.values():
            values[block_id] = str(action.get("value") or "")
    return values


def submission(body: Mapping[str, Any], actor: Actor, now: datetime) -> FormSubmitted:
    """A modal submitted (``view_submission``); its callback id is our form id."""
    view = _get(body, "view")
    form_id = str(_get(view, "callback_id"))
    event_id = str(view.get("id") or now.timestamp()) + ":" + str(view.get("hash") or "")
    place = Place(PLATFORM, actor.workspace, None)
    return FormSubmitted(actor, place, event_id, now, form_id, form_values(view))


def message(body: Mapping[str, Any], actor: Actor, now: datetime) -> MessagePosted | None:
    """A message event, or None for what is not a person posting (edits, bots, joins)."""
    event = _get(body, "event")
    if event.get("subtype") not in COUNTED_SUBTYPES or event.get("bot_id"):
        return None
    ts = event.get("ts")
    thread = event.get("thread_ts")
    is_reply = bool(thread) and thread != ts
    place = Place(PLATFORM, actor.workspace, event.get("channel"), thread if is_reply else None)
    return MessagePosted(actor, place, str(_get(body, "event_id")), when(ts, now), is_reply)


def reaction(body: Mapping[str, Any], actor: Actor, now: datetime) -> ReactionAdded:
    """A ``reaction_added`` event."""
    event = _get(body, "event")
    channel = (event.get("item") or {}).get("channel")
    place = Place(PLATFORM, actor.workspace, channel)
    return ReactionAdded(
        actor, place, str(_get(body, "event_id")), when(event.get("event_ts"), now)
    )


def joined(body: Mapping[str, Any], actor: Actor, now: datetime) -> MemberJoined:
    """``member_joined_channel`` (a channel) or ``team_join`` (the workspace)."""
    event = _get(body, "event")
    channel = event.get("channel") if isinstance(event.get("channel"), str) else None
    place = Place(PLATFORM, actor.workspace, channel)
    return MemberJoined(actor, place, str(_get(body, "event_id")), when(event.get("event_ts"), now))


def home_opened(body: Mapping[str, Any], actor: Actor, now: datetime) -> HomeOpened:
    """``app_home_opened``."""
    place = Place(PLATFORM, actor.workspace, None)
    return HomeOpened(actor, place, str(body.get("event_id") or now.timestamp()), now)


def event_user(body: Mapping[str, Any]) -> str:
    """The user who acted in an Events API payload."""
    event = _get(body, "event")
    user = event.get("user")
    if isinstance(user, Mapping):  # team_join carries the whole user object
        user = user.get("id")
    if not isinstance(user, str) or not user:
        raise PayloadError("missing event.user")
    return user
