"""Welcoming newcomers from the inbound path: someone who joins a home channel, or posts there
for the first time, gets the welcome DM, without slowing the count of what they did."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.context import Services
from bot.errors import StoreUnavailable
from bot.events import MemberJoined, MessagePosted
from bot.outbox import outbox_row
from bot.ui import Outgoing
from bot.usecases.participation import BatchCounter, Countable
from bot.usecases.welcome import welcome_pending
from bot.words import plural
from storage import onboarding, outbox
from storage.availability import unavailable
from storage.engine import Store
from storage.models import Community

log = logging.getLogger(__name__)


Round = dict[tuple[str, str, str], str]  # (platform, workspace, user): what caused it


class Welcomer:
    """Welcomes, after their act is counted, those who may be due a welcome: anyone who joins,
    and anyone whose message comes from an account this process had not counted before.

    Those acts are gathered in rounds, as the ledger gathers batches: one read a round finds
    who is due, and only then one transaction welcomes them, while the next round fills. It
    runs in tasks of its own, so that an acknowledgement never waits for it, and a failure
    never undoes the count: it is logged, in one line when the database is down."""

    def __init__(
        self,
        store: Store,
        services: Services,
        counter: BatchCounter,
        on_outgoing: Callable[[], None],
    ) -> None:
        self._store = store
        self._services = services
        self._counter = counter
        self._on_outgoing = on_outgoing
        self._pending: set[asyncio.Task[None]] = set()
        self._next: tuple[Round, asyncio.Future[None]] | None = None
        self._writing = asyncio.Lock()
        # Accounts whose message in a home place was looked at in this process (a message
        # elsewhere first must not hide their first one there); a failed round forgets its own.
        self._checked: set[tuple[str, str, str]] = set()

    def may_be_due(self, act: Countable) -> bool:
        """Whether an act may call for a welcome (no query)."""
        if isinstance(act, MemberJoined):
            return True
        actor = act.actor
        account = (actor.platform, actor.workspace, actor.user)
        return isinstance(act, MessagePosted) and account not in self._checked

    def start(self, act: Countable) -> asyncio.Future[None] | None:
        """Welcome the person behind a counted act if due, in the next round; done once it
        is written. None if the act was not in a home place of its community (a channel it
        counts; a workspace join only where no home channels are named)."""
        if not self._counter.is_home(act.place):
            return None
        if self._next is None:
            self._next = ({}, asyncio.get_running_loop().create_future())
            task = asyncio.get_running_loop().create_task(self._round())
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)
        acts, done = self._next
        actor = act.actor
        account = (actor.platform, actor.workspace, actor.user)
        self._checked.add(account)
        acts.setdefault(account, _cause(act))
        return done

    async def settle(self) -> None:
        """Wait for the welcomes under way (at shutdown, and in tests)."""
        while self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def _round(self) -> None:
        async with self._writing:  # the round before is written first; this one fills meanwhile
            assert self._next is not None
            acts, done = self._next
            self._next = None
            sent: list[Outgoing] = []
            try:
                sent = await self._welcome(acts)
            except Exception as error:
                _failed(acts, error)
                self._checked -= acts.keys()  # their next act tries again
            finally:
                if not done.done():  # even when cancelled (shutdown): nobody waits forever
                    done.set_result(None)
        if sent:
            self._on_outgoing()

    async def _welcome(self, acts: Round) -> list[Outgoing]:
        async with self._store.read() as session:
            due = await onboarding.welcomes_due(session=session, accounts=list(acts))
        if not due:
            return []
        at = self._services.clock.now()
        sent: list[Outgoing] = []
        async with self._store.transaction() as session:
            for (community_id, cause), ids in _by_community(due, acts).items():
                community = await session.get(Community, community_id)
                if community is not None:
                    sent += await welcome_pending(
                        session, self._services, community, at, cause, member_ids=ids
                    )
            await outbox.enqueue(session=session, rows=[outbox_row(o, at) for o in sent])
        return sent


def _cause(act: Countable) -> str:
    return "join" if isinstance(act, MemberJoined) else "message"


def _by_community(
    due: list[tuple[tuple[str, str, str], int, int]], acts: Round
) -> dict[tuple[int, str], list[int]]:
    """The members due, by community and cause."""
    found: dict[tuple[int, str], list[int]] = {}
    for account, community_id, member_id in due:
        found.setdefault((community_id, acts[account]), []).append(member_id)
    return found


def _failed(acts: Round, error: Exception) -> None:
    """One warning line (SQLAlchemy's errors go on with the statement: its first line only)."""
    names = [f"{platform}:{user}" for platform, _, user in acts]
    who = ", ".join(names) if len(names) <= 3 else plural(len(names), "newcomer")
    said = str(error).splitlines()[0] if str(error) else type(error).__name__
    if isinstance(error, StoreUnavailable) or unavailable(error):
        log.warning("could not welcome %s now (the database is unavailable): %s", who, said)
    else:
        log.warning("could not welcome %s: %s", who, said, exc_info=True)
