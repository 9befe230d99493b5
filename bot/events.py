"""Neutral inbound events: what adapters translate platform payloads into."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Actor:
    """Who did something: a user on one platform's workspace."""

    platform: str
    workspace: str
    user: str
    # None: the platform could not be asked (an outage); the stored name stays.
    display_name: str | None = None
    # The platform says this person administers the workspace (Slack admin, Discord Manage Server);
    # None when it could not be asked, and the status last known counts.
    is_admin: bool | None = False
    is_bot: bool = False

    @property
    def qualified_id(self) -> str:
        """The platform-qualified id used in config files, e.g. ``slack:U123``."""
        return f"{self.platform}:{self.user}"


@dataclass(frozen=True)
class Place:
    """Where something happened: a channel (or DM) and, for replies, its thread."""

    platform: str
    workspace: str
    channel: str | None = None
    thread: str | None = None


@dataclass(frozen=True)
class MessagePosted:
    """A message was posted. Its text is deliberately absent: copbot never stores message text."""

    actor: Actor
    place: Place
    event_id: str
    at: datetime
    is_reply: bool = False
    # The platform's id of the message (Slack ts, Discord message id); a reply's parent is
    # ``place.thread``. Kept so the report can time a post's first reply.
    message_ref: str | None = None


@dataclass(frozen=True)
class ReactionAdded:
    """A member reacted to a message."""

    actor: Actor
    place: Place
    event_id: str
    at: datetime
    # The reaction (Slack's emoji name, Discord's unicode emoji or custom emoji's name), the
    # reacted message's platform id and its author's user id: what a nomination needs. Empty
    # where the platform did not say (and in acts spooled before they were kept).
    emoji: str = ""
    message_ref: str | None = None
    message_author: str | None = None


@dataclass(frozen=True)
class MemberJoined:
    """A person joined a home channel or the workspace."""

    actor: Actor
    place: Place
    event_id: str
    at: datetime


@dataclass(frozen=True)
class MemberLeft:
    """A person left a home channel or the workspace."""

    actor: Actor
    place: Place
    event_id: str
    at: datetime


@dataclass(frozen=True)
class CommandInvoked:
    """Someone ran ``/cop``: as text (Slack, console) or as typed options (Discord)."""

    actor: Actor
    place: Place
    event_id: str
    at: datetime
    text: str = ""
    # Discord delivers group, verb and options already split; text platforms leave these empty.
    group: str | None = None
    verb: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    # The people the command names that the platform confirmed exist (user id to display name);
    # the console confirms nobody, so only people copbot has met can be named there.
    people: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ButtonClicked:
    """Someone pressed a button; ``action_id`` is a ``verb:entity:id`` interaction id."""

    actor: Actor
    place: Place
    event_id: str
    at: datetime
    action_id: str


@dataclass(frozen=True)
class FormSubmitted:
    """Someone submitted a form; ``values`` maps field names to what they typed."""

    actor: Actor
    place: Place
    event_id: str
    at: datetime
    form_id: str
    values: Mapping[str, str]


@dataclass(frozen=True)
class HomeOpened:
    """Someone opened the app's home (Slack's App Home tab)."""

    actor: Actor
    place: Place
    event_id: str
    at: datetime


@dataclass(frozen=True)
class InterestChanged:
    """Someone marked or unmarked *Interested* on a platform's own scheduled event (Discord);
    ``native_id`` is the platform's id of that event."""

    actor: Actor
    place: Place
    event_id: str
    at: datetime
    native_id: str
    interested: bool


@dataclass(frozen=True)
class VoiceJoined:
    """Someone is in a voice (or stage) channel, ``place.channel``: they joined it, moved into
    it, or changed something while in it (a mute). Discord's; nobody is answered."""

    actor: Actor
    place: Place
    event_id: str
    at: datetime


InboundEvent = (
    MessagePosted
    | ReactionAdded
    | MemberJoined
    | MemberLeft
    | CommandInvoked
    | ButtonClicked
    | FormSubmitted
    | HomeOpened
    | InterestChanged
    | VoiceJoined
)
