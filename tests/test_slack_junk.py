"""Junk at copbot's Slack endpoint: refused before it is read (401) when unsigned, answered 200
with one short warning when signed but malformed; never a traceback, a 500, or a stored row."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import aiohttp
import pytest
from sqlalchemy import func
from sqlmodel import select

from adapters.slack.gate import Refusals
from adapters.slack.runtime import SlackRuntime, SlackTokens
from bot.config import SlackConfig
from storage.engine import Store
from storage.models import Identity, LedgerEntry, Member, OutboxRow
from tests.factories import START, Harness, config
from tests.fakes.slack import FakeSlack, signed_headers
from tests.slack_kit import (
    SLACK_CONFIG,
    TEAM,
    SlackClient,
    command_payload,
    eventually,
    slack_over_http,
)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
LONG_ID = "U" + "X" * 4999
YEAR_5138 = "99999999999.000100"
NOW_TS = f"{START.timestamp():.6f}"


@pytest.fixture
async def slack(store: Store) -> AsyncIterator[SlackClient]:
    async with slack_over_http(store, FakeSlack()) as client:
        yield client


async def rows(store: Store) -> tuple[int, ...]:
    """How many members, identities, ledger rows and outbox rows there are."""
    async with store.read() as session:
        counts = []
        for table in (Member, Identity, LedgerEntry, OutboxRow):
            counts.append((await session.exec(select(func.count()).select_from(table))).one())
        return tuple(counts)


async def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as session:
        response = await session.post(url, data=body, headers=headers)
        await response.read()
        return response.status


def event(inner: dict[str, object], **top: object) -> str:
    return json.dumps(
        {"type": "event_callback", "team_id": TEAM, "event_id": "Ev1", "event": inner, **top}
    )


def interaction(payload: object) -> str:
    return urlencode({"payload": json.dumps(payload)})


def action(actions: object) -> str:
    return interaction(
        {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": "UBOB"}, "actions": actions}
    )


def view(**fields: object) -> str:
    base = {"callback_id": "charter:form:0", "state": {"values": {}}, **fields}
    return interaction(
        {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "UBOB"}, "view": base}
    )


UNSIGNED: list[tuple[bytes, dict[str, str]]] = [
    (b"{not json", {"Content-Type": JSON}),
    (b"[1, 2, 3]", {"Content-Type": JSON}),
    (b"payload=%5B1%5D", {"Content-Type": FORM}),
    (b"[" * 100_000, {"Content-Type": JSON}),
    (b"\xff\xfe\x00junk", {"Content-Type": FORM}),
    (
        b"{}",
        {"Content-Type": JSON, "X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=1"},
    ),
    (b"{}", {"Content-Type": JSON, "X-Slack-Request-Timestamp": "²", "X-Slack-Signature": "v0=1"}),
]


async def test_unsigned_junk_gets_401_before_it_is_read_and_one_short_line(
    slack: SlackClient, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    before = await rows(store)
    caplog.set_level(logging.INFO)
    statuses = [await post(slack.url, body, headers) for body, headers in UNSIGNED]
    assert statuses == [401] * len(UNSIGNED)
    assert not any(r.exc_info for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    said = [r.getMessage() for r in caplog.records if "signature" in r.getMessage()]
    assert len(said) == 1 and len(said[0]) < 120  # rate-limited: one line for the burst
    assert said[0].startswith("slack: refused 1 request without a valid signature")
    assert await rows(store) == before
    assert slack.fake.calls_to("users.info") == []


def test_refusals_are_counted_between_two_lines(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    refusals = Refusals(every=60, clock=lambda: now[0])
    for second in (0, 1, 2, 59, 61, 62):
        now[0] = second
        refusals.note("127.0.0.1")
    lines = [r.getMessage() for r in caplog.records]
    assert [line.split(" request")[0] for line in lines] == ["slack: refused 1", "slack: refused 4"]


SIGNED_MALFORMED: list[tuple[str, str]] = [
    ("{not json", JSON),
    ('{"a":' * 5_000 + "1" + "}" * 5_000, JSON),
    ("[1, 2, 3]", JSON),
    ("payload=%5B1%5D", FORM),
    (event({"type": "message", "user": {"id": {"deep": 1}}, "channel": "C1", "ts": NOW_TS}), JSON),
    (event({"type": "message", "user": LONG_ID, "channel": "C1", "ts": NOW_TS}), JSON),
    (event({"type": "message", "user": "UBOB", "channel": "C1", "ts": YEAR_5138}), JSON),
    (event({"type": "message", "user": "UBOB", "channel": "C1", "ts": "noon"}), JSON),
    (event({"type": "message", "user": "UBOB", "channel": ["C1"], "ts": NOW_TS}), JSON),
    (event({"type": "reaction_added", "user": "UBOB", "item": "C1", "event_ts": NOW_TS}), JSON),
    (event({"type": "message", "user": "UBOB", "ts": NOW_TS}, team_id=5), JSON),
    (event({"type": "message", "user": "UBOB", "ts": NOW_TS}, event_id={"id": 1}), JSON),
    (event({"type": "app_home_opened", "user": ["UBOB"]}), JSON),
    (action([]), FORM),
    (action([{"action_id": {"a": 1}}]), FORM),
    (action(["charter:edit:0"]), FORM),
    (view(title="a string where an object belongs"), FORM),
    (view(state={"values": [1]}), FORM),
    (view(state={"values": {"purpose": {"purpose": {"value": {"text": "x"}}}}}), FORM),
    (view(callback_id=None), FORM),
    (urlencode(command_payload("help", LONG_ID, "http://127.0.0.1:1/r")), FORM),
    (urlencode({**command_payload("help", "UBOB", "http://127.0.0.1:1/r"), "team_id": ""}), FORM),
    (json.dumps({**command_payload("help", "UBOB", "u"), "user_id": {"id": "UBOB"}}), JSON),
]


@pytest.mark.parametrize(("body", "content_type"), SIGNED_MALFORMED)
async def test_a_signed_malformed_payload_gets_200_a_short_warning_and_stores_nothing(
    slack: SlackClient,
    store: Store,
    caplog: pytest.LogCaptureFixture,
    body: str,
    content_type: str,
) -> None:
    before = await rows(store)
    started = time.perf_counter()
    response = await slack.send(body, content_type)
    assert response.status == 200
    assert time.perf_counter() - started < 2.5  # answered, not left to Slack's 3 s timeout
    assert not any(r.exc_info for r in caplog.records)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and len(warnings[0]) < 200
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await rows(store) == before


async def test_a_well_formed_payload_still_goes_through(slack: SlackClient, store: Store) -> None:
    body = event({"type": "message", "user": "UBOB", "channel": "C1", "ts": NOW_TS})
    response = await slack.send(body, JSON)
    assert response.status == 200
    assert (await rows(store))[2] == 1  # one ledger row
    headers = {"Content-Type": JSON, **signed_headers("other-secret", body)}
    assert await post(slack.url, body.encode(), headers) == 401


async def test_socket_mode_acknowledges_a_malformed_envelope_with_one_warning(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeSlack()
    await fake.start()
    harness = await Harness.start(store, config(SLACK_CONFIG))
    settings = SlackConfig(enabled=True, mode="socket", api_base_url=fake.api_url)
    tokens = SlackTokens("xoxb-test", None, "xapp-test")
    runtime = SlackRuntime(settings, tokens, harness.core, store, harness.clock)
    await runtime.start()
    try:
        before = await rows(store)
        bad_user = {**command_payload("help", LONG_ID, fake.response_url("s")), "team_id": TEAM}
        await fake.push("slash_commands", bad_user, "env-1")
        no_actions = {"type": "block_actions", "user": {"id": "UBOB"}, "actions": []}
        await fake.push("interactive", no_actions, "env-2")
        await eventually(lambda: {"env-1", "env-2"} <= {a["envelope_id"] for a in fake.socket_acks})
        assert not any(r.exc_info for r in caplog.records)
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 2 and all(w.startswith("slack: ignored a") for w in warnings)
        assert await rows(store) == before and fake.responses == []
    finally:
        await runtime.stop()
        await harness.close()
        await fake.stop()
