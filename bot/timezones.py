"""The one check of a timezone name, for commands and the config: IANA ``Area/City`` or UTC."""

from __future__ import annotations

import difflib
from functools import cache
from zoneinfo import available_timezones

from bot.words import excerpt

# The areas of the IANA database's own zone names. Others in ``available_timezones()`` are
# legacy aliases (US/Eastern, Canada/Pacific), fixed offsets (Etc/GMT+5) or abbreviations (EST).
AREAS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)
MAX_NAME = 64  # the longest IANA name has 32 characters
EXAMPLE = "an Area/City name like Europe/Berlin or America/New_York, or UTC"
# A place to suggest for the abbreviations and aliases people reach for most.
_PLACES = {
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "EST5EDT": "America/New_York",
    "US/EASTERN": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "CST6CDT": "America/Chicago",
    "US/CENTRAL": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "MST7MDT": "America/Denver",
    "US/MOUNTAIN": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PST8PDT": "America/Los_Angeles",
    "US/PACIFIC": "America/Los_Angeles",
    "HST": "Pacific/Honolulu",
    "GMT": "Europe/London",
    "BST": "Europe/London",
    "GB": "Europe/London",
    "WET": "Europe/Lisbon",
    "CET": "Europe/Paris",
    "CEST": "Europe/Berlin",
    "MET": "Europe/Paris",
    "EET": "Europe/Helsinki",
    "IST": "Asia/Kolkata",
    "JST": "Asia/Tokyo",
    "AEST": "Australia/Sydney",
}


@cache
def zone_names() -> frozenset[str]:
    """Every name copbot accepts: the IANA ``Area/City`` zones, and UTC."""
    names = {n for n in available_timezones() if n.partition("/")[0] in AREAS and "/" in n}
    return frozenset(names | {"UTC"})


@cache
def _by_folded_case() -> dict[str, str]:
    return {name.casefold(): name for name in zone_names()}


def check_timezone(name: str) -> str:
    """Return ``name`` if it is an IANA ``Area/City`` zone (or UTC), else raise ValueError with
    a message that says what to write instead."""
    name = name.strip()
    if name in zone_names():
        return name
    shown = f'"{excerpt(name)}"'
    if not name:
        raise ValueError(f"A timezone is needed: {EXAMPLE}.")
    if len(name) > MAX_NAME:
        raise ValueError(f"A timezone has at most {MAX_NAME} characters: {EXAMPLE}.")
    canonical = _by_folded_case().get(name.casefold())
    if canonical is not None:
        raise ValueError(f"Did you mean {canonical}? Timezone names are case-sensitive.")
    place = _PLACES.get(name.upper())
    if name.upper().startswith("ETC/"):
        raise ValueError(
            f"{shown} is a fixed offset with no daylight saving (and its sign reads backwards): "
            f"name a city in your zone instead, {EXAMPLE}."
        )
    if place or name in available_timezones():
        hint = f"e.g. {place}" if place else EXAMPLE
        raise ValueError(
            f"{shown} is an abbreviation or an old alias, not a place: "
            f"write an Area/City name, {hint}."
        )
    close = difflib.get_close_matches(name, sorted(zone_names()), n=1, cutoff=0.75)
    if close:
        raise ValueError(f"{shown} is not a timezone. Did you mean {close[0]}?")
    raise ValueError(f"{shown} is not a timezone: write {EXAMPLE}.")
