"""How a command is declared: group, verb, typed options, who may run it, help, handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from bot.context import CommandContext
    from bot.ui import Effect


class Role(StrEnum):
    """What a person may do in a community."""

    MEMBER = "member"
    FACILITATOR = "facilitator"
    LEAD = "lead"


OptionKind = Literal["text", "integer", "choice", "yesno", "user", "channel", "timezone", "date"]

Args = Mapping[str, Any]
Handler = Callable[["CommandContext", Args], Awaitable[list["Effect"]]]


@dataclass(frozen=True)
class Option:
    """One input of a command: positional (in order) or named (``name:value``)."""

    name: str
    kind: OptionKind = "text"
    help: str = ""
    required: bool = False
    positional: bool = False
    choices: tuple[str, ...] = ()
    default: Any = None
    max_length: int = 1000
    # How the value reads in a usage line when the default would be unclear, e.g. "Q1|Q2|Q3".
    shown: str = ""
    # A channel option left out means the channel the command was typed in.
    defaults_here: bool = False
    # A channel option naming a voice or stage channel (Discord's): copbot listens there and
    # never posts, so whether it may post there is not asked.
    voice: bool = False

    def placeholder(self) -> str:
        """How this option reads in a usage line."""
        if self.shown:
            shown = self.shown
        elif self.kind == "choice":
            shown = "|".join(self.choices)
        elif self.kind == "user":
            shown = "@user"
        elif self.kind == "channel":
            shown = "#channel"
        elif self.kind == "yesno":
            shown = "yes|no"
        elif self.kind == "timezone":
            shown = "Area/City"
        elif self.kind == "date":
            shown = "YYYY-MM-DD"
        else:
            shown = f"<{self.name}>"
        if self.positional:
            text = shown if self.kind != "text" or self.shown else self.name
            if self.required and self.kind in ("text", "integer", "timezone"):
                text = f"<{text.strip('<>')}>"
        else:
            quoted = f'"{shown}"' if self.kind == "text" and self.max_length > 60 else shown
            text = f"{self.name}:{quoted}"
        return text if self.required else f"[{text}]"


@dataclass(frozen=True)
class Command:
    """One ``/cop`` command."""

    group: str
    verb: str | None
    summary: str
    handler: Handler
    options: tuple[Option, ...] = ()
    allowed: frozenset[Role] = frozenset({Role.MEMBER, Role.FACILITATOR, Role.LEAD})
    # Running it can change when check-ins fire (the scheduler then rebuilds its jobs).
    changes_schedules: bool = False
    # False for commands that only read: they run in a read transaction, which on SQLite never
    # waits for the write lock (the member is still written first when copbot meets them).
    writes: bool = True

    @property
    def name(self) -> str:
        """``group`` or ``group verb``."""
        return f"{self.group} {self.verb}" if self.verb else self.group

    @property
    def positionals(self) -> tuple[Option, ...]:
        """Options given by position, in order."""
        return tuple(o for o in self.options if o.positional)

    def usage(self) -> str:
        """The full form, e.g. ``/cop checkin pause <id>``."""
        shown: list[str] = []
        for option in self.options:
            placeholder = option.placeholder()
            if shown and placeholder.startswith("[") and shown[-1].startswith(placeholder):
                shown[-1] = f"{placeholder}..."  # several optional slots alike: "[@user]..."
            else:
                shown.append(placeholder)
        return " ".join(["/cop", self.name, *shown])

    def option(self, name: str) -> Option | None:
        """The option called ``name``, if any."""
        return next((o for o in self.options if o.name == name), None)

    def allows(self, roles: frozenset[Role]) -> bool:
        """Whether someone with these roles may run this command."""
        return bool(self.allowed & roles)
