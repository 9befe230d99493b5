"""The operator's config file: TOML read with tomllib, validated by pydantic, all problems at once.

Secrets never live here: the adapters read their tokens from environment variables.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from bot.config_discord import DiscordConfig
from bot.config_events import EventsConfig
from bot.config_knowledge import ResourcesConfig, StoriesConfig
from bot.config_nudges import NudgesConfig
from bot.config_outbox import OutboxConfig, Section
from bot.config_pairing import PairingConfig
from bot.config_problems import ConfigError, ConfigProblem, problem_from, toml_problem
from bot.config_values import Duration, check_home_channel, check_platform_id, check_timezone
from bot.config_welcome import check_welcome
from bot.schedule import ScheduleCalendar, ScheduleError

# The key that binds a community to each platform's workspace.
PLACE_KEYS = {
    "slack": "slack_team_id",
    "discord": "discord_guild_id",
    "console": "console_workspace",
}
PLATFORM_NAMES = {"slack": "Slack", "discord": "Discord", "console": "console"}


class StorageConfig(Section):
    """Where copbot keeps its data."""

    url: str = "sqlite+aiosqlite:///copbot.db"
    # Where Discord activity waits while the database cannot take it (a local SQLite file).
    spool_path: str = Field(default="copbot-spool.db", min_length=1)
    # Seconds a write waits for a SQLite database another process holds locked, then copbot
    # says it cannot save right now.
    write_wait: float = Field(default=5.0, gt=0, le=300)

    @field_validator("url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "expected sqlite+aiosqlite:///path.db or postgresql+asyncpg://user@host/db"
            )
        if value.startswith("sqlite") and value.split("://", 1)[1] in ("", "/", "/:memory:"):
            raise ValueError(
                "an in-memory SQLite database loses everything at exit; give a file, "
                "e.g. sqlite+aiosqlite:///copbot.db"
            )
        return value


# Letters, digits, ".", "-" and "_": what `:as` and `:channel` accept in the console.
ConsoleName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]{1,64}$")]


class ConsoleConfig(Section):
    """The terminal adapter for trying copbot without a platform account."""

    enabled: bool = True
    workspace: str = Field(default="local", min_length=1)
    user: ConsoleName = "alice"
    channel: ConsoleName = "general"
    # Console users treated as workspace admins, like Slack admins: facilitators by default.
    admins: tuple[ConsoleName, ...] = ("alice",)


class SlackConfig(Section):
    """The Slack adapter; its tokens come from the environment, never from this file."""

    enabled: bool = False
    # socket: Socket Mode, no public URL needed (self-hosting); http: one endpoint for replicas.
    mode: Literal["socket", "http"] = "socket"
    host: str = "0.0.0.0"
    port: int = Field(default=3000, ge=1, le=65535)
    path: str = Field(default="/slack/events", pattern=r"^/\S*$")
    api_base_url: str = Field(default="https://slack.com/api/", pattern=r"^https?://\S+/$")
    # How long one Web API call may take before it is given up (and, for a send, reconciled).
    timeout_seconds: float = Field(default=30.0, gt=0, le=300)


class SchedulerConfig(Section):
    """The recurring-sessions loop."""

    misfire_grace: Duration = 3600
    # One reminder to those who have not answered a check-in this long after it went out (0: none).
    reminder_after: Duration = 4 * 3600
    # Schedules whose firings come closer than this are refused (a day at most).
    min_interval_minutes: int = Field(default=60, ge=1, le=1440)


class ReportsConfig(Section):
    """The weekly report to leads."""

    weekly: str = "mon 08:00"
    # Where the console saves the reports it is sent; empty: copbot-reports/ beside the
    # database file (or in the working directory, on PostgreSQL).
    out_dir: str = ""

    def folder(self, storage_url: str) -> Path:
        """The folder the console saves reports in."""
        if self.out_dir:
            return Path(self.out_dir).expanduser()
        if storage_url.startswith("sqlite"):
            return Path(storage_url.split(":///", 1)[1]).expanduser().parent / "copbot-reports"
        return Path("copbot-reports")

    @field_validator("weekly")
    @classmethod
    def _valid_schedule(cls, value: str, info: ValidationInfo) -> str:
        calendar: ScheduleCalendar | None = (info.context or {}).get("calendar")
        if calendar is not None:
            try:
                return calendar.normalize(value)
            except ScheduleError as error:
                raise ValueError(str(error)) from None
        return value


PlatformId = Annotated[str, BeforeValidator(lambda v: check_platform_id(str(v)))]
HomeChannel = Annotated[str, BeforeValidator(check_home_channel)]


class CommunityConfig(Section):
    """One community of practice and where it lives."""

    name: str = Field(min_length=1, max_length=80)
    timezone: Annotated[str, BeforeValidator(lambda v: check_timezone(str(v)))] = "UTC"
    slack_team_id: str | None = None
    discord_guild_id: str | None = None
    console_workspace: str | None = None
    # Channel ids, bare or platform-qualified ("slack:C0123"); when set, only they are counted.
    home_channels: tuple[HomeChannel, ...] = ()
    facilitators: tuple[PlatformId, ...] = ()
    leads: tuple[PlatformId, ...] = ()
    # The welcome DM's opening, with placeholders such as {member} (bot/config_welcome.py).
    welcome: Annotated[str | None, AfterValidator(check_welcome)] = None

    @field_validator("discord_guild_id", mode="before")
    @classmethod
    def _snowflake(cls, value: Any) -> Any:
        # TOML integers are fine for guild ids; keep them as text like every other platform id.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def counts_channel(self, platform: str, channel: str) -> bool:
        """Whether activity in a channel counts: any channel, or only the home channels (a bare
        id on any platform, a qualified one on its own)."""
        if not self.home_channels:
            return True
        return channel in self.home_channels or f"{platform}:{channel}" in self.home_channels


class Config(Section):
    """The whole config file."""

    storage: StorageConfig = StorageConfig()
    console: ConsoleConfig = ConsoleConfig()
    slack: SlackConfig = SlackConfig()
    discord: DiscordConfig = DiscordConfig()
    scheduler: SchedulerConfig = SchedulerConfig()
    reports: ReportsConfig = ReportsConfig()
    outbox: OutboxConfig = OutboxConfig()
    events: EventsConfig = EventsConfig()
    nudges: NudgesConfig = NudgesConfig()
    pairing: PairingConfig = PairingConfig()
    resources: ResourcesConfig = ResourcesConfig()
    stories: StoriesConfig = StoriesConfig()
    communities: tuple[CommunityConfig, ...] = ()


def _community_index(problem: ConfigProblem) -> int:
    found = re.match(r"communities\[(\d+)\]", problem.path)
    return int(found.group(1)) if found else -1


def _home_channels_elsewhere(data: dict[str, Any]) -> list[ConfigProblem]:
    """Home channels on a platform their community is not on: they would never match."""
    problems: list[ConfigProblem] = []
    communities = data.get("communities")
    for index, community in enumerate(communities if isinstance(communities, list) else []):
        channels = community.get("home_channels") if isinstance(community, dict) else None
        for position, channel in enumerate(channels if isinstance(channels, list) else []):
            try:
                platform, colon, _ = check_home_channel(channel).partition(":")
            except ValueError:
                continue  # reported by the field's own check
            key = PLACE_KEYS.get(platform) if colon else None
            if key and community.get(key) is None:
                problems.append(
                    ConfigProblem(
                        f"communities[{index}].home_channels[{position}]",
                        f"{str(channel)!r} is a {PLATFORM_NAMES[platform]} channel, but this "
                        f"community has no {key}; set {key}, or remove the channel",
                    )
                )
    return problems


def _clashes(data: dict[str, Any]) -> list[ConfigProblem]:
    """Communities that share a name or a workspace; checked on the raw data so that they are
    reported together with every other problem."""
    problems: list[ConfigProblem] = []
    communities = data.get("communities")
    if not isinstance(communities, list):
        return problems
    seen: dict[str, int] = {}
    for index, community in enumerate(communities):
        if not isinstance(community, dict):
            continue
        for key in ("name", "slack_team_id", "discord_guild_id", "console_workspace"):
            value = community.get(key)
            if value is None:
                continue
            tag = f"{key} {str(value)!r}"
            if tag in seen:
                problems.append(
                    ConfigProblem(
                        f"communities[{index}].{key}",
                        f"{tag} is used by communities[{seen[tag]}] too; each must be unique",
                    )
                )
            else:
                seen[tag] = index
    return problems


def parse_config(data: dict[str, Any], *, source: str, calendar: ScheduleCalendar | None) -> Config:
    """Validate a config mapping, raising ConfigError with every problem."""
    problems = _clashes(data) + _home_channels_elsewhere(data)
    try:
        config = Config.model_validate(data, context={"calendar": calendar})
    except ValidationError as error:
        problems = [problem_from(Config, e) for e in error.errors()] + problems
    if problems:
        problems.sort(key=_community_index)  # each community's problems together, in file order
        raise ConfigError(source, problems)
    return config


def load_config(path: Path | None, *, calendar: ScheduleCalendar | None = None) -> Config:
    """Read and validate a TOML config file; ``None`` means the embedded defaults."""
    if path is None:
        return parse_config({}, source="the embedded defaults", calendar=calendar)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(source, [ConfigProblem("", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(source, [ConfigProblem("", f"cannot be read ({error})")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(source, [toml_problem(error)]) from None
    return parse_config(data, source=source, calendar=calendar)
