"""The config's sections for the outbox: how fast each platform's lanes send, how long rows stay.

Kept apart from ``bot.config``, which gathers every section and reports problems, because the
lanes have many keys of their own; ``Section`` is the base every section shares.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bot.pacing import Pacing


class Section(BaseModel):
    """A config section: unknown keys are refused (with a "did you mean"), values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LaneConfig(Section):
    """How fast the outbox sends in one workspace of a platform (0: no limit of copbot's own)."""

    rate_per_second: float = Field(default=0, ge=0)
    burst: int = Field(default=1, ge=1)
    channel_rate_per_second: float = Field(default=0, ge=0)
    channel_burst: int = Field(default=1, ge=1)
    # Opening a DM channel (Slack's conversations.open is a tier of its own).
    opens_per_minute: float = Field(default=0, ge=0)
    open_burst: int = Field(default=1, ge=1)
    # Calls in flight at once in one workspace.
    concurrency: int = Field(default=8, ge=1, le=100)

    def pacing(self) -> Pacing:
        """The lane's pacing as the delivery loop uses it."""
        return Pacing(
            rate=self.rate_per_second or None,
            burst=self.burst,
            channel_rate=self.channel_rate_per_second or None,
            channel_burst=self.channel_burst,
            open_rate=self.opens_per_minute / 60 or None,
            open_burst=self.open_burst,
            concurrency=self.concurrency,
        )


class SlackLaneConfig(LaneConfig):
    """Slack: about 1 message a second per channel with short bursts, a workspace-wide cap, and
    conversations.open in Tier 3 (50+ a minute). Bursts stay under what Slack tolerates, so that
    jitter on the wire does not turn into 429s."""

    rate_per_second: float = Field(default=20, ge=0)
    burst: int = Field(default=10, ge=1)
    channel_rate_per_second: float = Field(default=1, ge=0)
    channel_burst: int = Field(default=2, ge=1)
    opens_per_minute: float = Field(default=50, ge=0)
    open_burst: int = Field(default=40, ge=1)
    concurrency: int = Field(default=16, ge=1, le=100)


class DiscordLaneConfig(LaneConfig):
    """Discord: discord.py waits out every route's bucket and the global limit itself; a slower
    limit of copbot's on top would only add delay."""

    concurrency: int = Field(default=16, ge=1, le=100)


class ConsoleLaneConfig(LaneConfig):
    """The console: a terminal shows one message after another, in the order they were sent."""

    concurrency: int = Field(default=1, ge=1, le=100)


class OutboxConfig(Section):
    """What copbot sends on its own: pacing per platform, and how long sent rows are kept."""

    # Sent, failed and cancelled messages older than this are deleted.
    retention_days: int = Field(default=30, ge=1, le=3650)
    slack: SlackLaneConfig = SlackLaneConfig()
    discord: DiscordLaneConfig = DiscordLaneConfig()
    console: ConsoleLaneConfig = ConsoleLaneConfig()

    def pacing(self, platform: str) -> Pacing:
        """The pacing of a platform's lanes (one per workspace)."""
        lane = getattr(self, platform, None)
        return lane.pacing() if isinstance(lane, LaneConfig) else Pacing()
