"""End to end on Discord: a real ``copbot run`` process against the local fake Discord."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from sqlmodel import select

from storage.engine import Store, build_engine
from storage.models import LedgerEntry, OutboxRow
from tests.discord_kit import (
    BOB,
    FACILITATOR,
    message_create,
    message_id,
    modal_submit,
    reaction_add,
    slash,
)
from tests.factories import ACTS
from tests.fakes.discord import APP_ID, GUILD_ID, FakeDiscord
from tests.slack_kit import eventually, eventually_async

COPBOT = str(Path(sys.executable).parent / "copbot")


def write_config(folder: Path, fake: FakeDiscord) -> Path:
    path = folder / "copbot.toml"
    path.write_text(
        f"""
[storage]
url = "sqlite+aiosqlite:///{folder / "copbot.db"}"
[console]
enabled = false
[discord]
enabled = true
api_base_url = "{fake.api_url}"
gateway_url = "{fake.gateway_url}"
guild_ready_timeout = 0.05
[[communities]]
name = "demo"
timezone = "Europe/Berlin"
discord_guild_id = "{GUILD_ID}"
"""
    )
    return path


async def start_copbot(config: Path) -> asyncio.subprocess.Process:
    """``copbot run`` on a config, with a Discord token in its environment."""
    return await asyncio.create_subprocess_exec(
        COPBOT,
        "run",
        "--config",
        str(config),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "DISCORD_TOKEN": "test-token"},
    )


async def test_discord_end_to_end(tmp_path: Path) -> None:
    fake = FakeDiscord()
    await fake.start()
    process = await start_copbot(write_config(tmp_path, fake))

    async def interact(kind: int, data: dict, who: dict) -> dict:  # type: ignore[type-arg]
        before = len(fake.responses())
        await fake.dispatch("INTERACTION_CREATE", fake.interaction(kind, data, who))
        await eventually(lambda: len(fake.responses()) > before, timeout=15)
        return fake.responses()[before]

    def said(response: dict) -> str:  # type: ignore[type-arg]
        data = response["data"]
        if data.get("content"):
            return str(data["content"])
        embed = data["embeds"][0]
        fields = [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
        return "\n".join([embed["description"], *fields])

    try:
        await asyncio.wait_for(fake.identified.wait(), 30)
        synced = fake.commands[f"applications/{APP_ID}"]
        assert synced[0]["name"] == "cop"

        assert said(await interact(2, slash("help"), BOB)).startswith("Hi Bob!")

        # Messages and reactions, replayed across a gateway resume, count once.
        message = message_create(message_id(), BOB)
        await fake.dispatch("MESSAGE_CREATE", message)
        reaction = reaction_add(message, BOB, "🎉")
        await fake.dispatch("MESSAGE_REACTION_ADD", reaction)
        await fake.drop()
        await asyncio.wait_for(fake.resumed.wait(), 30)
        await fake.dispatch("MESSAGE_CREATE", message)
        await fake.dispatch("MESSAGE_REACTION_ADD", reaction)

        # A facilitator creates and runs a check-in; Bob answers through the modal.
        await interact(
            2,
            slash("checkin", "add", name="standup", schedule="daily 09:00", questions="Learned?"),
            FACILITATOR,
        )
        ran = await interact(2, slash("checkin", "run", id=1), FACILITATOR)
        assert said(ran).startswith("📨 Queued standup for 2 members;")
        await eventually(lambda: len(fake.calls_to("POST", "/users/@me/channels")) == 2, 15)
        shown = await interact(3, {"custom_id": "answer:occurrence:1", "component_type": 2}, BOB)
        assert shown["type"] == 9
        thanks = await interact(5, modal_submit("answer:occurrence:1", {"q1": "plenty"}), BOB)
        assert said(thanks) == "🙏 Thanks, Bob! Your answers to standup are in."

        me = said(await interact(2, slash("me"), BOB))
        assert "Last 7 days: 1 message, 0 thread replies, 1 reaction, 1 check-in answered" in me
        listed = said(await interact(2, slash("checkin", "list"), FACILITATOR))
        assert "1 run, 1/2 answered" in listed
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
        await fake.stop()
    assert process.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()


async def _counted(tmp_path: Path) -> int:
    """How many acts the running copbot has committed to its ledger (people's, not its own)."""
    store = Store(build_engine(f"sqlite+aiosqlite:///{tmp_path / 'copbot.db'}"))
    try:
        async with store.read() as session:
            return len((await session.exec(select(LedgerEntry.id).where(ACTS))).all())
    except Exception:
        return 0  # not created or migrated yet
    finally:
        await store.close()


async def test_at_shutdown_what_is_due_goes_out_before_the_client_closes(tmp_path: Path) -> None:
    """SIGTERM right after a check-in run: the DMs still on their way (Discord answers slowly)
    are sent through the open client, then copbot closes it; none is left for the next start."""
    fake = FakeDiscord()
    fake.post_delay = 1.0
    await fake.start()
    process = await start_copbot(write_config(tmp_path, fake))
    try:
        await asyncio.wait_for(fake.identified.wait(), 30)
        await fake.dispatch("MESSAGE_CREATE", message_create(message_id(), BOB))
        # Bob is a member once his message is counted; a run before that would ask only one.
        await eventually_async(lambda: _counted(tmp_path), 1, timeout=15)
        for data in (
            slash("checkin", "add", name="standup", schedule="daily 09:00", questions="Q?"),
            slash("checkin", "run", id=1),
        ):
            before = len(fake.responses())
            await fake.dispatch("INTERACTION_CREATE", fake.interaction(2, data, FACILITATOR))
            await eventually(lambda: len(fake.responses()) > before, timeout=15)  # noqa: B023
        await eventually(lambda: fake.calls_to("POST", "/users/@me/channels"), 15)
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
        await fake.stop()
    assert process.returncode == 0, err.decode()
    store = Store(build_engine(f"sqlite+aiosqlite:///{tmp_path / 'copbot.db'}"))
    try:
        async with store.read() as session:
            statuses = (await session.exec(select(OutboxRow.status))).all()
    finally:
        await store.close()
    # Bob's welcome and the check-in's two DMs; what copbot logged says why, if not.
    assert statuses == ["sent", "sent", "sent"], err.decode()
