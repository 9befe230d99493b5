"""The composition root: reads the config, builds every object, runs them. It holds no logic."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from adapters.console.render import Screen
from adapters.console.sender import ConsoleSender
from adapters.console.session import ConsoleSession, stdin_lines
from bot import __version__
from bot.clock import SystemClock
from bot.commands.catalog import build_catalog
from bot.config import Config, ConfigError, SlackConfig, load_config
from bot.context import Services
from bot.core import Copbot
from bot.directory import apply_config
from bot.ledger import LedgerWriter
from bot.outbox import OutboxDelivery
from scheduler.calendar import CronCalendar
from storage.engine import Store, build_engine
from storage.migrate import current_revision, head_revision, upgrade

if TYPE_CHECKING:
    from adapters.slack.runtime import SlackRuntime, SlackTokens

log = logging.getLogger("copbot")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SHUTDOWN_WAIT = 10  # seconds the outbox gets to finish its current send at shutdown


class StartupError(Exception):
    """copbot cannot start; the message says what to do."""


CONFIG_HELP = (
    "config file (default: $COPBOT_CONFIG, else ./copbot.toml if present, "
    "else the embedded defaults: console adapter and SQLite)"
)


def config_path(given: Path | None) -> Path | None:
    """Which config file to read: the one given, $COPBOT_CONFIG, ./copbot.toml, or none."""
    if given is not None:
        return given
    if os.environ.get("COPBOT_CONFIG"):
        return Path(os.environ["COPBOT_CONFIG"])
    local = Path("copbot.toml")
    return local if local.exists() else None


def read_config(given: Path | None) -> Config:
    """Load and validate the config, or raise ConfigError with every problem."""
    return load_config(config_path(given), calendar=CronCalendar())


async def prepare_database(store: Store, config: Config) -> None:
    """SQLite is upgraded on start; PostgreSQL, shared by many processes, is upgraded on purpose."""
    if store.dialect == "sqlite":
        await upgrade(store.engine)
        return
    current, head = await current_revision(store.engine), head_revision()
    if current != head:
        raise StartupError(
            f"The database is at revision {current or 'none'} and copbot needs {head}: "
            "run `copbot db upgrade --config <file>` first."
        )


async def open_store(config: Config) -> Store:
    """Connect to the database, or raise StartupError saying why it cannot be used."""
    store = Store(build_engine(config.storage.url))
    if not await store.ping():
        await store.close()
        where = config.storage.url.split("@")[-1]
        raise StartupError(
            f"Cannot open the database {where}: check [storage] url, that its folder exists "
            "and, for PostgreSQL, that the server is running and the database exists."
        )
    return store


def slack_tokens(config: SlackConfig, environ: Mapping[str, str]) -> SlackTokens:
    """The Slack secrets this mode needs, or StartupError naming every one that is missing."""
    needed = {"SLACK_BOT_TOKEN": "the bot token (xoxb-...)"}
    if config.mode == "http":
        needed["SLACK_SIGNING_SECRET"] = "the signing secret, to verify requests"
    else:
        needed["SLACK_APP_TOKEN"] = "the app-level token (xapp-...) for Socket Mode"
    from adapters.slack.runtime import SlackTokens  # only when enabled: it is slow to import

    missing = [f"{name} ({why})" for name, why in needed.items() if not environ.get(name)]
    if missing:
        raise StartupError(
            f"[slack] is enabled in {config.mode} mode but these environment variables are "
            f"not set: {', '.join(missing)}."
        )
    return SlackTokens(
        environ["SLACK_BOT_TOKEN"],
        environ.get("SLACK_SIGNING_SECRET"),
        environ.get("SLACK_APP_TOKEN"),
    )


async def serve(config: Config, interactive: bool) -> None:
    """Build everything, run the enabled adapters until the input ends or a signal, shut down."""
    if not (config.console.enabled or config.slack.enabled):
        raise StartupError(
            "No adapter is enabled: set [console] enabled = true or [slack] enabled = true."
        )
    tokens = slack_tokens(config.slack, os.environ) if config.slack.enabled else None
    clock = SystemClock()
    store = await open_store(config)
    runtimes: list[SlackRuntime] = []
    try:
        await prepare_database(store, config)
        async with store.transaction() as session:
            await apply_config(session, config, clock.now())
        services = Services(config, CronCalendar(), clock, build_catalog())
        ledger = LedgerWriter(store)
        delivery = OutboxDelivery(store, {}, clock)
        core = Copbot(store, services, ledger, on_outgoing=delivery.wake)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        tasks: list[asyncio.Task[None]] = []
        if tokens is not None:
            from adapters.slack.runtime import SlackRuntime

            slack = SlackRuntime(config.slack, tokens, core, store, clock)
            delivery.add_sender(slack.sender)
            await slack.start()
            runtimes.append(slack)
        if config.console.enabled:
            screen = Screen(sys.stdout)
            delivery.add_sender(ConsoleSender(screen))
            console = ConsoleSession(core, delivery, config.console, screen, clock)
            prompt = (lambda: console.prompt) if interactive else None

            async def chat() -> None:
                await console.run(stdin_lines(prompt), interactive)
                stop.set()  # the end of the console's input ends copbot

            tasks.append(asyncio.create_task(chat(), name="console"))
        delivering = asyncio.create_task(delivery.run(), name="outbox")
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            for runtime in runtimes:
                await runtime.stop()
            # Finish the send in progress; anything not sent stays pending for the next start.
            delivery.stop()
            try:
                await asyncio.wait_for(delivering, SHUTDOWN_WAIT)
            except (TimeoutError, asyncio.CancelledError):
                log.warning(
                    "outbox still sending after %s s; the rest is sent next start", SHUTDOWN_WAIT
                )
            await ledger.close()
    finally:
        await store.close()


async def db_upgrade(config: Config) -> str | None:
    """Apply every migration and return the revision reached."""
    store = await open_store(config)
    try:
        await upgrade(store.engine)
        return await current_revision(store.engine)
    finally:
        await store.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copbot", description="A facilitator bot for communities of practice."
    )
    parser.add_argument("--version", action="version", version=f"copbot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="run every enabled adapter until Ctrl-C or end of input")
    run.add_argument("--config", type=Path, help=CONFIG_HELP)
    check = commands.add_parser("check-config", help="validate a config file; report every problem")
    check.add_argument("path", nargs="?", type=Path, help=CONFIG_HELP)
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    db_up = db_commands.add_parser("upgrade", help="apply the database migrations")
    db_up.add_argument("--config", type=Path, help=CONFIG_HELP)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``copbot`` command."""
    args = _parser().parse_args(argv)
    level = os.environ.get("COPBOT_LOG_LEVEL", "WARNING").upper()
    if level not in LOG_LEVELS:
        print(
            f"COPBOT_LOG_LEVEL={level.lower()} is not a level; use one of {', '.join(LOG_LEVELS)}.",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        if args.command == "check-config":
            path = config_path(args.path)
            config = read_config(args.path)
            where = path or "the embedded defaults"
            print(
                f"✓ {where} is valid: {len(config.communities)} community(ies), "
                f"storage {config.storage.url.split('@')[-1]}."
            )
            return 0
        config = read_config(args.config)
        if args.command == "db":
            revision = asyncio.run(db_upgrade(config))
            print(f"✓ database is at revision {revision}.")
            return 0
        asyncio.run(serve(config, interactive=sys.stdin.isatty()))
        return 0
    except ConfigError as error:
        print(error.describe(), file=sys.stderr)
        return 2
    except StartupError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # before the event loop took over the signal
        return 130
