"""Values the config (and commands) accept: durations, timezones, platform-qualified ids."""

from __future__ import annotations

import re
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
