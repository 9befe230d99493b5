"""Onboarding: the welcome DM once per member ever (a first line, a join, the launch's bulk
call), what it holds, its buttons (timezone form, pairing), its preview and its config text."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlmodel import col, func, select

from bot.config import ConfigError
from bot.events import MessagePosted
from bot.outbox_keys import WELCOME
from bot.ui import Button, FormErrors, ShowForm
from bot.usecases.welcome import welcome_pending
from storage.engine import Store
from storage.models import Community, LedgerEntry, Member, OutboxRow, PairOptIn, Welcome
from storage.report_data import report_data
from storage.report_week import ReportWeek
from tests.factories import (
    DEMO_CONFIG,
    Harness,
    actor,
    config,
    event_id,
    place,
    seed_members,
    text_of,
)


async def welcome_rows(harness: Harness) -> list[OutboxRow]:
    async with harness.store.read() as session:
        query = select(OutboxRow).where(col(OutboxRow.kind) == WELCOME).order_by(col(OutboxRow.id))
        return list((await session.exec(query)).all())


def buttons_of(row: OutboxRow) -> list[Button]:
    return [Button(**b) for b in row.payload.get("buttons", [])]


async def test_a_first_line_welcomes_once_with_both_buttons(harness: Harness) -> None:
    await harness.post("bob")
    shown = await harness.deliver()
    assert "DM to bob" in shown and "👋 Welcome to demo, bob!" in shown
    assert "🕘 Set my timezone" in shown and "🤝 Join pairing" in shown
    await harness.post("bob")
    await harness.join("bob")  # once ever, whatever the cause
    assert "Welcome" not in await harness.deliver()
    (row,) = await welcome_rows(harness)
    async with harness.store.read() as session:
        (welcome,) = (await session.exec(select(Welcome))).all()
        kinds = (await session.exec(select(LedgerEntry.kind).order_by(col(LedgerEntry.id)))).all()
    assert welcome.cause == "message" and welcome.key == row.key
    assert kinds.count("welcome") == 1 and kinds.count("message") == 2


async def test_a_join_welcomes_and_a_later_message_does_not(harness: Harness) -> None:
    await harness.join("carol")
    await harness.post("carol")
    (row,) = await welcome_rows(harness)
    async with harness.store.read() as session:
        assert (await session.exec(select(Welcome.cause))).all() == ["join"]
    assert "Hi" not in row.payload["text"] and "carol" in row.payload["text"]


async def test_the_dm_names_the_week_and_the_charter(harness: Harness) -> None:
    await harness.say('event add title:"Show and tell" start:"2026-12-09 17:00"')
    await harness.say('prompt add text:"What surprised you?"')
    await harness.say('prompt schedule schedule:"daily 10:00" channel:#general')
    harness.later(days=1)
    await harness.run_jobs()
    await harness.say('checkin add name:standup schedule:"daily 09:00" questions:"How goes?"')
    await harness.submit(
        "charter:community:1", {"purpose": "Share how we test bots", "domain": "Bots"}, "alice"
    )
    await harness.deliver()
    await harness.post("dave")
    shown = await harness.deliver()
    assert "How to take part this week" in shown
    assert "📅 The next event: Show and tell, Wed 9 Dec 2026, 17:00 CET" in shown
    assert "💬 The latest prompt: “What surprised you?”" in shown
    assert "✅ The next check-in: standup, Thu 03 Dec 09:00 Europe/Berlin" in shown
    assert "Purpose: Share how we test bots" in shown and "Domain: Bots" in shown


async def test_preview_is_the_dm_for_facilitators_only(harness: Harness) -> None:
    responses = await harness.cmd("welcome preview")
    assert "👀 This is the welcome DM" in text_of(responses)
    assert "👋 Welcome to demo, alice!" in text_of(responses)
    assert [b.label for b in responses[-1].message.buttons] == [  # type: ignore[union-attr]
        "🕘 Set my timezone",
        "🤝 Join pairing",
    ]
    assert "facilitator" in (await harness.say("welcome preview", user="bob")).lower()
    assert await welcome_rows(harness) == []  # a preview sends nothing


async def test_the_timezone_form_refuses_a_wrong_zone_then_saves(harness: Harness) -> None:
    await harness.post("bob")
    (row,) = await welcome_rows(harness)
    tz, pair = buttons_of(row)
    (shown,) = await harness.click(tz, "bob")
    assert isinstance(shown, ShowForm) and shown.form.fields[0].name == "zone"
    (refused,) = await harness.submit(shown.form.form_id, {"zone": "Europe/Berln"}, "bob")
    assert isinstance(refused, FormErrors)
    assert "Did you mean Europe/Berlin?" in refused.errors[0][1]
    (refused,) = await harness.submit(shown.form.form_id, {"zone": "Mars"}, "bob")
    assert "Europe/Berlin" in text_of([refused])
    saved = text_of(await harness.submit(shown.form.form_id, {"zone": "Asia/Tokyo"}, "bob"))
    assert saved.startswith("🕘 Your timezone is now Asia/Tokyo")
    other = text_of(await harness.click(tz, "carol"))
    assert "belongs to someone else" in other
    assert "You are in pairing" in text_of(await harness.click(pair, "bob"))
    async with harness.store.read() as session:
        bob = (await session.exec(select(Member).where(Member.display_name == "bob"))).one()
        opted = (await session.exec(select(PairOptIn))).all()
    assert bob.timezone == "Asia/Tokyo" and [o.member_id for o in opted] == [bob.id]


async def test_during_the_pilot_only_pilot_members_are_welcomed(harness: Harness) -> None:
    await harness.say("me", user="erin")
    await harness.say("me", user="finn")
    async with harness.store.transaction() as session:
        community = (await session.exec(select(Community))).one()
        community.phase = "pilot"
        session.add(community)
        erin = (await session.exec(select(Member).where(Member.display_name == "erin"))).one()
        erin.cohort = "pilot"
        session.add(erin)
    await harness.join("erin")
    await harness.join("finn")
    rows = await welcome_rows(harness)
    assert [r.recipient_user for r in rows] == ["erin"]


async def test_an_opted_out_member_and_an_uncounted_channel_welcome_nobody(store: Store) -> None:
    data: dict[str, Any] = {**DEMO_CONFIG}
    data["communities"] = [{**DEMO_CONFIG["communities"][0], "home_channels": ["console:cop"]}]
    harness = await Harness.start(store, config(data))
    try:
        await harness.post("gus")  # in #general, which this community does not count
        await harness.say("privacy optout confirm:yes", user="hana")
        await harness.join("hana")
        assert await welcome_rows(harness) == []
    finally:
        await harness.close()


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(store.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", record)


async def test_welcome_pending_welcomes_many_at_once_each_once(harness: Harness) -> None:
    await seed_members(harness.store, 500)
    async with harness.store.transaction() as session:
        community = (await session.exec(select(Community))).one()
        with statements(harness.store) as seen:
            sent = await welcome_pending(
                session, harness.services, community, harness.clock.now(), "launch"
            )
        again = await welcome_pending(
            session, harness.services, community, harness.clock.now(), "launch"
        )
        welcomed = (await session.exec(select(func.count()).select_from(Welcome))).one()
    assert len(sent) == 500 and len({o.key for o in sent}) == 500 and again == []
    assert welcomed == 500
    assert len(seen) < 20, seen  # a few statements in all, none per member


async def test_the_report_counts_members_welcomed(harness: Harness) -> None:
    await harness.post("bob")
    await harness.join("carol")
    async with harness.store.read() as session:
        community = (await session.exec(select(Community))).one()
        assert community.id is not None
        week = ReportWeek.containing(harness.clock.now() + timedelta(minutes=1), "Europe/Berlin")
        data = await report_data(
            session=session, community_id=community.id, week=week, now=harness.clock.now()
        )
    assert data.this_week.members_welcomed == 2
    assert data.this_week.contributions == 1  # a welcome is not a contribution
    assert any(d.metric == "members welcomed" for d in data.definitions)


def load(tmp_path: Path, welcome: str) -> Any:
    path = tmp_path / "copbot.toml"
    text = welcome.replace('"', '\\"')
    path.write_text(f'[[communities]]\nname = "demo"\nwelcome = "{text}"\n')
    from bot.config import load_config

    return load_config(path)


def test_the_welcome_text_takes_known_placeholders(tmp_path: Path) -> None:
    config = load(tmp_path, "Hi {member}, welcome to {community} ({purpose}) {{sic}}")
    assert config.communities[0].welcome.startswith("Hi {member}")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Hi {name}", "names {name}, which is not a placeholder"),
        ("Hi {member", "unmatched brace"),
        ("Hi member}", "unmatched brace"),
        ("Hi {member!r}", "names {member!r}"),
        ("Hi {}", "names {}"),
    ],
)
def test_a_wrong_welcome_text_is_a_config_problem(tmp_path: Path, text: str, said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    (problem,) = caught.value.problems
    assert problem.path == "communities[0].welcome" and said in str(problem)


async def test_a_configured_text_opens_the_dm(store: Store) -> None:
    data: dict[str, Any] = {**DEMO_CONFIG}
    opening = "Hello {member}! {community} is about {purpose}."
    data["communities"] = [{**DEMO_CONFIG["communities"][0], "welcome": opening}]
    harness = await Harness.start(store, config(data))
    try:
        await harness.post("ivy")
        assert "Hello ivy! demo is about ." in await harness.deliver()
    finally:
        await harness.close()


async def test_a_failed_welcome_is_one_warning_and_the_act_still_counts(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    async with harness.store.transaction() as session:
        # The welcome's own table gone: its read fails as a database that cannot answer does.
        await session.exec(text("DROP TABLE welcome"))  # type: ignore[call-overload]
    with caplog.at_level(logging.WARNING):
        assert (
            await harness.core.handle(
                MessagePosted(actor("kim"), place(), event_id(), harness.clock.now())
            )
            == []
        )
    async with harness.store.read() as session:
        kinds = (await session.exec(select(LedgerEntry.kind))).all()
    assert kinds == ["message"]
    (warning,) = [r for r in caplog.records if "could not welcome" in r.getMessage()]
    said = warning.getMessage()
    assert warning.levelno == logging.WARNING and "console:kim" in said and "\n" not in said
    if harness.store.dialect == "sqlite":  # an OperationalError: taken as an outage
        assert warning.exc_info is None and "database is unavailable" in warning.getMessage()
