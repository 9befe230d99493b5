"""The console's outbox sender: prints what copbot sends on its own."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from adapters.console.render import Screen
from adapters.console.terminal import OutputClosed
from bot.outbox import Delivery
from bot.outbox_send import NATIVE_EVENTS_ONLY_ON_DISCORD, DeliveryFailed, RetryLater

CLOSED_WAIT = 3600.0  # seconds before a message the closed terminal could not show is tried again


class ConsoleSender:
    """Shows outbox messages in the terminal as DMs or channel posts."""

    platform = "console"

    def __init__(self, screen: Screen, files: Path | None = None) -> None:
        self._screen = screen
        self._ids = itertools.count(1)
        self._files = files  # where files sent (reports) are saved; None shows them only

    def _save(self, delivery: Delivery) -> list[Path]:
        """Write the message's file and picture to the files folder; the same name is
        overwritten (a week's report made again replaces the first)."""
        message = delivery.message
        sent = [f for f in (message.attachment, message.image) if f is not None]
        if self._files is None or not sent:
            return []
        folder = self._files
        if delivery.recipient.user is not None:
            folder = folder / _plain(delivery.recipient.user)  # one folder a reader
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for file in sent:
            path = folder / _plain(file.name)
            path.write_bytes(file.content)
            paths.append(path)
        return paths

    async def send(self, delivery: Delivery) -> str:
        """Print one message; its id is a running number, used for threads. An edit is shown
        again whole, marked as the edit of the message it updates."""
        if delivery.message.native_event is not None:
            raise DeliveryFailed(NATIVE_EVENTS_ONLY_ON_DISCORD)
        message_id = delivery.edits or f"m{next(self._ids)}"
        recipient = delivery.recipient
        if recipient.group:
            where = f"group DM with {', '.join(recipient.group)}"
        elif recipient.user is not None:
            where = f"DM to {recipient.user}"
        else:
            where = f"#{recipient.channel}"
            if delivery.thread:
                where += f", thread of {delivery.thread}"
        shown = f"{message_id}, edited" if delivery.edits else message_id
        try:
            saved = self._save(delivery)
        except OSError as error:
            raise RetryLater(60.0, f"cannot save the file: {error}") from error
        try:
            self._screen.show(f"[copbot → {where}] ({shown})", delivery.message, saved)
        except OutputClosed as error:
            # Nobody saw it: it stays pending for the next start, without a traceback.
            raise RetryLater(CLOSED_WAIT, "the console's output is closed") from error
        return message_id

    async def reconcile(self, delivery: Delivery) -> str | None:
        """A terminal keeps no history to look in, so a message cut off mid-send is shown again."""
        return None


def _plain(name: str) -> str:
    """A name safe as one path part: never a separator, a leading dot or ``..``, so that no
    name (a console member is called what they typed) leads out of the folder."""
    return re.sub(r"[^\w.-]", "_", name).lstrip(".") or "_"
