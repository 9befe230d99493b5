"""What copbot checks before it starts: every secret its enabled adapters need, and that no other
``copbot run`` holds its SQLite database. Each failure is a StartupError saying what to do."""

from __future__ import annotations

import os
from collections.abc import Mapping

from bot.clock import Clock
from bot.config import Config, SlackConfig
from storage.single_process import DatabaseLockError, SingleProcessLock, hold_database


class StartupError(Exception):
    """copbot cannot start; the message says what to do."""


def slack_missing(config: SlackConfig, environ: Mapping[str, str]) -> list[str]:
    """The Slack secrets this mode needs and the environment lacks, each with what it is."""
    needed = {"SLACK_BOT_TOKEN": "the bot token (xoxb-...)"}
    if config.mode == "http":
        needed["SLACK_SIGNING_SECRET"] = "the signing secret, to verify requests"
    else:
        needed["SLACK_APP_TOKEN"] = "the app-level token (xapp-...) for Socket Mode"
    return [f"{name} ({why})" for name, why in needed.items() if not environ.get(name)]


def discord_missing(environ: Mapping[str, str]) -> list[str]:
    """["DISCORD_TOKEN (the bot token)"] if the environment lacks it."""
    return [] if environ.get("DISCORD_TOKEN", "").strip() else ["DISCORD_TOKEN (the bot token)"]


def check_secrets(config: Config, environ: Mapping[str, str] = os.environ) -> None:
    """Fail before touching the database if an enabled adapter misses its secrets, naming every
    missing one of every adapter at once."""
    if not (config.console.enabled or config.slack.enabled or config.discord.enabled):
        raise StartupError(
            "No adapter is enabled: set enabled = true under [console], [slack] or [discord]."
        )
    missing = []
    if config.slack.enabled:
        where = f"for [slack] in {config.slack.mode} mode"
        missing += [f"{secret}, {where}" for secret in slack_missing(config.slack, environ)]
    if config.discord.enabled:
        missing += [f"{secret}, for [discord]" for secret in discord_missing(environ)]
    if missing:
        lines = "".join(f"\n  - {secret}" for secret in missing)
        raise StartupError(f"copbot cannot start: these environment variables are not set:{lines}")


def hold_the_database(config: Config, clock: Clock) -> SingleProcessLock | None:
    """One ``copbot run`` per SQLite file: StartupError naming the process that holds it."""
    try:
        return hold_database(config.storage.url, started_at=clock.now())
    except DatabaseLockError as error:
        raise StartupError(str(error)) from None
