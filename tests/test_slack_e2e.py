"""End to end on Slack: a real ``copbot run`` process against the local fake Slack."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.fakes.slack import FakeSlack, signed_headers
from tests.slack_kit import (
    SECRET,
    TEAM,
    SlackClient,
    button_payload,
    command_payload,
    eventually,
    free_port,
    submission_payload,
)

COPBOT = str(Path(sys.executable).parent / "copbot")


def write_config(folder: Path, fake: FakeSlack, mode: str, port: int) -> Path:
    path = folder / "copbot.toml"
    path.write_text(
        f"""
[storage]
url = "sqlite+aiosqlite:///{folder / "copbot.db"}"
[console]
enabled = false
[slack]
enabled = true
mode = "{mode}"
host = "127.0.0.1"
port = {port}
api_base_url = "{fake.api_url}"
[[communities]]
name = "demo"
timezone = "Europe/Berlin"
slack_team_id = "{TEAM}"
facilitators = ["slack:UFAC"]
"""
    )
    return path


async def start_copbot(
    config: Path, base: dict[str, str] | None = None, **env: str
) -> asyncio.subprocess.Process:
    """``copbot run`` on a config; the environment is ``base`` (default: ours plus a bot token)."""
    if base is None:
        base = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-test"}
    return await asyncio.create_subprocess_exec(
        COPBOT,
        "run",
        "--config",
        str(config),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**base, **env},
    )


async def stop_copbot(process: asyncio.subprocess.Process) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode or 0, err.decode()


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack(users={"UBOB": {"profile": {"display_name": "Bob"}}})
    await slack.start()
    yield slack
    await slack.stop()


async def wait_healthy(base: str, process: asyncio.subprocess.Process) -> None:
    # A deadline, not a wait: copbot answers within seconds, but a loaded 2-core machine (a
    # parallel test run) has taken over 10 s to start it.
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            if process.returncode is not None:
                raise AssertionError(f"copbot exited: {(await process.stderr.read()).decode()}")  # type: ignore[union-attr]
            try:
                response = await session.get(base + "/healthz")
                if response.status == 200:
                    return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("copbot did not become healthy")


async def test_http_mode_end_to_end(tmp_path: Path, fake: FakeSlack) -> None:
    port = free_port()
    process = await start_copbot(
        write_config(tmp_path, fake, "http", port), SLACK_SIGNING_SECRET=SECRET
    )
    base = f"http://127.0.0.1:{port}"
    slack = SlackClient(base + "/slack/events", fake)
    try:
        await wait_healthy(base, process)

        async def said(name: str) -> str:
            return (await eventually(lambda: slack.replies(name), timeout=10))[-1]

        # A forged request is refused and changes nothing.
        body = "command=%2Fcop&text=help&team_id=T1&user_id=UBOB&channel_id=C1"
        forged = await slack.send(
            body, "application/x-www-form-urlencoded", **signed_headers("nope", body)
        )
        assert forged.status == 401

        assert (await said(await slack.command("help", user="UBOB"))).startswith("Hi Bob!")

        # A message and its retry count once.
        message = {"type": "message", "user": "UBOB", "channel": "C1", "ts": f"{time.time():.6f}"}
        await slack.event(message, "EvM")
        await slack.event(message, "EvM", **{"X-Slack-Retry-Num": "1"})
        reaction = {"type": "reaction_added", "user": "UBOB", "item": {"channel": "C1"}}
        await slack.event(reaction, "EvR")
        await slack.event(reaction, "EvR", **{"X-Slack-Retry-Num": "2"})

        # A facilitator creates and runs a check-in; copbot's own outbox loop sends the DMs.
        await said(
            await slack.command(
                'checkin add name:standup schedule:"daily 09:00" questions:"Learned?"'
            )
        )
        ran = await said(await slack.command("checkin run 1"))
        assert ran.startswith("📨 Queued standup for 2 members;")

        # The two check-in DMs (Bob's first message brought him a welcome DM too).
        def asked() -> list[dict[str, Any]]:
            return [p for p in fake.calls_to("chat.postMessage") if "Welcome" not in p["text"]]

        await eventually(lambda: len(asked()) == 2, timeout=10)

        # Bob answers through the modal.
        await slack.interaction(button_payload("answer:occurrence:1"))
        opened = await eventually(lambda: fake.calls_to("views.open"), timeout=10)
        assert opened[0]["view"]["callback_id"] == "answer:occurrence:1"
        status, answer = await slack.interaction(
            submission_payload("answer:occurrence:1", {"q1": "a lot"})
        )
        assert status == 200 and json.loads(answer)["response_action"] == "update"
        listed = await said(await slack.command("checkin list"))
        assert "1 run, 1/2 answered" in listed
        me = await said(await slack.command("me", user="UBOB"))
        assert "Last 7 days: 1 message, 0 thread replies, 1 reaction, 1 check-in answered" in me
    finally:
        code, err = await stop_copbot(process)
    assert code == 0, err
    assert "Traceback" not in err


async def test_socket_mode_end_to_end(tmp_path: Path, fake: FakeSlack) -> None:
    process = await start_copbot(
        write_config(tmp_path, fake, "socket", free_port()), SLACK_APP_TOKEN="xapp-test"
    )
    try:
        await fake.push(
            "slash_commands", command_payload("about", "UBOB", fake.response_url("sock")), "env-1"
        )
        reply = await eventually(lambda: [r for r in fake.responses if r["_url"] == "sock"], 15)
        assert reply[0]["text"].startswith("*demo*, a community of practice.")
        assert any(ack.get("envelope_id") == "env-1" for ack in fake.socket_acks)
    finally:
        code, err = await stop_copbot(process)
    assert code == 0, err


async def test_missing_tokens_are_named(tmp_path: Path, fake: FakeSlack) -> None:
    config = write_config(tmp_path, fake, "http", free_port())
    process = await start_copbot(
        config, {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    )
    _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert "SLACK_BOT_TOKEN (the bot token (xoxb-...))" in err.decode()
    assert "SLACK_SIGNING_SECRET" in err.decode()
