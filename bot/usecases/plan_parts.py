"""The one-year plan as a list of parts behind one protocol: each part makes its ordinary
items, says what they will do month by month, tells whether one is unchanged, removes it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.context import CommandContext
from bot.plan_year import PlanYear
from bot.ui import Effect


def fingerprint(values: Mapping[str, Any]) -> str:
    """A short digest of an item's editable values, to tell later whether it was changed."""
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Where:
    """Where the plan posts (the prompts, the webinars): the channel it was applied for."""

    platform: str
    workspace: str
    channel: str


@dataclass
class Made:
    """What a part made: its items as ``(item id, fingerprint)``, what goes out now (an
    announcement, say), and a line for the facilitator."""

    items: list[tuple[int, str]] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    line: str = ""


class PlanPart(Protocol):
    """One kind of item in the plan (the weekly check-in, the prompts, ...)."""

    # Stored as plan_item.kind: a part finds its own items by it.
    kind: str
    # How its items are named when they are kept or removed: ("prompt", "prompts").
    noun: tuple[str, str]
    # Whether its items are named by their ids (`#12`) when listed.
    numbered: bool

    async def refuse(self, ctx: CommandContext, year: PlanYear) -> str | None:
        """Why the part cannot be made in this community now (a clash), or None."""
        ...

    async def make(self, ctx: CommandContext, year: PlanYear, where: Where) -> Made:
        """Create the part's items."""
        ...

    async def months(
        self, ctx: CommandContext, year: PlanYear, item_ids: Sequence[int]
    ) -> dict[int, str]:
        """What the items (as they are now) will do in each month of the year, by index."""
        ...

    async def current(self, ctx: CommandContext, item_id: int) -> str | None:
        """The item's fingerprint as it is now; None when it is gone (removed by hand)."""
        ...

    async def remove(self, ctx: CommandContext, item_id: int) -> list[Effect]:
        """Take an unchanged item out, as its own remove command would."""
        ...
