"""The console's outbox sender: prints what copbot sends on its own."""

from __future__ import annotations

import itertools

from adapters.console.render import Screen
from bot.outbox import Delivery


class ConsoleSender:
    """Shows outbox messages in the terminal as DMs or channel posts."""

    platform = "console"

    def __init__(self, screen: Screen) -> None:
        self._screen = screen
        self._ids = itertools.count(1)

    async def send(self, delivery: Delivery) -> str:
        """Print one message; its id is a running number, used for threads. An edit is shown
        again whole, marked as the edit of the message it updates."""
        message_id = delivery.edits or f"m{next(self._ids)}"
        recipient = delivery.recipient
        if recipient.user is not None:
            where = f"DM to {recipient.user}"
        else:
            where = f"#{recipient.channel}"
            if delivery.thread:
                where += f", thread of {delivery.thread}"
        shown = f"{message_id}, edited" if delivery.edits else message_id
        self._screen.show(f"[copbot → {where}] ({shown})", delivery.message)
        return message_id

    async def reconcile(self, delivery: Delivery) -> str | None:
        """A terminal keeps no history to look in, so a message cut off mid-send is shown again."""
        return None
