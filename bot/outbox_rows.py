"""Outbox rows in and out: the row an outgoing message becomes, the delivery a row becomes, and
how long to wait before trying a failed one again."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from bot.outbox_send import Delivery
from bot.ui import Message, Outgoing, Recipient
from storage import outbox
from storage.models import OutboxRow

# The payload's entry naming the users of a group conversation (see Recipient.group).
GROUP = "group"


def outbox_row(outgoing: Outgoing, now: datetime) -> dict[str, Any]:
    """The outbox row that stands for an outgoing message (its file is stored apart)."""
    recipient = outgoing.recipient
    payload = outgoing.message.to_json()
    if recipient.group:
        # The group's users ride in the payload: no column of their own is needed.
        payload[GROUP] = list(recipient.group)
    row: dict[str, Any] = {
        "key": outgoing.key,
        "kind": outgoing.kind or None,
        "subject": outgoing.subject or None,
        "platform": recipient.platform,
        "workspace": recipient.workspace,
        "recipient_user": recipient.user,
        "recipient_channel": recipient.channel,
        "thread_key": recipient.thread_key,
        "edits_key": outgoing.edits,
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "not_before": outgoing.not_before or now,
        "created_at": now,
    }
    message = outgoing.message
    for name, key, file in (
        ("attachment", outbox.FILE, message.attachment),
        ("image", outbox.IMAGE, message.image),
    ):
        if file is not None:
            # The payload names the file; its bytes go to the file table, once.
            payload[name].pop("content", None)
            payload[name]["file"] = file.digest
            row[key] = (file.digest, file.content)
    return row


def delivery_of(
    row: OutboxRow,
    thread: str | None,
    content: bytes | None = None,
    dm: str | None = None,
    edits: str | None = None,
    image: bytes | None = None,
) -> Delivery:
    """The delivery a claimed row stands for, with its thread, file, DM channel, picture and
    (for an edit) the platform's id of the message it updates resolved."""
    recipient = Recipient(
        row.platform,
        row.workspace,
        user=row.recipient_user,
        channel=row.recipient_channel,
        thread_key=row.thread_key,
        group=tuple(row.payload.get(GROUP) or ()),
    )
    message = Message.from_json(row.payload, content, image)
    return Delivery(row.key, recipient, thread, message, row.attempts, dm, edits)


def backoff(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1``: exponential, jittered, capped at 10 min."""
    return min(600.0, 2.0**attempt) * random.uniform(0.8, 1.2)
