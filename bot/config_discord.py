"""The config's ``[discord]`` section: the Discord adapter's connection and what it asks for."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from bot.config_outbox import Section


class DiscordConfig(Section):
    """The Discord adapter; its token comes from DISCORD_TOKEN, never from this file."""

    enabled: bool = False
    api_base_url: str = Field(default="https://discord.com/api/v10", pattern=r"^https?://\S+$")
    # None: Discord's own gateway. Set for a rate-limit proxy or a local test server.
    gateway_url: str | None = Field(default=None, pattern=r"^wss?://\S+$")
    # Sharding for large bots: then AutoShardedClient runs the shards listed (or all of them).
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: tuple[int, ...] | None = None
    # Sync /cop to these guilds only (instant), instead of globally (Discord may take a while).
    command_guilds: tuple[str, ...] = ()
    # Seconds discord.py waits after the last guild arrives before it says it is ready.
    guild_ready_timeout: float = Field(default=2.0, gt=0, le=60)
    # Ask for the privileged Message Content intent (enable it for the app in Discord's
    # developer portal first): then a nominated message's form is filled in with its text,
    # read only after its author said yes. Off: the author types the link or the story.
    message_content: bool = False

    @model_validator(mode="after")
    def _shards_fit(self) -> DiscordConfig:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("shard_ids needs shard_count (how many shards there are in all)")
            wrong = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if wrong:
                raise ValueError(f"shard_ids {wrong} are not between 0 and shard_count - 1")
        return self

    @field_validator("command_guilds", mode="before")
    @classmethod
    def _guild_ids_as_text(cls, value: Any) -> Any:
        return [str(v) for v in value] if isinstance(value, list) else value
