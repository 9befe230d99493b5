"""Builders for tests: actors, events, and a harness wired like the composition root wires it."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, select

from adapters.console.render import Screen
from adapters.console.sender import ConsoleSender
from bot.channels import ChannelAccess
from bot.clock import Clock, FixedClock
from bot.commands.catalog import build_catalog
from bot.config import Config, parse_config
from bot.context import Services
from bot.core import Copbot, Response
from bot.directory import apply_config
from bot.events import (
    Actor,
    ButtonClicked,
    CommandInvoked,
    FormSubmitted,
    MemberJoined,
    MessagePosted,
    Place,
    ReactionAdded,
)
from bot.job_kinds import build_registry
from bot.ledger import LedgerWriter
from bot.message_text import PlatformMessages
from bot.outbox import OutboxDelivery, Sender
from bot.outbox_keys import WELCOME
from bot.roster import PlatformRoster
from bot.schedule import ScheduleCalendar
from bot.scheduling import Scheduling
from bot.ui import Button, FormErrors, Reply, ShowForm
from bot.voice import PlatformVoice
from reports.maker import WorkbookMaker
from scheduler.calendar import CronCalendar
from storage.engine import Store
from storage.models import Community, Identity, LedgerEntry, Member, OutboxRow

START = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
WORKSPACE = "local"
_ids = itertools.count(1)
# The ledger rows of what people did: not the rows of copbot's own acts, such as a welcome DM.
ACTS = col(LedgerEntry.kind) != "welcome"

DEMO_CONFIG: dict[str, Any] = {
    "communities": [
        {
            "name": "demo",
            "timezone": "Europe/Berlin",
            "console_workspace": WORKSPACE,
            "facilitators": ["console:alice"],
            "leads": ["console:lena"],
        }
    ]
}


def config(data: Mapping[str, Any] | None = None) -> Config:
    """A validated config (the demo community unless told otherwise)."""
    return parse_config(dict(data or DEMO_CONFIG), source="test", calendar=CronCalendar())


def actor(user: str = "alice", *, admin: bool = False, bot: bool = False) -> Actor:
    """A console person."""
    return Actor("console", WORKSPACE, user, display_name=user, is_admin=admin, is_bot=bot)


def place(channel: str = "general", thread: str | None = None) -> Place:
    """A console channel."""
    return Place("console", WORKSPACE, channel, thread)


def event_id() -> str:
    """A fresh platform event id."""
    return f"ev-{next(_ids)}"


def text_of(responses: list[Response]) -> str:
    """Everything the replies say, as one string (fields included)."""
    parts: list[str] = []
    for response in responses:
        if isinstance(response, Reply):
            parts.append(response.message.text)
            parts += [f"{k}: {v}" for k, v in response.message.fields]
        elif isinstance(response, ShowForm):
            parts.append(f"[form {response.form.title}]")
        elif isinstance(response, FormErrors):
            parts += [message for _, message in response.errors]
    return "\n".join(parts)


class Harness:
    """The core, the outbox and the console's sender, on one store, with a clock that only moves
    when told to."""

    def __init__(
        self,
        store: Store,
        cfg: Config,
        senders: dict[str, Sender] | None,
        calendar: Callable[[Clock], ScheduleCalendar] | None = None,
        channels: ChannelAccess | None = None,
    ) -> None:
        self.store = store
        self.clock = FixedClock(START)
        self.out = io.StringIO()
        self.screen = Screen(self.out)
        chosen = calendar(self.clock) if calendar else CronCalendar()
        # Who is in a voice channel: a test's platform adds its roster (Discord's, say).
        self.voice = PlatformVoice()
        # Who is in a workspace, for a launch: a test's platform adds its roster (Slack's, say).
        self.roster = PlatformRoster()
        # Who reads a nominated message after its author's yes: a test's platform adds its own.
        self.messages = PlatformMessages()
        self.services = Services(
            cfg,
            chosen,
            self.clock,
            build_catalog(),
            report_maker=WorkbookMaker(),
            channels=channels,
            voice=self.voice,
            roster=self.roster,
            messages=self.messages,
        )
        self.ledger = LedgerWriter(store)
        self.delivery = OutboxDelivery(
            store, senders or {"console": ConsoleSender(self.screen)}, self.clock, cfg.outbox
        )
        self.core = Copbot(store, self.services, self.ledger)
        self.scheduling = Scheduling(store, self.services, build_registry())

    @classmethod
    async def start(
        cls,
        store: Store,
        cfg: Config | None = None,
        senders: dict[str, Sender] | None = None,
        calendar: Callable[[Clock], ScheduleCalendar] | None = None,
        channels: ChannelAccess | None = None,
    ) -> Harness:
        """Wire everything and apply the config, as ``copbot run`` does (a calendar of the
        test's own, built on the harness's clock, if given; ``channels`` answers whether
        copbot can post in a channel, never asked if None)."""
        harness = cls(store, cfg or config(), senders, calendar, channels)
        async with store.transaction() as session:
            await apply_config(session, harness.services.config, harness.clock.now())
        return harness

    async def close(self) -> None:
        """Let pending ledger rows commit."""
        await self.ledger.close()

    def later(self, **delta: float) -> None:
        """Move the clock forward."""
        self.clock.set(self.clock.now() + timedelta(**delta))

    async def cmd(self, text: str, user: str = "alice", **kw: Any) -> list[Response]:
        """Run a ``/cop`` line as someone."""
        event = CommandInvoked(actor(user, **kw), place(), event_id(), self.clock.now(), text=text)
        return await self.core.handle(event)

    async def say(self, text: str, user: str = "alice", **kw: Any) -> str:
        """Run a ``/cop`` line and return what the replies say."""
        return text_of(await self.cmd(text, user, **kw))

    async def post(
        self, user: str, *, ev: str | None = None, reply: bool = False, bot: bool = False
    ) -> str:
        """Someone posts a message; returns its event id."""
        ev = ev or event_id()
        where = place(thread="t1" if reply else None)
        await self.core.handle(
            MessagePosted(actor(user, bot=bot), where, ev, self.clock.now(), is_reply=reply)
        )
        return ev

    async def react(self, user: str, *, ev: str | None = None) -> None:
        """Someone reacts to a message."""
        await self.core.handle(
            ReactionAdded(actor(user), place(), ev or event_id(), self.clock.now())
        )

    async def join(self, user: str) -> None:
        """Someone joins the home channel."""
        await self.core.handle(MemberJoined(actor(user), place(), event_id(), self.clock.now()))

    async def click(self, button: Button | str, user: str) -> list[Response]:
        """Someone presses a button."""
        action = button.action_id if isinstance(button, Button) else button
        event = ButtonClicked(actor(user), place(), event_id(), self.clock.now(), action)
        return await self.core.handle(event)

    async def submit(self, form_id: str, values: Mapping[str, str], user: str) -> list[Response]:
        """Someone submits a form."""
        event = FormSubmitted(actor(user), place(), event_id(), self.clock.now(), form_id, values)
        return await self.core.handle(event)

    async def run_jobs(self) -> list[str]:
        """Fire every job due by the clock's now (a reminder, say), as the scheduler would."""
        return await self.scheduling.catch_up(self.clock.now())

    async def deliver(self) -> str:
        """Send what the outbox holds now; return what the console showed since the last call."""
        start = self.out.tell()
        await self.delivery.deliver_due()
        self.out.seek(start)
        shown = self.out.read()
        self.out.seek(0, io.SEEK_END)
        return shown


async def welcomed_users(harness: Harness) -> list[str | None]:
    """Whom the outbox holds a welcome DM for, in order."""
    async with harness.store.read() as session:
        query = select(OutboxRow).where(col(OutboxRow.kind) == WELCOME).order_by(col(OutboxRow.id))
        return [r.recipient_user for r in (await session.exec(query)).all()]


async def seed_members(
    store: Store, n: int, *, platform: str = "console", workspace: str = WORKSPACE, user: str = "m"
) -> None:
    """``n`` members m0, m1, ... seen on a platform (user ids ``user`` + 0, 1, ...), in the
    first community, in one insert a table: many members without a handler each."""
    at = START - timedelta(days=30)
    async with store.transaction() as session:
        community = (await session.exec(select(Community).order_by(col(Community.id)))).first()
        assert community is not None
        rows = [
            {"community_id": community.id, "display_name": f"m{i}", "first_seen": at}
            for i in range(n)
        ]
        await session.exec(insert(Member).values(rows))  # type: ignore[call-overload]
        query = (
            select(Member.id)
            .where(col(Member.community_id) == community.id, col(Member.display_name).like("m%"))
            .order_by(col(Member.id))
        )
        ids = (await session.exec(query)).all()
        accounts = [
            {"member_id": m, "platform": platform, "workspace": workspace, "user_id": f"{user}{i}"}
            for i, m in enumerate(ids)
        ]
        await session.exec(insert(Identity).values(accounts))  # type: ignore[call-overload]
