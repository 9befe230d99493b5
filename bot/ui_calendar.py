"""The UI model's calendar parts: a moment each reader sees in their own timezone, and a
platform's own calendar entry for an event. Validated like the rest of bot/ui.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(what)  # a programming error, caught by tests (as UILimitError is)


# A moment in time inside a message's text, shown by each platform in the reader's own timezone
# (Slack ``<!date^...>``, Discord ``<t:...>``), or as its fallback where it cannot be (the
# console). Record separators delimit it: people's text never holds one (commands refuse control
# characters, forms and renderers strip them), so nobody can forge a token.
TIME_TOKEN_MARK = "\x1e"


def time_token(instant: datetime, fallback: str) -> str:
    """A moment in a message's text: each reader sees it in their own timezone where the
    platform can, else ``fallback`` (the time written out in one zone, with its name)."""
    seconds = int(instant.astimezone(UTC).timestamp())
    clean = fallback.replace(TIME_TOKEN_MARK, "").replace("|", "/")
    return f"{TIME_TOKEN_MARK}time:{seconds}|{clean}{TIME_TOKEN_MARK}"


MAX_NATIVE_NAME = 100  # Discord guild scheduled event name 1-100
MAX_NATIVE_DESCRIPTION = 1000  # Discord: description up to 1000
MAX_NATIVE_LOCATION = 100  # Discord: entity_metadata.location up to 100


@dataclass(frozen=True)
class NativeEvent:
    """A platform's own calendar entry for an event (a Discord guild scheduled event: in its
    voice channel, else external with its link as the location). Sent as a message of its
    own, whose sent id is the platform's event id; an edit of it updates that event, and
    ``cancelled`` cancels it."""

    name: str
    start: datetime
    end: datetime
    location: str
    description: str = ""
    cancelled: bool = False
    # A voice (or stage) channel it is held in: then the platform hosts it, ``location`` unused.
    voice_channel: str | None = None

    def __post_init__(self) -> None:
        _require(0 < len(self.name) <= MAX_NATIVE_NAME, f"native event name: {self.name!r}")
        _require(0 < len(self.location) <= MAX_NATIVE_LOCATION, f"location: {self.location!r}")
        _require(len(self.description) <= MAX_NATIVE_DESCRIPTION, "native event description")
        _require(self.start.tzinfo is not None and self.start < self.end, "native event times")

    def to_json(self) -> dict[str, Any]:
        """Serialise for the outbox table."""
        return {
            "name": self.name,
            "start": self.start.astimezone(UTC).isoformat(),
            "end": self.end.astimezone(UTC).isoformat(),
            "location": self.location,
            "description": self.description,
            "cancelled": self.cancelled,
            "voice_channel": self.voice_channel,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NativeEvent:
        """Rebuild a native event stored by :meth:`to_json`."""
        return cls(
            name=data["name"],
            start=datetime.fromisoformat(data["start"]),
            end=datetime.fromisoformat(data["end"]),
            location=data["location"],
            description=data.get("description", ""),
            cancelled=bool(data.get("cancelled", False)),
            voice_channel=data.get("voice_channel"),
        )
