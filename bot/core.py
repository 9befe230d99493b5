"""The core's front door: an inbound event in, what to say back out; outbound work to the outbox."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import directory
from bot.channels import named_channels, refuse_unpostable
from bot.commands.parser import Invocation, bind
from bot.commands.spec import Command
from bot.context import CommandContext, Services
from bot.errors import PermissionDenied, StoreUnavailable, UsageError
from bot.events import (
    Actor,
    ButtonClicked,
    CommandInvoked,
    FormSubmitted,
    HomeOpened,
    InboundEvent,
    InterestChanged,
    Place,
    VoiceJoined,
)
from bot.ids import parse_interaction_id
from bot.ledger import LedgerWriter
from bot.nominating import Nominator
from bot.outbox import outbox_row
from bot.routes import BUTTONS, FORMS, RESCHEDULING_FORMS
from bot.safe_text import printable
from bot.ui import Effect, FormErrors, HomeView, Message, Outgoing, Reply, ShowForm
from bot.usecases.event_interest import interest_changed
from bot.usecases.event_voice import running_in_voice, voice_joined
from bot.usecases.home import show_home
from bot.usecases.participation import BatchCounter, Countable
from bot.welcoming import Welcomer
from storage import jobs, outbox
from storage.availability import unavailable
from storage.engine import Store

log = logging.getLogger(__name__)

Response = Reply | ShowForm | FormErrors | HomeView
OOPS = "😵 Something went wrong on my side and nothing was changed. Please try again in a moment."
CANNOT_SAVE = (
    "💾 I cannot save anything right now (my database is not answering), so nothing was changed. "
    "Please try again in a few minutes."
)


def _private(text: str) -> list[Response]:
    return [Reply(Message(text))]


def _denied(command: Command) -> PermissionDenied:
    who = " or ".join(sorted(r.value + "s" for r in command.allowed))
    said = f"`/cop {command.name}` is for {who}. `/cop help` lists what you can do."
    return PermissionDenied(said)


class Copbot:
    """Handles neutral inbound events; each command, click or form runs in one transaction."""

    def __init__(
        self,
        store: Store,
        services: Services,
        ledger: LedgerWriter,
        on_outgoing: Callable[[], None] = lambda: None,
        on_schedules_changed: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.services = services
        self.ledger = ledger
        # One counter for every act, so that the ledger counts a whole batch in one call.
        self._rows = BatchCounter(services)
        # Welcomes and nominations' questions, once the act is counted (``settle()`` waits).
        self.welcomer = Welcomer(store, services, self._rows, on_outgoing)
        self.nominator = Nominator(store, services, on_outgoing)
        self._on_outgoing = on_outgoing
        self._on_schedules_changed = on_schedules_changed

    async def handle(self, event: InboundEvent) -> list[Response]:
        """Handle one inbound event and return what to show the person who caused it."""
        try:
            if isinstance(event, Countable):
                welcoming = await self._count(event)
                if welcoming is not None:
                    # Here only: an adapter that acknowledges never waits. Shielded: the round
                    # is shared, and one handler cancelled must not cancel the others' wait.
                    await asyncio.shield(welcoming)
                return []
            if isinstance(event, CommandInvoked):
                return await self._command(event)
            if isinstance(event, ButtonClicked):
                return await self._click(event)
            if isinstance(event, HomeOpened):
                return await self._reading(event.actor, event.place, event.at, show_home)
            if isinstance(event, InterestChanged):
                await self._in_transaction(
                    event.actor, event.place, event.at, lambda ctx: interest_changed(ctx, event)
                )
                return []  # nobody to answer: the platform's own button was pressed
            if isinstance(event, VoiceJoined):
                await self._voice(event)
                return []  # nobody to answer: they only joined a channel
            return await self._submit(event)
        except UsageError as error:
            return _private(error.explain())
        except PermissionDenied as error:
            return _private(f"🔒 {error.message}")
        except StoreUnavailable:
            return [] if isinstance(event, Countable) else _private(CANNOT_SAVE)
        except Exception as error:
            if unavailable(error):
                log.warning("database unavailable for %s: %s", type(event).__name__, error)
                return _private(CANNOT_SAVE)
            log.exception("failed to handle %s", type(event).__name__)
            return _private(OOPS)

    async def count(self, event: Countable) -> None:
        """Put a countable act in the ledger, return once committed (bots never count); raise
        StoreUnavailable when the database cannot take it, so the adapter does not ack it."""
        await self._count(event)

    async def _count(self, event: Countable) -> asyncio.Future[None] | None:
        if event.actor.is_bot:
            return None
        due = self.welcomer.may_be_due(event)  # before counting teaches the counter the actor
        try:
            await self.ledger.count(event, self._rows)
        except StoreUnavailable:
            raise
        except Exception:
            # A row the database refuses is bad input: logged by the ledger, not retried.
            return None
        self.nominator.offer(event)
        return self.welcomer.start(event) if due else None

    async def _voice(self, event: VoiceJoined) -> None:
        """Count someone in a voice channel as come to the events running there; looked for
        in a read first, since most voice joins are at no event (and write nothing)."""
        if event.actor.is_bot:
            return
        async with self.store.read() as session:
            if not await running_in_voice(session, event):
                return
        await self._in_transaction(
            event.actor, event.place, event.at, lambda ctx: voice_joined(ctx, event)
        )

    def _invocation(self, event: CommandInvoked) -> Invocation:
        catalog = self.services.catalog
        if event.group is None:
            return catalog.parse(event.text)
        name = f"{event.group} {event.verb}" if event.verb else event.group
        command = catalog.get(name)
        if command is None:
            raise UsageError(f"I don't know `/cop {name}`. Try `/cop help`.")
        # Typed options arrive by name; bind() checks and converts them like text ones.
        return bind(command, [], dict(event.options))

    async def _postable(self, event: CommandInvoked, command: Command, channels: list[str]) -> None:
        """Refuse a command naming a channel copbot cannot post in, asking the platform outside
        any transaction (no write lock held over a network call); and only for someone the
        command is for, so that nobody else learns which channels exist."""
        access = self.services.channels
        if access is None or not channels:
            return
        async with self.store.read() as session:
            roles = await directory.roles_before_writing(session, self.services.config, event.actor)
        if not command.allows(roles):
            raise _denied(command)
        actor = event.actor
        await refuse_unpostable(access, actor.platform, actor.workspace, channels)

    async def _command(self, event: CommandInvoked) -> list[Response]:
        invocation = self._invocation(event)
        command = invocation.command
        channels = named_channels(command, invocation.args, event.place.channel)
        await self._postable(event, command, channels)

        async def run(ctx: CommandContext) -> list[Effect]:
            ctx = dataclasses.replace(ctx, people=event.people)
            if not command.allows(ctx.roles):
                raise _denied(command)
            try:
                effects = await command.handler(ctx, invocation.args)
            except UsageError as error:
                # Use cases name the problem; the spec knows the right form.
                error.usage = error.usage or command.usage()
                error.topic = error.topic or command.group
                raise
            if command.changes_schedules:
                # Reaches the leading scheduler on another process when this commits.
                await jobs.notify_changed(session=ctx.session)
            return effects

        if command.writes:
            responses = await self._in_transaction(event.actor, event.place, event.at, run)
        else:
            responses = await self._reading(event.actor, event.place, event.at, run)
        if command.changes_schedules:
            self._on_schedules_changed()
        return responses

    async def _click(self, event: ButtonClicked) -> list[Response]:
        target = parse_interaction_id(event.action_id)
        handler = BUTTONS.get((target.verb, target.entity)) if target else None
        if target is None or handler is None:
            return _private("This button is no longer in use. Nothing was changed.")
        return await self._in_transaction(
            event.actor, event.place, event.at, lambda ctx: handler(ctx, target)
        )

    async def _submit(self, event: FormSubmitted) -> list[Response]:
        target = parse_interaction_id(event.form_id)
        handler = FORMS.get((target.verb, target.entity)) if target else None
        if target is None or handler is None:
            return _private("This form is no longer in use. Nothing was saved.")
        # Form fields may hold several lines: they keep newlines and tabs, never other controls,
        # cleaned here once so that no form handler ever sees one.
        values = {name: printable(value) for name, value in event.values.items()}
        responses = await self._in_transaction(
            event.actor, event.place, event.at, lambda ctx: handler(ctx, target, values)
        )
        if (target.verb, target.entity) in RESCHEDULING_FORMS:
            self._on_schedules_changed()
        return responses

    async def _in_transaction(
        self,
        actor: Actor,
        place: Place,
        at: datetime,
        work: Callable[[CommandContext], Awaitable[list[Effect]]],
    ) -> list[Response]:
        async with self.store.transaction() as session:
            ctx = await self._context(session, actor, place, at)
            effects = await work(ctx)
            queued = await self._enqueue(session, effects, at)
        if queued:
            self._on_outgoing()
        return [e for e in effects if not isinstance(e, Outgoing)]

    async def _reading(
        self,
        actor: Actor,
        place: Place,
        at: datetime,
        work: Callable[[CommandContext], Awaitable[list[Effect]]],
    ) -> list[Response]:
        """Run work that only reads in a read transaction (no write lock on SQLite); someone
        copbot must write first (new, or renamed) goes through ``_in_transaction`` instead."""
        async with self.store.read() as session:
            ctx = await self._known_context(session, actor, place, at)
            effects = await work(ctx) if ctx is not None else []
        if ctx is None:
            return await self._in_transaction(actor, place, at, work)
        if any(isinstance(e, Outgoing) for e in effects):
            # Nothing else was written, so queueing after the read loses no atomicity.
            async with self.store.transaction() as session:
                await self._enqueue(session, effects, at)
            self._on_outgoing()
        return [e for e in effects if not isinstance(e, Outgoing)]

    @staticmethod
    async def _enqueue(session: AsyncSession, effects: list[Effect], at: datetime) -> bool:
        """Write the outgoing effects to the outbox; True if there were any."""
        queued = [e for e in effects if isinstance(e, Outgoing)]
        if queued:
            await outbox.enqueue(session=session, rows=[outbox_row(o, at) for o in queued])
        return bool(queued)

    async def _context(
        self, session: AsyncSession, actor: Actor, place: Place, at: datetime
    ) -> CommandContext:
        config = self.services.config
        community, member = await directory.member_for(session, config, actor, at)
        entry = self.services.community_config(community.name)
        roles = await directory.roles_of(session, entry, actor, member)
        return CommandContext(session, self.services, actor, place, at, community, member, roles)

    async def _known_context(
        self, session: AsyncSession, actor: Actor, place: Place, at: datetime
    ) -> CommandContext | None:
        """The context of someone copbot knows, read in one query; None if they must be
        written first."""
        found = await directory.known_member(session, actor)
        if found is None:
            return None
        community, member, granted = found
        entry = self.services.community_config(community.name)
        roles = directory.roles_from(entry, actor, granted, member.platform_admin)
        return CommandContext(session, self.services, actor, place, at, community, member, roles)
