"""The welcome text a community may set (``[[communities]] welcome = "..."``): its placeholders,
checked when the config is read, and filled in for each member."""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

# What each placeholder becomes, for the README and the problems the config reports.
PLACEHOLDERS = {
    "member": "the member's display name",
    "community": "the community's name",
    "purpose": "the charter's purpose (empty until the charter has one)",
    "domain": "the charter's domain",
    "audience": "the charter's audience",
}
WELCOME_LENGTH = 1500  # the rest of the DM (charter, this week) fits in a message beside it
DEFAULT_WELCOME = "👋 Welcome to {community}, {member}! We are glad you are here."
_KNOWN = ", ".join("{" + name + "}" for name in PLACEHOLDERS)


def check_welcome(text: str | None) -> str | None:
    """Return a welcome text whose placeholders are all known and whose braces are balanced,
    else raise ValueError saying what to write ("{{" and "}}" show a brace)."""
    if text is None:
        return None
    if not text.strip():
        raise ValueError(f"the welcome text is empty; write one, or leave `welcome` out ({_KNOWN})")
    if len(text) > WELCOME_LENGTH:
        raise ValueError(
            f"the welcome text has {len(text)} characters; keep it to {WELCOME_LENGTH}"
        )
    try:
        parts = list(Formatter().parse(text))
    except ValueError:
        raise ValueError(
            f"the welcome text has an unmatched brace; placeholders are written {_KNOWN}, "
            'and a brace itself as "{{" or "}}"'
        ) from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            shown = (
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            raise ValueError(
                f"the welcome text names {shown}, which is not a placeholder; use {_KNOWN}"
            )
    return text


def fill_welcome(text: str | None, values: Mapping[str, str]) -> str:
    """The welcome text (the community's, else the default) with its placeholders filled in."""
    return (text or DEFAULT_WELCOME).format_map(
        {name: values.get(name, "") for name in PLACEHOLDERS}
    )
