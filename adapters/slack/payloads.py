"""The shape of a Slack payload, checked before Bolt or copbot reads it.

Bolt and copbot read a handful of fields (ids, the event, the actions, the view); a signed payload
whose fields have other types than Slack documents would otherwise raise deep inside Bolt or a
listener (a traceback, a 500, or a 404 after 3 s), or be stored as a member named after a dict.
Pure functions: no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from adapters.slack.inbound import PayloadError

# Slack's ids (U0123ABCD, T0123, C0123, W0123, E0123, B0123, D0123...) are short upper-case
# letters and digits; lower case is allowed for the ids copbot's own tests make up.
_ID = re.compile(r"[A-Za-z0-9]{1,32}")
SHORT = 255  # action ids, callback ids, trigger ids, event ids: Slack's own limit is 255
TEXT = 40_000  # Slack's limit for a message; a slash command's text is far shorter
# Keys Bolt's request parsing reads on every payload, and what each must be when present.
_IDS = ("team_id", "user_id", "channel_id", "enterprise_id", "api_app_id")
_OBJECTS_WITH_ID = ("team", "user", "channel", "enterprise")
_STRINGS = ("type", "trigger_id", "response_url", "command", "token", "event_id", "thread_ts")
_OBJECTS = ("event", "view", "container", "message", "item", "previous_message")


def parse(raw: str, content_type: str | None) -> dict[str, Any]:
    """A request body as Bolt would read it (JSON, or a form with an optional ``payload``),
    refusing what is not one JSON object or one form."""
    try:
        if content_type == "application/json" or raw.startswith("{"):
            body = json.loads(raw)
        else:
            form = parse_qs(raw)  # as Bolt reads it
            if "payload" in form:
                body = json.loads(form["payload"][0])
            else:
                body = {key: values[0] for key, values in form.items()}
    except (ValueError, RecursionError) as error:  # bad JSON or nesting too deep to read
        raise PayloadError(f"unreadable body ({type(error).__name__})") from None
    if not isinstance(body, dict):
        raise PayloadError(f"a {type(body).__name__}, not an object")
    return body


def check(body: object) -> Mapping[str, Any]:
    """The payload itself if every field Bolt and copbot read has the type Slack documents;
    a PayloadError naming the first that does not."""
    if not isinstance(body, Mapping):
        raise PayloadError(f"a {type(body).__name__}, not an object")
    _common(body, "")
    kind = body.get("type")
    if "command" in body:
        _command(body)
    elif kind == "block_actions":
        _actions(body)
    elif kind in ("view_submission", "view_closed"):
        _view(body)
    elif kind == "event_callback":
        _event(body)
    return body


def is_id(value: object) -> bool:
    """Whether a value is a Slack id (a user, a team, a channel)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _fail(path: str, what: str) -> PayloadError:
    return PayloadError(f"{path} is not {what}")


def _common(data: Mapping[str, Any], prefix: str) -> None:
    for key in _IDS:
        if data.get(key) is not None and not is_id(data[key]):
            raise _fail(prefix + key, "an id")
    for key in _OBJECTS_WITH_ID:
        value = data.get(key)
        if value is None or is_id(value):
            continue
        if not isinstance(value, Mapping):
            raise _fail(prefix + key, "an id or an object")
        for inner in ("id", "team_id", "enterprise_id"):
            if value.get(inner) is not None and not is_id(value[inner]):
                raise _fail(f"{prefix}{key}.{inner}", "an id")
    for key in _STRINGS:
        value = data.get(key)
        if value is not None and not (isinstance(value, str) and len(value) <= SHORT * 8):
            raise _fail(prefix + key, "a short string")
    for key in _OBJECTS:
        if data.get(key) is not None and not isinstance(data[key], Mapping):
            raise _fail(prefix + key, "an object")
    if data.get("authorizations") is not None:
        found = data["authorizations"]
        if not isinstance(found, list) or not all(isinstance(a, Mapping) for a in found):
            raise _fail(prefix + "authorizations", "a list of objects")


def _required_id(data: Mapping[str, Any], key: str) -> None:
    value = data.get(key)
    if isinstance(value, Mapping):
        value = value.get("id")
    if not is_id(value):
        raise _fail(key, "an id")


def _command(body: Mapping[str, Any]) -> None:
    for key in ("team_id", "user_id", "channel_id"):
        _required_id(body, key)
    text = body.get("text")
    if text is not None and not (isinstance(text, str) and len(text) <= TEXT):
        raise _fail("text", "text")


def _actions(body: Mapping[str, Any]) -> None:
    _required_id(body, "user")
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        raise _fail("actions", "a list of actions")
    for action in actions:
        if not isinstance(action, Mapping):
            raise _fail("actions[]", "an object")
        action_id = action.get("action_id")
        if not isinstance(action_id, str) or not 0 < len(action_id) <= SHORT:
            raise _fail("actions[].action_id", "a short string")
        if action.get("action_ts") is not None and not isinstance(action["action_ts"], str):
            raise _fail("actions[].action_ts", "a string")


def _view(body: Mapping[str, Any]) -> None:
    _required_id(body, "user")
    view = body.get("view")
    if not isinstance(view, Mapping):
        raise _fail("view", "an object")
    callback = view.get("callback_id")
    if not isinstance(callback, str) or len(callback) > SHORT:
        raise _fail("view.callback_id", "a short string")
    for key in ("id", "hash"):
        if view.get(key) is not None and not isinstance(view[key], str):
            raise _fail(f"view.{key}", "a string")
    title = view.get("title")
    if title is not None and not (isinstance(title, Mapping) and _optional_text(title, "text")):
        raise _fail("view.title", "a text object")
    state = view.get("state", {"values": {}})
    values = state.get("values") if isinstance(state, Mapping) else None
    if not isinstance(values, Mapping):
        raise _fail("view.state.values", "an object")
    for block in values.values():
        if not isinstance(block, Mapping):
            raise _fail("view.state.values.*", "an object")
        for action in block.values():
            if not (isinstance(action, Mapping) and _optional_text(action, "value")):
                raise _fail("view.state.values.*.*", "an input with a text value")


def _optional_text(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key)
    return value is None or (isinstance(value, str) and len(value) <= TEXT)


def _event(body: Mapping[str, Any]) -> None:
    _required_id(body, "team_id")
    event_id = body.get("event_id")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= SHORT:
        raise _fail("event_id", "a short string")
    event = body.get("event")
    if not isinstance(event, Mapping) or not isinstance(event.get("type"), str):
        raise _fail("event", "an event with a type")
    _common(event, "event.")
    for key in ("ts", "event_ts", "thread_ts", "subtype", "bot_id"):
        if event.get(key) is not None and not isinstance(event[key], str):
            raise _fail(f"event.{key}", "a string")
    item = event.get("item")
    if isinstance(item, Mapping) and item.get("channel") is not None and not is_id(item["channel"]):
        raise _fail("event.item.channel", "an id")
