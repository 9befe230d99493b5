"""The Slack outbox sender: DMs through ``conversations.open``, posts with ``chat.postMessage``,
edits with ``chat.update``."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import blocks, comment, fallback_text
from bot.direct import DirectChannels
from bot.outbox import Delivery, DeliveryFailed, RetryLater, UncertainSend
from bot.outbox_send import NATIVE_EVENTS_ONLY_ON_DISCORD
from bot.pacing import Pacing, TokenBucket

log = logging.getLogger(__name__)

# Errors that will not go away by trying again.
PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "user_not_found",
    "user_disabled",
    "cannot_dm_bot",
    "msg_too_long",
    "invalid_blocks",
    "no_permission",
    "missing_scope",
    "not_authed",
    "invalid_auth",
    "account_inactive",
    "restricted_action",
    "message_not_found",
    "cant_update_message",
    "edit_window_closed",
}
METADATA_TYPE = "copbot_outbox"
# conversations.open answering 429 this many times in a row gives the row back to the loop.
OPEN_TRIES = 5


def sending_client(client: AsyncWebClient) -> AsyncWebClient:
    """A copy of the app's client that retries nothing by itself: a post retried blindly after a
    dropped connection may post twice, and a 429 slept out inside the call holds a send slot. The
    outbox reconciles the first and pauses the lane for the second."""
    return AsyncWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        session=client.session,
        retry_handlers=[],
    )


def _retry_after(response: Any) -> float:
    headers = response.headers
    return float(headers.get("retry-after", headers.get("Retry-After", 30)))


class SlackSender:
    """Sends outbox messages to one Slack workspace."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient, channels: DirectChannels) -> None:
        self._client = sending_client(client)
        self._channels = channels
        # conversations.open is a Web API tier of its own (Tier 3, about 50 a minute).
        self._opens = TokenBucket(50 / 60, 40)
        self._groups: dict[str, str] = {}  # group DMs opened here, by their users

    def configure(self, pacing: Pacing) -> None:
        """Take the pace of conversations.open from the config."""
        self._opens = TokenBucket(pacing.open_rate, pacing.open_burst)

    async def prepare(self, delivery: Delivery) -> None:
        """Open the DM channel a message needs, at the pace of its own tier, before the send."""
        try:
            await self._channel(delivery)
        except (SlackApiError, RetryLater, aiohttp.ClientError, TimeoutError) as error:
            # send() opens again, and says what went wrong in the row.
            log.info("outbox %s: DM channel not opened yet: %r", delivery.key, error)

    async def _channel(self, delivery: Delivery) -> str:
        recipient = delivery.recipient
        if recipient.channel is not None:
            return recipient.channel
        if recipient.group:
            # Slack answers the same people with the same group DM: opening it again (a retry,
            # a reconcile, another process) finds the conversation the first call opened.
            users = ",".join(recipient.group)
            if users not in self._groups:
                self._groups[users] = await self._open(users)
            return self._groups[users]
        assert recipient.user is not None
        if delivery.dm_channel:
            return delivery.dm_channel
        known = await self._channels.known(recipient.platform, recipient.workspace, recipient.user)
        if known:
            return known
        channel = await self._open(recipient.user)
        await self._channels.remember(
            recipient.platform, recipient.workspace, recipient.user, channel
        )
        return channel

    async def _open(self, users: str) -> str:
        """Open the DM (one user) or group DM (several, comma-separated) at its tier's pace."""
        for _ in range(OPEN_TRIES):
            await self._opens.take()
            try:
                opened = await self._client.conversations_open(users=users)
            except SlackApiError as error:
                if error.response.status_code != 429:
                    raise
                # Only opening waits; posts to channels already known go on.
                self._opens.pause(_retry_after(error.response))
                continue
            break
        else:
            raise RetryLater(1.0, "conversations.open rate limited", scope="channel")
        return str(opened["channel"]["id"])

    async def send(self, delivery: Delivery) -> str:
        """Post one message (or upload its file) and return its ``ts`` (or the file id)."""
        if delivery.message.native_event is not None:
            raise DeliveryFailed(NATIVE_EVENTS_ONLY_ON_DISCORD)
        try:
            channel = await self._channel(delivery)
            message = delivery.message
            files = [f for f in (message.attachment, message.image) if f is not None]
            if files:
                # One upload shares the file and its picture, with the message as the comment.
                uploaded = await self._client.files_upload_v2(
                    channel=channel,
                    file_uploads=[
                        {"content": f.content, "filename": f.name, "title": f.name} for f in files
                    ],
                    initial_comment=comment(message),
                    thread_ts=delivery.thread,
                )
                return str(uploaded["files"][0]["id"])
            if delivery.edits:
                # An edit updates the message it names; done twice, it shows the same text.
                await self._client.chat_update(
                    channel=channel,
                    ts=delivery.edits,
                    text=fallback_text(message),
                    blocks=blocks(message),
                )
                return delivery.edits
            posted = await self._client.chat_postMessage(
                channel=channel,
                text=fallback_text(message),
                blocks=blocks(message),
                thread_ts=delivery.thread,
                unfurl_links=False,
                # The key lets a restart find a message that was sent just before a crash.
                metadata={"event_type": METADATA_TYPE, "event_payload": {"key": delivery.key}},
            )
            return str(posted["ts"])
        except SlackApiError as error:
            raise _translate(error) from error
        except aiohttp.ClientConnectorError as error:
            # Not connected at all: nothing reached Slack, so trying again is safe.
            raise RetryLater(5.0, f"cannot reach Slack: {error}") from error
        except (TimeoutError, aiohttp.ClientError) as error:
            # The request may have been written and posted; only Slack's history can tell.
            raise UncertainSend(repr(error)) from error

    async def reconcile(self, delivery: Delivery) -> str | None:
        """Look for the message by its outbox key: in its thread, or in the channel's recent
        history. A file upload carries no metadata to look for, so it is sent again, and so is
        an edit, which shows the same text however often it is made."""
        message = delivery.message
        if message.attachment is not None or message.image is not None or delivery.edits:
            return None
        channel = await self._channel(delivery)
        if delivery.thread:
            # A channel's history lists only top-level messages; a thread is read on its own.
            found = await self._client.conversations_replies(
                channel=channel, ts=delivery.thread, limit=200, include_all_metadata=True
            )
        else:
            found = await self._client.conversations_history(
                channel=channel, limit=100, include_all_metadata=True
            )
        for item in found.get("messages") or []:
            payload = (item.get("metadata") or {}).get("event_payload") or {}
            if payload.get("key") == delivery.key:
                return str(item["ts"])
        return None


def _translate(error: SlackApiError) -> Exception:
    response: Any = error.response
    if response.status_code == 429:
        return RetryLater(_retry_after(response))
    code = response.get("error") if hasattr(response, "get") else None
    if code in PERMANENT:
        return DeliveryFailed(str(code))
    return error
