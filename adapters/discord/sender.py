"""The Discord outbox sender: DMs and channel posts with a nonce, so a retry is not doubled, and
the guild scheduled events of copbot's events (adapters/discord/native_events.py)."""

from __future__ import annotations

import hashlib
import logging
from typing import Literal

import aiohttp
import discord

from adapters.discord.native_events import NativeEvents
from adapters.discord.render import message_kwargs
from bot.direct import DirectChannels
from bot.outbox import Delivery, DeliveryFailed, RetryLater, UncertainSend

log = logging.getLogger(__name__)
THREAD_EXISTS = 160004  # "A thread has already been created for this message"
THREAD_NAME = "Answers"
GROUP_THREAD_NAME = "Introductions"
PRIVATE_THREAD: Literal[12] = 12  # Discord's channel type of a private thread
MISSING_PERMISSIONS = 50013
NO_EVENT_PERMISSION = (
    "403 Missing Permissions: copbot needs the Create Events and Manage Events permissions "
    "in this server to put events on its calendar"
)


def nonce(key: str) -> str:
    """A Discord nonce (at most 25 characters) that stands for one outbox key."""
    return hashlib.sha256(key.encode()).hexdigest()[:25]


class DiscordSender:
    """Sends outbox messages through a discord.py client; discord.py paces each route itself."""

    # discord.py waits out per-route and global rate limits itself, so the outbox adds no pacing
    # of its own (see [outbox.discord]).
    platform = "discord"

    def __init__(self, client: discord.Client, channels: DirectChannels) -> None:
        self._client = client
        self._channels = channels
        self._events = NativeEvents(client)
        self._group_threads: dict[str, int] = {}  # a group's private thread, by outbox key

    async def _channel_id(self, delivery: Delivery) -> int:
        recipient = delivery.recipient
        if recipient.channel is not None:
            return int(recipient.channel)
        assert recipient.user is not None
        if delivery.dm_channel:
            return int(delivery.dm_channel)
        known = await self._channels.known(recipient.platform, recipient.workspace, recipient.user)
        if known:
            return int(known)
        opened = await self._client.http.start_private_message(int(recipient.user))
        channel = str(opened["id"])
        await self._channels.remember(
            recipient.platform, recipient.workspace, recipient.user, channel
        )
        return int(channel)

    async def _thread(self, channel_id: int, parent: str) -> int:
        """The thread under a message (a thread started from a message shares its id)."""
        try:
            await self._client.http.start_thread_with_message(
                channel_id, int(parent), name=THREAD_NAME, auto_archive_duration=10080
            )
        except discord.HTTPException as error:
            if error.code != THREAD_EXISTS:
                raise
        return int(parent)

    async def _group_thread(self, parent: int, delivery: Delivery) -> int:
        """The private thread of a group conversation (bots cannot open group DMs), with its
        users added. A retry finds the thread it made before (in this process, or by the key's
        tag in the name of the guild's active threads after a restart), so that a group gets
        one thread; adding a member twice, and the nonce of the post, are harmless."""
        tag = nonce(delivery.key)[:10]
        thread = self._group_threads.get(delivery.key)
        if thread is None and delivery.attempt > 1:
            found = await self._client.http.get_active_threads(int(delivery.recipient.workspace))
            thread = next(
                (
                    int(t["id"])
                    for t in found.get("threads") or []
                    if str(t.get("parent_id")) == str(parent)
                    and str(t.get("name", "")).endswith(tag)
                ),
                None,
            )
        if thread is None:
            made = await self._client.http.start_thread_without_message(
                parent,
                name=f"{GROUP_THREAD_NAME} · {tag}",
                auto_archive_duration=10080,
                type=PRIVATE_THREAD,
                invitable=False,
            )
            thread = int(made["id"])
        self._group_threads[delivery.key] = thread
        for user in delivery.recipient.group:
            await self._client.http.add_user_to_thread(thread, int(user))
        return thread

    async def send(self, delivery: Delivery) -> str:
        """Send one message and return its id (a native event: create, change or cancel it
        and return the scheduled event's id)."""
        if delivery.message.native_event is not None:
            return await self._native(delivery)
        try:
            channel_id = await self._channel_id(delivery)
            if delivery.recipient.group:
                channel_id = await self._group_thread(channel_id, delivery)
            elif delivery.edits:
                return await self._edit(channel_id, delivery)
            elif delivery.thread:
                channel_id = await self._thread(channel_id, delivery.thread)
            target = self._client.get_partial_messageable(channel_id)
            kwargs = message_kwargs(delivery.message)
            # discord.py sends enforce_nonce with every nonce: Discord then answers a repeated
            # send with the first message instead of posting twice.
            sent = await target.send(**kwargs, nonce=nonce(delivery.key))
            if "view" in kwargs:
                # Clicks are routed by custom id in on_interaction, after restarts too; the
                # client need not keep a view object per message sent.
                kwargs["view"].stop()
        except (discord.Forbidden, discord.NotFound) as error:
            # A closed DM, a missing permission in a channel, a deleted channel: not worth retrying.
            raise DeliveryFailed(f"{error.status} {error.text}") from error
        except aiohttp.ClientConnectorError as error:
            raise RetryLater(5.0, f"cannot reach Discord: {error}") from error
        except (TimeoutError, aiohttp.ClientError) as error:
            # It may have been posted: the outbox reconciles, which here means sending again
            # with the same nonce, which Discord answers with the first message.
            raise UncertainSend(repr(error)) from error
        return str(sent.id)

    async def _edit(self, channel_id: int, delivery: Delivery) -> str:
        """Update the message an edit names (in its thread, whose id is the parent's)."""
        assert delivery.edits is not None
        where = int(delivery.thread) if delivery.thread else channel_id
        kwargs = message_kwargs(delivery.message)
        # A text that fits content again after an embed (or the other way) replaces it whole.
        kwargs.setdefault("content", None)
        kwargs.setdefault("embed", None)
        if "files" in kwargs:
            kwargs["attachments"] = kwargs.pop("files")  # what edit() calls them
        message = self._client.get_partial_messageable(where).get_partial_message(
            int(delivery.edits)
        )
        await message.edit(**kwargs)
        if "view" in kwargs:
            kwargs["view"].stop()
        return delivery.edits

    async def _native(self, delivery: Delivery) -> str:
        """Create or update a guild scheduled event, its errors told as the outbox reads them."""
        try:
            if delivery.edits:
                return await self._events.update(delivery)
            return await self._events.create(delivery)
        except discord.RateLimited as error:  # longer than discord.py is set to wait itself
            raise RetryLater(error.retry_after, str(error)) from error
        except discord.Forbidden as error:
            if error.code == MISSING_PERMISSIONS:
                raise DeliveryFailed(NO_EVENT_PERMISSION) from error
            raise DeliveryFailed(f"{error.status} {error.text}") from error
        except discord.DiscordServerError as error:
            raise RetryLater(30.0, f"Discord failed: {error.status} {error.text}") from error
        except discord.HTTPException as error:
            if error.status == 429:  # discord.py gave up waiting, or no proxy vouched for it
                raise RetryLater(_retry_after(error), "rate limited") from error
            # A start in the past, a name Discord refuses: the same request fails again.
            raise DeliveryFailed(f"{error.status} {error.text}") from error
        except aiohttp.ClientConnectorError as error:
            raise RetryLater(5.0, f"cannot reach Discord: {error}") from error
        except (TimeoutError, aiohttp.ClientError) as error:
            # It may have been created: reconcile looks for it by name and start.
            raise UncertainSend(repr(error)) from error

    async def reconcile(self, delivery: Delivery) -> str | None:
        """A native event: the one in the guild with its name and start, if any. A message:
        Discord's history does not show nonces, but sending again with the same nonce
        (enforced) returns the first message instead of posting a second one. An edit is
        made again, with the same result."""
        if delivery.message.native_event is not None and not delivery.edits:
            return await self._events.find(delivery)
        return None


def _retry_after(error: discord.HTTPException) -> float:
    """Seconds a 429 asks to wait (Discord sends them in a header and in the body)."""
    headers = getattr(error.response, "headers", None) or {}
    try:
        return float(headers.get("Retry-After", 5.0))
    except ValueError:
        return 5.0
