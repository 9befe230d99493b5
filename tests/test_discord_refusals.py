"""Discord refusing copbot at start (a wrong token, privileged intents not turned on): a clear
message of what to do, exit status 2, no traceback."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.fakes.discord import FakeDiscord
from tests.test_discord_e2e import start_copbot, write_config


async def _refused(tmp_path: Path, fake: FakeDiscord, extra: str = "") -> tuple[int, str]:
    await fake.start()
    config = write_config(tmp_path, fake)
    if extra:
        text = config.read_text().replace("[discord]\n", f"[discord]\n{extra}\n", 1)
        config.write_text(text)
    try:
        process = await start_copbot(config)
        _, err = await asyncio.wait_for(process.communicate(), 60)
    finally:
        await fake.stop()
    assert process.returncode is not None
    return process.returncode, err.decode()


async def test_a_wrong_token_says_where_to_get_the_right_one(tmp_path: Path) -> None:
    fake = FakeDiscord()
    fake.refuse_token = True
    code, err = await _refused(tmp_path, fake)
    assert code == 2
    assert "Discord did not accept DISCORD_TOKEN" in err and "Reset Token" in err
    assert "Traceback" not in err


async def test_message_content_not_turned_on_in_the_portal_says_so(tmp_path: Path) -> None:
    fake = FakeDiscord()
    fake.privileged_allowed = 1 << 1  # the members intent only
    code, err = await _refused(tmp_path, fake, "message_content = true")
    assert code == 2
    assert "Discord refused the privileged intents" in err
    assert "Message Content Intent (`[discord] message_content = true`)" in err
    assert "Traceback" not in err
