"""Who is in a community on a platform: the people a launch welcomes, asked of the platform,
since most members of a workspace never said anything copbot could have seen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Person:
    """Someone the platform lists: their user id and the name it shows (never a bot)."""

    user: str
    name: str | None


class Roster(Protocol):
    """A platform's list of the people in a workspace (or in some of its channels)."""

    async def people(
        self, platform: str, workspace: str, channels: Sequence[str]
    ) -> list[Person] | None:
        """The people in ``channels`` (every person of the workspace when none are given);
        None when the platform cannot say (not connected, not allowed, an outage)."""
        ...


class PlatformRoster:
    """A Roster per platform, asked by the platform of the question; a platform with none
    (the console) lists nobody beyond who copbot has met."""

    def __init__(self, by_platform: Mapping[str, Roster] | None = None) -> None:
        self._by_platform = dict(by_platform or {})

    def add(self, platform: str, roster: Roster) -> None:
        """Answer for ``platform`` with ``roster``."""
        self._by_platform[platform] = roster

    @property
    def platforms(self) -> frozenset[str]:
        """The platforms that can be asked."""
        return frozenset(self._by_platform)

    async def people(
        self, platform: str, workspace: str, channels: Sequence[str]
    ) -> list[Person] | None:
        """What the platform's roster says; None for a platform that has none."""
        roster = self._by_platform.get(platform)
        if roster is None:
            return None
        return await roster.people(platform, workspace, channels)
