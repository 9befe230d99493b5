"""Nominating from the inbound path: a configured reaction on a message asks its author,
privately, whether it may become a resource or a story, without slowing the count."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from bot import directory
from bot.context import Services
from bot.events import Actor, ReactionAdded
from bot.outbox import outbox_row
from bot.ui import Outgoing
from bot.usecases.nominations import ask_author
from storage import nominations, outbox
from storage.engine import Store

log = logging.getLogger(__name__)
LINK_WAIT = 2.0  # seconds the platform gets to say where the nominated message is


class Nominator:
    """Turns a counted reaction whose emoji nominates into one question to the message's
    author, in a task of its own: an acknowledgement never waits for it, and a failure is
    logged, never undoing the count. Any other reaction costs one comparison."""

    def __init__(self, store: Store, services: Services, on_outgoing: Callable[[], None]) -> None:
        self._store = store
        self._services = services
        self._on_outgoing = on_outgoing
        self._pending: set[asyncio.Task[None]] = set()

    def offer(self, act: object) -> None:
        """Ask the author about a counted act's message, in a task, if it is a reaction that
        nominates (no query otherwise)."""
        if not isinstance(act, ReactionAdded) or not act.message_ref or not act.message_author:
            return
        config = self._services.config
        kinds = tuple(
            kind
            for kind, section in (("resource", config.resources), ("story", config.stories))
            if section.matches(act.emoji)
        )
        if not kinds:
            return
        task = asyncio.get_running_loop().create_task(self._nominate(act, kinds))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def settle(self) -> None:
        """Wait for the nominations under way (at shutdown, and in tests)."""
        while self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def _nominate(self, act: ReactionAdded, kinds: tuple[str, ...]) -> None:
        try:
            asked = await self._ask(act, kinds)
        except Exception as error:
            said = str(error).splitlines()[0] if str(error) else type(error).__name__
            log.warning("could not ask about message %s: %s", act.message_ref, said)
            return
        if asked:
            self._on_outgoing()

    async def _ask(self, act: ReactionAdded, kinds: tuple[str, ...]) -> list[Outgoing]:
        assert act.message_ref is not None and act.message_author is not None
        place = act.place
        at = self._services.clock.now()
        asked: list[Outgoing] = []
        # A message suggested before (more people reacting) costs one read, and neither the
        # platform call for its link nor a write.
        async with self._store.read() as session:
            done = await nominations.nominated_kinds(
                session=session,
                platform=place.platform,
                workspace=place.workspace,
                message_ref=act.message_ref,
            )
        kinds = tuple(kind for kind in kinds if kind not in done)
        if not kinds:
            return []
        # Which message was meant, for the author (a link reads nothing of it); asked before the
        # transaction, and not for long: the question goes without it rather than late.
        link, reader = None, self._services.messages
        if reader is not None:
            with contextlib.suppress(TimeoutError):
                link = await asyncio.wait_for(
                    reader.link_of(place.platform, place.workspace, place.channel, act.message_ref),
                    LINK_WAIT,
                )
        async with self._store.transaction() as session:
            # The author is met now if copbot never saw them (their message may predate it),
            # so that the DM they answer in leads back to this workspace.
            author = Actor(place.platform, place.workspace, act.message_author, None, None)
            community, member = await directory.member_for(
                session, self._services.config, author, at
            )
            assert community.id is not None
            if member.tracking_opted_out:
                return []  # they asked to be left out: nobody nominates their messages
            for kind in kinds:
                made = await nominations.nominate(
                    session=session,
                    community_id=community.id,
                    kind=kind,
                    platform=place.platform,
                    workspace=place.workspace,
                    channel=place.channel,
                    message_ref=act.message_ref,
                    author_user=act.message_author,
                    now=at,
                )
                if made is not None:
                    asked.append(ask_author(made, link))
            await outbox.enqueue(session=session, rows=[outbox_row(o, at) for o in asked])
        return asked
