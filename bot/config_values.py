"""Values the config (and commands) accept: durations, timezones, platform-qualified ids."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BeforeValidator

from bot import timezones

PLATFORMS = ("slack", "discord", "console")
_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d)?\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


def parse_duration(value: Any) -> int:
    """Turn ``90``, ``"90s"``, ``"30m"``, ``"1h"`` or ``"2d"`` into seconds."""
    if isinstance(value, bool):
        raise ValueError('expected a duration such as 3600, "30m" or "1h"')
    if isinstance(value, int):
        seconds = value
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f'expected a duration such as 3600, "30m" or "1h", not {value!r}')
        seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    return seconds


Duration = Annotated[int, BeforeValidator(parse_duration)]


def check_timezone(name: str) -> str:
    """Return ``name`` if it is an IANA Area/City timezone (or UTC); the one check commands use."""
    return timezones.check_timezone(name)


def check_platform_id(value: str) -> str:
    """Accept a platform-qualified user id such as ``slack:U123``."""
    platform, _, user = value.partition(":")
    if platform not in PLATFORMS or not user or " " in user:
        raise ValueError(
            f"{value!r} is not a platform-qualified id; write it as "
            '"slack:U123", "discord:4444" or "console:alice"'
        )
    return value


_CHANNEL_IDS = {
    "slack": (re.compile(r"^[A-Z0-9]{2,30}$"), 'a Slack channel id such as "slack:C0123456"'),
    "discord": (re.compile(r"^\d{5,25}$"), 'a Discord channel id such as "discord:1234567890"'),
    "console": (
        re.compile(r"^[A-Za-z0-9_.\-]{1,64}$"),
        'a console channel such as "console:general"',
    ),
}
_BARE_CHANNEL = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
HOME_CHANNEL_EXAMPLE = '"slack:C0123456", "discord:1234567890", "console:general" or a bare id'


def check_home_channel(value: Any) -> str:
    """Accept a home channel: ``slack:C0123``, ``discord:123``, ``console:general`` or a bare id."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a Discord channel id written as a TOML integer
    if not isinstance(value, str):
        raise ValueError(f"expected a channel id in quotes, e.g. {HOME_CHANNEL_EXAMPLE}")
    if value.startswith("#"):
        raise ValueError(
            f"{value!r} is a channel name; give its id instead, e.g. {HOME_CHANNEL_EXAMPLE}"
        )
    platform, colon, channel = value.partition(":")
    if not colon:
        if not _BARE_CHANNEL.match(value):
            raise ValueError(f"{value!r} is not a channel id; e.g. {HOME_CHANNEL_EXAMPLE}")
        return value
    if platform not in _CHANNEL_IDS:
        raise ValueError(
            f"{value!r} names no platform copbot knows ({', '.join(PLATFORMS)}); "
            f"e.g. {HOME_CHANNEL_EXAMPLE}"
        )
    pattern, example = _CHANNEL_IDS[platform]
    if not pattern.match(channel):
        raise ValueError(f"{value!r} is not {example}")
    return value


def accounts(qualified_ids: Iterable[str]) -> list[tuple[str, str]]:
    """Platform-qualified ids (``slack:U123``, as checked above) as (platform, user id) pairs."""
    return [(platform, user) for platform, _, user in (q.partition(":") for q in qualified_ids)]
