"""End to end across platforms: one ``copbot run`` on the fake Slack and the fake Discord at
once, where one person links their two accounts and is then one member."""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from pathlib import Path
from typing import Any

from tests.discord_kit import BOB, message_create, message_id, slash
from tests.fakes.discord import GUILD_ID, FakeDiscord
from tests.fakes.slack import FakeSlack
from tests.slack_kit import SECRET, TEAM, SlackClient, eventually, free_port
from tests.test_slack_e2e import COPBOT, stop_copbot, wait_healthy

CODE = re.compile(r"`([A-Z2-9]{4}-[A-Z2-9]{4})`")


def write_config(folder: Path, slack: FakeSlack, discord: FakeDiscord, port: int) -> Path:
    path = folder / "copbot.toml"
    path.write_text(
        f"""
[storage]
url = "sqlite+aiosqlite:///{folder / "copbot.db"}"
[console]
enabled = false
[slack]
enabled = true
mode = "http"
host = "127.0.0.1"
port = {port}
api_base_url = "{slack.api_url}"
[discord]
enabled = true
api_base_url = "{discord.api_url}"
gateway_url = "{discord.gateway_url}"
guild_ready_timeout = 0.05
[[communities]]
name = "both"
timezone = "Europe/Berlin"
slack_team_id = "{TEAM}"
discord_guild_id = "{GUILD_ID}"
facilitators = ["slack:UFAC"]
"""
    )
    return path


async def test_one_person_linked_across_both_platforms(tmp_path: Path) -> None:
    slack_fake = FakeSlack(users={"UBOB": {"profile": {"display_name": "Bob"}}})
    discord_fake = FakeDiscord()
    await slack_fake.start()
    await discord_fake.start()
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        COPBOT,
        "run",
        "--config",
        str(write_config(tmp_path, slack_fake, discord_fake, port)),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "DISCORD_TOKEN": "test-token",
        },
    )
    slack = SlackClient(f"http://127.0.0.1:{port}/slack/events", slack_fake)

    async def on_slack(text: str, user: str = "UBOB") -> str:
        name = await slack.command(text, user=user)
        return str((await eventually(lambda: slack.replies(name), timeout=10))[-1])

    async def on_discord(data: dict) -> str:  # type: ignore[type-arg]
        before = len(discord_fake.responses())
        await discord_fake.dispatch("INTERACTION_CREATE", discord_fake.interaction(2, data, BOB))
        await eventually(lambda: len(discord_fake.responses()) > before, timeout=15)
        reply = discord_fake.responses()[before]["data"]
        if reply.get("content"):
            return str(reply["content"])
        embed = reply["embeds"][0]
        return "\n".join(
            [embed["description"], *[f"{f['name']}: {f['value']}" for f in embed["fields"]]]
        )

    try:
        await wait_healthy(f"http://127.0.0.1:{port}", process)
        await asyncio.wait_for(discord_fake.identified.wait(), 30)
        message = {"type": "message", "user": "UBOB", "channel": "C1", "ts": f"{time.time():.6f}"}
        await slack.event(message, "EvM")
        await discord_fake.dispatch("MESSAGE_CREATE", message_create(message_id(), BOB))

        made = await on_slack("link")
        code = CODE.search(made)
        assert code, made
        assert "made on Slack" in await on_slack(f"link code:{code.group(1)}")
        linked = await on_discord(slash("link", code=code.group(1)))
        assert "Linked: your Slack and Discord accounts are now one member, Bob" in linked

        async def both_counted() -> bool:
            return "Since you joined: 2 messages" in await on_discord(slash("me"))

        for _ in range(50):  # the Discord message may still be on its way to the ledger
            if await both_counted():
                break
            await asyncio.sleep(0.1)
        assert "Since you joined: 2 messages" in await on_slack("me")

        # A check-in asks Bob once, on Slack (his first account), never on Discord too.
        await on_slack('checkin add name:standup schedule:"daily 09:00" questions:"How?"', "UFAC")
        ran = await on_slack("checkin run 1", "UFAC")
        assert ran.startswith("📨 Queued standup for 2 members;"), ran

        # Before the link each account was a member of its own, welcomed where it posted.
        def asked(posts: list[Any]) -> list[Any]:
            return [p for p in posts if "Welcome" not in json.dumps(p, ensure_ascii=False)]

        slack_posts = lambda: slack_fake.calls_to("chat.postMessage")  # noqa: E731
        await eventually(lambda: len(asked(slack_posts())) == 2, timeout=10)
        await asyncio.sleep(0.5)
        dms = [b for m, p, b in discord_fake.calls if m == "POST" and p.startswith("/channels/5")]
        assert len(dms) == 1 and asked(dms) == []  # his welcome there, and no check-in
    finally:
        code_, err = await stop_copbot(process)
        await discord_fake.stop()
        await slack_fake.stop()
    assert code_ == 0, err
    assert "Traceback" not in err
