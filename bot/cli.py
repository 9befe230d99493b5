"""The composition root: reads the config, builds every object, runs them. It holds no logic."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from adapters.console.render import Screen
from adapters.console.sender import ConsoleSender
from adapters.console.session import ConsoleSession, stdin_lines
from bot import __version__
from bot.clock import SystemClock
from bot.commands.catalog import build_catalog
from bot.config import Config, ConfigError, load_config
from bot.context import Services
from bot.core import Copbot
from bot.directory import apply_config
from bot.ledger import LedgerWriter
from bot.outbox import OutboxDelivery, Sender
from scheduler.calendar import CronCalendar
from storage.engine import Store, build_engine
from storage.migrate import current_revision, head_revision, upgrade

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


async def serve(config: Config, interactive: bool) -> None:
    """Build everything, run the enabled adapters until the input ends or Ctrl-C, shut down."""
    clock = SystemClock()
    store = await open_store(config)
    try:
        await prepare_database(store, config)
        async with store.transaction() as session:
            await apply_config(session, config, clock.now())
        services = Services(config, CronCalendar(), clock, build_catalog())
        ledger = LedgerWriter(store)
        screen = Screen(sys.stdout)
        senders: dict[str, Sender] = {}
        if config.console.enabled:
            senders["console"] = ConsoleSender(screen)
        if not senders:
            raise StartupError("No adapter is enabled: set [console] enabled = true.")
        delivery = OutboxDelivery(store, senders, clock)
        core = Copbot(store, services, ledger, on_outgoing=delivery.wake)
        delivering = asyncio.create_task(delivery.run(), name="outbox")
        try:
            session_ = ConsoleSession(core, delivery, config.console, screen, clock)
            prompt = (lambda: session_.prompt) if interactive else None
            await session_.run(stdin_lines(prompt), interactive)
        finally:
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
    except KeyboardInterrupt:
        print("\nbye", file=sys.stderr)
        return 130
