"""The config's ``[nudges]`` section: how long a member is quiet before a nudge invites them
back."""

from __future__ import annotations

from pydantic import Field

from bot.config_outbox import Section


class NudgesConfig(Section):
    """When a member counts as inactive enough to be nudged."""

    # Weeks with no contribution (a message, a reply, a check-in answered, an event attended).
    weeks: int = Field(default=3, ge=1, le=52)
