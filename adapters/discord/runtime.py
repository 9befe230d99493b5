"""Build the discord.py client, register copbot's handlers, sync /cop, connect and disconnect."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import discord
import yarl

from adapters.discord import inbound
from adapters.discord.answer import answer_interaction
from adapters.discord.commands import application_commands, same_commands
from adapters.discord.messages import DiscordMessages
from adapters.discord.raw_events import hear_interest
from adapters.discord.roster import DiscordRoster
from adapters.discord.sender import DiscordSender
from adapters.discord.voice import DiscordVoice
from bot.clock import Clock
from bot.commands.parser import CommandCatalog
from bot.config import DiscordConfig
from bot.core import Copbot
from bot.direct import DirectChannels
from bot.events import MemberJoined, MemberLeft, MessagePosted, ReactionAdded
from bot.intake import DurableIntake
from bot.spool import Spool
from bot.startup_checks import StartupError
from bot.ui import Reply
from storage.engine import Store

log = logging.getLogger(__name__)
ANSWER_WITHIN = 2.5  # seconds; Discord wants an answer to an interaction within 3
NOT_IN_DMS = "copbot works inside a server: run /cop in one of its channels."
UNREADABLE = "⚠️ I could not read that request from Discord. Nothing was changed."
BAD_TOKEN = (
    "Discord did not accept DISCORD_TOKEN: copy the bot's token again from the Developer Portal "
    "(Bot → Reset Token) and start again."
)
RESTARTING = "🔁 copbot is restarting and did not take that. Please try again in a minute."


def intents(message_content: bool = False) -> discord.Intents:
    """Only what copbot uses. ``members`` is privileged (joins and leaves); message content is
    asked for only when configured: copbot counts messages, and reads one only after its author
    agreed to share it (a nomination). Scheduled events (not privileged) bring the *Interested*
    marks on copbot's events, voice states (not privileged) who is in an event's voice channel."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.guild_reactions = True
    wanted.members = True
    wanted.guild_scheduled_events = True
    wanted.voice_states = True
    wanted.message_content = message_content
    return wanted


def refused_intents(wanted: discord.Intents) -> str:
    """What to do when Discord refuses the privileged intents copbot asked for."""
    names = ["Server Members Intent"]
    if wanted.message_content:
        names.append("Message Content Intent (`[discord] message_content = true`)")
    return (
        "Discord refused the privileged intents copbot asks for. In the Developer Portal, under "
        f"Bot → Privileged Gateway Intents, turn on {' and '.join(names)}, then start again."
    )


def point_at(config: DiscordConfig) -> None:
    """Send discord.py's REST and gateway traffic where the config says (a proxy, a test server).

    discord.py keeps both as class attributes; one process runs one Discord client.
    """
    discord.http.Route.BASE = config.api_base_url.rstrip("/")
    # copbot never joins voice: the warnings about voice libraries would only alarm operators.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
    if config.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.gateway_url)


def _known_bot(client: discord.Client) -> Callable[[int], bool]:
    """Whether a user id is a bot's, as far as discord.py's cache of members knows."""

    def known(user_id: int) -> bool:
        found = client.get_user(user_id)
        return found is not None and found.bot

    return known


def register(
    client: discord.Client,
    core: Copbot,
    clock: Clock,
    channels: DirectChannels,
    intake: DurableIntake | None = None,
    accepting: Callable[[], bool] = lambda: True,
) -> None:
    """Attach copbot's handlers to a discord.py client. Gateway events are never redelivered:
    with an ``intake`` those the database cannot take now are spooled and counted later.
    While ``accepting()`` is false (shutting down) commands and clicks are turned away; what
    is counted still is, until the client closes."""

    async def take(event: MessagePosted | ReactionAdded | MemberJoined | MemberLeft) -> None:
        if intake is not None:
            await intake.take(event)
        else:
            await core.handle(event)

    async def on_interaction(interaction: discord.Interaction) -> None:
        if not accepting():
            # Shutting down: the work would not finish; say so rather than leave it hanging.
            await interaction.response.send_message(RESTARTING, ephemeral=True)
            return
        dm_workspace = None
        if interaction.guild_id is None and interaction.channel_id is not None:
            # An Answer button in a check-in DM: the DM channel tells which server it came from.
            dm_workspace = await channels.workspace_for(
                "discord", str(interaction.user.id), str(interaction.channel_id)
            )
        try:
            event = inbound.interaction(interaction, clock.now(), dm_workspace)
        except (ValueError, KeyError, TypeError) as error:
            log.warning("discord: ignored a malformed interaction %s: %s", interaction.id, error)
            await interaction.response.send_message(UNREADABLE, ephemeral=True)
            return
        if event is None:
            if not interaction.response.is_done():
                await interaction.response.send_message(NOT_IN_DMS, ephemeral=True)
            return
        work = asyncio.ensure_future(core.handle(event))
        try:
            responses = await asyncio.wait_for(asyncio.shield(work), ANSWER_WITHIN)
        except TimeoutError:
            # Slow today: acknowledge now, answer when the work is done.
            await interaction.response.defer(ephemeral=True, thinking=True)
            responses = await work
        try:
            await answer_interaction(interaction, responses)
        except discord.HTTPException as error:
            log.warning("discord: could not answer interaction %s: %s", interaction.id, error)

    async def on_message(message: discord.Message) -> None:
        event = inbound.message(message)
        if event is not None:
            await take(event)

    async def on_raw_reaction_add(payload: discord.RawReactionActionEvent) -> None:
        me = getattr(client.user, "id", None)
        event = inbound.reaction(payload, clock.now(), me, _known_bot(client))
        if event is not None:
            await take(event)

    async def on_member_join(member: discord.Member) -> None:
        await take(inbound.joined(member))

    async def on_raw_member_remove(payload: discord.RawMemberRemoveEvent) -> None:
        await take(inbound.left(payload, clock.now()))

    async def on_raw_scheduled_event_interest(data: dict[str, Any], interested: bool) -> None:
        user = client.get_user(int(data.get("user_id") or 0))
        event = inbound.interest(data, interested, clock.now(), user)
        if event is None:
            log.warning("discord: ignored a malformed Interested mark: %s", data)
            return
        # Not spooled: the spool keeps countable acts only. Whatever is said back (the database
        # was down) has nobody to read it: Discord's own button was pressed.
        for response in await core.handle(event):
            if isinstance(response, Reply):
                log.warning("discord: an Interested mark was not taken: %s", response.message.text)

    async def on_voice_state_update(
        member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        event = inbound.voice(member, after, clock.now())
        if event is not None:
            # Not spooled either; what is said back (the database was down) is only logged.
            for response in await core.handle(event):
                if isinstance(response, Reply):
                    log.warning("discord: a voice join was not taken: %s", response.message.text)

    hear_interest(client)
    for handler in (
        on_interaction,
        on_message,
        on_raw_reaction_add,
        on_member_join,
        on_raw_member_remove,
        on_raw_scheduled_event_interest,
        on_voice_state_update,
    ):
        client.event(handler)


class DiscordRuntime:
    """copbot on Discord: the client, its sender, the command sync."""

    def __init__(
        self,
        config: DiscordConfig,
        token: str,
        core: Copbot,
        store: Store,
        clock: Clock,
        catalog: CommandCatalog,
        spool: Spool | None = None,
    ) -> None:
        point_at(config)
        self.config = config
        self._token = token
        self._catalog = catalog
        options: dict[str, Any] = {
            "intents": intents(config.message_content),
            "chunk_guilds_at_startup": False,
            "guild_ready_timeout": config.guild_ready_timeout,
            # copbot never pings: the default for anything sent without render.message_kwargs.
            "allowed_mentions": discord.AllowedMentions.none(),
            "max_messages": None,  # raw events only: no cache of texts nobody agreed to share
        }
        if config.shard_count or config.shard_ids:
            options.update(
                shard_count=config.shard_count, shard_ids=list(config.shard_ids or ()) or None
            )
            self.client: discord.Client = discord.AutoShardedClient(**options)
        else:
            self.client = discord.Client(**options)
        channels = DirectChannels(store)
        self.sender = DiscordSender(self.client, channels)
        self.voice = DiscordVoice(self.client)  # who is in a voice channel, for the core
        self.roster = DiscordRoster(self.client)  # who is in the guild, for a launch
        self.messages = DiscordMessages(self.client)  # one message, once its author says yes
        self.intake = DurableIntake(core.count, spool) if spool is not None else None
        self._accepting = True
        register(self.client, core, clock, channels, self.intake, lambda: self._accepting)
        self._connection: asyncio.Task[None] | None = None
        self._replaying: asyncio.Task[None] | None = None

    async def sync_commands(self) -> bool:
        """Put /cop on Discord, globally or in the configured guilds, only if it changed."""
        app_id = self.client.application_id
        assert app_id is not None
        ours = application_commands(self._catalog)
        changed = False
        http = self.client.http
        if self.config.command_guilds:
            for guild in self.config.command_guilds:
                if not same_commands(ours, await http.get_guild_commands(app_id, int(guild))):
                    await http.bulk_upsert_guild_commands(app_id, int(guild), ours)
                    changed = True
        elif not same_commands(ours, await http.get_global_commands(app_id)):
            await http.bulk_upsert_global_commands(app_id, ours)
            changed = True
        log.info("discord: /cop %s", "synced" if changed else "already up to date")
        return changed

    async def start(self) -> None:
        """Log in, sync the commands, connect to the gateway and wait until ready."""
        if self.intake is not None:
            # Acts spooled before a restart are counted first, then whenever the spool fills.
            self._replaying = asyncio.create_task(self.intake.run(), name="discord-spool")
        try:
            await self.client.login(self._token)
        except discord.LoginFailure:
            raise StartupError(BAD_TOKEN) from None
        await self.sync_commands()
        self._connection = asyncio.create_task(self.client.connect(reconnect=True))
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, self._connection}, timeout=60, return_when=asyncio.FIRST_COMPLETED
        )
        if self._connection in done:
            ready.cancel()
            try:
                self._connection.result()  # raises what stopped the connection
            except discord.PrivilegedIntentsRequired:
                raise StartupError(refused_intents(self.client.intents)) from None
        if ready not in done:
            ready.cancel()
            raise TimeoutError("Discord did not get ready within 60 s")

    async def stop_intake(self) -> None:
        """Turn new commands and clicks away; the gateway and REST stay open for the outbox."""
        self._accepting = False

    async def stop(self) -> None:
        """Close the gateway connection and the HTTP session."""
        self._accepting = False
        if self._replaying is not None:
            self._replaying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._replaying
        await self.client.close()
        if self._connection is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._connection
