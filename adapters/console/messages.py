"""What was typed in this console session, kept in memory only: the console stands in for a
platform's message history, so that a nominated message's form can be filled in (read only
after its author said yes, like Slack's and Discord's)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from adapters.console.inbound import PLATFORM

KEPT = 200  # the last lines typed; older ones are forgotten, as a scrolled-away terminal


@dataclass(frozen=True)
class Typed:
    """One message typed in the console: where, by whom, and its text."""

    channel: str
    thread: str | None
    author: str
    text: str


class ConsoleMessages:
    """The session's recent messages by their id; a reaction picks the last one of a place."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._typed: OrderedDict[str, Typed] = OrderedDict()

    def remember(self, message_ref: str, typed: Typed) -> None:
        """Keep a message typed now (forgetting the oldest beyond the limit)."""
        self._typed[message_ref] = typed
        while len(self._typed) > self._kept:
            self._typed.popitem(last=False)

    def last_in(self, channel: str, thread: str | None) -> tuple[str, Typed] | None:
        """The last message typed in a channel (or a thread of it), with its id."""
        for ref, typed in reversed(self._typed.items()):
            if (typed.channel, typed.thread) == (channel, thread):
                return ref, typed
        return None

    async def text_of(
        self, platform: str, workspace: str, channel: str | None, message_ref: str
    ) -> str | None:
        """A message's text, if this session still has it."""
        typed = self._typed.get(message_ref) if platform == PLATFORM else None
        return typed.text if typed is not None else None

    async def link_of(
        self, platform: str, workspace: str, channel: str | None, message_ref: str
    ) -> str | None:
        """A terminal has no links; the question names the message by its id instead."""
        return None
