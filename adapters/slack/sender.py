"""The Slack outbox sender: DMs through ``conversations.open``, posts with ``chat.postMessage``."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import blocks, fallback_text
from bot.direct import DirectChannels
from bot.outbox import Delivery, DeliveryFailed, RetryLater

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
}
METADATA_TYPE = "copbot_outbox"


class SlackSender:
    """Sends outbox messages to one Slack workspace."""

    platform = "slack"
    # Slack allows about one message per second per channel (short bursts above it) and caps a
    # workspace; the SDK's rate-limit retry handler absorbs the occasional 429 on top.
    rate_per_second = 4.0
    channel_rate_per_second = 1.0

    def __init__(self, client: AsyncWebClient, channels: DirectChannels) -> None:
        self._client = client
        self._channels = channels

    async def _channel(self, delivery: Delivery) -> str:
        recipient = delivery.recipient
        if recipient.channel is not None:
            return recipient.channel
        assert recipient.user is not None
        known = await self._channels.known(recipient.platform, recipient.workspace, recipient.user)
        if known:
            return known
        opened = await self._client.conversations_open(users=recipient.user)
        channel = str(opened["channel"]["id"])
        await self._channels.remember(
            recipient.platform, recipient.workspace, recipient.user, channel
        )
        return channel

    async def send(self, delivery: Delivery) -> str:
        """Post one message (or upload its file) and return its ``ts`` (or the file id)."""
        try:
            channel = await self._channel(delivery)
            message = delivery.message
            if message.attachment is not None:
                uploaded = await self._client.files_upload_v2(
                    channel=channel,
                    content=message.attachment.content,
                    filename=message.attachment.name,
                    initial_comment=message.text,
                    thread_ts=delivery.thread,
                )
                return str(uploaded["files"][0]["id"])
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

    async def reconcile(self, delivery: Delivery) -> str | None:
        """Look for the message by its outbox key: in its thread, or in the channel's recent
        history. A file upload carries no metadata to look for, so it is sent again."""
        if delivery.message.attachment is not None:
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
        retry_after = float(
            response.headers.get("retry-after", response.headers.get("Retry-After", 30))
        )
        return RetryLater(retry_after)
    code = response.get("error") if hasattr(response, "get") else None
    if code in PERMANENT:
        return DeliveryFailed(str(code))
    return error
