"""The shipped Slack app manifest asks for what copbot's listeners and sender use, no less."""

from __future__ import annotations

import json
from pathlib import Path

from adapters.slack.listeners import SUBSCRIBED_EVENTS

MANIFEST = json.loads((Path(__file__).resolve().parent.parent / "slack-manifest.json").read_text())


def test_every_event_copbot_listens_to_is_subscribed() -> None:
    subscribed = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    wanted = set()
    for event in SUBSCRIBED_EVENTS:
        # "message" arrives as message.channels (public) and message.groups (private channels).
        wanted |= {"message.channels", "message.groups"} if event == "message" else {event}
    assert wanted == subscribed


def test_the_command_interactivity_and_scopes() -> None:
    command = MANIFEST["features"]["slash_commands"][0]
    assert command["command"] == "/cop" and command["should_escape"] is True
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    # slash command, posting, opening DMs, users.info (names, admins), reading reactions and
    # channel messages, DM history (finding a message after a crash), uploading reports, and
    # pairing's group DMs (opening them, finding an introduction in one after a crash).
    assert {
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "reactions:read",
        "channels:history",
        "groups:history",
        "im:history",
        "files:write",
        "mpim:write",
        "mpim:history",
    } <= scopes
