"""Discord gateway objects and interactions to neutral events."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import discord

from adapters.discord import commands
from adapters.discord.render import modal_values
from bot.events import (
    Actor,
    ButtonClicked,
    CommandInvoked,
    FormSubmitted,
    InterestChanged,
    MemberJoined,
    MemberLeft,
    MessagePosted,
    Place,
    ReactionAdded,
    VoiceJoined,
)

PLATFORM = "discord"
CUSTOM_ID = 100  # Discord: custom ids are at most 100 characters


def actor(guild_id: int, user: discord.abc.User, admin: bool | None = None) -> Actor:
    """A guild member; Manage Server makes them a facilitator by default. A user whose
    permissions discord.py does not know (no member cached) has an unknown admin status."""
    if admin is None and isinstance(user, discord.Member):
        admin = user.guild_permissions.manage_guild
    return Actor(PLATFORM, str(guild_id), str(user.id), user.display_name, admin, user.bot)


def message(posted: discord.Message) -> MessagePosted | None:
    """A guild message (a thread message counts as a reply); DMs and bots are not counted."""
    if posted.guild is None or posted.author.bot or posted.webhook_id is not None:
        return None
    if posted.is_system():  # "X joined the server", pins, thread notices: nobody posted
        return None
    channel = posted.channel
    if isinstance(channel, discord.Thread) and channel.id != posted.id:
        # A thread started from a message has that message's id as its own: the parent.
        place = Place(PLATFORM, str(posted.guild.id), str(channel.parent_id), str(channel.id))
    elif isinstance(channel, discord.Thread):
        # A forum post's first message shares the thread's id: it is the top-level post.
        place = Place(PLATFORM, str(posted.guild.id), str(channel.parent_id))
    else:
        place = Place(PLATFORM, str(posted.guild.id), str(channel.id))
    return MessagePosted(
        actor(posted.guild.id, posted.author),
        place,
        str(posted.id),
        posted.created_at,
        is_reply=place.thread is not None,
        message_ref=str(posted.id),
    )


def reaction(
    payload: discord.RawReactionActionEvent,
    now: datetime,
    me: int | None = None,
    is_bot: Callable[[int], bool] = lambda _: False,
) -> ReactionAdded | None:
    """A reaction in a guild; its key is the message, the person and the emoji. A message of
    copbot's own (``me``), or of a bot discord.py knows (``is_bot``), has no author to ask
    about it: a bot cannot be asked, and must not become a member by being nominated."""
    if payload.guild_id is None or payload.member is None or payload.member.bot:
        return None
    event_id = f"reaction:{payload.message_id}:{payload.user_id}:{payload.emoji}"
    place = Place(PLATFORM, str(payload.guild_id), str(payload.channel_id))
    author = payload.message_author_id
    if author is not None and (author == me or is_bot(author)):
        author = None
    return ReactionAdded(
        actor(payload.guild_id, payload.member),
        place,
        event_id,
        now,
        emoji=payload.emoji.name or "",
        message_ref=str(payload.message_id),
        message_author=str(author) if author is not None else None,
    )


def joined(member: discord.Member) -> MemberJoined:
    """A member joined the guild."""
    at = member.joined_at or discord.utils.utcnow()
    event_id = f"join:{member.guild.id}:{member.id}:{int(at.timestamp())}"
    return MemberJoined(
        actor(member.guild.id, member), Place(PLATFORM, str(member.guild.id)), event_id, at
    )


def left(payload: discord.RawMemberRemoveEvent, now: datetime) -> MemberLeft:
    """A member left (or was removed from) the guild."""
    user = payload.user
    # A leave carries no id of its own; a replay after a resume comes within minutes, so a
    # person's leaves are counted once a day.
    event_id = f"leave:{payload.guild_id}:{user.id}:{now.date().isoformat()}"
    who = Actor(PLATFORM, str(payload.guild_id), str(user.id), user.display_name, False, user.bot)
    return MemberLeft(who, Place(PLATFORM, str(payload.guild_id)), event_id, now)


def interest(
    data: Mapping[str, Any],
    interested: bool,
    now: datetime,
    user: discord.abc.User | None = None,
) -> InterestChanged | None:
    """Someone marked (or unmarked) *Interested* on a guild scheduled event, from the raw
    GUILD_SCHEDULED_EVENT_USER_ADD / _REMOVE payload; ``user`` if discord.py has them cached
    (else their name is unknown). None when the payload lacks an id."""
    guild, native = data.get("guild_id"), data.get("guild_scheduled_event_id")
    user_id = data.get("user_id")
    if not (guild and native and user_id):
        return None
    name = user.display_name if user is not None else None
    # No permissions come with a mark: the status last stored counts.
    who = Actor(PLATFORM, str(guild), str(user_id), name, None, bool(user and user.bot))
    # A mark carries no id of its own; marking, unmarking and marking again are three acts.
    verb = "add" if interested else "remove"
    event_id = f"interest:{native}:{user_id}:{verb}:{now.timestamp():.6f}"
    return InterestChanged(who, Place(PLATFORM, str(guild)), event_id, now, str(native), interested)


def voice(member: discord.Member, after: discord.VoiceState, now: datetime) -> VoiceJoined | None:
    """Someone in a voice or stage channel (joined it, moved into it, or muted in it), from a
    VOICE_STATE_UPDATE; None for one who left voice, or a bot."""
    if after.channel is None or member.bot:
        return None
    channel = str(after.channel.id)
    # A voice state carries no id of its own: each update is an act of its own.
    event_id = f"voice:{channel}:{member.id}:{now.timestamp():.6f}"
    place = Place(PLATFORM, str(member.guild.id), channel)
    return VoiceJoined(actor(member.guild.id, member), place, event_id, now)


def interaction(
    event: discord.Interaction, now: datetime, dm_workspace: str | None = None
) -> CommandInvoked | ButtonClicked | FormSubmitted | None:
    """A slash command, a button press or a modal submission, from a guild or from a DM (whose
    guild the caller found: ``dm_workspace``); None when no guild is known."""
    if event.guild_id is not None:
        # Discord computes the member's permissions for each interaction; no member cache needed.
        who = actor(event.guild_id, event.user, admin=event.permissions.manage_guild)
    elif dm_workspace is not None:
        user = event.user
        # A DM carries no guild permissions: the status last stored counts.
        who = Actor(PLATFORM, dm_workspace, str(user.id), user.display_name, None, user.bot)
    else:
        return None
    place = Place(PLATFORM, who.workspace, str(event.channel_id) if event.channel_id else None)
    data: dict[str, Any] = dict(event.data or {})
    if event.type == discord.InteractionType.application_command:
        group, verb, options = commands.invocation(data)
        people = commands.confirmed_people(data)
        return CommandInvoked(
            who, place, str(event.id), now, group=group, verb=verb, options=options, people=people
        )
    if event.type == discord.InteractionType.component:
        return ButtonClicked(who, place, str(event.id), now, _custom_id(data))
    if event.type == discord.InteractionType.modal_submit:
        try:
            values = modal_values(data)
        except (AttributeError, TypeError):
            raise commands.PayloadError("modal components of the wrong shape") from None
        return FormSubmitted(who, place, str(event.id), now, _custom_id(data), values)
    return None


def _custom_id(data: dict[str, Any]) -> str:
    custom_id = data.get("custom_id", "")
    if not isinstance(custom_id, str) or len(custom_id) > CUSTOM_ID:
        raise commands.PayloadError("a custom id that is not a short string")
    return custom_id
