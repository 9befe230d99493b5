"""Whether copbot can post in the channels a command names, asked before anything is changed:
a schedule in a channel copbot cannot post in would only fail later, in the outbox."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from bot.commands.spec import Args, Command
from bot.errors import UsageError


class ChannelAccess(Protocol):
    """A platform's answer to "can copbot post there?"."""

    async def can_post(self, platform: str, workspace: str, channel: str) -> bool | None:
        """True if copbot can post in the channel, False if it cannot (or there is no such
        channel), None if the platform could not tell (copbot then goes ahead)."""
        ...


class PlatformChannels:
    """A ChannelAccess per platform, asked by the platform of the question; a platform with
    none (the console) is never refused."""

    def __init__(self, by_platform: Mapping[str, ChannelAccess] | None = None) -> None:
        self._by_platform = dict(by_platform or {})

    def add(self, platform: str, access: ChannelAccess) -> None:
        """Answer questions about ``platform``'s channels with ``access``."""
        self._by_platform[platform] = access

    async def can_post(self, platform: str, workspace: str, channel: str) -> bool | None:
        """What the platform's access says; None for a platform that has none."""
        access = self._by_platform.get(platform)
        if access is None:
            return None
        return await access.can_post(platform, workspace, channel)


# What a facilitator does so that copbot may post, by platform.
_HOW_TO_ALLOW = {
    "slack": "invite me there first (`/invite @copbot`)",
    "discord": "give copbot the Send Messages permission in #{channel}",
}


def cannot_post(platform: str, channel: str) -> str:
    """The private answer when copbot cannot post in a channel a command names."""
    how = _HOW_TO_ALLOW.get(platform, "let me post there first").format(channel=channel)
    return f"I can't post in #{channel}: {how} and run the command again. Nothing changed."


def named_channels(command: Command, args: Args, here: str | None = None) -> list[str]:
    """The channels a command's options name for copbot to post in (each once, in the order
    of the options); an option that defaults to the channel the command was typed in names
    ``here`` when left out, and a voice channel copbot only listens in is not one."""
    named: list[str] = []
    for option in command.options:
        value = args.get(option.name) or (here if option.defaults_here else None)
        if option.kind == "channel" and not option.voice and value and value not in named:
            named.append(str(value))
    return named


async def refuse_unpostable(
    access: ChannelAccess, platform: str, workspace: str, channels: Iterable[str]
) -> None:
    """Raise UsageError for the first channel copbot cannot post in; a channel the platform
    could not tell about is let through (the outbox reports it if the post fails)."""
    for channel in channels:
        if await access.can_post(platform, workspace, channel) is False:
            raise UsageError(cannot_post(platform, channel))
