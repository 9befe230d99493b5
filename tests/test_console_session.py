"""The console session in process: messages that arrive while the person has a prompt shown (on
a real pseudo-terminal)."""

from __future__ import annotations

import os
import select
from collections.abc import Iterator

import pytest

from adapters.console.sender import ConsoleSender
from adapters.console.terminal import ERASE_LINE, PromptScreen
from storage.engine import Store
from tests.factories import Harness

PROMPT = "alice@#general> "


@pytest.fixture
def pty_out() -> Iterator[tuple[int, PromptScreen]]:
    """A PromptScreen printing on a real pseudo-terminal, and the terminal's other side."""
    master, slave = os.openpty()
    out = open(slave, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    yield master, PromptScreen(out, on_closed=lambda: None)
    out.close()
    os.close(master)


def shown_on(master: int) -> str:
    seen = b""
    while select.select([master], [], [], 0.5)[0]:
        seen += os.read(master, 65536)
    return seen.decode().replace("\r\n", "\n")


async def test_a_message_that_arrives_at_the_prompt_prints_above_it(
    store: Store, pty_out: tuple[int, PromptScreen]
) -> None:
    master, screen = pty_out
    harness = await Harness.start(store, senders={"console": ConsoleSender(screen)})
    try:
        await harness.post("bob")
        await harness.say('checkin add name:standup schedule:"daily 09:00" questions:Q')
        await harness.say("checkin run 1")
        screen.show_prompt(PROMPT)
        await harness.delivery.deliver_due()  # two DMs arrive while alice has the prompt
    finally:
        await harness.close()
    shown = shown_on(master)
    assert shown.startswith(PROMPT + ERASE_LINE + "[copbot → DM to ")
    assert shown.count(ERASE_LINE + "[copbot → DM to ") == 2
    assert shown.count(PROMPT) == 3 and shown.endswith("\n" + PROMPT)
    screen.prompt_taken()  # Enter: replies now print on lines of their own
    screen.say("(you are alice in #general)")
    assert shown_on(master) == "(you are alice in #general)\n"
