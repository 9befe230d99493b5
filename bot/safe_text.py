"""Safe text: the one place that strips control characters and escapes text for each platform.

Every renderer passes every string it shows through here, copbot's own words included: copbot's
messages use no Slack ``<...>`` syntax and no Discord mention, so escaping whole messages costs
nothing (and ``<name>`` placeholders in help then show as written on Slack).

What copbot itself means as markup travels as a reserved token that only the core writes and
only these functions turn into platform syntax, after escaping everything around it. The one in
use is the time token (bot/ui_calendar.py ``time_token``): ``\\x1etime:<epoch>|<fallback>\\x1e``
becomes Slack ``<!date^...|fallback>``, Discord ``<t:...:F> (<t:...:R>)``, or its fallback where
a platform shows plain text (``plain_times``). People's text cannot forge one: commands drop
control characters at a value's ends and refuse them inside it, and forms strip them
(``printable``), so a person's ``<!date^1^x|y>`` is escaped like any other text (a ``<t:1:F>``
typed on Discord is Discord's own syntax and shows as it did before). Display names are kept as
the platform gives them; were one ever to hold a token, the most it could do is show a date.
Should copbot ever need to mention someone, it would follow the same pattern (a reserved
``\\x00mention:<id>\\x00``).

Pure string functions; no platform library is imported here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Bidirectional overrides, embeddings, isolates and marks: they can make text read backwards
# ("evil.exe" shown as "exe.live") or hide where a line ends.
BIDI = frozenset(
    [
        *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A)),
        "\u200e",
        "\u200f",
        "\u061c",
    ]
)
_BIDI_CLASS = "".join(sorted(BIDI))
# C0 and C1 controls and DEL are exactly Unicode's "Cc" category: U+0000-001F and U+007F-009F.
# A lone surrogate (U+D800-DFFF: JSON's \ud800 escape decodes to one) is no character at all,
# and no database or platform can encode it.
_UNSAFE = re.compile(rf"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_BIDI_CLASS}]")
_UNSAFE_IN_MULTILINE = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_BIDI_CLASS}]")
_DISCORD_MENTION = re.compile(r"@(everyone|here|[!&]?[0-9]{15,21})")
_DISCORD_CHANNEL = re.compile(r"<#([0-9]+)>")
_DISCORD_MASKED_LINK = re.compile(r"\](?=\s*\()")
ZERO_WIDTH_SPACE = "\u200b"
# bot/ui_calendar.py's time token; a malformed one matches nothing and is stripped as controls.
_TIME_TOKEN = re.compile(r"\x1etime:([0-9]{1,12})\|([^\x1e]*)\x1e")
SLACK_DATE_FORMAT = "{date_short_pretty} at {time}"


class ControlCharacter(ValueError):
    """A single-line value holds a control character; the message names the field and the char."""


def _pattern(multiline: bool) -> re.Pattern[str]:
    return _UNSAFE_IN_MULTILINE if multiline else _UNSAFE


def is_unsafe(char: str, *, multiline: bool = False) -> bool:
    """Whether a character is a C0/C1 control, DEL, a bidirectional control or a lone surrogate
    (newline and tab are allowed where the text may have several lines)."""
    return _pattern(multiline).fullmatch(char) is not None


def printable(text: str, *, multiline: bool = True) -> str:
    """The text without control characters (``\\r\\n`` and ``\\r`` become ``\\n`` where
    multi-line, so a line break typed on Windows is kept)."""
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _pattern(multiline).sub("", text)


def first_unsafe(text: str) -> str | None:
    """The first control character of a single-line value, if any."""
    found = _UNSAFE.search(text)
    return found.group() if found else None


def single_line(text: str, what: str) -> str:
    """Return a name or single-line value unchanged, or raise ControlCharacter naming ``what``."""
    found = first_unsafe(text)
    if found is not None:
        raise ControlCharacter(
            f"{what} contains a control character (U+{ord(found):04X}); type plain text."
        )
    return text


def _with_times(text: str, escape: Callable[[str], str], time: Callable[[int, str], str]) -> str:
    """People's text escaped piece by piece as ever; each time token between the pieces drawn by
    ``time`` (from its epoch seconds and its fallback, made printable on one line)."""
    shown: list[str] = []
    last = 0
    for token in _TIME_TOKEN.finditer(text):
        shown.append(escape(text[last : token.start()]))
        fallback = printable(token[2], multiline=False).replace("|", "/")
        shown.append(time(int(token[1]), fallback))
        last = token.end()
    shown.append(escape(text[last:]))
    return "".join(shown)


def plain_times(text: str) -> str:
    """The text with each time token replaced by its fallback, for places that show plain text
    (Slack plain_text, notifications, a Discord event's description, the console)."""
    return _with_times(text, lambda piece: piece, lambda _, fallback: fallback)


def _slack_escape(text: str) -> str:
    text = printable(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_date(epoch: int, fallback: str) -> str:
    # Escaped, the fallback holds no ``>``; time_token already turned ``|`` into ``/``.
    return f"<!date^{epoch}^{SLACK_DATE_FORMAT}|{_slack_escape(fallback) or epoch}>"


def slack_mrkdwn(text: str) -> str:
    """Text for a Slack mrkdwn field: printable, with ``&``, ``<`` and ``>`` escaped, so that
    ``<!channel>``, ``<@U123>`` and ``<https://…|label>`` show as typed instead of pinging or
    disguising a link; copbot's time tokens become ``<!date^…>``, shown in the reader's zone."""
    return _with_times(text, _slack_escape, _slack_date)


def slack_unescape(text: str) -> str:
    """What a person typed, from Slack's inbound text (Slack sends ``&``, ``<`` and ``>`` typed
    as text as entities; mentions stay ``<@U…>``): stored as typed, escaped again when shown."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _discord_escape(text: str) -> str:
    text = printable(text)
    text = _DISCORD_MENTION.sub(f"@{ZERO_WIDTH_SPACE}\\1", text)
    text = _DISCORD_CHANNEL.sub(f"<#{ZERO_WIDTH_SPACE}\\1>", text)
    return _DISCORD_MASKED_LINK.sub(f"]{ZERO_WIDTH_SPACE}", text)


def _discord_time(epoch: int, _fallback: str) -> str:
    return f"<t:{epoch}:F> (<t:{epoch}:R>)"


def discord_text(text: str) -> str:
    """Text for Discord content or an embed: printable, with ``@everyone``, ``@here``, user,
    role and channel mentions and masked links ``[label](url)`` neutralised by a zero-width
    space (shown as typed, never a ping or a disguised link); copbot's time tokens become
    ``<t:…:F> (<t:…:R>)``, shown in the reader's zone."""
    return _with_times(text, _discord_escape, _discord_time)
