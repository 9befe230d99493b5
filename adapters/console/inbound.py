"""Console input lines to neutral events: ``/cop ...`` is a command, other text a message."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from uuid import uuid4

from bot.events import (
    Actor,
    ButtonClicked,
    CommandInvoked,
    FormSubmitted,
    MessagePosted,
    Place,
    ReactionAdded,
)

PLATFORM = "console"


def _event_id() -> str:
    return f"console-{uuid4().hex}"


def actor(workspace: str, user: str, admins: tuple[str, ...]) -> Actor:
    """The console user who is typing."""
    return Actor(PLATFORM, workspace, user, display_name=user, is_admin=user in admins)


def place(workspace: str, channel: str, thread: str | None = None) -> Place:
    """The console channel being typed in, or the thread of one of its messages."""
    return Place(PLATFORM, workspace, channel, thread)


def command(who: Actor, where: Place, text: str, at: datetime) -> CommandInvoked:
    """A ``/cop`` line."""
    return CommandInvoked(who, where, _event_id(), at, text=text.strip().removeprefix("/cop"))


def message(who: Actor, where: Place, at: datetime) -> MessagePosted:
    """Any other line: a message (its text is not passed on; copbot never stores it)."""
    made = _event_id()
    # The console has no message ids of its own: the event's serves (it is unique).
    return MessagePosted(who, where, made, at, is_reply=where.thread is not None, message_ref=made)


def reaction(
    who: Actor, where: Place, emoji: str, message_ref: str, author: str, at: datetime
) -> ReactionAdded:
    """``:react EMOJI``: a reaction to the last message of the channel (or thread)."""
    return ReactionAdded(
        who, where, _event_id(), at, emoji=emoji, message_ref=message_ref, message_author=author
    )


def click(who: Actor, where: Place, action_id: str, at: datetime) -> ButtonClicked:
    """``:click N``."""
    return ButtonClicked(who, where, _event_id(), at, action_id)


def submit(
    who: Actor, where: Place, form_id: str, values: Mapping[str, str], at: datetime
) -> FormSubmitted:
    """A form whose fields were all answered."""
    return FormSubmitted(who, where, _event_id(), at, form_id, dict(values))
