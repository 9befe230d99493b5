"""The console session in process: lines typed inside a form, and messages that arrive while the
person has a prompt shown (on a real pseudo-terminal)."""

from __future__ import annotations

import os
import re
import select
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.console.sender import ConsoleSender
from adapters.console.session import IN_FORM, ConsoleSession
from adapters.console.terminal import ERASE_LINE, PromptScreen
from bot.config import ConsoleConfig
from storage.engine import Store
from tests.factories import Harness
from tests.fuzzing import examples

PROMPT = "alice@#general> "


def console(harness: Harness) -> ConsoleSession:
    """alice in #general, typing into the harness's core and screen."""
    return ConsoleSession(
        harness.core, harness.delivery, ConsoleConfig(), harness.screen, harness.clock
    )


async def typed(session: ConsoleSession, harness: Harness, *lines: str) -> str:
    """Type the lines; return what the console showed meanwhile."""
    start = len(harness.out.getvalue())
    for line in lines:
        await session.handle_line(line + "\n")
    return harness.out.getvalue()[start:]


async def test_a_command_typed_in_a_form_is_not_shared_as_an_answer(harness: Harness) -> None:
    session = console(harness)
    await harness.post("bob")
    shown = await typed(
        session,
        harness,
        '/cop checkin add name:standup schedule:"daily 09:00" questions:Learned? share:#wins',
        "/cop checkin run 1",
        ":as bob",
    )
    # The last DM to bob is the check-in's (his welcome came before it).
    button = re.findall(r"\[(\d+)\] Answer", shown.split("DM to bob")[-1])[0]
    await typed(session, harness, f":click {button}")
    refused = await typed(session, harness, "/cop help", ":as alice", ":click 1", ":frobnicate")
    assert refused.count("(you are filling standup; :cancel to stop.") == 4
    assert "typed after a \\." in refused
    assert refused.count("1/1 Learned?") == 4  # the field is asked again each time
    assert "Here is what you can do" not in refused and "you are now" not in refused
    answered = await typed(session, harness, "pytest fixtures")
    assert "🙏 Thanks, bob! Your answers to standup are in." in answered
    shared = answered.split("[copbot → #wins")[1]
    assert "pytest fixtures" in shared and "/cop help" not in shared


async def test_console_commands_that_still_work_in_a_form_and_the_escape(harness: Harness) -> None:
    session = console(harness)
    opened = await typed(session, harness, "/cop charter")
    assert "an answer that starts with : or /cop is typed after a \\." in opened
    helped = await typed(session, harness, ":help", ":who")
    assert ":help           this list" in helped and "typed after a \\, as in \\:-)" in helped
    assert "(you are alice in #general)" in helped
    assert helped.count("1/5 Audience: who is it for?") == 2
    await typed(
        session, harness, "\\:-) everyone who tests", "\\/cop is our command", "\\-", "", ""
    )
    about = await typed(session, harness, "/cop about")
    assert "Audience: :-) everyone who tests" in about
    assert "Domain: /cop is our command" in about
    assert "Purpose: -" in about  # after the escape, "-" is the answer itself
    cancelled = await typed(session, harness, "/cop charter", ":cancel", "/cop about")
    assert "(form cancelled; nothing was sent)" in cancelled
    assert cancelled.count("everyone who tests") == 2  # the form's initial value, then about


COMMAND_LIKE = st.one_of(
    st.builds(lambda rest: ":" + rest, st.text(max_size=40)).filter(
        lambda line: line.strip().split(" ", 1)[0][1:] not in IN_FORM
    ),
    st.builds(lambda rest: "/cop" + rest, st.text(max_size=40).map(lambda t: " " + t if t else t)),
)


@settings(
    max_examples=examples(60, 500),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(line=COMMAND_LIKE)
async def test_no_command_like_line_is_taken_as_an_answer(harness: Harness, line: str) -> None:
    session = console(harness)
    await typed(session, harness, "/cop charter")
    shown = await typed(session, harness, line.replace("\n", " ").replace("\r", " "))
    assert session.form is not None and session.form.index == 0  # still at the first field
    assert "you are filling Community charter" in shown
    assert session.user == "alice" and session.channel == "general" and not session.done


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
        # Bob's welcome and the check-in's two DMs arrive while alice has the prompt.
        await harness.delivery.deliver_due()
    finally:
        await harness.close()
    shown = shown_on(master)
    assert shown.startswith(PROMPT + ERASE_LINE + "[copbot → DM to ")
    assert shown.count(ERASE_LINE + "[copbot → DM to ") == 3
    assert shown.count(PROMPT) == 4 and shown.endswith("\n" + PROMPT)
    screen.prompt_taken()  # Enter: replies now print on lines of their own
    screen.say("(you are alice in #general)")
    assert shown_on(master) == "(you are alice in #general)\n"
