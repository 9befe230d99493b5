"""Errors a person can cause; each carries a message written for them."""

from __future__ import annotations

# A usage message is a few lines; a longer one would echo input, and could exceed a message.
MAX_EXPLANATION = 1500


class UsageError(Exception):
    """A command was malformed or referred to something that is not there; nothing was changed."""

    def __init__(self, message: str, usage: str | None = None, topic: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage
        self.topic = topic

    def explain(self) -> str:
        """The private reply: what was wrong, the right form, where to read more."""
        message = self.message
        if len(message) > MAX_EXPLANATION:
            message = message[: MAX_EXPLANATION - 1] + "…"
        lines = [f"⚠️ {message}"]
        if self.usage:
            lines.append(f"Usage: `{self.usage}`")
        if self.topic:
            lines.append(f"More: `/cop help {self.topic}`")
        return "\n".join(lines)


class PermissionDenied(Exception):
    """The person may not do this; the message says who may."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreUnavailable(Exception):
    """The database cannot take a write right now (unreachable, locked, shutting down); the same
    write may succeed later, so nothing is acknowledged as saved."""
