"""Turn ``/cop`` text (or Discord's typed options) into a command and checked, typed arguments."""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.commands.spec import Args, Command, Option
from bot.errors import UsageError
from bot.safe_text import ControlCharacter, single_line
from bot.timezones import check_timezone
from bot.words import quoted

_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_NAMED = re.compile(r"^([a-z][a-z_-]*):(.*)$", re.DOTALL)
_USER = re.compile(r"^(?:<@!?([A-Za-z0-9]{1,64})(?:\|[^>]*)?>|@?([A-Za-z0-9_.\-]{1,64}))$")
_CHANNEL = re.compile(r"^(?:<#([A-Za-z0-9]{1,64})(?:\|[^>]*)?>|#?([A-Za-z0-9_\-]{1,64}))$")
_WHOLE_NUMBER = re.compile(r"^#?([0-9]{1,9})$")
_YES = {"yes", "y", "true", "on", "1"}
_NO = {"no", "n", "false", "off", "0"}
# The longest /cop line copbot reads: a check-in with every option at its longest fits easily.
# Anything longer is refused before it is parsed, so no message ever echoes a wall of text.
MAX_LINE = 2000
# How alike a word and a known one must be for "Did you mean": close enough to be a typo.
_CLOSE = 0.75


@dataclass(frozen=True)
class Invocation:
    """A command with its arguments, ready to run."""

    command: Command
    args: Args


def tokenize(text: str) -> list[str]:
    """Split command text into words; double quotes group words, apostrophes are just letters."""
    lexer = shlex.shlex(text.translate(_SMART_QUOTES), posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'
    lexer.escape = ""
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:
        raise UsageError(
            'A quote is not closed: every " needs a partner (questions:"What did you learn?").'
        ) from None


def _suggest(word: str, known: Sequence[str]) -> str:
    if len(word) > 2 * max((len(k) for k in known), default=0):
        return ""  # no typo of a known word is this long (and difflib is slow on long words)
    close = difflib.get_close_matches(word, known, n=1, cutoff=_CLOSE)
    return f" Did you mean `{close[0]}`?" if close else ""


class CommandCatalog:
    """Every command, and the lookups the parser and help need."""

    def __init__(self, commands: Sequence[Command]) -> None:
        self.commands = tuple(commands)
        self._by_name = {c.name: c for c in self.commands}
        if len(self._by_name) != len(self.commands):
            raise ValueError("two commands share a name")

    def groups(self) -> list[str]:
        """Group names in declaration order."""
        return list(dict.fromkeys(c.group for c in self.commands))

    def in_group(self, group: str) -> list[Command]:
        """The commands of one group."""
        return [c for c in self.commands if c.group == group]

    def get(self, name: str) -> Command | None:
        """A command by its full name (``checkin add``)."""
        return self._by_name.get(name)

    def parse(self, text: str) -> Invocation:
        """Parse ``/cop`` text (without the ``/cop`` itself) into an invocation."""
        if len(text) > MAX_LINE:
            raise UsageError(
                f"That command is {len(text):,} characters long; a `/cop` line has at most "
                f"{MAX_LINE:,}. Long text goes in a form."
            )
        words = tokenize(text.strip())
        if words and words[0] == "/cop":
            words = words[1:]
        while words and not words[0].strip():
            words = words[1:]  # an empty "" before the command says nothing
        if not words:
            words = ["help"]
        group = words[0].lower()
        commands = self.in_group(group)
        if not commands:
            hint = _suggest(group, self.groups()) or " `/cop help` lists what you can do."
            raise UsageError(f"I don't know {quoted('/cop ' + words[0])}.{hint}") from None
        verbs = [c.verb for c in commands if c.verb]
        rest = words[1:]
        if verbs:
            if not rest or rest[0].lower() not in verbs:
                given = f" {quoted(rest[0])}" if rest else ""
                hint = _suggest(rest[0].lower(), verbs) if rest else ""
                raise UsageError(
                    f"`/cop {group}` needs one of: {', '.join(verbs)}; got{given or ' nothing'}."
                    f"{hint}",
                    usage=f"/cop {group} {'|'.join(verbs)}",
                    topic=group,
                )
            command = self._by_name[f"{group} {rest[0].lower()}"]
            rest = rest[1:]
        else:
            command = commands[0]
        positionals: list[str] = []
        named: dict[str, str] = {}
        for word in rest:
            match = _NAMED.match(word)
            # "https://..." is a value, not an option called https.
            if match and not match.group(2).startswith("//"):
                name = match.group(1).replace("-", "_")
                if name in named:
                    raise UsageError(
                        f"{quoted(name + ':')} is given twice.", command.usage(), command.group
                    )
                named[name] = match.group(2)
            else:
                positionals.append(word)
        return bind(command, positionals, named)


def bind(command: Command, positionals: Sequence[str], named: Mapping[str, str]) -> Invocation:
    """Check and convert raw arguments against a command's options."""
    usage, topic = command.usage(), command.group
    values: dict[str, str] = {}
    for name, value in named.items():
        option = command.option(name)
        if option is None:
            known = [o.name for o in command.options]
            hint = _suggest(name, known) if known else " It takes no options."
            raise UsageError(
                f"`/cop {command.name}` has no option {quoted(name)}.{hint}", usage, topic
            )
        values[name] = value
    slots = [o for o in command.positionals if o.name not in values]
    if len(positionals) > len(slots):
        extra = " ".join(positionals[len(slots) :])
        raise UsageError(f"I don't know what to do with {quoted(extra)}.", usage, topic)
    for option, value in zip(slots, positionals, strict=False):
        values[option.name] = value
    args: dict[str, Any] = {}
    for option in command.options:
        if option.name in values:
            args[option.name] = convert(option, values[option.name], usage, topic)
        elif option.required:
            raise UsageError(f"`{option.name}` is missing.", usage, topic)
        else:
            args[option.name] = option.default
    return Invocation(command, args)


def convert(option: Option, raw: str, usage: str, topic: str) -> Any:
    """Turn one raw value into its option's type, or raise a UsageError that names it."""
    value = raw.strip()
    if not value and (option.required or option.kind != "text"):
        raise UsageError(f"`{option.name}` cannot be empty.", usage, topic)
    if option.kind == "text":
        try:
            # Text options are one line (names, questions): an ESC or a NUL is never meant.
            # The other kinds refuse anything but their own characters already.
            single_line(value, f"`{option.name}`")
        except ControlCharacter as error:
            raise UsageError(str(error), usage, topic) from None
        if len(value) > option.max_length:
            raise UsageError(
                f"`{option.name}` is {len(value):,} characters long; "
                f"at most {option.max_length:,}.",
                usage,
                topic,
            )
        return value
    if option.kind == "integer":
        number = _WHOLE_NUMBER.match(value)
        if not number:
            raise UsageError(
                f"`{option.name}` should be a whole number, not {quoted(value)}.", usage, topic
            )
        return int(number.group(1))
    if option.kind == "choice":
        if value.lower() not in option.choices:
            raise UsageError(
                f"`{option.name}` should be one of {', '.join(option.choices)}, "
                f"not {quoted(value)}.",
                usage,
                topic,
            )
        return value.lower()
    if option.kind == "yesno":
        if value.lower() in _YES:
            return True
        if value.lower() in _NO:
            return False
        raise UsageError(f"`{option.name}` should be yes or no, not {quoted(value)}.", usage, topic)
    if option.kind == "user":
        match = _USER.match(value)
        if not match:
            raise UsageError(
                f"{quoted(value)} is not a person; mention them like @name.", usage, topic
            )
        return match.group(1) or match.group(2)
    if option.kind == "channel":
        match = _CHANNEL.match(value)
        if not match:
            raise UsageError(
                f"{quoted(value)} is not a channel; write it like #general.", usage, topic
            )
        return match.group(1) or match.group(2)
    if option.kind == "date":
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise UsageError(
                f"`{option.name}` should be a date like 2026-12-24, not {quoted(value)}.",
                usage,
                topic,
            ) from None
    if option.kind == "timezone":
        try:
            return check_timezone(value)
        except ValueError as error:
            raise UsageError(str(error), usage, topic) from None
    raise AssertionError(f"unknown option kind {option.kind}")
