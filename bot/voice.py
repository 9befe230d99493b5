"""Who is in a voice channel now, as the platform knows it: asked when an event held there
starts, so that those already sitting in it count as having come."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from bot.events import Actor


class VoiceRoster(Protocol):
    """A platform's answer to "who is in this voice channel?"."""

    async def in_voice(self, platform: str, workspace: str, channel: str) -> list[Actor] | None:
        """The people in the voice channel now (bots marked), or None if the platform cannot
        tell (no such channel, or nothing known of it)."""
        ...


class PlatformVoice:
    """A VoiceRoster per platform, asked by the platform of the question; a platform with none
    (Slack, the console) has no voice channels."""

    def __init__(self, by_platform: Mapping[str, VoiceRoster] | None = None) -> None:
        self._by_platform = dict(by_platform or {})

    def add(self, platform: str, roster: VoiceRoster) -> None:
        """Answer questions about ``platform``'s voice channels with ``roster``."""
        self._by_platform[platform] = roster

    async def in_voice(self, platform: str, workspace: str, channel: str) -> list[Actor] | None:
        """What the platform's roster says; None for a platform that has none."""
        roster = self._by_platform.get(platform)
        if roster is None:
            return None
        return await roster.in_voice(platform, workspace, channel)
