"""The config's ``[resources]`` and ``[stories]`` sections: which reaction on a message asks
its author whether it may join the library, or the stories."""

from __future__ import annotations

from pydantic import Field, field_validator

from bot.config_outbox import Section

# Slack names its emoji; Discord sends the character itself. A name here matches both.
EMOJI = {
    "bookmark": "🔖",
    "star": "⭐",
    "star2": "🌟",
    "books": "📚",
    "link": "🔗",
    "bulb": "💡",
    "sparkles": "✨",
    "trophy": "🏆",
    "tada": "🎉",
    "heart": "❤️",
    "pushpin": "📌",
    "memo": "📝",
}


def _reaction(value: str) -> str:
    name = value.strip().strip(":")
    if not name or any(c.isspace() for c in name):
        raise ValueError('expected an emoji name such as "bookmark" (no colons or spaces)')
    return name


class ReactionSection(Section):
    """A reaction that nominates a message (empty: reactions nominate nothing)."""

    reaction: str = Field(default="", max_length=64)

    @field_validator("reaction")
    @classmethod
    def _named(cls, value: str) -> str:
        return _reaction(value) if value else ""

    def matches(self, emoji: str) -> bool:
        """Whether a reaction is this one: by Slack's name, or Discord's character."""
        if not self.reaction or not emoji:
            return False
        return emoji.strip(":") == self.reaction or emoji == EMOJI.get(self.reaction)


class ResourcesConfig(ReactionSection):
    """The resource library: a reaction on a message with a link suggests it."""

    reaction: str = Field(default="bookmark", max_length=64)


class StoriesConfig(ReactionSection):
    """Stories: a reaction on a message suggests it as a story (a reflection, in a reflect
    prompt's thread)."""

    reaction: str = Field(default="star", max_length=64)
