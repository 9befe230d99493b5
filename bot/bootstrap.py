"""The composition root's wiring: builds the store, the core, the outbox and the enabled adapters,
runs them until the console's input ends or a signal arrives, and shuts them down in order.

This module and ``bot.cli`` are the only places that know every concrete class; they hold no
domain logic.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from adapters.console.sender import ConsoleSender
from adapters.console.session import ConsoleSession
from adapters.console.terminal import PromptScreen, input_lines
from bot.channels import PlatformChannels
from bot.clock import Clock, SystemClock
from bot.commands.catalog import build_catalog
from bot.config import Config, SlackConfig
from bot.context import Services
from bot.core import Copbot
from bot.directory import apply_config
from bot.job_kinds import build_registry
from bot.ledger import LedgerWriter
from bot.message_text import PlatformMessages
from bot.outbox import OutboxDelivery, Sender
from bot.outbox_drain import drain
from bot.roster import PlatformRoster
from bot.scheduling import Scheduling
from bot.spool import Spool
from bot.startup_checks import (
    StartupError,
    check_secrets,
    discord_missing,
    hold_the_database,
    slack_missing,
)
from bot.store_startup import open_store, prepare_database
from bot.voice import PlatformVoice
from reports.maker import WorkbookMaker
from scheduler.calendar import CronCalendar
from scheduler.leader import Leader
from scheduler.loop import RecurringSessions
from storage.engine import Store
from storage.single_process import SingleProcessLock

if TYPE_CHECKING:
    from adapters.slack.runtime import SlackTokens

log = logging.getLogger("copbot")
SHUTDOWN_WAIT = 10  # seconds the outbox gets at shutdown to send what is due, then to stop


class Runtime(Protocol):
    """A platform adapter that connects and disconnects (Slack, Discord)."""

    @property
    def sender(self) -> Sender: ...

    async def start(self) -> None: ...

    async def stop_intake(self) -> None:
        """Take no new input; keep what sends open."""
        ...

    async def stop(self) -> None:
        """Close everything, sending included."""
        ...


def slack_tokens(config: SlackConfig, environ: Mapping[str, str]) -> SlackTokens:
    """The Slack secrets this mode needs, or StartupError naming every one that is missing."""
    from adapters.slack.runtime import SlackTokens  # only when enabled: it is slow to import

    missing = slack_missing(config, environ)
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


def discord_token(environ: Mapping[str, str]) -> str:
    """The Discord bot token, or StartupError."""
    if discord_missing(environ):
        raise StartupError(
            "[discord] is enabled but the environment variable DISCORD_TOKEN (the bot token) "
            "is not set."
        )
    return environ["DISCORD_TOKEN"].strip()


def platform_runtimes(
    config: Config,
    core: Copbot,
    store: Store,
    clock: Clock,
    services: Services,
    channels: PlatformChannels | None = None,
) -> list[Runtime]:
    """The enabled platform adapters, built (not yet connected), each also answering in
    ``channels`` whether copbot can post in a channel (and Discord in ``services.voice`` who
    is in a voice channel). Secrets are checked first."""
    runtimes: list[Runtime] = []
    channels = channels if channels is not None else PlatformChannels()
    if config.slack.enabled:
        tokens = slack_tokens(config.slack, os.environ)
        from adapters.slack.channels import SlackChannels
        from adapters.slack.runtime import SlackRuntime

        slack = SlackRuntime(config.slack, tokens, core, store, clock)
        channels.add("slack", SlackChannels(slack.client))
        if services.roster is not None:
            services.roster.add("slack", slack.roster)
        if services.messages is not None:
            services.messages.add("slack", slack.messages)
        runtimes.append(slack)
    if config.discord.enabled:
        token = discord_token(os.environ)
        from adapters.discord.channels import DiscordChannels
        from adapters.discord.runtime import DiscordRuntime

        spool = Spool(config.storage.spool_path)
        discord = DiscordRuntime(config.discord, token, core, store, clock, services.catalog, spool)
        channels.add("discord", DiscordChannels(discord.client))
        if isinstance(services.voice, PlatformVoice):
            services.voice.add("discord", discord.voice)
        if services.roster is not None:
            services.roster.add("discord", discord.roster)
        if services.messages is not None:
            services.messages.add("discord", discord.messages)
        runtimes.append(discord)
    return runtimes


def stop_on_signals() -> asyncio.Event:
    """An event set by Ctrl-C or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return stop


async def serve(config: Config, interactive: bool) -> None:
    """Build everything, run the enabled adapters until the input ends or a signal, shut down."""
    check_secrets(config)
    clock = SystemClock()
    store = await open_store(config)
    lock: SingleProcessLock | None = None
    try:
        lock = hold_the_database(config, clock)  # before the migrations: they write
        await prepare_database(store)
        async with store.transaction() as session:
            await apply_config(session, config, clock.now())
        # Filled in by platform_runtimes(): the console has none, so it is never refused.
        channels = PlatformChannels()
        services = Services(
            config,
            CronCalendar(),
            clock,
            build_catalog(),
            report_maker=WorkbookMaker(),
            channels=channels,
            voice=PlatformVoice(),  # filled in by platform_runtimes() too
            roster=PlatformRoster(),  # and this
            messages=PlatformMessages(),  # and this
        )
        ledger = LedgerWriter(store)
        delivery = OutboxDelivery(store, {}, clock, config.outbox)
        sessions = RecurringSessions(
            Scheduling(store, services, build_registry(), on_outgoing=delivery.wake),
            clock,
            Leader(store.engine),
        )
        core = Copbot(
            store,
            services,
            ledger,
            on_outgoing=delivery.wake,
            on_schedules_changed=sessions.schedules_changed,
        )
        stop = stop_on_signals()
        started: list[Runtime] = []
        chats: list[asyncio.Task[None]] = []
        delivering: asyncio.Task[None] | None = None
        scheduling: asyncio.Task[None] | None = None
        try:
            # The catch-up records what was missed while copbot was down before any input
            # is handled, so that the first command already sees it.
            scheduling = asyncio.create_task(sessions.run(), name="scheduler")
            await sessions.caught_up.wait()
            for runtime in platform_runtimes(config, core, store, clock, services, channels):
                delivery.add_sender(runtime.sender)
                started.append(runtime)  # stopped on the way out even if it fails to start
                await runtime.start()
            if config.console.enabled:
                chats.append(start_console(config, core, delivery, clock, interactive, stop))
            delivering = asyncio.create_task(delivery.run(), name="outbox")
            await stop.wait()
        finally:
            # In order: no new input; a firing under way finishes (its occurrence commits
            # whole); what is due goes out through clients still open; only then they close.
            for chat in chats:
                chat.cancel()
            await asyncio.gather(*chats, return_exceptions=True)
            for runtime in started:
                await runtime.stop_intake()
            await core.welcomer.settle()
            await core.nominator.settle()
            sessions.stop()
            if scheduling is not None:
                await scheduling
            await drain(delivery, delivering, clock, SHUTDOWN_WAIT)
            for runtime in started:
                await runtime.stop()
            await ledger.close()
    finally:
        await store.close()
        if lock is not None:
            lock.release()


def start_console(
    config: Config,
    core: Copbot,
    delivery: OutboxDelivery,
    clock: Clock,
    interactive: bool,
    stop: asyncio.Event,
) -> asyncio.Task[None]:
    """Run the console chat; the end of its input ends copbot."""
    screen = PromptScreen(sys.stdout, on_closed=stop.set)  # a closed output ends copbot
    delivery.add_sender(ConsoleSender(screen, config.reports.folder(config.storage.url)))
    console = ConsoleSession(core, delivery, config.console, screen, clock)
    if core.services.messages is not None:
        core.services.messages.add("console", console.messages)
    prompt = (lambda: console.prompt) if interactive else None

    async def chat() -> None:
        await console.run(input_lines(sys.stdin.buffer, screen, prompt), interactive)
        stop.set()

    return asyncio.create_task(chat(), name="console")
