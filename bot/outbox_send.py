"""What the outbox and a platform's sender agree on: one delivery, its outcomes, the protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from bot.ui import Message, Recipient


class RetryLater(Exception):
    """The platform asked to slow down or failed for now; try again after ``seconds``.

    ``scope`` says what to hold back: the whole lane (the workspace) or only the channel.
    """

    def __init__(
        self,
        seconds: float,
        reason: str = "rate limited",
        scope: Literal["lane", "channel"] = "lane",
    ) -> None:
        super().__init__(reason)
        self.seconds = seconds
        self.scope = scope


class DeliveryFailed(Exception):
    """The platform refused the message for good (unknown user, missing permission)."""


# What a sender of a platform without its own calendar entries says of a native event row
# (the core makes them for Discord only).
NATIVE_EVENTS_ONLY_ON_DISCORD = "native events exist only on Discord"


class UncertainSend(Exception):
    """The request may have reached the platform but no answer came back (a timeout, a dropped
    connection): whether it was posted must be found out before any retry."""


@dataclass(frozen=True)
class Delivery:
    """One message to send now, with its thread (if any) resolved to a platform id."""

    key: str
    recipient: Recipient
    thread: str | None
    message: Message
    attempt: int
    # For a DM: its channel if copbot has opened one before (read with the row, so that the
    # sender need not look it up again).
    dm_channel: str | None = None
    # For an edit: the platform's id of the message to update in place instead of posting.
    edits: str | None = None


class Sender(Protocol):
    """What an adapter implements so that the outbox can send through it.

    A sender may also have ``async def prepare(delivery)`` (resolve a DM channel before the
    paced call, so that a wait for a channel to open holds no send slot) and
    ``def configure(pacing)`` (take the lane's pacing from the config).
    """

    platform: str

    async def send(self, delivery: Delivery) -> str:
        """Send one message (or, with ``delivery.edits``, update that message in place) and
        return the platform's id; raise RetryLater, DeliveryFailed or UncertainSend."""
        ...

    async def reconcile(self, delivery: Delivery) -> str | None:
        """After a crash or an uncertain send: the message id if it was in fact delivered."""
        ...
