"""Fuzz: any JSON in any field of a Slack payload is either refused with a PayloadError or
translated into a neutral event; nothing else is ever raised."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack import inbound, payloads
from bot.events import Actor
from tests.factories import START
from tests.fuzzing import examples
from tests.slack_kit import TEAM, button_payload, command_payload, submission_payload

ACTOR = Actor("slack", TEAM, "UBOB", "Bob")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _event(kind: str, **fields: Any) -> dict[str, Any]:
    inner = {"type": kind, "user": "UBOB", "channel": "C1", "ts": "1764581400.1", **fields}
    return {"type": "event_callback", "team_id": TEAM, "event_id": "Ev1", "event": inner}


SKELETONS: list[tuple[dict[str, Any], Callable[[dict[str, Any]], object]]] = [
    (
        dict(command_payload("help", "UBOB", "http://127.0.0.1/r")),
        lambda b: inbound.command(b, ACTOR, START),
    ),
    (button_payload("checkin:answer:1"), lambda b: inbound.button(b, ACTOR, START)),
    (
        submission_payload("charter:form:0", {"purpose": "x"}),
        lambda b: inbound.submission(b, ACTOR, START),
    ),
    (_event("message", thread_ts="1764581400.0"), lambda b: inbound.message(b, ACTOR, START)),
    (_event("reaction_added", item={"channel": "C1"}), lambda b: inbound.reaction(b, ACTOR, START)),
    (_event("team_join", user={"id": "UBOB"}), lambda b: inbound.joined(b, ACTOR, START)),
]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _replace(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    body = copy.deepcopy(body)
    node = body
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return body


@settings(max_examples=examples(200, 2_000), deadline=None)
@given(which=st.integers(0, len(SKELETONS) - 1), pick=st.integers(0, 10_000), value=JSON)
def test_any_value_in_any_field_is_refused_or_translated(which: int, pick: int, value: Any) -> None:
    skeleton, translate = SKELETONS[which]
    paths = _paths(skeleton)
    body = _replace(skeleton, paths[pick % len(paths)], value)
    try:
        payloads.check(body)
        inbound.team_of(body)
        if body.get("type") == "event_callback":
            inbound.event_user(body)
        translate(body)
    except inbound.PayloadError:
        pass
