"""copbot on Slack in Socket Mode: envelopes over a local websocket, each one acknowledged."""

from __future__ import annotations

from sqlmodel import select

from adapters.slack.runtime import SlackRuntime, SlackTokens
from bot.config import SlackConfig
from storage.engine import Store
from storage.models import LedgerEntry
from tests.factories import ACTS, Harness, config
from tests.fakes.slack import FakeSlack
from tests.slack_kit import SLACK_CONFIG, TEAM, command_payload, eventually, eventually_async


async def test_socket_mode_commands_and_events(store: Store) -> None:
    fake = FakeSlack()
    await fake.start()
    harness = await Harness.start(store, config(SLACK_CONFIG))
    settings = SlackConfig(enabled=True, mode="socket", api_base_url=fake.api_url)
    runtime = SlackRuntime(
        settings, SlackTokens("xoxb-test", None, "xapp-test"), harness.core, store, harness.clock
    )
    await runtime.start()
    try:
        assert fake.calls_to("apps.connections.open")
        await fake.push(
            "slash_commands", command_payload("help", "UBOB", fake.response_url("sock")), "env-1"
        )
        reply = await eventually(lambda: [r for r in fake.responses if r["_url"] == "sock"])
        assert reply[0]["text"].startswith("Hi UBOB! Here is what you can do as a member of demo")
        assert any(ack.get("envelope_id") == "env-1" for ack in fake.socket_acks)

        event = {"type": "message", "user": "UBOB", "channel": "C1", "ts": "1733000000.5"}
        callback = {"type": "event_callback", "team_id": TEAM, "event_id": "EvS", "event": event}
        await fake.push("events_api", callback, "env-2")
        await fake.push("events_api", callback, "env-3")  # redelivered: counted once

        async def count() -> int:
            async with store.transaction() as session:
                return len((await session.exec(select(LedgerEntry).where(ACTS))).all())

        await eventually(
            lambda: {"env-2", "env-3"} <= {a.get("envelope_id") for a in fake.socket_acks}
        )
        await eventually_async(count, 1)
    finally:
        await runtime.stop()
        await harness.close()
        await fake.stop()
