"""The config's ``[pairing]`` section: how member pairing avoids repeats and spreads of zones."""

from __future__ import annotations

from pydantic import Field

from bot.config_outbox import Section


class PairingConfig(Section):
    """What pairing tries to keep when it makes groups (both when possible, never by leaving
    someone out)."""

    # Members grouped together in any of this many last rounds are not grouped again.
    avoid_rounds: int = Field(default=6, ge=0, le=52)
    # Members of one group live at most this many hours apart (UTC offsets at the round).
    max_hours_apart: int = Field(default=6, ge=0, le=26)
